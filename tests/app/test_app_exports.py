"""The pages offer their exports: the Landesübersicht's downloads and the Kreisprofil as PDF."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lagebild import demo
from lagebild.app.widgets import KEY_MAP_SHOWN
from lagebild.store import Store
from tests.conftest import APP
from tests.support.exports import TODAY


@pytest.fixture
def demo_app(monkeypatch, db_url) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", db_url)
    demo.seed(Store(db_url), TODAY)
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[KEY_MAP_SHOWN] = True  # the exports follow the map's report (issue 12)
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_landesuebersicht_offers_map_ranking_and_table_for_download(demo_app):
    keys = {b.key for b in demo_app.download_button}
    assert {
        "export_uebersicht_karte_png",
        "export_uebersicht_karte_svg",
        "export_uebersicht_karte_pdf",
        "export_uebersicht_rangfolge_png",
        "export_uebersicht_tabelle_csv",
        "export_uebersicht_tabelle_xlsx",
        "export_uebersicht_pressepaket",
    } <= keys
    assert demo_app.radio(key="export_uebersicht_vorlage").value == "web"


def test_the_kreis_page_offers_its_profile_as_pdf(demo_app):
    demo_app.switch_page("pages/kreis.py").run()
    assert not demo_app.exception, demo_app.exception
    button = demo_app.download_button(key="kreisprofil_profil")
    assert button.proto.label == "Kreisprofil als PDF"

"""Einzelplatz – ohne Anmeldung (AppTest): a banner on every page, "Ansicht als" each role, the Daten page offering
what the role may do, the store refusing the rest, and the Administration's audit trail."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lagebild import demo
from lagebild.domain.access import AccessDenied, Principal, Role
from lagebild.store import ImportMeta, Store
from tests.conftest import FIXTURES

APP = str(Path(__file__).resolve().parents[2] / "app.py")
DEMO_TODAY = date(2024, 1, 15)
BOEBLINGEN_FILE = "genesis_12531_gemeinden_boeblingen.csv"  # Böblingen and its Gemeinden only
ALL_KREISE_FILE = "genesis_12531_schutzsuchende_kreise.csv"
BOEBLINGEN = Principal("Kira Koordinatorin", Role.COORDINATION, ("08115",))
PAGES = ["pages/landesuebersicht.py", "pages/personalbedarf.py", "pages/kreis.py", "pages/daten.py", "pages/glossar.py"]


@pytest.fixture
def demo_db(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)
    demo.seed(Store(db_url), DEMO_TODAY)
    return db_url


def daten_as(role: Role, kreis: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/daten.py").run()
    at.selectbox(key="ansicht_rolle").set_value(role).run()
    if kreis is not None:
        at.selectbox(key="ansicht_kreis").set_value(kreis).run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, name: str) -> AppTest:
    at.file_uploader[0].set_value((name, (FIXTURES / name).read_bytes(), "text/csv")).run()
    column = [w for w in at.selectbox if w.key and w.key.startswith("spalte_")]
    if column:
        column[0].set_value(1).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", PAGES)
def test_every_page_says_it_runs_without_sign_in(demo_db, page):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(page).run()
    assert any(w.value.startswith("**Einzelplatz – ohne Anmeldung.**") for w in at.warning)


@pytest.mark.parametrize("role", [Role.LEADERSHIP, Role.PRESS])
def test_a_read_only_role_sees_no_upload_and_no_rollback(demo_db, role):
    at = daten_as(role)
    assert len(at.file_uploader) == 0
    assert not [w for w in at.selectbox if w.key == "ruecknahme_import"]
    assert any("nicht erlaubt" in i.value for i in at.info)


@pytest.mark.parametrize("role", [Role.DATA_OFFICE, Role.ADMINISTRATION])
def test_the_data_office_and_the_administration_may_import_and_roll_back(demo_db, role):
    at = daten_as(role)
    assert len(at.file_uploader) == 1 and at.selectbox(key="ruecknahme_import")


def test_a_coordination_imports_the_figures_of_its_own_kreis(demo_db):
    at = upload(daten_as(Role.COORDINATION, "08115"), BOEBLINGEN_FILE)
    at.button(key="uebernehmen").click().run()
    assert "Import Nr. 5 übernommen" in at.success[0].value
    assert Store(demo_db).history().iloc[-1]["user_name"].startswith("Einzelplatz (Benutzer ")


def test_a_coordination_file_with_other_kreise_is_refused_in_the_preview_and_cannot_be_accepted(demo_db):
    at = upload(daten_as(Role.COORDINATION, "08115"), ALL_KREISE_FILE)
    message = next(e.value for e in at.error if "Nicht erlaubt" in e.value)
    assert "08116 Esslingen" in message and "ganz abgelehnt" in message and "08115 Böblingen" not in message
    assert at.button(key="uebernehmen").disabled
    assert len(Store(demo_db).history()) == 4


def test_the_administration_sees_the_audit_trail_with_each_import_role_change_and_refusal(demo_db):
    at = upload(daten_as(Role.COORDINATION, "08115"), BOEBLINGEN_FILE)
    at.button(key="uebernehmen").click().run()
    rows = Store(demo_db).observations().query("region == '08116'").head(1)
    with pytest.raises(AccessDenied):  # around the page, straight at the store
        Store(demo_db).write_import(rows, ImportMeta("esslingen.csv", "e" * 64, "refugees_in_care", "Test"), BOEBLINGEN)
    at.selectbox(key="ansicht_rolle").set_value(Role.ADMINISTRATION).run()
    trail = next(d.value for d in at.dataframe if "Aktion" in d.value.columns)
    assert list(trail["Aktion"])[:3] == ["Rollenwechsel", "Import", "Import"]
    assert trail.loc[0, "Gegenstand"] == "Ansicht als Administration"
    assert trail.loc[1, "Ergebnis"] == "abgelehnt" and "08116 Esslingen" in trail.loc[1, "Begründung"]
    assert trail.loc[2, "Ergebnis"] == "ausgeführt" and trail.loc[2, "Rolle"] == "Koordination Böblingen"
    assert trail.loc[2, "Gegenstand"] == f"Import Nr. 5 ({BOEBLINGEN_FILE})"


def test_only_the_administration_has_the_protokoll_tab(demo_db):
    assert "Protokoll" not in [t.label for t in daten_as(Role.DATA_OFFICE).tabs]
    assert "Protokoll" in [t.label for t in daten_as(Role.ADMINISTRATION).tabs]

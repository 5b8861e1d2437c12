"""Einzelplatz in Chromium: switching "Ansicht als" takes the upload away and brings it back, a Koordination's file
with other Kreise is refused with their names, and the Administration downloads the audit trail."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from lagebild.store import Store
from tests.browser.conftest import ARTIFACTS, StreamlitServer, start_server, stop_server
from tests.browser.test_daten import choose, open_page, seed
from tests.conftest import FIXTURES

pytestmark = pytest.mark.browser

ALL_KREISE = FIXTURES / "genesis_12531_schutzsuchende_kreise.csv"


@pytest.fixture
def roles_server(tmp_path: Path) -> Iterator[StreamlitServer]:
    """A server of its own: the test writes to the audit trail."""
    server = start_server("app.py", tmp_path, seed=seed, database_url=f"sqlite:///{tmp_path / 'rollen.sqlite'}")
    yield server
    stop_server(server)


def view_as(page: Page, role: str) -> None:
    choose(page, "Ansicht als", role)
    expect(page.get_by_test_id("stSidebar").get_by_role("combobox", name="Ansicht als")).to_have_value(role)


def test_switching_the_role_takes_the_upload_away_and_a_foreign_kreis_is_refused(page, roles_server, network_guard):
    page.goto(roles_server.url)
    expect(page.get_by_text("Einzelplatz – ohne Anmeldung.")).to_be_visible()
    open_page(page, "Daten")
    uploader = page.locator("input[type='file']")
    expect(uploader).to_have_count(1)

    view_as(page, "Leitung")
    expect(page.get_by_text("Übernehmen und Zurücknehmen sind dieser Rolle nicht erlaubt")).to_be_visible()
    expect(uploader).to_have_count(0)
    page.get_by_role("tab", name="Importe").click()
    expect(page.get_by_role("combobox", name="Import", exact=True)).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "rollen-leitung.png"), full_page=True)

    view_as(page, "Koordination")
    choose(page, "Kreis der Koordination", "Böblingen")
    page.get_by_role("tab", name="Hochladen").click()
    expect(page.get_by_text("Als Koordination Böblingen übernehmen Sie Zahlen für Böblingen")).to_be_visible()
    uploader.set_input_files(str(ALL_KREISE))
    choose(page, "Wertespalte", "1: 31.12.2023 / Insgesamt")
    refusal = page.get_by_test_id("stAlertContentError").filter(has_text="Nicht erlaubt")
    expect(refusal).to_contain_text("08116 Esslingen")
    expect(refusal).to_contain_text("die Datei wird deshalb ganz abgelehnt")
    expect(page.get_by_role("button", name="Übernehmen")).to_be_disabled()
    refusal.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "rollen-koordination-abgelehnt.png"), full_page=True)
    assert len(Store(roles_server.database_url).history()) == 4

    view_as(page, "Administration")
    page.get_by_role("tab", name="Protokoll").click()
    protokoll = page.locator(".st-key-protokoll_reiter")
    expect(protokoll.get_by_test_id("stDataFrame")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "rollen-protokoll.png"), full_page=True)
    protokoll.get_by_text("Export: Grafiken und Daten").click()
    with page.expect_download() as download:
        protokoll.get_by_role("button", name="XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))["Daten"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[0]
    actions = [r[header.index("Aktion")] for r in rows[1:]]
    assert actions[:2] == ["Rollenwechsel", "Rollenwechsel"] and "Ansicht als Leitung" in str(rows)
    assert network_guard.blocked == []

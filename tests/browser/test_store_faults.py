"""The app in Chromium on a corrupt store: one German page with the restore command, no exception, no traceback."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lagebild import backup
from tests.browser.conftest import ARTIFACTS, StreamlitServer, seed_demo, start_server, stop_server
from tests.browser.journey import choose, settle

pytestmark = pytest.mark.browser


@pytest.fixture
def corrupt_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[StreamlitServer, Path]]:
    """A store with the demo data and a backup, then its pages overwritten with random bytes behind a valid header."""
    path = tmp_path / "kaputt.sqlite"
    url = f"sqlite:///{path}"
    seed_demo(url)
    saved = backup.backup(url).file
    data = path.read_bytes()
    path.write_bytes(data[:100] + os.urandom(len(data) - 100))
    server = start_server("app.py", tmp_path, database_url=url)
    yield server, saved
    stop_server(server)


def test_a_corrupt_store_shows_the_german_page_with_the_restore_command_and_no_traceback(
    page, corrupt_server, network_guard
):
    server, saved = corrupt_server
    page.goto(server.url)
    expect(page.get_by_role("heading", name="Datenbestand nicht lesbar")).to_be_visible()
    alert = page.get_by_test_id("stAlert")
    expect(alert).to_contain_text("Die Datenbankdatei ist beschädigt")
    expect(alert).to_contain_text(f"python -m lagebild restore {saved}")
    expect(page.get_by_test_id("stCode")).to_contain_text(f"python -m lagebild restore {saved}")
    page.screenshot(path=str(ARTIFACTS / "datenbestand-nicht-lesbar.png"), full_page=True)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Daten").click()
    expect(page.get_by_role("heading", name="Datenbestand nicht lesbar")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert "Traceback" not in page.content()
    assert network_guard.blocked == []


GENESIS = Path(__file__).parents[1] / "fixtures" / "genesis_12531_schutzsuchende_kreise.csv"


@pytest.fixture
def daten_server(tmp_path: Path) -> Iterator[tuple[StreamlitServer, Path]]:
    path = tmp_path / "bestand.sqlite"
    url = f"sqlite:///{path}"
    seed_demo(url)
    server = start_server("app.py", tmp_path, database_url=url)
    yield server, path
    stop_server(server)


def test_an_upload_accepted_while_the_store_is_unreadable_is_kept_with_its_answers_until_it_is_back(
    page, daten_server, network_guard
):
    server, path = daten_server
    page.goto(server.url + "daten")
    expect(page.get_by_role("heading", name="Daten", exact=True)).to_be_visible()
    page.locator("input[type='file']").set_input_files(str(GENESIS))
    choose(page, "Wertespalte", "1: 31.12.2023 / Insgesamt")
    source = page.get_by_role("textbox", name="Quelle (für Zeilen ohne eigene Quellenangabe)")
    source.fill("Statistisches Landesamt")
    source.press("Enter")
    settle(page)
    expect(page.get_by_text("Zeilen verstanden: 44")).to_be_visible()

    # The disk fails just as the Datenstelle accepts: nothing is written, the page says why.
    intact = path.read_bytes()
    path.write_bytes(b"Das ist keine Datenbank.\n" * 100)
    page.get_by_role("button", name="Übernehmen").click()
    expect(page.get_by_role("heading", name="Datenbestand nicht lesbar")).to_be_visible()

    # Repaired, the Daten page has the file and every answer back, and accepting works.
    path.write_bytes(intact)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Daten").click()
    # Whether or not the browser still holds the file, the page says it is the one from before.
    expect(
        page.get_by_text("Weiter mit der Datei „genesis_12531_schutzsuchende_kreise.csv“ von vorhin")
    ).to_be_visible()
    expect(page.get_by_text("Nicht übernommen.")).to_be_visible()
    expect(page.get_by_role("combobox", name="Wertespalte")).to_have_value("1: 31.12.2023 / Insgesamt")
    expect(source).to_have_value("Statistisches Landesamt")
    page.screenshot(path=str(ARTIFACTS / "daten-nach-stoerung.png"), full_page=True)
    page.get_by_role("button", name="Übernehmen").click()
    expect(page.get_by_text("Import Nr. 5 übernommen: 44 Werte für Geflüchtete in Betreuung")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert network_guard.blocked == []

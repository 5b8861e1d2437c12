"""The app in Chromium on a corrupt store: one German page with the restore command, no exception, no traceback."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lagebild import backup
from tests.browser.conftest import ARTIFACTS, StreamlitServer, seed_demo, start_server, stop_server

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


def test_a_corrupt_store_shows_the_german_page_with_the_restore_command_and_no_traceback(page, corrupt_server, network_guard):
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

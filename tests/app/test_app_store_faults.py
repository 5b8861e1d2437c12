"""The app on a store that cannot be read or written (AppTest): one German page, no exception, the upload kept."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from lagebild import backup, demo
from lagebild.app import cache
from lagebild.store import Store
from tests.conftest import APP, FIXTURES

DEMO_TODAY = date(2024, 1, 15)
GENESIS = "genesis_12531_schutzsuchende_kreise.csv"


def seed(db_url: str) -> Path:
    store = Store(db_url)
    demo.seed(store, DEMO_TODAY)
    store.engine.dispose()
    return Path(db_url.removeprefix("sqlite:///"))


def test_a_corrupt_store_shows_one_german_page_with_the_restore_command(monkeypatch, db_url, tmp_path):
    monkeypatch.setenv("DATABASE_URL", db_url)
    path = seed(db_url)
    monkeypatch.setenv("LAGEBILD_BACKUP_DIR", str(tmp_path / "sicherungen"))
    saved = backup.backup(db_url).file
    path.write_bytes(b"Das ist keine Datenbank.\n" * 100)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Datenbestand nicht lesbar"
    message = at.error[0].value
    assert "Die Datenbankdatei ist beschädigt oder keine Datenbank des Lagebilds (file is not a database)" in message
    assert f"`{path.resolve()}`" in message and f"`python -m lagebild restore {saved}`" in message
    at.switch_page("pages/daten.py").run()
    assert not at.exception and at.title[0].value == "Datenbestand nicht lesbar"


def daten_with_upload(monkeypatch, db_url: str) -> AppTest:
    """The Daten page on the demo store, with the GENESIS table uploaded."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    seed(db_url)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/daten.py").run()
    at.file_uploader[0].set_value((GENESIS, (FIXTURES / GENESIS).read_bytes(), "text/csv")).run()
    return at


def test_a_failed_write_keeps_the_file_and_the_answers_so_accept_can_be_repeated(monkeypatch, db_url):
    at = daten_with_upload(monkeypatch, db_url)
    column = next(w for w in at.selectbox if w.key and w.key.startswith("spalte_"))
    column.set_value(1).run()
    store = cache.get_store(db_url)
    # As SQLite reports a read-only file or folder; the tests run as root, for whom chmod protects nothing.
    read_only = lambda conn, _: conn.execute("PRAGMA query_only = ON")  # noqa: E731
    sa.event.listen(store.engine, "connect", read_only)
    store.engine.dispose()
    at.button(key="uebernehmen").click().run()
    assert not at.exception
    message = next(e.value for e in at.error if "Nicht übernommen" in e.value)
    assert "Der Datenbestand ist schreibgeschützt" in message and "„Übernehmen“ lässt sich wiederholen" in message
    assert at.file_uploader[0].value is not None
    assert next(w for w in at.selectbox if w.key and w.key.startswith("spalte_")).value == 1
    assert len(Store(db_url).history()) == 4

    sa.event.remove(store.engine, "connect", read_only)
    store.engine.dispose()
    at.button(key="uebernehmen").click().run()
    assert "Import Nr. 5 übernommen" in at.success[0].value


def test_the_daten_page_shows_when_the_store_was_last_saved(monkeypatch, db_url, tmp_path):
    monkeypatch.setenv("DATABASE_URL", db_url)
    seed(db_url)
    saved = backup.backup(db_url, tmp_path / "sicherung.sqlite").file
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/daten.py").run()
    assert any(c.value.startswith("Letzte Sicherung des Datenbestands: ") and str(saved) in c.value for c in at.caption)


def test_a_file_removed_from_the_uploader_is_not_brought_back(monkeypatch, db_url):
    at = daten_with_upload(monkeypatch, db_url)
    at.file_uploader[0].set_value(None).run()
    assert any("Noch keine Datei gewählt" in i.value for i in at.info)
    # Nor after the store was unreadable in between: only a file the fault page took away comes back.
    path = Path(db_url.removeprefix("sqlite:///"))
    intact = path.read_bytes()
    path.write_bytes(b"Das ist keine Datenbank.\n" * 100)
    at.run()
    path.write_bytes(intact)
    at.run()
    assert not at.exception and any("Noch keine Datei gewählt" in i.value for i in at.info)

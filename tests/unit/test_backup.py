"""Backup and restore: a corrupt store comes back from a backup with two commands, every row as it was."""

from __future__ import annotations

import os
import sqlite3
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from lagebild import backup, demo
from lagebild.cli import main
from lagebild.store import Store, head_revision
from tests.conftest import FIXTURES

DEMO_TODAY = date(2024, 1, 15)
GENESIS = FIXTURES / "genesis_12531_schutzsuchende_kreise.csv"


def snapshot(url: str) -> dict[str, pd.DataFrame]:
    """Every row of every table that holds data, ordered by id, times as naive UTC."""
    engine = sa.create_engine(url)
    out = {}
    with engine.connect() as conn:
        for table in ("imports", "observations", "import_events"):
            frame = pd.read_sql(sa.text(f"SELECT * FROM {table} ORDER BY id"), conn)
            for column in ("created_at",):
                if column in frame:
                    frame[column] = pd.to_datetime(frame[column], utc=True).dt.tz_convert(None)
            if "date" in frame:
                frame["date"] = pd.to_datetime(frame["date"])
            if "active" in frame:
                frame["active"] = frame["active"].astype(bool)
                frame["is_demo"] = frame["is_demo"].astype(bool)
            out[table] = frame
    engine.dispose()
    return out


def assert_same(before: dict[str, pd.DataFrame], after: dict[str, pd.DataFrame]) -> None:
    for table, frame in before.items():
        pd.testing.assert_frame_equal(after[table], frame, check_dtype=False, obj=table)


@pytest.fixture
def history_store(monkeypatch, backend_url, tmp_path):
    """Demo data, a GENESIS import and a rollback: every table has rows. The app's DATABASE_URL points here."""
    monkeypatch.setenv("DATABASE_URL", backend_url)
    monkeypatch.setenv("LAGEBILD_BACKUP_DIR", str(tmp_path / "sicherungen"))
    store = Store(backend_url)
    demo.seed(store, DEMO_TODAY)
    store.engine.dispose()
    assert main(["import", str(GENESIS), "--measure", "refugees_in_care", "--column", "1"]) == 0
    assert main(["rollback", "2"]) == 0
    return backend_url


def make_backup(capsys) -> Path:
    assert main(["backup"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Sicherung geschrieben: ") and "5 Importe" in out
    return Path(out.split("Wiederherstellen mit: python -m lagebild restore ")[1].strip())


def test_a_corrupt_sqlite_store_is_recovered_from_a_backup_with_two_commands(monkeypatch, db_url, tmp_path, capsys):
    monkeypatch.setenv("DATABASE_URL", db_url)
    store = Store(db_url)
    demo.seed(store, DEMO_TODAY)
    store.engine.dispose()
    assert main(["import", str(GENESIS), "--measure", "refugees_in_care", "--column", "1"]) == 0
    assert main(["rollback", "2"]) == 0
    before = snapshot(db_url)
    path = Path(db_url.removeprefix("sqlite:///"))
    capsys.readouterr()

    assert main(["backup"]) == 0
    out = capsys.readouterr().out
    data = path.read_bytes()
    path.write_bytes(data[:100] + os.urandom(len(data) - 100))
    broken = path.read_bytes()
    assert main(["history"]) == 1
    err = capsys.readouterr().err
    assert "Der Datenbestand kann nicht gelesen werden" in err and "Traceback" not in err
    file = backup.latest_backup(db_url)
    assert f"Wiederherstellen mit: python -m lagebild restore {file}" in out
    assert f"python -m lagebild restore {file}" in err

    assert main(["restore", str(file)]) == 0
    restored = capsys.readouterr().out
    assert_same(before, snapshot(db_url))
    kept = Path(restored.split("Der bisherige Datenbestand ist aufbewahrt in ")[1].split(".sqlite")[0] + ".sqlite")
    assert kept.read_bytes() == broken
    assert main(["history"]) == 0


def test_a_backup_and_restore_bring_back_every_row_on_both_backends(history_store, capsys):
    before = snapshot(history_store)
    file = make_backup(capsys)
    assert main(["rollback", "1"]) == 0
    assert main(["import", str(FIXTURES / "vzae_windows1252_dezimalkomma.csv"), "--measure", "counsellors_fte"]) == 0
    assert main(["restore", str(file)]) == 0
    assert "Wiederhergestellt aus" in capsys.readouterr().out
    assert_same(before, snapshot(history_store))
    # Ids go on after the restored ones: the next import is Nr. 6, not a clash with Nr. 1.
    assert main(["import", str(FIXTURES / "vzae_windows1252_dezimalkomma.csv"), "--measure", "counsellors_fte"]) == 0
    assert "Import 6 übernommen" in capsys.readouterr().out


def test_restore_keeps_the_replaced_store_as_a_backup_of_its_own(history_store, capsys):
    file = make_backup(capsys)
    assert main(["rollback", "1"]) == 0
    changed = snapshot(history_store)
    assert main(["restore", str(file)]) == 0
    out = capsys.readouterr().out
    kept = Path(out.split("Der bisherige Datenbestand ist aufbewahrt in ")[1].split(".sqlite")[0] + ".sqlite")
    assert kept.name.startswith("vor-wiederherstellung-")
    assert_same(changed, snapshot(f"sqlite:///{kept}"))


def test_restore_refuses_a_backup_of_a_newer_schema_and_changes_nothing(history_store, capsys):
    file = make_backup(capsys)
    with sqlite3.connect(file) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    before = snapshot(history_store)
    assert main(["restore", str(file)]) == 1
    err = capsys.readouterr().err
    assert f"Schemastand 9999, neuer als diese Version der App ({head_revision()})" in err
    assert_same(before, snapshot(history_store))


def test_restore_refuses_a_file_that_is_no_backup(history_store, tmp_path, capsys):
    text = tmp_path / "notiz.sqlite"
    text.write_text("keine Sicherung")
    assert main(["restore", str(text)]) == 1
    assert "ist keine Sicherung des Lagebilds (keine SQLite-Datei)" in capsys.readouterr().err


def test_a_backup_is_logged_so_the_store_knows_when_it_was_last_saved(history_store, capsys):
    file = make_backup(capsys)
    store = Store(history_store)
    assert store.last_backup()[1] == str(file)
    assert backup.last_backup_text(store).startswith("Letzte Sicherung des Datenbestands: ")
    store.engine.dispose()


def test_a_backup_never_overwrites_a_file(history_store, tmp_path, capsys):
    target = tmp_path / "da.sqlite"
    target.write_bytes(b"schon da")
    assert main(["backup", "--output", str(target)]) == 1
    assert "gibt es schon" in capsys.readouterr().err and target.read_bytes() == b"schon da"


def test_a_backup_of_a_corrupt_store_is_refused(monkeypatch, db_url, tmp_path, capsys):
    monkeypatch.setenv("DATABASE_URL", db_url)
    Path(db_url.removeprefix("sqlite:///")).write_text("keine Datenbank")
    assert main(["backup", "--output", str(tmp_path / "b.sqlite")]) == 1
    assert "Der Datenbestand kann nicht gelesen werden" in capsys.readouterr().err
    assert not (tmp_path / "b.sqlite").exists()

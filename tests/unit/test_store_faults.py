"""A broken, read-only, full, busy or unreachable store: German messages, nothing written, nothing half-written."""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from lagebild import demo
from lagebild.intake import review
from lagebild.store import (
    MAX_SOURCE_CHARS,
    ImportMeta,
    Store,
    StoreBusy,
    StoreUnavailable,
    ValueTooLong,
    WriteFailed,
    display_url,
)
from tests.conftest import FIXTURES
from tests.support import postgres
from tests.support.data import DATENSTELLE

DEMO_TODAY = date(2026, 11, 27)
CSV = FIXTURES / "vzae_windows1252_dezimalkomma.csv"


def rows(value: float = 10.0, source: str = "Test") -> pd.DataFrame:
    from lagebild.domain.regions import regions

    return pd.DataFrame(
        [
            {
                "measure": "counsellors_fte",
                "region": k,
                "date": date(2024, 12, 31),
                "grp": "insgesamt",
                "value": value,
                "status": None,
                "source": source,
            }
            for k in regions().kreis_keys
        ]
    )


def meta(name: str = "datei.csv", source: str = "Test", file_format: str | None = None) -> ImportMeta:
    return ImportMeta(name, "0" * 64, "counsellors_fte", source, file_format=file_format)


@pytest.fixture
def seeded(db_url: str) -> Path:
    """A SQLite store with the demo data, closed again: the file a fault is done to."""
    store = Store(db_url)
    demo.seed(store, DEMO_TODAY)
    store.engine.dispose()
    return Path(db_url.removeprefix("sqlite:///"))


def corrupt(path: Path, how: str) -> bytes:
    data = path.read_bytes()
    broken = {
        "random bytes": os.urandom(len(data)),
        "truncated to half": data[: len(data) // 2],
        "a text file": "Regionalschlüssel;Wert\n08115;36,5\n".encode() * 200,
        "valid header with random pages": data[:100] + os.urandom(len(data) - 100),
        "valid first page with random pages": data[:4096] + os.urandom(len(data) - 4096),
    }[how]
    path.write_bytes(broken)
    return broken


FAULTS = [
    "random bytes",
    "truncated to half",
    "a text file",
    "valid header with random pages",
    "valid first page with random pages",
]


@pytest.mark.parametrize("how", FAULTS)
def test_a_corrupt_sqlite_file_is_refused_in_german_and_left_byte_for_byte_as_it_was(seeded, how):
    broken = corrupt(seeded, how)
    with pytest.raises(StoreUnavailable) as caught:
        Store(f"sqlite:///{seeded}")
    assert caught.value.kind == StoreUnavailable.CORRUPT
    assert caught.value.problem.startswith("Die Datenbankdatei ist beschädigt")
    assert caught.value.location == str(seeded.resolve())
    assert seeded.read_bytes() == broken


def test_a_store_corrupted_while_open_refuses_the_next_write(seeded):
    store = Store(f"sqlite:///{seeded}")
    store.engine.dispose()
    broken = corrupt(seeded, "valid first page with random pages")
    with pytest.raises(StoreUnavailable, match="beschädigt"):
        store.write_import(rows(), meta(), DATENSTELLE)
    assert seeded.read_bytes() == broken


def test_a_store_file_deleted_while_open_refuses_the_write_and_creates_no_empty_file(seeded):
    store = Store(f"sqlite:///{seeded}")
    seeded.unlink()
    with pytest.raises(StoreUnavailable) as caught:
        store.write_import(rows(), meta(), DATENSTELLE)
    assert caught.value.kind == StoreUnavailable.MISSING and "gelöscht oder verschoben" in caught.value.problem
    assert not seeded.exists()


def read_only(store: Store) -> Store:
    """Every new connection read-only, as SQLite reports a file or folder it may not write ("attempt to write a
    readonly database"); the tests run as root, for whom chmod does not make anything read-only."""
    sa.event.listen(store.engine, "connect", lambda conn, _: conn.execute("PRAGMA query_only = ON"))
    store.engine.dispose()
    return store


def test_a_write_into_a_read_only_store_fails_in_german_and_changes_nothing(seeded):
    store = read_only(Store(f"sqlite:///{seeded}"))
    before = store.history()
    with pytest.raises(WriteFailed, match="Der Datenbestand ist schreibgeschützt.*Nichts wurde geschrieben"):
        store.write_import(rows(), meta(), DATENSTELLE)
    pd.testing.assert_frame_equal(store.history(), before)


def test_a_rollback_in_a_read_only_store_fails_in_german(seeded):
    with pytest.raises(WriteFailed, match="schreibgeschützt"):
        read_only(Store(f"sqlite:///{seeded}")).rollback(1, DATENSTELLE)


@pytest.mark.skipif(os.geteuid() == 0, reason="root schreibt auch in schreibgeschützte Ordner")
def test_a_write_into_a_read_only_folder_fails_in_german(seeded):
    store = Store(f"sqlite:///{seeded}")
    seeded.parent.chmod(0o555)
    seeded.chmod(0o444)
    try:
        with pytest.raises(WriteFailed, match="Nichts wurde geschrieben"):
            store.write_import(rows(), meta(), DATENSTELLE)
    finally:
        seeded.parent.chmod(0o755)
        seeded.chmod(0o644)


def test_a_write_onto_a_full_disk_fails_in_german_and_leaves_no_partial_import(seeded):
    store = Store(f"sqlite:///{seeded}")
    # SQLite's page limit reached is the same error as a full disk: SQLITE_FULL, "database or disk is full".
    sa.event.listen(
        store.engine,
        "connect",
        lambda conn, _: conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}"),
    )
    store.engine.dispose()
    before = len(store.observations())
    with pytest.raises(WriteFailed, match="kein Platz mehr"):
        store.write_import(rows(), meta(), DATENSTELLE)
    assert len(store.observations()) == before and len(store.history()) == 4


def test_a_write_waits_for_another_import_to_finish_and_then_lands(db_url):
    store = Store(db_url)
    other = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another import holding the write lock
    waiting = threading.Event()
    sa.event.listen(
        store.engine,
        "before_cursor_execute",
        lambda conn, cursor, statement, *rest: waiting.set() if statement == "BEGIN IMMEDIATE" else None,
    )
    result: list[int] = []
    writer = threading.Thread(target=lambda: result.append(store.write_import(rows(), meta(), DATENSTELLE)))
    writer.start()
    assert waiting.wait(timeout=60)
    other.execute("COMMIT")
    writer.join()
    other.close()
    assert result == [1] and len(store.observations()) == 44


def test_a_write_that_waits_longer_than_the_busy_timeout_says_another_import_is_running(db_url):
    Store(db_url).engine.dispose()
    store = Store(db_url, busy_timeout_s=0.1)
    other = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreBusy, match="Gerade schreibt ein anderer Import in den Datenbestand"):
            store.write_import(rows(), meta(), DATENSTELLE)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.is_empty()


def test_a_quelle_over_500_characters_is_refused_alike_on_both_backends(backend_url):
    store = Store(backend_url)
    with pytest.raises(ValueTooLong, match=f"Quelle: 501 Zeichen, höchstens {MAX_SOURCE_CHARS} erlaubt"):
        store.write_import(rows(source="x" * 501), meta(source="x" * 501), DATENSTELLE)
    assert store.is_empty()
    store.engine.dispose()


def test_a_quelle_of_exactly_500_characters_lands_on_both_backends(backend_url):
    store = Store(backend_url)
    store.write_import(rows(source="x" * 500), meta(source="x" * 500), DATENSTELLE)
    assert set(store.observations()["source"]) == {"x" * 500}
    store.engine.dispose()


def test_a_long_genesis_title_or_table_code_is_refused_alike_on_both_backends(backend_url):
    store = Store(backend_url)
    with pytest.raises(ValueTooLong, match="Format \\(GENESIS-Tabellenname und -code\\): 201 Zeichen, höchstens 200"):
        store.write_import(rows(), meta(file_format="GENESIS-Tabelle " + "1" * 185), DATENSTELLE)
    assert store.is_empty()
    store.engine.dispose()


def check(store: Store, data: bytes, name: str, measure: str, regs) -> review.Check:
    return review.check(store, data, name, measure=measure, existing=store.observations(), regs=regs, today=DEMO_TODAY)


def test_the_same_values_with_other_line_endings_are_a_duplicate_naming_the_earlier_import(store, regs):
    data = CSV.read_bytes()
    first = check(store, data, "vzae.csv", "counsellors_fte", regs)
    review.accept(store, first.parsed, data, "counsellors_fte", DATENSTELLE)
    lf = data.replace(b"\r\n", b"\n")  # the fixture has Windows line endings
    again = check(store, lf, "vzae_unix.csv", "counsellors_fte", regs)
    assert again.sha256 != first.sha256
    assert again.duplicate is not None and "Import Nr. 1 (vzae.csv)" in again.duplicate


def test_the_same_file_under_another_measure_is_no_duplicate(store, regs):
    data = CSV.read_bytes()
    first = check(store, data, "vzae.csv", "counsellors_fte", regs)
    review.accept(store, first.parsed, data, "counsellors_fte", DATENSTELLE)
    assert check(store, data, "vzae.csv", "refugees_in_care", regs).duplicate is None


def test_a_message_names_a_postgresql_store_without_its_password():
    assert display_url("postgresql+psycopg://lagebild:geheim@db.example:5432/lagebild") == (
        "postgresql+psycopg://lagebild:***@db.example:5432/lagebild"
    )


def test_a_postgresql_server_that_cannot_be_reached_is_reported_in_german():
    url = f"postgresql+psycopg://lagebild:geheim@127.0.0.1:{postgres.free_port()}/lagebild"
    with pytest.raises(StoreUnavailable) as caught:
        Store(url)
    assert caught.value.kind == StoreUnavailable.UNREACHABLE
    assert caught.value.problem.startswith("Der Datenbankserver ist nicht erreichbar")
    assert "geheim" not in str(caught.value)


def test_a_postgresql_connection_dropped_during_an_import_is_retried_once_and_lands_whole(postgres_url, postgres_admin):
    store = Store(postgres_url)
    dropped = []

    @sa.event.listens_for(store.engine, "after_cursor_execute")
    def drop_once(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO IMPORTS") and not dropped:
            dropped.append(cursor.connection.info.backend_pid)
            with postgres_admin.connect() as admin:
                admin.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": dropped[0]})

    assert store.write_import(rows(), meta(), DATENSTELLE) >= 1
    assert len(dropped) == 1
    assert len(store.history()) == 1 and len(store.observations()) == 44
    store.engine.dispose()


@pytest.fixture
def own_cluster():
    """A server of its own, because this test stops it: the session's server serves the other tests."""
    cluster = postgres.start_cluster()
    if cluster is None:
        pytest.skip(postgres.MISSING)
    yield cluster
    cluster.stop()


def test_a_postgresql_server_restarted_between_preview_and_accept_takes_the_import(own_cluster, regs):
    store = Store(own_cluster.admin_url)
    data = CSV.read_bytes()
    preview = check(store, data, "vzae.csv", "counsellors_fte", regs)
    own_cluster.halt()
    own_cluster.resume()
    assert review.accept(store, preview.parsed, data, "counsellors_fte", DATENSTELLE) == 1
    assert len(store.observations()) == len(preview.parsed.rows)
    store.engine.dispose()


def test_a_postgresql_server_killed_between_preview_and_accept_is_reported_and_accept_can_be_repeated(
    own_cluster, regs
):
    store = Store(own_cluster.admin_url)
    data = CSV.read_bytes()
    preview = check(store, data, "vzae.csv", "counsellors_fte", regs)
    own_cluster.halt()
    with pytest.raises((StoreUnavailable, WriteFailed), match="Datenbankserver"):
        review.accept(store, preview.parsed, data, "counsellors_fte", DATENSTELLE)
    own_cluster.resume()
    assert store.is_empty()
    assert review.accept(store, preview.parsed, data, "counsellors_fte", DATENSTELLE) == 1
    assert len(store.history()) == 1
    store.engine.dispose()

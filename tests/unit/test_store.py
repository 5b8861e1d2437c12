"""The store on SQLite and PostgreSQL: imports land whole, newer imports win, rollbacks bring values back, nothing is lost."""

import shutil
import subprocess
import sys
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from lagebild.domain import access
from lagebild.store import ImportMeta, RollbackRefused, Store, head_revision, known_revisions, normalise_url
from tests.conftest import FIXTURES
from tests.support.data import DATENSTELLE

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(backend_url):
    """Every test in this module runs on both backends."""
    store = Store(backend_url)
    yield store
    store.engine.dispose()


def frame(rows):
    return pd.DataFrame(
        [
            {"measure": m, "region": r, "date": d, "grp": "insgesamt", "value": v, "status": None, "source": "Test"}
            for m, r, d, v in rows
        ]
    )


def meta(name="datei.csv", measure="counsellors_fte", sha="0" * 64):
    return ImportMeta(name, sha, measure, "Test")


def all_kreise(value, when=date(2024, 12, 31), measure="counsellors_fte"):
    from lagebild.domain.regions import regions

    return frame([(measure, k, when, value) for k in regions().kreis_keys])


def count(store, table):
    with store.engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_a_new_store_is_empty(store):
    assert store.is_empty()
    assert store.observations().empty


def test_value_as_of_returns_the_latest_stand_on_or_before_the_date(store):
    store.write_import(
        frame(
            [
                ("counsellors_fte", "08115", date(2024, 6, 30), 30.0),
                ("counsellors_fte", "08115", date(2024, 12, 31), 35.0),
            ]
        ),
        meta(),
        DATENSTELLE,
    )
    got = store.value_as_of("counsellors_fte", "08115", date(2024, 11, 15))
    assert got is not None and got.value == 30.0 and got.stand == date(2024, 6, 30)
    assert store.value_as_of("counsellors_fte", "08115", date(2025, 1, 1)).value == 35.0


def test_value_as_of_before_any_stand_is_none_not_zero(store):
    store.write_import(frame([("counsellors_fte", "08115", date(2024, 6, 30), 30.0)]), meta(), DATENSTELLE)
    assert store.value_as_of("counsellors_fte", "08115", date(2023, 1, 1)) is None


def test_a_newer_import_of_the_same_cell_wins(store):
    store.write_import(frame([("counsellors_fte", "08115", date(2024, 6, 30), 30.0)]), meta("alt.csv"), DATENSTELLE)
    second = store.write_import(
        frame([("counsellors_fte", "08115", date(2024, 6, 30), 31.5)]), meta("neu.csv"), DATENSTELLE
    )
    obs = store.observations()
    assert len(obs) == 1 and obs.loc[0, "value"] == 31.5 and obs.loc[0, "import_id"] == second
    assert store.value_as_of("counsellors_fte", "08115", date(2024, 6, 30)).import_id == second


def test_unavailable_values_are_stored_as_null_with_their_code(store):
    rows = frame([("refugees_in_care", "08115", date(2024, 6, 30), None)])
    rows["status"] = "."
    store.write_import(rows, meta(measure="refugees_in_care"), DATENSTELLE)
    got = store.value_as_of("refugees_in_care", "08115", date(2024, 6, 30))
    assert got.value is None and got.status == "."


def test_the_import_log_records_file_hash_rows_and_measure(store):
    store.write_import(frame([("counsellors_fte", "08115", date(2024, 6, 30), 30.0)]), meta(), DATENSTELLE)
    hist = store.history()
    assert list(hist[["file_name", "row_count", "measure"]].iloc[0]) == ["datei.csv", 1, "counsellors_fte"]
    assert hist.loc[0, "stand_from"] == date(2024, 6, 30)


def test_a_failing_import_writes_nothing_at_all(store):
    bad = frame([("counsellors_fte", "08115", date(2024, 6, 30), 30.0)])
    bad["region"] = [None]  # violates NOT NULL inside the transaction, after the log row was inserted
    with pytest.raises(sa.exc.IntegrityError):
        store.write_import(bad, meta(), DATENSTELLE)
    assert store.is_empty()
    assert store.observations().empty


def test_revision_changes_with_every_import(store):
    before = store.revision()
    store.write_import(frame([("counsellors_fte", "08115", date(2024, 6, 30), 30.0)]), meta(), DATENSTELLE)
    assert store.revision() != before


def test_the_store_honours_database_url(monkeypatch, tmp_path):
    path = tmp_path / "aus_umgebung.sqlite"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    Store()
    assert path.exists()


def test_rolling_back_an_import_brings_the_previous_values_back(store):
    store.write_import(frame([("counsellors_fte", "08115", date(2024, 6, 30), 30.0)]), meta("alt.csv"), DATENSTELLE)
    newer = store.write_import(
        frame([("counsellors_fte", "08115", date(2024, 6, 30), 31.5)]), meta("neu.csv"), DATENSTELLE
    )
    store.rollback(newer, DATENSTELLE)
    obs = store.observations()
    assert len(obs) == 1 and obs.loc[0, "value"] == 30.0
    assert store.value_as_of("counsellors_fte", "08115", date(2024, 6, 30)).value == 30.0


def test_a_rolled_back_import_of_a_new_stand_leaves_the_older_stand_showing(store):
    store.write_import(frame([("counsellors_fte", "08115", date(2024, 6, 30), 30.0)]), meta("juni.csv"), DATENSTELLE)
    december = store.write_import(
        frame([("counsellors_fte", "08115", date(2024, 12, 31), 35.0)]), meta("dez.csv"), DATENSTELLE
    )
    store.rollback(december, DATENSTELLE)
    got = store.value_as_of("counsellors_fte", "08115", date(2025, 1, 1))
    assert got.value == 30.0 and got.stand == date(2024, 6, 30)


def test_a_rollback_changes_the_revision(store):
    first = store.write_import(frame([("counsellors_fte", "08115", date(2024, 6, 30), 30.0)]), meta(), DATENSTELLE)
    before = store.revision()
    store.rollback(first, DATENSTELLE)
    assert store.revision() != before


def test_a_rollback_deletes_nothing_and_is_logged_with_time_and_user(store):
    first = store.write_import(frame([("counsellors_fte", "08115", date(2024, 6, 30), 30.0)]), meta(), DATENSTELLE)
    store.rollback(first, access.Principal("Kira Koordinatorin", access.Role.COORDINATION, ("08115",)))
    assert count(store, "observations") == 1 and count(store, "imports") == 1
    row = store.history().iloc[0]
    assert not row["active"] and row["rolled_back_by"] == "Kira Koordinatorin"
    assert abs(row["rolled_back_at"] - datetime.now(UTC).replace(tzinfo=None)) < timedelta(minutes=5)
    assert count(store, "import_events") == 1


def test_rolling_back_twice_is_refused_with_a_german_reason(store):
    first = store.write_import(
        frame([("counsellors_fte", "08115", date(2024, 6, 30), 30.0)]), meta("vzae.csv"), DATENSTELLE
    )
    store.rollback(first, DATENSTELLE)
    with pytest.raises(RollbackRefused, match="Import 1 \\(vzae.csv\\) ist bereits zurückgenommen"):
        store.rollback(first, DATENSTELLE)
    assert count(store, "import_events") == 1


def test_rolling_back_an_unknown_import_is_refused(store):
    with pytest.raises(RollbackRefused, match="Import 99 gibt es nicht"):
        store.rollback(99, DATENSTELLE)


def test_imports_of_the_same_bytes_are_found_by_their_hash(store):
    store.write_import(
        frame([("counsellors_fte", "08115", date(2024, 6, 30), 30.0)]), meta("a.csv", sha="a" * 64), DATENSTELLE
    )
    store.write_import(
        frame([("counsellors_fte", "08116", date(2024, 6, 30), 40.0)]), meta("b.csv", sha="b" * 64), DATENSTELLE
    )
    assert list(store.imports_with_hash("a" * 64)["file_name"]) == ["a.csv"]
    assert store.imports_with_hash("c" * 64).empty


def test_history_gives_times_as_naive_utc_on_every_backend(store):
    store.write_import(frame([("counsellors_fte", "08115", date(2024, 6, 30), 30.0)]), meta(), DATENSTELLE)
    created = store.history().loc[0, "created_at"]
    assert created.tzinfo is None
    assert abs(created - datetime.now(UTC).replace(tzinfo=None)) < timedelta(minutes=5)


def test_a_new_store_is_at_the_newest_migration(store):
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == head_revision()


def test_the_revisions_read_from_the_migration_files_are_alembics():
    # known_revisions reads the files' text (no Alembic import at start); Alembic's own walk must agree, or a store of
    # a known schema would be refused as "neuer als diese Version".
    from alembic.script import ScriptDirectory

    from lagebild.store import _alembic_config

    walked = {script.revision for script in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}
    assert known_revisions() == walked
    assert head_revision() in known_revisions()


KILLED_IMPORT = """
import sys
from datetime import date
import pandas as pd
import sqlalchemy as sa
from lagebild.domain.regions import regions
from lagebild.domain import access
from lagebild.store import ImportMeta, Store

store = Store(sys.argv[1])

@sa.event.listens_for(store.engine, "after_cursor_execute")
def hold(conn, cursor, statement, parameters, context, executemany):
    if statement.lstrip().upper().startswith("INSERT INTO OBSERVATIONS"):
        print("alle Zeilen geschrieben, noch nicht bestätigt", flush=True)
        sys.stdin.readline()  # holds the open transaction until the test kills this process

rows = pd.DataFrame([{"measure": "counsellors_fte", "region": k, "date": date(2024, 12, 31), "grp": "insgesamt",
                      "value": 10.0, "status": None, "source": "Test"} for k in regions().kreis_keys])
store.write_import(rows, ImportMeta("abgebrochen.csv", "f" * 64, "counsellors_fte", "Test"), access.command_line("test"))
"""


def test_an_import_killed_mid_transaction_leaves_nothing_behind(store):
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_IMPORT, store.url],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "alle Zeilen geschrieben, noch nicht bestätigt"
        assert store.is_empty()
    finally:
        child.kill()
        child.wait()
    assert store.is_empty() and store.observations().empty
    assert count(store, "observations") == 0
    store.write_import(all_kreise(12.0), meta("danach.csv"), DATENSTELLE)
    assert len(store.observations()) == 44


def test_a_sqlite_file_from_before_migrations_opens_with_its_data_and_gains_the_rollback_log(tmp_path):
    path = tmp_path / "alt.sqlite"
    shutil.copy(FIXTURES / "bestand_vor_alembic.sqlite", path)
    store = Store(f"sqlite:///{path}")
    hist = store.history()
    assert list(hist["file_name"]) == ["vzae_2024.csv"] and hist.loc[0, "row_count"] == 2
    assert set(store.observations()["value"]) == {36.5, 47.25}
    store.rollback(1, DATENSTELLE)
    assert store.observations().empty and count(store, "import_events") == 1


def test_several_instances_starting_at_once_migrate_one_database_once(postgres_url):
    errors, stores = [], []
    barrier = threading.Barrier(4)

    def start():
        try:
            barrier.wait(timeout=30)
            stores.append(Store(postgres_url))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with stores[0].engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
    for s in stores:
        s.engine.dispose()


def test_two_overlapping_imports_on_postgresql_both_land_complete_and_logged(postgres_url):
    # Both transactions hold their log row uncommitted at the same moment; SQLite would serialise them instead.
    barrier = threading.Barrier(2)
    results, errors = {}, []

    def run(name, value):
        store = Store(postgres_url)

        @sa.event.listens_for(store.engine, "after_cursor_execute")
        def meet(conn, cursor, statement, parameters, context, executemany):
            if statement.lstrip().upper().startswith("INSERT INTO IMPORTS"):
                barrier.wait(timeout=30)

        try:
            results[name] = store.write_import(all_kreise(value), meta(name, sha=name[0] * 64), DATENSTELLE)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            store.engine.dispose()

    threads = [
        threading.Thread(target=run, args=("erste.csv", 10.0)),
        threading.Thread(target=run, args=("zweite.csv", 20.0)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    store = Store(postgres_url)
    hist = store.history().set_index("file_name")
    assert set(hist.index) == {"erste.csv", "zweite.csv"} and set(hist["row_count"]) == {44}
    with store.engine.connect() as conn:
        per_import = dict(
            conn.execute(sa.text("SELECT import_id, count(*) FROM observations GROUP BY import_id")).all()
        )
    assert per_import == {results["erste.csv"]: 44, results["zweite.csv"]: 44}
    newer = max(results, key=results.get)
    assert set(store.observations()["value"]) == {10.0 if newer == "erste.csv" else 20.0}
    store.engine.dispose()


@pytest.mark.parametrize(
    "given,used",
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),  # the spelling of many hosting services
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///data/x.sqlite", "sqlite:///data/x.sqlite"),
    ],
)
def test_a_postgresql_url_without_driver_means_psycopg_3(given, used):
    assert normalise_url(given) == used

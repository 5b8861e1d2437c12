"""The store: imports land whole, newer imports win, reads give the Stand actually used."""

from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa

from lagebild.store import ImportMeta, Store


def frame(rows):
    return pd.DataFrame(
        [
            {"measure": m, "region": r, "date": d, "grp": "insgesamt", "value": v, "status": None, "source": "Test"}
            for m, r, d, v in rows
        ]
    )


def meta(name="datei.csv", measure="counsellors_fte"):
    return ImportMeta(name, "0" * 64, measure, "Test")


def test_a_new_store_is_empty(store):
    assert store.is_empty()
    assert store.observations().empty


def test_value_as_of_returns_the_latest_stand_on_or_before_the_date(store):
    store.write_import(frame([("counsellors_fte", "08115", date(2024, 6, 30), 30.0),
                              ("counsellors_fte", "08115", date(2024, 12, 31), 35.0)]), meta())  # fmt: skip
    got = store.value_as_of("counsellors_fte", "08115", date(2024, 11, 15))
    assert got is not None and got.value == 30.0 and got.stand == date(2024, 6, 30)
    assert store.value_as_of("counsellors_fte", "08115", date(2025, 1, 1)).value == 35.0


def test_value_as_of_before_any_stand_is_none_not_zero(store):
    store.write_import(frame([("counsellors_fte", "08115", date(2024, 6, 30), 30.0)]), meta())
    assert store.value_as_of("counsellors_fte", "08115", date(2023, 1, 1)) is None


def test_a_newer_import_of_the_same_cell_wins(store):
    store.write_import(frame([("counsellors_fte", "08115", date(2024, 6, 30), 30.0)]), meta("alt.csv"))
    second = store.write_import(frame([("counsellors_fte", "08115", date(2024, 6, 30), 31.5)]), meta("neu.csv"))
    obs = store.observations()
    assert len(obs) == 1 and obs.loc[0, "value"] == 31.5 and obs.loc[0, "import_id"] == second
    assert store.value_as_of("counsellors_fte", "08115", date(2024, 6, 30)).import_id == second


def test_unavailable_values_are_stored_as_null_with_their_code(store):
    rows = frame([("refugees_in_care", "08115", date(2024, 6, 30), None)])
    rows["status"] = "."
    store.write_import(rows, meta(measure="refugees_in_care"))
    got = store.value_as_of("refugees_in_care", "08115", date(2024, 6, 30))
    assert got.value is None and got.status == "."


def test_the_import_log_records_file_hash_rows_and_measure(store):
    store.write_import(frame([("counsellors_fte", "08115", date(2024, 6, 30), 30.0)]), meta())
    hist = store.history()
    assert list(hist[["file_name", "row_count", "measure"]].iloc[0]) == ["datei.csv", 1, "counsellors_fte"]
    assert hist.loc[0, "stand_from"] == date(2024, 6, 30)


def test_a_failing_import_writes_nothing_at_all(store):
    bad = frame([("counsellors_fte", "08115", date(2024, 6, 30), 30.0)])
    bad["region"] = [None]  # violates NOT NULL inside the transaction, after the log row was inserted
    with pytest.raises(sa.exc.IntegrityError):
        store.write_import(bad, meta())
    assert store.is_empty()
    assert store.observations().empty


def test_revision_changes_with_every_import(store):
    before = store.revision()
    store.write_import(frame([("counsellors_fte", "08115", date(2024, 6, 30), 30.0)]), meta())
    assert store.revision() != before


def test_the_store_honours_database_url(monkeypatch, tmp_path):
    path = tmp_path / "aus_umgebung.sqlite"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    Store()
    assert path.exists()

"""Issue 17: every hostile or odd file of tests/support/corpus.py through the intake the Daten page and the CLI share.

Each file is either read with plausible values only or refused with a German message naming what is wrong and where;
nothing raises, the store stays byte for byte the same, and the files the cheap checks can judge are refused by them,
before the file is parsed (no test here measures time: tests/bench/bench_corpus.py prints seconds and memory).
"""

from __future__ import annotations

import hashlib
import math
import re
from datetime import date
from pathlib import Path

import pytest

from lagebild import demo
from lagebild.cli import main
from lagebild.domain import measures as ms
from lagebild.domain.regions import regions
from lagebild.intake import importer, review
from lagebild.store import Store
from tests.support.corpus import CASES, FOLDER, Case, by_name

# The demo data end before this day, so a file's 31.12.2024 is the newest Stand and no stored headcount gets in the way.
DEMO_TODAY = date(2024, 6, 15)
# What Python says when something escapes: none of it may reach a user.
ENGLISH = re.compile(r"Traceback|Error\b|Exception\b|BadZipFile|ParseError|UnicodeDecode|codec|invalid literal")
IDS = [c.file_name for c in CASES]


@pytest.fixture
def filled_store(tmp_path: Path) -> tuple[Store, Path]:
    path = tmp_path / "lagebild.sqlite"
    store = Store(f"sqlite:///{path}")
    demo.seed(store, DEMO_TODAY)
    return store, path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_plausible(rows) -> None:
    """What lands in the store: finite, in its measure's range, at its precision."""
    for r in rows.itertuples():
        if r.value is None or (isinstance(r.value, float) and math.isnan(r.value) and r.status):
            continue
        assert math.isfinite(r.value), r
        assert importer.implausible(r.value, ms.measure(r.measure)) is None, r


def test_the_corpus_files_on_disk_are_the_ones_the_script_writes():
    # Files only this script writes, so a fixture can be regenerated (python -m tests.corpus) and nothing is stale.
    small = {c.file_name for c in CASES if not c.large}
    assert small == {p.name for p in FOLDER.iterdir()}


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_every_file_is_read_plausibly_or_refused_in_german_by_the_pages_check(filled_store, case: Case):
    store, path = filled_store
    data = case.data()
    before = digest(path)
    info = review.inspect(data, case.file_name)
    measure = None if info.measure_is_named else case.measure_key
    result = review.check(store, data, case.file_name, measure=measure, existing=store.observations(), regs=regions())
    parsed = result.parsed
    report = result.report

    assert parsed.ok is case.read, report
    assert case.says in report, report
    assert not ENGLISH.search(report), report
    assert "\x1b" not in report
    if case.read:
        assert len(parsed.rows) > 0
        assert_plausible(parsed.rows)
    else:
        # Every problem names its file in the report, and no report runs to thousands of lines.
        assert f"{case.file_name}: " in report
        assert report.count(f"  {case.file_name}: ") <= importer.MAX_LISTED
        assert info.refused is case.early
    if case.early:
        assert importer.screen(data, case.file_name).problem is not None
    assert digest(path) == before


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_cli_refuses_the_same_files_with_exit_1_and_an_unchanged_store(
    filled_store, case: Case, tmp_path, monkeypatch, capsys
):
    store, db = filled_store
    store.engine.dispose()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    file = tmp_path / case.file_name
    file.write_bytes(case.data())
    before = digest(db)
    args = ["import", str(file), *(["--measure", case.measure_key] if case.measure_key else []), "--dry-run"]

    code = main(args)

    out, err = capsys.readouterr()
    assert code == (0 if case.read else 1), out + err
    assert not ENGLISH.search(out + err) and "\x1b" not in out + err
    if not case.read:
        assert "die Datei wurde nicht übernommen" in err and case.says in err
        assert len(err.splitlines()) <= importer.MAX_LISTED + 5
    assert digest(db) == before


def test_many_problems_list_the_first_fifty_and_count_the_rest(filled_store):
    store, _ = filled_store
    case = by_name("viele_probleme.csv")
    parsed = review.check(
        store, case.data(), case.file_name, measure=None, existing=store.observations(), regs=regions()
    ).parsed
    assert len(parsed.problems) == 39_000
    assert "… und 38.950 weitere Probleme; aufgeführt sind die ersten 50." in parsed.report()


def test_escape_sequences_of_a_cell_are_written_out_not_sent_to_the_terminal(
    filled_store, tmp_path, monkeypatch, capsys
):
    _, db = filled_store
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    main(["import", str(FOLDER / "escape_sequenz.csv")])
    err = capsys.readouterr().err
    assert "\x1b" not in err and "Wert „61,5\\x1b[2J\\x1b[31m“: keine Zahl" in err


def test_a_utf16_unicode_text_export_of_excel_is_read_with_its_decimal_comma(filled_store):
    store, _ = filled_store
    case = by_name("unicode_text.txt")
    parsed = review.check(
        store, case.data(), case.file_name, measure=None, existing=store.observations(), regs=regions()
    ).parsed
    assert parsed.encoding == "UTF-16" and parsed.separator == "\t"
    assert parsed.rows.loc[0, "value"] == 61.5 and parsed.rows.loc[0, "region"] == "08111"


def test_classic_mac_line_ends_and_a_lone_cr_in_a_cell_keep_every_row_and_the_text(filled_store):
    store, _ = filled_store
    for name, sources in (
        ("mac_nur_cr.csv", ["Meldung", "Meldung"]),
        ("cr_in_zelle.csv", ["Meldung Landratsamt", "Meldung LRA"]),
    ):
        case = by_name(name)
        parsed = review.check(
            store, case.data(), name, measure=None, existing=store.observations(), regs=regions()
        ).parsed
        assert list(parsed.rows["region"]) == ["08111", "08115"] and list(parsed.rows["source"]) == sources


def test_a_source_given_for_the_whole_file_longer_than_the_store_holds_is_refused_before_writing(filled_store):
    store, _ = filled_store
    case = by_name("mac_nur_cr.csv")
    parsed = review.check(
        store,
        case.data(),
        case.file_name,
        measure=None,
        existing=store.observations(),
        regs=regions(),
        source="Meldung " * 70,
    ).parsed
    assert not parsed.ok and "Die Quellenangabe hat 560 Zeichen; erlaubt sind höchstens 500." in parsed.report()


WORST_ON_POSTGRES = ["quelle_600.csv", "escape_sequenz.csv", "vzae_inf.csv", "ffcsv_stag.csv", "zelle_140kib.csv"]


@pytest.mark.parametrize("name", WORST_ON_POSTGRES)
def test_on_postgresql_the_cli_refuses_them_too_and_writes_nothing(postgres_url, monkeypatch, capsys, name):
    store = Store(postgres_url)
    demo.seed(store, DEMO_TODAY)
    before = (store.history().to_dict("records"), len(store.observations()))
    store.engine.dispose()
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    case = by_name(name)

    code = main(["import", str(FOLDER / name), *(["--measure", case.measure_key] if case.measure_key else [])])

    assert code == 1 and case.says in capsys.readouterr().err
    after = Store(postgres_url)
    assert (after.history().to_dict("records"), len(after.observations())) == before
    after.engine.dispose()

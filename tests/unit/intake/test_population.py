"""GENESIS table 12411 (Bevölkerungsstand der Kreise) as table CSV and flat file: read into the measure „Einwohner“."""

from datetime import date

import pandas as pd
import pytest

from lagebild.domain import measures as ms
from lagebild.intake import genesis, review
from lagebild.intake.importer import detect_format, read_import
from tests.conftest import FIXTURES

TODAY = date(2026, 11, 27)
EMPTY = pd.DataFrame(columns=["measure", "region", "date", "grp", "value"])
TABLE = "genesis_12411_bevoelkerung_kreise.csv"
FLAT = "ffcsv_12411_bevoelkerung_kreise.csv"
STICHTAG = date(2024, 12, 31)


def table_text() -> str:
    return (FIXTURES / TABLE).read_bytes().decode("cp1252")


def read_bytes(data: bytes, name: str, regs, column: int | None = 1):
    return read_import(data, name, measure="population", regs=regs, existing=EMPTY, today=TODAY, column=column)


def read(name: str, regs, column: int | None = 1):
    return read_bytes((FIXTURES / name).read_bytes(), name, regs, column)


def test_both_fixtures_are_recognised_by_their_content_in_their_real_encodings():
    assert detect_format((FIXTURES / TABLE).read_bytes(), TABLE) == "genesis-table"
    assert detect_format((FIXTURES / FLAT).read_bytes(), FLAT) == "genesis-flat"
    assert table_text().startswith("GENESIS-Tabelle: 12411-01-01-4")
    with pytest.raises(UnicodeDecodeError):
        (FIXTURES / TABLE).read_bytes().decode("utf-8")


@pytest.mark.parametrize("name", [TABLE, FLAT])
def test_the_page_suggests_the_measure_einwohner_and_says_which_column_to_take(name):
    info = review.inspect((FIXTURES / name).read_bytes(), name)
    assert info.suggested_measure == "population"
    assert len(info.series) == 3 and "Insgesamt" in info.series[0]
    assert info.note and "Insgesamt" in info.note and not info.needs_stichtag


def test_every_measure_the_page_offers_has_its_help_text():
    assert set(review.MEASURE_HELP) == set(ms.MEASURES)


def test_the_table_csv_yields_the_44_kreise_at_the_stichtag_of_its_column_heading(regs):
    parsed = read(TABLE, regs)
    assert parsed.ok, parsed.report()
    rows = parsed.rows.set_index("region")
    assert len(rows) == 44 and set(rows.index) == set(regs.kreis_keys)
    assert set(rows["measure"]) == {"population"} and set(rows["date"]) == {STICHTAG}
    assert rows.loc["08111", "value"] == 613_881 and rows.loc["08115", "value"] == 400_648
    assert 11_000_000 < rows["value"].sum() < 11_500_000
    source = rows.loc["08111", "source"]
    assert "Tabelle 12411-01-01-4" in source and "Stand 24.06.2025" in source and "Namensnennung" in source


def test_the_flat_file_gives_the_same_figures_as_the_table(regs):
    flat = read(FLAT, regs)
    assert flat.ok, flat.report()
    table = read(TABLE, regs).rows.set_index("region")["value"]
    assert flat.rows.set_index("region")["value"].sort_index().equals(table.sort_index())
    assert set(flat.rows["date"]) == {STICHTAG}


def test_the_land_the_regierungsbezirke_and_other_laender_are_not_taken_as_kreise(regs):
    parsed = read(TABLE, regs)
    assert "Zeilen außerhalb Baden-Württembergs ignoriert: 1 × Deutschland, 3 × Land, 4 × Kreis" in parsed.notes
    summed = next(n for n in parsed.notes if n.startswith("Summenzeilen"))
    assert "082 Regierungsbezirk Karlsruhe" in summed and "08 Baden-Württemberg" in summed


@pytest.mark.parametrize("name", [TABLE, FLAT])
def test_a_secret_or_blocked_cell_stays_unknown_and_never_becomes_zero(regs, name):
    men = read(name, regs, column=2).rows.set_index("region")
    assert pd.isna(men.loc["08211", "value"]) and men.loc["08211", "status"] == "."
    assert pd.isna(men.loc["08126", "value"]) and men.loc["08126", "status"] == "x"


def test_without_a_chosen_column_the_three_columns_are_offered_in_german(regs):
    parsed = read(TABLE, regs, column=None)
    assert not parsed.ok and parsed.rows.empty
    assert "Die Datei hat 3 Wertespalten; bitte eine wählen" in parsed.report()
    assert "1: 31.12.2024 / Insgesamt; 2: 31.12.2024 / männlich; 3: 31.12.2024 / weiblich" in parsed.report()


def line_of(text: str, key: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if line.startswith(f"{key};"))


def replace_total(text: str, key: str, value: str) -> str:
    lines = text.splitlines()
    n = line_of(text, key) - 1
    cells = lines[n].split(";")
    cells[2] = value
    lines[n] = ";".join(cells)
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize(
    "key,value,message",
    [
        ("08115", "vierhunderttausend", "keine Zahl"),  # a word where a count belongs
        ("08111", "6138810", "unplausibel groß: höchstens 2.000.000 Einw."),  # a digit too many
        ("08221", "-160355", "negativer Wert"),
        ("08311", "231.195,5", "Einwohner sind ganze Zahlen"),
    ],
)
def test_a_bad_value_is_refused_with_its_line_column_and_value_and_nothing_is_taken(regs, key, value, message):
    text = replace_total(table_text(), key, value)
    parsed = read_bytes(text.encode("cp1252"), TABLE, regs)
    assert not parsed.ok  # a file with a problem is never accepted (the store test proves nothing is written)
    report = parsed.report()
    assert f"Zeile {line_of(text, key)}, Spalte „31.12.2024 / Insgesamt“, Wert „{value}“" in report
    assert message in report


def test_an_unknown_kreis_key_in_the_flat_file_is_refused_with_its_line(regs):
    lines = (FIXTURES / FLAT).read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if ";08436;" in line)
    lines[n] = lines[n].replace(";08436;", ";08499;")
    parsed = read_bytes(("\n".join(lines) + "\n").encode("utf-8"), FLAT, regs)
    assert not parsed.ok
    assert f"Zeile {n + 1}, Spalte „Regionalschlüssel“, Wert „08499“" in parsed.report()
    assert "kein bekannter Kreisschlüssel" in parsed.report()


def test_a_table_cut_off_before_its_data_is_refused_in_german(regs):
    text = table_text()
    head = "\r\n".join(text.splitlines()[:8] + text.splitlines()[text.splitlines().index("__________") :])
    parsed = read_bytes(head.encode("cp1252"), TABLE, regs)
    assert not parsed.ok and "keine Datenzeile gefunden" in parsed.report()


def test_the_table_code_and_title_are_read_from_the_header_block():
    table = genesis.read_table(table_text())
    assert table.code == "12411-01-01-4" and table.title == "Bevölkerungsstand: Bevölkerung nach Geschlecht"
    assert table.series_dates == [STICHTAG] * 3 and table.stand == "24.06.2025 / 10:41:12"

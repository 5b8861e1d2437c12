"""GENESIS table CSV and flat file (ffcsv) of the real shape, read through the same validation as every import."""

from datetime import date

import pandas as pd
import pytest

from lagebild.intake import genesis
from lagebild.intake.importer import detect_format, read_import
from tests.conftest import FIXTURES

TODAY = date(2026, 11, 27)
EMPTY = pd.DataFrame(columns=["measure", "region", "date", "grp", "value"])
TABLE = "genesis_12531_schutzsuchende_kreise.csv"
FLAT = "ffcsv_12531_schutzsuchende_kreise.csv"
SCHOOLS = "genesis_21111_schulen_auszug.csv"
GEMEINDEN = "genesis_12531_gemeinden_boeblingen.csv"


def read(name, regs, measure="refugees_in_care", existing=EMPTY, **kw):
    data = (FIXTURES / name).read_bytes()
    return read_import(data, name, measure=measure, regs=regs, existing=existing, today=TODAY, **kw)


@pytest.mark.parametrize(
    "name,kind",
    [
        (TABLE, "genesis-table"),
        (SCHOOLS, "genesis-table"),
        (FLAT, "genesis-flat"),
        ("abgelehnt_ffcsv_zensus_ohne_bw.csv", "genesis-flat"),
        ("betreuung_utf8_bom.csv", "csv"),
        ("zugaenge_vorlage.xlsx", "xlsx"),
    ],
)
def test_the_format_is_detected_from_the_content(name, kind):
    assert detect_format((FIXTURES / name).read_bytes(), name) == kind


def test_the_fixtures_have_the_real_encodings():
    assert (FIXTURES / TABLE).read_bytes().decode("cp1252").startswith("GENESIS-Tabelle: 12531")
    with pytest.raises(UnicodeDecodeError):
        (FIXTURES / TABLE).read_bytes().decode("utf-8")
    assert (FIXTURES / FLAT).read_bytes().decode("utf-8").startswith("statistics_code;")


def test_a_table_csv_in_windows_1252_yields_the_44_kreise_of_the_chosen_column(regs):
    parsed = read(TABLE, regs, column=1)
    assert parsed.ok, parsed.report()
    assert parsed.file_format == genesis.TABLE_FORMAT and parsed.encoding == "Windows-1252"
    rows = parsed.rows.set_index("region")
    assert len(rows) == 44 and set(rows.index) == set(regs.kreis_keys)
    assert rows.loc["08111", "value"] == 24165 and rows.loc["08115", "value"] == 13060
    assert set(rows["date"]) == {date(2023, 12, 31)}


def test_the_stichtag_is_read_from_the_column_heading(regs):
    assert read(TABLE, regs, column=2).file_stichtag == date(2023, 12, 31)


def test_the_stichtag_is_read_from_a_header_row(regs):
    parsed = read(GEMEINDEN, regs)
    assert parsed.ok, parsed.report()
    assert set(parsed.rows["date"]) == {date(2023, 12, 31)}


@pytest.mark.parametrize(
    "rows,expected",
    [
        (["- Stichtag 31.12. -", "2015"], date(2015, 12, 31)),  # day and month in one row, the year alone in another
        (["Stichtag: 30.06.2024"], date(2024, 6, 30)),
        (["- Stichtag: Schuljahresbeginn -", "2015"], None),  # no day: the user must say which
    ],
)
def test_a_stichtag_is_assembled_from_the_header_block_where_it_is_split(rows, expected):
    assert genesis._stichtag_from_text(rows) == expected


def test_several_value_columns_are_offered_and_one_must_be_chosen(regs):
    parsed = read(TABLE, regs)
    assert not parsed.ok and parsed.rows.empty
    assert parsed.series == ["31.12.2023 / Insgesamt", "31.12.2023 / männlich", "31.12.2023 / weiblich"]
    assert "Die Datei hat 3 Wertespalten; bitte eine wählen" in parsed.report()
    assert "2: 31.12.2023 / männlich" in parsed.report()


def test_a_column_that_does_not_exist_is_refused_with_the_choices(regs):
    assert (
        "Wertespalte 7 gibt es nicht; vorhanden sind: 1: 31.12.2023 / Insgesamt" in read(TABLE, regs, column=7).report()
    )


def test_missing_value_codes_are_kept_apart_from_zero(regs):
    total = read(TABLE, regs, column=1).rows.set_index("region")
    assert pd.isna(total.loc["08425", "value"]) and total.loc["08425", "status"] == "."
    women = read(TABLE, regs, column=3).rows.set_index("region")
    assert women.loc["08211", "value"] == 0 and women.loc["08211", "status"] == "-"
    assert women.loc["08126", "status"] == "/" and pd.isna(women.loc["08126", "value"])
    men = read(TABLE, regs, column=2).rows.set_index("region")
    assert men.loc["08337", "status"] == "..." and men.loc["08425", "status"] == "x"


def test_rows_outside_bw_are_ignored_with_a_note_of_what(regs):
    parsed = read(TABLE, regs, column=1)
    assert "Zeilen außerhalb Baden-Württembergs ignoriert: 1 × Deutschland, 2 × Land, 4 × Kreis" in parsed.notes
    assert not any(r.startswith("09") or r.startswith("01") for r in parsed.rows["region"])


def test_land_and_regierungsbezirk_rows_are_ignored_whatever_their_spelling(regs):
    parsed = read(TABLE, regs, column=1)
    note = next(n for n in parsed.notes if n.startswith("Summenzeilen"))
    assert "082 Regierungsbezirk Karlsruhe" in note and "08 Baden-Württemberg" in note


def test_the_footer_with_quoted_multi_line_notes_is_not_data(regs):
    text = (FIXTURES / TABLE).read_bytes().decode("cp1252")
    table = genesis.read_table(text)
    assert table.stand == "05.07.2024 / 14:22:31" and table.code == "12531-01-01-4"
    assert all(genesis.KEY.match(r.key) for r in table.rows)
    assert "Stand 05.07.2024 / 14:22:31" in read(TABLE, regs, column=1).rows["source"].iloc[0]


def test_names_are_read_without_their_indentation():
    table = genesis.read_table((FIXTURES / TABLE).read_bytes().decode("cp1252"))
    heilbronn = next(r for r in table.rows if r.key == "08121")
    assert heilbronn.name == "Heilbronn, , Universitätsstadt, Stadtkreis"


def test_gemeinde_rows_are_taken_with_their_kreis_and_gemeindeverbaende_are_ignored(regs):
    parsed = read(GEMEINDEN, regs)
    values = parsed.rows.set_index("region")["value"].to_dict()
    assert values == {"08115": 13060, "08115001": 185, "08115002": 40, "08115003": 1630, "08115004": 95, "08115010": 60}
    assert "1 Zeile(n) mit Gemeindeverbänden (9 Stellen) ignoriert" in parsed.notes


def test_a_further_label_column_makes_each_combination_a_series_with_real_figures(regs):
    parsed = read(SCHOOLS, regs, column=10, stichtag=date(2015, 9, 1))
    assert parsed.ok, parsed.report()
    assert (
        parsed.series[9]
        == "Schüler(innen) an allgemein bildenden Schulen / Nationalität / Ausländer(innen) / Anzahl · Insgesamt"
    )
    assert parsed.rows.set_index("region")["value"].to_dict() == {"08111": 11801, "08211": 632, "08437": 847}


def test_a_table_without_a_full_stichtag_asks_for_one(regs):
    parsed = read(SCHOOLS, regs, column=10)
    assert "Die Datei nennt keinen Stichtag" in parsed.report() and "--stichtag" in parsed.report()


def test_a_flat_file_yields_the_kreise_of_the_chosen_series(regs):
    parsed = read(FLAT, regs, column=1)
    assert parsed.ok, parsed.report()
    assert parsed.file_format == genesis.FLAT_FORMAT and parsed.encoding == "UTF-8"
    assert parsed.series[0] == "Schutzsuchende (Anzahl) · Geschlecht: Insgesamt"
    rows = parsed.rows.set_index("region")
    assert len(rows) == 44 and rows.loc["08111", "value"] == 24165
    assert set(rows["date"]) == {date(2023, 12, 31)}


def test_a_flat_file_and_the_table_of_the_same_figures_agree(regs):
    table = read(TABLE, regs, column=1).rows.set_index("region")[["value", "status"]]
    flat = read(FLAT, regs, column=1).rows.set_index("region")[["value", "status"]]
    pd.testing.assert_frame_equal(table.sort_index(), flat.sort_index())


def test_quality_codes_of_a_flat_file_are_reported(regs):
    parsed = read(FLAT, regs, column=1)
    assert "Qualitätskennzeichen: 121 × e (endgültig), 6 × p (vorläufig)" in parsed.notes


def test_a_missing_value_sign_in_the_quality_column_is_read_as_the_code(regs):
    rows = read(FLAT, regs, column=2).rows.set_index("region")
    assert rows.loc["08337", "status"] == "..." and pd.isna(rows.loc["08337", "value"])


def test_the_zensus_flat_file_finds_its_geo_variable_and_has_nothing_for_bw(regs):
    parsed = read("abgelehnt_ffcsv_zensus_ohne_bw.csv", regs)
    assert "keine Zeile für Baden-Württemberg" in parsed.report()
    assert "Zeilen außerhalb Baden-Württembergs ignoriert: 2 × Land" in parsed.notes


def test_a_flat_file_of_years_takes_the_stichtag_given(regs):
    assert "Die Datei nennt keinen Stichtag" in read("abgelehnt_ffcsv_nur_jahr.csv", regs).report()
    parsed = read("abgelehnt_ffcsv_nur_jahr.csv", regs, stichtag=date(2023, 12, 31))
    assert parsed.ok and parsed.rows.loc[0, "date"] == date(2023, 12, 31)


@pytest.mark.parametrize(
    "name,expected",
    [
        (
            "abgelehnt_genesis_fehlerhaft.csv",
            "Zeile 10, Spalte „Regionalschlüssel“, Wert „08999“: „08999“ ist kein bekannter Kreisschlüssel",
        ),
        ("abgelehnt_genesis_fehlerhaft.csv", "Zeile 11, Spalte „31.12.2023 / Insgesamt“, Wert „ca. 9000“: keine Zahl"),
        ("abgelehnt_genesis_ohne_daten.csv", "keine Datenzeile gefunden"),
        ("abgelehnt_genesis_ohne_bw.csv", "Die Datei enthält keine Zeile für Baden-Württemberg"),
        ("abgelehnt_ffcsv_ohne_region.csv", "Zeile 1: keine regionale Variable gefunden"),
    ],
)
def test_each_malformed_official_file_is_refused_naming_the_line_of_the_file(regs, name, expected):
    parsed = read(name, regs)
    assert not parsed.ok
    assert expected in parsed.report()


def test_persons_of_an_official_table_read_as_vzae_are_refused_at_the_files_line_and_column(regs):
    existing = pd.DataFrame(
        [
            {
                "measure": "counsellors_headcount",
                "region": "08111",
                "date": date(2023, 12, 31),
                "grp": "insgesamt",
                "value": 30.0,
            }
        ]
    )
    parsed = read(TABLE, regs, measure="counsellors_fte", existing=existing, column=1)
    assert "Zeile 15, Spalte „31.12.2023 / Insgesamt“, Wert „24165“: unplausibel groß" in parsed.report()


def test_table_12531_suggests_refugees_in_care(regs):
    assert read(TABLE, regs).suggested_measure == "refugees_in_care"
    assert read(FLAT, regs).suggested_measure == "refugees_in_care"
    assert read(SCHOOLS, regs).suggested_measure is None

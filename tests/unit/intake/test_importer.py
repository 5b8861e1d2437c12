"""Reading real-shaped files: encodings, separators, number formats, and every reason to reject."""

from datetime import date

import pandas as pd
import pytest

from lagebild.intake import templates
from lagebild.intake.importer import decimal_comma, parse_number, read_import
from tests.conftest import FIXTURES

TODAY = date(2026, 11, 27)
EMPTY = pd.DataFrame(columns=["measure", "region", "date", "grp", "value"])


def read(name, measure, regs, existing=EMPTY, **kw):
    data = (FIXTURES / name).read_bytes()
    return read_import(data, name, measure=measure, regs=regs, existing=existing, today=TODAY, **kw)


def test_windows_1252_with_decimal_commas_is_read_with_umlauts_and_fractions(regs):
    parsed = read("vzae_windows1252_dezimalkomma.csv", "counsellors_fte", regs)
    assert parsed.ok, parsed.report()
    assert parsed.encoding == "Windows-1252" and parsed.separator == ";"
    values = parsed.rows.set_index("region")["value"].to_dict()
    assert values == {"08115": 36.5, "08116": 47.25, "08111": 39.0, "08436": 18.75}
    assert parsed.rows.set_index("region").loc["08115", "source"] == "Meldung Landratsamt Böblingen"


def test_a_row_without_source_gets_the_file_as_source(regs):
    parsed = read("vzae_windows1252_dezimalkomma.csv", "counsellors_fte", regs)
    assert (
        parsed.rows.set_index("region").loc["08436", "source"] == "Eigene Meldung (vzae_windows1252_dezimalkomma.csv)"
    )


def test_utf8_bom_with_comma_separator_and_thousands_grouping(regs):
    parsed = read("betreuung_utf8_bom.csv", "refugees_in_care", regs)
    assert parsed.ok, parsed.report()
    assert parsed.encoding == "UTF-8 mit BOM" and parsed.separator == ","
    rows = parsed.rows.set_index("region")
    assert rows.loc["08115", "value"] == 5120 and rows.loc["08111", "value"] == 6610


def test_unavailable_code_is_kept_apart_from_zero(regs):
    rows = read("betreuung_utf8_bom.csv", "refugees_in_care", regs).rows.set_index("region")
    assert pd.isna(rows.loc["08436", "value"]) and rows.loc["08436", "status"] == "."
    zero = read("zugaenge_tausenderpunkte.csv", "arrivals", regs).rows
    freiburg = zero[(zero["region"] == "08311") & (zero["grp"] == "ukraine")].iloc[0]
    assert freiburg["value"] == 0 and freiburg["status"] == "-"


def test_land_and_rb_total_rows_are_ignored_with_a_note(regs):
    parsed = read("betreuung_utf8_bom.csv", "refugees_in_care", regs)
    assert "08" not in set(parsed.rows["region"])
    assert any("Baden-Württemberg" in n for n in parsed.notes)


def test_thousands_dots_and_months_for_arrivals(regs):
    parsed = read("zugaenge_tausenderpunkte.csv", "arrivals", regs)
    assert parsed.ok, parsed.report()
    row = parsed.rows[(parsed.rows["region"] == "08111") & (parsed.rows["grp"] == "ukraine")].iloc[0]
    assert row["value"] == 1234 and row["date"] == date(2022, 3, 1)


def test_an_xlsx_filled_in_from_the_template_is_read(regs):
    parsed = read("zugaenge_vorlage.xlsx", "arrivals", regs)
    assert parsed.ok, parsed.report()
    assert parsed.file_format == "XLSX"
    assert len(parsed.rows) == 5
    assert parsed.rows.set_index(["region", "grp"]).loc[("08421", "ukraine"), "value"] == 17


def test_the_unchanged_template_is_refused_for_its_example_row(regs):
    parsed = read("vorlage_unveraendert.xlsx", "counsellors_fte", regs)
    assert not parsed.ok
    assert "Beispielzeile" in str(parsed.problems[0]) and "Zeile 2" in str(parsed.problems[0])


@pytest.mark.parametrize(
    "name,expected",
    [
        ("abgelehnt_leer.csv", "Die Datei ist leer"),
        ("abgelehnt_spalte_fehlt.csv", "Zeile 1, Spalte „Wert“: Pflichtspalte fehlt"),
        ("abgelehnt_unbekannte_spalte.csv", "Spalte „Bemerkung“: unbekannte Spalte"),
        (
            "abgelehnt_unbekannter_schluessel.csv",
            "Zeile 2, Spalte „Regionalschlüssel“, Wert „08999“: „08999“ ist kein bekannter Kreisschlüssel",
        ),
        ("abgelehnt_ausserhalb_bw.csv", "„09162“ liegt nicht in Baden-Württemberg"),
        ("abgelehnt_doppelt.csv", "Zeile 3, Spalte „Regionalschlüssel“, Wert „08115“: doppelte Zeile"),
        ("abgelehnt_negativ.csv", "Zeile 2, Spalte „Wert“, Wert „-3,5“: negativer Wert"),
        ("abgelehnt_keine_zahl.csv", "Wert „etwa 30“: keine Zahl"),
        ("abgelehnt_zukunft.csv", "Wert „31.12.2099“: Datum liegt in der Zukunft"),
        ("abgelehnt_vor_2015.csv", "Datum liegt vor 2015"),
        ("abgelehnt_mojibake.csv", "falsch kodiert"),
    ],
)
def test_each_kind_of_bad_file_is_refused_with_a_german_message_naming_where(regs, name, expected):
    parsed = read(name, "counsellors_fte", regs)
    assert not parsed.ok
    assert expected in parsed.report()
    assert parsed.report().count("Zeile") >= (1 if "Zeile" in expected else 0)


def test_all_problems_of_a_file_are_listed_at_once(regs):
    parsed = read("abgelehnt_mehrere_probleme.csv", "counsellors_fte", regs)
    assert len(parsed.problems) == 4
    assert {p.row for p in parsed.problems} == {3, 4}


def test_fte_above_stored_headcount_is_refused(regs):
    existing = pd.DataFrame(
        [
            {
                "measure": "counsellors_headcount",
                "region": "08115",
                "date": date(2024, 12, 31),
                "grp": "insgesamt",
                "value": 30.0,
            }
        ]
    )
    parsed = read("abgelehnt_vzae_ueber_personen.csv", "counsellors_fte", regs, existing=existing)
    assert not parsed.ok
    assert "VZÄ (40,00) über der Zahl der Personen (30)" in parsed.report()


def test_arrivals_need_a_group(regs):
    parsed = read("vzae_windows1252_dezimalkomma.csv", "arrivals", regs)
    assert "Spalte „Gruppe“: Pflichtspalte fehlt (oder --group angeben)" in parsed.report()


def test_a_stichtag_given_for_the_whole_file_fills_a_missing_column(regs):
    data = "Regionalschlüssel;Wert\n08115;36,5\n".encode()
    parsed = read_import(
        data,
        "ohne_datum.csv",
        measure="counsellors_fte",
        regs=regs,
        existing=EMPTY,
        stichtag=date(2024, 12, 31),
        today=TODAY,
    )
    assert parsed.ok and parsed.rows.loc[0, "date"] == date(2024, 12, 31)


@pytest.mark.parametrize(
    "cells,sep,comma",
    [
        (["36,5"], ";", True),
        (["36.5"], ",", False),
        (["1.234"], ";", True),  # a German file: the dot groups thousands
        (["5,120"], ",", False),  # an English file: the comma groups thousands
    ],
)
def test_decimal_convention_is_detected_per_file(cells, sep, comma):
    assert decimal_comma(cells, sep) is comma


@pytest.mark.parametrize(
    "cell,comma,value",
    [("1.234,5", True, 1234.5), ("1,234.5", False, 1234.5), ("1 234", True, 1234), ("12", True, 12), (7, False, 7)],
)
def test_numbers_parse_with_grouping_and_either_decimal_mark(cell, comma, value):
    assert parse_number(cell, comma) == value


def test_the_csv_template_has_german_headers_and_a_bom():
    data = templates.template_csv("arrivals")
    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig").splitlines()[0] == "Regionalschlüssel;Region;Stichtag;Gruppe;Zugänge;Quelle"


def test_the_xlsx_template_explains_every_column():
    from io import BytesIO

    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(templates.template_xlsx("counsellors_fte")))
    assert wb.sheetnames == ["Daten", "Erläuterungen"]
    explained = {row[0] for row in wb["Erläuterungen"].iter_rows(values_only=True)}
    header = templates.header("counsellors_fte")
    assert set(header) <= explained
    assert all(wb["Daten"].cell(row=1, column=i).comment for i in range(1, len(header) + 1))
    assert "counsellors_fte" not in str(list(wb["Erläuterungen"].values))


# Files made from the app's own templates and filled in: the value column's header names the measure.
@pytest.mark.parametrize(
    "name,measure",
    [
        ("vorlage_integrationsmanagement_vzae_ausgefuellt.csv", "counsellors_fte"),  # CSV, one measure
        ("vorlage_vzae_und_personen_ausgefuellt.xlsx", "counsellors_fte,counsellors_headcount"),  # XLSX, two measures
    ],
)
def test_a_file_from_the_template_is_read_as_its_measure_without_being_told(regs, name, measure):
    parsed = read(name, None, regs)
    assert parsed.ok, parsed.report()
    assert parsed.measure == measure
    assert set(parsed.rows["measure"]) == set(measure.split(","))


@pytest.mark.parametrize("key", list(templates.FILE_STEMS))
def test_every_template_names_its_measure_for_the_import(key):
    from lagebild.intake.importer import detect_measure

    for data, name in ((templates.template_csv(key), "v.csv"), (templates.template_xlsx(key), "v.xlsx")):
        assert detect_measure(data, name)[0] == key


def test_vzae_and_persons_in_one_file_become_one_set_of_rows_with_both_measures(regs):
    parsed = read("vorlage_vzae_und_personen_ausgefuellt.xlsx", None, regs)
    values = parsed.rows.set_index(["measure", "region"])["value"]
    assert values[("counsellors_fte", "08111")] == 52.25 and values[("counsellors_headcount", "08111")] == 61


def test_persons_in_the_same_file_replace_stored_ones_so_the_order_of_uploads_does_not_matter(regs):
    # Stored: 30 persons; the file raises them to 44 together with 36,5 VZÄ, which alone would be refused.
    existing = pd.DataFrame(
        [
            {
                "measure": "counsellors_headcount",
                "region": "08115",
                "date": date(2024, 12, 31),
                "grp": "insgesamt",
                "value": 30.0,
            }
        ]
    )
    assert not read("vorlage_integrationsmanagement_vzae_ausgefuellt.csv", None, regs, existing=existing).ok
    assert read("vorlage_vzae_und_personen_ausgefuellt.xlsx", None, regs, existing=existing).ok


def test_vzae_above_persons_says_how_to_fix_it(regs):
    existing = pd.DataFrame(
        [
            {
                "measure": "counsellors_headcount",
                "region": "08115",
                "date": date(2024, 12, 31),
                "grp": "insgesamt",
                "value": 30.0,
                "import_id": 7,
            }
        ]
    )
    report = read("abgelehnt_vzae_ueber_personen.csv", "counsellors_fte", regs, existing=existing).report()
    assert "Böblingen (08115)" in report and "Import Nr. 7" in report
    assert "So beheben:" in report and "VZÄ und Personen zusammen in einer Datei" in report


def test_vzae_above_persons_in_the_same_file_points_at_the_row_and_the_vzae_column(regs):
    parsed = read("abgelehnt_vzae_ueber_personen_in_einer_datei.csv", None, regs)
    assert len(parsed.problems) == 1
    problem = parsed.problems[0]
    assert (problem.row, problem.column) == (2, "Integrationsmanagement (VZÄ)")
    assert "So beheben: beide Werte prüfen" in str(problem)


def test_a_file_without_a_named_measure_and_none_chosen_asks_for_it(regs):
    parsed = read("vzae_windows1252_dezimalkomma.csv", None, regs)
    assert not parsed.ok and "Kennzahl der Datei ist nicht erkannt" in parsed.report()


def test_a_chosen_measure_that_contradicts_the_files_column_is_refused(regs):
    parsed = read("vorlage_integrationsmanagement_vzae_ausgefuellt.csv", "arrivals", regs)
    assert not parsed.ok and "gewählt ist aber „Zugänge“" in parsed.report()

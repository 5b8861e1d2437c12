"""Export files opened for real: presets and names, CSV and XLSX contents, the metadata of every table."""

from __future__ import annotations

import io
import re
from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook

from lagebild.export import files
from lagebild.present import fmt, overview
from lagebild.settings import DEMO_LABEL
from tests.support.exports import A4_LANDSCAPE_PT, STAND, View, csv_frame


def test_the_presets_have_the_pixel_sizes_the_press_office_asked_for():
    sizes = {key: preset.png_size for key, preset in files.PRESETS.items()}
    assert sizes == {"web": (1920, 1080), "social": (1080, 1080), "print": (3508, 2480)}


def test_the_print_preset_lays_out_on_an_a4_landscape_page():
    preset = files.PRESETS["print"]
    width_pt = preset.width * preset.vector_scale * 72 / 96
    height_pt = preset.height * preset.vector_scale * 72 / 96
    assert (width_pt, height_pt) == pytest.approx(A4_LANDSCAPE_PT, abs=0.5)


def test_a_file_name_is_ascii_and_names_view_part_stand_and_preset():
    name = files.file_name(
        files.file_stem("Kreisprofil Böblingen", STAND), "Zugänge je Monat", "png", files.PRESETS["social"]
    )
    assert name == "lagebild_kreisprofil_boeblingen_2026-09-30_zugaenge_je_monat_social.png"


def test_the_toolbar_camera_downloads_the_same_name_and_size_as_the_export():
    preset = files.PRESETS["web"]
    options = files.toolbar_config("lagebild_x_2026-09-30", "Rangfolge", preset)["toImageButtonOptions"]
    assert options["filename"] + ".png" == files.file_name("lagebild_x_2026-09-30", "Rangfolge", "png", preset)
    assert (options["width"] * options["scale"], options["height"] * options["scale"]) == preset.png_size


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://example.org")',  # a formula
        "+1+1",  # Excel reads a leading plus as a formula
        "-2+3",  # and a leading minus
        "@SUM(A1:A2)",  # Lotus-style function call
    ],
)
def test_text_that_a_spreadsheet_would_run_gets_a_leading_apostrophe(text):
    assert files.neutralise(text) == "'" + text


def test_numbers_and_plain_text_are_left_alone():
    assert files.neutralise(-3.5) == -3.5
    assert files.neutralise("Böblingen") == "Böblingen"


def test_the_csv_has_a_bom_semicolons_and_decimal_commas(view):
    data = files.table_csv(view.frame, view.meta, overview.RANKING_FORMATS)
    text = data.decode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    assert text.splitlines()[0].startswith("\ufeffAGS;Kreis;Status;Geflüchtete je VZÄ;")
    assert re.search(r";\d+,\d;", text)  # one decimal for VZÄ, with a comma


def test_the_csv_round_trips_with_umlauts(view):
    back = csv_frame(files.table_csv(view.frame, view.meta))
    assert list(back.columns[:-1]) == list(view.frame.columns)
    assert list(back["Kreis"]) == list(view.frame["Kreis"])
    assert "Böblingen" in set(back["Kreis"]) and "Tübingen" in set(back["Kreis"])
    assert back["Geflüchtete je VZÄ"].tolist() == pytest.approx(view.frame["Geflüchtete je VZÄ"].tolist(), nan_ok=True)


def test_demo_rows_are_labelled_in_the_table(view):
    back = csv_frame(files.table_csv(view.frame, view.meta))
    assert set(back["Datenart"]) == {DEMO_LABEL}


def test_a_name_starting_with_equals_is_neutralised_in_the_csv(view):
    frame = view.frame.head(2).assign(Kreis=["=1+1", "Ulm"])
    back = csv_frame(files.table_csv(frame, view.meta))
    assert list(back["Kreis"]) == ["'=1+1", "Ulm"]


def test_a_name_starting_with_equals_is_stored_as_text_in_the_xlsx(view):
    frame = view.frame.head(2).assign(Kreis=["=1+1", "Ulm"])
    sheet = load_workbook(io.BytesIO(files.table_xlsx(frame, view.meta, "Tabelle")))["Daten"]
    cell = sheet["B2"]
    assert cell.value == "'=1+1" and cell.data_type == "s"


def test_the_xlsx_has_the_data_with_german_headers_and_a_metadata_sheet(view):
    book = load_workbook(io.BytesIO(files.table_xlsx(view.frame, view.meta, "Tabelle", overview.RANKING_FORMATS)))
    assert book.sheetnames == ["Daten", "Metadaten"]
    headers = [c.value for c in book["Daten"][1]]
    assert headers[:5] == ["AGS", "Kreis", "Status", "Geflüchtete je VZÄ", "Bedarf (VZÄ)"]
    assert book["Daten"].max_row == len(view.frame) + 1
    assert book["Daten"]["E2"].number_format == "#,##0.0"


def metadata(view: View) -> dict[str, list]:
    book = load_workbook(io.BytesIO(files.table_xlsx(view.frame, view.meta, "Tabelle")))
    rows = [[c for c in row] for row in book["Metadaten"].iter_rows(values_only=True)]
    return {str(r[0]): r[1:] for r in rows if r[0]}


def test_the_metadata_sheet_defines_every_column_with_its_unit(view):
    meta = metadata(view)
    for column in [*view.frame.columns, "Datenart"]:
        definition, unit = meta[column][:2]
        assert definition not in (None, "–"), column
        assert unit, column


def test_the_metadata_sheet_names_filter_target_stand_and_source(view):
    meta = metadata(view)
    assert meta["Filter"][0].startswith("Baden-Württemberg; Stand 30.09.2026; Zugänge")
    assert "Zielwert 150 Geflüchtete je VZÄ" in meta["Annahmen"][0]
    assert meta["Stand"][0] == "30.09.2026"
    assert meta["Geflüchtete in Betreuung"][0].startswith("30.09.2026")
    assert "GeoNutzV" in meta["Verwaltungsgrenzen"][1]
    # The demo data carries no population: the rates use the reference of 2018, and the sheet says so.
    assert meta["Einwohner"][0] == "Einwohner 31.12.2018, Destatis GV-ISys, Referenzbestand (kein Import)"
    assert "CC BY 4.0 (Referenzbestand)" in meta["Einwohner"][1]


def test_the_stand_per_measure_names_the_oldest_value_when_kreise_differ():
    obs = pd.DataFrame(
        {
            "measure": ["counsellors_fte", "counsellors_fte"],
            "region": ["08111", "08115"],
            "date": [date(2026, 6, 30), date(2026, 9, 30)],
            "grp": ["insgesamt", "insgesamt"],
            "value": [1.0, 2.0],
            "source": ["x", "x"],
        }
    )
    stands = dict(files.measure_stands(obs, STAND, ["08111", "08115"]))
    assert stands["Integrationsmanagement (VZÄ)"] == "30.09.2026 (ältester einbezogener Wert: 30.06.2026)"
    assert stands["Zugänge"] == fmt.NO_DATA

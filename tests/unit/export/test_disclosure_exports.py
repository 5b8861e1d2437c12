"""Press-safe Gemeinde figures on screen and in the files: 'x', '–' and '.', the footnote, the rule in the metadata."""

from __future__ import annotations

import io
import json
import os
import zipfile
from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from lagebild import geometry
from lagebild.domain import disclosure
from lagebild.domain.regions import regions
from lagebild.export import figure_layout, files, images, press, profile_pdf
from lagebild.present import charts, palette
from lagebild.views import kreis as views
from tests.support.data import SMALL_KREIS, StaticData, demo_data_with_small_gemeinden, small_gemeinden

TODAY = date(2026, 11, 27)
APPLIED = disclosure.Rule(applied=True)
OFF = disclosure.Rule(applied=False)
FOOTNOTE = "x = Tabellenfach gesperrt (Geheimhaltung: weniger als 3 Personen"


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> StaticData:
    return demo_data_with_small_gemeinden(tmp_path_factory.mktemp("geheim"), TODAY)


@pytest.fixture(scope="module")
def view(data) -> views.KreisView:
    return views.build(data, geometry.layers(), SMALL_KREIS)


def gemeinde(position: int) -> str:
    return list(small_gemeinden())[position]


CLOSED, ZERO, PARTNER, TWELVE, THIRTEEN = (gemeinde(i) for i in range(5))
UNREPORTED = regions().gemeinden_of(SMALL_KREIS)[-1].key


def meta(data: StaticData, rule: disclosure.Rule) -> files.ExportMeta:
    return files.export_meta(
        view="Kreisprofil Freudenstadt",
        obs=data.obs,
        keys=[SMALL_KREIS],
        as_of=data.as_of,
        region_label="Freudenstadt",
        thresholds=data.thresholds,
        cost_per_fte=data.cost_per_fte,
        demo=True,
        source_line=charts.source_line(data.sources(), data.as_of, True),
        attribution=geometry.meta().attribution,
        rule=rule,
    )


def csv_rows(data: bytes) -> dict[str, str]:
    frame = pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", dtype=str)
    return dict(zip(frame["Gemeindeschlüssel"], frame["In Betreuung (Pers.)"], strict=True))


def metadata(book) -> dict[str, str]:  # noqa: ANN001 - an openpyxl workbook
    return {row[0]: row[1] for row in book["Metadaten"].iter_rows(values_only=True) if row and row[0]}


def test_the_gemeinde_card_shows_x_with_its_footnote_and_no_share_of_the_kreis(view):
    detail = view.gemeinde_detail(CLOSED)
    assert "Geflüchtete in Betreuung: x (Stand 30.09.2026)" in detail
    assert FOOTNOTE in detail
    assert "Anteil am Kreis" not in detail  # the share times the Kreis total would give the 2 back


def test_the_next_smallest_gemeinde_is_closed_too_so_the_kreis_total_minus_the_others_gives_nothing_away(view):
    assert "Geflüchtete in Betreuung: x" in view.gemeinde_detail(PARTNER)


def test_the_card_shows_zero_as_a_dash_a_count_rounded_to_five_and_no_report_as_no_data(view):
    assert "Geflüchtete in Betreuung: – (Stand" in view.gemeinde_detail(ZERO)
    assert "– = nichts vorhanden (genau null)" in view.gemeinde_detail(ZERO)
    assert "Geflüchtete in Betreuung: 10\u202fPersonen" in view.gemeinde_detail(TWELVE)
    assert "Geflüchtete in Betreuung: 15\u202fPersonen" in view.gemeinde_detail(THIRTEEN)
    assert "keine Gemeindezahlen" in view.gemeinde_detail(UNREPORTED)


def test_the_map_tooltip_says_x_with_the_footnote_and_the_small_count_is_nowhere_in_the_map(view):
    layer = next(c for c in view.gemeinde_map()._children.values() if getattr(c, "layer_name", "") == "Gemeinden")
    features = {f["properties"]["ags"]: f["properties"] for f in layer.data["features"]}
    closed = features[CLOSED]
    assert closed["f"][0] == ["Geflüchtete in Betreuung", "x"]
    assert closed["x"][0].startswith(FOOTNOTE)
    assert closed["fill"] == palette.SUPPRESSED
    assert features[ZERO]["f"][0][1] == "–"
    tooltips = json.dumps([p["f"] for p in features.values()], ensure_ascii=False)
    assert "2\u202fPersonen" not in tooltips and "7\u202fPersonen" not in tooltips


def test_the_map_legend_names_the_closed_gemeinden_and_starts_at_a_published_value(view):
    assert (palette.SUPPRESSED, "x: gesperrt (2 Gemeinden)") in view.gemeinde_legend
    assert view.gemeinde_legend[0][1].startswith("0 bis")


def test_the_screen_table_and_its_footnote_show_every_kind_of_cell(view):
    table = view.gemeinde_screen_table.set_index("Gemeindeschlüssel")["In Betreuung (Pers.)"]
    assert (table[CLOSED], table[PARTNER], table[ZERO], table[TWELVE], table[UNREPORTED]) == ("x", "x", "–", "10", ".")
    assert view.gemeinde_note.startswith("Zeichenerklärung: " + FOOTNOTE)
    assert ". = Zahlenwert unbekannt (nicht gemeldet)" in view.gemeinde_note


def test_a_kreis_with_fewer_than_three_counsellors_shows_no_staff_figure_beside_its_gemeinden(data):
    row = data.table().loc[SMALL_KREIS].copy()
    row["counsellors_headcount"], row["counsellors_fte"] = 2.0, 1.5
    assert "1,5" not in views.staff_note(row, "Landkreis", APPLIED)
    assert "(x)" in views.staff_note(row, "Landkreis", APPLIED)
    assert "1,5\u202fVZÄ" in views.staff_note(row, "Landkreis", OFF)


def test_the_press_safe_csv_has_x_dash_dot_and_rounded_counts(data, view):
    rows = csv_rows(files.table_csv(view.gemeinde_tables(APPLIED)["Gemeinden"], meta(data, APPLIED)))
    assert (rows[CLOSED], rows[PARTNER], rows[ZERO], rows[UNREPORTED]) == ("x", "x", "–", ".")
    assert (rows[TWELVE], rows[THIRTEEN]) == ("10", "15")


def test_the_csv_without_the_switch_keeps_the_exact_counts(data, view):
    rows = csv_rows(files.table_csv(view.gemeinde_tables(OFF)["Gemeinden"], meta(data, OFF)))
    assert (rows[CLOSED], rows[PARTNER], rows[TWELVE], rows[ZERO]) == ("2", "7", "12", "–")


def test_the_press_safe_xlsx_has_x_in_the_data_and_rule_threshold_rounding_and_signs_in_its_metadata(data, view):
    frame = view.gemeinde_tables(APPLIED)["Gemeinden"]
    book = load_workbook(io.BytesIO(files.table_xlsx(frame, meta(data, APPLIED), "Gemeinden")))
    cells = {row[0]: row[2] for row in book["Daten"].iter_rows(min_row=2, values_only=True)}
    assert (cells[CLOSED], cells[PARTNER], cells[ZERO], cells[TWELVE]) == ("x", "x", "–", 10)
    info = metadata(book)
    assert info["Geheimhaltung"].startswith("angewandt (presssicher)")
    assert "unter 3 Personen" in info["Geheimhaltung"] and "Vielfache von 5" in info["Geheimhaltung"]
    assert info["Zeichenerklärung"].startswith(FOOTNOTE)


def test_the_xlsx_without_the_switch_says_so_in_its_metadata(data, view):
    frame = view.gemeinde_tables(OFF)["Gemeinden"]
    book = load_workbook(io.BytesIO(files.table_xlsx(frame, meta(data, OFF), "Gemeinden")))
    assert metadata(book)["Geheimhaltung"].startswith("nicht angewandt")
    assert "Tabellenfach gesperrt" not in metadata(book)["Zeichenerklärung"]


def test_the_threshold_set_for_the_installation_is_the_one_the_metadata_names(data, view, monkeypatch):
    monkeypatch.setenv("LAGEBILD_GEHEIMHALTUNG_SCHWELLE", "10")
    rule = disclosure.rule()
    rows = csv_rows(files.table_csv(view.gemeinde_tables(rule)["Gemeinden"], meta(data, rule)))
    assert (rows[CLOSED], rows[PARTNER], rows[TWELVE]) == ("x", "x", "10")
    rows_of_sheet = files.metadata_rows([], meta(data, rule), "Gemeinden")
    assert "unter 10 Personen" in next(row[1] for row in rows_of_sheet if row[0] == "Geheimhaltung")


def test_the_press_packs_liesmich_names_rule_threshold_rounding_and_signs(data, view):
    items = [press.PressItem("Gemeinden", table=view.gemeinde_tables(APPLIED)["Gemeinden"])]
    pack = zipfile.ZipFile(io.BytesIO(press.press_pack(items, meta(data, APPLIED), files.PRESETS["web"])))
    readme = pack.read(press.README_NAME).decode("utf-8-sig")
    assert "Geheimhaltung: angewandt (presssicher). Gemeindezahlen über 0 und unter 3 Personen" in readme
    assert "auf Vielfache von 5 gerundet" in readme
    assert "Zeichenerklärung: " + FOOTNOTE in readme
    assert csv_rows(pack.read(files.file_name(meta(data, APPLIED).file_stem, "Gemeinden", "csv")))[CLOSED] == "x"


def test_the_static_gemeinde_map_draws_closed_gemeinden_grey_under_their_legend_entry(data, view):
    shape = geometry.layers().kreise.loc[[SMALL_KREIS]]
    fig = figure_layout.gemeinde_map_figure(
        view.gemeinde_map(), shape, view.gemeinde_legend, title="Gemeinden", subtitle=""
    )
    closed = next(t for t in fig.data if t.name.startswith("x: gesperrt"))
    assert set(closed.locations) == {CLOSED, PARTNER}
    assert closed.colorscale[0][1] == palette.SUPPRESSED


def test_the_exported_gemeinde_map_names_the_closed_gemeinden_and_without_the_switch_has_none(view):
    applied = view.gemeinde_figures(APPLIED)[views.GEMEINDE_MAP]()
    assert "Geflüchtete in Betreuung je Gemeinde – Freudenstadt" in applied.layout.title.text
    assert "x: gesperrt (Geheimhaltung, unter 3 Personen)" in applied.layout.title.text
    assert "x: gesperrt (2 Gemeinden)" in [t.name for t in applied.data]
    off = view.gemeinde_figures(OFF)[views.GEMEINDE_MAP]()
    assert not any(t.name.startswith("x:") for t in off.data) and "gesperrt" not in off.layout.title.text


def test_the_gemeinde_map_png_draws_the_closed_gemeinden_in_their_grey(data, view):
    if images.chromium_path() is None:
        pytest.skip(images.CHROMIUM_MISSING)
    figure = view.gemeinde_figures(APPLIED)[views.GEMEINDE_MAP]()
    png = images.image_bytes(figure, "png", files.PRESETS["web"], meta(data, APPLIED))
    keep = os.environ.get("LAGEBILD_KEEP_PNG")
    if keep:
        with open(keep, "wb") as out:
            out.write(png)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == files.PRESETS["web"].png_size
    grey = tuple(int(palette.SUPPRESSED[i : i + 2], 16) for i in (1, 3, 5))
    # The closed Gemeinden are filled at 0.9 opacity on white: near the grey, far from every OrRd class.
    colours = image.getcolors(maxcolors=1 << 22) or []
    near = sum(n for n, pixel in colours if all(abs(a - b) <= 8 for a, b in zip(pixel, grey, strict=True)))
    assert near > 2_000


@pytest.fixture(scope="module")
def profile(data) -> PdfReader:
    if images.chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail(images.CHROMIUM_MISSING, pytrace=False)
        pytest.skip(images.CHROMIUM_MISSING)
    layers = geometry.layers()
    pdf = profile_pdf.kreis_profile_pdf(
        profile_pdf.ProfileInput(
            SMALL_KREIS,
            regions(),
            data.table(),
            data.obs,
            data.period(3),
            layers.kreise,
            geometry.gemeinden(),
            meta(data, APPLIED),
        )
    )
    artifacts = os.environ.get("LAGEBILD_KEEP_PDF")
    if artifacts:
        with open(artifacts, "wb") as out:
            out.write(pdf)
    return PdfReader(io.BytesIO(pdf))


def test_the_kreis_pdf_puts_the_signs_under_the_gemeinde_map_and_the_rule_in_its_notes(profile):
    text = " ".join(" ".join(page.extract_text() for page in profile.pages).split())
    assert "Zeichenerklärung: " + FOOTNOTE in text
    assert "Geheimhaltung angewandt (presssicher)" in text
    assert "unter 3 Personen" in text and "Vielfache von 5 gerundet" in text

"""Exports opened for real: image sizes, SVG text, PDF pages, CSV and XLSX contents, the press pack's ZIP."""

from __future__ import annotations

import io
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from lagebild import demo, geometry
from lagebild.domain import analysis
from lagebild.domain.measures import Status
from lagebild.domain.regions import regions
from lagebild.export import figure_layout, files, images, press, profile_pdf
from lagebild.present import charts, fmt, overview, palette
from lagebild.present.classify import Classified, Scheme, classify
from lagebild.settings import DEMO_LABEL, Thresholds
from lagebild.store import Store

APP = str(Path(__file__).resolve().parents[3] / "app.py")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
TODAY = date(2026, 11, 27)
STAND = date(2026, 9, 30)
A4_LANDSCAPE_PT = (841.89, 595.28)
A4_PORTRAIT_PT = (595.28, 841.89)


@dataclass(frozen=True)
class View:
    """The Landesübersicht on the demo data, as the page builds it."""

    obs: pd.DataFrame
    table: pd.DataFrame
    classified: Classified
    meta: files.ExportMeta
    ranking: go.Figure
    map: go.Figure
    frame: pd.DataFrame
    period: analysis.Period


@pytest.fixture(scope="module")
def view(tmp_path_factory: pytest.TempPathFactory) -> View:
    url = f"sqlite:///{tmp_path_factory.mktemp('exports') / 'lagebild.sqlite'}"
    store = Store(url)
    demo.seed(store, TODAY)
    obs = store.observations()
    regs, thresholds = regions(), Thresholds()
    period = analysis.Period.ending(analysis.latest_month(obs, STAND), 3)
    table = analysis.kreis_table(obs, regs, STAND, thresholds, 64_000.0, period)
    classified = classify(table, "ratio", Scheme.TARGET_BANDS, thresholds)
    source = charts.source_line(sorted(set(obs["source"])), STAND, True)
    meta = files.export_meta(
        view="Landesübersicht",
        obs=obs,
        keys=regs.kreis_keys,
        as_of=STAND,
        region_label="Baden-Württemberg",
        thresholds=thresholds,
        cost_per_fte=64_000.0,
        demo=True,
        source_line=source,
        attribution=geometry.meta().attribution,
        period_label=fmt.period(period),
        summary="Zwölf Kreise sind kritisch.",
    )
    ranking = charts.ranking(
        table,
        "ratio",
        classified,
        thresholds,
        selected=None,
        source_line=source,
        subtitle="Geflüchtete je VZÄ · Baden-Württemberg · Stand 30.09.2026",
    )
    static_map = figure_layout.kreise_map_figure(
        geometry.layers(),
        classified,
        title="Betreuungsschlüssel der Kreise",
        subtitle="Geflüchtete je VZÄ · Zielwert-Bänder · Stand 30.09.2026",
    )
    frame = overview.ranking_table(table, STAND)
    return View(obs, table, classified, meta, ranking, static_map, frame, period)


@pytest.fixture(scope="module")
def chromium() -> str:
    """The Chromium Kaleido renders with; CI must have it, a developer's machine may not."""
    path = images.chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(images.CHROMIUM_MISSING, pytrace=False)
        pytest.skip(images.CHROMIUM_MISSING)
    return path


def annotation_texts(fig: go.Figure) -> list[str]:
    return [a.text for a in fig.layout.annotations]


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


def test_an_exported_chart_carries_title_subtitle_and_the_source_line(view):
    out = figure_layout.export_figure(view.ranking, files.PRESETS["web"], view.meta)
    assert out.layout.title.text == "Betreuungsschlüssel nach Kreisen"
    assert (
        "Geflüchtete je VZÄ" in out.layout.title.subtitle.text and "Stand 30.09.2026" in out.layout.title.subtitle.text
    )
    assert any("Quelle:" in t and "Stand: 30.09.2026" in t for t in annotation_texts(out))


def test_the_screens_source_line_gives_way_to_the_footer_instead_of_appearing_twice(view):
    out = figure_layout.export_figure(view.ranking, files.PRESETS["web"], view.meta)
    assert sum("Quelle:" in t for t in annotation_texts(out)) == 1
    assert "Zielwert 150" in annotation_texts(out)  # the chart's own labels stay


def test_an_exported_map_names_the_boundary_source(view):
    out = figure_layout.export_figure(view.map, files.PRESETS["web"], view.meta)
    assert any("© GeoBasis-DE / BKG" in t for t in annotation_texts(out))


def test_an_exported_chart_carries_no_boundary_source(view):
    out = figure_layout.export_figure(view.ranking, files.PRESETS["web"], view.meta)
    assert not any("GeoBasis" in t for t in annotation_texts(out))


def test_demo_data_is_marked_visibly_on_every_image(view):
    out = figure_layout.export_figure(view.ranking, files.PRESETS["social"], view.meta)
    texts = annotation_texts(out)
    assert any(DEMO_LABEL in t for t in texts) and "BEISPIELDATEN" in texts


def test_real_data_carries_no_demo_mark(view):
    out = figure_layout.export_figure(view.ranking, files.PRESETS["web"], replace(view.meta, demo=False))
    assert not any("BEISPIELDATEN" == t or DEMO_LABEL in t for t in annotation_texts(out))


def test_the_static_map_has_the_classes_colours_and_legend_of_the_screen(view):
    shown = [t for t in view.map.data if t.showlegend]
    assert [t.name for t in shown] == [f"{e.label} ({e.count})" for e in view.classified.legend]
    for trace, entry in zip(shown, view.classified.legend, strict=True):
        assert trace.colorscale[0][1] == entry.colour
        assert set(trace.locations) == set(view.classified.colours[view.classified.colours == entry.colour].index)


def test_the_static_map_draws_every_kreis_once(view):
    keys = [k for t in view.map.data for k in t.locations]
    assert sorted(keys) == sorted(geometry.layers().kreise.index)


def test_the_static_map_loads_no_tiles(view):
    assert view.map.layout.map.style == "white-bg"
    assert all(layer.sourcetype == "geojson" for layer in view.map.layout.map.layers)


def test_the_map_is_zoomed_so_the_land_fits_its_frame():
    bounds = geometry.layers().bounds
    centre, zoom = figure_layout.fit_bounds(bounds, 800, 600)
    assert bounds[0] < centre["lon"] < bounds[2] and bounds[1] < centre["lat"] < bounds[3]
    assert 6 < zoom < 8  # Baden-Württemberg is about 230 km across


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


def csv_frame(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")


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


def test_without_chromium_the_app_says_in_german_to_install_the_debian_package(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    status = images.image_export_status()
    assert not status.ok
    assert "apt-get install chromium" in status.message and "Debian-Paket „chromium“" in status.message


def test_without_chromium_an_image_export_fails_with_that_message(monkeypatch, view):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    with pytest.raises(images.ExportError, match="Debian-Paket"):
        images.render(view.ranking, "png", 100, 100, 1)


@pytest.mark.parametrize("preset", list(files.PRESETS))
def test_a_png_has_the_pixel_size_of_its_preset(chromium, view, preset):
    image = Image.open(io.BytesIO(images.image_bytes(view.ranking, "png", files.PRESETS[preset], view.meta)))
    assert image.format == "PNG" and image.size == files.PRESETS[preset].png_size


def test_the_map_png_shows_the_screen_colours(chromium, view):
    data = images.image_bytes(view.map, "png", files.PRESETS["web"], view.meta)
    image = Image.open(io.BytesIO(data)).convert("RGB")
    colours = {c for _, c in image.getcolors(maxcolors=1 << 20)}
    for status in (Status.OK, Status.ELEVATED, Status.CRITICAL):
        hex_colour = palette.STATUS_COLOURS[status].lstrip("#")
        assert tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4)) in colours, status


def test_the_svg_parses_and_carries_the_source_line(chromium, view):
    svg = images.image_bytes(view.ranking, "svg", files.PRESETS["web"], view.meta)
    root = ET.fromstring(svg)
    text = " ".join(root.itertext())
    assert root.tag.endswith("svg")
    assert "Quelle: Beispieldaten, vom Programm erzeugt; Stand: 30.09.2026" in text
    assert "Betreuungsschlüssel nach Kreisen" in text


def test_kreise_with_overdue_reports_are_outlined_dashed_and_named_in_the_exported_maps_legend(chromium, view):
    """The screen hatches them (Meldestand); the static map's fill layers take no pattern, so: a dashed outline."""
    owed = figure_layout.kreise_map_figure(
        geometry.layers(),
        view.classified,
        title="Betreuungsschlüssel der Kreise",
        subtitle="Geflüchtete je VZÄ · Zielwert-Bänder · Stand 30.09.2026",
        overdue=["08337"],
    )
    outlines = [layer for layer in owed.layout.map.layers if layer.type == "line" and layer.line.dash]
    assert len(outlines) == 1
    assert [f["properties"]["ags"] for f in outlines[0].source["features"]] == ["08337"]
    assert [t.name for t in owed.data if t.type == "scattermap"] == ["gestrichelt umrandet: Meldung überfällig (1)"]
    assert not [layer for layer in view.map.layout.map.layers if layer.line.dash]
    for preset in ("web", "social"):
        data = images.image_bytes(owed, "png", files.PRESETS[preset], view.meta)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / f"karte_ueberfaellig_{preset}.png").write_bytes(data)
        image = Image.open(io.BytesIO(data)).convert("RGB")
        assert image.size == files.PRESETS[preset].png_size


def test_the_map_svg_carries_the_boundary_source(chromium, view):
    svg = images.image_bytes(view.map, "svg", files.PRESETS["social"], view.meta)
    assert "© GeoBasis-DE / BKG" in " ".join(ET.fromstring(svg).itertext())


def test_the_print_pdf_is_one_a4_landscape_page(chromium, view):
    reader = PdfReader(io.BytesIO(images.image_bytes(view.ranking, "pdf", files.PRESETS["print"], view.meta)))
    box = reader.pages[0].mediabox
    assert len(reader.pages) == 1
    assert (float(box.width), float(box.height)) == pytest.approx(A4_LANDSCAPE_PT, abs=1)


def test_the_web_pdf_has_the_presets_size_and_the_source_line(chromium, view):
    reader = PdfReader(io.BytesIO(images.image_bytes(view.map, "pdf", files.PRESETS["web"], view.meta)))
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((1920 * 0.75, 1080 * 0.75), abs=1)
    assert "Stand: 30.09.2026" in reader.pages[0].extract_text()


def test_a_second_export_uses_the_browser_that_is_already_warm(chromium, view):
    images.render(view.ranking, "png", 400, 300, 1)
    first = images._browser
    images.render(view.ranking, "svg", 400, 300, 1)
    assert images._browser is first is not None


def test_the_same_export_twice_is_served_from_memory(chromium, view, monkeypatch):
    preset = files.PRESETS["web"]
    first = images.image_bytes(view.ranking, "png", preset, view.meta)
    monkeypatch.setattr(images, "render", lambda *a, **k: pytest.fail("rendered again"))
    assert images.image_bytes(view.ranking, "png", preset, view.meta) == first


@pytest.fixture(scope="module")
def press_pack(chromium, view) -> zipfile.ZipFile:
    items = [
        press.PressItem("Karte", figure=view.map, alt=view.meta.summary),
        press.PressItem("Rangfolge", figure=view.ranking),
        press.PressItem("Tabelle", table=view.frame, decimals=overview.RANKING_FORMATS),
    ]
    return zipfile.ZipFile(io.BytesIO(press.press_pack(items, view.meta, files.PRESETS["social"])))


def readme(pack: zipfile.ZipFile) -> str:
    return pack.read(press.README_NAME).decode("utf-8-sig")


def test_the_press_pack_holds_exactly_what_its_readme_lists(press_pack):
    listed = re.findall(r"^  - (\S+\.(?:png|svg|pdf|csv|xlsx)): ", readme(press_pack), flags=re.M)
    assert sorted(listed) == sorted(n for n in press_pack.namelist() if n != press.README_NAME)
    assert len(listed) == 2 * 3 + 2


def test_the_press_pack_files_open_as_their_type(press_pack):
    for name in press_pack.namelist():
        data = press_pack.read(name)
        if name.endswith(".png"):
            assert Image.open(io.BytesIO(data)).size == (1080, 1080)
        elif name.endswith(".pdf"):
            assert len(PdfReader(io.BytesIO(data)).pages) == 1
        elif name.endswith(".svg"):
            ET.fromstring(data)
        elif name.endswith(".xlsx"):
            assert "Metadaten" in load_workbook(io.BytesIO(data)).sheetnames
        elif name.endswith(".csv"):
            assert len(csv_frame(data)) == 44


def test_the_press_pack_readme_gives_source_stand_licence_caption_and_alt_text(press_pack):
    text = readme(press_pack)
    for part in (
        "Quelle: BEISPIELDATEN",
        "Stand: 30.09.2026",
        "Lizenz:",
        "GeoNutzV",
        "CC BY 4.0",
        "Bildunterschrift: Betreuungsschlüssel der Kreise",
        "Alternativtext: Zwölf Kreise sind kritisch.",
        "Social 1:1",
        "ACHTUNG: Beispieldaten",
    ):
        assert part in text, part


@pytest.fixture(scope="module")
def profile(chromium, view) -> PdfReader:
    layers = geometry.layers()
    meta = replace(view.meta, view="Kreisprofil Böblingen", region_label="Böblingen")
    data = profile_pdf.ProfileInput(
        "08115", regions(), view.table, view.obs, view.period, layers.kreise, geometry.gemeinden(), meta
    )
    return PdfReader(io.BytesIO(profile_pdf.kreis_profile_pdf(data)))


def test_the_kreis_profile_is_a_multi_page_a4_portrait_document(profile):
    assert len(profile.pages) >= 3
    for page in profile.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_PORTRAIT_PT, abs=1)


def test_every_page_of_the_kreis_profile_is_numbered(profile):
    total = len(profile.pages)
    for number, page in enumerate(profile.pages, start=1):
        assert f"Seite {number} von {total}" in page.extract_text()


def test_the_kreis_profile_compares_with_rb_and_land_in_german(profile):
    first = profile.pages[0].extract_text()
    for part in (
        "Böblingen",
        "Kennzahlen des Kreises",
        "Im Vergleich mit Regierungsbezirk und Land",
        "RB Stuttgart",
        "Baden-Württemberg",
        "Betreuungsschlüssel",
        "Stand 30.09.2026",
    ):
        assert part in first, part


def test_the_kreis_profile_has_time_series_neighbours_definitions_and_sources(profile):
    text = "\n".join(page.extract_text() for page in profile.pages)
    for part in (
        "Entwicklung",
        "Nachbarkreise",
        "Definitionen",
        "Quellen und Lizenzen",
        "Stand je Kennzahl",
        "GeoNutzV",
        "Zielwert 150",
    ):
        assert part in text, part


def test_the_kreis_profile_names_its_title_and_german_language_for_a_screen_reader(profile):
    catalog = profile.trailer["/Root"]
    assert profile.metadata.title == "Kreisprofil Böblingen"
    assert str(catalog["/Lang"]).startswith("de")
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712 - a pypdf BooleanObject is always truthy


def test_the_kreis_profile_has_bookmarks_in_reading_order_that_lead_to_their_pages(profile):
    """A reader moves through the PDF by its outline: the Kreis, then every section on the page it starts."""
    outline = profile.outline
    assert [entry.title for entry in outline if not isinstance(entry, list)] == ["Böblingen"]
    sections = outline[1]
    titles = [entry.title for entry in sections]
    assert titles[:2] == ["Im Vergleich mit Regierungsbezirk und Land", "Entwicklung"]
    assert {"Nachbarn und Vergleichskreise", "Definitionen", "Quellen und Lizenzen"} <= set(titles)
    pages = [profile.get_destination_page_number(entry) for entry in sections]
    assert pages == sorted(pages)
    for entry, number in zip(sections, pages, strict=True):
        assert entry.title in profile.pages[number].extract_text(), (entry.title, number)


def test_the_kreis_profile_marks_demo_data_on_every_page(profile):
    assert all("Beispieldaten – keine amtlichen Zahlen" in page.extract_text() for page in profile.pages)


@pytest.fixture
def demo_app(monkeypatch, db_url) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", db_url)
    demo.seed(Store(db_url), TODAY)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_landesuebersicht_offers_map_ranking_and_table_for_download(demo_app):
    keys = {b.key for b in demo_app.download_button}
    assert {
        "export_uebersicht_karte_png",
        "export_uebersicht_karte_svg",
        "export_uebersicht_karte_pdf",
        "export_uebersicht_rangfolge_png",
        "export_uebersicht_tabelle_csv",
        "export_uebersicht_tabelle_xlsx",
        "export_uebersicht_pressepaket",
    } <= keys
    assert demo_app.radio(key="export_uebersicht_vorlage").value == "web"


def test_the_kreis_page_offers_its_profile_as_pdf(demo_app):
    demo_app.switch_page("pages/kreis.py").run()
    assert not demo_app.exception, demo_app.exception
    button = demo_app.download_button(key="kreisprofil_profil")
    assert button.proto.label == "Kreisprofil als PDF"


def test_the_press_readme_of_official_figures_names_the_source_once(view):
    meta = replace(view.meta, demo=False, source_line="Quelle: Statistisches Landesamt BW; Stand: 30.09.2026")
    text = press.press_readme(meta, files.PRESETS["web"], [], [])
    assert "Quelle: Statistisches Landesamt BW; Stand: 30.09.2026" in text
    assert "Quelle: Quelle:" not in text


def test_warming_opens_the_export_browser_and_an_export_follows(chromium):
    assert images.warm() is True
    png = images.render(go.Figure(go.Bar(x=[1, 2], y=[3, 4])), "png", 200, 100, 1)
    assert Image.open(io.BytesIO(png)).size == (200, 100)


def test_warming_without_chromium_says_no_and_raises_nothing(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    assert images.warm() is False

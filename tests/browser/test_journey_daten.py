"""Journey of the Datenstelle in Chromium: template → fill → upload → preview → accept → map changed → roll back → map
restored; and the Daten page's widgets in German."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import StreamlitServer, seed_demo, start_server, stop_server

pytestmark = pytest.mark.browser

MAP_IFRAME = 'iframe[src*="streamlit_folium.st_folium"]'  # its title is the map's German name
SHAPES = "path.leaflet-interactive"
# The newest Stand of the harness's demo data (DEMO_TODAY 27.11.2026), so the import shows in the default view.
STAND = "30.09.2026"
# Stuttgart's persons in care as the filled template gives them, written as the map's tooltip writes it.
STUTTGART_NEW, STUTTGART_NEW_TEXT = "12347", "12.347"
# The Kreis layer is swapped into the live map, so its figures are read from Leaflet, not the HTML.
KREIS_FIGURES = """() => {
    const out = [];
    window.map.eachLayer(l => { if (l.feature && l.feature.properties.f) out.push(JSON.stringify(l.feature.properties)); });
    return out.join("\\n");
}"""


@pytest.fixture
def journey_server(tmp_path: Path) -> Iterator[StreamlitServer]:
    """A server and store of its own: the journey changes the data, which the shared app server must not see."""
    server = start_server("app.py", tmp_path, seed=seed_demo, database_url=f"sqlite:///{tmp_path / 'journey.sqlite'}")
    yield server
    stop_server(server)


def assert_clean(page: Page, guard) -> None:
    """No exception box, no traceback text, nothing fetched from outside this machine."""
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert "Traceback" not in page.locator("body").inner_text()
    assert guard.blocked == []


def open_page(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()


def care_kpi(page: Page) -> str:
    metric = page.get_by_test_id("stMetric").filter(has_text="Geflüchtete in Betreuung")
    return metric.get_by_test_id("stMetricValue").inner_text()


def map_figures(page: Page) -> str:
    frame = page.frame_locator(MAP_IFRAME).last
    expect(frame.locator(SHAPES)).to_have_count(44)
    return frame.locator("body").evaluate(KREIS_FIGURES)


def test_a_filled_in_template_changes_the_map_and_a_rollback_restores_it(page, journey_server, network_guard, tmp_path):
    started = time.monotonic()
    page.goto(journey_server.url)
    expect(page.get_by_role("heading", name="Landesübersicht")).to_be_visible()
    before = care_kpi(page)
    assert STUTTGART_NEW_TEXT not in map_figures(page)
    assert_clean(page, network_guard)

    open_page(page, "Daten")
    page.get_by_role("tab", name="Vorlagen").click()
    with page.expect_download() as download:
        page.locator(".st-key-vorlage_csv_gefluechtete_in_betreuung").get_by_role("button", name="CSV").click()
    assert download.value.suggested_filename == "vorlage_gefluechtete_in_betreuung.csv"
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)

    # As a Datenstelle would in Excel: the example row replaced by a real one, the header left as it is.
    text = template.read_text(encoding="utf-8-sig")
    header, example = text.splitlines()[:2]
    assert header.split(";")[4] == "Geflüchtete in Betreuung" and "BEISPIEL" in example
    template.write_text(
        f"{header}\r\n08111;Stuttgart;{STAND};;{STUTTGART_NEW};Meldung Stadt Stuttgart\r\n", encoding="utf-8-sig"
    )

    page.get_by_role("tab", name="Hochladen").click()
    page.locator("input[type='file']").set_input_files(str(template))
    preview = page.get_by_test_id("stMarkdownContainer").filter(has_text="Zeilen verstanden")
    expect(preview).to_contain_text("Zeilen verstanden: 1")
    expect(page.get_by_text("erkannt an der Spalte „Geflüchtete in Betreuung“")).to_be_visible()
    expect(page.get_by_role("combobox", name="Kennzahl")).to_have_count(0)  # recognised, not asked
    expect(page.get_by_text("Neue Werte neben den gespeicherten (1 Zeile)")).to_be_visible()
    expect(page.locator("[data-testid='stDataFrame']:visible")).to_have_count(1)  # the comparison
    assert_clean(page, network_guard)
    page.screenshot(path="/tmp/journey-daten-vorschau.png", full_page=True)
    page.get_by_role("button", name="Übernehmen").click()
    expect(page.get_by_text("Import Nr. 5 übernommen: 1 Wert für Geflüchtete in Betreuung")).to_be_visible()

    open_page(page, "Landesübersicht")
    expect(page.get_by_test_id("stMetric").filter(has_text="Geflüchtete in Betreuung")).not_to_contain_text(before)
    assert STUTTGART_NEW_TEXT in map_figures(page)
    assert_clean(page, network_guard)

    open_page(page, "Daten")
    page.get_by_role("tab", name="Importe").click()
    page.get_by_role("combobox", name="Import").click()
    page.get_by_role("option", name="Nr. 5: vorlage_gefluechtete_in_betreuung.csv").click()
    expect(
        page.get_by_text("1 Wert Geflüchtete in Betreuung, Stand 30.09.2026) zählt danach nicht mehr")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Zurücknehmen")).to_be_disabled()
    page.get_by_text("Ja, Import Nr. 5 zurücknehmen").click()
    page.get_by_role("button", name="Zurücknehmen").click()
    expect(page.get_by_text("Import Nr. 5 (vorlage_gefluechtete_in_betreuung.csv) zurückgenommen")).to_be_visible()
    page.screenshot(path="/tmp/journey-daten-importe.png", full_page=True)

    open_page(page, "Landesübersicht")
    expect(page.get_by_test_id("stMetric").filter(has_text="Geflüchtete in Betreuung")).to_contain_text(before)
    assert STUTTGART_NEW_TEXT not in map_figures(page)
    assert_clean(page, network_guard)
    print(f"Datenstelle journey: {time.monotonic() - started:.1f} s")


def pseudo(page: Page, selector: str, which: str) -> str:
    return page.locator(selector).first.evaluate(f"e => getComputedStyle(e, '{which}').content")


def test_the_uploader_and_the_date_field_speak_german(page, journey_server, network_guard):
    page.goto(journey_server.url + "daten")
    expect(page.get_by_role("heading", name="Daten", exact=True)).to_be_visible()
    dropzone = page.get_by_test_id("stFileUploaderDropzone")
    expect(dropzone).to_be_visible()
    for english in ("Upload", "Drag and drop file here", "20MB per file • CSV, TXT, XLSX", "200MB per file"):
        expect(dropzone.get_by_text(english, exact=True)).to_be_hidden()
    instructions = '[data-testid="stFileUploaderDropzoneInstructions"] > div'
    assert pseudo(page, instructions, "::before") == '"Datei hierher ziehen oder auswählen"'
    assert pseudo(page, instructions, "::after") == '"CSV, TXT oder XLSX, höchstens 20 MB"'
    assert (
        pseudo(page, '[data-testid="stFileUploaderDropzone"] button span[data-has-shortcut]', "::after")
        == '"Datei auswählen"'
    )

    # A file that does not name its measure asks for it, and for a Stichtag in German notation.
    page.locator("input[type='file']").set_input_files(
        str(Path(__file__).parents[1] / "fixtures" / "vzae_windows1252_dezimalkomma.csv")
    )
    expect(page.get_by_test_id("stDateInput")).to_be_visible()
    field = '[data-testid="stDateInputField"] [data-type="{}"]'
    for kind in ("day", "month", "year"):  # the English placeholders "dd", "mm", "yyyy" are drawn at size 0
        assert page.locator(field.format(kind)).evaluate("e => getComputedStyle(e).fontSize") == "0px"
    assert [pseudo(page, field.format(t), "::after") for t in ("day", "month", "year")] == ['"TT"', '"MM"', '"JJJJ"']
    page.get_by_test_id("stDateInput").screenshot(path="/tmp/journey-daten-datum.png")
    assert_clean(page, network_guard)

"""The Daten page in Chromium, on SQLite and on PostgreSQL: upload a GENESIS table, preview, accept, see the
Landesübersicht and its map change, roll back and see them return."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lagebild import demo
from lagebild.store import Store
from tests.browser.conftest import ARTIFACTS, StreamlitServer, start_server, stop_server
from tests.conftest import FIXTURES

pytestmark = pytest.mark.browser

# Demo data up to the Stand 31.12.2023, the Stichtag of the GENESIS fixture, so the import shows in the default view.
DEMO_TODAY = date(2024, 1, 15)
GENESIS = FIXTURES / "genesis_12531_schutzsuchende_kreise.csv"
MAP_IFRAME = 'iframe[src*="streamlit_folium.st_folium"]'  # its title is the map's German name
SHAPES = "path.leaflet-interactive"
# Stuttgart's Schutzsuchende in the fixture, as the map's tooltip writes it; the demo data never has this figure.
STUTTGART_NEW = "24.165"


def seed(database_url: str) -> None:
    store = Store(database_url)
    demo.seed(store, DEMO_TODAY)
    store.engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def daten_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StreamlitServer]:
    """A server of its own: this test changes the data, which the shared app server must not see."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'daten.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_url")
    server = start_server("app.py", tmp_path, seed=seed, database_url=url)
    yield server
    stop_server(server)


def care_kpi(page: Page) -> str:
    metric = page.get_by_test_id("stMetric").filter(has_text="Geflüchtete in Betreuung")
    return metric.get_by_test_id("stMetricValue").inner_text()


def open_page(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()


# The Kreis layer is swapped into the live map, so its figures are read from Leaflet, not the HTML.
KREIS_FIGURES = """() => {
    const out = [];
    window.map.eachLayer(l => { if (l.feature && l.feature.properties.f) out.push(JSON.stringify(l.feature.properties)); });
    return out.join("\\n");
}"""


def map_html(page: Page) -> str:
    """What the map's tooltips say for every Kreis."""
    frame = page.frame_locator(MAP_IFRAME).last
    expect(frame.locator(SHAPES)).to_have_count(44)
    return frame.locator("body").evaluate(KREIS_FIGURES)


def choose(page: Page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option).click()


def test_a_genesis_upload_changes_the_map_and_a_rollback_brings_it_back(page, daten_server, network_guard):
    page.goto(daten_server.url)
    expect(page.get_by_role("heading", name="Landesübersicht")).to_be_visible()
    before = care_kpi(page)
    assert STUTTGART_NEW not in map_html(page)

    open_page(page, "Daten")
    page.locator("input[type='file']").set_input_files(str(GENESIS))
    expect(page.get_by_text("Tabelle 12531 zählt Schutzsuchende")).to_be_visible()
    expect(page.get_by_text("Die Datei hat 3 Wertespalten; bitte eine wählen")).to_be_visible()
    choose(page, "Wertespalte", "1: 31.12.2023 / Insgesamt")
    preview = page.get_by_test_id("stMarkdownContainer").filter(has_text="Zeilen verstanden")
    expect(preview).to_contain_text("GENESIS-Tabelle (CSV) 12531-01-01-4, Wertespalte 1")
    expect(preview).to_contain_text("Windows-1252")
    expect(preview).to_contain_text("Zeilen verstanden: 44")
    expect(page.get_by_text("Neue Werte neben den gespeicherten (44 Zeilen)")).to_be_visible()
    page.screenshot(
        path=str(ARTIFACTS / f"daten-vorschau-{daten_server.database_url.split(':')[0].split('+')[0]}.png"),
        full_page=True,
    )
    page.get_by_role("button", name="Übernehmen").click()
    expect(page.get_by_text("Import Nr. 5 übernommen: 44 Werte für Geflüchtete in Betreuung")).to_be_visible()

    open_page(page, "Landesübersicht")
    expect(page.get_by_test_id("stMetric").filter(has_text="Geflüchtete in Betreuung")).not_to_contain_text(before)
    assert STUTTGART_NEW in map_html(page)

    open_page(page, "Daten")
    page.get_by_role("tab", name="Importe").click()
    choose(page, "Import", "Nr. 5: genesis_12531_schutzsuchende_kreise.csv")
    expect(page.get_by_text("zählt danach nicht mehr")).to_be_visible()
    page.get_by_text("Ja, Import Nr. 5 zurücknehmen").click()
    page.get_by_role("button", name="Zurücknehmen").click()
    expect(page.get_by_text("Import Nr. 5 (genesis_12531_schutzsuchende_kreise.csv) zurückgenommen")).to_be_visible()

    open_page(page, "Landesübersicht")
    expect(page.get_by_test_id("stMetric").filter(has_text="Geflüchtete in Betreuung")).to_contain_text(before)
    assert STUTTGART_NEW not in map_html(page)
    assert network_guard.blocked == []

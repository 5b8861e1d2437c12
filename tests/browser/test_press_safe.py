"""Press-safe Gemeinde figures in Chromium: a Kreis with small Gemeinde counts shows "x" with its footnote in the
map's tooltip and the Gemeinde card, and its press export with "Geheimhaltung anwenden" on carries "x" and the rule."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect

from lagebild import demo
from lagebild.export import images, press
from lagebild.store import Store
from tests.browser.conftest import ARTIFACTS, DEMO_TODAY, StreamlitServer, start_server, stop_server
from tests.browser.journey import MAP_IFRAME, POINT_IN_FEATURE, Journey, map_frame, settle
from tests.support.data import SMALL_KREIS, seed_small_gemeinden, small_gemeinden

pytestmark = pytest.mark.browser

DOWNLOAD_TIMEOUT_MS = 180_000  # the press pack renders every chart; the first image starts Kaleido's browser
COLD_START_MS = 120_000
PANEL = "export_kreis"
CLOSED, ZERO, PARTNER, TWELVE = (list(small_gemeinden())[i] for i in range(4))
FOOTNOTE = "x = Tabellenfach gesperrt (Geheimhaltung: weniger als 3 Personen"


def seed(database_url: str) -> None:
    store = Store(database_url)
    demo.seed(store, DEMO_TODAY)
    seed_small_gemeinden(store)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """The app on the demo data plus Freudenstadt's small Gemeinde counts: its own store, its own server."""
    started = start_server("app.py", tmp_path_factory.mktemp("geheimhaltung"), seed)
    try:
        yield started
    finally:
        stop_server(started)


def button(page: Page, key: str) -> Locator:
    return page.locator(f".st-key-{key} button").first


def download(page: Page, key: str, tmp_path: Path) -> tuple[str, bytes]:
    with page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as info:
        button(page, key).click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return info.value.suggested_filename, target.read_bytes()


def hover_feature(page: Page, ags: str) -> None:
    iframe = page.locator(MAP_IFRAME).last
    expect(map_frame(page).locator("path.leaflet-interactive").first).to_be_visible()
    iframe.scroll_into_view_if_needed()
    point = map_frame(page).locator("body").evaluate(POINT_IN_FEATURE, ["ags", ags])
    assert point is not None, f"no shape of {ags} can be pointed at"
    box = iframe.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + point[0], box["y"] + point[1])


def csv_cells(data: bytes) -> dict[str, str]:
    frame = pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", dtype=str)
    return dict(zip(frame["Gemeindeschlüssel"], frame["In Betreuung (Pers.)"], strict=True))


def open_profile(page: Page, server: StreamlitServer) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server.url}kreis?auswahl={SMALL_KREIS}")
    expect(page.get_by_role("heading", level=1, name="Freudenstadt", exact=True)).to_be_visible()
    # The first visit after the server's start loads geometry and data; the whole page comes a while later.
    expect(map_frame(page).locator("path.leaflet-interactive").first).to_be_visible(timeout=COLD_START_MS)


def test_a_small_gemeinde_count_reads_x_with_its_footnote_in_the_tooltip_and_the_card(page, server, network_guard):
    journey = Journey(page, network_guard)
    open_profile(page, server)
    journey.step("Kreisprofil Freudenstadt")

    hover_feature(page, CLOSED)
    tooltip = map_frame(page).locator(".lb-tip")
    expect(tooltip).to_contain_text("Geflüchtete in Betreuung")
    expect(tooltip.locator("td").first).to_have_text("x")
    expect(tooltip).to_contain_text(FOOTNOTE)
    hover_feature(page, TWELVE)
    expect(tooltip.locator("td").first).to_have_text("10\u202fPersonen")  # 12, rounded to five
    hover_feature(page, CLOSED)
    page.mouse.down()
    page.mouse.up()
    settle(page)
    detail = page.locator(".st-key-gemeinde_detail")
    expect(detail).to_contain_text("Geflüchtete in Betreuung: x (Stand 30.09.2026)")
    expect(detail).to_contain_text(FOOTNOTE)
    expect(detail).not_to_contain_text("Anteil am Kreis")
    expect(page.get_by_text("Zeichenerklärung: " + FOOTNOTE).first).to_be_visible()
    expect(page.get_by_text("x: gesperrt (2 Gemeinden)")).to_be_visible()
    journey.step("gesperrte Gemeinde angeklickt")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.get_by_role("heading", name="Gemeinden", exact=True).scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "geheimhaltung_gemeinden.png"))


def test_the_press_export_with_the_switch_on_carries_x_and_the_rule_and_off_the_exact_counts(
    page, server, network_guard, tmp_path
):
    if images.chromium_path() is None:
        pytest.skip(images.CHROMIUM_MISSING)
    journey = Journey(page, network_guard)
    open_profile(page, server)
    page.get_by_text("Export: Grafiken und Daten").click()
    switch = page.locator(f".st-key-{PANEL}_geheimhaltung input")
    expect(switch).to_be_checked()
    expect(page.locator(f".st-key-{PANEL}_geheimhaltung")).to_contain_text("Geheimhaltung anwenden (presssicher)")
    journey.step("Export geöffnet, Geheimhaltung an")

    name, data = download(page, f"{PANEL}_pressepaket", tmp_path)
    assert name.startswith("pressepaket_lagebild_kreisprofil_freudenstadt_")
    pack = zipfile.ZipFile(io.BytesIO(data))
    readme = pack.read(press.README_NAME).decode("utf-8-sig")
    assert "Geheimhaltung: angewandt (presssicher)" in readme and "unter 3 Personen" in readme
    assert "auf Vielfache von 5 gerundet" in readme and "Zeichenerklärung: " + FOOTNOTE in readme
    table = next(n for n in pack.namelist() if n.endswith("_gemeinden.csv"))
    cells = csv_cells(pack.read(table))
    assert (cells[CLOSED], cells[PARTNER], cells[ZERO], cells[TWELVE]) == ("x", "x", "–", "10")
    book = load_workbook(io.BytesIO(pack.read(table.removesuffix(".csv") + ".xlsx")))
    rules = {row[0]: row[1] for row in book["Metadaten"].iter_rows(values_only=True) if row and row[0]}
    assert rules["Geheimhaltung"].startswith("angewandt (presssicher)")
    journey.step("Pressepaket geladen")

    page.locator(f".st-key-{PANEL}_geheimhaltung label").click()
    settle(page)
    expect(switch).not_to_be_checked()
    _, data = download(page, f"{PANEL}_gemeinden_csv", tmp_path)
    cells = csv_cells(data)
    assert (cells[CLOSED], cells[PARTNER], cells[TWELVE]) == ("2", "7", "12")
    journey.step("Geheimhaltung aus: genaue Werte")

"""The Landesübersicht in Chromium on the demo data: 44 Kreise, tooltip, selection, metric switch, German figures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import FrameLocator, Locator, Page, expect

from lagebild.domain.regions import regions
from lagebild.present import palette
from lagebild.present.offline import external_urls, is_local_url
from tests.browser.journey import PLOTLY_FETCHED, SHAPES_PROBE

pytestmark = pytest.mark.browser

KREISE = 44
MAP_IFRAME = 'iframe[src*="streamlit_folium.st_folium"]'  # its title is the map's German name
# Leaflet gives only layers that take the mouse this class; the RB borders and the
# selection outline are drawn with interactive=False and so are not counted.
SHAPES = "path.leaflet-interactive"
SCREENSHOT = Path(__file__).resolve().parents[1] / "artifacts" / "landesuebersicht.png"
KREIS_NAMES = frozenset(kreis.display_name for kreis in regions().kreise)

GERMAN_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")
GERMAN_DECIMAL_FTE = re.compile(r"\d,\d\s*VZÄ")
GERMAN_DATE = re.compile(r"Stand \d{2}\.\d{2}\.\d{4}")
# "971.3 VZÄ" would be an English decimal point; German thousands have three digits.
ENGLISH_DECIMAL_FTE = re.compile(r"\d\.\d\s*VZÄ")

# Which shapes can be hovered where Playwright points: the centre of its bounding box
# must hit the shape itself, not a neighbour (concave Kreise) or the legend on top.
HIT_AT_CENTRE = """paths => paths.flatMap((path, i) => {
    const box = path.getBoundingClientRect();
    return document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2) === path ? [i] : [];
})"""
FILLS = "paths => paths.map(path => path.getAttribute('fill'))"
# folium declares the map as a global; Leaflet's zoom tells whether the view was kept.
MAP_ZOOM = "() => Object.values(window).find(v => v instanceof L.Map).getZoom()"


def map_frame(page: Page) -> FrameLocator:
    # `.last`, not a strict locator: a rerun that changes the map (metric, selection)
    # mounts a new component iframe while the outgoing one is still in the DOM.
    return page.frame_locator(MAP_IFRAME).last


def open_landesuebersicht(page: Page, url: str) -> FrameLocator:
    page.goto(url)
    expect(page.get_by_role("heading", name="Landesübersicht")).to_be_visible()
    frame = map_frame(page)
    expect(frame.locator(SHAPES)).to_have_count(KREISE)
    return frame


def wait_until_idle(page: Page) -> None:
    # Streamlit marks its root with the script state. A click that lands while a rerun is
    # still drawing interrupts that run, which is a different story from the one tested.
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")


def hoverable_shape(frame: FrameLocator) -> Locator:
    shapes = frame.locator(SHAPES)
    hits = shapes.evaluate_all(HIT_AT_CENTRE)
    assert hits, "no Kreis shape can be pointed at by its centre"
    return shapes.nth(hits[0])


def hover_for_name(frame: FrameLocator, shape: Locator) -> str:
    shape.hover()
    tooltip = frame.locator(".leaflet-tooltip")
    expect(tooltip).to_be_visible()
    return tooltip.locator("b").first.inner_text().strip()


def save_full_page(page: Page, path: Path) -> None:
    # Streamlit scrolls inside its main pane, so full_page alone stops at the window:
    # grow the window to the pane's height first.
    height = page.get_by_test_id("stMain").evaluate("main => main.scrollHeight")
    viewport = page.viewport_size or {"width": 1280, "height": 900}
    page.set_viewport_size({"width": viewport["width"], "height": max(height, viewport["height"])})
    expect(page.get_by_test_id("stPlotlyChart").locator(".main-svg").first).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)


def test_the_map_draws_all_44_kreise_as_shapes_that_take_the_mouse(page, app_server, network_guard):
    frame = open_landesuebersicht(page, app_server.url)

    # The Regierungsbezirk borders are there too, but not among the Kreise.
    expect(frame.locator("path:not(.leaflet-interactive)").first).to_be_attached()
    expect(frame.locator(SHAPES).first).to_be_visible()
    box = page.locator(MAP_IFRAME).bounding_box()
    assert box is not None and box["height"] >= 400
    save_full_page(page, SCREENSHOT)
    assert network_guard.blocked == []


def test_the_ranking_chart_follows_once_the_map_stands(page, app_server, network_guard):
    """Issue 12: the ranking's Plotly bundle is fetched only after the map has drawn, and the chart then shows."""
    page.add_init_script(SHAPES_PROBE)
    open_landesuebersicht(page, app_server.url)
    chart = page.get_by_test_id("stPlotlyChart")
    expect(chart).to_be_visible(timeout=30_000)
    expect(chart.locator(".gtitle")).to_contain_text("Betreuungsschlüssel nach Kreisen")
    expect(chart.locator(".ytick")).to_have_count(KREISE)
    expect(page.get_by_text("sobald die Karte steht")).to_have_count(0)
    handle = page.locator(MAP_IFRAME).last.element_handle()
    frame = handle.content_frame() if handle else None
    assert frame is not None
    shown_at, fetched_at = frame.evaluate("window.__shownAt"), page.evaluate(PLOTLY_FETCHED)
    assert shown_at and fetched_at and fetched_at >= shown_at, "the Plotly bundle was fetched before the map stood"
    assert network_guard.blocked == []


# The screen position, inside the map's frame, of a point within a Kreis (Leaflet's centre of its polygon).
KREIS_POINT = """key => { const map = Object.values(window).find(v => v instanceof L.Map); let point = null;
    map.eachLayer(l => { if (!point && l.feature && l.feature.properties && l.feature.properties.ags === key
        && l.options.interactive !== false) { const p = map.latLngToContainerPoint(l.getCenter());
        const box = map.getContainer().getBoundingClientRect(); point = [box.x + p.x, box.y + p.y]; } });
    return point; }"""


def test_a_kreis_whose_report_is_overdue_is_hatched_and_its_tooltip_says_what_is_missing(
    page, app_server, network_guard
):
    """The demo data's Waldshut reported Geflüchtete in Betreuung last for 30.06.2026 (Meldestand, issue 16)."""
    frame = open_landesuebersicht(page, app_server.url)
    hatched = frame.locator("path[fill='url(#lb-ueberfaellig)']")
    expect(hatched).to_have_count(1)
    expect(frame.locator("svg defs pattern#lb-ueberfaellig")).to_be_attached()
    expect(page.get_by_text("schraffiert: Meldung überfällig (1)")).to_be_visible()

    # The hatching takes no mouse: pointing at Waldshut shows Waldshut's own tooltip, with what it owes.
    page.locator(MAP_IFRAME).last.scroll_into_view_if_needed()
    box = page.locator(MAP_IFRAME).last.bounding_box()
    assert box is not None
    x, y = box["x"], box["y"]
    inside = frame.locator("body").evaluate(f"(_, key) => ({KREIS_POINT})(key)", "08337")
    page.mouse.move(x + inside[0], y + inside[1])
    tooltip = frame.locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text("Waldshut")
    expect(tooltip).to_contain_text(
        "Meldung überfällig – Geflüchtete in Betreuung: zuletzt 30.06.2026, erwartet 30.09.2026"
    )
    assert network_guard.blocked == []


def test_hovering_a_kreis_shows_its_name_and_german_figures(page, app_server, network_guard):
    frame = open_landesuebersicht(page, app_server.url)

    name = hover_for_name(frame, hoverable_shape(frame))

    assert name in KREIS_NAMES
    tooltip = frame.locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text("je VZÄ")
    expect(tooltip).to_contain_text(GERMAN_DATE)
    expect(tooltip).to_contain_text(GERMAN_THOUSANDS)
    expect(tooltip).not_to_contain_text(ENGLISH_DECIMAL_FTE)
    assert network_guard.blocked == []


def test_clicking_a_kreis_selects_it_and_auswahl_aufheben_clears_it(page, app_server, network_guard):
    frame = open_landesuebersicht(page, app_server.url)
    detail = page.locator(".st-key-detail")
    expect(detail).to_contain_text("Kein Kreis ausgewählt")
    shape = hoverable_shape(frame)
    name = hover_for_name(frame, shape)

    shape.click()

    expect(detail.get_by_role("heading", name=name, exact=True)).to_be_visible()
    expect(detail).not_to_contain_text("Kein Kreis ausgewählt")
    wait_until_idle(page)
    # The map outlines the selection in a layer of its own that takes no clicks.
    expect(map_frame(page).locator(SHAPES)).to_have_count(KREISE)

    detail.get_by_role("button", name="Auswahl aufheben").click()

    expect(detail).to_contain_text("Kein Kreis ausgewählt")
    expect(detail.get_by_role("heading", name=name, exact=True)).to_have_count(0)
    assert network_guard.blocked == []


def test_switching_the_kennzahl_recolours_the_kreise_and_keeps_the_view(page, app_server, network_guard):
    frame = open_landesuebersicht(page, app_server.url)
    legend = page.locator(".lb-legend")
    expect(legend).to_contain_text("Betreuungsschlüssel")
    fills_before = set(frame.locator(SHAPES).evaluate_all(FILLS))
    # Zoom in first: a metric switch swaps only the Kreis layer, so the user's view must stay.
    frame.locator(".leaflet-control-zoom-in").click()
    zoom_before = frame.locator("body").evaluate(MAP_ZOOM)

    page.get_by_role("combobox", name="Kennzahl").click()
    page.get_by_role("option", name="Verstärkungsbedarf (VZÄ)").click()

    expect(legend).to_contain_text("Verstärkungsbedarf")
    expect(page.locator(MAP_IFRAME)).to_have_count(1)
    shapes = map_frame(page).locator(SHAPES)
    expect(shapes).to_have_count(KREISE)
    # The need classes use the sequential palette, which the target bands never use.
    need_colours = ", ".join(f"{SHAPES}[fill='{c}']" for c in palette.SEQUENTIAL_WORSE)
    expect(map_frame(page).locator(need_colours).first).to_be_attached()
    fills_after = set(shapes.evaluate_all(FILLS))
    assert None not in fills_after
    assert fills_after != fills_before
    assert map_frame(page).locator("body").evaluate(MAP_ZOOM) == zoom_before
    assert network_guard.blocked == []


def test_the_kpi_row_shows_german_number_formats(page, app_server, network_guard):
    page.goto(app_server.url)
    kpis = page.locator(".st-key-kpis")

    expect(kpis.get_by_test_id("stMetricValue").first).to_be_visible()
    expect(kpis).to_contain_text(GERMAN_THOUSANDS)
    expect(kpis).to_contain_text(GERMAN_DECIMAL_FTE)
    values = kpis.get_by_test_id("stMetricValue").all_inner_texts()
    assert not any(ENGLISH_DECIMAL_FTE.search(value) for value in values), values
    assert not any(re.search(r"nan|None|inf", value) for value in values), values
    assert network_guard.blocked == []


def test_the_page_and_the_map_name_no_public_address(page, app_server, network_guard):
    open_landesuebersicht(page, app_server.url)
    iframe = page.locator(MAP_IFRAME).element_handle()
    assert iframe is not None
    frame = iframe.content_frame()
    assert frame is not None

    assert external_urls(page.content()) == []
    assert external_urls(frame.content()) == []
    loaded = frame.evaluate(
        """[...document.querySelectorAll('script[src], link[href]')]
           .map(e => e.src || e.href)"""
    )
    assert loaded and all(is_local_url(url) for url in loaded), loaded
    assert network_guard.blocked == []

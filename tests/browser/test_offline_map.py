"""The folium map renders with no internet: polygons, tooltip, no foreign request, no rerun on pan."""

from __future__ import annotations

import pytest
from playwright.sync_api import Frame, Page, expect

from lagebild.present.offline import external_urls, is_local_url

pytestmark = pytest.mark.browser

MAP_IFRAME = 'iframe[src*="streamlit_folium.st_folium"]'  # its title is the map's German name
POLYGONS = "path.leaflet-interactive"
# Longer than streamlit-folium's 250 ms debounce plus a rerun round trip, so a
# rerun triggered by the map would have shown up by then.
SETTLE_MS = 2_000


@pytest.fixture
def app_script() -> str:
    return "tests/browser/apps/offline_map_probe.py"


def open_map(page: Page, url: str) -> Frame:
    page.goto(url)
    expect(page.get_by_text("Skriptläufe: 1")).to_be_visible()
    iframe = page.locator(MAP_IFRAME)
    expect(iframe).to_be_visible()
    frame = iframe.element_handle().content_frame()
    assert frame is not None
    expect(frame.locator(POLYGONS)).to_have_count(3)
    return frame


def test_map_draws_every_polygon_without_internet(page, app_server, network_guard):
    frame = open_map(page, app_server.url)

    box = page.locator(MAP_IFRAME).bounding_box()
    assert box is not None and box["height"] >= 400
    assert frame.evaluate("typeof window.L") == "object"
    assert network_guard.blocked == []


def test_hovering_a_polygon_shows_its_tooltip(page, app_server):
    frame = open_map(page, app_server.url)

    frame.locator(POLYGONS).nth(1).hover()

    tooltip = frame.locator(".leaflet-tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text("Mittelkreis")
    expect(tooltip).to_contain_text("08992")


def test_map_frame_names_no_public_address(page, app_server, network_guard):
    frame = open_map(page, app_server.url)

    assert external_urls(frame.content()) == []
    loaded = frame.evaluate(
        """[...document.querySelectorAll('script[src], link[href]')]
           .map(e => e.src || e.href)"""
    )
    assert loaded and all(is_local_url(url) for url in loaded), loaded
    assert any(url.endswith("/leaflet.js") for url in loaded)
    assert any(url.endswith("/leaflet.css") for url in loaded)
    assert external_urls(page.content()) == []
    assert network_guard.blocked == []


def test_panning_and_zooming_the_map_does_not_rerun_the_script(page, app_server, network_guard):
    frame = open_map(page, app_server.url)
    view_before = frame.evaluate("[window.map.getCenter(), window.map.getZoom()]")
    box = page.locator(MAP_IFRAME).bounding_box()
    assert box is not None
    # Grab an empty corner so the drag pans the map instead of clicking a polygon.
    x, y = box["x"] + 60, box["y"] + box["height"] - 60

    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 120, y - 80, steps=10)
    page.mouse.up()
    page.mouse.wheel(0, -400)
    page.wait_for_timeout(SETTLE_MS)

    view_after = frame.evaluate("[window.map.getCenter(), window.map.getZoom()]")
    assert view_after != view_before
    expect(page.get_by_text("Skriptläufe: 1")).to_be_visible()
    assert network_guard.blocked == []


def test_clicking_a_polygon_reruns_the_script_with_the_selection(page, app_server):
    # The counterpart of the pan test: shows that a rerun would be seen there.
    frame = open_map(page, app_server.url)

    frame.locator(POLYGONS).nth(2).click()

    expect(page.get_by_text("Auswahl: Südkreis")).to_be_visible()
    expect(page.get_by_text("Skriptläufe: 2")).to_be_visible()

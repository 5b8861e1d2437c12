"""The coordinator's view in Chromium: a bookmarked Kreis, the RB filter, a Gemeinde click."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

MAP_IFRAME = 'iframe[src*="streamlit_folium.st_folium"]'  # its title is the map's German name
SHAPES = "path.leaflet-interactive"
# folium declares each map as a global `map_<id>`; Leaflet's zoom tells how far the view fitted in.
MAP_ZOOM = "() => Object.values(window).find(v => v instanceof L.Map).getZoom()"
HIT_AT_CENTRE = """paths => paths.flatMap((path, i) => {
    const box = path.getBoundingClientRect();
    return document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2) === path ? [i] : [];
})"""


def ranking_bars(page: Page) -> int:
    chart = page.get_by_test_id("stPlotlyChart").first
    expect(chart.locator("g.point").first).to_be_visible()
    return chart.locator("g.point").count()


def test_a_bookmarked_kreis_opens_its_profile_cold(page, app_server, network_guard):
    page.goto(f"{app_server.url}kreis?kreis=08115")

    expect(page.get_by_role("heading", name="Böblingen", exact=True)).to_be_visible()
    expect(page.get_by_text("Landkreis · Regierungsbezirk Stuttgart")).to_be_visible()
    expect(page.get_by_text("Im Vergleich")).to_be_visible()
    gemeinden = page.frame_locator(MAP_IFRAME).last.locator(SHAPES)
    expect(gemeinden).to_have_count(26)
    assert "kreis=08115" in page.url
    assert network_guard.blocked == []


def test_filtering_to_rb_freiburg_zooms_the_map_and_shrinks_the_ranking(page, app_server, network_guard):
    page.goto(app_server.url)
    frame = page.frame_locator(MAP_IFRAME).last
    expect(frame.locator(SHAPES)).to_have_count(44)
    zoom_land = frame.locator("body").evaluate(MAP_ZOOM)
    assert ranking_bars(page) == 44

    rb_filter = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Regierungsbezirk")
    rb_filter.click()
    page.get_by_role("option", name="Freiburg").click()
    page.keyboard.press("Escape")

    expect(page.get_by_text("Regierungsbezirk Freiburg · 10 von 44")).to_be_visible()
    expect(page.get_by_test_id("stPlotlyChart").first.locator("g.point")).to_have_count(10)
    frame = page.frame_locator(MAP_IFRAME).last
    expect(frame.locator(SHAPES)).to_have_count(44)  # the other Kreise stay, muted
    # The map fits the filter with an animation: wait for the zoom to arrive rather than reading it mid-flight.
    iframe = page.locator(MAP_IFRAME).last.element_handle()
    assert iframe is not None and iframe.content_frame() is not None
    iframe.content_frame().wait_for_function(f"() => ({MAP_ZOOM})() > {zoom_land}")
    assert "rb=083" in page.url
    assert network_guard.blocked == []


def test_clicking_a_gemeinde_shows_its_figures(page, app_server, network_guard):
    page.goto(f"{app_server.url}kreis?kreis=08115")
    frame = page.frame_locator(MAP_IFRAME).last
    shapes = frame.locator(SHAPES)
    expect(shapes).to_have_count(26)
    # elementFromPoint sees only what is in the window: bring the map into view first.
    page.locator(MAP_IFRAME).last.scroll_into_view_if_needed()
    expect(shapes.first).to_be_in_viewport()
    hits = shapes.evaluate_all(HIT_AT_CENTRE)
    assert hits
    shape = shapes.nth(hits[0])
    shape.hover()
    name = frame.locator(".leaflet-tooltip b").first.inner_text().strip()

    shape.click()

    detail = page.locator(".st-key-gemeinde_detail")
    expect(detail).to_contain_text(name)
    expect(detail).to_contain_text("Geflüchtete in Betreuung")
    expect(detail).to_contain_text("Anteil am Kreis")
    assert network_guard.blocked == []

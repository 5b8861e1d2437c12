"""What every journey step checks and does as a person would: no exception, no traceback, nothing fetched from outside."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from playwright.sync_api import Browser, BrowserContext, FrameLocator, Page, Route, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.conftest import NetworkGuard

MAP_IFRAME = 'iframe[src*="streamlit_folium.st_folium"]'  # its title is the map's German name
SHAPES = "path.leaflet-interactive"
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|StreamlitAPIException|Ask Google|Ask ChatGPT")
# In a map's frame: the moment (epoch ms) its 44 shapes are there; in the page: when the Plotly bundle was asked for.
SHAPES_PROBE = """(() => { if (window.top === window) return;
    const timer = setInterval(() => { if (document.querySelectorAll('path.leaflet-interactive').length >= 44) {
        window.__shownAt = performance.timeOrigin + performance.now(); clearInterval(timer); } }, 20); })();"""
PLOTLY_FETCHED = """() => { const e = performance.getEntriesByType('resource').find(r => r.name.includes('PlotlyChart'));
    return e ? performance.timeOrigin + e.startTime : null; }"""

# A point inside the Leaflet shape of one feature, found where the browser itself says the shape is on top.
POINT_IN_FEATURE = """(body, [prop, value]) => {
    const map = Object.values(window).find(v => v instanceof L.Map);
    let path = null;
    map.eachLayer(l => { if (l.feature && l._path && String(l.feature.properties[prop]) === value) path = l._path; });
    if (!path) return null;
    const box = path.getBoundingClientRect();
    for (let fy = 0.5; fy < 1; fy += 0.05) for (const y of [fy, 1 - fy]) for (let fx = 0.5; fx < 1; fx += 0.05)
        for (const x of [fx, 1 - fx]) {
            const px = box.x + box.width * x, py = box.y + box.height * y;
            if (document.elementFromPoint(px, py) === path) return [px, py];
        }
    return null;
}"""


@dataclass
class Journey:
    """One person's way through the app; `step` after each action proves the page is whole."""

    page: Page
    guard: NetworkGuard
    steps: list[tuple[str, float]] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def step(self, name: str) -> None:
        wait_until_idle(self.page)
        assert_whole(self.page, self.guard, name)
        self.steps.append((name, time.monotonic() - self.started))


def wait_until_idle(page: Page) -> None:
    # Streamlit marks its root with the script state; a rerun still drawing is not the state tested.
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")


SCRIPT_RUNNING = "() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'running'"


def settle(page: Page) -> None:
    """Wait for the rerun a change just asked for to start and end.

    Between a widget change and the server's answer the page still says "notRunning": waiting for idle alone
    can return before the rerun, and the next action then lands on a page that is about to be redrawn.
    A rerun too quick to be seen running has ended when the wait gives up.
    """
    try:
        page.wait_for_function(SCRIPT_RUNNING, timeout=1_500)
    except PlaywrightTimeoutError:
        pass
    wait_until_idle(page)


def assert_whole(page: Page, guard: NetworkGuard, where: str = "") -> None:
    """No Streamlit exception box, no traceback text, no request that left this machine."""
    exceptions = page.get_by_test_id("stException")
    assert exceptions.count() == 0, f"{where}: exception on the page: {exceptions.first.inner_text()[:400]}"
    text = page.locator("body").inner_text()
    assert not TRACEBACK.search(text), f"{where}: traceback text on the page"
    assert guard.blocked == [], f"{where}: requests to other hosts: {guard.blocked}"


def map_frame(page: Page) -> FrameLocator:
    # `.last`: a rerun that changes the map mounts a new iframe while the old one is still in the DOM.
    return page.frame_locator(MAP_IFRAME).last


def click_feature(page: Page, prop: str, value: str) -> None:
    """A real mouse click on the shape whose GeoJSON property `prop` is `value` (e.g. a Kreis's `ags`)."""
    iframe = page.locator(MAP_IFRAME).last
    expect(map_frame(page).locator(SHAPES).first).to_be_visible()
    iframe.scroll_into_view_if_needed()
    point = map_frame(page).locator("body").evaluate(POINT_IN_FEATURE, [prop, value])
    assert point is not None, f"no shape with {prop}={value} can be pointed at"
    box = iframe.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])


def reopen(browser: Browser, url: str, guard: NetworkGuard | None = None) -> tuple[BrowserContext, Page]:
    """The address in a fresh browser context: what a bookmark or a link in an e-mail does.

    Every request to another host is aborted, and recorded in `guard` if one is given.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="de-DE", timezone_id="Europe/Berlin")

    def route(route: Route) -> None:
        if route.request.url.startswith("http://127.0.0.1"):
            route.continue_()
            return
        if guard is not None:
            guard.blocked.append(route.request.url)
        route.abort("blockedbyclient")

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(url)
    return context, page


def expect_kreis_filter(page: Page, names: list[str]) -> None:
    """The sidebar's 'Kreise' filter shows exactly these chips (waiting for them to be drawn)."""
    chips = page.locator(".st-key-filter_kreise [data-tag]:visible")
    expect(chips).to_have_count(len(names))
    for chip, name in zip(chips.all(), names, strict=True):
        expect(chip).to_have_attribute("aria-label", name)


def choose(page: Page, label: str, option: str) -> None:
    """Pick `option` in the select box named `label` as a person does in a long list: type, then click.

    The arrow key opens a box the click only focused; typing narrows the list, which draws only what fits.
    A rerun still arriving from the step before can close the list under the pointer; a person then opens
    it again, and so does this, at most three times. The box must show the option in the end.
    """
    box = page.get_by_role("combobox", name=label, exact=True)
    for _attempt in range(3):
        settle(page)
        box.click()
        if not page.get_by_role("listbox").is_visible():
            page.keyboard.press("ArrowDown")
        page.keyboard.type(option.split(" (")[0])
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=5_000)
            break
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
    else:
        raise AssertionError(f"{label}: '{option}' could not be chosen three times")
    expect(box).to_have_value(option)
    settle(page)

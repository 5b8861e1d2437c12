"""Every button, tab, radio, checkbox, expander and link on every page, clicked once in the states the journeys reach.

A page whose click ends in an exception box, a traceback or a foreign request fails, naming the element.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect

from lagebild import demo
from lagebild.present.offline import is_local_url
from lagebild.store import Store
from tests.browser.conftest import StreamlitServer, start_server, stop_server
from tests.browser.journey import assert_whole, settle, wait_until_idle

pytestmark = pytest.mark.browser

DEMO_TODAY = date(2026, 11, 27)
# The states the journeys reach: the Land, a selected Kreis with its card, a Kreis filter, a profile, the planner,
# a comparison, data.
STATES = [
    "",
    "?auswahl=08317",
    "?kreis=08317&kennzahl=bedarf",
    "kreis?auswahl=08115",
    "kreis?auswahl=08317&stand=2024-12-31",
    "personalbedarf?auswahl=08115&regel=mischung",
    "vergleich?von=2023-06-30&kennzahl=bedarf",
    "daten",
    "glossar",
]
SCOPES = "[data-testid='stMain'], [data-testid='stSidebarUserContent']"
# What a person can click. The map iframe, Plotly's hover toolbar and the table's hover toolbar are not in
# this list: their clicks are the journeys' and the press tests' business.
CLICKABLE = ", ".join(
    [
        "button:not([data-testid='stBaseButton-headerNoPadding']):not([data-testid='stBaseButton-elementToolbar'])",
        "[role='tab']",
        "[data-testid='stRadio'] label",
        "[data-testid='stCheckbox'] label",
        "[data-testid='stExpander'] summary",
        "a[href]:not([href^='#'])",
    ]
)


def seed(database_url: str) -> None:
    store = Store(database_url)
    demo.seed(store, DEMO_TODAY)
    store.engine.dispose()


@pytest.fixture(scope="module")
def crawl_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """A server of its own: a crawl may tick and press what changes the data."""
    folder = tmp_path_factory.mktemp("crawl")
    server = start_server("app.py", folder, seed=seed, database_url=f"sqlite:///{Path(folder) / 'crawl.sqlite'}")
    yield server
    stop_server(server)


def describe(element: Locator) -> str:
    text = (element.get_attribute("aria-label") or element.inner_text() or element.get_attribute("href") or "").strip()
    return " ".join(text.split())[:80] or element.evaluate("e => e.outerHTML.slice(0, 80)")


def click_nth(page: Page, elements: Locator, index: int, state: str) -> str | None:
    """Clicks the index-th clickable element; None when it is hidden or disabled.

    A rerun still drawing can replace the element between finding and clicking it: then it is found again.
    """
    for _ in range(3):
        element = elements.nth(index)
        try:
            if not element.is_visible() or element.is_disabled():
                return None
            name = describe(element)
            href = element.get_attribute("href")
            if href and not is_local_url(urljoin(page.url, href)):
                # A link to another host would be a defect of its own; it is not followed, only named.
                pytest.fail(f"{state}: link to another host: {name} -> {href}")
            element.scroll_into_view_if_needed()
            element.click()
        except PlaywrightError as error:
            if "not attached" not in str(error) and "detached" not in str(error):
                raise
            settle(page)
            continue
        settle(page)
        return name
    pytest.fail(f"{state}: element {index} kept being redrawn and could not be clicked")


def open_state(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_test_id("stMain").locator("h1").first).to_be_visible()
    # The sidebar is drawn after the heading on a loaded machine: a crawl that starts earlier finds nothing visible.
    expect(page.locator(SCOPES).locator(CLICKABLE).first).to_be_visible()
    wait_until_idle(page)


@pytest.mark.parametrize("state", STATES)
def test_every_control_of_the_page_can_be_clicked_without_an_error(state, page, crawl_server, network_guard):
    url = crawl_server.url + state
    page.set_viewport_size({"width": 1280, "height": 900})
    open_state(page, url)
    assert_whole(page, network_guard, f"{state or 'Landesübersicht'} geöffnet")
    clicked: list[str] = []
    index = 0
    # Elements are found again after every click: a rerun redraws the page, and an expander opened by a
    # click adds what is inside it to the crawl.
    while True:
        elements = page.locator(SCOPES).locator(CLICKABLE)
        if index >= elements.count():
            break
        name = click_nth(page, elements, index, state)
        index += 1
        if name is None:
            continue
        assert_whole(page, network_guard, f"{state}: nach Klick auf „{name}“")
        clicked.append(name)
        page.keyboard.press("Escape")  # closes a tooltip or popover the click opened
        if page.url.split("?")[0] != url.split("?")[0]:
            open_state(page, url)
    assert clicked, f"{state}: nothing to click"
    print(f"{state or '/'}: {len(clicked)} clicks: {'; '.join(clicked)}")

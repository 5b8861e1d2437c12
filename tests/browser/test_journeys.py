"""Journeys of the ministry's leadership and a Kreis coordinator, start to finish in Chromium as they would click.

The first build's tests checked parts with AppTest, which runs a page switch twice and loses plain clicks
inside a page; so the crash of "Kreisprofil öffnen" never ran there. Every step here is a real click in a
real browser, and after each one the page must be whole: no exception box, no traceback, no foreign request.
"""

from __future__ import annotations

import base64
import re

import pytest
from playwright.sync_api import Page, expect
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from lagebild.domain.regions import regions
from tests.browser.journey import (
    MAP_IFRAME,
    SHAPES,
    Journey,
    assert_whole,
    choose,
    click_feature,
    expect_kreis_filter,
    map_frame,
    reopen,
    settle,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 800}
ORTENAU = "08317"
OFFENBURG = "08317096"
ROW_PX = 35  # Streamlit's data grid: header and rows of 35 px


def open_overview(page: Page, url: str) -> None:
    page.set_viewport_size(VIEWPORT)
    page.goto(url)
    expect(page.get_by_role("heading", name="Landesübersicht")).to_be_visible()
    expect(map_frame(page).locator(SHAPES)).to_have_count(44)


def card(page: Page, label: str) -> str:
    metric = page.get_by_test_id("stMetric").filter(has=page.get_by_text(label, exact=True))
    return metric.get_by_test_id("stMetricValue").inner_text()


def nav(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()


def test_leadership_reads_the_cards_opens_the_most_critical_kreis_and_comes_back(
    page, app_server, network_guard, browser
):
    journey = Journey(page, network_guard)
    open_overview(page, app_server.url)
    journey.step("Landesübersicht geöffnet")

    # The first screen answers the question without scrolling: critical Kreise, posts, cost, and who is worst.
    assert re.fullmatch(r"\d+ von 44", card(page, "Kritische Kreise"))
    assert card(page, "Kosten des Bedarfs").endswith("Mio. € je Jahr")
    worst = page.locator(".st-key-top5").get_by_role("button").first
    expect(worst).to_be_in_viewport()
    expect(page.locator(".st-key-top5").get_by_role("button").last).to_be_in_viewport()
    name = worst.locator("strong").inner_text()
    key = next(k.key for k in regions().kreise if k.display_name == name)

    click_feature(page, "ags", key)
    detail = page.locator(".st-key-detail")
    expect(detail.get_by_role("heading", name=name, exact=True)).to_be_visible()
    journey.step(f"{name} in der Karte angeklickt")
    assert f"auswahl={key}" in page.url

    detail.get_by_role("link", name="Kreisprofil öffnen").click()
    expect(page.get_by_role("heading", level=1, name=name, exact=True)).to_be_visible()
    expect(page.get_by_text("Im Vergleich")).to_be_visible()
    journey.step("Kreisprofil geöffnet")
    assert "/kreis" in page.url and f"auswahl={key}" in page.url
    # The sidebar keeps the Land-wide view the leadership came from, with the same assumptions.
    expect_kreis_filter(page, [])
    expect(page.locator(".st-key-zielwert input")).to_have_value("150")

    page.go_back()
    expect(page.get_by_role("heading", name="Landesübersicht")).to_be_visible()
    expect(page.locator(".st-key-detail").get_by_role("heading", name=name, exact=True)).to_be_visible()
    journey.step("zurück zur Landesübersicht")

    # The profile's address, sent by e-mail, opens the same Kreis.
    context, other = reopen(browser, page.url.replace("/?", "/kreis?"))
    try:
        expect(other.get_by_role("heading", level=1, name=name, exact=True)).to_be_visible()
        wait_until_idle(other)
        assert other.get_by_test_id("stException").count() == 0
    finally:
        context.close()
    print("leadership journey:", journey.steps)


def test_coordinator_types_the_kreis_opens_the_profile_clicks_a_gemeinde_and_reopens_the_bookmark(
    page, app_server, network_guard, browser
):
    journey = Journey(page, network_guard)
    open_overview(page, app_server.url)

    kreise = page.locator(".st-key-filter_kreise")
    kreise.get_by_role("combobox").click()
    page.keyboard.type("Ortenau")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(page.get_by_text("1 von 44 Stadt- und Landkreisen")).to_be_visible()
    journey.step("Filter auf Ortenaukreis getippt")
    expect_kreis_filter(page, ["Ortenaukreis"])

    nav(page, "Kreisprofil")
    expect(page.get_by_role("heading", level=1, name="Ortenaukreis", exact=True)).to_be_visible()
    journey.step("Kreisprofil über die Navigation")

    gemeinden = map_frame(page).locator(SHAPES)
    expect(gemeinden.first).to_be_visible()
    click_feature(page, "ags", OFFENBURG)
    detail = page.locator(".st-key-gemeinde_detail")
    expect(detail).to_contain_text("Offenburg")
    expect(detail).to_contain_text(OFFENBURG)
    journey.step("Gemeinde Offenburg angeklickt")

    bookmark = page.url
    assert f"auswahl={ORTENAU}" in bookmark or f"kreis={ORTENAU}" in bookmark
    context, other = reopen(browser, bookmark)
    try:
        expect(other.get_by_role("heading", level=1, name="Ortenaukreis", exact=True)).to_be_visible()
        wait_until_idle(other)
        expect_kreis_filter(other, ["Ortenaukreis"])
        assert other.get_by_test_id("stException").count() == 0
    finally:
        context.close()
    journey.step("Lesezeichen in neuem Fenster geöffnet")

    # The profile's picker and the sidebar filter name one Kreis: choosing the neighbour moves both.
    choose(page, "Kreis", "Emmendingen")
    expect(page.get_by_role("heading", level=1, name="Emmendingen", exact=True)).to_be_visible()
    expect_kreis_filter(page, ["Emmendingen"])
    journey.step("Nachbarkreis im Kreisprofil gewählt")
    print("coordinator journey:", journey.steps)


def test_a_kreis_chosen_in_the_table_is_the_profile_reached_through_the_navigation_and_its_bookmark(
    page, app_server, network_guard, browser
):
    open_overview(page, app_server.url)
    table = page.locator(".st-key-tabelle")
    table.scroll_into_view_if_needed()
    wait_until_idle(page)
    # The table follows the map (issue 12) and stands as a grey placeholder until its grid has loaded: a person
    # clicks the rows once they are drawn.
    expect(table.get_by_test_id("data-grid-canvas")).to_be_visible()
    # The grid is a canvas: a person clicks the third row's selection box, at the row's left edge.
    box = table.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 16, box["y"] + ROW_PX * 3.5)
    detail = page.locator(".st-key-detail")
    expect(detail.locator("h3")).to_be_visible()
    name = detail.locator("h3").inner_text()
    wait_until_idle(page)

    nav(page, "Kreisprofil")
    expect(page.get_by_role("heading", level=1, name=name, exact=True)).to_be_visible()
    wait_until_idle(page)
    assert_whole(page, network_guard, "Kreisprofil")
    # The profile's picker and the address name the same Kreis as the heading.
    expect(page.locator(".st-key-profil_kreis").get_by_role("combobox")).to_have_value(name)

    context, other = reopen(browser, page.url)
    try:
        expect(other.get_by_role("heading", level=1, name=name, exact=True)).to_be_visible()
    finally:
        context.close()


def test_the_overview_address_restores_kennzahl_klassen_zeitraum_and_the_selected_kreis(
    page, app_server, network_guard, browser
):
    open_overview(page, app_server.url)
    choose(page, "Kennzahl", "Zugänge je Einwohner (Zugänge je 1.000 Einwohner)")
    choose(page, "Klassen", "Gleiche Intervalle")
    choose(page, "Zeitraum der Zugänge", "letzte 12 Monate")
    click_feature(page, "ags", ORTENAU)
    expect(page.locator(".st-key-detail").get_by_role("heading", name="Ortenaukreis")).to_be_visible()
    wait_until_idle(page)
    assert_whole(page, network_guard, "Landesübersicht eingestellt")

    context, other = reopen(browser, page.url)
    try:
        expect(other.get_by_role("heading", name="Landesübersicht")).to_be_visible()
        expect(other.locator(".st-key-karte_kennzahl").get_by_role("combobox")).to_have_value(
            re.compile("Zugänge je Einwohner")
        )
        expect(other.locator(".st-key-karte_klassen").get_by_role("combobox")).to_have_value("Gleiche Intervalle")
        expect(other.locator(".st-key-zeitraum").get_by_role("combobox")).to_have_value("letzte 12 Monate")
        expect(other.locator(".st-key-detail").get_by_role("heading", name="Ortenaukreis")).to_be_visible()
    finally:
        context.close()


def test_the_personalbedarf_address_restores_the_scenario(page, app_server, network_guard, browser):
    page.goto(f"{app_server.url}personalbedarf?horizont=9&zugaenge=2500&regel=mischung&mischung=30&budget=70000000")
    expect(page.get_by_role("heading", name="Personalbedarf", exact=True)).to_be_visible()
    wait_until_idle(page)
    assert_whole(page, network_guard, "Personalbedarf aus der Adresse")
    expect(page.locator(".st-key-szenario_horizont")).to_contain_text("9")
    expect(page.locator(".st-key-szenario_zugaenge input")).to_have_value("2.500")
    expect(page.locator(".st-key-verteilung_budget input")).to_have_value("70.000.000")
    expect(page.locator(".st-key-verteilung_regel input[type='radio']:checked")).to_have_count(1)
    checked = page.locator(".st-key-verteilung_regel label").filter(has=page.locator("input:checked"))
    expect(checked).to_contain_text("Mischung")

    # Changing an input changes the address, so the bookmark is the scenario on screen.
    page.locator(".st-key-szenario_zugaenge input").fill("3000")
    page.keyboard.press("Enter")
    settle(page)
    expect(page).to_have_url(re.compile(r"zugaenge=3000"))
    context, other = reopen(browser, page.url)
    try:
        expect(other.locator(".st-key-szenario_zugaenge input")).to_have_value("3.000")
        expect(other.locator(".st-key-szenario_horizont")).to_contain_text("9")
    finally:
        context.close()


READABLE = """els => els.filter(e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)
                  .map(e => e.innerText)"""


@pytest.mark.parametrize("width", [1024, 1280])
@pytest.mark.parametrize("state", ["", "kreis?auswahl=08317", "personalbedarf"])
def test_every_key_figure_is_readable_whole_from_1024_px(state, width, page, app_server, network_guard):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(app_server.url + state)
    values = page.get_by_test_id("stMetricValue")
    expect(values.first).to_be_visible()
    wait_until_idle(page)
    # A value cut off by its card ("969,9 …", "441.173 € je…") is wider than the box that shows it.
    cut = values.evaluate_all(READABLE) + page.get_by_test_id("stMetricLabel").evaluate_all(READABLE)
    assert cut == [], f"{state or '/'} at {width} px: cut off: {cut}"
    assert_whole(page, network_guard, state)


# In the page: what the browser sends its server and what it receives (small messages; a large one is a delta),
# in one order with the clicks. Only watches: every message goes through unchanged.
RECORD_MESSAGES = """(() => { if (window.top !== window) return;
    window.__messages = [];
    const record = (way, data) => { const bytes = new Uint8Array(data);
        window.__messages.push([way, bytes.length > 4096 ? null : btoa(String.fromCharCode(...bytes))]); };
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) {
        if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) record('sent', ArrayBuffer.isView(data)
            ? data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) : data);
        return send.call(this, data); };
    const Socket = window.WebSocket;
    window.WebSocket = function (...args) { const socket = new Socket(...args);
        socket.addEventListener('message', (event) => { if (event.data instanceof ArrayBuffer) record('received', event.data); });
        return socket; };
    window.WebSocket.prototype = Socket.prototype;
    Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
    document.addEventListener('click', () => window.__messages.push(['click', null]), true);
})();"""

# In the page: the moment the map's first shape is drawn, click the sidebar link named in window.__leaveTo, in the
# same task: a person who leaves as the map appears, before the page could say that its map stands.
LEAVE_AS_THE_MAP_APPEARS = """(() => { if (window.top !== window) return;
    const leave = () => {
        const link = [...document.querySelectorAll('[data-testid="stSidebarNav"] a')]
            .find((a) => a.textContent.trim().endsWith(window.__leaveTo));
        if (!window.__leaveTo || !link) return false;
        window.__leaveTo = null;
        link.click();
        return true; };
    const watch = () => {
        const frame = document.querySelector('MAP_IFRAME');
        const doc = frame && frame.contentDocument;
        if (!doc || !doc.URL.includes('st_folium')) { setTimeout(watch, 2); return; }
        new frame.contentWindow.MutationObserver((changes, observer) => {
            if (doc.querySelector('path.leaflet-interactive') && leave()) observer.disconnect();
        }).observe(doc, {childList: true, subtree: true}); };
    watch();
})();""".replace("MAP_IFRAME", MAP_IFRAME.replace("'", "\\'"))


def messages_after_the_click(page: Page) -> list[str]:
    """What the browser sent and received after the first click, each as one readable line."""
    lines: list[str] = []
    clicked = False
    for way, data in page.evaluate("window.__messages"):
        if way == "click":
            clicked = True
        elif clicked and way == "sent":
            message = BackMsg.FromString(base64.b64decode(data))
            rerun = message.rerun_script
            lines.append(f"sent {message.WhichOneof('type')} fragment={rerun.fragment_id or '-'}")
        elif clicked and data is not None:
            lines.append(f"received {ForwardMsg.FromString(base64.b64decode(data)).WhichOneof('type')}")
    return lines


def test_leaving_the_kreisprofil_as_its_map_appears_lands_on_the_page_clicked(page, app_server, network_guard):
    """The Kreisprofil reports to its server when its map stands, so its charts are drawn then. A report still sent
    after a click to another page made Streamlit run the Kreisprofil's part after the new page, under the old
    address: the browser was left with an empty page (test_journey_population, twice in full runs)."""
    page.context.add_init_script(RECORD_MESSAGES)
    page.context.add_init_script(LEAVE_AS_THE_MAP_APPEARS)
    page.context.add_init_script("window.__leaveTo = 'Landesübersicht';")
    page.goto(app_server.url + "kreis?kreis=08111")

    expect(page.get_by_role("heading", name="Landesübersicht", exact=True)).to_be_visible()
    expect(page.frame_locator(MAP_IFRAME).last.locator(SHAPES)).to_have_count(44)
    expect(page.get_by_test_id("stMetric").filter(has_text="Kritische Kreise")).to_be_visible()
    wait_until_idle(page)
    assert_whole(page, network_guard, "Landesübersicht nach dem Kreisprofil")
    after = messages_after_the_click(page)
    # Between the click and the end of the new page's first run the browser asks for that page only; a fragment
    # rerun there is the old page's report, whatever the server then makes of it.
    first_run = after[: after.index("received script_finished") + 1]
    assert [line for line in first_run if line.startswith("sent rerun_script")] == ["sent rerun_script fragment=-"], (
        after
    )

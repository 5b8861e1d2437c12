"""Journey of the Datenstelle in Chromium: the official population (GENESIS table 12411) uploaded on the Daten page,
accepted, and then the Kreisprofil and the Landesübersicht say which population their rates use."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import StreamlitServer, seed_demo, start_server, stop_server
from tests.browser.journey import choose
from tests.browser.test_journey_daten import assert_clean, open_page

pytestmark = pytest.mark.browser

FIXTURE = Path(__file__).parents[1] / "fixtures" / "genesis_12411_bevoelkerung_kreise.csv"
IMPORTED = "Destatis/Statistisches Landesamt, Tabelle 12411-01-01-4"
REFERENCE = "Destatis GV-ISys, Referenzbestand (kein Import)"


@pytest.fixture
def journey_server(tmp_path: Path) -> Iterator[StreamlitServer]:
    """A server and store of its own: the journey changes the data, which the shared app server must not see."""
    server = start_server("app.py", tmp_path, seed=seed_demo, database_url=f"sqlite:///{tmp_path / 'journey.sqlite'}")
    yield server
    stop_server(server)


def profile_caption(page: Page) -> str:
    caption = page.get_by_test_id("stCaptionContainer").filter(has_text="Stand der Zahlen").first
    expect(caption).to_be_visible()
    return caption.inner_text()


def test_an_uploaded_population_is_named_in_the_kreisprofil_and_the_overview_card(page, journey_server, network_guard):
    page.goto(journey_server.url + "kreis?kreis=08111")
    expect(page.get_by_role("heading", name="Stuttgart")).to_be_visible()
    assert f"634.830 Einwohner 31.12.2018 ({REFERENCE})" in profile_caption(page)

    open_page(page, "Daten")
    page.get_by_role("tab", name="Hochladen").click()
    page.locator("input[type='file']").set_input_files(str(FIXTURE))
    expect(page.get_by_text("Tabelle 12411 ist der amtliche Bevölkerungsstand")).to_be_visible()
    expect(page.get_by_role("combobox", name="Kennzahl")).to_have_value("Einwohner (Personen)")
    choose(page, "Wertespalte", "1: 31.12.2024 / Insgesamt")
    preview = page.get_by_test_id("stMarkdownContainer").filter(has_text="Zeilen verstanden")
    expect(preview).to_contain_text("Zeilen verstanden: 44")
    assert_clean(page, network_guard)
    page.screenshot(path="/tmp/journey-bevoelkerung-vorschau.png", full_page=True)
    page.get_by_role("button", name="Übernehmen").click()
    expect(page.get_by_text("übernommen: 44 Werte für Einwohner")).to_be_visible()

    page.goto(journey_server.url + "kreis?kreis=08111")
    expect(page.get_by_role("heading", name="Stuttgart")).to_be_visible()
    assert f"613.881 Einwohner 31.12.2024 ({IMPORTED})" in profile_caption(page)
    expect(page.get_by_test_id("stMetric").first).to_be_visible()
    expect(page.get_by_test_id("stSidebar")).to_contain_text(f"Quoten je Einwohner: Einwohner 31.12.2024, {IMPORTED}.")
    assert_clean(page, network_guard)
    page.screenshot(path="/tmp/journey-bevoelkerung-kreisprofil.png", full_page=False)

    open_page(page, "Landesübersicht")
    # The Kreis the profile showed stays picked for the session: its card is open on the map's side.
    card = page.locator(".st-key-detail")
    expect(card.get_by_role("heading", name="Stuttgart")).to_be_visible()
    expect(card).to_contain_text(f"Einwohner 31.12.2024: 613.881 ({IMPORTED})")
    assert_clean(page, network_guard)
    card.screenshot(path="/tmp/journey-bevoelkerung-karte.png")

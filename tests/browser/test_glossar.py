"""The Glossar as the one home of definitions, in Chromium: a key figure's help text and the Glossar say the same."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lagebild.present import glossary

pytestmark = pytest.mark.browser


def test_leadership_reads_a_key_figures_definition_in_its_help_and_again_in_the_glossar(
    page, app_server, network_guard
):
    definition = glossary.term("need_fte").definition
    page.goto(app_server.url)
    expect(page.get_by_role("heading", name="Landesübersicht")).to_be_visible()
    card = page.get_by_test_id("stMetric").filter(has=page.get_by_text("Verstärkungsbedarf", exact=True))
    card.get_by_test_id("stTooltipHoverTarget").hover()
    tooltip = page.get_by_test_id("stTooltipContent")
    expect(tooltip).to_contain_text("Summe über die Kreise.")
    expect(tooltip).to_contain_text(definition)

    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Glossar").click()
    expect(page.get_by_role("heading", name="Glossar", exact=True)).to_be_visible()
    term = page.locator(".st-key-glossar_need_fte")
    expect(term.get_by_role("heading", name="Verstärkungsbedarf")).to_be_visible()
    expect(term).to_contain_text(definition)
    # The Stand of a computed figure is that of what it is computed from, as the store holds it.
    expect(term).to_contain_text("Stand: Geflüchtete in Betreuung: 30.09.2026")
    expect(page.locator(".st-key-glossar_arrivals")).to_contain_text("Stand: September 2026")
    assert network_guard.blocked == []

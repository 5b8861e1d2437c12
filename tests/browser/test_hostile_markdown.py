"""Hostile text through text.markdown reads exactly as written in Streamlit's markdown, messages and captions."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from lagebild.present.text import JOINER
from tests.support.hostile import HOSTILE

pytestmark = pytest.mark.browser

ELEMENTS = ":is([data-testid=stMarkdownContainer], [data-testid=stCaptionContainer])"


@pytest.fixture
def app_script() -> str:
    return "tests/browser/apps/hostile_text_probe.py"


def shown(page: Page, i: int) -> list[str]:
    return [t.replace(JOINER, "") for t in page.locator(f".st-key-probe_{i} {ELEMENTS}").all_inner_texts()]


def test_hostile_text_renders_as_written_with_no_link_image_formula_or_icon(page, app_server, network_guard):
    page.goto(app_server.url)
    expect(page.locator(f".st-key-probe_{len(HOSTILE) - 1} {ELEMENTS}")).to_have_count(4)

    made = page.locator("[data-testid=stMain] :is(a, img, .katex, [data-testid=stIconMaterial], span[style])")
    assert made.count() == 0
    for i, value in enumerate(HOSTILE):
        texts = shown(page, i)
        assert texts == [f"Wert: „{value}“", f"Quelle: {value}", value, value], value
    assert network_guard.blocked == []

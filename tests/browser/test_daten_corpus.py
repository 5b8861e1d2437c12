"""The worst files of the corpus (tests/support/corpus.py) uploaded to the Daten page in Chromium: each gets a German answer, never
a Streamlit exception box or a traceback, and nothing can be taken over."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.support.corpus import by_name

pytestmark = pytest.mark.browser

# Worst first: the ZIP bomb, a million rows just under the upload limit, binary files, a cell the csv module cannot
# hold, 39,000 problems, a cell with terminal escapes.
REFUSED = [
    "xlsx_bombe_1gb.xlsx",
    "million_zeilen.csv",
    "zufallsbytes.csv",
    "bild.csv",
    "zelle_140kib_mehrzeilig.csv",
    "viele_probleme.csv",
    "escape_sequenz.csv",
    "betreuung_arabisch.csv",
]


def assert_clean(page: Page, guard) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert "Traceback" not in page.locator("body").inner_text()
    assert guard.blocked == []


def upload(page: Page, folder: Path, name: str) -> None:
    path = folder / name
    path.write_bytes(by_name(name).data())
    page.locator("input[type='file']").set_input_files(str(path))
    expect(page.get_by_test_id("stFileChipName")).to_have_attribute("title", name)


def test_the_worst_files_get_a_german_answer_and_never_an_exception_box(page, app_server, network_guard, tmp_path):
    page.goto(f"{app_server.url}daten")
    expect(page.get_by_role("heading", name="Daten", exact=True)).to_be_visible()

    for name in REFUSED:
        upload(page, tmp_path, name)
        problems = page.locator(".st-key-probleme")
        expect(problems).to_contain_text(by_name(name).says)
        expect(problems).to_contain_text("– die Datei wird so nicht übernommen.")
        expect(page.get_by_role("button", name="Übernehmen")).to_be_disabled()
        assert_clean(page, network_guard)
        if name == "viele_probleme.csv":
            # 39,000 problems: the first 50 listed, the rest counted.
            expect(problems.locator("li")).to_have_count(50)
            expect(problems).to_contain_text("… und 38.950 weitere Probleme")
            problems.get_by_text("weitere Probleme").scroll_into_view_if_needed()
            page.screenshot(path="/tmp/daten-viele-probleme.png")
        if name == "escape_sequenz.csv":
            problems.screenshot(path="/tmp/daten-escape.png")
        if name == "xlsx_bombe_1gb.xlsx":
            # Refused by the checks before parsing: nothing to ask, so no question for the measure.
            expect(page.get_by_role("combobox", name="Kennzahl")).to_have_count(0)
            page.screenshot(path="/tmp/daten-xlsx-bombe.png", full_page=True)

    # Excel's "Unicode-Text" (UTF-16) is a format users produce: it is read, not refused.
    upload(page, tmp_path, "unicode_text.txt")
    expect(page.get_by_test_id("stMarkdownContainer").filter(has_text="Kodierung")).to_contain_text("Kodierung: UTF-16")
    assert_clean(page, network_guard)

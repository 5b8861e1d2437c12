"""Downloads in Chromium: a click on an export button delivers a file of the right type."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from lagebild.export import images

pytestmark = pytest.mark.browser

PANEL = "export_uebersicht"
# The first image starts the app's Kaleido browser; on a 2-core CI machine that takes a while.
DOWNLOAD_TIMEOUT_MS = 180_000


def open_export_panel(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", name="Landesübersicht")).to_be_visible()
    page.get_by_text("Export: Grafiken und Daten").click()
    expect(button(page, f"{PANEL}_tabelle_csv")).to_be_visible()


def button(page: Page, key: str) -> Locator:
    # Streamlit puts the key's class on the widget's container and on the button's own wrapper.
    return page.locator(f".st-key-{key} button").first


def download(page: Page, button_key: str, tmp_path: Path) -> tuple[str, bytes]:
    with page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as info:
        button(page, button_key).click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return info.value.suggested_filename, target.read_bytes()


def test_the_table_button_delivers_a_csv_that_german_excel_reads(app_server, page, tmp_path):
    open_export_panel(page, app_server.url)
    name, data = download(page, f"{PANEL}_tabelle_csv", tmp_path)
    assert name == "lagebild_landesuebersicht_2026-09-30_tabelle.csv"
    assert data.startswith(b"\xef\xbb\xbfAGS;Kreis;Status;")
    assert "Böblingen".encode() in data


def test_the_ranking_button_delivers_a_png_of_the_chosen_preset(app_server, page, tmp_path):
    if images.chromium_path() is None:
        pytest.skip(images.CHROMIUM_MISSING)
    open_export_panel(page, app_server.url)
    social = page.locator(f".st-key-{PANEL}_vorlage").get_by_role("radio", name=re.compile("Social 1:1"))
    social.check(force=True)  # BaseWeb hides the input under its styled circle
    expect(social).to_be_checked()
    expect(button(page, f"{PANEL}_pressepaket")).to_contain_text("Social 1:1")  # the rerun has rebuilt the buttons
    name, data = download(page, f"{PANEL}_rangfolge_png", tmp_path)
    assert name.endswith("_rangfolge_social.png")
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (1080, 1080)


def test_the_kreis_page_delivers_the_profile_as_a_pdf(app_server, page, tmp_path):
    if images.chromium_path() is None:
        pytest.skip(images.CHROMIUM_MISSING)
    page.goto(app_server.url + "kreis?kreis=08115")
    expect(page.get_by_role("heading", name="Böblingen")).to_be_visible()
    name, data = download(page, "kreisprofil_profil", tmp_path)
    assert name == "kreisprofil_boeblingen_2026-09-30.pdf"
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 3 and "Seite 1 von" in reader.pages[0].extract_text()

"""The Vergleich in Chromium on the demo data: a person picks a Stand, reads map and lists, reopens the bookmark,
and downloads the map and the table."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import Page, expect

from lagebild.export import files
from tests.browser.journey import Journey, choose, map_frame, reopen, settle

pytestmark = pytest.mark.browser

KREISE = 44
SHAPES = "path.leaflet-interactive"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PANEL = "export_vergleich"


def button(page: Page, key: str):  # noqa: ANN201 - a Locator
    return page.locator(f".st-key-{key} button").first


def shot(page: Page, name: str) -> None:
    height = page.get_by_test_id("stMain").evaluate("main => main.scrollHeight")
    page.set_viewport_size({"width": 1280, "height": max(900, height)})
    expect(map_frame(page).locator(SHAPES)).to_have_count(KREISE)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_person_compares_two_stands_reopens_the_bookmark_and_downloads_map_and_table(
    browser, page, app_server, network_guard, tmp_path
):
    journey = Journey(page, network_guard)
    page.goto(app_server.url + "vergleich")
    expect(page.get_by_role("heading", name="Vergleich zweier Stände")).to_be_visible()
    expect(map_frame(page).locator(SHAPES)).to_have_count(KREISE)
    legend = page.locator(".lb-legend")
    expect(legend).to_contain_text("Veränderung Betreuungsschlüssel (Geflüchtete je VZÄ), 30.09.2025 → 30.09.2026")
    journey.step("geöffnet")
    shot(page, "vergleich_standard.png")

    # An earlier Stand: over three years some Kreise got worse and one got better.
    choose(page, "Früherer Stand", "30.06.2023")
    expect(legend).to_contain_text("30.06.2023 → 30.09.2026")
    journey.step("früherer Stand gewählt")
    expect(page).to_have_url(re.compile(r"[?&]von=2023-06-30"))
    crossings = page.locator(".st-key-statuswechsel")
    expect(crossings).to_contain_text("In einen schlechteren Status gewechselt (2)")
    expect(crossings).to_contain_text("In einen besseren Status gewechselt (1)")
    expect(crossings.locator("li")).to_have_count(3)
    expect(page.locator(".st-key-anstiege li")).to_have_count(5)
    expect(page.locator(".st-key-rueckgaenge li")).to_have_count(5)
    expect(page.locator(".st-key-anstiege")).to_contain_text("Größte Anstiege (Verschlechterung)")
    totals = page.locator(".st-key-summen")
    expect(totals).to_contain_text("Land Baden-Württemberg: Stände 30.06.2023 → 30.09.2026")
    expect(totals.locator("tbody tr")).to_have_count(3)
    expect(totals).to_contain_text(re.compile(r"Integrationsmanagement \(VZÄ\).*\d,\d\u202fVZÄ"))
    # The map: warm and cool Kreise both, every Kreis with a fill.
    fills = map_frame(page).locator(SHAPES).evaluate_all("ps => ps.map(p => p.getAttribute('fill'))")
    assert len(fills) == KREISE and None not in fills and len(set(fills)) >= 3, fills
    # A tooltip names both Stände and the change.
    box = page.locator('iframe[src*="streamlit_folium.st_folium"]').last
    box.scroll_into_view_if_needed()
    map_frame(page).locator(SHAPES).nth(10).hover(force=True)
    tooltip = map_frame(page).locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text("Stand 30.06.2023")
    expect(tooltip).to_contain_text("Stand 30.09.2026")
    expect(tooltip).to_contain_text("Veränderung")
    page.screenshot(path=str(ARTIFACTS / "vergleich_tooltip.png"))
    shot(page, "vergleich_2023.png")
    # Another Kennzahl, where more is better: its rises are the cool side and the improvement.
    choose(page, "Kennzahl", "Beratungskapazität je Einwohner (VZÄ je 100.000 Einwohner)")
    expect(legend).to_contain_text("Veränderung Beratungskapazität je Einwohner (VZÄ je 100.000 Einwohner)")
    expect(page.locator(".st-key-anstiege")).to_contain_text("Größte Anstiege (Verbesserung)")
    journey.step("Kennzahl gewählt")
    expect(page).to_have_url(re.compile(r"[?&]kennzahl=vzae_je_100000"))
    url = page.url
    assert "bis=2026-09-30" in url and "von=2023-06-30" in url

    # The bookmark, opened in a fresh browser, shows the same choice.
    context, again = reopen(browser, url, network_guard)
    try:
        expect(again.get_by_role("heading", name="Vergleich zweier Stände")).to_be_visible()
        expect(again.get_by_role("combobox", name="Früherer Stand", exact=True)).to_have_value("30.06.2023")
        expect(again.get_by_role("combobox", name="Späterer Stand", exact=True)).to_have_value("30.09.2026")
        expect(again.get_by_role("combobox", name="Kennzahl", exact=True)).to_have_value(
            "Beratungskapazität je Einwohner (VZÄ je 100.000 Einwohner)"
        )
        expect(again.locator(".lb-legend")).to_contain_text(
            "Veränderung Beratungskapazität je Einwohner (VZÄ je 100.000 Einwohner), 30.06.2023 → 30.09.2026"
        )
        expect(again.locator(".st-key-statuswechsel li")).to_have_count(3)
    finally:
        context.close()

    # Downloads: the map as PNG, the table as CSV and XLSX, each naming both Stände.
    page.get_by_text("Export: Grafiken und Daten").click()
    expect(button(page, f"{PANEL}_tabelle_csv")).to_be_visible()
    # No Gemeinde figures here: no Geheimhaltung switch that would change nothing.
    expect(page.locator(f".st-key-{PANEL}_geheimhaltung")).to_have_count(0)
    downloads = {}
    for key in ("karte_png", "tabelle_csv", "tabelle_xlsx"):
        with page.expect_download(timeout=120_000) as info:
            button(page, f"{PANEL}_{key}").click()
        name = info.value.suggested_filename
        target = tmp_path / name
        info.value.save_as(target)
        downloads[key] = (name, target.read_bytes())
        settle(page)
        journey.step(f"heruntergeladen: {name}")
    name, png = downloads["karte_png"]
    assert name == "lagebild_vergleich_2023-06-30_2026-09-30_karte_web.png", name
    image = Image.open(io.BytesIO(png))
    assert image.size == files.PRESETS["web"].png_size
    (ARTIFACTS / "vergleich_karte.png").write_bytes(png)
    name, csv = downloads["tabelle_csv"]
    lines = csv.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("AGS;Kreis;Kennzahl;Stand vorher;Wert vorher;Stand nachher;Wert nachher;Veränderung")
    assert len(lines) == 1 + KREISE and ";30.06.2023;" in lines[1] and ";30.09.2026;" in lines[1]
    book = load_workbook(io.BytesIO(downloads["tabelle_xlsx"][1]))
    meta = {row[0]: row[1] for row in book["Metadaten"].iter_rows(values_only=True) if row and row[0]}
    assert meta["Stand"] == "30.06.2023 → 30.09.2026"
    assert book["Daten"]["C2"].value == "Beratungskapazität je Einwohner (VZÄ je 100.000 Einwohner)"
    assert network_guard.blocked == []

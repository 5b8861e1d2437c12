"""The Kreisprofil as PDF: A4 portrait pages, numbered, German, with bookmarks, sources and the demo mark."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader

from lagebild import geometry
from lagebild.domain.regions import regions
from lagebild.export import profile_pdf
from tests.support.exports import A4_PORTRAIT_PT


@pytest.fixture(scope="module")
def profile(chromium, view) -> PdfReader:
    layers = geometry.layers()
    meta = replace(view.meta, view="Kreisprofil Böblingen", region_label="Böblingen")
    data = profile_pdf.ProfileInput(
        "08115", regions(), view.table, view.obs, view.period, layers.kreise, geometry.gemeinden(), meta
    )
    return PdfReader(io.BytesIO(profile_pdf.kreis_profile_pdf(data)))


def test_the_kreis_profile_is_a_multi_page_a4_portrait_document(profile):
    assert len(profile.pages) >= 3
    for page in profile.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_PORTRAIT_PT, abs=1)


def test_every_page_of_the_kreis_profile_is_numbered(profile):
    total = len(profile.pages)
    for number, page in enumerate(profile.pages, start=1):
        assert f"Seite {number} von {total}" in page.extract_text()


def test_the_kreis_profile_compares_with_rb_and_land_in_german(profile):
    first = profile.pages[0].extract_text()
    for part in (
        "Böblingen",
        "Kennzahlen des Kreises",
        "Im Vergleich mit Regierungsbezirk und Land",
        "RB Stuttgart",
        "Baden-Württemberg",
        "Betreuungsschlüssel",
        "Stand 30.09.2026",
    ):
        assert part in first, part


def test_the_kreis_profile_has_time_series_neighbours_definitions_and_sources(profile):
    text = "\n".join(page.extract_text() for page in profile.pages)
    for part in (
        "Entwicklung",
        "Nachbarkreise",
        "Definitionen",
        "Quellen und Lizenzen",
        "Stand je Kennzahl",
        "GeoNutzV",
        "Zielwert 150",
    ):
        assert part in text, part


def test_the_kreis_profile_names_its_title_and_german_language_for_a_screen_reader(profile):
    catalog = profile.trailer["/Root"]
    assert profile.metadata.title == "Kreisprofil Böblingen"
    assert str(catalog["/Lang"]).startswith("de")
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712 - a pypdf BooleanObject is always truthy


def test_the_kreis_profile_has_bookmarks_in_reading_order_that_lead_to_their_pages(profile):
    """A reader moves through the PDF by its outline: the Kreis, then every section on the page it starts."""
    outline = profile.outline
    assert [entry.title for entry in outline if not isinstance(entry, list)] == ["Böblingen"]
    sections = outline[1]
    titles = [entry.title for entry in sections]
    assert titles[:2] == ["Im Vergleich mit Regierungsbezirk und Land", "Entwicklung"]
    assert {"Nachbarn und Vergleichskreise", "Definitionen", "Quellen und Lizenzen"} <= set(titles)
    pages = [profile.get_destination_page_number(entry) for entry in sections]
    assert pages == sorted(pages)
    for entry, number in zip(sections, pages, strict=True):
        assert entry.title in profile.pages[number].extract_text(), (entry.title, number)


def test_the_kreis_profile_marks_demo_data_on_every_page(profile):
    assert all("Beispieldaten – keine amtlichen Zahlen" in page.extract_text() for page in profile.pages)

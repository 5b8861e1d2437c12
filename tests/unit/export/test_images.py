"""Images through the warm Kaleido browser: pixel sizes, SVG text, PDF pages, the cache, and no Chromium at all."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import plotly.graph_objects as go
import pytest
from PIL import Image
from pypdf import PdfReader

from lagebild import geometry
from lagebild.domain.measures import Status
from lagebild.export import figure_layout, files, images
from lagebild.present import palette
from tests.support.exports import A4_LANDSCAPE_PT

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def test_without_chromium_the_app_says_in_german_to_install_the_debian_package(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    status = images.image_export_status()
    assert not status.ok
    assert "apt-get install chromium" in status.message and "Debian-Paket „chromium“" in status.message


def test_without_chromium_an_image_export_fails_with_that_message(monkeypatch, view):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    with pytest.raises(images.ExportError, match="Debian-Paket"):
        images.render(view.ranking, "png", 100, 100, 1)


@pytest.mark.parametrize("preset", list(files.PRESETS))
def test_a_png_has_the_pixel_size_of_its_preset(chromium, view, preset):
    image = Image.open(io.BytesIO(images.image_bytes(view.ranking, "png", files.PRESETS[preset], view.meta)))
    assert image.format == "PNG" and image.size == files.PRESETS[preset].png_size


def test_the_map_png_shows_the_screen_colours(chromium, view):
    data = images.image_bytes(view.map, "png", files.PRESETS["web"], view.meta)
    image = Image.open(io.BytesIO(data)).convert("RGB")
    colours = {c for _, c in image.getcolors(maxcolors=1 << 20)}
    for status in (Status.OK, Status.ELEVATED, Status.CRITICAL):
        hex_colour = palette.STATUS_COLOURS[status].lstrip("#")
        assert tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4)) in colours, status


def test_the_svg_parses_and_carries_the_source_line(chromium, view):
    svg = images.image_bytes(view.ranking, "svg", files.PRESETS["web"], view.meta)
    root = ET.fromstring(svg)
    text = " ".join(root.itertext())
    assert root.tag.endswith("svg")
    assert "Quelle: Beispieldaten, vom Programm erzeugt; Stand: 30.09.2026" in text
    assert "Betreuungsschlüssel nach Kreisen" in text


def test_kreise_with_overdue_reports_are_outlined_dashed_and_named_in_the_exported_maps_legend(chromium, view):
    """The screen hatches them (Meldestand); the static map's fill layers take no pattern, so: a dashed outline."""
    owed = figure_layout.kreise_map_figure(
        geometry.layers(),
        view.classified,
        title="Betreuungsschlüssel der Kreise",
        subtitle="Geflüchtete je VZÄ · Zielwert-Bänder · Stand 30.09.2026",
        overdue=["08337"],
    )
    outlines = [t for t in owed.data if t.type == "scattergeo" and t.line.dash]
    assert [t.name for t in outlines] == ["gestrichelt umrandet: Meldung überfällig (1)"]
    assert outlines[0].showlegend
    feature = next(f for f in geometry.layers().kreise_geojson["features"] if f["properties"]["ags"] == "08337")
    drawn = {(x, y) for x, y in zip(outlines[0].lon, outlines[0].lat, strict=True) if x is not None}
    assert drawn == {tuple(p[:2]) for ring in figure_layout._line_parts(feature["geometry"]) for p in ring}
    assert not [t for t in view.map.data if t.type == "scattergeo" and t.line.dash]
    for preset in ("web", "social"):
        data = images.image_bytes(owed, "png", files.PRESETS[preset], view.meta)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / f"karte_ueberfaellig_{preset}.png").write_bytes(data)
        image = Image.open(io.BytesIO(data)).convert("RGB")
        assert image.size == files.PRESETS[preset].png_size


def test_the_map_svg_carries_the_boundary_source(chromium, view):
    svg = images.image_bytes(view.map, "svg", files.PRESETS["social"], view.meta)
    assert "© GeoBasis-DE / BKG" in " ".join(ET.fromstring(svg).itertext())


def test_the_print_pdf_is_one_a4_landscape_page(chromium, view):
    reader = PdfReader(io.BytesIO(images.image_bytes(view.ranking, "pdf", files.PRESETS["print"], view.meta)))
    box = reader.pages[0].mediabox
    assert len(reader.pages) == 1
    assert (float(box.width), float(box.height)) == pytest.approx(A4_LANDSCAPE_PT, abs=1)


def test_the_web_pdf_has_the_presets_size_and_the_source_line(chromium, view):
    reader = PdfReader(io.BytesIO(images.image_bytes(view.map, "pdf", files.PRESETS["web"], view.meta)))
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((1920 * 0.75, 1080 * 0.75), abs=1)
    assert "Stand: 30.09.2026" in reader.pages[0].extract_text()


def test_a_second_export_uses_the_browser_that_is_already_warm(chromium, view):
    images.render(view.ranking, "png", 400, 300, 1)
    first = images._browser
    images.render(view.ranking, "svg", 400, 300, 1)
    assert images._browser is first is not None


def test_the_same_export_twice_is_served_from_memory(chromium, view, monkeypatch):
    preset = files.PRESETS["web"]
    first = images.image_bytes(view.ranking, "png", preset, view.meta)
    monkeypatch.setattr(images, "render_pending", lambda *a, **k: pytest.fail("rendered again"))
    assert images.image_bytes(view.ranking, "png", preset, view.meta) == first


def test_warming_opens_the_export_browser_and_an_export_follows(chromium):
    assert images.warm() is True
    png = images.render(go.Figure(go.Bar(x=[1, 2], y=[3, 4])), "png", 200, 100, 1)
    assert Image.open(io.BytesIO(png)).size == (200, 100)


def test_warming_without_chromium_says_no_and_raises_nothing(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    assert images.warm() is False


def test_two_exports_started_together_are_both_drawn(chromium, view):
    """A PDF starts all its charts before it waits for the first (images.TABS at a time); each arrives whole."""
    presets = files.PRESETS["web"], files.PRESETS["social"]
    pending = [images.image_pending(view.ranking, "png", preset, view.meta) for preset in presets]
    sizes = [Image.open(io.BytesIO(p.result())).size for p in pending]
    assert sizes == [preset.png_size for preset in presets]

"""The Vergleich's map as a file: title, both Stände, source and boundaries burned in, every text whole and clear."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date

import plotly.graph_objects as go
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page
from pypdf import PdfReader

from lagebild import geometry
from lagebild.domain.analysis import stand_dates
from lagebild.export import files, images
from lagebild.present import charts
from lagebild.views import vergleich as views
from tests.support import svg_layout
from tests.support.data import demo_data

TODAY = date(2026, 11, 27)
BEFORE, AFTER = date(2023, 6, 30), date(2026, 9, 30)
STUTTGART = "08111"


@dataclass(frozen=True)
class Exported:
    figure: go.Figure
    meta: files.ExportMeta


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Exported:
    """The map as the page builds it, with Stuttgart's VZÄ unreported at the earlier Stand: a 'keine Angabe' class."""
    data = demo_data(tmp_path_factory.mktemp("vergleich"), TODAY)
    obs = data.obs
    gone = (obs["region"] == STUTTGART) & (obs["measure"] == "counsellors_fte") & (obs["date"] <= BEFORE)
    data = replace(data, obs=obs[~gone].reset_index(drop=True))
    view = views.build(data, geometry.layers(), stand_dates(data.obs), before=BEFORE, after=AFTER, metric="ratio")
    assert not isinstance(view, views.Empty)
    meta = files.export_meta(
        view=views.VIEW,
        obs=data.obs,
        keys=data.kreis_keys,
        as_of=AFTER,
        region_label=data.region_label,
        thresholds=data.thresholds,
        cost_per_fte=data.cost_per_fte,
        demo=True,
        source_line=charts.source_line(data.sources(), AFTER, True, BEFORE),
        attribution=geometry.meta().attribution,
        since=BEFORE,
    )
    built = view.figures["Karte"]
    return Exported(built() if callable(built) else built, meta)


@pytest.fixture(scope="module")
def measuring_page(browser: Browser) -> Iterator[Page]:
    page = browser.new_page()
    yield page
    page.close()


@pytest.mark.parametrize("preset", list(files.PRESETS))
def test_every_text_of_the_exported_change_map_lies_on_the_canvas_clear_of_the_others(measuring_page, exported, preset):
    svg = images.image_bytes(exported.figure, "svg", files.PRESETS[preset], exported.meta)
    layout = svg_layout.measure(measuring_page, svg)
    found = svg_layout.problems(layout)
    assert not found, "\n".join(found)
    texts = " ".join(b.text for b in layout.boxes)
    assert "Veränderung Betreuungsschlüssel" in texts
    assert "Stände 30.06.2023 → 30.09.2026" in texts
    assert "Stände: 30.06.2023 und 30.09.2026" in texts
    assert "keine Angabe (an einem der Stände kein Wert) (1)" in texts
    assert "GeoBasis-DE / BKG" in texts


def test_the_change_map_renders_as_png_and_as_pdf_with_both_stands(chromium_executable, exported):
    preset = files.PRESETS["web"]
    image = Image.open(io.BytesIO(images.image_bytes(exported.figure, "png", preset, exported.meta)))
    assert image.format == "PNG" and image.size == preset.png_size
    reader = PdfReader(io.BytesIO(images.image_bytes(exported.figure, "pdf", preset, exported.meta)))
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Veränderung Betreuungsschlüssel" in text and "Stände: 30.06.2023 und 30.09.2026" in text

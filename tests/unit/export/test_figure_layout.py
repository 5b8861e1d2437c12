"""A figure laid out for its file: title, subtitle, source and boundary lines, the demo mark, static maps."""

from __future__ import annotations

from dataclasses import replace

import plotly.graph_objects as go

from lagebild import geometry
from lagebild.export import figure_layout, files
from lagebild.settings import DEMO_LABEL


def annotation_texts(fig: go.Figure) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def test_an_exported_chart_carries_title_subtitle_and_the_source_line(view):
    out = figure_layout.export_figure(view.ranking, files.PRESETS["web"], view.meta)
    assert out.layout.title.text == "Betreuungsschlüssel nach Kreisen"
    assert (
        "Geflüchtete je VZÄ" in out.layout.title.subtitle.text and "Stand 30.09.2026" in out.layout.title.subtitle.text
    )
    assert any("Quelle:" in t and "Stand: 30.09.2026" in t for t in annotation_texts(out))


def test_the_screens_source_line_gives_way_to_the_footer_instead_of_appearing_twice(view):
    out = figure_layout.export_figure(view.ranking, files.PRESETS["web"], view.meta)
    assert sum("Quelle:" in t for t in annotation_texts(out)) == 1
    assert "Zielwert 150" in annotation_texts(out)  # the chart's own labels stay


def test_an_exported_map_names_the_boundary_source(view):
    out = figure_layout.export_figure(view.map, files.PRESETS["web"], view.meta)
    assert any("© GeoBasis-DE / BKG" in t for t in annotation_texts(out))


def test_an_exported_chart_carries_no_boundary_source(view):
    out = figure_layout.export_figure(view.ranking, files.PRESETS["web"], view.meta)
    assert not any("GeoBasis" in t for t in annotation_texts(out))


def test_demo_data_is_marked_visibly_on_every_image(view):
    out = figure_layout.export_figure(view.ranking, files.PRESETS["social"], view.meta)
    texts = annotation_texts(out)
    assert any(DEMO_LABEL in t for t in texts) and "BEISPIELDATEN" in texts


def test_real_data_carries_no_demo_mark(view):
    out = figure_layout.export_figure(view.ranking, files.PRESETS["web"], replace(view.meta, demo=False))
    assert not any("BEISPIELDATEN" == t or DEMO_LABEL in t for t in annotation_texts(out))


def test_the_static_map_has_the_classes_colours_and_legend_of_the_screen(view):
    shown = [t for t in view.map.data if t.showlegend]
    assert [t.name for t in shown] == [f"{e.label} ({e.count})" for e in view.classified.legend]
    for trace, entry in zip(shown, view.classified.legend, strict=True):
        assert trace.colorscale[0][1] == entry.colour
        assert set(trace.locations) == set(view.classified.colours[view.classified.colours == entry.colour].index)


def test_the_static_map_draws_every_kreis_once(view):
    keys = [k for t in view.map.data for k in t.locations]
    assert sorted(keys) == sorted(geometry.layers().kreise.index)


def test_the_static_map_loads_no_tiles(view):
    assert view.map.layout.map.style == "white-bg"
    assert all(layer.sourcetype == "geojson" for layer in view.map.layout.map.layers)


def test_the_map_is_zoomed_so_the_land_fits_its_frame():
    bounds = geometry.layers().bounds
    centre, zoom = figure_layout.fit_bounds(bounds, 800, 600)
    assert bounds[0] < centre["lon"] < bounds[2] and bounds[1] < centre["lat"] < bounds[3]
    assert 6 < zoom < 8  # Baden-Württemberg is about 230 km across

"""A figure laid out for its file: title, subtitle, source and boundary lines, the demo mark, static maps."""

from __future__ import annotations

import math
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
    keys = [k for t in view.map.data if t.type == "choropleth" for k in t.locations]
    assert sorted(keys) == sorted(geometry.layers().kreise.index)


def test_the_static_map_is_drawn_as_vectors_without_tiles(view):
    # Plotly's geo maps: SVG paths, no MapLibre canvas and so no tile style; land and coasts not drawn.
    assert {t.type for t in view.map.data} == {"choropleth", "scattergeo"}
    assert view.map.layout.geo.visible is False


def test_every_kreis_polygon_is_wound_clockwise_as_plotlys_geo_maps_read_it(view):
    """Wound the GeoJSON way round, d3-geo fills the whole frame outside the Kreis with its colour."""
    for trace in (t for t in view.map.data if t.type == "choropleth"):
        for feature in trace.geojson["features"]:
            geom = feature["geometry"]
            polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
            for rings in polygons:
                assert figure_layout._ring_area(rings[0]) < 0, feature["properties"]["ags"]
                assert all(figure_layout._ring_area(hole) > 0 for hole in rings[1:]), feature["properties"]["ags"]


def test_the_map_frame_shows_the_land_with_a_small_margin_and_the_frames_proportions():
    bounds = geometry.layers().bounds
    lon, lat = figure_layout.map_ranges(bounds, 800, 600)
    assert lon[0] < bounds[0] and bounds[2] < lon[1] and lat[0] < bounds[1] and bounds[3] < lat[1]
    # Baden-Württemberg is taller than 800 × 600 is: it fills the height, less the margin, and is centred across.
    height = figure_layout._mercator_y(lat[1]) - figure_layout._mercator_y(lat[0])
    land = figure_layout._mercator_y(bounds[3]) - figure_layout._mercator_y(bounds[1])
    assert abs(land / height - 0.94) < 1e-6
    width = math.radians(lon[1] - lon[0])
    assert abs(width / height - 800 / 600) < 1e-6
    assert abs((lon[0] + lon[1]) / 2 - (bounds[0] + bounds[2]) / 2) < 1e-9

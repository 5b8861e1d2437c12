"""A figure laid out for a file: title, footer with source and Stand, axes that fit, maps framed without tiles."""

from __future__ import annotations

import html
import math
import re
import textwrap

import plotly.graph_objects as go

from lagebild import settings
from lagebild.domain.measures import Status
from lagebild.export.files import ExportMeta, Preset
from lagebild.geometry import Layers
from lagebild.present import fmt, palette, text
from lagebild.present.classify import Classified

TITLE_SIZE = 22
BASE_SIZE = 13
FOOTER_SIZE = 11
FOOTER_LINE_PX = 15
MAP_TRACES = ("choropleth", "scattergeo")
BOUNDS_META = "lagebild_bounds"


def _is_map(fig: go.Figure) -> bool:
    return any(t.type in MAP_TRACES for t in fig.data)


def _wrap(text: str, width_px: float, font_px: float) -> list[str]:
    # Plotly does not wrap annotation text; about 0.52 em per character in a sans-serif.
    chars = max(30, int(width_px / (font_px * 0.52)))
    return textwrap.wrap(text, chars) or [""]


def title_parts(fig: go.Figure) -> tuple[str, str]:
    """Title and subtitle as plain text, from what charts.base_layout writes ('title<br><sup>subtitle</sup>', escaped)."""
    title, _, rest = (fig.layout.title.text or "").partition("<br>")
    return html.unescape(title), html.unescape(re.sub(r"</?sup>", "", rest))


# A generous average glyph width (Arial's digits are 0.556 em, its lower case less): an estimated
# label block is then never narrower than the drawn one, so the plot's left edge is the estimate.
LABEL_EM = 0.6
TICK_STANDOFF = 8  # between axis line and tick labels, so the first date clears the y-axis's "0"
LINE_EM = 1.2  # a text line's box in Chromium is about 1.15 em high
EDGE = 20  # title, footer and demo mark start this far from the canvas's left edge


def _axis_values(fig: go.Figure, axis: str) -> list:
    """Every value plotted against one axis ('x', 'y2' …)."""
    letter = axis[0]
    values: list = []
    for trace in fig.data:
        if (getattr(trace, f"{letter}axis", None) or letter) == axis and getattr(trace, letter, None) is not None:
            values += list(getattr(trace, letter))
    return values


def _is_numeric(values: list) -> bool:
    return bool(values) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def _tick_labels(layout_axis, values: list) -> list[str]:  # noqa: ANN001 - a plotly layout axis
    """The texts an axis will write at its ticks, as far as they can be known before plotly.js draws them."""
    if layout_axis.ticktext:
        return [str(t) for t in layout_axis.ticktext]
    if _is_numeric(values):
        present = [float(v) for v in values if not math.isnan(float(v))] or [0.0]
        widest = fmt.number(max(abs(v) for v in present) * 1.25)  # the axis may run a tick beyond the data
        return [("-" if min(present) < 0 else "") + widest]
    return [str(v) for v in dict.fromkeys(values)]


def _label_width(labels: list[str], size: float) -> float:
    """The widest label in px; bold (<b>, the chosen Kreis) runs about a tenth wider."""
    return (
        max((len(re.sub(r"<[^>]+>", "", t)) * (1.1 if "<b>" in t else 1) for t in labels), default=0) * size * LABEL_EM
    )


def _lay_out_axes(out: go.Figure, plot_h: float) -> tuple[float, float]:
    """German round ticks and room for every tick label: category labels shrink to their row, the margins
    fit the widest label (automargin stays on as a backstop). Returns the left and right label blocks in px."""
    left = right = 0.0
    names = {"xaxis", "yaxis"} | {k for k in out.layout.to_plotly_json() if re.fullmatch(r"[xy]axis\d+", k)}
    for name in sorted(names):
        axis, ref = out.layout[name], name[0] + name[5:]
        values = _axis_values(out, ref)
        update: dict = {"automargin": True}
        if _is_numeric(values) and axis.type in (None, "linear") and not axis.tickformat:
            update["tickformat"] = ","  # with separators ",." → 1.000 and 8,5
        if name.startswith("x"):
            update["ticklabelstandoff"] = TICK_STANDOFF
            if axis.title.text:
                update["title_standoff"] = 6
            axis.update(update)
            continue
        labels = _tick_labels(axis, values)
        size = axis.tickfont.size or BASE_SIZE
        if not _is_numeric(values) and labels:
            # One row per category: a label taller than its row would overlap its neighbours.
            size = min(size, max(6, math.floor(plot_h / len(labels) / LINE_EM)))
            update["tickfont"] = {"size": size}
            for trace in out.data:
                if trace.type == "bar" and (trace.yaxis or "y") == ref and trace.text is not None:
                    trace.textfont = {"size": size}
        axis.update(update)
        block = _label_width(labels, size) + TICK_STANDOFF
        if axis.title.text:
            block += BASE_SIZE * LINE_EM + 12
        if axis.side == "right":
            right = max(right, block)
        else:
            left = max(left, block)
    return left, right


def export_figure(fig: go.Figure, preset: Preset, meta: ExportMeta) -> go.Figure:
    """A copy of a screen figure laid out for a file: sized, with title, subtitle, source line,
    the boundary attribution on maps, and a visible mark on demo data."""
    out = go.Figure(fig)
    width, height = preset.width, preset.height
    is_map = _is_map(out)
    title, subtitle = title_parts(out)
    # Tick labels (one line after the standoff), then the x-axis title if any, then the footer.
    axis_space = 8 if is_map else TICK_STANDOFF + 24 + (28 if out.layout.xaxis.title.text else 0)
    inner = width - 2 * EDGE
    footer_lines = [text.plotly(line) for line in _wrap(meta.source_line, inner, FOOTER_SIZE)]
    if is_map:
        footer_lines += [text.plotly(line) for line in _wrap(f"Grenzen: {meta.attribution}", inner, FOOTER_SIZE)]
    footer_px = FOOTER_LINE_PX * len(footer_lines) + 12
    title_lines = [text.plotly(line) for line in _wrap(title, inner, TITLE_SIZE)]
    subtitle_lines = [text.plotly(line) for line in _wrap(subtitle, inner, BASE_SIZE + 2)] if subtitle else []
    title_block = 34 + 28 * len(title_lines) + 21 * len(subtitle_lines)
    labels_above = any(
        a.yref and a.yref.endswith("domain") and a.y == 1 and a.yanchor == "bottom" for a in out.layout.annotations
    )
    legend_above = bool(out.layout.showlegend) and not is_map and (out.layout.legend.y or 0) >= 1
    top = title_block + (36 if meta.demo else 0) + (20 if labels_above or legend_above else 0)
    bottom = axis_space + footer_px
    # The screen's own source line gives way to the footer below. (update_layout would merge
    # a shorter list into the old one by position, so the list is assigned.)
    annotations = [a for a in out.layout.annotations if a.name != "quelle" and a.text != meta.source_line]
    for a in annotations:
        # Labels hung below the plot area (add_vline's "bottom") would sit on the tick labels.
        if a.yref and a.yref.endswith("domain") and a.y == 0 and a.yanchor == "top":
            a.update(yanchor="bottom", xanchor="left", xshift=4)
    out.layout.annotations = annotations
    left, right = (0.0, 0.0) if is_map else _lay_out_axes(out, height - top - bottom)
    # Annotations are placed relative to the plot area; this shift takes the footer and the demo mark
    # back to the canvas's edge, whatever the width of the tick labels.
    back = -left
    out.update_layout(
        width=width,
        height=height,
        autosize=False,
        title={
            "text": "<br>".join(title_lines),
            "x": EDGE / width,
            "xref": "container",
            "xanchor": "left",
            "y": 1 - 16 / height,
            "yref": "container",
            "yanchor": "top",
            "font": {"size": TITLE_SIZE, "color": palette.TEXT},
            "subtitle": {"text": "<br>".join(subtitle_lines), "font": {"size": BASE_SIZE + 2, "color": palette.MUTED}},
        },
        font={"size": BASE_SIZE},
        separators=",.",  # German decimal comma and thousands dot (plotly.js #1264)
        margin={"l": EDGE + left, "r": 30 + right, "t": top, "b": bottom, "autoexpand": True},
        paper_bgcolor="white",
    )
    out.add_annotation(
        text="<br>".join(footer_lines),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-axis_space,
        xshift=back,
        showarrow=False,
        align="left",
        font={"size": FOOTER_SIZE, "color": palette.MUTED},
    )
    if meta.demo:
        out.add_annotation(
            text=f"<b>{settings.DEMO_LABEL}</b>",
            xref="paper",
            yref="paper",
            x=0,
            y=1,
            xanchor="left",
            yanchor="top",
            yshift=top - title_block + 2,
            xshift=back + 1.5,
            showarrow=False,
            font={"size": BASE_SIZE, "color": palette.STATUS_COLOURS[Status.CRITICAL]},
            bordercolor=palette.STATUS_COLOURS[Status.CRITICAL],
            borderwidth=1.5,
            borderpad=4,
            bgcolor="white",
        )
        # Centred on the canvas, not on the plot area, and sized so the slanted word stays on the canvas.
        out.add_annotation(
            text="BEISPIELDATEN",
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            showarrow=False,
            xshift=(30 + right - EDGE - left) / 2,
            yshift=(top - bottom) / 2,
            textangle=-28,
            font={"size": min(width * 0.11, height * 0.18), "color": "rgba(178,24,43,0.12)"},
        )
    bounds = out.layout.meta.get(BOUNDS_META) if isinstance(out.layout.meta, dict) else None
    if bounds:
        _fit_map(out, bounds, width - 50, height - top - axis_space - footer_px)
    return out


def _fit_map(fig: go.Figure, bounds: list[float], plot_w: float, plot_h: float) -> None:
    """Legend beside the map on wide formats, below it on square ones; then frame the bounds in what is left."""
    entries = sum(1 for t in fig.data if t.showlegend)
    if not entries:
        domain_x, domain_y = [0.0, 1.0], [0.0, 1.0]
    elif plot_w / plot_h > 1.25:
        domain_x, domain_y = [0.0, 0.62], [0.0, 1.0]
        fig.update_layout(legend={"orientation": "v", "x": 0.65, "xanchor": "left", "y": 0.5, "yanchor": "middle"})
    else:
        title_lines = (fig.layout.legend.title.text or "").count("<br>") + 1
        share = min(0.45, ((math.ceil(entries / 2) + title_lines) * 24 + 16) / plot_h)
        domain_x, domain_y = [0.0, 1.0], [share, 1.0]
        fig.update_layout(
            legend={
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "y": share - 0.02,
                "yanchor": "top",
                "entrywidth": 0.45,
                "entrywidthmode": "fraction",
                "title": {"side": "top"},
            }
        )
    lon, lat = map_ranges(bounds, plot_w * (domain_x[1] - domain_x[0]), plot_h * (domain_y[1] - domain_y[0]))
    fig.update_layout(
        geo={"domain": {"x": domain_x, "y": domain_y}, "lonaxis": {"range": lon}, "lataxis": {"range": lat}}
    )


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _latitude(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def map_ranges(
    bounds: tuple[float, float, float, float] | list[float], px_w: float, px_h: float, padding: float = 0.94
) -> tuple[list[float], list[float]]:
    """Longitude and latitude ranges that show (minx, miny, maxx, maxy) in a px_w × px_h frame, and fill it.

    Plotly fits the range box into the map's domain keeping the Mercator proportions, and draws nothing
    outside the box; so the box gets the frame's proportions: the bounds fill it in one direction, with
    a small margin, and the other direction is widened around their centre (pale neighbours show there).
    """
    minx, miny, maxx, maxy = bounds
    x0, x1 = math.radians(minx), math.radians(maxx)
    y0, y1 = _mercator_y(miny), _mercator_y(maxy)
    scale = min(px_w * padding / max(x1 - x0, 1e-9), px_h * padding / max(y1 - y0, 1e-9))
    half_x, half_y = px_w / scale / 2, px_h / scale / 2
    mid_x, mid_y = (x0 + x1) / 2, (y0 + y1) / 2
    lon = [math.degrees(mid_x - half_x), math.degrees(mid_x + half_x)]
    return lon, [_latitude(mid_y - half_y), _latitude(mid_y + half_y)]


def _ring_area(ring: list) -> float:
    """Twice the signed area in degrees (shoelace): positive when the ring runs counter-clockwise."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:], strict=False))


def _wound(ring: list, clockwise: bool) -> list:
    return list(reversed(ring)) if (_ring_area(ring) > 0) == clockwise else list(ring)


def d3_geometry(geometry: dict) -> dict:
    """A polygon geometry wound as Plotly's geo maps (d3-geo) read it: outer rings clockwise, holes counter-clockwise.

    GeoJSON (RFC 7946) and our boundary files wind the other way round; d3-geo reads such an outer ring as the
    whole globe outside the Kreis and fills the frame with its colour.
    """
    kind = geometry["type"]
    if kind == "Polygon":
        return {"type": kind, "coordinates": [_wound(r, i == 0) for i, r in enumerate(geometry["coordinates"])]}
    if kind == "MultiPolygon":
        polygons = [[_wound(r, i == 0) for i, r in enumerate(p)] for p in geometry["coordinates"]]
        return {"type": kind, "coordinates": polygons}
    return geometry


def _d3_collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": [{**f, "geometry": d3_geometry(f["geometry"])} for f in features]}


def _line_parts(geometry: dict) -> list:
    """The lines of a line geometry, or the rings of a polygon geometry."""
    kind, coordinates = geometry["type"], geometry["coordinates"]
    if kind in ("LineString",):
        return [coordinates]
    if kind in ("MultiLineString", "Polygon"):
        return list(coordinates)
    if kind == "MultiPolygon":
        return [ring for polygon in coordinates for ring in polygon]
    raise ValueError(f"Keine Linien in einer Geometrie vom Typ {kind}")


def _outline(
    geometries: list[dict], colour: str, width: float, *, dash: str | None = None, name: str = ""
) -> go.Scattergeo:
    """Lines over the fills (Regierungsbezirk borders, the chosen Kreis, overdue Kreise); in the legend if named."""
    lon: list = []
    lat: list = []
    for part in (part for geometry in geometries for part in _line_parts(geometry)):
        lon.extend([p[0] for p in part] + [None])  # None: a gap between two lines
        lat.extend([p[1] for p in part] + [None])
    return go.Scattergeo(
        lon=lon,
        lat=lat,
        mode="lines",
        line={"color": colour, "width": width, "dash": dash},
        name=name,
        showlegend=bool(name),
        hoverinfo="skip",
    )


# Plotly's geo maps draw no land or coast here (visible=False), and the export browser is given an empty
# base map (lagebild/export/geo_assets.js), so nothing is fetched from Plotly's CDN.
STATIC_GEO = {"visible": False, "projection": {"type": "mercator"}, "bgcolor": "rgba(0,0,0,0)"}


OVERDUE_OUTLINE = "#111827"  # the hatching colour of the screen map


def kreise_map_figure(
    layers: Layers,
    classified: Classified,
    *,
    title: str,
    subtitle: str,
    selected: str | None = None,
    focus: list[str] | None = None,
    overdue: list[str] | None = None,
) -> go.Figure:
    """The screen's choropleth as a static map: same classes, colours and legend; no tiles, so no network.

    One trace per class gives the legend its swatches; Kreise outside `focus` stay visible but pale.
    Kreise whose reports are overdue (Meldestand; hatched on screen) get a dashed black outline and a legend
    line, since the static map's fill layers take no pattern.
    """
    keys = list(layers.kreise.index)
    muted = set(keys) - set(focus) if focus else set()
    features = {f["properties"]["ags"]: f for f in layers.kreise_geojson["features"]}
    fig = go.Figure()
    placed: set[str] = set()
    for entry in classified.legend:
        members = [k for k in keys if k not in placed and classified.colours.get(k) == entry.colour]
        placed.update(members)
        for part, opacity, legend in (
            (([k for k in members if k not in muted]), 0.92, True),
            ([k for k in members if k in muted], 0.25, False),
        ):
            if not part and not legend:
                continue
            fig.add_trace(
                go.Choropleth(
                    geojson=_d3_collection([features[k] for k in part]),
                    featureidkey="properties.ags",
                    locations=part,
                    z=[1] * len(part),
                    colorscale=[[0, entry.colour], [1, entry.colour]],
                    showscale=False,
                    marker_opacity=opacity,
                    marker_line_color=palette.NO_DATA_BORDER if entry.missing else palette.BORDER_KREIS,
                    marker_line_width=0.8,
                    name=f"{entry.label} ({entry.count})",
                    legendgroup=entry.label,
                    showlegend=legend,
                    hoverinfo="skip",
                )
            )
    fig.add_trace(_outline([layers.rb_borders_geojson["geometry"]], palette.BORDER_RB, 2))
    if selected and selected in features:
        fig.add_trace(_outline([features[selected]["geometry"]], palette.SELECTED, 3.5))
    late = [k for k in (overdue or []) if k in features and (not focus or k in focus)]
    if late:
        fig.add_trace(
            _outline(
                [features[k]["geometry"] for k in late],
                OVERDUE_OUTLINE,
                2.5,
                dash="5px,3px",
                name=f"gestrichelt umrandet: Meldung überfällig ({len(late)})",
            )
        )
    bounds = layers.kreise.loc[list(focus)].total_bounds if focus else layers.bounds
    fig.update_layout(
        title={"text": f"{text.plotly(title)}<br><sup>{text.plotly(subtitle)}</sup>"},
        geo=STATIC_GEO,
        showlegend=True,
        legend={
            "title": {"text": "<br>".join(textwrap.wrap(classified.title, 40))},
            "font": {"size": 13},
            "itemclick": False,
        },
        meta={BOUNDS_META: [float(b) for b in bounds]},
        separators=",.",
        font={"family": "Source Sans Pro, Arial, sans-serif", "color": palette.TEXT},
    )
    return fig


def gemeinde_map_figure(
    folium_map, kreis_shape, legend: list[tuple[str, str]], *, title: str, subtitle: str
) -> go.Figure:  # noqa: ANN001 - a folium.Map and a GeoDataFrame
    """The Kreis with its Gemeinden as a static map, coloured as on screen.

    The colours are read from the screen's folium map (profile.gemeinde_map), so the classes
    are defined in one place.
    """
    import folium

    layer = next(
        c for c in folium_map._children.values() if isinstance(c, folium.GeoJson) and c.layer_name == "Gemeinden"
    )
    groups: dict[str, list[dict]] = {colour: [] for colour, _ in legend}  # legend order, low to high
    for feature in layer.data["features"]:
        colour = feature["properties"]["fill"] if feature["properties"]["has"] else "#ffffff"
        groups.setdefault(colour, []).append(feature)
    groups = {colour: features for colour, features in groups.items() if features}
    names = dict(legend)
    fig = go.Figure()
    for colour, features in groups.items():
        keys = [f["properties"]["ags"] for f in features]
        fig.add_trace(
            go.Choropleth(
                geojson=_d3_collection(features),
                featureidkey="properties.ags",
                locations=keys,
                z=[1] * len(keys),
                colorscale=[[0, colour], [1, colour]],
                showscale=False,
                marker_line_color=palette.MUTED,
                marker_line_width=0.6,
                marker_opacity=0.9,
                hoverinfo="skip",
                name=names.get(colour, "keine Gemeindezahlen"),
                showlegend=bool(legend),
            )
        )
    fig.add_trace(_outline([kreis_shape.geometry.iloc[0].__geo_interface__], palette.BORDER_RB, 2.5))
    fig.update_layout(
        title={"text": f"{text.plotly(title)}<br><sup>{text.plotly(subtitle)}</sup>"},
        geo=STATIC_GEO,
        showlegend=bool(legend),
        legend={"itemclick": False, "title": {"text": "Geflüchtete in Betreuung"}},
        meta={BOUNDS_META: [float(b) for b in kreis_shape.total_bounds]},
        font={"family": "Source Sans Pro, Arial, sans-serif", "color": palette.TEXT},
    )
    return fig

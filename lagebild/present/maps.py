"""The choropleth of the 44 Kreise: a stable base map and a Kreis layer that carries the colours."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

import folium
import pandas as pd
from branca.element import MacroElement, Template
from folium.utilities import JsCode

from lagebild.domain import analysis
from lagebild.domain.measures import Status
from lagebild.domain.regions import regions
from lagebild.geometry import GeoMeta, Layers
from lagebild.present import palette, text
from lagebild.present.classify import Classified
from lagebild.present.overview import key_figures
from lagebild.settings import Thresholds

KREIS_LAYER = "Kreise"
# The stable name inside the iframe; the sentence of the moment is its title in the page (lagebild.app.a11y).
MAP_NAME = "Karte der 44 Stadt- und Landkreise Baden-Württembergs"

# folium writes layer data with Jinja's tojson; its default separators (", ", ": ") and
# ASCII escapes add a sixth to the map's bytes. All folium templates share one Jinja
# environment, so this policy applies to every map this process renders.
folium.GeoJson._template.environment.policies["json.dumps_kwargs"] = {
    "sort_keys": False,
    "separators": (",", ":"),
    "ensure_ascii": False,
}

# The tooltip is built from plain strings with textContent: names can never become HTML,
# and the figures travel as short JSON arrays instead of escaped markup (a third of the bytes).
TOOLTIP_JS = JsCode(
    """function(feature, layer) {
    layer.bindTooltip(function() {
        var p = feature.properties, div = document.createElement("div");
        div.className = "lb-tip";
        var name = document.createElement("b");
        name.textContent = p.n;
        div.appendChild(name);
        var sub = document.createElement("div");
        sub.className = "lb-sub";
        sub.textContent = p.s;
        div.appendChild(sub);
        var table = document.createElement("table");
        (p.f || []).forEach(function(row) {
            var tr = table.insertRow(), th = document.createElement("th");
            th.textContent = row[0];
            tr.appendChild(th);
            tr.insertCell().textContent = row[1];
        });
        div.appendChild(table);
        (p.x || []).forEach(function(line) {
            var extra = document.createElement("div");
            extra.className = "lb-extra";
            extra.textContent = line;
            div.appendChild(extra);
        });
        return div;
    }, {sticky: true, direction: "auto", opacity: 0.96});
}"""
)

STYLE = """
<style>
.lb-tip{font:12px/1.35 sans-serif;color:#1f2937;max-width:340px;white-space:normal}
.lb-sub{color:#6b7280;margin-bottom:3px}
.lb-tip table{border-collapse:collapse}
.lb-tip th{font-weight:normal;color:#6b7280;text-align:left;padding:1px 8px 1px 0;vertical-align:top;white-space:nowrap}
.lb-tip td{padding:1px 0}
.lb-extra{margin-top:3px;border-top:1px solid #e5e7eb;padding-top:3px}
.leaflet-container{background:#f8fafc}
.leaflet-control-attribution{font-size:11px;line-height:1.3;max-width:70%}
.leaflet-container:focus,.leaflet-container:focus-visible{outline:3px solid #2166ac !important;outline-offset:-3px}

</style>
"""


def _script_string(text: str) -> str:
    """A JS string literal safe inside a <script> element."""
    return json.dumps(text, ensure_ascii=False).replace("</", "<\\/")


class MetricScale(MacroElement):
    """A scale bar in kilometres only, top right: at the bottom a narrow map's attribution wraps over it."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false, position: "topright"}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )


class Accessible(MacroElement):
    """The map's iframe as a document of its own, for BITV 2.0 (issue 14).

    German language, a main landmark and a heading with the map's name, zoom allowed (folium's
    viewport forbids it), and one tab stop: the map container (arrow keys pan, +/- zoom). Leaflet makes
    every shape and the zoom buttons a tab stop of their own, 47 on the Kreis map; the same choice is
    reachable from the keyboard in the page's Kreis list and table.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(map) {
            var doc = document;
            doc.documentElement.lang = "de";
            doc.querySelectorAll("meta[name=viewport]").forEach(function(meta) {
                meta.setAttribute("content", "width=device-width, initial-scale=1");
            });
            var root = doc.getElementById("root") || doc.body;
            root.setAttribute("role", "main");
            if (!doc.querySelector("h1")) {
                var h1 = doc.createElement("h1");
                h1.textContent = {{ this.name_json }};
                h1.style.cssText = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0);margin:0";
                root.insertBefore(h1, root.firstChild);
            }
            var box = map.getContainer();
            box.setAttribute("role", "region");
            box.setAttribute("aria-label", {{ this.name_json }} + ". Pfeiltasten verschieben, Plus und Minus zoomen.");
            function untab() {
                box.querySelectorAll("path.leaflet-interactive, .leaflet-control a").forEach(function(el) {
                    if (el.getAttribute("tabindex") !== "-1") el.setAttribute("tabindex", "-1");
                });
                box.querySelectorAll(".leaflet-control-zoom-in").forEach(function(a) { a.setAttribute("aria-label", "Vergrößern"); a.title = "Vergrößern"; });
                box.querySelectorAll(".leaflet-control-zoom-out").forEach(function(a) { a.setAttribute("aria-label", "Verkleinern"); a.title = "Verkleinern"; });
            }
            untab();
            new MutationObserver(untab).observe(box, {subtree: true, childList: true});
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, name: str):
        super().__init__()
        self.name_json = _script_string(name)


OVERDUE_PATTERN = "lb-ueberfaellig"
OVERDUE_LABEL = "Meldung überfällig"


class HatchPattern(MacroElement):
    """The SVG pattern that hatches Kreise whose reports are overdue (Meldestand), in the map's vector layer."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(map) {
            var NS = "http://www.w3.org/2000/svg";
            function define() {
                var svg = map.getPanes().overlayPane.querySelector("svg");
                if (!svg || svg.querySelector("#{{ this.pattern_id }}")) return;
                var defs = svg.querySelector("defs") || svg.insertBefore(document.createElementNS(NS, "defs"), svg.firstChild);
                var pattern = document.createElementNS(NS, "pattern");
                pattern.setAttribute("id", "{{ this.pattern_id }}");
                pattern.setAttribute("patternUnits", "userSpaceOnUse");
                pattern.setAttribute("width", "7");
                pattern.setAttribute("height", "7");
                pattern.setAttribute("patternTransform", "rotate(45)");
                var line = document.createElementNS(NS, "line");
                line.setAttribute("x1", "0"); line.setAttribute("y1", "0");
                line.setAttribute("x2", "0"); line.setAttribute("y2", "7");
                line.setAttribute("stroke", "#111827"); line.setAttribute("stroke-width", "1.8");
                line.setAttribute("stroke-opacity", "0.7");
                pattern.appendChild(line);
                defs.appendChild(pattern);
            }
            define();
            map.on("layeradd", define);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self.pattern_id = OVERDUE_PATTERN


class Attribution(MacroElement):
    """The boundary attribution in Leaflet's corner, without Leaflet's own link."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.setPrefix(false);
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.attribution_json }});
        {% endmacro %}
        """
    )

    def __init__(self, attribution: str):
        super().__init__()
        self.attribution_json = _script_string(text.html_text(attribution))


def legend_html(classified: Classified, overdue: int = 0) -> str:
    """The legend as HTML for the page: title with unit, classes in German number format, counts; hatched
    Kreise with overdue reports, when there are any."""
    rows = "".join(
        f"<span class='lb-row'><span class='lb-swatch{' lb-missing' if e.missing else ''}' "
        f"style='background:{e.colour}'></span>{text.html_text(e.label)} <span class='lb-count'>({e.count})</span></span>"
        for e in classified.legend
    )
    if overdue:
        rows += (
            f"<span class='lb-row'><span class='lb-swatch lb-overdue'></span>schraffiert: {OVERDUE_LABEL} "
            f"<span class='lb-count'>({overdue})</span></span>"
        )
    return (
        "<div class='lb-legend'><style>"
        ".lb-legend{font-size:0.85rem;line-height:1.5}.lb-legend .lb-title{font-weight:600}"
        ".lb-row{display:inline-flex;align-items:center;gap:5px;margin-right:14px;white-space:nowrap}"
        ".lb-swatch{display:inline-block;width:14px;height:12px;border:1px solid #9ca3af}"
        ".lb-missing{background-image:repeating-linear-gradient(45deg,#6b7280 0,#6b7280 1px,transparent 1px,"
        "transparent 4px)!important}.lb-overdue{background:#fff;background-image:repeating-linear-gradient(-45deg,"
        "#111827 0,#111827 1.5px,transparent 1.5px,transparent 5px)}.lb-count{color:#6b7280}</style>"
        f"<div class='lb-title'>Legende: {text.html_text(classified.title)}</div>{rows}</div>"
    )


def base_map(
    layers: Layers,
    geo_meta: GeoMeta,
    focus: list[str] | None = None,
    tiles: str | None = None,
    tiles_attribution: str | None = None,
) -> folium.Map:
    """What does not change with metric, Stand or selection: view, RB borders, attribution.

    streamlit-folium keeps the map (and the user's pan and zoom) as long as this part is unchanged,
    and swaps only the Kreis layer.
    """
    minx, miny, maxx, maxy = layers.bounds
    m = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=7,
        tiles=None,
        zoom_snap=0.25,
        min_zoom=6,
        max_zoom=13,
    )
    m.add_child(MetricScale())
    if tiles:
        folium.TileLayer(tiles, attr=tiles_attribution or "Hintergrundkarte", name="Hintergrund").add_to(m)
    if focus:
        minx, miny, maxx, maxy = (float(x) for x in layers.kreise.loc[list(focus)].total_bounds)
    m.fit_bounds([[miny, minx], [maxy, maxx]], padding=(8, 8))
    m.get_root().header.add_child(folium.Element(STYLE))  # type: ignore[attr-defined]  # a branca Figure
    folium.GeoJson(
        layers.rb_borders_geojson,
        name="Regierungsbezirke",
        style_function=lambda _: {"color": palette.BORDER_RB, "weight": 2.2, "opacity": 0.9},
        interactive=False,
    ).add_to(m)
    m.add_child(Attribution(geo_meta.attribution))
    m.add_child(Accessible(MAP_NAME))
    m.add_child(HatchPattern())
    return m


@dataclass(frozen=True)
class KreisMap:
    """How to make the base map and the Kreis layer to swap in, and the legend shown beside the map.

    The folium objects are made anew for every drawing: streamlit-folium renames and re-parents them while it
    renders, so one shared between reruns or sessions (a cached View) would change under the next.
    """

    make_base: Callable[[], folium.Map]
    make_layer: Callable[[], folium.FeatureGroup]
    legend: str

    def parts(self) -> tuple[folium.Map, folium.FeatureGroup]:
        """A fresh base map and Kreis layer, for one drawing."""
        return self.make_base(), self.make_layer()

    def render(self) -> str:
        """The whole map as one HTML page (for tests and static use)."""
        page, layer = self.parts()
        layer.add_to(page)
        return page.get_root().render()


def _style(feature: dict) -> dict:
    p = feature["properties"]
    return {
        "fillColor": p["fill"],
        "fillOpacity": 0.2 if p["muted"] else 0.9,
        "color": palette.NO_DATA_BORDER if p["missing"] else palette.BORDER_KREIS,
        "weight": 1,
        "dashArray": "3 3" if p["missing"] else None,
    }


def _coloured_layer(layers: Layers, properties: Callable[[str], dict]) -> folium.FeatureGroup:
    """The Kreis layer: each Kreis's shape with its `properties` (name, figures, fill), coloured by them."""
    # New property dicts around the shared, cached geometry: a deep copy cost more than the rest.
    data = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": f["id"], "geometry": f["geometry"], "properties": properties(f["id"])}
            for f in layers.kreise_geojson["features"]
        ],
    }
    group = folium.FeatureGroup(name=KREIS_LAYER)
    _coloured_kreise(data).add_to(group)
    return group


def _coloured_kreise(data: dict) -> folium.GeoJson:
    """The Kreise as one GeoJSON layer: fill from the properties, missing ones grey with a dashed border."""
    return folium.GeoJson(
        data,
        name=KREIS_LAYER,
        style_function=_style,
        highlight_function=lambda _: {"weight": 3, "color": palette.SELECTED},
        on_each_feature=TOOLTIP_JS,
        smooth_factor=0.5,
    )


def kreis_layer(
    layers: Layers,
    table: pd.DataFrame,
    classified: Classified,
    *,
    as_of: date,
    thresholds: Thresholds,
    period: analysis.Period | None,
    selected: str | None = None,
    focus: list[str] | None = None,
    extra_tips: dict[str, list[str]] | None = None,
    overdue: dict[str, list[str]] | None = None,
) -> folium.FeatureGroup:
    """All 44 Kreise coloured by their class; those outside `focus` stay visible but muted. Kreise in `overdue`
    (key -> what they owe) are hatched, and their tooltip says what is missing."""
    muted = frozenset(layers.kreise.index) - frozenset(focus) if focus else frozenset()
    colours = classified.colours
    no_data = palette.STATUS_COLOURS[Status.NO_DATA]
    overdue = {k: v for k, v in (overdue or {}).items() if k in layers.kreise.index}
    extra_tips = {
        k: list((extra_tips or {}).get(k, [])) + [f"{OVERDUE_LABEL} – {line}" for line in overdue.get(k, [])]
        for k in set(extra_tips or {}) | set(overdue)
    }

    def properties(key: str) -> dict:
        row = table.loc[key]
        return {
            "ags": key,
            "n": str(row["name"]),
            "s": f"{row['kind']} · Regierungsbezirk {row['rb_name']}",
            "f": [list(pair) for pair in key_figures(row, as_of, thresholds, period)],
            "x": extra_tips.get(key, []),
            "fill": colours.get(key, no_data),
            "missing": bool(colours.get(key, no_data) == no_data),
            "muted": key in muted,
        }

    group = _coloured_layer(layers, properties)
    if overdue:
        # Above the colours, below the selection; not interactive, so tooltips and clicks stay with the Kreis.
        folium.GeoJson(
            layers.kreise.loc[sorted(overdue)].__geo_interface__,
            name=OVERDUE_LABEL,
            style_function=lambda _: {
                "fillColor": f"url(#{OVERDUE_PATTERN})",
                "fillOpacity": 1,
                "color": "#111827",
                "weight": 1.2,
                "opacity": 0.8,
            },
            interactive=False,
        ).add_to(group)
    if selected and selected in layers.kreise.index:
        folium.GeoJson(
            layers.kreise.loc[[selected]].__geo_interface__,
            name="Auswahl",
            style_function=lambda _: {"fill": False, "color": palette.SELECTED, "weight": 4},
            interactive=False,
        ).add_to(group)
    return group


def kreis_map(
    layers: Layers,
    table: pd.DataFrame,
    classified: Classified,
    *,
    as_of: date,
    thresholds: Thresholds,
    period: analysis.Period | None,
    geo_meta: GeoMeta,
    selected: str | None = None,
    focus: list[str] | None = None,
    extra_tips: dict[str, list[str]] | None = None,
    overdue: dict[str, list[str]] | None = None,
    tiles: str | None = None,
    tiles_attribution: str | None = None,
) -> KreisMap:
    shown_overdue = [k for k in (overdue or {}) if not focus or k in focus]
    return KreisMap(
        make_base=partial(base_map, layers, geo_meta, focus, tiles, tiles_attribution),
        make_layer=partial(
            kreis_layer,
            layers,
            table,
            classified,
            as_of=as_of,
            thresholds=thresholds,
            period=period,
            selected=selected,
            focus=focus,
            extra_tips=extra_tips,
            overdue=overdue,
        ),
        legend=legend_html(classified, overdue=len(shown_overdue)),
    )


def change_map(
    layers: Layers,
    tips: dict[str, list[list[str]]],
    classified: Classified,
    *,
    geo_meta: GeoMeta,
    focus: list[str] | None = None,
    tiles: str | None = None,
    tiles_attribution: str | None = None,
) -> KreisMap:
    """The 44 Kreise coloured by a change between two Stände; `tips` are each Kreis's tooltip rows."""
    regs = regions()
    muted = frozenset(layers.kreise.index) - frozenset(focus) if focus else frozenset()
    missing = {e.colour for e in classified.legend if e.missing}
    no_data = next(iter(missing), palette.STATUS_COLOURS[Status.NO_DATA])

    def properties(key: str) -> dict:
        fill = classified.colours.get(key, no_data)
        return {
            "ags": key,
            "n": regs.display_name(key),
            "s": f"{regs[key].kind} · Regierungsbezirk {regs.rb_of(key).name}",
            "f": tips.get(key, []),
            "x": [],
            "fill": fill,
            "missing": fill in missing,
            "muted": key in muted,
        }

    return KreisMap(
        make_base=partial(base_map, layers, geo_meta, focus, tiles, tiles_attribution),
        make_layer=partial(_coloured_layer, layers, properties),
        legend=legend_html(classified),
    )


def clicked_kreis(map_state: dict | None) -> str | None:
    """The Kreis key of a click on the map, from streamlit-folium's returned state."""
    if not map_state:
        return None
    drawing = map_state.get("last_active_drawing") or {}
    key = (drawing.get("properties") or {}).get("ags")
    return str(key) if key else None

"""The choropleth of the 44 Kreise as a folium map, built from cached geometry."""

from __future__ import annotations

import copy
import html
from datetime import date

import folium
import pandas as pd
from branca.element import MacroElement, Template

from lagebild import analysis, fmt, palette
from lagebild.classify import Classified
from lagebild.geometry import GeoMeta, Layers
from lagebild.measures import Status
from lagebild.overview import key_figures
from lagebild.settings import Thresholds

KREIS_LAYER = "Kreise"

# folium writes layer data with Jinja's tojson; its default separators (", ", ": ") and
# ASCII escapes add a sixth to the map's bytes. All folium templates share one Jinja
# environment, so this policy applies to every map this process renders.
folium.GeoJson._template.environment.policies["json.dumps_kwargs"] = {
    "sort_keys": False,
    "separators": (",", ":"),
    "ensure_ascii": False,
}


def tooltip_html(row: pd.Series, as_of: date, thresholds: Thresholds, period: analysis.Period | None) -> str:
    """Escaped on purpose: folium's tooltip writes properties as HTML."""
    rows = "".join(
        f"<tr><th>{html.escape(label)}</th><td>{html.escape(text)}</td></tr>"
        for label, text in key_figures(row, as_of, thresholds, period)
    )
    head = f"<b>{html.escape(str(row['name']))}</b><br><span>{html.escape(str(row['kind']))} · Regierungsbezirk {html.escape(str(row['rb_name']))}</span>"
    return f"<div class='lb-tip'>{head}<table>{rows}</table></div>"


def _script_string(text: str) -> str:
    """A JS string literal safe inside a <script> element."""
    import json

    return json.dumps(text, ensure_ascii=False).replace("</", "<\\/")


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
        self.attribution_json = _script_string(html.escape(attribution))


class Legend(MacroElement):
    """A plain-HTML legend control; branca's colormap legend would fetch d3 from the web."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var legend = L.control({position: "bottomleft"});
            legend.onAdd = function() {
                var div = L.DomUtil.create("div", "lb-legend");
                div.innerHTML = {{ this.html_json }};
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, classified: Classified):
        super().__init__()
        items = "".join(
            f"<div class='lb-row'><span class='lb-swatch{' lb-missing' if e.missing else ''}' style='background:{e.colour}'>"
            f"</span>{html.escape(e.label)} <span class='lb-count'>({e.count})</span></div>"
            for e in classified.legend
        )
        self.html_json = _script_string(f"<div class='lb-title'>{html.escape(classified.title)}</div>{items}")


STYLE = """
<style>
.lb-legend{background:rgba(255,255,255,.92);padding:6px 8px;border-radius:4px;font:12px/1.35 sans-serif;color:#1f2937;
  box-shadow:0 1px 3px rgba(0,0,0,.25);max-width:260px}
.lb-title{font-weight:600;margin-bottom:4px}
.lb-row{display:flex;align-items:center;gap:6px}
.lb-swatch{display:inline-block;width:14px;height:12px;border:1px solid #9ca3af}
.lb-missing{background-image:repeating-linear-gradient(45deg,#9ca3af 0,#9ca3af 1px,transparent 1px,transparent 4px)!important}
.lb-count{color:#6b7280}
.lb-tip{font:12px/1.35 sans-serif;color:#1f2937}
.lb-tip table{border-collapse:collapse;margin-top:4px}
.lb-tip th{font-weight:normal;color:#6b7280;text-align:left;padding:1px 8px 1px 0;white-space:nowrap}
.lb-tip td{padding:1px 0;white-space:nowrap}
.leaflet-container{background:#f8fafc}
</style>
"""


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
    tiles: str | None = None,
    tiles_attribution: str | None = None,
) -> folium.Map:
    """All 44 Kreise; those outside `focus` stay visible but muted, and the view fits the focus."""
    muted = frozenset(layers.kreise.index) - frozenset(focus) if focus else frozenset()
    minx, miny, maxx, maxy = layers.bounds
    m = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=7,
        tiles=None,
        control_scale=True,
        zoom_snap=0.25,
        min_zoom=6,
        max_zoom=13,
    )
    if tiles:
        folium.TileLayer(tiles, attr=tiles_attribution or "Hintergrundkarte", name="Hintergrund").add_to(m)
    if focus:
        minx, miny, maxx, maxy = (float(x) for x in layers.kreise.loc[list(focus)].total_bounds)
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    m.get_root().header.add_child(folium.Element(STYLE))

    data = copy.deepcopy(layers.kreise_geojson)
    colours = classified.colours
    for feature in data["features"]:
        key = feature["properties"]["ags"]
        row = table.loc[key]
        feature["properties"]["tip"] = tooltip_html(row, as_of, thresholds, period)
        feature["properties"]["fill"] = colours.get(key, palette.STATUS_COLOURS[Status.NO_DATA])
        feature["properties"]["missing"] = bool(colours.get(key) == palette.STATUS_COLOURS[Status.NO_DATA])

    def style(feature: dict) -> dict:
        props = feature["properties"]
        is_muted = props["ags"] in muted
        return {
            "fillColor": props["fill"],
            "fillOpacity": 0.2 if is_muted else 0.9,
            "color": palette.NO_DATA_BORDER if props["missing"] else palette.BORDER_KREIS,
            "weight": 1,
            "dashArray": "3 3" if props["missing"] else None,
        }

    folium.GeoJson(
        data,
        name=KREIS_LAYER,
        style_function=style,
        highlight_function=lambda _: {"weight": 3, "color": palette.SELECTED},
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
        smooth_factor=0.5,
    ).add_to(m)
    folium.GeoJson(
        layers.rb_borders_geojson,
        name="Regierungsbezirke",
        style_function=lambda _: {"color": palette.BORDER_RB, "weight": 2.2, "opacity": 0.9},
        interactive=False,
    ).add_to(m)
    if selected and selected in layers.kreise.index:
        folium.GeoJson(
            layers.kreise.loc[[selected]].__geo_interface__,
            name="Auswahl",
            style_function=lambda _: {"fill": False, "color": palette.SELECTED, "weight": 4},
            interactive=False,
        ).add_to(m)
    m.add_child(Legend(classified))
    m.add_child(Attribution(geo_meta.attribution))
    return m


def clicked_kreis(map_state: dict | None) -> str | None:
    """The Kreis key of a click on the map, from streamlit-folium's returned state."""
    if not map_state:
        return None
    drawing = map_state.get("last_active_drawing") or {}
    key = (drawing.get("properties") or {}).get("ags")
    return str(key) if key else None

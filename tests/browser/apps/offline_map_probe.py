"""Probe page for the browser tests: a localised folium map of three squares in st_folium."""

import folium
import streamlit as st
from streamlit_folium import st_folium  # type: ignore[import-untyped]

from lagebild.app import cache
from lagebild.present import offline

SQUARES = {
    "08991": ("Nordkreis", 9.0),
    "08992": ("Mittelkreis", 9.5),
    "08993": ("Südkreis", 10.0),
}

# Counts script runs so a test can tell whether panning the map reran the app.
st.session_state["runs"] = st.session_state.get("runs", 0) + 1
st.markdown(f"Skriptläufe: {st.session_state['runs']}")

features = [
    {
        "type": "Feature",
        "properties": {"ags": ags, "name": name},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[lon, 48.5], [lon + 0.4, 48.5], [lon + 0.4, 48.9], [lon, 48.9], [lon, 48.5]]],
        },
    }
    for ags, (name, lon) in SQUARES.items()
]
m = folium.Map(location=[48.7, 9.7], zoom_start=8, tiles=None)
folium.GeoJson(
    {"type": "FeatureCollection", "features": features},
    style_function=lambda f: {"fillColor": "#2c7fb8", "color": "#333333", "weight": 1, "fillOpacity": 0.6},
    highlight_function=lambda f: {"weight": 3, "fillOpacity": 0.8},
    tooltip=folium.GeoJsonTooltip(fields=["name", "ags"], aliases=["Kreis", "AGS"]),
).add_to(m)
offline.localize(m, cache.offline_asset_base_url())

state = st_folium(m, key="karte", returned_objects=["last_active_drawing"], height=500)
drawing = (state or {}).get("last_active_drawing")
st.markdown(f"Auswahl: {drawing['properties']['name'] if drawing else 'keine'}")

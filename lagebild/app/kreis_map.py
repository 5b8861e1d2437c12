"""The Kreis map through streamlit-folium's component, rendered once per map rather than on every rerun.

`st_folium` renders the whole folium map to JavaScript on every run (streamlit-folium #194): on the
Landesübersicht that was a third of a rerun. A View is cached (`cache.view`), so the same `KreisMap` comes back
on a rerun that changes nothing of it; its rendering is kept with it here and handed to the same component
`st_folium` calls, with the same arguments (tests/unit/app/test_kreis_map.py checks they are equal). Pinned to
streamlit-folium 0.27.4 (requirements.txt): it uses that version's private helpers.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass

import folium
import streamlit as st
import streamlit_folium as sf

from lagebild.present import maps, offline


@dataclass(frozen=True)
class Rendered:
    """What `st_folium` computes from a map with one feature group, before it calls its component."""

    script: str
    header: str
    html: str
    id: str
    feature_group: str
    css_links: list[str]
    js_links: list[str]


_rendered: weakref.WeakKeyDictionary[maps.KreisMap, dict[str, Rendered]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def render(km: maps.KreisMap, asset_base_url: str) -> Rendered:
    """The map rendered as st_folium would render `base` with `feature_group_to_add=layer`; once per map and
    asset address in the process (sessions share cached Views, hence the lock)."""
    with _lock:
        by_url = _rendered.setdefault(km, {})
        if asset_base_url not in by_url:
            by_url[asset_base_url] = _render(km, asset_base_url)
        return by_url[asset_base_url]


def _render(km: maps.KreisMap, asset_base_url: str) -> Rendered:
    base, layer = km.parts()
    offline.localize(base, asset_base_url)
    # The steps of streamlit_folium.st_folium (0.27.4) for a folium.Map and one feature group, in its order.
    base.get_root().render()
    base.render()
    html = sf._get_html(base)
    header = sf._get_header(base)
    script = sf._get_map_string(base)
    map_id = sf.get_full_id(base)
    feature_group = sf._get_feature_group_string(layer, map=base, idx=0)
    css_links: list[str] = []
    js_links: list[str] = []
    for element in _walk(base):
        css_links.extend(href for _, href in getattr(element, "default_css", []))
        js_links.extend(src for _, src in getattr(element, "default_js", []))
    return Rendered(
        script, header, html, map_id, feature_group, list(dict.fromkeys(css_links)), list(dict.fromkeys(js_links))
    )


def _walk(element: object):  # noqa: ANN202 - a generator of branca elements
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def show(
    km: maps.KreisMap,
    asset_base_url: str,
    *,
    key: str,
    height: int,
    returned_objects: list[str],
    on_change: Callable[[], None],
) -> object:
    """Draw the map as `st_folium(base, feature_group_to_add=layer, key=key, height=height,
    use_container_width=True, returned_objects=returned_objects, on_change=on_change)` would."""
    r = render(km, asset_base_url)
    hash_key = sf.generate_js_hash(r.script, key, False)

    def changed() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})
        on_change()

    return sf._component_func(
        script=r.script,
        header=r.header,
        html=r.html,
        id=r.id,
        key=hash_key,
        height=height,
        width=None,
        returned_objects=returned_objects,
        default={name: None for name in returned_objects},
        zoom=None,
        center=None,
        feature_group=r.feature_group,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=r.css_links,
        js_links=r.js_links,
        on_change=changed,
        wrap_longitude=False,
    )

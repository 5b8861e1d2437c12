"""The app's maps through streamlit-folium's component, rendered once per map rather than on every rerun.

`st_folium` renders the whole folium map to JavaScript on every run (streamlit-folium #194): on the
Landesübersicht that was a third of a rerun, on the Kreisprofil the Gemeinde map cost ≈ 0.1 s of every load. A View
is cached (`cache.view`), so the same `KreisMap` or Gemeinde-map maker comes back on a rerun that changes nothing of
it, and for every other session on the same Stand; its rendering is kept with it here and handed to the same
component `st_folium` calls, with the same arguments (tests/unit/app/test_map_component.py checks they are equal).
Pinned to streamlit-folium 0.27.4 (requirements.txt): it uses that version's private helpers.
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
    feature_group: str | None  # None: the map has no layer to swap
    css_links: list[str]
    js_links: list[str]


# Keyed by the KreisMap, or by the function that makes a map without a layer to swap (the Gemeinde map): both live
# as long as the cached View that holds them.
_rendered: weakref.WeakKeyDictionary[object, dict[str, Rendered]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def render(km: maps.KreisMap, asset_base_url: str) -> Rendered:
    """The map rendered as st_folium would render `base` with `feature_group_to_add=layer`; once per map and
    asset address in the process (sessions share cached Views, hence the lock)."""
    return _kept(km, asset_base_url, km.parts)


def render_whole(make: Callable[[], folium.Map], asset_base_url: str) -> Rendered:
    """The map `make()` returns, rendered as st_folium would render it without a feature group; once per maker."""
    return _kept(make, asset_base_url, lambda: (make(), None))


def _kept(
    owner: object, asset_base_url: str, parts: Callable[[], tuple[folium.Map, folium.FeatureGroup | None]]
) -> Rendered:
    with _lock:
        by_url = _rendered.setdefault(owner, {})
        if asset_base_url not in by_url:
            base, layer = parts()
            by_url[asset_base_url] = _render(base, layer, asset_base_url)
        return by_url[asset_base_url]


def _render(base: folium.Map, layer: folium.FeatureGroup | None, asset_base_url: str) -> Rendered:
    offline.localize(base, asset_base_url)
    # The steps of streamlit_folium.st_folium (0.27.4) for a folium.Map and at most one feature group, in its order.
    base.get_root().render()
    base.render()
    html = sf._get_html(base)
    header = sf._get_header(base)
    script = sf._get_map_string(base)
    map_id = sf.get_full_id(base)
    feature_group = None if layer is None else sf._get_feature_group_string(layer, map=base, idx=0)
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
    return _draw(
        render(km, asset_base_url), key=key, height=height, returned_objects=returned_objects, on_change=on_change
    )


def show_whole(
    make: Callable[[], folium.Map], asset_base_url: str, *, key: str, height: int, returned_objects: list[str]
) -> dict | None:
    """Draw the map as `st_folium(make(), key=key, height=height, use_container_width=True,
    returned_objects=returned_objects)` would; returns what the map reports, as st_folium does."""
    return _draw(
        render_whole(make, asset_base_url), key=key, height=height, returned_objects=returned_objects, on_change=None
    )


def _draw(
    r: Rendered, *, key: str, height: int, returned_objects: list[str], on_change: Callable[[], None] | None
) -> dict | None:
    hash_key = sf.generate_js_hash(r.script, key, False)

    def changed() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})
        if on_change is not None:
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

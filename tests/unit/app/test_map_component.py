"""The maps rendered once per map: the component gets exactly what st_folium would send it."""

from __future__ import annotations

from datetime import date

import pytest
import streamlit_folium
from streamlit_folium import st_folium

from lagebild import geometry
from lagebild.app import map_component
from lagebild.present import offline
from lagebild.present.classify import Scheme
from lagebild.views import kreis as kreis_views
from lagebild.views import overview as views
from tests.support.data import demo_data

TODAY = date(2026, 11, 27)
ASSETS = "../lagebild.app.cache.offline_assets/"


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return demo_data(tmp_path_factory.mktemp("karte"), TODAY)


@pytest.fixture(scope="module")
def maps(data):
    layers = geometry.layers()

    def build(metric: str, picked: str | None):
        return views.build(data, layers, metric=metric, scheme=Scheme.QUANTILES, months=3, picked=picked).kreis_map

    return build


def sent(monkeypatch, draw) -> dict:
    """The arguments that reach streamlit-folium's component (it is not called: no app runs here)."""
    calls: list[dict] = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kwargs: calls.append(kwargs))
    draw()
    assert len(calls) == 1
    args = calls[0]
    args.pop("on_change")
    return args


@pytest.mark.parametrize(("metric", "picked"), [("ratio", None), ("need_fte", "08115"), ("arrivals_per_1000", None)])
def test_the_component_gets_what_st_folium_would_send(monkeypatch, maps, metric, picked):
    km = maps(metric, picked)

    def with_st_folium() -> None:
        base, layer = km.parts()
        offline.localize(base, ASSETS)
        st_folium(
            base,
            feature_group_to_add=layer,
            key="karte",
            height=560,
            use_container_width=True,
            returned_objects=["last_active_drawing"],
        )

    def with_cache() -> None:
        map_component.show(
            km, ASSETS, key="karte", height=560, returned_objects=["last_active_drawing"], on_change=lambda: None
        )

    expected = sent(monkeypatch, with_st_folium)
    assert sent(monkeypatch, with_cache) == expected
    assert sent(monkeypatch, with_cache) == expected  # and again from the kept rendering
    assert "cdn" not in " ".join(expected["js_links"] + expected["css_links"]).lower()


def test_a_map_is_rendered_once_and_another_map_anew(maps):
    first = maps("ratio", None)
    rendered = map_component.render(first, ASSETS)
    assert map_component.render(first, ASSETS) is rendered
    other = map_component.render(maps("ratio", "08115"), ASSETS)
    assert other is not rendered and other.feature_group != rendered.feature_group
    assert other.script == rendered.script  # the base is the same: the browser keeps pan and zoom


@pytest.mark.parametrize("kreis", ["08317", "08111"])  # Ortenaukreis (Gemeinden reported), Stuttgart (one Gemeinde)
def test_the_gemeinde_map_gets_what_st_folium_would_send_and_is_rendered_once(monkeypatch, data, kreis):
    make = kreis_views.build(data, geometry.layers(), kreis=kreis).gemeinde_map

    def with_st_folium() -> None:
        folium_map = make()
        offline.localize(folium_map, ASSETS)
        st_folium(
            folium_map, key="gemeinden", height=460, use_container_width=True, returned_objects=["last_active_drawing"]
        )

    def with_cache() -> None:
        map_component.show_whole(make, ASSETS, key="gemeinden", height=460, returned_objects=["last_active_drawing"])

    expected = sent(monkeypatch, with_st_folium)
    assert expected["feature_group"] is None and "Gemeinden" in expected["script"]
    assert sent(monkeypatch, with_cache) == expected
    assert map_component.render_whole(make, ASSETS) is map_component.render_whole(make, ASSETS)
    assert sent(monkeypatch, with_cache) == expected  # and again from the kept rendering

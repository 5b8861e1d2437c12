"""The Kreisprofil View: one Stand on every chart, the Gemeinde card, and the exports it offers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from lagebild import geometry
from lagebild.views import kreis as views
from tests.support.data import StaticData, demo_data

TODAY = date(2026, 11, 27)
EARLIER = date(2024, 12, 31)


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> StaticData:
    return demo_data(tmp_path_factory.mktemp("k"), TODAY)


@pytest.fixture(scope="module")
def layers() -> geometry.Layers:
    return geometry.layers()


def test_every_chart_of_an_earlier_stand_ends_at_it_and_says_so(data, layers):
    view = views.build(replace(data, as_of=EARLIER, previous=None), layers, "08115")
    for figure in (view.arrivals, view.ratio, view.stocks):
        xs = [x for trace in figure.data for x in (trace.x or ())]
        assert xs and max(xs) <= EARLIER
        assert "Stand 31.12.2024" in figure.layout.title.text
    assert "Stand der Zahlen 31.12.2024" in view.caption


def test_the_exports_offer_the_neighbours_and_the_peers_with_their_tables(data, layers):
    view = views.build(data, layers, "08317")
    assert {"Zugänge", "Betreuungsschlüssel", "Betreuung und Kapazität", "Nachbarn", "Vergleichskreise"} <= set(
        view.export_figures
    )
    assert {"Vergleich", "Nachbarn", "Vergleichskreise"} <= set(view.export_tables)


def test_a_clicked_gemeinde_of_the_kreis_shows_its_name_and_key_and_another_shows_nothing(data, layers):
    view = views.build(data, layers, "08317")
    detail = view.gemeinde_detail("08317096")
    assert detail is not None and "**Offenburg**" in detail and "08317096" in detail
    assert view.gemeinde_detail("08115003") is None
    assert view.gemeinde_detail(None) is None

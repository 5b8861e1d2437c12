"""The Personalbedarf View: the scenario and the what-if follow their inputs; the selected Kreis is the one drawn."""

from __future__ import annotations

from datetime import date

import pytest

from lagebild import geometry
from lagebild.domain import planning
from lagebild.views import planner as views
from tests.support.data import StaticData, demo_data

TODAY = date(2026, 11, 27)
DEFAULTS = {
    "horizon": 6,
    "arrivals": None,
    "distribution": planning.DistributionKey.POPULATION,
    "reach": 70,
    "delay": 3,
    "departures": 2.0,
    "budget": None,
    "rule": planning.Rule.POPULATION,
    "blend": 50,
    "picked": None,
    "chosen": None,
}


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> StaticData:
    return demo_data(tmp_path_factory.mktemp("p"), TODAY)


@pytest.fixture(scope="module")
def layers() -> geometry.Layers:
    return geometry.layers()


def test_without_typed_amounts_the_scenario_uses_the_recent_mean_and_todays_cost(data, layers):
    view = views.build(data, layers, **DEFAULTS)
    assert "(Mittel " in view.scenario.assumptions
    assert view.allocation.budget_placeholder.startswith("heutige Kosten: ")
    assert set(view.export_figures) == {
        "Karte Bedarf",
        "Bedarf je Zielwert",
        "Projektion Land",
        "Streuung der Schlüssel",
        "Gewinn und Verlust",
    }


def test_a_typed_arrival_figure_is_an_own_assumption_and_a_longer_horizon_moves_the_end(data, layers):
    view = views.build(data, layers, **DEFAULTS | {"arrivals": 4000.0, "horizon": 12})
    assert "Gerechnet mit 4.000 Zugängen je Monat im Land (eigene Annahme)" in view.scenario.assumptions
    six = views.build(data, layers, **DEFAULTS)
    assert view.scenario.horizon_label != six.scenario.horizon_label


def test_the_selected_kreis_is_the_one_whose_projection_is_drawn(data, layers):
    view = views.build(data, layers, **DEFAULTS | {"picked": "08317", "chosen": "08115"})
    assert view.scenario.kreis == "08317" and view.scenario.kreis_sentence.startswith("**Ortenaukreis:**")
    fallback = views.build(data, layers, **DEFAULTS | {"chosen": "08115"})
    assert fallback.scenario.kreis == "08115"


def test_a_typed_budget_is_what_the_what_if_distributes(data, layers):
    view = views.build(data, layers, **DEFAULTS | {"budget": 31_000_000.0})
    assert "31,0\u202fMio. €" in view.allocation.summary

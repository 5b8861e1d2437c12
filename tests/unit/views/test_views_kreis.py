"""The Kreisprofil View: one Stand on every chart, the Gemeinde card, and the exports it offers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from lagebild import geometry
from lagebild.domain import planning
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


def test_the_outlook_is_the_personalbedarf_range_of_the_kreis_under_its_default_assumptions(data, layers):
    from lagebild.views import planner

    view = views.build(data, layers, "08115")
    plan = planner.build(
        data,
        layers,
        horizon=6,
        arrivals=None,
        distribution=planning.DistributionKey.POPULATION,
        reach=70,
        delay=3,
        departures=2.0,
        budget=None,
        rule=planning.Rule.POPULATION,
        blend=50,
        picked="08115",
        chosen=None,
    )
    assert plan.scenario.kreis_sentence == f"**Böblingen:** {view.outlook.sentence}"
    assert " Spanne bei " in view.outlook.sentence and view.outlook.title == "Ausblick bis März 2027"
    fills = [t for t in view.outlook.chart.data if t.fill == "tonexty"]
    assert len(fills) == 2  # persons in care and the ratio, each with its range
    assert view.export_figures["Ausblick"] is view.outlook.chart


def test_without_arrivals_the_outlook_says_there_is_nothing_to_project(data, layers):
    stocks_only = data.obs[data.obs["measure"] != "arrivals"]
    view = views.build(replace(data, obs=stocks_only), layers, "08115")
    assert view.outlook.chart is None and "Ausblick" not in view.export_figures
    assert view.outlook.sentence == "Ohne gemeldete Zugänge lässt sich nichts projizieren."


def test_a_kreis_without_counsellor_figures_gets_a_sentence_but_no_empty_outlook_chart(data, layers):
    obs = data.obs
    no_staff = obs[~(obs["measure"].str.startswith("counsellors") & (obs["region"] == "08115"))]
    view = views.build(replace(data, obs=no_staff), layers, "08115")
    assert view.outlook.chart is None and "Ausblick" not in view.export_figures
    assert view.outlook.sentence == "Für Ende März 2027 lässt sich nichts projizieren (keine Daten)."

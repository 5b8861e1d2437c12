"""The Landesübersicht View: what the page, its exports and its alt texts say, built without Streamlit."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from lagebild import geometry
from lagebild.domain.selection import Selection
from lagebild.params import MAP_METRIC
from lagebild.present.classify import Scheme
from lagebild.views import Empty
from lagebild.views import overview as views
from tests.support.data import StaticData, demo_data

TODAY = date(2026, 11, 27)


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> StaticData:
    return demo_data(tmp_path_factory.mktemp("v"), TODAY)


@pytest.fixture(scope="module")
def layers() -> geometry.Layers:
    return geometry.layers()


def test_the_view_carries_one_stand_in_caption_summary_ranking_and_source(data, layers):
    view = views.build(data, layers, metric="ratio", scheme=Scheme.TARGET_BANDS, months=3, picked=None)
    stand = data.as_of.strftime("%d.%m.%Y")
    assert f"Stand {stand}" in view.caption and view.summary.startswith(f"Stand {stand}")
    assert stand in view.source and stand in view.ranking.layout.title.text
    assert len(view.cards) == 8 and view.detail is None


def test_the_selected_kreis_gets_a_detail_card_and_is_marked_in_the_ranking(data, layers):
    view = views.build(data, layers, metric="need_fte", scheme=Scheme.QUANTILES, months=3, picked="08317")
    assert view.detail is not None and view.detail.name == "Ortenaukreis"
    assert "**Verstärkungsbedarf:**" in view.detail.figures
    assert "08317" in view.ranking_keys


def test_a_filter_that_matches_no_kreis_says_so_and_shows_nothing_else(data, layers):
    from lagebild.domain.selection import KindFilter

    empty = StaticData(data.obs, data.as_of, data.previous, Selection(kreise=("08111",), kind=KindFilter.LAND))
    view = views.build(empty, layers, metric="ratio", scheme=Scheme.TARGET_BANDS, months=3, picked=None)
    assert isinstance(view, Empty) and view.note == views.NO_KREIS


def test_the_exports_offer_the_map_lazily_and_the_ranking_as_shown(data, layers):
    view = views.build(data, layers, metric="arrivals", scheme=Scheme.QUANTILES, months=6, picked=None)
    assert callable(view.exports.figures["Karte"]) and view.exports.figures["Rangfolge"] is view.ranking
    period = view.exports.period
    assert (
        period is not None and (period.last.year - period.first.year) * 12 + period.last.month - period.first.month == 5
    )


def test_the_first_screen_says_which_kreise_have_not_reported_for_the_stand(data, layers):
    # The demo data leave one Kreis without its newest report, as real data would.
    demo = views.build(data, layers, metric="ratio", scheme=Scheme.TARGET_BANDS, months=3, picked=None)
    assert demo.completeness_note is not None and "Bei 1 von 44 Kreisen" in demo.completeness_note
    obs = data.obs
    missing = obs[~((obs["region"] == "08317") & (obs["measure"] == "refugees_in_care") & (obs["date"] == data.as_of))]
    late = StaticData(missing.reset_index(drop=True), data.as_of, data.previous)
    view = views.build(late, layers, metric="ratio", scheme=Scheme.TARGET_BANDS, months=3, picked=None)
    assert view.completeness_note is not None
    assert view.completeness_note.startswith(
        f"Bei 2 von 44 Kreisen fehlen Meldungen zum Stand {data.as_of:%d.%m.%Y} (Ortenaukreis, Waldshut)"
    )
    # Filtered to another Kreis, the note does not speak of the Ortenaukreis.
    elsewhere = StaticData(late.obs, data.as_of, data.previous, selection=Selection(kreise=("08111",)))
    assert (
        views.build(
            elsewhere, layers, metric="ratio", scheme=Scheme.TARGET_BANDS, months=3, picked=None
        ).completeness_note
        is None
    )


def test_the_next_switches_are_every_other_kennzahl_classification_and_regierungsbezirk(data):
    chosen = {"metric": "ratio", "scheme": Scheme.TARGET_BANDS, "months": 3, "picked": "08317"}
    switches = views.next_switches(data, **chosen)
    metrics = [(s.inputs["metric"], s.inputs["scheme"]) for s in switches if s.inputs["metric"] != "ratio"]
    # Another Kennzahl comes in quantiles, as the page switches it (state.metric_switched): no target bands.
    assert metrics == [(m, Scheme.QUANTILES) for m in MAP_METRIC.options if m != "ratio"]
    schemes = [s.inputs["scheme"] for s in switches if s.inputs["metric"] == "ratio" and s.rbs is None]
    assert schemes == [Scheme.QUANTILES, Scheme.NATURAL_BREAKS, Scheme.EQUAL_INTERVAL]
    assert [s.rbs for s in switches if s.rbs] == [("081",), ("082",), ("083",), ("084",)]
    assert all(s.inputs["picked"] == "08317" and s.inputs["months"] == 3 for s in switches)


def test_within_a_regierungsbezirk_no_other_one_is_prepared(data):
    filtered = replace(data, selection=Selection(rbs=("083",)))
    switches = views.next_switches(filtered, metric="need_fte", scheme=Scheme.QUANTILES, months=3, picked=None)
    assert not [s for s in switches if s.rbs]
    assert [s.inputs["scheme"] for s in switches if s.inputs["metric"] == "need_fte"] == [
        Scheme.NATURAL_BREAKS,
        Scheme.EQUAL_INTERVAL,
    ]

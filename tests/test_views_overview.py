"""The Landesübersicht View: what the page, its exports and its alt texts say, built without Streamlit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import pytest

from lagebild import analysis, demo, geometry
from lagebild.classify import Scheme
from lagebild.regions import regions
from lagebild.selection import Selection
from lagebild.settings import Thresholds
from lagebild.store import Store
from lagebild.views import overview as views

TODAY = date(2026, 11, 27)


@dataclass
class StaticData:
    """The Data a run hands a View, computed directly (the app layer caches the same calls)."""

    obs: pd.DataFrame
    as_of: date
    previous: date | None
    selection: Selection = field(default_factory=Selection)
    thresholds: Thresholds = field(default_factory=lambda: Thresholds(150.0))
    cost_per_fte: float = 64_000.0
    is_demo: bool = True

    @property
    def kreis_keys(self) -> list[str]:
        return self.selection.kreis_keys(regions())

    def period(self, months: int) -> analysis.Period | None:
        last = analysis.latest_month(self.obs, self.as_of)
        return analysis.Period.ending(last, months) if last else None

    def table(self, as_of: date | None = None, months: int = 3, filtered: bool = False) -> pd.DataFrame:
        table = analysis.kreis_table(self.obs, regions(), as_of or self.as_of, self.thresholds, self.cost_per_fte,
                                     self.period(months))  # fmt: skip
        return table.loc[self.kreis_keys] if filtered else table

    def sources(self) -> list[str]:
        return sorted(set(self.obs["source"]))

    @property
    def region_label(self) -> str:
        return self.selection.label(regions())

    @property
    def is_filtered(self) -> bool:
        return len(self.kreis_keys) < 44


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> StaticData:
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('v') / 'v.sqlite'}")
    demo.seed(store, TODAY)
    obs = store.observations()
    stands = analysis.stand_dates(obs)
    return StaticData(obs, stands[-1], stands[-2])


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
    from lagebild.selection import KindFilter

    empty = StaticData(data.obs, data.as_of, data.previous, Selection(kreise=("08111",), kind=KindFilter.LAND))
    view = views.build(empty, layers, metric="ratio", scheme=Scheme.TARGET_BANDS, months=3, picked=None)
    assert view.empty_note == views.NO_KREIS and view.cards == [] and view.kreis_map is None


def test_the_exports_offer_the_map_lazily_and_the_ranking_as_shown(data, layers):
    view = views.build(data, layers, metric="arrivals", scheme=Scheme.QUANTILES, months=6, picked=None)
    assert callable(view.exports.figures["Karte"]) and view.exports.figures["Rangfolge"] is view.ranking
    period = view.exports.period
    assert period is not None and (period.last.year - period.first.year) * 12 + period.last.month - period.first.month == 5

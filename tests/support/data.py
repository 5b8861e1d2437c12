"""Builders the tests share: the Data a View receives, computed without Streamlit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from lagebild import demo
from lagebild.domain import access, analysis
from lagebild.domain.regions import regions
from lagebild.domain.selection import Selection
from lagebild.settings import Thresholds
from lagebild.store import Store


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
        table = analysis.kreis_table(
            self.obs, regions(), as_of or self.as_of, self.thresholds, self.cost_per_fte, self.period(months)
        )
        return table.loc[self.kreis_keys] if filtered else table

    def sources(self) -> list[str]:
        return sorted(set(self.obs["source"]))

    @property
    def region_label(self) -> str:
        return self.selection.label(regions())

    @property
    def is_filtered(self) -> bool:
        return len(self.kreis_keys) < 44


def demo_data(folder, today: date) -> StaticData:
    """Demo data seeded into a store in `folder`, at its newest Stand, compared with the one before."""
    store = Store(f"sqlite:///{folder / 'views.sqlite'}")
    demo.seed(store, today)
    obs = store.observations()
    stands = analysis.stand_dates(obs)
    return StaticData(obs, stands[-1], stands[-2])


# Who the tests act as where access is not what they are about: the data office may write every Kreis.
DATENSTELLE = access.Principal("Testperson Datenstelle", access.Role.DATA_OFFICE)

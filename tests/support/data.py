"""Builders the tests share: the Data a View receives, computed without Streamlit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from lagebild import demo
from lagebild.domain import access, analysis, completeness, planning
from lagebild.domain.regions import regions
from lagebild.domain.selection import Selection
from lagebild.settings import Thresholds
from lagebild.store import ImportMeta, Store


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
        # The arrivals of the Stand asked for, as the app's cached kreis_table takes them.
        when = as_of or self.as_of
        last = analysis.latest_month(self.obs, when)
        period = analysis.Period.ending(last, months) if last else None
        table = analysis.kreis_table(self.obs, regions(), when, self.thresholds, self.cost_per_fte, period)
        return table.loc[self.kreis_keys] if filtered else table

    def sources(self) -> list[str]:
        return sorted(set(self.obs["source"]))

    def meldestand(self) -> completeness.Meldestand:
        return completeness.meldestand(self.obs, regions(), self.as_of)

    def recent_arrivals(self) -> planning.RecentArrivals:
        return planning.recent_arrivals(self.obs, regions().kreis_keys, self.as_of)

    def projection(self, scenario: planning.Scenario, months: int = 3) -> planning.Projection:
        table, t, cost = self.table(months=months), self.thresholds, self.cost_per_fte
        return planning.project(table, self.obs, scenario, self.recent_arrivals(), self.as_of, t, cost)

    def band(self, scenario: planning.Scenario, low: float, high: float, months: int = 3) -> planning.Band:
        table, t, cost = self.table(months=months), self.thresholds, self.cost_per_fte
        return planning.project_band(table, self.obs, scenario, low, high, self.recent_arrivals(), self.as_of, t, cost)

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


# Freudenstadt reports no Gemeinde figures in the demo data; these give it every kind of cell the Geheimhaltung
# knows, at the demo data's newest Stichtag.
SMALL_KREIS = "08237"
SMALL_STAND = date(2026, 9, 30)
SMALL_COUNTS = {0: 2.0, 1: 0.0, 2: 7.0, 3: 12.0, 4: 13.0}  # Gemeinde by position -> persons; the rest get 40 + i


def small_gemeinden() -> dict[str, float]:
    """Gemeinde -> persons: one count of 2 (closed), a zero, 7 (the next-smallest, closed with it), 12 and 13
    (published as 10 and 15), larger counts, and the last Gemeinde not reported at all."""
    keys = [g.key for g in regions().gemeinden_of(SMALL_KREIS)]
    return {key: SMALL_COUNTS.get(i, 40.0 + i) for i, key in enumerate(keys[:-1])}


def seed_small_gemeinden(store: Store) -> None:
    """Imports the small Gemeinde counts of Freudenstadt as one import, as the Daten page would."""
    rows = pd.DataFrame(
        [("refugees_in_care", key, SMALL_STAND, "insgesamt", value) for key, value in small_gemeinden().items()],
        columns=["measure", "region", "date", "grp", "value"],
    )
    rows["status"] = None
    rows["source"] = demo.SOURCE
    meta = ImportMeta(
        "Beispieldaten: Gemeinden Freudenstadt", "kleine-gemeinden", "refugees_in_care", demo.SOURCE, is_demo=True
    )
    store.write_import(rows, meta, DATENSTELLE)


def demo_data_with_small_gemeinden(folder, today: date) -> StaticData:
    """The demo data plus the small Gemeinde counts of Freudenstadt."""
    store = Store(f"sqlite:///{folder / 'views.sqlite'}")
    demo.seed(store, today)
    seed_small_gemeinden(store)
    obs = store.observations()
    stands = analysis.stand_dates(obs)
    return StaticData(obs, stands[-1], stands[-2])

"""The Context every page receives: data, the chosen Stand, assumptions and the region filter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from lagebild.app import cache
from lagebild.domain import analysis, completeness, planning
from lagebild.domain.regions import regions
from lagebild.domain.selection import Selection
from lagebild.settings import Thresholds


@dataclass(frozen=True)
class Context:
    """What every page needs: the data, the chosen Stand, the assumptions and the region filter."""

    url: str
    revision: str
    obs: pd.DataFrame
    stands: list[date]
    as_of: date
    previous: date | None
    thresholds: Thresholds
    cost_per_fte: float
    is_demo: bool
    selection: Selection
    kreis_keys: list[str]

    def period(self, months: int) -> analysis.Period | None:
        last = analysis.latest_month(self.obs, self.as_of)
        return analysis.Period.ending(last, months) if last else None

    def table(self, as_of: date | None = None, months: int = 3, filtered: bool = False) -> pd.DataFrame:
        """Key figures of all 44 Kreise (or only the filtered ones) at a Stand."""
        t = self.thresholds
        table = cache.kreis_table(
            self.url, self.revision, as_of or self.as_of, t.target, t.elevated_factor, self.cost_per_fte, months
        )
        return table.loc[self.kreis_keys] if filtered else table

    def meldestand(self) -> completeness.Meldestand:
        return cache.meldestand(self.url, self.revision, self.as_of)

    def recent_arrivals(self) -> planning.RecentArrivals:
        return cache.recent_arrivals(self.url, self.revision, self.as_of)

    def projection(self, scenario: planning.Scenario, months: int = 3) -> planning.Projection:
        projected = self._projected(scenario, months, None)
        assert isinstance(projected, planning.Projection)
        return projected

    def band(self, scenario: planning.Scenario, low: float, high: float, months: int = 3) -> planning.Band:
        projected = self._projected(scenario, months, (low, high))
        assert isinstance(projected, planning.Band)
        return projected

    def _projected(
        self, scenario: planning.Scenario, months: int, band: tuple[float, float] | None
    ) -> planning.Projection | planning.Band:
        t = self.thresholds
        return cache.projection(
            self.url, self.revision, self.as_of, t.target, t.elevated_factor, self.cost_per_fte, months, scenario, band
        )

    def sources(self) -> list[str]:
        return sorted(set(self.obs["source"])) if len(self.obs) else []

    @property
    def region_label(self) -> str:
        return self.selection.label(regions())

    @property
    def is_filtered(self) -> bool:
        return len(self.kreis_keys) < len(regions().kreise)

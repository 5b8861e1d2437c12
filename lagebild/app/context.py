"""The Context every page receives: data, the chosen Stand, assumptions and the region filter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from lagebild.app import cache
from lagebild.domain import analysis
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

    def sources(self) -> list[str]:
        return sorted(set(self.obs["source"])) if len(self.obs) else []

    @property
    def region_label(self) -> str:
        return self.selection.label(regions())

    @property
    def is_filtered(self) -> bool:
        return len(self.kreis_keys) < len(regions().kreise)

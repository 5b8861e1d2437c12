"""Two Stände side by side: the change of a metric per Kreis, status crossings, movers and the Land's totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

import numpy as np
import pandas as pd

from lagebild.domain import measures as ms
from lagebild.domain.measures import METRICS, Status


class Movement(str, Enum):
    """What happened to a Kreis's value between the two Stände."""

    ROSE = "rose"
    FELL = "fell"
    UNCHANGED = "unchanged"
    MISSING = "missing"  # no value at one Stand or both: never the same as a change of 0


def default_pair(stands: list[date]) -> tuple[date, date]:
    """The newest Stand and the one four quarters (a year) before it, or the oldest when there is none that old."""
    later = stands[-1]
    year_before = (pd.Timestamp(later) - pd.DateOffset(years=1)).date()
    earlier = [d for d in stands if d <= year_before]
    return (earlier[-1] if earlier else stands[0]), later


def snap(stands: list[date], wanted: date | None, fallback: date) -> date:
    """The Stand a date stands for: itself, else the newest Stand before it, else `fallback`."""
    if wanted is None:
        return fallback
    earlier = [d for d in stands if d <= wanted]
    return earlier[-1] if earlier else fallback


# The reported stocks each metric is computed from; the arrivals' months are a period of their own.
INPUTS = {
    "ratio": ("refugees_in_care", "counsellors_fte"),
    "need_fte": ("refugees_in_care", "counsellors_fte"),
    "need_cost": ("refugees_in_care", "counsellors_fte"),
    "fte_per_100k": ("counsellors_fte",),
    "refugees_in_care": ("refugees_in_care",),
    "counsellors_fte": ("counsellors_fte",),
    "counsellors_headcount": ("counsellors_headcount",),
}


def reported(table: pd.DataFrame, metric: str) -> pd.Series:
    """Per Kreis the Stichtag of the oldest input of the metric (None for arrivals or no report): older than the
    Stand when a Kreis has not reported since."""
    columns = [f"{m}_date" for m in INPUTS.get(metric, ()) if f"{m}_date" in table]
    if not columns:
        return pd.Series(None, index=table.index, dtype=object)
    return table[columns].apply(lambda row: min((d for d in row if isinstance(d, date)), default=None), axis=1)


def change_table(before: pd.DataFrame, after: pd.DataFrame, metric: str, decimals: int | None = None) -> pd.DataFrame:
    """Per Kreis: the metric then and now, the change, its movement and whether it went the worse way; and the
    status then and now with the crossing (+1 worse, −1 better, 0 none; NaN when a status has no data).

    A change that rounds to zero at the metric's decimals is "unchanged"; a missing value at either Stand is
    "missing" (change NaN), also where the value is 0 at the other Stand.
    """
    m = METRICS[metric]
    places = m.decimals if decimals is None else decimals
    out = pd.DataFrame(index=after.index)
    out["name"] = after["name"]
    out["before"] = before[metric].reindex(after.index).astype(float)
    out["after"] = after[metric].astype(float)
    out["change"] = out["after"] - out["before"]
    out["before_date"] = reported(before, metric).reindex(after.index)
    out["after_date"] = reported(after, metric)
    tiny = 0.5 * 10**-places
    out["movement"] = np.select(
        [out["change"].isna(), out["change"].abs() < tiny, out["change"] > 0],
        [Movement.MISSING.value, Movement.UNCHANGED.value, Movement.ROSE.value],
        Movement.FELL.value,
    )
    rose, fell = out["movement"] == Movement.ROSE.value, out["movement"] == Movement.FELL.value
    out["worse"] = rose if m.higher_is_worse else fell
    out["status_before"] = before["status"].reindex(after.index).fillna(Status.NO_DATA.value)
    out["status_after"] = after["status"].fillna(Status.NO_DATA.value)
    then = out["status_before"].map(lambda s: Status(s).severity).astype(float)
    now = out["status_after"].map(lambda s: Status(s).severity).astype(float)
    known = (then >= 0) & (now >= 0)
    out["crossing"] = np.where(known, np.sign(now - then), np.nan)
    return out


def crossings(changes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Kreise whose status got worse (into a worse status), and those whose status got better (out of it),
    each by name; a status without data at either Stand is no crossing."""
    worse = changes[changes["crossing"] > 0]
    better = changes[changes["crossing"] < 0]
    return worse.sort_values("name"), better.sort_values("name")


def movers(changes: pd.DataFrame, n: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The n largest rises and the n largest falls (whatever is worse for the metric), missing values left out."""
    rises = changes[changes["movement"] == Movement.ROSE.value].sort_values("change", ascending=False).head(n)
    falls = changes[changes["movement"] == Movement.FELL.value].sort_values("change", ascending=True).head(n)
    return rises, falls


def _ratio_of_sums(table: pd.DataFrame, numerator: str, denominator: str, per: float) -> float:
    both = table.dropna(subset=[numerator, denominator])
    den = float(both[denominator].sum())
    return float(both[numerator].sum()) / den * per if len(both) and den else ms.NAN


def land_value(table: pd.DataFrame, metric: str) -> float:
    """The metric for all Kreise of the table: sums of counts and ratios of sums, never a mean of ratios."""
    if metric == "ratio":
        return _ratio_of_sums(table, "refugees_in_care", "counsellors_fte", 1)
    if metric == "fte_per_100k":
        return _ratio_of_sums(table, "counsellors_fte", "population", 100_000)
    if metric == "arrivals_per_1000":
        return _ratio_of_sums(table, "arrivals", "population", 1_000)
    return float(table[metric].sum(min_count=1))


@dataclass(frozen=True)
class TotalRow:
    key: str  # a metric key of METRICS
    before: float
    after: float

    @property
    def change(self) -> float:
        return self.after - self.before


TOTAL_METRICS = ("counsellors_fte", "arrivals")


def land_totals(before: pd.DataFrame, after: pd.DataFrame, metric: str) -> list[TotalRow]:
    """Counsellors (VZÄ), arrivals and the chosen metric's value for the whole table, then and now."""
    keys = [*TOTAL_METRICS, *([metric] if metric not in TOTAL_METRICS else [])]
    return [TotalRow(key, land_value(before, key), land_value(after, key)) for key in keys]

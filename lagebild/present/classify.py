"""Class breaks and colours for the choropleth and the ranking, through mapclassify."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from enum import Enum

import numpy as np
import pandas as pd

from lagebild.domain.measures import METRICS, Status
from lagebild.present import fmt, palette
from lagebild.settings import Thresholds


class Scheme(str, Enum):
    TARGET_BANDS = "Zielwert-Bänder"
    QUANTILES = "Quantile"
    NATURAL_BREAKS = "Natürliche Brüche (Fisher-Jenks)"
    EQUAL_INTERVAL = "Gleiche Intervalle"


@dataclass(frozen=True)
class LegendEntry:
    label: str
    colour: str
    count: int
    missing: bool = False


@dataclass(frozen=True)
class Classified:
    """A colour per Kreis and the legend that explains it."""

    colours: pd.Series
    legend: list[LegendEntry]
    title: str

    def counted_within(self, keys: list[str]) -> Classified:
        """The same classes and colours, with counts for a filtered set of Kreise."""
        colours = self.colours.loc[keys]
        legend = [replace(e, count=int((colours == e.colour).sum())) for e in self.legend]
        return replace(self, legend=legend)


def _range_label(lo: float, hi: float, decimals: int, first: bool) -> str:
    return (
        f"{fmt.number(lo, decimals)} bis {fmt.number(hi, decimals)}"
        if not first or lo != hi
        else fmt.number(hi, decimals)
    )


def classify(table: pd.DataFrame, metric: str, scheme: Scheme, thresholds: Thresholds, k: int = 5) -> Classified:
    m = METRICS[metric]
    values = table[metric].astype(float)
    missing_label = f"{fmt.NO_DATA}"
    if metric == "ratio" and scheme is Scheme.TARGET_BANDS:
        return _target_bands(table, thresholds, m.unit)
    present = values.dropna()
    colours = pd.Series(palette.STATUS_COLOURS[Status.NO_DATA], index=table.index)
    legend: list[LegendEntry] = []
    no_capacity = (
        table["status"] == Status.NO_CAPACITY.value if metric == "ratio" else pd.Series(False, index=table.index)
    )
    zero_need = (values == 0) if metric == "need_fte" else pd.Series(False, index=table.index)
    present = present[~zero_need.loc[present.index]]
    if zero_need.any():
        colours[zero_need] = palette.STATUS_COLOURS[Status.OK]
        legend.append(LegendEntry("kein Bedarf (im Ziel)", palette.STATUS_COLOURS[Status.OK], int(zero_need.sum())))
    if len(present):
        distinct = len(np.unique(present))
        k_eff = max(1, min(k, distinct))
        bins = np.unique(_breaks(present.values, scheme, k_eff))
        if metric == "ratio" and present.min() < thresholds.target < present.max():
            # Diverging around the target: the inner break nearest to it moves onto the target.
            inner = np.abs(bins[:-1] - thresholds.target)
            if len(inner):
                bins[int(np.argmin(inner))] = thresholds.target
            else:
                bins = np.append(thresholds.target, bins)
            bins = np.unique(bins)
        idx = np.searchsorted(bins, present.values, side="left")
        if metric == "ratio":
            n_below = int((bins <= thresholds.target).sum())
            cols = palette.diverging(n_below, len(bins) - n_below)
        else:
            cols = palette.sequential(len(bins), worse=m.higher_is_worse)
        colours.loc[present.index] = [cols[i] for i in idx]
        lo = present.min()
        for i, hi in enumerate(bins):
            count = int((idx == i).sum())
            legend.append(LegendEntry(_range_label(lo, hi, m.decimals, i == 0), cols[i], count))
            lo = hi
    if no_capacity.any():
        colours[no_capacity] = palette.STATUS_COLOURS[Status.NO_CAPACITY]
        legend.append(
            LegendEntry(Status.NO_CAPACITY.label, palette.STATUS_COLOURS[Status.NO_CAPACITY], int(no_capacity.sum()))
        )
    n_missing = int(values.isna().sum() - no_capacity.sum())
    legend.append(LegendEntry(missing_label, palette.STATUS_COLOURS[Status.NO_DATA], n_missing, missing=True))
    return Classified(colours, legend, f"{m.label} ({m.unit}), {scheme.value}")


def _breaks(values: np.ndarray, scheme: Scheme, k: int) -> np.ndarray:
    if k == 1:
        return np.array([values.max()])
    # Imported here: it brings scipy.stats (about a second), which the first page, in target bands, never needs.
    # cache.warm_process loads it in the background after the first page.
    import mapclassify

    with warnings.catch_warnings():
        # mapclassify warns that it runs pure Python without numba; 44 values need no JIT.
        warnings.simplefilter("ignore", UserWarning)
        if scheme is Scheme.QUANTILES:
            return mapclassify.Quantiles(values, k=k).bins
        if scheme is Scheme.NATURAL_BREAKS:
            return mapclassify.FisherJenks(values, k=k).bins
        return mapclassify.EqualInterval(values, k=k).bins


def _target_bands(table: pd.DataFrame, thresholds: Thresholds, unit: str) -> Classified:
    status = table["status"].map(Status)
    colours = status.map(palette.STATUS_COLOURS)
    t, c = (fmt.number(x, 0 if float(x).is_integer() else 1) for x in (thresholds.target, thresholds.critical_above))
    labels = {
        Status.OK: f"{Status.OK.label} (bis {t})",
        Status.ELEVATED: f"{Status.ELEVATED.label} (über {t} bis {c})",
        Status.CRITICAL: f"{Status.CRITICAL.label} (über {c})",
        Status.NO_CAPACITY: f"{Status.NO_CAPACITY.label} (0 VZÄ)",
        Status.NO_DATA: Status.NO_DATA.label,
    }
    legend = [
        LegendEntry(labels[s], palette.STATUS_COLOURS[s], int((status == s).sum()), missing=s is Status.NO_DATA)
        for s in labels
        if s is not Status.NO_CAPACITY or (status == s).any()
    ]
    return Classified(colours, legend, f"Betreuungsschlüssel ({unit}), Zielwert {t}")


def classify_around_zero(
    values: pd.Series, title: str, decimals: int, k: int = 3, negative_is_worse: bool = True
) -> Classified:
    """k classes on each side of zero with the same bounds on both sides, so equal shades mean equal amounts.

    Values that round to zero at the shown decimals are "unverändert"; missing values are
    "keine Daten" (grey, hatched), never the colour of zero.
    """
    values = values.astype(float)
    colours = pd.Series(palette.STATUS_COLOURS[Status.NO_DATA], index=values.index)
    present = values.dropna()
    is_zero = present.abs() < 0.5 * 10**-decimals
    signed = present[~is_zero]
    top = float(signed.abs().max()) if len(signed) else 0.0
    bounds = [0.0] + [top * i / k for i in range(1, k)] + [top]
    cols = palette.around_zero(k, k, negative_is_worse)
    outward_neg, outward_pos = cols[:k][::-1], cols[k:]  # each ordered from zero outwards
    negative, positive = [], []
    for i in range(k):
        lo, hi = bounds[i], bounds[i + 1]
        neg = signed[(signed < 0) & (signed.abs() > lo) & (signed.abs() <= hi)]
        pos = signed[(signed > 0) & (signed > lo) & (signed <= hi)]
        colours[neg.index] = outward_neg[i]
        colours[pos.index] = outward_pos[i]
        negative.append(
            LegendEntry(
                f"{fmt.signed(-hi, decimals)} bis unter {fmt.signed(-lo, decimals) if i else '0'}",
                outward_neg[i],
                len(neg),
            )
        )
        positive.append(
            LegendEntry(
                f"über {fmt.signed(lo, decimals) if i else '0'} bis {fmt.signed(hi, decimals)}",
                outward_pos[i],
                len(pos),
            )
        )
    colours[present[is_zero].index] = palette.NEUTRAL
    if not top:  # nothing moved: the signed classes would all read "0 bis 0"
        negative, positive = [], []
    legend = [
        *negative[::-1],
        LegendEntry("unverändert", palette.NEUTRAL, int(is_zero.sum())),
        *positive,
        LegendEntry(fmt.NO_DATA, palette.STATUS_COLOURS[Status.NO_DATA], int(values.isna().sum()), missing=True),
    ]
    return Classified(colours, legend, title)

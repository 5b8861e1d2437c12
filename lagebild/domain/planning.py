"""Personalbedarf in numbers: reinforcement need and cost, a projection of the next months, and budget allocation rules."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Literal

import numpy as np
import pandas as pd

from lagebild.domain import analysis
from lagebild.domain import measures as ms
from lagebild.settings import Thresholds

# No official figures exist for how many new arrivals reach the counsellors, how late,
# and how many leave care each month. These defaults are round values between the
# demo generator's assumptions (Ukraine 55 % after 2 months, asylum 85 % after 6 months,
# 2 % leaving per month); the page asks the user to replace them.
DEFAULT_REACH_SHARE = 0.70
DEFAULT_DELAY_MONTHS = 3
DEFAULT_DEPARTURE_RATE = 0.02
DEFAULT_HORIZON_MONTHS = 6
RECENT_MONTHS = 6
SENSITIVITY_TARGETS = tuple(range(100, 255, 5))


def add_months(month: date, n: int) -> date:
    """The first day of the month n months after (or before) month."""
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month_end(month: date) -> date:
    return (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()


# --- Need and cost now -------------------------------------------------------------------------


def priority_list(table: pd.DataFrame) -> pd.DataFrame:
    """Kreise by need (largest gap first), then by ratio; Kreise without data last."""
    frame = table.assign(_need=table["need_fte"].fillna(-1), _ratio=table["ratio"].fillna(-1))
    no_capacity = frame["status"] == ms.Status.NO_CAPACITY.value
    frame["_ratio"] = frame["_ratio"].where(~no_capacity, np.inf)
    ordered = frame.sort_values(["_need", "_ratio"], ascending=False, kind="stable")
    return ordered.drop(columns=["_need", "_ratio"])


def sensitivity(
    table: pd.DataFrame, thresholds: Thresholds, cost_per_fte: float, targets: tuple[int, ...] = SENSITIVITY_TARGETS
) -> pd.DataFrame:
    """Statewide need (sum of the Kreis gaps), its cost and the Kreise above target, per target ratio."""
    care, fte = table["refugees_in_care"], table["counsellors_fte"]
    rows = []
    for target in targets:
        thresholds = replace(thresholds, target=float(target))
        need = [ms.reinforcement_need(c, f, thresholds.target) for c, f in zip(care, fte, strict=True)]
        statuses = [ms.status(c, f, thresholds) for c, f in zip(care, fte, strict=True)]
        total = float(pd.Series(need, dtype=float).sum(min_count=1))
        rows.append(
            {
                "target": float(target),
                "need_fte": total,
                "need_cost": total * cost_per_fte,
                "above_target": sum(s.is_above_target for s in statuses),
            }
        )
    return pd.DataFrame(rows)


# --- Scenario: the next months -----------------------------------------------------------------


class DistributionKey(StrEnum):
    POPULATION = "Einwohneranteil (Verteilung nach FlüAG)"
    RECENT_ARRIVALS = "Anteil an den Zugängen der letzten 6 Monate"


@dataclass(frozen=True)
class Scenario:
    """The assumptions of a projection. Rates are fractions (0.7 = 70 %)."""

    arrivals_per_month: float  # statewide, persons
    key: DistributionKey = DistributionKey.POPULATION
    reach_share: float = DEFAULT_REACH_SHARE
    delay_months: int = DEFAULT_DELAY_MONTHS
    departure_rate: float = DEFAULT_DEPARTURE_RATE
    horizon_months: int = DEFAULT_HORIZON_MONTHS


@dataclass(frozen=True)
class RecentArrivals:
    """Arrivals of the last months: the default of the scenario and the second distribution key."""

    period: analysis.Period | None
    by_kreis: pd.Series  # persons over the period; NaN where a Kreis reported no month
    monthly_mean: float  # statewide persons per month; NaN without any report
    # The statewide total of the lowest and the highest month of the period, over the months the most Kreise reported
    # (a month half the Kreise have not reported yet is not a low month); NaN without any report.
    monthly_low: float = np.nan
    monthly_high: float = np.nan


def recent_arrivals(obs: pd.DataFrame, keys: list[str], as_of: date, n_months: int = RECENT_MONTHS) -> RecentArrivals:
    """Sums per Kreis over the last n_months reported at or before as_of, the statewide monthly mean, lowest and
    highest month."""
    last = analysis.latest_month(obs, as_of)
    if last is None:
        return RecentArrivals(None, pd.Series(np.nan, index=pd.Index(keys, name="region")), np.nan)
    period = analysis.Period.ending(last, n_months)
    sums = analysis.arrivals_in(obs, period, keys)["arrivals"]
    flows = obs[(obs["measure"] == "arrivals") & (obs["date"] >= period.first) & (obs["date"] <= period.last)]
    flows = flows[flows["region"].isin(keys)]
    # A mean over the months that were reported: a month nobody reported yet is not a month of zero arrivals.
    reported = flows["date"].nunique()
    mean = float(sums.sum(min_count=1)) / reported if reported else np.nan
    by_month = flows.groupby("date").agg(total=("value", "sum"), kreise=("region", "nunique"))
    complete = by_month[by_month["kreise"] == by_month["kreise"].max()]["total"]
    low, high = (float(complete.min()), float(complete.max())) if len(complete) else (np.nan, np.nan)
    return RecentArrivals(period, sums, mean, low, high)


def distribution_shares(table: pd.DataFrame, key: DistributionKey, recent: RecentArrivals) -> pd.Series:
    """Each Kreis's share of the statewide arrivals; NaN (keine Daten) where the key has no value."""
    weights = table["population"] if key is DistributionKey.POPULATION else recent.by_kreis.reindex(table.index)
    weights = weights.astype(float)
    total = weights.sum(min_count=1)
    if pd.isna(total) or total == 0:
        return pd.Series(np.nan, index=table.index)
    return weights / total


def monthly_arrivals(
    obs: pd.DataFrame, keys: list[str], months: list[date], stand_month: date, expected: pd.Series
) -> pd.DataFrame:
    """Arrivals per Kreis (rows) and month (columns): reported up to the Stand month, expected after it.

    A month at or before the Stand that a Kreis did not report is filled with its
    expected value, so a late report does not read as zero arrivals.
    """
    flows = obs[(obs["measure"] == "arrivals") & obs["region"].isin(keys) & (obs["date"] <= stand_month)]
    reported = flows.pivot_table(index="region", columns="date", values="value", aggfunc="sum")
    out = pd.DataFrame(index=pd.Index(keys, name="region"))
    for month in months:
        exp = expected.reindex(keys).astype(float)
        if month <= stand_month and month in reported.columns:
            out[month] = reported[month].reindex(keys).astype(float).fillna(exp)
        else:
            out[month] = exp
    return out


def project_in_care(
    start: pd.Series,
    arrivals: pd.DataFrame,
    stand_month: date,
    horizon: int,
    *,
    share: float,
    delay: int,
    departure_rate: float,
) -> pd.DataFrame:
    """Refugees in care per Kreis (rows) for the Stand month and the horizon months after it (columns).

    in_care[k, 0] = start[k]
    in_care[k, t] = in_care[k, t−1] · (1 − departure_rate) + share · arrivals[k, month(t) − delay]   for t = 1 … horizon

    `arrivals` must hold a column for every month(t) − delay; a missing start or
    arrival stays missing (NaN, "keine Daten") from that month on.
    """
    if not 0 <= share <= 1 or not 0 <= departure_rate <= 1 or delay < 0 or horizon < 0:
        raise ValueError("Anteil und Abgangsrate müssen zwischen 0 und 1 liegen, Verzögerung und Horizont ≥ 0.")
    months = [add_months(stand_month, t) for t in range(horizon + 1)]
    out = pd.DataFrame(index=start.index)
    current = start.astype(float)
    out[months[0]] = current
    for month in months[1:]:
        inflow = arrivals[add_months(month, -delay)].reindex(start.index).astype(float)
        current = current * (1 - departure_rate) + share * inflow
        out[month] = current
    return out


@dataclass(frozen=True)
class Projection:
    """A scenario run: per month (t = 0 is the Stand) a table in the layout of analysis.kreis_table."""

    scenario: Scenario
    months: list[date]
    tables: list[pd.DataFrame]
    arrivals: pd.DataFrame  # per Kreis and month, as used (reported or expected)

    @property
    def horizon(self) -> date:
        return self.months[-1]

    def land(self) -> pd.DataFrame:
        """Statewide per month: persons in care, VZÄ, ratio of sums, need as the sum of gaps, cost, Kreise above target."""
        rows = []
        for month, table in zip(self.months, self.tables, strict=True):
            total = analysis.totals(table)
            rows.append(
                {
                    "month": month,
                    "refugees_in_care": total.refugees_in_care,
                    "counsellors_fte": total.counsellors_fte,
                    "ratio": total.ratio,
                    "need_fte": total.need_fte,
                    "need_cost": total.need_cost,
                    "above_target": total.above_target,
                    "critical": total.critical,
                }
            )
        return pd.DataFrame(rows)

    def kreis(self, key: str) -> pd.DataFrame:
        """One Kreis per month: persons in care, VZÄ, ratio, need, cost and status."""
        cols = ["refugees_in_care", "counsellors_fte", "ratio", "required_fte", "need_fte", "need_cost", "status"]
        frame = pd.DataFrame({col: [t.loc[key, col] for t in self.tables] for col in cols})
        frame[cols[:-1]] = frame[cols[:-1]].astype(float)
        frame.insert(0, "month", self.months)
        return frame

    def horizon_table(self, as_of: date) -> pd.DataFrame:
        """The table at the horizon for the map: persons in care dated to the horizon's month end, VZÄ unchanged."""
        table = self.tables[-1].copy()
        if len(self.months) > 1:
            table["refugees_in_care_date"] = month_end(self.horizon)
        return table


def project(
    table: pd.DataFrame,
    obs: pd.DataFrame,
    scenario: Scenario,
    recent: RecentArrivals,
    as_of: date,
    thresholds: Thresholds,
    cost_per_fte: float,
) -> Projection:
    """Run the scenario from the Stand: VZÄ held at today's value, need and status recomputed each month."""
    stand_month = as_of.replace(day=1)
    horizon = scenario.horizon_months
    shares = distribution_shares(table, scenario.key, recent)
    expected = shares * scenario.arrivals_per_month
    needed = [add_months(stand_month, t - scenario.delay_months) for t in range(1, horizon + 1)]
    arrivals = monthly_arrivals(obs, list(table.index), needed, stand_month, expected)
    in_care = project_in_care(
        table["refugees_in_care"],
        arrivals,
        stand_month,
        horizon,
        share=scenario.reach_share,
        delay=scenario.delay_months,
        departure_rate=scenario.departure_rate,
    )
    tables = []
    for month in in_care.columns:
        step = table.copy()
        step["refugees_in_care"] = in_care[month]
        tables.append(analysis.add_metrics(step, thresholds, cost_per_fte))
    return Projection(scenario, list(in_care.columns), tables, arrivals)


# --- Scenario range: the same assumptions under low, expected and high arrivals -------------------------------


@dataclass(frozen=True)
class Band:
    """Three runs of one scenario that differ only in the statewide arrivals per month: a range, not a forecast.

    Need and persons in care grow with the arrivals, so the low run lies below the expected one and the high run
    above it, month by month and Kreis by Kreis.
    """

    low: Projection
    expected: Projection
    high: Projection

    @property
    def arrivals(self) -> tuple[float, float, float]:
        """Statewide arrivals per month of the three runs: low, expected, high."""
        return (
            self.low.scenario.arrivals_per_month,
            self.expected.scenario.arrivals_per_month,
            self.high.scenario.arrivals_per_month,
        )

    def land(self) -> pd.DataFrame:
        """Projection.land of the expected run, with `<column>_low` and `<column>_high` from the other two."""
        return _with_range(self.expected.land(), self.low.land(), self.high.land(), BAND_COLUMNS)

    def kreis(self, key: str) -> pd.DataFrame:
        """Projection.kreis of the expected run, with `<column>_low` and `<column>_high` from the other two."""
        return _with_range(self.expected.kreis(key), self.low.kreis(key), self.high.kreis(key), BAND_COLUMNS)


BAND_COLUMNS = ("refugees_in_care", "ratio", "need_fte", "need_cost", "above_target")


def _with_range(
    expected: pd.DataFrame, low: pd.DataFrame, high: pd.DataFrame, columns: tuple[str, ...]
) -> pd.DataFrame:
    frame = expected.copy()
    for column in columns:
        if column in frame.columns:
            frame[f"{column}_low"] = low[column].to_numpy()
            frame[f"{column}_high"] = high[column].to_numpy()
    return frame


def band_defaults(expected: float, recent: RecentArrivals) -> tuple[float, float]:
    """Low and high arrivals per month when the user gives none: the lowest and highest complete month of the recent
    period, scaled to the expected arrivals (they are the lowest and highest month when the expected value is the
    recent mean)."""
    if pd.isna(expected) or pd.isna(recent.monthly_mean) or not recent.monthly_mean:
        return np.nan, np.nan
    scale = expected / recent.monthly_mean
    return recent.monthly_low * scale, recent.monthly_high * scale


def band_out_of_order(low: float, expected: float, high: float) -> Literal["low", "high"] | None:
    """Which assumption breaks low ≤ expected ≤ high: "low", "high", or None (also when one is missing)."""
    if any(pd.isna(v) for v in (low, expected, high)):
        return None
    if low > expected:
        return "low"
    if high < expected:
        return "high"
    return None


def project_band(
    table: pd.DataFrame,
    obs: pd.DataFrame,
    scenario: Scenario,
    low: float,
    high: float,
    recent: RecentArrivals,
    as_of: date,
    thresholds: Thresholds,
    cost_per_fte: float,
) -> Band:
    """The scenario under low, its own and high statewide arrivals per month, everything else the same."""

    def run(arrivals: float) -> Projection:
        return project(
            table, obs, replace(scenario, arrivals_per_month=arrivals), recent, as_of, thresholds, cost_per_fte
        )

    return Band(run(low), project(table, obs, scenario, recent, as_of, thresholds, cost_per_fte), run(high))


def crossings(projection: Projection) -> pd.DataFrame:
    """Per Kreis the first projected month in which it moves above the target ("up") or back within it ("down").

    Columns: month and direction (None when the Kreis stays on its side), above_now (its side at the Stand) and
    no_data (some month has no data, so nothing is said about a crossing).
    """
    rows = []
    for key in projection.tables[0].index:
        statuses = [ms.Status(t.loc[key, "status"]) for t in projection.tables]
        now = statuses[0]
        month, direction = None, None
        no_data = ms.Status.NO_DATA in statuses
        if not no_data:
            for m, s in zip(projection.months[1:], statuses[1:], strict=True):
                if s.is_above_target != now.is_above_target:
                    month, direction = m, ("up" if s.is_above_target else "down")
                    break
        rows.append(
            {
                "region": key,
                "month": month,
                "direction": direction,
                "above_now": now.is_above_target,
                "no_data": no_data,
            }
        )
    return pd.DataFrame(rows).set_index("region")


def monthly_flows(projection: Projection) -> tuple[float, float]:
    """Statewide persons per month over the horizon: (intake into care, departures from care), each a mean."""
    scenario = projection.scenario
    in_care = projection.land()["refugees_in_care"].astype(float)
    if len(in_care) < 2:
        return np.nan, np.nan
    departures = float((in_care.iloc[:-1] * scenario.departure_rate).mean())
    months = [add_months(m, -scenario.delay_months) for m in projection.months[1:]]
    intake = float(projection.arrivals[months].sum(min_count=1).mean()) * scenario.reach_share
    return intake, departures


# --- Allocation what-if ------------------------------------------------------------------------


class Rule(StrEnum):
    POPULATION = "nach Einwohnern"
    IN_CARE = "nach Geflüchteten in Betreuung"
    ARRIVALS = "nach Zugängen der letzten 6 Monate"
    BLEND = "Mischung aus Einwohnern und Geflüchteten in Betreuung"


def _share(values: pd.Series) -> pd.Series:
    values = values.astype(float)
    total = values.sum(min_count=1)
    return values / total if not pd.isna(total) and total > 0 else pd.Series(np.nan, index=values.index)


def allocation_weights(table: pd.DataFrame, rule: Rule, population_weight: float = 0.5) -> pd.Series:
    """Each Kreis's share of the budget under a rule; NaN where the rule has no input for the Kreis.

    The blend is population_weight × population share + (1 − population_weight) × share of
    refugees in care. Shares are renormalised over the Kreise that have a value.
    """
    if rule is Rule.POPULATION:
        weights = _share(table["population"])
    elif rule is Rule.IN_CARE:
        weights = _share(table["refugees_in_care"])
    elif rule is Rule.ARRIVALS:
        weights = _share(table["arrivals"])
    else:
        if not 0 <= population_weight <= 1:
            raise ValueError("Der Anteil nach Einwohnern muss zwischen 0 und 1 liegen.")
        weights = population_weight * _share(table["population"]) + (1 - population_weight) * _share(
            table["refugees_in_care"]
        )
    return _share(weights)


def allocate(
    table: pd.DataFrame, budget: float, weights: pd.Series, thresholds: Thresholds, cost_per_fte: float
) -> pd.DataFrame:
    """VZÄ_k = budget / cost × weight_k / Σ weight, in the layout of kreis_table, with the change against today."""
    new = table.copy()
    new["fte_today"] = table["counsellors_fte"]
    new["ratio_today"] = table["ratio"]
    new["status_today"] = table["status"]
    new["weight"] = weights.reindex(table.index)
    new["counsellors_fte"] = budget / cost_per_fte * new["weight"]
    new = analysis.add_metrics(new, thresholds, cost_per_fte)
    new["change_fte"] = new["counsellors_fte"] - new["fte_today"]
    new["change_cost"] = new["change_fte"] * cost_per_fte
    return new


@dataclass(frozen=True)
class Spread:
    """How unequal the ratios are across Kreise: max, min, max/min, and the coefficient of variation."""

    maximum: float
    minimum: float
    max_min: float
    cv: float
    n: int


def spread(ratios: pd.Series) -> Spread:
    """Over the Kreise with a finite ratio; the CV is the population standard deviation over the mean, unweighted."""
    r = ratios.astype(float).replace([np.inf, -np.inf], np.nan).dropna()
    if r.empty:
        return Spread(np.nan, np.nan, np.nan, np.nan, 0)
    lo, hi = float(r.min()), float(r.max())
    mean = float(r.mean())
    return Spread(hi, lo, hi / lo if lo > 0 else np.nan, float(r.std(ddof=0)) / mean if mean else np.nan, len(r))

"""Personalbedarf: reinforcement need and cost, a projection of the next months, and budget allocation rules."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

import numpy as np
import pandas as pd

from lagebild.domain import analysis
from lagebild.domain import measures as ms
from lagebild.domain.regions import RB_NAMES
from lagebild.present import fmt
from lagebild.present.classify import Classified, Scheme, classify
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


def kreis_phrase(name: str, kind: str) -> str:
    """'Landkreis Böblingen', 'Stadtkreis Heilbronn', 'Hohenlohekreis': how a sentence names a Kreis."""
    base = name.removesuffix(f" ({kind})")
    return base if base.lower().endswith("kreis") else f"{kind} {base}"


# --- Need and cost now -------------------------------------------------------------------------


def kreis_sentence(row: pd.Series, thresholds: Thresholds, cost_per_fte: float) -> str:
    """One sentence (or two) about one Kreis that a minister can read aloud."""
    where = f"Im {kreis_phrase(str(row['name']), str(row['kind']))}"
    target = fmt.number(thresholds.target)
    status = ms.Status(row["status"])
    care, fte = row["refugees_in_care"], row["counsellors_fte"]
    if status is ms.Status.NO_DATA:
        missing = "Geflüchtete in Betreuung" if fmt.is_missing(care) else "VZÄ im Integrationsmanagement"
        return f"{where} fehlt die Angabe „{missing}“; Bedarf und Kosten lassen sich nicht berechnen (keine Daten)."
    need, cost = row["need_fte"], row["need_fte"] * cost_per_fte
    if status is ms.Status.NO_CAPACITY:
        return (
            f"{where} werden {fmt.number(care)} Geflüchtete betreut, aber es ist keine Beratungskapazität "
            f"gemeldet (0 VZÄ). Für den Zielwert von {target} Geflüchteten je VZÄ braucht es "
            f"{fmt.number(need, 1)} VZÄ, rund {fmt.euro(cost)} im Jahr."
        )
    head = (
        f"{where} kommen {fmt.number(row['ratio'])} Geflüchtete auf ein VZÄ "
        f"({fmt.number(care)} Geflüchtete, {fmt.number(fte, 1)} VZÄ)."
    )
    if need > 0:
        return (
            f"{head} Für den Zielwert von {target} fehlen {fmt.number(need, 1)} VZÄ; "
            f"das kostet rund {fmt.euro(cost)} im Jahr."
        )
    surplus = row["surplus_fte"]
    if surplus > 0:
        return f"{head} Der Zielwert von {target} ist erreicht; rechnerisch sind {fmt.number(surplus, 1)} VZÄ mehr da als nötig."
    return f"{head} Der Zielwert von {target} ist genau erreicht."


def priority_list(table: pd.DataFrame) -> pd.DataFrame:
    """Kreise by need (largest gap first), then by ratio; Kreise without data last."""
    frame = table.assign(_need=table["need_fte"].fillna(-1), _ratio=table["ratio"].fillna(-1))
    no_capacity = frame["status"] == ms.Status.NO_CAPACITY.value
    frame["_ratio"] = frame["_ratio"].where(~no_capacity, np.inf)
    ordered = frame.sort_values(["_need", "_ratio"], ascending=False, kind="stable")
    return ordered.drop(columns=["_need", "_ratio"])


NEED_COLUMNS = {
    "In Betreuung (Pers.)": 0,
    "VZÄ": 1,
    "Geflüchtete je VZÄ": 0,
    "VZÄ nötig (Zielwert)": 1,
    "Bedarf (VZÄ)": 1,
    "Überhang (VZÄ)": 1,
    "Kosten (€ je Jahr)": 0,
}


def need_table(table: pd.DataFrame) -> pd.DataFrame:
    """The priority list with German headers and units; numbers stay numbers for sorting."""
    ordered = priority_list(table)
    return pd.DataFrame(
        {
            "Rang": range(1, len(ordered) + 1),
            "AGS": ordered.index,
            "Kreis": ordered["name"],
            "Regierungsbezirk": ordered["rb_name"],
            "Status": ms.status_labels(ordered["status"]),
            "In Betreuung (Pers.)": ordered["refugees_in_care"],
            "VZÄ": ordered["counsellors_fte"],
            "Geflüchtete je VZÄ": ordered["ratio"],
            "VZÄ nötig (Zielwert)": ordered["required_fte"],
            "Bedarf (VZÄ)": ordered["need_fte"],
            "Überhang (VZÄ)": ordered["surplus_fte"],
            "Kosten (€ je Jahr)": ordered["need_cost"],
        }
    ).reset_index(drop=True)


def area_totals(table: pd.DataFrame) -> pd.DataFrame:
    """One row per Regierungsbezirk and one for the Land: sums of counts, ratios of sums, need as the sum of gaps."""
    groups = [(f"RB {RB_NAMES[rb]}", part) for rb, part in table.groupby("rb")] + [("Land Baden-Württemberg", table)]
    rows = []
    for label, part in groups:
        total = analysis.totals(part)
        rows.append(
            {
                "Gebiet": label,
                "In Betreuung (Pers.)": total.refugees_in_care,
                "VZÄ": total.counsellors_fte,
                "Geflüchtete je VZÄ": total.ratio,
                "VZÄ nötig (Zielwert)": float(part["required_fte"].sum(min_count=1)),
                "Bedarf (VZÄ)": total.need_fte,
                "Überhang (VZÄ)": float(part["surplus_fte"].sum(min_count=1)),
                "Kosten (€ je Jahr)": total.need_cost,
                "Kreise über Zielwert": f"{total.above_target} von {total.n_kreise}",
            }
        )
    return pd.DataFrame(rows)


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


def need_summary(table: pd.DataFrame, thresholds: Thresholds, as_of: date) -> str:
    """The statewide answer in two or three sentences: how many posts, where, at what cost."""
    total = analysis.totals(table)
    target = fmt.number(thresholds.target)
    with_need = table[table["need_fte"] > 0]
    if not len(with_need):
        text = f"Stand {fmt.day(as_of)}: Alle Kreise mit Angaben liegen im Zielwert von {target} Geflüchteten je VZÄ; es fehlen keine Stellen."
    else:
        top = priority_list(table).iloc[0]
        text = (
            f"Stand {fmt.day(as_of)}: Um alle Kreise auf den Zielwert von {target} Geflüchteten je VZÄ zu bringen, "
            f"braucht es {fmt.number(total.need_fte, 1)} zusätzliche VZÄ in {len(with_need)} von {total.n_kreise} "
            f"Kreisen, rund {fmt.euro(total.need_cost)} im Jahr. Den größten Bedarf hat der "
            f"{kreis_phrase(str(top['name']), str(top['kind']))} mit {fmt.number(top['need_fte'], 1)} VZÄ."
        )
    surplus = float(table["surplus_fte"].sum(min_count=1))
    if surplus > 0:
        text += f" Ein Überhang von zusammen {fmt.number(surplus, 1)} VZÄ in anderen Kreisen ist nicht gegengerechnet."
    if total.no_data:
        text += f" Für {fmt.count(total.no_data, 'Kreis', 'Kreise')} fehlen Angaben (keine Daten)."
    return text


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
    if fmt.is_missing(total) or total == 0:
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

    def long(self) -> pd.DataFrame:
        """Every Kreis and month in one frame, German headers with units, for the download."""
        parts = []
        for month, table in zip(self.months, self.tables, strict=True):
            parts.append(
                pd.DataFrame(
                    {
                        "AGS": table.index,
                        "Kreis": table["name"],
                        "Monat": fmt.month_short(month),
                        "Geflüchtete in Betreuung (Pers.)": table["refugees_in_care"].round(0),
                        "VZÄ (gehalten)": table["counsellors_fte"],
                        "Geflüchtete je VZÄ": table["ratio"].round(1),
                        "Bedarf (VZÄ)": table["need_fte"].round(2),
                        "Kosten des Bedarfs (€ je Jahr)": table["need_cost"].round(0),
                        "Status": ms.status_labels(table["status"]),
                    }
                )
            )
        return pd.concat(parts, ignore_index=True)

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

    def long(self) -> pd.DataFrame:
        """Projection.long of the expected run, with the low and high persons in care and need beside it."""
        frame = self.expected.long()
        low, high = self.low.long(), self.high.long()
        for column in ("Geflüchtete in Betreuung (Pers.)", "Bedarf (VZÄ)"):
            at = frame.columns.get_loc(column) + 1
            name, unit = column.rsplit(" (", 1)
            frame.insert(at, f"{name}, hohe Zugänge ({unit}", high[column].to_numpy())
            frame.insert(at, f"{name}, niedrige Zugänge ({unit}", low[column].to_numpy())
        return frame


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
    if fmt.is_missing(expected) or fmt.is_missing(recent.monthly_mean) or not recent.monthly_mean:
        return np.nan, np.nan
    scale = expected / recent.monthly_mean
    return recent.monthly_low * scale, recent.monthly_high * scale


def band_problem(low: float, expected: float, high: float) -> str | None:
    """A German message when the three assumptions are not in order (low ≤ expected ≤ high), else None."""
    if any(fmt.is_missing(v) for v in (low, expected, high)):
        return None
    if low > expected:
        return (
            f"Die niedrige Annahme ({fmt.number(low)} Zugänge je Monat) liegt über der erwarteten "
            f"({fmt.number(expected)}). Bitte eine niedrige Annahme bis {fmt.number(expected)} eingeben; "
            "bis dahin zeigt die Projektion keine Spanne."
        )
    if high < expected:
        return (
            f"Die hohe Annahme ({fmt.number(high)} Zugänge je Monat) liegt unter der erwarteten "
            f"({fmt.number(expected)}). Bitte eine hohe Annahme ab {fmt.number(expected)} eingeben; "
            "bis dahin zeigt die Projektion keine Spanne."
        )
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


def _span(low: float, high: float, decimals: int = 0, unit: str = "") -> str:
    if round(low, decimals) == round(high, decimals):
        return fmt.number(low, decimals, unit)
    return f"{fmt.number(low, decimals)} bis {fmt.number(high, decimals, unit)}"


def _need_span(low: float, high: float) -> str:
    """'es fehlten 3,2 bis 8,0 VZÄ', 'bis zu 2,1 VZÄ' when the low run needs none, 'keine VZÄ' when neither does."""
    if round(high, 1) <= 0:
        return "es fehlten keine VZÄ"
    if round(low, 1) <= 0:
        return f"es fehlten bis zu {fmt.number(high, 1, 'VZÄ')}"
    return f"es fehlten {_span(low, high, 1, 'VZÄ')}"


def band_sentence(band: Band) -> str:
    """The range at the horizon for the Land: need, cost and persons in care under low and high arrivals."""
    end = band.land().iloc[-1]
    low, _, high = band.arrivals
    if fmt.is_missing(end["need_fte_low"]) or fmt.is_missing(end["need_fte_high"]):
        return ""
    return (
        f"Spanne: bei {_span(low, high)} Zugängen je Monat wären Ende {fmt.month(band.expected.horizon)} "
        f"{_span(end['refugees_in_care_low'], end['refugees_in_care_high'])} Geflüchtete in Betreuung, und "
        f"{_need_span(end['need_fte_low'], end['need_fte_high'])}"
        + (
            f" ({fmt.euro_mio(end['need_cost_low'])} bis {fmt.euro_mio(end['need_cost_high'])} je Jahr)."
            if round(end["need_fte_high"], 1) > 0
            else "."
        )
    )


def kreis_band_sentence(band: Band, key: str) -> str:
    """The range at the horizon for one Kreis, or "" where the Kreis has no data to project."""
    end = band.kreis(key).iloc[-1]
    if ms.Status(end["status"]) is ms.Status.NO_DATA or fmt.is_missing(end["refugees_in_care_low"]):
        return ""
    low, _, high = band.arrivals
    return (
        f"Spanne bei {_span(low, high)} Zugängen je Monat im Land: Ende {fmt.month(band.expected.horizon)} "
        f"{_span(end['refugees_in_care_low'], end['refugees_in_care_high'])} Geflüchtete in Betreuung, "
        f"{_span(end['ratio_low'], end['ratio_high'])} je VZÄ; {_need_span(end['need_fte_low'], end['need_fte_high'])}."
    )


def horizon_need_classes(horizon_table: pd.DataFrame, thresholds: Thresholds, horizon: date) -> Classified:
    """Map classes of the projected need, titled with the horizon."""
    classified = classify(horizon_table, "need_fte", Scheme.NATURAL_BREAKS, thresholds)
    return replace(classified, title=f"Projizierter Verstärkungsbedarf (VZÄ), Ende {fmt.month(horizon)}")


def crossings(projection: Projection) -> pd.DataFrame:
    """Per Kreis the first projected month in which it moves above the target (or back within it)."""
    rows = []
    start = projection.tables[0]
    for key in start.index:
        statuses = [ms.Status(t.loc[key, "status"]) for t in projection.tables]
        now = statuses[0]
        month, direction = None, None
        if ms.Status.NO_DATA not in statuses:
            for m, s in zip(projection.months[1:], statuses[1:], strict=True):
                if s.is_above_target != now.is_above_target:
                    month, direction = m, ("über" if s.is_above_target else "unter")
                    break
        rows.append(
            {
                "region": key,
                "month": month,
                "direction": direction,
                "text": crossing_text(now, statuses, month, direction, projection.horizon),
            }
        )
    return pd.DataFrame(rows).set_index("region")


def crossing_text(
    now: ms.Status, statuses: list[ms.Status], month: date | None, direction: str | None, horizon: date
) -> str:
    if ms.Status.NO_DATA in statuses:
        return fmt.NO_DATA
    if month is not None:
        return (
            f"über dem Zielwert ab {fmt.month(month)}"
            if direction == "über"
            else f"wieder im Ziel ab {fmt.month(month)}"
        )
    if now.is_above_target:
        return f"über dem Zielwert bis mindestens {fmt.month(horizon)}"
    return f"im Ziel bis mindestens {fmt.month(horizon)}"


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


def flows_sentence(projection: Projection) -> str:
    """Why the number in care moves as it does: persons coming into care against persons leaving it.

    More arrivals do not mean more persons in care when departures, a share of everyone in care, outweigh the share of
    arrivals that reaches the counsellors, and that only after the delay.
    """
    intake, departures = monthly_flows(projection)
    if fmt.is_missing(intake) or fmt.is_missing(departures):
        return ""
    scenario = projection.scenario
    out = f"Abgänge (≈ {fmt.number(departures)} je Monat, {fmt.number(scenario.departure_rate * 100, 1, '%')} der Betreuten)"
    delay = f", {fmt.count(scenario.delay_months, 'Monat', 'Monate')} später" if scenario.delay_months else ""
    into = (
        f"Zugänge in die Betreuung (≈ {fmt.number(intake)} je Monat: {fmt.number(scenario.reach_share * 100, 0, '%')} "
        f"der Zugänge{delay})"
    )
    if round(intake) == round(departures):
        return f"Die {into} und die {out} halten sich die Waage."
    if departures > intake:
        return f"Die {out} übersteigen die {into}."
    return f"Die {into} übersteigen die {out}."


def projection_summary(projection: Projection) -> str:
    """What the scenario says for the Land at the horizon, against today."""
    land = projection.land()
    now, end = land.iloc[0], land.iloc[-1]
    cross = crossings(projection)
    newly = int((cross["direction"] == "über").sum())
    back = int((cross["direction"] == "unter").sum())
    horizon = fmt.month(projection.horizon)
    trend = "steigt" if end["refugees_in_care"] > now["refugees_in_care"] else "sinkt"
    if fmt.is_missing(end["refugees_in_care"]) or round(end["refugees_in_care"]) == round(now["refugees_in_care"]):
        trend = "bleibt"
    why = flows_sentence(projection)
    text = (
        f"Bis Ende {horizon} {trend} die Zahl der Geflüchteten in Betreuung von {fmt.number(now['refugees_in_care'])} "
        f"auf {fmt.number(end['refugees_in_care'])}.{' ' + why if why else ''} Bei gleichbleibenden {fmt.number(end['counsellors_fte'], 1)} VZÄ "
        f"kämen dann {fmt.number(end['ratio'])} Geflüchtete auf ein VZÄ; es fehlten {fmt.number(end['need_fte'], 1)} VZÄ "
        f"({fmt.signed(end['need_fte'] - now['need_fte'], 1, 'VZÄ')} gegenüber heute), rund {fmt.euro(end['need_cost'])} "
        f"im Jahr. {fmt.count(int(end['above_target']), 'Kreis läge', 'Kreise lägen')} über dem Zielwert "
        f"(heute {int(now['above_target'])})."
    )
    if newly:
        text += f" {fmt.count(newly, 'Kreis überschreitet', 'Kreise überschreiten')} den Zielwert erst in den nächsten Monaten."
    if back:
        text += f" {fmt.count(back, 'Kreis kommt', 'Kreise kommen')} wieder ins Ziel."
    return text


def kreis_projection_sentence(projection: Projection, key: str, cross: pd.DataFrame) -> str:
    """One Kreis at the horizon: persons in care, ratio, need and cost, and when it crosses the target."""
    end = projection.tables[-1].loc[key]
    horizon = fmt.month(projection.horizon)
    status = ms.Status(end["status"])
    if status is ms.Status.NO_DATA:
        return f"Für Ende {horizon} lässt sich nichts projizieren (keine Daten)."
    ratio = f"{status.label} (0 VZÄ)" if status is ms.Status.NO_CAPACITY else f"{fmt.number(end['ratio'])} je VZÄ"
    need = (
        f"es fehlen {fmt.number(end['need_fte'], 1)} VZÄ, rund {fmt.euro(end['need_cost'])} im Jahr"
        if end["need_fte"] > 0
        else "es fehlen keine VZÄ"
    )
    return (
        f"Ende {horizon} {fmt.number(end['refugees_in_care'])} Geflüchtete in Betreuung, {ratio}; {need}. "
        f"Zielwert: {cross.loc[key, 'text']}."
    )


def crossing_lines(cross: pd.DataFrame, names: pd.Series) -> list[str]:
    """Markdown lines for the Kreise that cross the target within the horizon, earliest first."""
    moving = cross.dropna(subset=["month"]).sort_values(["month", "direction"])
    return [f"- **{names[k]}:** {row['text']}" for k, row in moving.iterrows() if k in names.index]


PROJECTION_COLUMNS = {
    "Geflüchtete heute (Pers.)": 0,
    "Geflüchtete am Horizont (Pers.)": 0,
    "VZÄ (gehalten)": 1,
    "Geflüchtete je VZÄ heute": 0,
    "Geflüchtete je VZÄ am Horizont": 0,
    "Bedarf heute (VZÄ)": 1,
    "Bedarf am Horizont (VZÄ)": 1,
    "Kosten am Horizont (€ je Jahr)": 0,
}


def projection_table(projection: Projection) -> pd.DataFrame:
    """Today against the horizon per Kreis, with the month each Kreis crosses the target."""
    now, end = projection.tables[0], projection.tables[-1]
    cross = crossings(projection)
    frame = pd.DataFrame(
        {
            "AGS": now.index,
            "Kreis": now["name"],
            "Geflüchtete heute (Pers.)": now["refugees_in_care"],
            "Geflüchtete am Horizont (Pers.)": end["refugees_in_care"],
            "VZÄ (gehalten)": now["counsellors_fte"],
            "Geflüchtete je VZÄ heute": now["ratio"],
            "Geflüchtete je VZÄ am Horizont": end["ratio"],
            "Bedarf heute (VZÄ)": now["need_fte"],
            "Bedarf am Horizont (VZÄ)": end["need_fte"],
            "Kosten am Horizont (€ je Jahr)": end["need_cost"],
            "Status am Horizont": ms.status_labels(end["status"]),
            "Zielwert": cross["text"].reindex(now.index),
        }
    )
    return frame.sort_values("Bedarf am Horizont (VZÄ)", ascending=False, na_position="last").reset_index(drop=True)


def ratio_by_month(projection: Projection) -> pd.DataFrame:
    """Ratio per Kreis (rows, by name) and month (columns 'MM/YYYY')."""
    frame = pd.DataFrame(
        {fmt.month_short(m): t["ratio"] for m, t in zip(projection.months, projection.tables, strict=True)}
    )
    frame.index = projection.tables[0]["name"]
    frame.index.name = "Kreis"
    return frame


# --- Allocation what-if ------------------------------------------------------------------------


class Rule(StrEnum):
    POPULATION = "nach Einwohnern"
    IN_CARE = "nach Geflüchteten in Betreuung"
    ARRIVALS = "nach Zugängen der letzten 6 Monate"
    BLEND = "Mischung aus Einwohnern und Geflüchteten in Betreuung"


def _share(values: pd.Series) -> pd.Series:
    values = values.astype(float)
    total = values.sum(min_count=1)
    return values / total if not fmt.is_missing(total) and total > 0 else pd.Series(np.nan, index=values.index)


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


TODAY_LABEL = "heute (gemeldete VZÄ)"


def allocations(
    table: pd.DataFrame, budget: float, thresholds: Thresholds, cost_per_fte: float, population_weight: float = 0.5
) -> dict[str, pd.DataFrame]:
    """Today and every rule, each in the layout of kreis_table, keyed by a German label."""
    cases = {TODAY_LABEL: table}
    for rule in Rule:
        label = rule.value if rule is not Rule.BLEND else blend_label(population_weight)
        cases[label] = allocate(
            table, budget, allocation_weights(table, rule, population_weight), thresholds, cost_per_fte
        )
    return cases


def compare_rules(cases: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Today and every rule side by side: VZÄ, spread of the ratios, Kreise above target, remaining need."""
    rows = []
    for label, frame in cases.items():
        s = spread(frame["ratio"])
        total = analysis.totals(frame)
        rows.append(
            {
                "Verteilung": label,
                "VZÄ": total.counsellors_fte,
                "Höchster Schlüssel": s.maximum,
                "Niedrigster Schlüssel": s.minimum,
                "Max/Min": s.max_min,
                "Variationskoeffizient": s.cv,
                "Kreise über Zielwert": total.above_target,
                "davon kritisch": total.critical,
                "Verbleibender Bedarf (VZÄ)": total.need_fte,
            }
        )
    return pd.DataFrame(rows)


COMPARISON_COLUMNS = {
    "VZÄ": 1,
    "Höchster Schlüssel": 0,
    "Niedrigster Schlüssel": 0,
    "Max/Min": 2,
    "Variationskoeffizient": 2,
    "Verbleibender Bedarf (VZÄ)": 1,
}


def rule_phrase(rule: Rule, population_weight: float = 0.5) -> str:
    """How a sentence names a rule: 'nach Einwohnern', 'zu 60 % nach Einwohnern und zu 40 % nach …'."""
    if rule is not Rule.BLEND:
        return rule.value
    pop = round(population_weight * 100)
    return f"zu {pop} % nach Einwohnern und zu {100 - pop} % nach Geflüchteten in Betreuung"


def blend_label(population_weight: float) -> str:
    pop = round(population_weight * 100)
    return f"Mischung: {pop} % Einwohner, {100 - pop} % Geflüchtete in Betreuung"


def allocation_summary(allocated: pd.DataFrame, label: str, budget: float, cost_per_fte: float) -> str:
    """What one rule would change: winners and losers, Kreise above target and the spread, against today."""
    gain = int((allocated["change_fte"] >= 0.05).sum())
    loss = int((allocated["change_fte"] <= -0.05).sum())
    before, after = spread(allocated["ratio_today"]), spread(allocated["ratio"])
    above_before = sum(ms.Status(s).is_above_target for s in allocated["status_today"])
    above_after = sum(ms.Status(s).is_above_target for s in allocated["status"])
    return (
        f"Verteilt man {fmt.euro(budget)} im Jahr ({fmt.number(budget / cost_per_fte, 1)} VZÄ zu je "
        f"{fmt.number(cost_per_fte)} €) {label}, erhielten {gain} Kreise mehr und {loss} Kreise weniger VZÄ als "
        f"heute. {above_after} Kreise lägen über dem Zielwert (heute {above_before}); die Schlüssel reichten von "
        f"{fmt.number(after.minimum)} bis {fmt.number(after.maximum)} Geflüchteten je VZÄ (heute "
        f"{fmt.number(before.minimum)} bis {fmt.number(before.maximum)})."
    )


ALLOCATION_COLUMNS = {
    "VZÄ heute": 1,
    "VZÄ nach Regel": 1,
    "Veränderung (VZÄ)": 1,
    "Veränderung (€ je Jahr)": 0,
    "Geflüchtete je VZÄ heute": 0,
    "Geflüchtete je VZÄ nach Regel": 0,
}


def allocation_table(allocated: pd.DataFrame) -> pd.DataFrame:
    """Per Kreis the gain or loss against today; largest gain first."""
    frame = pd.DataFrame(
        {
            "AGS": allocated.index,
            "Kreis": allocated["name"],
            "VZÄ heute": allocated["fte_today"],
            "VZÄ nach Regel": allocated["counsellors_fte"],
            "Veränderung (VZÄ)": allocated["change_fte"],
            "Veränderung (€ je Jahr)": allocated["change_cost"],
            "Geflüchtete je VZÄ heute": allocated["ratio_today"],
            "Geflüchtete je VZÄ nach Regel": allocated["ratio"],
            "Status heute": ms.status_labels(allocated["status_today"]),
            "Status nach Regel": ms.status_labels(allocated["status"]),
        }
    )
    return frame.sort_values("Veränderung (VZÄ)", ascending=False, na_position="last").reset_index(drop=True)


def allocation_tip(row: pd.Series) -> list[str]:
    """Extra tooltip lines for the gain/loss map."""
    return [
        f"Veränderung gegenüber heute: {fmt.signed(row['change_fte'], 1, 'VZÄ')} "
        f"({fmt.signed(row['change_cost'] / 1000, 0, 'Tsd. €')} je Jahr)",
        f"VZÄ heute: {fmt.number(row['fte_today'], 1, 'VZÄ')}",
    ]


# --- Shared helpers for the page --------------------------------------------------------------


def style_numbers(
    frame: pd.DataFrame, decimals: dict[str, int], selected: str | None = None, signed: tuple[str, ...] = ()
):  # noqa: ANN201 - pandas Styler
    """German number format for display, numbers underneath for sorting; the selected Kreis in bold."""
    formats = {
        col: (lambda v, d=d: fmt.signed(v, d)) if col in signed else (lambda v, d=d: fmt.number(v, d))
        for col, d in decimals.items()
        if col in frame.columns
    }
    styler = frame.style.format(formats)
    if selected is not None and "AGS" in frame.columns:
        styler = styler.apply(
            lambda row: ["font-weight: 700; background-color: #fde68a" if row["AGS"] == selected else ""] * len(row),
            axis=1,
        )
    return styler


def csv_bytes(frame: pd.DataFrame, source_line: str) -> bytes:
    """CSV for Excel in German: ';', decimal comma, UTF-8 with BOM; source and Stand in every row."""
    from lagebild.export.exports import neutralise

    out = frame.assign(Quelle=source_line).map(neutralise)
    return out.to_csv(sep=";", decimal=",", index=False).encode("utf-8-sig")


METHOD_MARKDOWN = """
**Ausgangspunkt** ist der gewählte Stand (Monat 0): je Kreis die zuletzt gemeldeten Geflüchteten in
Betreuung und VZÄ. Für jeden folgenden Monat *t* = 1 … *H* gilt je Kreis *k*:

> Betreute[*k*, *t*] = Betreute[*k*, *t* − 1] × (1 − Abgangsrate) + Anteil × Zugänge[*k*, *t* − Verzögerung]

- **Zugänge** eines Kreises: für Monate bis zum Stand die gemeldeten Zugänge (Ukraine und Asyl zusammen) –
  sie sind je nach Verzögerung noch nicht in der Betreuung angekommen; für spätere Monate und für frühere
  Monate ohne Meldung die erwarteten Zugänge des Landes je Monat × Verteilschlüssel des Kreises.
- **Verteilschlüssel:** Einwohneranteil (so verteilt das FlüAG auf die Kreise) oder der Anteil des Kreises an
  den Zugängen der letzten 6 Monate. Die Anteile summieren sich über die Kreise mit Angaben zu 100 %.
- **Anteil** und **Verzögerung:** wie viele der Zugänge in die Betreuung des Integrationsmanagements kommen
  und nach wie vielen Monaten. **Abgangsrate:** Anteil der Betreuten, die je Monat die Betreuung verlassen.
- **Die VZÄ bleiben auf dem heutigen Stand** – keine Einstellungen, keine Abgänge.
- Je Monat dann dieselben Regeln wie heute: Betreuungsschlüssel = Betreute / VZÄ; Bedarf = max(0; Betreute /
  Zielwert − VZÄ); Kosten = Bedarf × Kosten je VZÄ und Jahr (also Jahreskosten, wenn der Bedarf dieses Monats
  ein Jahr lang besetzt würde). Der Bedarf des Landes ist die Summe der Lücken der Kreise.
- Fehlt der Ausgangswert eines Kreises, bleibt er „keine Daten“; 0 VZÄ bei Betreuten heißt „keine
  Beratungskapazität“, nie „unendlich“.

*Beispiel:* 1.000 Betreute, Abgangsrate 2 %, Anteil 70 %, 100 Zugänge im maßgeblichen Monat:
1.000 × 0,98 + 0,7 × 100 = 1.050 Betreute im nächsten Monat.

**Verteilung eines Budgets:** VZÄ eines Kreises = Budget / Kosten je VZÄ × Gewicht des Kreises / Summe der
Gewichte. Gewichte: Einwohner, Geflüchtete in Betreuung, Zugänge der letzten 6 Monate, oder die Mischung
α × Einwohneranteil + (1 − α) × Anteil an den Betreuten. Ein Kreis ohne Angabe für eine Regel erhält bei ihr
nichts (keine Daten); das Budget verteilt sich dann auf die übrigen. Streuung: höchster und niedrigster
Schlüssel, ihr Verhältnis (Max/Min) und der Variationskoeffizient (Standardabweichung / Mittelwert der
Schlüssel der Kreise, ungewichtet).
"""

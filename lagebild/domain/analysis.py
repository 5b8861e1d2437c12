"""Key figures per Kreis at a Stand, and their aggregates as ratios of sums."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from lagebild.domain import measures as ms
from lagebild.domain.regions import Regions
from lagebild.settings import POPULATION_SOURCE, Thresholds

STOCKS = ("refugees_in_care", "counsellors_fte", "counsellors_headcount")


@dataclass(frozen=True)
class Period:
    """A run of whole calendar months, first and last month inclusive."""

    first: date
    last: date

    @classmethod
    def ending(cls, last: date, n_months: int) -> Period:
        first = (pd.Timestamp(last) - pd.DateOffset(months=n_months - 1)).date()
        return cls(first.replace(day=1), last.replace(day=1))


def stand_dates(obs: pd.DataFrame) -> list[date]:
    """Stichtage at which any stock measure was reported, newest last."""
    stocks = obs[obs["measure"].isin(STOCKS)]
    return sorted(set(stocks["date"]))


def latest_month(obs: pd.DataFrame, as_of: date | None = None) -> date | None:
    flows = obs[obs["measure"] == "arrivals"]
    if as_of is not None:
        flows = flows[flows["date"] <= as_of]
    return max(flows["date"]) if len(flows) else None


def latest_stocks(obs: pd.DataFrame, as_of: date, keys: list[str]) -> pd.DataFrame:
    """Per region and stock measure: the latest value on or before as_of, and its date."""
    out = pd.DataFrame(index=pd.Index(keys, name="region"))
    stocks = obs[obs["measure"].isin(STOCKS) & (obs["date"] <= as_of) & obs["region"].isin(keys)]
    stocks = stocks[stocks["grp"] == ms.TOTAL].sort_values("date")
    last = stocks.groupby(["measure", "region"]).tail(1).set_index("region")
    for measure in STOCKS:
        sub = last[last["measure"] == measure]
        out[measure] = sub["value"].reindex(out.index).astype(float)
        out[f"{measure}_date"] = sub["date"].reindex(out.index)
        out[f"{measure}_status"] = sub["status"].reindex(out.index)
        out[f"{measure}_source"] = sub["source"].reindex(out.index)
        if "import_id" in sub:
            out[f"{measure}_import"] = sub["import_id"].reindex(out.index)
    return out


def population_at(obs: pd.DataFrame, regs: Regions, as_of: date, keys: list[str]) -> pd.DataFrame:
    """Per region the newest imported population on or before as_of, its Stichtag and source; where none was imported
    (or it is a missing-value sign), the reference population of data/kreise.csv (Destatis, 31.12.2018)."""
    pop = obs[
        (obs["measure"] == ms.POPULATION)
        & (obs["date"] <= as_of)
        & obs["region"].isin(keys)
        & (obs["grp"] == ms.TOTAL)
        & (obs["value"] > 0)
    ]
    last = pop.sort_values("date").groupby("region").tail(1).set_index("region")
    out = pd.DataFrame(index=pd.Index(keys, name="region"))
    out["population"] = last["value"].reindex(out.index).astype(float)
    out["population_date"] = last["date"].reindex(out.index).astype(object)
    out["population_source"] = last["source"].reindex(out.index).astype(object)
    out["population_reference"] = out["population"].isna()
    if "import_id" in last:
        out["population_import"] = last["import_id"].reindex(out.index)
    for key in out.index[out["population_reference"]]:
        region = regs[key]
        out.loc[key, "population"] = float(region.population or np.nan)
        out.loc[key, "population_date"] = region.population_date
        out.loc[key, "population_source"] = POPULATION_SOURCE
    return out


def arrivals_in(obs: pd.DataFrame, period: Period, keys: list[str]) -> pd.DataFrame:
    """Sums per region over the period by group; NaN where a region reported no month at all."""
    flows = obs[(obs["measure"] == "arrivals") & (obs["date"] >= period.first) & (obs["date"] <= period.last)]
    flows = flows[flows["region"].isin(keys)]
    table = flows.pivot_table(index="region", columns="grp", values="value", aggfunc="sum", dropna=False)
    table = table.reindex(index=keys, columns=list(ms.ARRIVAL_GROUPS))
    reported = flows.groupby("region")["date"].nunique().reindex(keys)
    out = pd.DataFrame(index=pd.Index(keys, name="region"))
    out["arrivals_ukraine"] = table["ukraine"]
    out["arrivals_asyl"] = table["asyl"]
    out["arrivals"] = table.sum(axis=1, min_count=1)
    out["arrivals_months"] = reported.fillna(0).astype(int)
    return out


def kreis_table(
    obs: pd.DataFrame,
    regs: Regions,
    as_of: date,
    thresholds: Thresholds,
    cost_per_fte: float,
    period: Period | None,
) -> pd.DataFrame:
    """One row per Kreis with every key figure of the Landesübersicht."""
    keys = regs.kreis_keys
    table = pd.DataFrame(index=pd.Index(keys, name="region"))
    table["name"] = [regs[k].display_name for k in keys]
    table["kind"] = [regs[k].kind for k in keys]
    table["rb"] = [regs[k].parent for k in keys]
    table["rb_name"] = [regs[regs[k].parent or ""].name for k in keys]
    table = table.join(population_at(obs, regs, as_of, keys))
    table = table.join(latest_stocks(obs, as_of, keys))
    if period is not None:
        table = table.join(arrivals_in(obs, period, keys))
    else:
        for col in ("arrivals_ukraine", "arrivals_asyl", "arrivals"):
            table[col] = np.nan
        table["arrivals_months"] = 0
    return add_metrics(table, thresholds, cost_per_fte)


def add_metrics(table: pd.DataFrame, thresholds: Thresholds, cost_per_fte: float) -> pd.DataFrame:
    care, fte = table["refugees_in_care"], table["counsellors_fte"]
    table["ratio"] = [ms.caseload_ratio(c, f) for c, f in zip(care, fte, strict=True)]
    table["required_fte"] = [ms.required_fte(c, thresholds.target) for c in care]
    table["need_fte"] = [ms.reinforcement_need(c, f, thresholds.target) for c, f in zip(care, fte, strict=True)]
    table["surplus_fte"] = [ms.surplus(c, f, thresholds.target) for c, f in zip(care, fte, strict=True)]
    table["need_cost"] = table["need_fte"] * cost_per_fte
    table["status"] = [ms.status(c, f, thresholds).value for c, f in zip(care, fte, strict=True)]
    table["fte_per_100k"] = [ms.per_population(f, p, 100_000) for f, p in zip(fte, table["population"], strict=True)]
    table["arrivals_per_1000"] = [
        ms.per_population(a, p, 1_000) for a, p in zip(table["arrivals"], table["population"], strict=True)
    ]
    return table


@dataclass(frozen=True)
class Totals:
    """Sums and ratios of sums over a set of Kreise; need is the sum of the Kreise's gaps."""

    refugees_in_care: float
    counsellors_fte: float
    counsellors_headcount: float
    arrivals_ukraine: float
    arrivals_asyl: float
    ratio: float
    need_fte: float
    need_cost: float
    above_target: int
    critical: int
    no_data: int
    n_kreise: int
    complete: int

    @property
    def arrivals(self) -> float:
        return self.arrivals_ukraine + self.arrivals_asyl


def _sum(series: pd.Series) -> float:
    return float(series.sum(min_count=1))


def totals(table: pd.DataFrame) -> Totals:
    # A ratio of sums only over Kreise that report both inputs, so a missing Kreis
    # does not pull the ratio down; the count of such Kreise is shown beside it.
    both = table.dropna(subset=["refugees_in_care", "counsellors_fte"])
    statuses = [ms.Status(s) for s in table["status"]]
    return Totals(
        refugees_in_care=_sum(table["refugees_in_care"]),
        counsellors_fte=_sum(table["counsellors_fte"]),
        counsellors_headcount=_sum(table["counsellors_headcount"]),
        arrivals_ukraine=_sum(table["arrivals_ukraine"]),
        arrivals_asyl=_sum(table["arrivals_asyl"]),
        ratio=ms.caseload_ratio(_sum(both["refugees_in_care"]), _sum(both["counsellors_fte"])),
        need_fte=_sum(table["need_fte"]),
        need_cost=_sum(table["need_cost"]),
        above_target=sum(s.is_above_target for s in statuses),
        critical=sum(s.is_critical for s in statuses),
        no_data=sum(s is ms.Status.NO_DATA for s in statuses),
        n_kreise=len(table),
        complete=len(both),
    )


def aggregate_by_rb(table: pd.DataFrame) -> dict[str, Totals]:
    return {rb: totals(group) for rb, group in table.groupby("rb")}

"""Builders of the Personalbedarf tests: observations, Kreis tables and scenario runs with hand-checkable numbers."""

from __future__ import annotations

from datetime import date

import pandas as pd

from lagebild.domain import analysis, planning
from lagebild.domain.planning import DistributionKey, Scenario
from lagebild.settings import Thresholds

STAND = date(2024, 12, 31)
T = Thresholds(150, 1.25)
COST = 64_000
BUDGET = 30 * COST


def obs(rows):
    return pd.DataFrame(
        [
            {
                "measure": m,
                "region": r,
                "date": d,
                "grp": g,
                "value": v,
                "status": None,
                "source": "Test",
                "import_id": 1,
                "is_demo": False,
            }
            for m, r, d, g, v in rows
        ]
    )


def stocks(region, care, fte, when=STAND):
    rows = [("counsellors_fte", region, when, "insgesamt", fte)]
    if care is not None:
        rows.append(("refugees_in_care", region, when, "insgesamt", care))
    return rows


def arrivals(region, month, ukraine, asyl=None):
    rows = [("arrivals", region, month, "ukraine", ukraine)]
    if asyl is not None:
        rows.append(("arrivals", region, month, "asyl", asyl))
    return rows


def kreis_table(rows, regs, months=6):
    frame = obs(rows)
    last = analysis.latest_month(frame, STAND)
    period = analysis.Period.ending(last, months) if last else None
    return analysis.kreis_table(frame, regs, STAND, T, COST, period)


# Two Kreise with hand-checkable numbers: Stuttgart (08111) and Böblingen (08115).
# Arrivals reported in November and December 2024 only: Stuttgart 100 + 50 = 150,
# Böblingen 30 + 20 = 50, so the recent-arrivals key is 3/4 and 1/4 and the
# statewide mean over the two reported months is 200 / 2 = 100 per month.
SCENARIO_ROWS = (
    stocks("08111", 3000, 20)
    + stocks("08115", 1000, 6)
    + arrivals("08111", date(2024, 11, 1), 60, 40)
    + arrivals("08111", date(2024, 12, 1), 50)
    + arrivals("08115", date(2024, 11, 1), 30)
    + arrivals("08115", date(2024, 12, 1), 20)
)


def scenario_table(frame, regs):
    return analysis.kreis_table(frame, regs, STAND, T, COST, analysis.Period.ending(date(2024, 12, 1), 6))


def run(table, frame, recent, **kwargs):
    settings = {
        "arrivals_per_month": 400,
        "key": DistributionKey.RECENT_ARRIVALS,
        "reach_share": 0.5,
        "delay_months": 1,
        "departure_rate": 0.1,
        "horizon_months": 2,
    } | kwargs
    return planning.project(table, frame, Scenario(**settings), recent, STAND, T, COST)


def band(table, frame, recent, low, high, **kwargs):
    settings = {"key": DistributionKey.RECENT_ARRIVALS, "reach_share": 0.5, "delay_months": 0} | kwargs
    scenario = Scenario(400, departure_rate=0.1, horizon_months=2, **settings)
    return planning.project_band(table, frame, scenario, low, high, recent, STAND, T, COST)


def three():
    """Three Kreise with 10 VZÄ each: a budget of 30 VZÄ to split."""
    frame = pd.DataFrame(
        {
            "name": ["A", "B", "C"],
            "kind": "Landkreis",
            "rb": "081",
            "population": [100.0, 300.0, 600.0],
            "refugees_in_care": [1500.0, 1500.0, 3000.0],
            "counsellors_fte": [10.0, 10.0, 10.0],
            "counsellors_headcount": [12.0, 12.0, 12.0],
            "arrivals": [0.0, 100.0, 300.0],
            "arrivals_ukraine": [0.0, 50.0, 150.0],
            "arrivals_asyl": [0.0, 50.0, 150.0],
        },
        index=pd.Index(["A", "B", "C"], name="region"),
    )
    return analysis.add_metrics(frame, T, COST)

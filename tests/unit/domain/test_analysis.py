"""Key figures per Kreis and their aggregates: sums of counts and ratios of sums."""

import math
from datetime import date

import pytest

from lagebild.domain import analysis
from lagebild.domain.measures import Status
from lagebild.settings import Thresholds
from tests.support.planning import STAND, obs


def table(rows, period=None):
    return analysis.kreis_table(obs(rows), analysis_regions(), STAND, Thresholds(150, 1.25), 64_000, period)


def analysis_regions():
    from lagebild.domain.regions import regions

    return regions()


def stocks(region, care, fte, head=None, when=STAND):
    rows = [("refugees_in_care", region, when, "insgesamt", care), ("counsellors_fte", region, when, "insgesamt", fte)]
    if head is not None:
        rows.append(("counsellors_headcount", region, when, "insgesamt", head))
    return rows


def test_a_kreis_without_reports_is_no_data_not_zero():
    t = table(stocks("08111", 3000, 20))
    assert t.loc["08115", "status"] == Status.NO_DATA.value
    assert math.isnan(t.loc["08115", "ratio"]) and math.isnan(t.loc["08115", "need_fte"])


def test_the_land_ratio_is_a_ratio_of_sums_not_a_mean_of_ratios():
    t = table(stocks("08111", 3000, 10) + stocks("08115", 1000, 30))
    total = analysis.totals(t)
    assert total.ratio == pytest.approx(4000 / 40)  # the mean of ratios would be (300 + 33.3) / 2
    assert total.complete == 2


def test_the_land_need_is_the_sum_of_the_kreis_gaps_and_surplus_does_not_offset():
    t = table(stocks("08111", 3000, 10) + stocks("08115", 1000, 30))
    assert analysis.totals(t).need_fte == pytest.approx(3000 / 150 - 10)
    assert analysis.totals(t).need_cost == pytest.approx(10 * 64_000)


def test_counts_of_kreise_above_target_and_critical():
    t = table(stocks("08111", 3000, 10) + stocks("08115", 3300, 20) + stocks("08116", 1000, 30))
    total = analysis.totals(t)
    assert (total.above_target, total.critical, total.no_data) == (2, 1, 41)


def test_each_stock_uses_its_own_latest_stand_and_says_which():
    rows = stocks("08111", 3000, 20, when=date(2024, 9, 30)) + [("counsellors_fte", "08111", STAND, "insgesamt", 25)]
    t = table(rows)
    assert t.loc["08111", "refugees_in_care_date"] == date(2024, 9, 30)
    assert t.loc["08111", "counsellors_fte_date"] == STAND
    assert t.loc["08111", "ratio"] == pytest.approx(120)


def test_arrivals_sum_over_the_period_by_group():
    rows = stocks("08111", 3000, 20) + [
        ("arrivals", "08111", date(2024, 10, 1), "ukraine", 10),
        ("arrivals", "08111", date(2024, 11, 1), "ukraine", 5),
        ("arrivals", "08111", date(2024, 12, 1), "asyl", 7),
        ("arrivals", "08111", date(2024, 9, 1), "asyl", 100),  # before the period
    ]
    t = table(rows, analysis.Period.ending(date(2024, 12, 1), 3))
    assert (t.loc["08111", "arrivals_ukraine"], t.loc["08111", "arrivals_asyl"], t.loc["08111", "arrivals"]) == (
        15,
        7,
        22,
    )
    assert math.isnan(t.loc["08115", "arrivals"])  # no report is not zero arrivals


def test_per_capita_rates_use_the_kreis_population(regs):
    t = table(stocks("08111", 3000, 20))
    assert t.loc["08111", "fte_per_100k"] == pytest.approx(20 / regs["08111"].population * 100_000)


def test_rb_aggregates_only_count_their_own_kreise():
    t = table(stocks("08111", 3000, 10) + stocks("08311", 1500, 10))
    by_rb = analysis.aggregate_by_rb(t)
    assert by_rb["081"].refugees_in_care == 3000 and by_rb["083"].refugees_in_care == 1500
    assert math.isnan(by_rb["082"].ratio)

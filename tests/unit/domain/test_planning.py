"""Personalbedarf in numbers: need, projection, its range and allocation checked against numbers computed by hand."""

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from lagebild import geometry
from lagebild.domain import analysis, planning
from lagebild.domain.measures import Status
from lagebild.domain.planning import DistributionKey, Rule
from lagebild.present import charts, fmt, maps, palette, planner
from lagebild.present.classify import classify_around_zero
from tests.support.planning import BUDGET, COST, STAND, T, arrivals, band, kreis_table, obs, run, stocks

# --- need now


def test_the_priority_list_puts_the_largest_gap_first_and_missing_data_last(regs):
    t = kreis_table(
        stocks("08111", 3000, 10) + stocks("08115", 1500, 4) + stocks("08116", 600, 0) + stocks("08117", 900, 10), regs
    )
    # gaps: 08111 20 − 10 = 10; 08115 10 − 4 = 6; 08116 4 − 0 = 4; 08117 none (surplus 4)
    assert list(planning.priority_list(t).index[:4]) == ["08111", "08115", "08116", "08117"]
    frame = planner.need_table(t)
    assert list(frame["Rang"][:2]) == [1, 2]
    assert frame.iloc[-1]["Status"] == "keine Daten"


def test_sensitivity_recomputes_the_sum_of_gaps_for_each_target(regs):
    t = kreis_table(stocks("08111", 3000, 10) + stocks("08115", 1000, 30), regs)
    frame = planning.sensitivity(t, T, COST, targets=(100, 150, 250)).set_index("target")
    # 08111: 3000/100 − 10 = 20, 3000/150 − 10 = 10, 3000/250 − 10 = 2; 08115 never has a gap.
    assert list(frame["need_fte"]) == pytest.approx([20, 10, 2])
    assert frame.loc[150, "need_cost"] == pytest.approx(10 * COST)
    assert list(frame["above_target"]) == [1, 1, 1]


# --- projection core


def months(*ms):
    return [date(2025, m, 1) if m > 0 else date(2024, 12 + m, 1) for m in ms]


def test_the_projection_matches_a_hand_computation():
    start = pd.Series({"A": 1000.0, "B": 200.0})
    dec, jan = date(2024, 12, 1), date(2025, 1, 1)
    flows = pd.DataFrame({dec: [100.0, 40.0], jan: [200.0, 0.0]}, index=["A", "B"])
    out = planning.project_in_care(start, flows, dec, 2, share=0.5, delay=1, departure_rate=0.1)
    # January: A 1000 × 0.9 + 0.5 × 100 = 950, B 200 × 0.9 + 0.5 × 40 = 200
    # February: A 950 × 0.9 + 0.5 × 200 = 955, B 200 × 0.9 + 0 = 180
    assert list(out.columns) == [dec, jan, date(2025, 2, 1)]
    assert list(out.loc["A"]) == pytest.approx([1000, 950, 955])
    assert list(out.loc["B"]) == pytest.approx([200, 200, 180])


def test_without_delay_the_arrivals_of_the_same_month_reach_care():
    start = pd.Series({"A": 100.0})
    flows = pd.DataFrame({date(2025, 1, 1): [10.0]}, index=["A"])
    out = planning.project_in_care(start, flows, date(2024, 12, 1), 1, share=1.0, delay=0, departure_rate=0.0)
    assert out.loc["A", date(2025, 1, 1)] == pytest.approx(110)


def test_with_no_departures_care_only_grows_by_the_share_of_arrivals():
    start = pd.Series({"A": 100.0})
    flows = pd.DataFrame({m: [20.0] for m in months(-1, 0, 1)}, index=["A"])
    out = planning.project_in_care(start, flows, date(2024, 12, 1), 3, share=0.25, delay=2, departure_rate=0.0)
    assert list(out.loc["A"]) == pytest.approx([100, 105, 110, 115])


def test_when_everyone_leaves_each_month_only_the_new_arrivals_remain():
    start = pd.Series({"A": 5000.0})
    flows = pd.DataFrame({date(2024, 12, 1): [80.0], date(2025, 1, 1): [40.0]}, index=["A"])
    out = planning.project_in_care(start, flows, date(2024, 12, 1), 2, share=0.5, delay=1, departure_rate=1.0)
    assert list(out.loc["A"]) == pytest.approx([5000, 40, 20])


def test_a_missing_start_stays_missing_in_every_month():
    start = pd.Series({"A": np.nan, "B": 10.0})
    flows = pd.DataFrame({date(2024, 12, 1): [5.0, 5.0]}, index=["A", "B"])
    out = planning.project_in_care(start, flows, date(2024, 12, 1), 1, share=1, delay=1, departure_rate=0)
    assert math.isnan(out.loc["A", date(2025, 1, 1)]) and out.loc["B", date(2025, 1, 1)] == 15


@pytest.mark.parametrize("kwargs", [{"share": 1.5}, {"departure_rate": -0.1}, {"delay": -1}])
def test_impossible_assumptions_are_refused_in_german(kwargs):
    settings = {"share": 0.5, "delay": 0, "departure_rate": 0.1} | kwargs
    with pytest.raises(ValueError, match="zwischen 0 und 1"):
        planning.project_in_care(pd.Series({"A": 1.0}), pd.DataFrame(), date(2024, 12, 1), 1, **settings)


# --- scenario inputs


def test_the_default_arrivals_are_the_mean_over_the_reported_months(recent):
    assert fmt.period(recent.period) == "07/2024–12/2024"
    assert recent.by_kreis["08111"] == 150 and recent.by_kreis["08115"] == 50
    assert recent.monthly_mean == pytest.approx(100)  # two reported months, not six
    assert math.isnan(recent.by_kreis["08116"])


def test_without_any_arrivals_the_default_is_no_data(regs):
    nothing = planning.recent_arrivals(obs(stocks("08111", 1, 1)), regs.kreis_keys, STAND)
    assert nothing.period is None and math.isnan(nothing.monthly_mean)


def test_the_distribution_keys_split_by_population_or_by_recent_arrivals(scenario_table, recent, regs):
    by_arrivals = planning.distribution_shares(scenario_table, DistributionKey.RECENT_ARRIVALS, recent)
    assert by_arrivals["08111"] == pytest.approx(0.75) and by_arrivals["08115"] == pytest.approx(0.25)
    assert math.isnan(by_arrivals["08116"])  # no report: no share, not a share of zero
    by_population = planning.distribution_shares(scenario_table, DistributionKey.POPULATION, recent)
    total = sum(k.population for k in regs.kreise)
    assert by_population["08111"] == pytest.approx(regs["08111"].population / total)
    assert by_population.sum() == pytest.approx(1)


def test_reported_arrivals_are_used_up_to_the_stand_and_expected_ones_after(scenario_obs):
    expected = pd.Series({"08111": 300.0, "08115": 100.0})
    wanted = [date(2024, 10, 1), date(2024, 11, 1), date(2024, 12, 1), date(2025, 1, 1)]
    frame = planning.monthly_arrivals(scenario_obs, ["08111", "08115"], wanted, date(2024, 12, 1), expected)
    assert list(frame.loc["08111"]) == [300, 100, 50, 300]  # October unreported: the expected value, not 0
    assert list(frame.loc["08115"]) == [100, 30, 20, 100]


# --- projection end to end


def test_a_scenario_run_matches_a_hand_computation(scenario_table, scenario_obs, recent):
    p = run(scenario_table, scenario_obs, recent)
    # Expected per month: 400 × 3/4 = 300 for 08111, 400 × 1/4 = 100 for 08115.
    # January 2025 takes the reported December arrivals (delay 1), February the expected January ones:
    # 08111: 3000 × 0.9 + 0.5 × 50 = 2725; 2725 × 0.9 + 0.5 × 300 = 2602.5
    # 08115: 1000 × 0.9 + 0.5 × 20 = 910;  910 × 0.9 + 0.5 × 100 = 869
    assert p.months == [date(2024, 12, 1), date(2025, 1, 1), date(2025, 2, 1)]
    assert [t.loc["08111", "refugees_in_care"] for t in p.tables] == pytest.approx([3000, 2725, 2602.5])
    assert [t.loc["08115", "refugees_in_care"] for t in p.tables] == pytest.approx([1000, 910, 869])
    jan = p.tables[1]
    assert jan.loc["08115", "ratio"] == pytest.approx(910 / 6)
    assert jan.loc["08115", "need_fte"] == pytest.approx(910 / 150 - 6)
    assert jan.loc["08115", "need_cost"] == pytest.approx((910 / 150 - 6) * COST)
    assert jan.loc["08111", "counsellors_fte"] == 20  # VZÄ held at today's value


def test_the_land_per_month_is_a_ratio_of_sums_and_a_sum_of_gaps(scenario_table, scenario_obs, recent):
    land = run(scenario_table, scenario_obs, recent).land().set_index("month")
    jan = land.loc[date(2025, 1, 1)]
    assert jan["refugees_in_care"] == pytest.approx(2725 + 910)
    assert jan["ratio"] == pytest.approx((2725 + 910) / 26)
    assert jan["need_fte"] == pytest.approx(910 / 150 - 6)  # 08111's surplus offsets nothing


def test_a_crossing_is_a_month_and_a_direction_the_words_come_later(scenario_table, scenario_obs, recent):
    falling = planning.crossings(run(scenario_table, scenario_obs, recent))
    assert "text" not in falling.columns
    assert (falling.loc["08115", "month"], falling.loc["08115", "direction"]) == (date(2025, 2, 1), "down")
    assert falling.loc["08115", "above_now"] and not falling.loc["08115", "no_data"]
    assert falling.loc["08116", "no_data"] and falling.loc["08116", "month"] is None
    rising = planning.crossings(run(scenario_table, scenario_obs, recent, departure_rate=0.0))
    assert (rising.loc["08111", "month"], rising.loc["08111", "direction"]) == (date(2025, 1, 1), "up")


def test_a_delay_longer_than_the_horizon_lets_no_expected_arrival_reach_care(regs):
    # 10 arrivals reported in every month from May to December 2024.
    rows = stocks("08111", 3000, 20) + [r for m in range(5, 13) for r in arrivals("08111", date(2024, m, 1), 10)]
    frame = obs(rows)
    table = analysis.kreis_table(frame, regs, STAND, T, COST, None)
    recent = planning.recent_arrivals(frame, regs.kreis_keys, STAND)
    few = run(table, frame, recent, delay_months=8, horizon_months=6, arrivals_per_month=0)
    many = run(table, frame, recent, delay_months=8, horizon_months=6, arrivals_per_month=50_000)
    assert few.tables[-1]["refugees_in_care"].equals(many.tables[-1]["refugees_in_care"])
    # June 2025 takes October 2024: 3000 × 0.9^6 + 0.5 × 10 × (1 + 0.9 + … + 0.9^5).
    assert few.tables[-1].loc["08111", "refugees_in_care"] == pytest.approx(
        3000 * 0.9**6 + 5 * sum(0.9**j for j in range(6))
    )
    assert max(few.arrivals.columns) == date(2024, 10, 1)


def test_a_kreis_without_counsellors_has_no_capacity_and_a_need_of_all_it_cares_for(regs):
    frame = obs(stocks("08111", 1500, 0) + arrivals("08111", date(2024, 12, 1), 0))
    table = analysis.kreis_table(frame, regs, STAND, T, COST, None)
    recent = planning.recent_arrivals(frame, regs.kreis_keys, STAND)
    p = run(table, frame, recent, key=DistributionKey.POPULATION, reach_share=0, departure_rate=0)
    end = p.tables[-1].loc["08111"]
    assert end["status"] == Status.NO_CAPACITY.value
    assert math.isnan(end["ratio"])
    assert end["need_fte"] == pytest.approx(10)


# --- allocation


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (Rule.POPULATION, [3, 9, 18]),  # population 1 : 3 : 6
        (Rule.IN_CARE, [7.5, 7.5, 15]),  # in care 1 : 1 : 2
        (Rule.ARRIVALS, [0, 7.5, 22.5]),  # recent arrivals 0 : 1 : 3
        (Rule.BLEND, [5.25, 8.25, 16.5]),  # ½ × (0.1, 0.3, 0.6) + ½ × (0.25, 0.25, 0.5)
    ],
)
def test_each_rule_splits_the_budget_as_computed_by_hand(three, rule, expected):
    out = planning.allocate(three, BUDGET, planning.allocation_weights(three, rule, 0.5), T, COST)
    assert list(out["counsellors_fte"]) == pytest.approx(expected)
    assert list(out["change_fte"]) == pytest.approx([e - 10 for e in expected])
    assert list(out["change_cost"]) == pytest.approx([(e - 10) * COST for e in expected])


def test_the_blend_runs_from_pure_care_share_to_pure_population_share(three):
    assert list(planning.allocation_weights(three, Rule.BLEND, 1.0)) == pytest.approx([0.1, 0.3, 0.6])
    assert list(planning.allocation_weights(three, Rule.BLEND, 0.0)) == pytest.approx([0.25, 0.25, 0.5])


def test_splitting_by_refugees_in_care_gives_every_kreis_the_same_ratio(three):
    out = planning.allocate(three, BUDGET, planning.allocation_weights(three, Rule.IN_CARE), T, COST)
    s = planning.spread(out["ratio"])
    assert (s.maximum, s.minimum, s.max_min, s.cv) == pytest.approx((200, 200, 1, 0))
    assert list(out["status"]) == [Status.CRITICAL.value] * 3  # 200 > 1.25 × 150


def test_the_spread_of_ratios_matches_a_hand_computation(three):
    out = planning.allocate(three, BUDGET, planning.allocation_weights(three, Rule.POPULATION), T, COST)
    s = planning.spread(out["ratio"])
    # Ratios 500, 166.7, 166.7 = 3x, x, x: max/min 3, CV = sqrt(8/9)·x / (5x/3) = 2·sqrt(2)/5.
    assert s.max_min == pytest.approx(3)
    assert s.cv == pytest.approx(2 * math.sqrt(2) / 5)
    assert s.n == 3


def test_a_kreis_that_gets_nothing_has_no_capacity_and_stays_out_of_the_spread(three):
    out = planning.allocate(three, BUDGET, planning.allocation_weights(three, Rule.ARRIVALS), T, COST)
    assert out.loc["A", "status"] == Status.NO_CAPACITY.value
    assert planning.spread(out["ratio"]).n == 2


def test_a_kreis_without_the_rules_input_gets_no_share_and_the_others_share_the_budget(three):
    gappy = three.copy()
    gappy.loc["A", "refugees_in_care"] = np.nan
    weights = planning.allocation_weights(gappy, Rule.IN_CARE)
    assert math.isnan(weights["A"]) and weights[["B", "C"]].sum() == pytest.approx(1)
    out = planning.allocate(gappy, BUDGET, weights, T, COST)
    assert math.isnan(out.loc["A", "counsellors_fte"]) and out.loc["B", "counsellors_fte"] == pytest.approx(10)


# --- maps and charts


def test_gain_and_loss_diverge_around_zero_with_equal_bounds_and_grey_for_missing():
    values = pd.Series({"a": -6.0, "b": -1.0, "c": 0.0, "d": 0.04, "e": 2.5, "f": 6.0, "g": np.nan})
    c = classify_around_zero(values, "Veränderung (VZÄ)", 1)
    assert c.colours["a"] == palette.REDS[-1] and c.colours["f"] == palette.BLUES[0]  # darkest at the ends
    assert c.colours["c"] == c.colours["d"] == palette.NEUTRAL  # 0,04 reads 0,0
    assert c.colours["g"] == palette.STATUS_COLOURS[Status.NO_DATA]
    labels = [e.label for e in c.legend]
    assert labels[0] == "-6,0 bis unter -4,0" and labels[-2] == "über +4,0 bis +6,0"
    assert labels[3] == "unverändert" and c.legend[-1].missing
    assert sum(e.count for e in c.legend) == len(values)


def test_nothing_changed_needs_no_signed_classes():
    c = classify_around_zero(pd.Series({"a": 0.0, "b": 0.0}), "x", 1)
    assert [e.label for e in c.legend] == ["unverändert", "keine Daten"]


def test_loss_is_red_and_gain_blue_unless_told_otherwise():
    assert palette.around_zero(2, 2) == [palette.REDS[-1], palette.REDS[0], palette.BLUES[-1], palette.BLUES[0]]
    swapped = palette.around_zero(1, 1, negative_is_worse=False)
    assert swapped[0] in palette.BLUES and swapped[1] in palette.REDS


def test_the_gain_map_carries_the_change_in_its_tooltips(three, regs):
    table = kreis_table(stocks("08111", 3000, 10), regs)
    out = planning.allocate(table, 10 * COST, planning.allocation_weights(table, Rule.POPULATION), T, COST)
    c = classify_around_zero(out["change_fte"], "Veränderung (VZÄ)", 1)
    kreis_map = maps.kreis_map(
        geometry.layers(),
        out,
        c,
        as_of=STAND,
        thresholds=T,
        period=None,
        geo_meta=geometry.meta(),
        extra_tips={k: planner.allocation_tip(out.loc[k]) for k in out.index},
    )
    html = kreis_map.render()
    assert "Veränderung gegenüber heute: -" in html
    assert "Veränderung (VZÄ)" in kreis_map.legend and "unverändert" in kreis_map.legend


def test_the_charts_carry_german_separators_the_source_and_the_target(scenario_table, scenario_obs, recent, three):
    source = "Quelle: Test; Stand: 31.12.2024"
    p = run(scenario_table, scenario_obs, recent)
    sens = planning.sensitivity(scenario_table, T, COST)
    out = planning.allocate(three, BUDGET, planning.allocation_weights(three, Rule.POPULATION), T, COST)
    figures = [
        charts.need_sensitivity(sens, (150.0, 0.07, 4_266.7), source_line=source, subtitle="x"),
        charts.projection_land(p.land(), source_line=source, subtitle="x"),
        charts.projection_kreis(p.kreis("08115"), "Böblingen", T, source_line=source, subtitle="x"),
        charts.allocation_change(
            out, classify_around_zero(out["change_fte"], "x", 1), selected="C", source_line=source, subtitle="x"
        ),
        charts.ratio_spread(
            {"heute": three["ratio"], "nach Einwohnern": out["ratio"]},
            three["name"],
            T,
            source_line=source,
            subtitle="x",
        ),
    ]
    for fig in figures:
        assert fig.layout.separators == ",."
        assert any(source in (a.text or "") for a in fig.layout.annotations)
    assert list(figures[1].data[0].x) == ["Stand 12/2024", "01/2025", "02/2025"]
    assert any("Zielwert 150" in (a.text or "") for a in figures[2].layout.annotations)
    assert list(figures[3].data[0].y) == ["A", "B", "C"]  # largest gain on top
    assert "<b>C</b>" in figures[3].layout.yaxis.ticktext
    assert len(sens) == 31 and sens["target"].min() == 100 and sens["target"].max() == 250


# --- scenario range (low, expected, high arrivals)


def test_the_recent_range_is_the_lowest_and_highest_month_the_land_reported(recent):
    # November: 100 + 30 = 130, December: 50 + 20 = 70; both Kreise reported both months.
    assert (recent.monthly_low, recent.monthly_high) == (70, 130)


def test_a_month_fewer_kreise_reported_is_no_low_month(regs):
    rows = (
        arrivals("08111", date(2024, 11, 1), 100)
        + arrivals("08115", date(2024, 11, 1), 40)
        + arrivals("08111", date(2024, 12, 1), 90)
        + arrivals("08115", date(2024, 12, 1), 30)
        + arrivals("08111", date(2025, 1, 1), 5)  # only one Kreis has reported January so far
    )
    recent = planning.recent_arrivals(obs(rows), regs.kreis_keys, date(2025, 1, 31))
    assert (recent.monthly_low, recent.monthly_high) == (120, 140)


def test_the_default_range_scales_the_recent_months_to_the_expected_arrivals(recent):
    assert planning.band_defaults(100, recent) == pytest.approx((70, 130))  # the mean: the months themselves
    assert planning.band_defaults(1000, recent) == pytest.approx((700, 1300))
    assert all(math.isnan(v) for v in planning.band_defaults(float("nan"), recent))


def test_a_band_out_of_order_names_the_assumption_that_breaks_it():
    assert planning.band_out_of_order(80, 100, 120) is None
    assert planning.band_out_of_order(100, 100, 100) is None
    assert planning.band_out_of_order(150, 100, 200) == "low"
    assert planning.band_out_of_order(50, 100, 90) == "high"
    # Without all three there is no order to break: the page then draws no range at all.
    assert planning.band_out_of_order(float("nan"), 100, 90) is None


def test_the_band_runs_the_same_scenario_with_low_and_high_arrivals(scenario_table, scenario_obs, recent):
    b = band(scenario_table, scenario_obs, recent, 200, 800)
    assert b.arrivals == (200, 400, 800)
    # Delay 0: January takes the expected January arrivals. 08111 gets 3/4 of the Land:
    # 3000 × 0.9 + 0.5 × 0.75 × arrivals = 2775 (low), 2850 (expected), 3000 (high).
    care = b.kreis("08111").iloc[1]
    assert (care["refugees_in_care_low"], care["refugees_in_care"], care["refugees_in_care_high"]) == pytest.approx(
        (2775, 2850, 3000)
    )
    land = b.land()
    assert (land["need_fte_low"] <= land["need_fte"]).all() and (land["need_fte"] <= land["need_fte_high"]).all()
    assert land.iloc[0]["need_fte_low"] == land.iloc[0]["need_fte_high"]  # the Stand is no projection


def test_the_land_chart_draws_the_range_behind_the_expected_line(scenario_table, scenario_obs, recent):
    b = band(scenario_table, scenario_obs, recent, 200, 800)
    fig = charts.projection_land(b.land(), source_line="Quelle: Test · Stand 31.12.2024", subtitle="x")
    fills = [t for t in fig.data if t.fill == "tonexty"]
    assert len(fills) == 1 and list(fills[0].y) == pytest.approx(list(b.land()["need_fte_high"]))
    assert fig.data[-1].name == "erwartet"  # the line on top of the range
    single = charts.projection_land(b.expected.land(), source_line="Quelle: Test", subtitle="x")
    assert not [t for t in single.data if t.fill == "tonexty"]


def test_a_screen_reader_hears_the_kreis_projection_by_its_series_not_the_edges_of_its_range(
    scenario_table, scenario_obs, recent
):
    b = band(scenario_table, scenario_obs, recent, 200, 800)
    fig = charts.projection_kreis(b.kreis("08111"), "Stuttgart", T, source_line="Quelle: Test", subtitle="x")
    said = charts.describe(fig, "Spanne bei 200 bis 800 Zugängen.")
    assert said.count("Geflüchtete in Betreuung: ") == 1 and said.count("Geflüchtete je VZÄ: ") == 1
    assert said.endswith("Spanne bei 200 bis 800 Zugängen.") and "; ;" not in said

"""The change between two Stände: missing is not zero, unchanged is not missing, crossings both ways, direction."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from lagebild.domain import compare
from lagebild.domain.compare import Movement

NAN = np.nan


def table(rows: dict[str, tuple[float, str]], metric: str = "ratio") -> pd.DataFrame:
    """Kreise keyed by AGS with the metric's value and the status (enum value)."""
    return pd.DataFrame(
        {
            "name": [f"Kreis {k}" for k in rows],
            metric: [v for v, _ in rows.values()],
            "status": [s for _, s in rows.values()],
        },
        index=pd.Index(list(rows), name="region"),
    )


def test_the_default_pair_is_the_newest_stand_and_the_one_four_quarters_before():
    stands = [date(2025, 3, 31), date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31), date(2026, 9, 30)]
    assert compare.default_pair(stands) == (date(2025, 9, 30), date(2026, 9, 30))


def test_the_default_pair_falls_back_to_the_oldest_stand_when_none_is_a_year_old():
    stands = [date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30)]
    assert compare.default_pair(stands) == (date(2026, 3, 31), date(2026, 9, 30))


def test_a_date_that_is_no_stand_snaps_to_the_stand_before_or_else_to_the_fallback():
    stands = [date(2025, 9, 30), date(2026, 9, 30)]
    assert compare.snap(stands, date(2026, 1, 15), stands[-1]) == date(2025, 9, 30)
    assert compare.snap(stands, date(2020, 1, 1), stands[-1]) == date(2026, 9, 30)
    assert compare.snap(stands, None, stands[0]) == date(2025, 9, 30)


def test_a_missing_value_at_either_stand_is_missing_not_a_change_of_zero():
    before = table({"08111": (NAN, "no_data"), "08115": (0.0, "ok"), "08116": (120.0, "ok")})
    after = table({"08111": (140.0, "ok"), "08115": (NAN, "no_data"), "08116": (120.0, "ok")})

    changes = compare.change_table(before, after, "ratio")

    assert list(changes["movement"]) == ["missing", "missing", "unchanged"]
    assert changes["change"].isna().tolist() == [True, True, False]
    assert changes.loc["08116", "change"] == 0


def test_a_value_of_zero_at_both_stands_is_unchanged_and_zero_to_something_is_a_rise():
    before = table({"08111": (0.0, "ok"), "08115": (0.0, "ok")}, "need_fte")
    after = table({"08111": (0.0, "ok"), "08115": (2.5, "elevated")}, "need_fte")

    changes = compare.change_table(before, after, "need_fte")

    assert list(changes["movement"]) == ["unchanged", "rose"]
    assert changes.loc["08115", "change"] == 2.5


def test_a_change_that_rounds_to_zero_at_the_metrics_decimals_counts_as_unchanged():
    # The ratio is shown without decimals: +0,3 reads "+0" and is no rise.
    changes = compare.change_table(table({"08111": (150.0, "ok")}), table({"08111": (150.3, "elevated")}), "ratio")
    assert changes.loc["08111", "movement"] == Movement.UNCHANGED.value


def test_status_crossings_are_found_both_ways_and_no_data_is_no_crossing():
    before = table(
        {"08111": (140.0, "ok"), "08115": (200.0, "critical"), "08116": (170.0, "elevated"), "08117": (NAN, "no_data")}
    )
    after = table(
        {
            "08111": (170.0, "elevated"),
            "08115": (140.0, "ok"),
            "08116": (171.0, "elevated"),
            "08117": (400.0, "critical"),
        }
    )

    worse, better = compare.crossings(compare.change_table(before, after, "ratio"))

    assert list(worse.index) == ["08111"]
    assert list(better.index) == ["08115"]


def test_for_a_metric_where_higher_is_better_a_fall_is_the_worse_way():
    before = table({"08111": (20.0, "ok"), "08115": (20.0, "ok")}, "fte_per_100k")
    after = table({"08111": (18.0, "ok"), "08115": (25.0, "ok")}, "fte_per_100k")

    changes = compare.change_table(before, after, "fte_per_100k")

    assert changes.loc["08111", "worse"] and not changes.loc["08115", "worse"]


def test_for_a_metric_where_higher_is_worse_a_rise_is_the_worse_way():
    changes = compare.change_table(table({"08111": (100.0, "ok")}), table({"08111": (180.0, "critical")}), "ratio")
    assert changes.loc["08111", "worse"]


def test_movers_are_the_largest_rises_and_falls_without_missing_values():
    before = table({k: (100.0, "ok") for k in ("a", "b", "c", "d")})
    after = table({"a": (130.0, "ok"), "b": (110.0, "ok"), "c": (60.0, "ok"), "d": (NAN, "no_data")})

    rises, falls = compare.movers(compare.change_table(before, after, "ratio"), n=5)

    assert list(rises.index) == ["a", "b"]
    assert list(falls.index) == ["c"]


def test_the_land_value_of_a_ratio_is_a_ratio_of_sums_over_kreise_with_both_inputs():
    frame = pd.DataFrame(
        {"refugees_in_care": [300.0, 100.0, 50.0], "counsellors_fte": [2.0, 2.0, NAN]}, index=["a", "b", "c"]
    )
    assert compare.land_value(frame, "ratio") == 100.0  # (300 + 100) / (2 + 2), not the mean of 150 and 50


def test_land_totals_carry_counsellors_arrivals_and_the_chosen_metric_then_and_now():
    before = pd.DataFrame({"counsellors_fte": [2.0, 3.0], "arrivals": [10.0, 20.0], "need_fte": [1.0, NAN]})
    after = pd.DataFrame({"counsellors_fte": [2.5, 3.0], "arrivals": [5.0, 5.0], "need_fte": [0.0, 2.0]})

    rows = compare.land_totals(before, after, "need_fte")

    assert [(r.key, r.before, r.after, r.change) for r in rows] == [
        ("counsellors_fte", 5.0, 5.5, 0.5),
        ("arrivals", 30.0, 10.0, -20.0),
        ("need_fte", 1.0, 2.0, 1.0),
    ]


def test_the_day_a_value_was_reported_is_that_of_its_oldest_input():
    frame = pd.DataFrame(
        {
            "refugees_in_care_date": [date(2026, 6, 30), date(2026, 9, 30)],
            "counsellors_fte_date": [date(2026, 9, 30), None],
        },
        index=["a", "b"],
    )
    assert compare.reported(frame, "ratio").tolist() == [date(2026, 6, 30), date(2026, 9, 30)]
    assert compare.reported(frame, "arrivals").isna().all()

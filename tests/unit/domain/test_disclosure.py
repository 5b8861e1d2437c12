"""Geheimhaltung of Gemeinde figures: primary and secondary suppression, rounding to 5, the staff rule."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lagebild.domain import disclosure
from lagebild.domain.disclosure import Cell, Rule

RULE = Rule(applied=True, min_persons=3, rounding=5, min_staff=3)


def gemeinden(**values: float) -> pd.Series:
    return pd.Series(values, dtype=float)


def cells(published: pd.DataFrame) -> dict[str, Cell]:
    return {k: Cell(v) for k, v in published["cell"].items()}


def test_counts_below_the_threshold_are_suppressed_and_carry_no_number():
    published = disclosure.protect(gemeinden(a=1, b=2, c=40, d=41), RULE)
    assert cells(published) == {"a": Cell.SUPPRESSED, "b": Cell.SUPPRESSED, "c": Cell.VALUE, "d": Cell.VALUE}
    assert published["value"][["a", "b"]].isna().all()


def test_the_threshold_itself_is_shown():
    published = disclosure.protect(gemeinden(a=3, b=1, c=2), RULE)
    assert cells(published)["a"] is Cell.VALUE


def test_one_suppressed_gemeinde_takes_the_next_smallest_with_it_so_the_kreis_total_cannot_give_it_back():
    # Kreis total 2 + 17 + 40 + 63 = 122: with only 'a' closed, 122 − (15 + 40 + 65) would estimate it.
    published = disclosure.protect(gemeinden(a=2, b=17, c=40, d=63), RULE)
    assert cells(published) == {"a": Cell.SUPPRESSED, "b": Cell.SUPPRESSED, "c": Cell.VALUE, "d": Cell.VALUE}


def test_two_primary_suppressions_protect_each_other_and_close_nothing_more():
    published = disclosure.protect(gemeinden(a=2, b=1, c=17, d=40), RULE)
    assert [k for k, c in cells(published).items() if c is Cell.SUPPRESSED] == ["a", "b"]


def test_a_zero_is_no_partner_for_secondary_suppression():
    # A closed zero would not hide anything: the difference would still be the small count.
    published = disclosure.protect(gemeinden(a=2, z=0, b=30, c=31), RULE)
    assert cells(published) == {"a": Cell.SUPPRESSED, "z": Cell.ZERO, "b": Cell.SUPPRESSED, "c": Cell.VALUE}


def test_zero_missing_and_suppressed_are_three_different_cells():
    published = disclosure.protect(gemeinden(z=0, m=math.nan, s=1, t=2, v=20), RULE)
    assert cells(published) == {
        "z": Cell.ZERO,
        "m": Cell.MISSING,
        "s": Cell.SUPPRESSED,
        "t": Cell.SUPPRESSED,
        "v": Cell.VALUE,
    }
    assert published.loc["z", "value"] == 0


@pytest.mark.parametrize(
    ("exact", "rounded"),
    [
        (12, 10),  # down
        (13, 15),  # up
        (12.5, 15),  # a half goes up, not to the even multiple as Python's round() would (10)
        (17.5, 20),
        (2.5, 5),
        (3, 5),
        (1_234, 1_235),
        (0, 0),
    ],
)
def test_persons_are_rounded_to_multiples_of_five_with_halves_upwards(exact, rounded):
    assert disclosure.round_persons(exact, 5) == rounded


def test_shown_counts_are_published_rounded_to_the_rules_base():
    published = disclosure.protect(gemeinden(a=12, b=13, c=47), RULE)
    assert list(published["value"]) == [10, 15, 45]


def test_the_switch_off_keeps_every_exact_value():
    published = disclosure.protect(gemeinden(a=1, b=13, z=0, m=math.nan), Rule(applied=False))
    assert list(published["value"][["a", "b", "z"]]) == [1, 13, 0]
    assert cells(published) == {"a": Cell.VALUE, "b": Cell.VALUE, "z": Cell.ZERO, "m": Cell.MISSING}


@pytest.mark.parametrize(
    ("headcount", "shown"),
    [
        (2, False),  # one or two people: each Gemeinde figure would describe them
        (0, False),
        (3, True),
        (25, True),
        (math.nan, True),  # nothing reported, nothing to hide
    ],
)
def test_staff_of_a_kreis_with_fewer_than_three_persons_is_not_shown_per_gemeinde(headcount, shown):
    assert disclosure.staff_shown(headcount, RULE) is shown


def test_the_switch_off_shows_staff_of_any_size():
    assert disclosure.staff_shown(1, Rule(applied=False))


def test_the_threshold_and_the_rounding_base_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("LAGEBILD_GEHEIMHALTUNG_SCHWELLE", "5")
    monkeypatch.setenv("LAGEBILD_GEHEIMHALTUNG_RUNDUNG", "10")
    rule = disclosure.rule()
    assert (rule.min_persons, rule.rounding, rule.applied) == (5, 10, True)
    assert cells(disclosure.protect(gemeinden(a=4, b=3, c=30), rule))["a"] is Cell.SUPPRESSED


def test_an_unreadable_threshold_in_the_environment_keeps_the_default(monkeypatch):
    monkeypatch.setenv("LAGEBILD_GEHEIMHALTUNG_SCHWELLE", "drei")
    assert disclosure.rule().min_persons == 3

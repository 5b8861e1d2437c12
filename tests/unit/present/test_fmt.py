"""German number and date formats."""

from datetime import date

import pytest

from lagebild.domain import analysis
from lagebild.present import fmt


def test_numbers_use_dot_for_thousands_and_comma_for_decimals():
    assert fmt.number(1234567.891, 1) == "1.234.567,9"


def test_a_unit_follows_with_a_narrow_space():
    assert fmt.number(12.5, 1, "VZÄ") == "12,5\u202fVZÄ"


def test_missing_reads_keine_daten_and_never_zero():
    assert fmt.number(None) == "keine Daten"
    assert fmt.number(float("nan"), 1) == "keine Daten"
    assert fmt.number(0) == "0"


def test_negative_zero_after_rounding_has_no_sign():
    assert fmt.number(-0.01, 1) == "0,0"


def test_signed_shows_plus_for_increases():
    assert fmt.signed(3.25, 1) == "+3,2" or fmt.signed(3.25, 1) == "+3,3"
    assert fmt.signed(-3, 0) == "-3"


def test_large_euro_amounts_read_in_millions():
    assert fmt.euro(7_525_973) == "7,5\u202fMio. €"
    assert fmt.euro(64_000) == "64.000\u202f€"


def test_dates_read_day_month_year():
    assert fmt.day(date(2024, 12, 31)) == "31.12.2024"
    assert fmt.month(date(2022, 3, 1)) == "März 2022"


def test_need_costs_read_in_millions_with_two_decimals_below_one_million():
    assert fmt.euro_mio(441_173) == "0,44\u202fMio. €"
    assert fmt.euro_mio(7_654_321) == "7,7\u202fMio. €"
    assert fmt.euro_mio(0) == "0\u202f€"
    assert fmt.euro_mio(float("nan")) == "keine Daten"


@pytest.mark.parametrize(
    "text,value",
    [
        ("64.000", 64000),
        ("64000", 64000),
        ("1.234,5", 1234.5),
        ("64.000 €", 64000),
        (" 31.000.000 ", 31e6),
        ("1.5", None),
        ("-5", None),
        ("viel", None),
        ("", None),
    ],
)
def test_a_typed_amount_is_read_in_german_notation(text, value):
    assert fmt.parse(text) == value


def test_counts_are_singular_or_plural():
    assert fmt.count(1, "Kreis", "Kreise") == "1 Kreis" and fmt.count(3, "Kreis", "Kreise") == "3 Kreise"


def test_a_period_reads_as_one_month_or_a_range_of_months():
    assert fmt.period(analysis.Period.ending(date(2024, 12, 1), 3)) == "10/2024–12/2024"
    assert fmt.period(analysis.Period.ending(date(2024, 12, 1), 1)) == "Dezember 2024"

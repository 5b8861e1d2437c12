"""Edge rules of the derived metrics: zero capacity, missing inputs, surplus, status bands."""

import math

import pandas as pd
import pytest

from lagebild.domain import measures as ms
from lagebild.settings import Thresholds

T = Thresholds(target=150, elevated_factor=1.25)


def test_caseload_ratio_divides_people_in_care_by_fte():
    assert ms.caseload_ratio(3000, 20) == 150


def test_zero_fte_gives_no_ratio_instead_of_infinity():
    assert math.isnan(ms.caseload_ratio(100, 0))


def test_zero_fte_with_people_in_care_is_no_capacity_and_critical():
    s = ms.status(100, 0, T)
    assert s is ms.Status.NO_CAPACITY
    assert s.is_critical


def test_zero_fte_and_nobody_in_care_is_within_target():
    assert ms.status(0, 0, T) is ms.Status.OK


@pytest.mark.parametrize("care,fte", [(None, 10), (100, None), (float("nan"), 10)])
def test_a_missing_input_is_no_data_never_zero(care, fte):
    assert ms.status(care, fte, T) is ms.Status.NO_DATA
    assert math.isnan(ms.caseload_ratio(care, fte))
    assert math.isnan(ms.reinforcement_need(care, fte, 150))


@pytest.mark.parametrize(
    "care,expected",
    [
        (3000, ms.Status.OK),  # exactly at target counts as within
        (3001, ms.Status.ELEVATED),
        (3750, ms.Status.ELEVATED),  # 1.25 x target is still "erhöht"
        (3751, ms.Status.CRITICAL),
    ],
)
def test_status_bands_follow_target_and_factor(care, expected):
    assert ms.status(care, 20, T) is expected


def test_need_is_the_gap_to_the_target_in_fte():
    assert ms.reinforcement_need(4500, 20, 150) == pytest.approx(10)


def test_a_surplus_is_never_negative_need():
    assert ms.reinforcement_need(1500, 20, 150) == 0
    assert ms.surplus(1500, 20, 150) == pytest.approx(10)


def test_per_population_rates_scale_to_the_given_base():
    assert ms.per_population(50, 500_000, 100_000) == pytest.approx(10)
    assert math.isnan(ms.per_population(50, None, 1000))


def test_unknown_measure_names_the_valid_ones_in_german():
    with pytest.raises(KeyError, match="Unbekannte Kennzahl „foo“. Gültig: counsellors_fte"):
        ms.measure("foo")


def test_every_measure_and_metric_has_a_german_label_and_unit():
    for m in ms.MEASURES.values():
        assert m.label and m.unit
    for metric in ms.METRICS.values():
        assert metric.label and metric.unit


def test_a_status_is_stored_as_an_english_identifier_and_read_in_german():
    assert [s.value for s in ms.Status] == ["ok", "elevated", "critical", "no_capacity", "no_data"]
    assert [s.label for s in ms.Status] == ["im Ziel", "erhöht", "kritisch", "keine Beratungskapazität", "keine Daten"]


def test_a_status_read_back_from_a_table_is_the_same_member():
    assert ms.Status(ms.Status.CRITICAL.value) is ms.Status.CRITICAL


def test_severity_orders_no_data_below_ok_and_no_capacity_above_critical():
    order = sorted(ms.Status, key=lambda s: s.severity)
    assert order == [ms.Status.NO_DATA, ms.Status.OK, ms.Status.ELEVATED, ms.Status.CRITICAL, ms.Status.NO_CAPACITY]
    assert [s.is_above_target for s in order] == [False, False, True, True, True]


def test_a_column_of_statuses_reads_in_german_and_keeps_its_index():
    column = pd.Series(["critical", ms.Status.OK, "no_data"], index=["08111", "08115", "08116"])
    assert ms.status_labels(column).to_dict() == {"08111": "kritisch", "08115": "im Ziel", "08116": "keine Daten"}

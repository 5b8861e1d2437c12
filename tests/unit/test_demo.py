"""Demo data: deterministic, plausible, spread, labelled, only into an empty store."""

from datetime import date

import pandas as pd
import pytest

from lagebild import demo
from lagebild.domain import analysis
from lagebild.settings import DEMO_LABEL, Thresholds

TODAY = date(2026, 11, 27)


@pytest.fixture(scope="module")
def data():
    return demo.generate(TODAY)


def latest(frame):
    kreise = frame[frame["region"].str.len() == 5]
    return kreise[kreise["date"] == kreise["date"].max()].set_index("region")["value"]


def test_the_generator_is_deterministic():
    a, b = demo.generate(TODAY), demo.generate(TODAY)
    for key in a:
        pd.testing.assert_frame_equal(a[key], b[key])


def test_arrivals_run_monthly_from_march_2022_to_the_last_full_month(data):
    months = sorted(set(data["arrivals"]["date"]))
    assert months[0] == date(2022, 3, 1) and months[-1] == date(2026, 10, 1)
    assert len(months) == 56
    assert set(data["arrivals"]["grp"]) == {"ukraine", "asyl"}
    assert data["arrivals"]["region"].nunique() == 44


def test_counsellors_are_about_1200_persons_on_900_to_1000_fte(data):
    assert 900 <= latest(data["counsellors_fte"]).sum() <= 1000
    assert 1100 <= latest(data["counsellors_headcount"]).sum() <= 1300


def test_fte_never_exceeds_headcount(data):
    fte = data["counsellors_fte"].set_index(["region", "date"])["value"]
    head = data["counsellors_headcount"].set_index(["region", "date"])["value"]
    assert (fte <= head).all()


def test_some_kreise_are_far_above_target_and_some_below(data):
    care = latest(data["refugees_in_care"])
    ratio = (care / latest(data["counsellors_fte"])).dropna()
    assert (ratio > 1.25 * 150).sum() >= 5
    assert (ratio < 150).sum() >= 5


def test_gemeinde_figures_add_up_to_their_kreis_for_three_kreise(data):
    care = data["refugees_in_care"]
    for kreis in demo.GEMEINDE_DETAIL_KREISE:
        for stichtag, group in care[care["region"].str.startswith(kreis)].groupby("date"):
            total = group[group["region"] == kreis]["value"].sum()
            parts = group[group["region"].str.len() == 8]["value"]
            assert len(parts) > 1 and parts.sum() == total, (kreis, stichtag)


def test_every_row_says_it_is_demo_data(data):
    for frame in data.values():
        assert frame["source"].str.startswith(DEMO_LABEL).all()


def test_the_late_reporter_is_shown_with_its_previous_stand(data):
    obs = pd.concat(data.values(), ignore_index=True)
    last = analysis.stand_dates(obs)[-1]
    table = analysis.kreis_table(obs, demo.regions(), last, Thresholds(), 64_000, None)
    row = table.loc[demo.LATE_REPORTER]
    assert row["refugees_in_care_date"] < last
    assert row["counsellors_fte_date"] == last


def test_seeding_fills_an_empty_store_and_marks_it_as_demo(store):
    ids = demo.seed(store, TODAY)
    assert ids and len(ids) == 4
    assert store.has_demo_data()
    assert store.observations()["is_demo"].all()


def test_seeding_refuses_a_store_that_holds_data(store):
    demo.seed(store, TODAY)
    revision = store.revision()
    assert demo.seed(store, TODAY) is None
    assert store.revision() == revision


def test_the_source_line_of_demo_data_reads_as_plain_german_without_module_names():
    from lagebild.present import charts

    line = charts.source_line([demo.SOURCE], date(2026, 9, 30), True)
    assert (
        line
        == "BEISPIELDATEN – keine amtlichen Zahlen · Quelle: Beispieldaten, vom Programm erzeugt; Stand: 30.09.2026"
    )
    assert "lagebild" not in demo.SOURCE and "Seed" not in demo.SOURCE

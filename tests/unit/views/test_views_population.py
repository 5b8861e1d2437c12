"""Which population the rates use, as the Kreisprofil, the Landesübersicht's card and its map caption say it: the
reference of 2018 until a population is imported, from then on the imported one, and before its Stichtag the old."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from lagebild import geometry
from lagebild.domain import analysis, planning
from lagebild.present.classify import Scheme
from lagebild.views import kreis, overview, planner, vergleich
from tests.support.data import StaticData, demo_data

TODAY = date(2026, 11, 27)
STICHTAG = date(2024, 12, 31)
BEFORE = date(2024, 9, 30)
IMPORTED = "Destatis/Statistisches Landesamt, Tabelle 12411-01-01-4"
REFERENCE = "Destatis GV-ISys, Referenzbestand (kein Import)"
PLANNER_INPUTS = {
    "horizon": 6,
    "arrivals": None,
    "distribution": planning.DistributionKey.POPULATION,
    "reach": 70,
    "delay": 3,
    "departures": 2.0,
    "budget": None,
    "rule": planning.Rule.POPULATION,
    "blend": 50,
    "picked": None,
    "chosen": None,
}
SOURCE = "Statistische Ämter des Bundes und der Länder, Tabelle 12411-01-01-4, Bevölkerungsstand; Datenlizenz"


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> StaticData:
    return demo_data(tmp_path_factory.mktemp("p"), TODAY)


@pytest.fixture(scope="module")
def layers() -> geometry.Layers:
    return geometry.layers()


def with_population(data: StaticData, values: dict[str, float]) -> StaticData:
    rows = pd.DataFrame(
        [
            {
                "measure": "population",
                "region": key,
                "date": STICHTAG,
                "grp": "insgesamt",
                "value": value,
                "status": None,
                "source": SOURCE,
                "import_id": 99,
                "is_demo": False,
            }
            for key, value in values.items()
        ]
    )
    return replace(data, obs=pd.concat([data.obs, rows], ignore_index=True))


def card(data: StaticData, layers, kreis_key: str, metric: str = "fte_per_100k") -> overview.OverviewView:
    view = overview.build(data, layers, metric=metric, scheme=Scheme.QUANTILES, months=3, picked=kreis_key)
    assert isinstance(view, overview.OverviewView)
    return view


def test_without_an_import_every_place_names_the_reference_of_2018(data, layers):
    assert f"634.830 Einwohner 31.12.2018 ({REFERENCE})" in kreis.build(data, layers, "08111").caption
    view = card(data, layers, "08111")
    assert view.detail is not None and f"**Einwohner 31.12.2018:** 634.830 ({REFERENCE})" in view.detail.figures
    assert f"Je Einwohner: Einwohner 31.12.2018, {REFERENCE}." in view.map_caption


def test_after_the_stichtag_of_an_import_the_imported_population_is_named_and_used(data, layers):
    imported = with_population(data, {"08111": 613_881})
    profile = kreis.build(imported, layers, "08111")
    assert f"613.881 Einwohner 31.12.2024 ({IMPORTED})" in profile.caption
    assert "Einwohner 31.12.2024, Destatis/Statistisches Landesamt, Tabelle 12411-01-01-4 (1 Kreis)" in (
        profile.comparison_caption
    )
    assert f"Einwohner 31.12.2018, {REFERENCE} (43 Kreise)" in profile.comparison_caption
    view = card(imported, layers, "08111")
    assert view.detail is not None and f"**Einwohner 31.12.2024:** 613.881 ({IMPORTED})" in view.detail.figures
    assert "Einwohner Nr. 99" in view.detail.figures  # the import to roll back on the Daten page


def test_before_the_stichtag_the_old_population_stays(data, layers):
    earlier = replace(with_population(data, {"08111": 613_881}), as_of=BEFORE, previous=None)
    assert f"634.830 Einwohner 31.12.2018 ({REFERENCE})" in kreis.build(earlier, layers, "08111").caption


def test_a_map_of_a_count_does_not_talk_about_inhabitants(data, layers):
    assert "Je Einwohner" not in card(data, layers, "08111", metric="ratio").map_caption


def test_the_personalbedarf_page_names_the_population_its_distribution_uses(data, layers):
    imported = with_population(data, {key: 300_000.0 for key in data.kreis_keys})
    view = planner.build(imported, layers, **PLANNER_INPUTS)
    assert isinstance(view, planner.PlannerView)
    assert "Einwohner 31.12.2024, Destatis/Statistisches Landesamt, Tabelle 12411-01-01-4" in view.caption


def test_the_vergleich_of_a_rate_names_the_population_of_each_stand(data, layers):
    imported = with_population(data, {"08111": 613_881})
    stands = analysis.stand_dates(imported.obs)
    view = vergleich.build(imported, layers, stands, before=BEFORE, after=stands[-1], metric="fte_per_100k")
    assert isinstance(view, vergleich.CompareView)
    assert f"30.09.2024 mit Einwohner 31.12.2018, {REFERENCE};" in view.map_caption
    assert "30.09.2026 mit Einwohner 31.12.2024, Destatis/Statistisches Landesamt" in view.map_caption

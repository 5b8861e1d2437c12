"""Kreisprofil charts of an older Stand: they end at it and name it, on the page, in the PDF and in the press pack."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from lagebild import demo, geometry
from lagebild.app import widgets
from lagebild.domain import analysis
from lagebild.domain.regions import regions
from lagebild.export import figure_layout, files, images, profile_pdf
from lagebild.present import charts, profile
from lagebild.settings import Thresholds
from lagebild.store import Store
from tests.conftest import DEMO_TODAY

APP = str(Path(__file__).resolve().parents[2] / "app.py")
KREIS, OTHER = "08115", "08111"
OLD_STAND = date(2024, 12, 31)
SOURCE = "Quelle: Test; Stand: 31.12.2024"


def stock(measure: str, region: str, day: date, value: float) -> dict:
    return {"measure": measure, "region": region, "date": day, "grp": "insgesamt", "value": value, "source": "Test"}


def arrivals(region: str, month: date, grp: str, value: float) -> dict:
    return {"measure": "arrivals", "region": region, "date": month, "grp": grp, "value": value, "source": "Test"}


@pytest.fixture
def obs() -> pd.DataFrame:
    """Two Kreise reporting half-yearly until mid-2025 and monthly arrivals until March 2025."""
    rows = []
    for day, care, fte in (
        (date(2024, 6, 30), 3000, 20.0),
        (date(2024, 12, 31), 3300, 22.0),
        (date(2025, 6, 30), 3600, 23.0),
    ):
        for region in (KREIS, OTHER):
            rows += [
                stock("refugees_in_care", region, day, care),
                stock("counsellors_fte", region, day, fte),
                stock("counsellors_headcount", region, day, fte * 1.3),
            ]
    for month in pd.date_range("2024-10-01", "2025-03-01", freq="MS").date:
        rows += [arrivals(KREIS, month, "ukraine", 40), arrivals(KREIS, month, "asyl", 60)]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def demo_obs(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('profile') / 'lagebild.sqlite'}")
    demo.seed(store, DEMO_TODAY)
    return store.observations()


def series_ends(fig: go.Figure) -> list[date]:
    return [max(pd.Timestamp(x).date() for x in trace.x) for trace in fig.data if trace.x is not None and len(trace.x)]


def time_series(obs: pd.DataFrame, as_of: date) -> dict[str, go.Figure]:
    keys = [KREIS, OTHER]
    return {
        "Zugänge": profile.arrivals_chart(obs, KREIS, "Böblingen", SOURCE, as_of=as_of),
        "Betreuungsschlüssel": profile.ratio_chart(obs, KREIS, "Böblingen", keys, Thresholds(), SOURCE, as_of=as_of),
        "Betreuung und Kapazität": profile.stocks_chart(obs, KREIS, "Böblingen", SOURCE, as_of=as_of),
    }


@pytest.mark.parametrize("chart", ["Zugänge", "Betreuungsschlüssel", "Betreuung und Kapazität"])
def test_a_time_series_of_an_older_stand_shows_nothing_after_it(obs, chart):
    fig = time_series(obs, OLD_STAND)[chart]
    assert series_ends(fig) and max(series_ends(fig)) <= OLD_STAND


@pytest.mark.parametrize("chart", ["Zugänge", "Betreuungsschlüssel", "Betreuung und Kapazität"])
def test_a_time_series_subtitle_names_the_chosen_stand_as_the_footer_does(obs, chart):
    _, subtitle = figure_layout.title_parts(time_series(obs, OLD_STAND)[chart])
    assert subtitle.endswith("· Stand 31.12.2024")


def test_the_arrivals_of_the_month_of_the_stand_are_shown(obs):
    fig = time_series(obs, OLD_STAND)["Zugänge"]
    assert max(series_ends(fig)) == date(2024, 12, 1)


def test_a_bar_chart_of_neighbours_names_the_stand_of_its_table(demo_obs):
    table = analysis.kreis_table(demo_obs, regions(), OLD_STAND, Thresholds(), 64_000.0, None)
    fig = profile.group_chart(table, KREIS, [OTHER], "Böblingen und Nachbarn", Thresholds(), SOURCE, as_of=OLD_STAND)
    assert figure_layout.title_parts(fig)[1] == "Geflüchtete je VZÄ · Stand 31.12.2024"


def test_every_chart_of_the_kreisprofil_pdf_ends_at_its_stand_and_names_it(demo_obs, monkeypatch):
    obs = demo_obs
    printed: list[go.Figure] = []
    # reportlab needs an image to place; which one does not matter here.
    tiny = io.BytesIO()
    Image.new("RGB", (4, 3), "white").save(tiny, "PNG")
    monkeypatch.setattr(
        images, "image_pending", lambda fig, *a, **k: printed.append(fig) or images.Pending(data=tiny.getvalue())
    )
    regs, layers = regions(), geometry.layers()
    table = analysis.kreis_table(obs, regs, OLD_STAND, Thresholds(), 64_000.0, None)
    meta = files.export_meta(
        view="Kreisprofil Böblingen",
        obs=obs,
        keys=[KREIS],
        as_of=OLD_STAND,
        region_label="Böblingen",
        thresholds=Thresholds(),
        cost_per_fte=64_000.0,
        demo=False,
        source_line=charts.source_line(["Test"], OLD_STAND, False),
        attribution=geometry.meta().attribution,
    )
    profile_pdf.kreis_profile_pdf(
        profile_pdf.ProfileInput(KREIS, regs, table, obs, None, layers.kreise, geometry.gemeinden(), meta)
    )
    subtitles = [figure_layout.title_parts(fig)[1] for fig in printed]
    assert len(printed) >= 5  # map, three time series, neighbours (and peers)
    assert all(s.endswith("Stand 31.12.2024") for s in subtitles), subtitles
    dated = [fig for fig in printed if fig.layout.xaxis.tickformat == "%m/%Y"]
    assert len(dated) == 3 and all(max(series_ends(fig)) <= OLD_STAND for fig in dated)


def test_the_kreis_page_with_an_older_stand_draws_its_charts_up_to_that_stand(demo_db):
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[widgets.KEY_MAP_SHOWN] = True  # as after the browser's report that the Gemeinde map stands
    at.query_params["stand"] = OLD_STAND.isoformat()
    at.query_params["kreis"] = KREIS
    at.switch_page("pages/kreis.py").run()
    assert not at.exception, at.exception
    specs = [go.Figure(json.loads(chart.proto.spec)) for chart in at.get("plotly_chart")]
    titled = {figure_layout.title_parts(fig)[0].split(" – ")[0]: fig for fig in specs}
    for name in ("Zugänge je Monat", "Betreuungsschlüssel", "Betreuung und Beratungskapazität"):
        assert figure_layout.title_parts(titled[name])[1].endswith("Stand 31.12.2024"), name
        assert max(series_ends(titled[name])) <= OLD_STAND, name


def test_the_kreis_charts_wait_until_the_sessions_first_map_stands(demo_db):
    """Issue 12: by bookmark, the Plotly bundle would hold up the Gemeinde map; the charts follow its report."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["kreis"] = KREIS
    at.switch_page("pages/kreis.py").run()
    assert not at.exception, at.exception
    assert not at.get("plotly_chart")
    waiting = [c for c in at.caption if c.value == widgets.CHART_WAITS]
    assert len(waiting) >= 6
    # The comparison, neighbour and peer tables wait too (their grid bundle would hold up the map as well).
    assert len([c for c in at.caption if c.value == widgets.TABLE_WAITS]) == 3
    tables_before = len(at.dataframe)
    at.session_state[widgets.KEY_MAP_SHOWN] = True
    at.run()
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == len(waiting)
    assert not [c for c in at.caption if c.value in (widgets.CHART_WAITS, widgets.TABLE_WAITS)]
    assert len(at.dataframe) == tables_before + 3

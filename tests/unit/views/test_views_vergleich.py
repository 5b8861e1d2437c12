"""The Vergleich View: what the page, its map, its lists and its exports say, built without Streamlit."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

import pytest
from openpyxl import load_workbook

from lagebild import geometry
from lagebild.domain.selection import Selection
from lagebild.export import files, press
from lagebild.present import charts, palette
from lagebild.views import Empty
from lagebild.views import vergleich as views
from tests.support.data import StaticData, demo_data

TODAY = date(2026, 11, 27)
# In the demo data every Kreis's ratio fell over the last year; these two Stände have rises, falls and crossings
# both ways (18 up, 24 down; 1 Kreis worse, 3 better).
BEFORE, AFTER = date(2023, 12, 31), date(2026, 3, 31)
STUTTGART = "08111"


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> StaticData:
    return demo_data(tmp_path_factory.mktemp("v"), TODAY)


@pytest.fixture(scope="module")
def stands(data) -> list[date]:
    from lagebild.domain.analysis import stand_dates

    return stand_dates(data.obs)


@pytest.fixture(scope="module")
def layers() -> geometry.Layers:
    return geometry.layers()


@pytest.fixture(scope="module")
def without_stuttgart_before(data) -> StaticData:
    """The demo data with Stuttgart's VZÄ unreported up to the earlier Stand: no ratio then, one now."""
    obs = data.obs
    gone = (obs["region"] == STUTTGART) & (obs["measure"] == "counsellors_fte") & (obs["date"] <= BEFORE)
    return replace(data, obs=obs[~gone].reset_index(drop=True))


def build(data, layers, stands, metric="ratio", before=BEFORE, after=AFTER):
    return views.build(data, layers, stands, before=before, after=after, metric=metric)


def tooltip_of(html: str, key: str) -> str:
    """The properties of one Kreis in the map's GeoJSON, as written into the page."""
    match = re.search(r'\{"ags":"' + key + r'".*?"muted":(true|false)\}', html)
    assert match, key
    return match.group(0)


def test_the_legend_names_the_kennzahl_its_unit_and_both_stands(data, layers, stands):
    view = build(data, layers, stands)
    assert "Veränderung Betreuungsschlüssel (Geflüchtete je VZÄ), 31.12.2023 → 31.03.2026" in view.kreis_map.legend
    assert "Stände 31.12.2023 → 31.03.2026" in view.caption
    assert "Stände: 31.12.2023 und 31.03.2026" in view.source


def test_each_tooltip_shows_both_values_and_the_change(data, layers, stands):
    view = build(data, layers, stands)
    tip = tooltip_of(view.kreis_map.render(), "08115")
    assert '"Stand 31.12.2023"' in tip and '"Stand 31.03.2026"' in tip
    assert re.search(r'"Veränderung","[+−-]?\d+\u202fGeflüchtete je VZÄ \((schlechter|besser)\)"', tip), tip


def test_a_kreis_without_a_value_at_one_stand_is_grey_and_keine_angabe_not_unchanged(
    without_stuttgart_before, layers, stands
):
    view = build(without_stuttgart_before, layers, stands)
    html = view.kreis_map.render()
    tip = tooltip_of(html, STUTTGART)
    assert f'"fill":"{palette.NO_CHANGE_VALUE}"' in tip
    assert '"missing":true' in tip and '"keine Angabe"' in tip
    assert "keine Angabe (an einem der Stände kein Wert) <span class='lb-count'>(1)</span>" in view.kreis_map.legend
    assert palette.NEUTRAL not in tip  # the colour of "unverändert"


def test_a_rise_of_the_ratio_is_warm_and_a_rise_of_the_capacity_is_cool(data, layers, stands):
    ratio = build(data, layers, stands)
    capacity = build(data, layers, stands, metric="fte_per_100k")
    warm, cool = set(palette.REDS), set(palette.BLUES)
    for view, rise_colours in ((ratio, warm), (capacity, cool)):
        rises = [line for line in view.rises.lines.splitlines()]
        assert rises, view.rises
        table = view.tables["Tabelle"]
        risen = table[table["Entwicklung"] == "gestiegen"]["AGS"]
        classes = view.figures["Karte"]().data
        risen_colours = {t.colorscale[0][1] for t in classes if set(t.locations or ()) & set(risen) and t.colorscale}
        assert risen_colours and risen_colours <= rise_colours, (view.rises.title, risen_colours)
    assert "Anstiege (Verschlechterung)" in ratio.rises.title
    assert "Anstiege (Verbesserung)" in capacity.rises.title


def test_the_lists_name_crossings_both_ways_and_five_movers_each_with_values_then_and_now(data, layers, stands):
    view = build(data, layers, stands)
    assert view.worse.title.startswith("**In einen schlechteren Status gewechselt**")
    assert view.better.title.startswith("**In einen besseren Status gewechselt**")
    assert len(view.worse.lines.splitlines()) == 1 and len(view.better.lines.splitlines()) == 3
    assert re.fullmatch(
        r"- \*\*.+\*\*: (im Ziel|erhöht) → (erhöht|kritisch) \(\d+ → \d+\u202fGeflüchtete je VZÄ\)", view.worse.lines
    )
    assert len(view.rises.lines.splitlines()) == 5 and len(view.falls.lines.splitlines()) <= 5
    assert re.fullmatch(r"- \*\*.+\*\*: \+\d+\u202fGeflüchtete je VZÄ \(\d+ → \d+\)", view.rises.lines.splitlines()[0])


def test_a_store_with_one_stand_or_the_same_stand_twice_says_why_there_is_nothing_to_compare(data, layers, stands):
    one = views.build(data, layers, [AFTER], before=AFTER, after=AFTER, metric="ratio")
    same = build(data, layers, stands, before=AFTER, after=AFTER)
    assert isinstance(one, Empty) and "braucht es zwei Stände" in one.note
    assert isinstance(same, Empty) and "nicht mit sich selbst vergleichen" in same.note


def test_stands_given_the_wrong_way_round_are_compared_in_time_order_and_it_says_so(data, layers, stands):
    view = build(data, layers, stands, before=AFTER, after=BEFORE)
    assert (view.before, view.after) == (BEFORE, AFTER) and view.order_note


def test_a_region_filter_narrows_lists_and_totals_but_the_map_keeps_all_44_kreise(data, layers, stands):
    freiburg = replace(data, selection=Selection(("083",)))
    view = build(freiburg, layers, stands)
    assert len(view.tables["Tabelle"]) == 10
    assert view.totals_title.startswith("Regierungsbezirk Freiburg") or "Freiburg" in view.totals_title
    assert view.kreis_map.render().count('"ags":') == 44


def test_the_xlsx_csv_and_press_readme_name_both_stands_the_source_and_define_every_column(data, layers, stands):
    view = build(data, layers, stands)
    meta = files.export_meta(
        view=views.VIEW,
        obs=data.obs,
        keys=data.kreis_keys,
        as_of=AFTER,
        region_label=data.region_label,
        thresholds=data.thresholds,
        cost_per_fte=data.cost_per_fte,
        demo=True,
        source_line=charts.source_line(data.sources(), AFTER, True, BEFORE),
        attribution=geometry.meta().attribution,
        since=BEFORE,
    )
    book = load_workbook(io.BytesIO(files.table_xlsx(view.tables["Tabelle"], meta, "Tabelle", view.decimals)))
    rows: dict = {}
    for r in book["Metadaten"].iter_rows(values_only=True):
        if r and r[0]:
            rows.setdefault(r[0], r[1:])  # the first "Quelle" is the source line, the later one a table header
    assert rows["Stand"][0] == "31.12.2023 → 31.03.2026"
    assert "Stände: 31.12.2023 und 31.03.2026" in rows["Quelle"][0]
    assert "Stände 31.12.2023 → 31.03.2026" in rows["Filter"][0]
    for column in ("Wert vorher", "Wert nachher", "Veränderung", "Entwicklung", "Status vorher", "Status nachher"):
        assert rows[column][0] not in (None, "–"), column
    assert any(str(k).endswith("(früherer Stand)") for k in rows) and any(
        str(k).endswith("(späterer Stand)") for k in rows
    )
    readme = press.press_readme(
        meta, files.PRESETS["web"], [], [press.PressItem("Tabelle", table=view.tables["Tabelle"])]
    )
    assert "Stand: 31.12.2023 → 31.03.2026" in readme and "(früherer Stand)" in readme
    csv = files.table_csv(view.tables["Tabelle"], meta, view.decimals).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("AGS;Kreis;Kennzahl;Stand vorher;Wert vorher;Stand nachher;Wert nachher")
    assert ";31.12.2023;" in csv.splitlines()[1] and ";31.03.2026;" in csv.splitlines()[1]


def test_a_value_reported_before_its_stand_says_when_in_the_tooltip(data, layers, stands):
    # Waldshut's Geflüchtete in Betreuung were last reported for 30.06.2026 (the demo data's overdue Kreis).
    view = build(data, layers, stands, before=BEFORE, after=date(2026, 9, 30))
    tip = tooltip_of(view.kreis_map.render(), "08337")
    assert "(Meldung vom 30.06.2026)" in tip
    assert "Meldung vom" not in tooltip_of(view.kreis_map.render(), "08115")

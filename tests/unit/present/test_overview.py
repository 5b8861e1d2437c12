"""Landesübersicht content: map, legend, tooltips, ranking, KPIs, changes and summary."""

import json
from datetime import date

import pandas as pd
import pytest

from lagebild import demo, geometry
from lagebild.domain import analysis
from lagebild.domain.measures import Status
from lagebild.present import charts, maps, overview
from lagebild.present.classify import Scheme, classify
from lagebild.settings import Thresholds

TODAY = date(2026, 11, 27)
T = Thresholds()


@pytest.fixture(scope="module")
def obs():
    frame = pd.concat(demo.generate(TODAY).values(), ignore_index=True)
    frame["import_id"], frame["is_demo"] = 1, True
    return frame


@pytest.fixture(scope="module")
def stands(obs):
    return analysis.stand_dates(obs)


@pytest.fixture(scope="module")
def period(obs):
    return analysis.Period.ending(analysis.latest_month(obs), 3)


@pytest.fixture(scope="module")
def table(obs, stands, period, regs):
    return analysis.kreis_table(obs, regs, stands[-1], T, 64_000, period)


def kreis_map(table, stands, period, metric="ratio", scheme=Scheme.TARGET_BANDS, **options) -> maps.KreisMap:
    classified = classify(table, metric, scheme, T)
    return maps.kreis_map(
        geometry.layers(),
        table,
        classified,
        as_of=stands[-1],
        thresholds=T,
        period=period,
        geo_meta=geometry.meta(),
        **options,
    )


def render(table, stands, period, metric="ratio", scheme=Scheme.TARGET_BANDS, selected=None):
    km = kreis_map(table, stands, period, metric, scheme, selected=selected)
    return km.render() + km.legend


def js(text: str) -> str:
    """Text as folium writes it into the page: JSON-escaped."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def test_the_map_carries_all_44_kreise_with_their_tooltips(table, stands, period):
    html = render(table, stands, period)
    assert html.count('"ags":"08') + html.count('"ags": "08') >= 44
    for name in ("Böblingen", "Heilbronn (Stadtkreis)", "Heilbronn (Landkreis)"):
        assert js(name) in html


def test_names_are_escaped_in_tooltips(table, stands, period):
    hostile = table.copy()
    hostile.loc["08115", "name"] = "<img src=x onerror=alert(1)>"
    html = render(hostile, stands, period)
    assert "<img src=x onerror" not in html
    # The name travels JSON-encoded (< as \u003c) and the tooltip sets it with textContent, never as HTML.
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html
    assert "innerHTML" not in maps.TOOLTIP_JS.js_code


def test_the_legend_names_unit_classes_and_missing_data_in_german(table, stands, period):
    html = render(table, stands, period)
    assert all(js(t) in html for t in ("Geflüchtete je VZÄ", "kritisch (über 187,5)", "keine Daten"))
    assert "GeoBasis-DE / BKG" in html


def test_the_selected_kreis_gets_an_outline_layer(table, stands, period):
    html = render(table, stands, period, selected="08115")
    assert html.count("L.geoJson(") == render(table, stands, period).count("L.geoJson(") + 1


def test_kreise_with_overdue_reports_are_hatched_named_in_the_legend_and_say_what_is_missing(table, stands, period):
    owed = {"08337": ["Geflüchtete in Betreuung: zuletzt 30.06.2026, erwartet 30.09.2026"]}
    km = kreis_map(table, stands, period, overdue=owed)
    html, plain = km.render(), render(table, stands, period)
    assert html.count("L.geoJson(") == plain.count("L.geoJson(") + 1
    assert f"url(#{maps.OVERDUE_PATTERN})" in html and f'"id", "{maps.OVERDUE_PATTERN}"' in html
    assert js("Meldung überfällig – Geflüchtete in Betreuung: zuletzt 30.06.2026, erwartet 30.09.2026") in html
    assert "schraffiert: Meldung überfällig <span class='lb-count'>(1)</span>" in km.legend
    assert "überfällig" not in plain
    # A Kreis outside the region filter is not counted in the legend as shown.
    assert "überfällig" not in kreis_map(table, stands, period, overdue=owed, focus=["08115"]).legend


def test_missing_data_is_grey_and_dashed_never_the_colour_of_zero(table, stands, period):
    gappy = table.copy()
    gappy.loc["08115", ["refugees_in_care", "ratio", "need_fte"]] = float("nan")
    gappy.loc["08115", "status"] = Status.NO_DATA.value
    classified = classify(gappy, "need_fte", Scheme.QUANTILES, T)
    assert classified.colours["08115"] == "#e5e7eb"
    zero = gappy[gappy["need_fte"] == 0].index[0]
    assert classified.colours[zero] != classified.colours["08115"]
    assert any(e.missing and e.count == 1 for e in classified.legend)


def test_a_click_on_the_map_becomes_a_kreis_key():
    assert maps.clicked_kreis({"last_active_drawing": {"properties": {"ags": "08115"}}}) == "08115"
    assert maps.clicked_kreis({"last_active_drawing": None}) is None
    assert maps.clicked_kreis(None) is None


@pytest.mark.parametrize("scheme", [Scheme.QUANTILES, Scheme.NATURAL_BREAKS, Scheme.EQUAL_INTERVAL])
def test_every_scheme_colours_every_kreise_and_counts_add_up(table, scheme):
    for metric in ("ratio", "need_fte", "arrivals", "fte_per_100k"):
        c = classify(table, metric, scheme, T)
        assert c.colours.notna().all()
        assert sum(e.count for e in c.legend) == 44


def test_ratio_classes_break_at_the_target(table):
    c = classify(table, "ratio", Scheme.QUANTILES, T)
    assert any(e.label.endswith(" bis 150") for e in c.legend)


def test_the_ranking_lists_44_kreise_with_the_target_line_and_source(table):
    c = classify(table, "ratio", Scheme.TARGET_BANDS, T)
    fig = charts.ranking(
        table, "ratio", c, T, selected="08115", source_line="Quelle: Test; Stand: 30.09.2026", subtitle="x"
    )
    assert len(fig.data[0].y) == 44
    assert fig.layout.separators == ",."
    assert any("Zielwert 150" in (a.text or "") for a in fig.layout.annotations)
    assert any("Quelle: Test; Stand: 30.09.2026" in (a.text or "") for a in fig.layout.annotations)
    assert "<b>Böblingen</b>" in fig.layout.yaxis.ticktext


def test_kpis_read_in_german_with_deltas_against_the_previous_stand(obs, stands, period, table, regs):
    before = analysis.kreis_table(obs, regs, stands[-2], T, 64_000, period)
    cards = overview.kpis(analysis.totals(table), analysis.totals(before), T, period, stands[-1], stands[-2])
    by_label = {k.label: k for k in cards}
    fte = by_label["Integrationsmanagement"]
    assert fte.value.endswith("VZÄ") and "," in fte.value
    assert fte.delta is not None and fte.delta[0] in "+-"
    assert "30.06.2026" in fte.help
    assert by_label["Kreise über Zielwert"].value.endswith("von 44")


def test_the_summary_names_the_count_above_target_and_the_highest_kreis(table, stands):
    text = overview.summary(table, analysis.totals(table), T, stands[-1])
    top = table.sort_values("ratio", ascending=False).iloc[0]["name"]
    assert text.startswith("Stand 30.09.2026: ")
    assert "von 44 Kreisen liegen über dem Zielwert von 150 Geflüchteten je VZÄ" in text
    assert f"im Kreis {top}" in text


def test_changes_list_status_switches_and_movers(obs, stands, period, table, regs):
    before = analysis.kreis_table(obs, regs, stands[-2], T, 64_000, period)
    changed, movers = overview.changes(table, before)
    assert (changed["status"] != changed["status_before"]).all()
    assert len(movers) == 5
    assert movers["change"].abs().is_monotonic_decreasing


def test_status_switches_read_in_german_with_their_direction():
    changed = pd.DataFrame(
        {
            "name": ["Böblingen"],
            "status_before": ["ok"],
            "status": ["critical"],
            "ratio_before": [140.0],
            "ratio": [190.0],
        }
    )
    assert overview.change_lines(changed) == ["- **Böblingen**: im Ziel → kritisch (verschlechtert; 140 → 190 je VZÄ)"]


def test_the_ranking_table_and_key_figures_show_the_status_in_german(table, stands, period):
    frame = overview.ranking_table(table, stands[-1])
    assert set(frame["Status"]) <= {"im Ziel", "erhöht", "kritisch", "keine Beratungskapazität", "keine Daten"}
    row = table.loc["08115"]
    figures = dict(overview.key_figures(row, stands[-1], T, period))
    assert figures["Status"] == f"{Status(row['status']).label} (Zielwert 150)"


def test_an_elevated_kreis_among_the_most_burdened_says_so():
    table = pd.DataFrame(
        {"name": ["Ulm"], "status": ["elevated"], "ratio": [170.0], "need_fte": [2.0]}, index=["08421"]
    )
    assert overview.top_critical(table) == [("08421", "**Ulm** · 170\u202fje VZÄ · 2,0\u202fVZÄ fehlen (erhöht)")]


def test_the_tooltip_shows_the_age_of_an_older_stand(table, stands, period):
    row = table.loc[demo.LATE_REPORTER]
    figures = dict(overview.key_figures(row, stands[-1], T, period))
    assert "Tage älter" in figures["Geflüchtete in Betreuung"]


def test_the_ranking_table_sorts_numbers_but_shows_german_format(table, stands):
    frame = overview.ranking_table(table, stands[-1])
    assert frame["Geflüchtete je VZÄ"].is_monotonic_decreasing
    html = overview.style_ranking(frame, "08115").to_html()
    assert "font-weight: 700" in html
    assert frame.loc[0, "Geflüchtete je VZÄ"] > 0


def test_legend_counts_follow_the_filter_while_colours_stay_statewide(table):
    statewide = classify(table, "ratio", Scheme.TARGET_BANDS, T)
    freiburg = [k for k in table.index if k.startswith("083")]
    within = statewide.counted_within(freiburg)
    assert sum(e.count for e in within.legend) == 10
    assert [e.colour for e in within.legend] == [e.colour for e in statewide.legend]


def test_the_summary_names_the_filtered_region(table, stands):
    sub = table[table.index.str.startswith("083")]
    text = overview.summary(sub, analysis.totals(sub), T, stands[-1], "Regierungsbezirk Freiburg")
    assert "Regierungsbezirk Freiburg: " in text and "von 10 Kreisen" in text
    assert "In der Auswahl (Regierungsbezirk Freiburg) kommen" in text

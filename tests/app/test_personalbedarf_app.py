"""The Personalbedarf page as Streamlit runs it (AppTest) on the demo data: need, scenario and allocation."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lagebild.app import widgets
from lagebild.domain import planning
from lagebild.present import planner
from tests.conftest import APP


def open_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state[widgets.KEY_MAP_SHOWN] = True  # as after the browser's report that the first map stands
    at.switch_page("pages/personalbedarf.py").run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [w.value for w in at.warning]
    return "\n".join(str(p) for p in parts)


def table_with(at: AppTest, column: str):
    """A table without a selection has no key in AppTest; find it by a column only it has."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_page_answers_how_many_posts_where_and_at_what_cost(demo_db):
    at = open_page()
    assert at.title[0].value == "Personalbedarf"
    need = metrics(at)["Verstärkungsbedarf Land"]
    assert need.endswith("VZÄ") and "," in need
    assert metrics(at)["Kosten des Bedarfs je Jahr"].endswith("€")
    assert "Stand 30.09.2026: Um alle Kreise auf den Zielwert von 150 Geflüchteten je VZÄ zu bringen" in texts(at)
    assert "Beispieldaten – keine amtlichen Zahlen" in texts(at)


def test_the_charts_wait_until_the_sessions_first_map_stands(demo_db):
    """Issue 12: the Plotly and table bundles and the page's two further maps would hold up the need map; each chart,
    table and further map keeps its place until the map reports."""
    at = AppTest.from_file(APP, default_timeout=180)
    at.switch_page("pages/personalbedarf.py").run()
    assert not at.exception, at.exception
    assert len(at.get("component_instance")) == 1  # the need map
    assert len([c for c in at.caption if c.value == widgets.MAP_WAITS]) == 2
    assert not at.get("plotly_chart")
    assert len([c for c in at.caption if c.value == widgets.CHART_WAITS]) == 5
    # The tables wait too: the areas, the three tables of Kreise and the comparison of the rules.
    assert len([c for c in at.caption if c.value == widgets.TABLE_WAITS]) == 5
    tables_before = len(at.dataframe)
    at.session_state[widgets.KEY_MAP_SHOWN] = True
    at.run()
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == 5
    assert len(at.get("component_instance")) == 3
    assert not [c for c in at.caption if c.value in (widgets.CHART_WAITS, widgets.TABLE_WAITS, widgets.MAP_WAITS)]
    assert len(at.dataframe) == tables_before + 5


def test_the_page_shows_three_maps_five_charts_and_the_ranked_kreise(demo_db):
    at = open_page()
    assert len(at.get("component_instance")) == 3  # need today, projected need, gain and loss
    assert len(at.get("plotly_chart")) == 5
    ranking = at.dataframe(key="bedarf_rangfolge").value
    assert len(ranking) == 44 and ranking["Bedarf (VZÄ)"].is_monotonic_decreasing
    areas = table_with(at, "Gebiet")
    assert list(areas["Gebiet"]) == [
        "RB Stuttgart",
        "RB Karlsruhe",
        "RB Freiburg",
        "RB Tübingen",
        "Land Baden-Württemberg",
    ]


def test_every_kreis_has_a_sentence_to_read_aloud(demo_db):
    at = open_page()
    sentences = next(m.value for m in at.markdown if m.value.count("\n- **") >= 40)
    assert sentences.count("- **") == 44
    assert "Im Landkreis Böblingen" in sentences and "Im Stadtkreis Stuttgart" in sentences


def test_a_stricter_target_in_the_sidebar_raises_the_need(demo_db):
    at = open_page()
    before = float(metrics(at)["Verstärkungsbedarf Land"].split()[0].replace(".", "").replace(",", "."))
    at.sidebar.number_input(key="zielwert").set_value(100.0).run()
    assert not at.exception
    after = float(metrics(at)["Verstärkungsbedarf Land"].split()[0].replace(".", "").replace(",", "."))
    assert after > before
    assert "Zielwert von 100" in texts(at)


def test_the_scenario_defaults_to_the_mean_of_the_last_six_months(demo_db):
    at = open_page()
    assert not at.text_input(key="szenario_zugaenge").value
    assert "(Mittel 04/2026–09/2026)" in texts(at)
    assert at.slider(key="szenario_horizont").value == 6
    assert "**Ende März 2027** (Projektion)" in texts(at)


def test_more_arrivals_raise_the_projected_need(demo_db):
    at = open_page()
    before = metrics(at)["In Betreuung"]
    at.text_input(key="szenario_zugaenge").set_value("20000").run()
    assert not at.exception
    assert at.text_input(key="szenario_zugaenge").value == "20.000"  # typed without, shown with thousands separators
    after = metrics(at)["In Betreuung"]
    assert int(after.split()[0].replace(".", "")) > int(before.split()[0].replace(".", ""))
    assert "Gerechnet mit 20.000 Zugängen je Monat im Land (eigene Annahme)" in texts(at)


def test_every_scenario_input_can_be_changed_without_breaking_the_page(demo_db):
    at = open_page()
    at.slider(key="szenario_horizont").set_value(12).run()
    at.radio(key="szenario_schluessel").set_value(planning.DistributionKey.RECENT_ARRIVALS).run()
    at.slider(key="szenario_anteil").set_value(100).run()
    at.slider(key="szenario_verzoegerung").set_value(12).run()  # longer than any horizon
    at.select_slider(key="szenario_abgaenge").set_value(10.0).run()
    assert not at.exception, at.exception
    assert "**Ende September 2027** (Projektion)" in texts(at)
    assert "10,0\u202f% Abgänge je Monat" in texts(at)


def test_choosing_a_kreis_shows_its_projection(demo_db):
    at = open_page()
    at.selectbox(key="szenario_kreis").set_value("08115").run()
    assert not at.exception
    assert any(m.value.startswith("**Böblingen:** Ende März 2027 ") for m in at.markdown)
    assert at.session_state["auswahl"] == "08115"  # the pick carries to the maps and the other pages


def test_allocation_by_refugees_in_care_equalises_the_ratios(demo_db):
    at = open_page()
    at.radio(key="verteilung_regel").set_value(planning.Rule.IN_CARE).run()
    assert not at.exception
    comparison = table_with(at, "Variationskoeffizient").set_index("Verteilung")
    assert comparison.loc[planning.Rule.IN_CARE.value, "Variationskoeffizient"] == pytest.approx(0, abs=1e-9)
    assert comparison.loc[planner.TODAY_LABEL, "Variationskoeffizient"] > 0
    assert "nach Geflüchteten in Betreuung, erhielten" in texts(at)


def test_the_blend_and_a_smaller_budget_change_the_split(demo_db):
    at = open_page()
    at.radio(key="verteilung_regel").set_value(planning.Rule.BLEND).run()
    at.slider(key="verteilung_mischung").set_value(30).run()
    at.text_input(key="verteilung_budget").set_value("31.000.000").run()
    assert not at.exception
    assert "Verteilt man 31,0\u202fMio. € im Jahr" in texts(at)
    assert "zu 30 % nach Einwohnern und zu 70 % nach Geflüchteten in Betreuung" in texts(at)
    changes = at.dataframe(key="verteilung_tabelle").value
    assert (changes["Veränderung (VZÄ)"] < 0).sum() > 22  # half the money: most Kreise lose posts


def test_the_region_filter_narrows_the_tables_but_the_plan_stays_statewide(demo_db):
    at = open_page()
    total = at.metric[0].value
    at.sidebar.multiselect(key="filter_rb").set_value(["083"]).run()
    assert not at.exception, at.exception
    ranking = at.dataframe(key="bedarf_rangfolge").value
    assert len(ranking) == 10 and set(ranking["Regierungsbezirk"]) == {"Freiburg"}
    assert at.metric[0].value == total  # the Land's need does not shrink with the view


def test_an_empty_store_says_so_on_this_page_too(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)
    at = AppTest.from_file(APP, default_timeout=180)
    at.switch_page("pages/personalbedarf.py").run()
    assert not at.exception, at.exception
    assert any("Noch keine Daten" in i.value for i in at.info)


def test_an_amount_that_is_no_number_is_named_and_the_default_is_kept(demo_db):
    at = open_page()
    at.text_input(key="verteilung_budget").set_value("viel").run()
    assert not at.exception
    assert any("„viel“ ist keine Zahl ab 0" in e.value for e in at.error)


def test_the_projection_explains_departures_against_intake(demo_db):
    at = open_page()
    summary = next(m.value for m in at.markdown if m.value.startswith("**Projektion:**"))
    assert "je Monat" in summary and ("Die Abgänge (≈ " in summary or "Die Zugänge in die Betreuung (≈ " in summary)


def test_the_projection_shows_a_range_from_the_lowest_to_the_highest_recent_month(demo_db):
    at = open_page()
    assert "Spanne: bei " in texts(at) and " Zugängen je Monat wären Ende März 2027 " in texts(at)
    assert "niedrigster vollständig gemeldeter Monat 04/2026–09/2026" in texts(at)
    low = at.text_input(key="szenario_zugaenge_niedrig")
    assert not low.value and low.placeholder.startswith("niedrigster Monat: ")


def test_a_low_assumption_above_the_expected_one_is_refused_and_kept(demo_db):
    at = open_page()
    at.text_input(key="szenario_zugaenge").set_value("2000").run()
    at.text_input(key="szenario_zugaenge_niedrig").set_value("3000").run()
    assert not at.exception
    assert [e.value for e in at.error if "Annahme" in e.value] == [
        "Die niedrige Annahme (3.000 Zugänge je Monat) liegt über der erwarteten (2.000). Bitte eine niedrige "
        "Annahme bis 2.000 eingeben; bis dahin zeigt die Projektion keine Spanne."
    ]
    assert "Spanne: bei" not in texts(at)
    assert at.text_input(key="szenario_zugaenge_niedrig").value == "3.000"  # what was typed stays
    at.text_input(key="szenario_zugaenge_niedrig").set_value("1500").run()
    at.text_input(key="szenario_zugaenge_hoch").set_value("4000").run()
    assert not [e for e in at.error if "Annahme" in e.value]
    assert "Spanne: bei 1.500 bis 4.000 Zugängen je Monat wären Ende März 2027" in texts(at)
    assert "Spanne: 1.500 Zugänge je Monat niedrig (eigene Annahme), 4.000 hoch (eigene Annahme)." in texts(at)

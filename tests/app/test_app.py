"""The app as Streamlit runs it (AppTest): frame, sidebar, Landesübersicht on the demo data."""

from __future__ import annotations

import json
from datetime import date

from streamlit.testing.v1 import AppTest

from lagebild.app.widgets import KEY_MAP_SHOWN
from tests.conftest import APP


def run_app(map_shown: bool = True) -> AppTest:
    """The Landesübersicht as a person sees it once its map stands (`map_shown`: the browser's report has come)."""
    at = AppTest.from_file(APP, default_timeout=120)
    if map_shown:
        at.session_state[KEY_MAP_SHOWN] = True
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [e.value for e in at.error]
    parts += [w.value for w in at.warning] + [t.value for t in at.title]
    return "\n".join(str(p) for p in parts)


def test_the_app_opens_the_landesuebersicht_with_the_demo_stand(demo_db):
    at = run_app()
    assert at.title[0].value == "Landesübersicht"
    assert at.sidebar.selectbox(key="stand").value == date(2026, 9, 30)
    assert "Stand 30.09.2026" in texts(at)


def test_demo_data_is_labelled_in_the_sidebar_and_on_the_page(demo_db):
    at = run_app()
    assert "Beispieldaten – keine amtlichen Zahlen" in at.sidebar.error[0].value
    assert any("Beispieldaten – keine amtlichen Zahlen" in w.value for w in at.warning)


def test_the_kpi_row_reads_in_german_with_units(demo_db):
    at = run_app()
    metrics = {m.label: m for m in at.metric}
    assert metrics["Kreise über Zielwert"].value.endswith("von 44")
    fte = metrics["Integrationsmanagement"].value
    assert fte.endswith("VZÄ") and "," in fte
    assert "." in metrics["Geflüchtete in Betreuung"].value  # thousands separator


def test_the_cards_answer_leadership_how_many_critical_and_what_the_need_costs(demo_db):
    at = run_app()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Kritische Kreise"].endswith("von 44")
    assert metrics["Kosten des Bedarfs"].endswith("Mio. € je Jahr")
    assert len(at.metric) == 8


def test_an_earlier_stand_changes_the_figures(demo_db):
    at = run_app()
    before = {m.label: m.value for m in at.metric}
    at.sidebar.selectbox(key="stand").set_value(date(2024, 12, 31)).run()
    assert not at.exception
    after = {m.label: m.value for m in at.metric}
    assert after["Integrationsmanagement"] != before["Integrationsmanagement"]
    assert "Stand 31.12.2024" in texts(at)


def test_a_stricter_target_puts_more_kreise_above_it(demo_db):
    at = run_app()
    count = int(next(m.value for m in at.metric if m.label == "Kreise über Zielwert").split()[0])
    at.number_input(key="zielwert").set_value(100.0).run()
    stricter = int(next(m.value for m in at.metric if m.label == "Kreise über Zielwert").split()[0])
    assert stricter > count


def test_switching_the_metric_keeps_the_page_whole(demo_db):
    at = run_app()
    at.selectbox(key="karte_kennzahl").set_value("need_fte").run()
    assert not at.exception
    assert at.selectbox(key="karte_kennzahl").value == "need_fte"


def test_the_summary_sentence_is_generated_from_the_data(demo_db):
    at = run_app()
    assert "von 44 Kreisen liegen über dem Zielwert von 150 Geflüchteten je VZÄ" in texts(at)


def test_an_empty_store_says_so_instead_of_failing(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)
    at = run_app()
    assert "Datenbestand ist leer" in at.sidebar.warning[0].value
    assert any("Noch keine Daten" in i.value for i in at.info)


def frame_with(at: AppTest, column: str, first: str | None = None):
    """The table on the page that has this column (and, if given, this first value in it)."""
    for df in at.dataframe:
        value = df.value
        if column in value.columns and (first is None or value[column].iloc[0] == first):
            return value
    raise AssertionError(f"keine Tabelle mit Spalte {column}")


def run_with(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[KEY_MAP_SHOWN] = True  # the browser's report that the map stands
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_bookmark_with_a_kreis_opens_its_profile(demo_db):
    at = run_with({"kreis": "08115"})
    at.switch_page("pages/kreis.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Böblingen"
    assert "Landkreis · Regierungsbezirk Stuttgart" in texts(at)
    assert at.sidebar.multiselect(key="filter_kreise").value == ["08115"]


def test_the_kreis_profile_compares_with_rb_and_land_and_ranks(demo_db):
    at = run_with({"kreis": "08115"})
    at.switch_page("pages/kreis.py").run()
    frame = frame_with(at, "Rang")
    assert list(frame.columns) == ["Kennzahl", "Kreis", "RB Stuttgart", "Baden-Württemberg", "Rang"]
    assert frame["Rang"].str.endswith("von 44").all()


def test_the_kreis_profile_lists_neighbours_from_the_geometry(demo_db):
    at = run_with({"kreis": "08111"})
    at.switch_page("pages/kreis.py").run()
    names = set(frame_with(at, "Kreis", first="Stuttgart")["Kreis"])
    assert names == {"Stuttgart", "Böblingen", "Esslingen", "Ludwigsburg", "Rems-Murr-Kreis"}


def test_a_kreis_without_gemeinde_figures_says_it_reports_only_in_total(demo_db):
    at = run_with({"kreis": "08111"})
    at.switch_page("pages/kreis.py").run()
    assert any("nur insgesamt" in i.value for i in at.info)


def test_an_unknown_key_in_the_address_shows_a_notice_and_the_whole_land(demo_db):
    at = run_with({"kreis": "08999"})
    assert any("Regionalschlüssel in der Adresse nicht erkannt" in w.value for w in at.warning)
    assert "Baden-Württemberg · 44 von 44" in texts(at)


def test_filtering_to_an_rb_narrows_kpis_and_ranking(demo_db):
    at = run_app()
    at.sidebar.multiselect(key="filter_rb").set_value(["083"]).run()
    assert not at.exception
    assert "Regierungsbezirk Freiburg · 10 von 44" in texts(at)
    assert next(m.value for m in at.metric if m.label == "Kreise über Zielwert").endswith("von 10")
    assert len(frame_with(at, "AGS")) == 10


def test_the_selection_survives_a_page_switch(demo_db):
    at = run_app()
    at.sidebar.multiselect(key="filter_rb").set_value(["083"]).run()
    at.switch_page("pages/kreis.py").run()
    assert at.sidebar.multiselect(key="filter_rb").value == ["083"]
    assert at.title[0].value in {
        "Freiburg im Breisgau",
        "Breisgau-Hochschwarzwald",
        "Emmendingen",
        "Ortenaukreis",
        "Rottweil",
        "Schwarzwald-Baar-Kreis",
        "Tuttlingen",
        "Konstanz",
        "Lörrach",
        "Waldshut",
    }
    assert at.query_params["rb"] in ("083", ["083"])


def test_the_ranking_chart_and_table_wait_for_the_map_then_show(demo_db):
    """Issue 12: the Plotly chart and the table would hold up the map's frame, so a session's first load draws them
    (and the exports, and the changes) only once the browser reports the map (tests/browser/test_landesuebersicht.py
    clicks the real thing)."""
    at = run_app(map_shown=False)
    assert not at.get("plotly_chart")
    assert any("sobald die Karte steht" in c.value for c in at.caption)
    assert not at.dataframe and not at.download_button
    assert "Was hat sich geändert" not in [h.value for h in at.header]
    at.session_state[KEY_MAP_SHOWN] = True  # what the map's report sets
    at.run()
    assert not at.exception
    assert len(at.dataframe) == 1 and at.download_button
    assert "Was hat sich geändert" in [h.value for h in at.header]
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    assert "Betreuungsschlüssel nach Kreisen" in json.loads(charts[0].proto.spec)["layout"]["title"]["text"]
    assert not any("sobald die Karte steht" in c.value for c in at.caption)

"""The Daten page as Streamlit runs it (AppTest): upload, preview, accept, history, rollback, templates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lagebild import demo
from lagebild.app.widgets import KEY_MAP_SHOWN
from lagebild.domain import measures as ms
from lagebild.store import Store
from tests.conftest import FIXTURES

APP = str(Path(__file__).resolve().parents[2] / "app.py")
# Demo data up to the Stand 31.12.2023, the Stichtag of the GENESIS fixture: an import changes the default view.
DEMO_TODAY = date(2024, 1, 15)
GENESIS = "genesis_12531_schutzsuchende_kreise.csv"


@pytest.fixture
def demo_db(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)
    demo.seed(Store(db_url), DEMO_TODAY)
    return db_url


def open_daten() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/daten.py").run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, name: str) -> AppTest:
    at.file_uploader[0].set_value((name, (FIXTURES / name).read_bytes(), "text/csv")).run()
    assert not at.exception, at.exception
    return at


def widget(at: AppTest, kind: str, prefix: str):
    """Questions about a file carry its hash in their key, so a new file starts with fresh answers."""
    return next(w for w in getattr(at, kind) if w.key and w.key.startswith(prefix))


def upload_genesis_column_1(at: AppTest) -> AppTest:
    upload(at, GENESIS)
    widget(at, "selectbox", "spalte_").set_value(1).run()
    return at


def table(at: AppTest, column: str):
    """The dataframe with this column (st.dataframe without selection records no key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def care_kpi(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "Geflüchtete in Betreuung")


def test_the_page_offers_upload_history_and_templates(demo_db):
    at = open_daten()
    assert at.title[0].value == "Daten"
    assert [t.label for t in at.tabs] == ["Hochladen", "Importe", "Meldestand", "Vorlagen"]
    assert "Höchstens **20 MB** je Datei" in markdown(at)
    assert {b.key for b in at.get("download_button")} >= {
        "vorlage_csv_zugaenge",
        "vorlage_xlsx_gefluechtete_in_betreuung",
    }
    assert "Beispieldaten: Zugänge" in table(at, "Datei")["Datei"].tolist()


def test_a_genesis_table_suggests_the_measure_and_asks_for_the_value_column(demo_db):
    at = upload(open_daten(), GENESIS)
    assert widget(at, "selectbox", "kennzahl_").value == "refugees_in_care"
    assert any("Tabelle 12531 zählt Schutzsuchende" in i.value for i in at.info)
    assert widget(at, "selectbox", "spalte_").value is None
    assert any("Die Datei hat 3 Wertespalten; bitte eine wählen" in e.value for e in at.error)
    assert at.button(key="uebernehmen").disabled


def test_the_preview_shows_format_encoding_rows_and_the_stored_values_beside_the_new(demo_db):
    at = upload_genesis_column_1(open_daten())
    text = markdown(at)
    assert "**Format:** GENESIS-Tabelle (CSV) 12531-01-01-4, Wertespalte 1" in text
    assert "**Kodierung:** Windows-1252" in text and "**Trennzeichen:** „;“" in text
    assert "**Zeilen verstanden:** 44" in text and "**Stand:** 31.12.2023" in text
    frame = table(at, "AGS").set_index("AGS")
    assert (
        len(frame) == 44
        and frame.loc["08111", "Neu"] == "24.165"
        and frame.loc["08111", "Stand bisher"] == "31.12.2023"
    )
    assert any(
        ("Warnungen**" in w.value or "1 Warnung**" in w.value) and "mehr als das Dreifache" in w.value
        for w in at.warning
    )
    assert not at.button(key="uebernehmen").disabled


def test_a_malformed_file_lists_every_problem_and_cannot_be_accepted(demo_db):
    at = upload(open_daten(), "abgelehnt_genesis_fehlerhaft.csv")
    problems = next(e.value for e in at.error if "2 Probleme –" in e.value)
    assert "Zeile 10, Spalte „Regionalschlüssel“, Wert „08999“" in problems
    assert "Zeile 11, Spalte „31.12.2023 / Insgesamt“, Wert „ca. 9000“: keine Zahl" in problems
    assert at.button(key="uebernehmen").disabled
    assert len(Store(demo_db).history()) == 4


def test_accepting_writes_one_import_and_the_landesuebersicht_changes(demo_db):
    at = open_daten()
    at.switch_page("pages/landesuebersicht.py").run()
    before = care_kpi(at)
    at.switch_page("pages/daten.py").run()
    upload_genesis_column_1(at)
    at.button(key="uebernehmen").click().run()
    assert "Import Nr. 5 übernommen: 44 Werte für Geflüchtete in Betreuung" in at.success[0].value
    assert at.file_uploader[0].value is None  # the page is ready for the next file
    hist = Store(demo_db).history()
    assert len(hist) == 5 and hist.iloc[-1]["user_name"].startswith("Einzelplatz (Benutzer ")
    at.switch_page("pages/landesuebersicht.py").run()
    assert care_kpi(at) != before


def test_the_same_file_again_needs_a_confirmation(demo_db):
    at = upload_genesis_column_1(open_daten())
    at.button(key="uebernehmen").click().run()
    upload_genesis_column_1(at)
    assert any("Diese Werte wurden schon übernommen" in w.value for w in at.warning)
    assert at.button(key="uebernehmen").disabled
    widget(at, "checkbox", "erneut_").check().run()
    assert not at.button(key="uebernehmen").disabled


def test_a_rollback_needs_a_confirmation_and_brings_the_figures_back(demo_db):
    at = open_daten()
    at.switch_page("pages/landesuebersicht.py").run()
    before = care_kpi(at)
    at.switch_page("pages/daten.py").run()
    upload_genesis_column_1(at)
    at.button(key="uebernehmen").click().run()
    at.selectbox(key="ruecknahme_import").set_value(5).run()
    assert any(
        w.value.startswith("Import Nr. 5 (genesis_12531_schutzsuchende_kreise.csv, 44 Werte") for w in at.warning
    )
    assert at.button(key="zuruecknehmen").disabled
    at.checkbox(key="ruecknahme_ok_5").check().run()
    at.button(key="zuruecknehmen").click().run()
    assert "Import Nr. 5 (genesis_12531_schutzsuchende_kreise.csv) zurückgenommen" in at.success[0].value
    status = table(at, "Datei").set_index("Nr.").loc[5, "Status"]
    assert status.startswith("zurückgenommen am ") and "von Einzelplatz (Benutzer " in status
    at.switch_page("pages/landesuebersicht.py").run()
    assert care_kpi(at) == before


def test_an_empty_store_still_takes_an_upload(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)
    at = upload_genesis_column_1(open_daten())
    at.button(key="uebernehmen").click().run()
    assert not at.exception
    assert len(Store(db_url).observations()) == 44


def test_a_filled_in_template_is_recognised_without_asking_for_the_measure(demo_db):
    at = upload(open_daten(), "vorlage_vzae_und_personen_ausgefuellt.xlsx")
    assert not any(w.key and w.key.startswith("kennzahl_") for w in at.selectbox)
    assert "Kennzahl:** Integrationsmanagement (VZÄ) und Integrationsmanagement (Personen)" in markdown(at)
    assert "Zeilen verstanden:** 6" in markdown(at)
    assert not at.button(key="uebernehmen").disabled
    at.button(key="uebernehmen").click().run()
    assert (
        "Import Nr. 5 übernommen: 6 Werte für Integrationsmanagement (VZÄ) und Integrationsmanagement (Personen)"
        in at.success[0].value
    )
    assert len(Store(demo_db).history()) == 5


def test_the_pages_own_words_have_no_doubled_units_and_no_internal_keys(demo_db):
    at = upload(open_daten(), GENESIS)
    options = widget(at, "selectbox", "kennzahl_").options
    assert "Integrationsmanagement (Personen)" in options and not any("(Personen) (Personen)" in o for o in options)
    history = table(at, "Datei")
    assert list(history.columns[:4]) == ["Nr.", "Status", "Kennzahl", "Stand"]
    assert not history.isin(list(ms.MEASURES)).any().any()


def test_the_meldestand_tab_lists_what_is_overdue_for_the_reminder(demo_db):
    at = open_daten()
    status = at.tabs[2]
    assert status.label == "Meldestand"
    warning = " ".join(str(w.value) for w in status.warning)
    assert "Kreisen fehlen Meldungen zum Stand" in warning
    missing = status.dataframe[0].value  # the missing reports come first, the whole table under an expander
    assert len(status.dataframe[1].value) == 44 * 4
    assert set(missing["Meldestand"]) <= {"überfällig", "nie gemeldet"} and len(missing) >= 1
    assert any(b.key == "export_meldestand_fehlende_meldungen_csv" for b in status.get("download_button"))


def profile_captions(at: AppTest, kreis: str) -> str:
    at.query_params["kreis"] = kreis
    at.session_state[KEY_MAP_SHOWN] = True  # the profile's tables follow the browser's report of its map
    at.switch_page("pages/kreis.py").run()
    assert not at.exception, at.exception
    return "\n".join(c.value for c in at.caption)


def per_inhabitant(at: AppTest) -> list[str]:
    """The profile's table rows of rates per inhabitant."""
    frame = table(at, "Rang")
    return [" | ".join(map(str, r)) for r in frame.itertuples(index=False) if "Einw" in str(r[0])]


def test_a_gemeindeverzeichnis_asks_the_stichtag_of_its_einwohner_and_then_sets_the_rates(demo_db):
    at = open_daten()
    assert "634.830 Einwohner 31.12.2018" in profile_captions(at, "08111")
    rates_before = per_inhabitant(at)
    at.switch_page("pages/daten.py").run()
    upload(at, "gv100ad_auszug.txt")
    assert any("Gebietsstand 30.06.2025" in i.value for i in at.info)
    stichtag = widget(at, "date_input", "stichtag_")
    assert stichtag.label == "Stichtag der Einwohnerzahlen" and stichtag.value is None  # not guessed: required
    assert widget(at, "selectbox", "kennzahl_").value == "population"
    assert "Zeilen verstanden:** 0" in markdown(at) and at.button(key="uebernehmen").disabled
    # The demo data end at 31.12.2023: a population of that Stichtag is the one the profile's rates use.
    stichtag.set_value(date(2023, 12, 31)).run()
    assert "Zeilen verstanden:** 3" in markdown(at)
    assert any("Gebietsstand laut Datei: 30.06.2025" in c.value for c in at.caption)
    at.button(key="uebernehmen").click().run()
    assert "übernommen: 3 Werte für Einwohner" in at.success[0].value
    assert "Gemeindeverzeichnis GV100AD" in Store(demo_db).history().iloc[-1]["file_format"]
    assert "613.881 Einwohner 31.12.2023 (Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD" in (
        profile_captions(at, "08111")
    )
    assert per_inhabitant(at) != rates_before

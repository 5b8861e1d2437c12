"""What the Daten page says: an upload's questions and preview, an import, a rollback, the Meldestand, the templates."""

from datetime import date

import pandas as pd

from lagebild.intake import importer, review, templates
from lagebild.intake.importer import Parsed, Problem
from lagebild.store import Rollback
from lagebild.views import daten
from tests.conftest import FIXTURES


def check(
    parsed: Parsed, warnings: tuple[str, ...] = (), duplicate: str | None = None, comparison: pd.DataFrame | None = None
) -> review.Check:
    frame = comparison if comparison is not None else pd.DataFrame(columns=review.COMPARISON_COLUMNS)
    return review.Check(parsed, "ab12cd34ef56" + "0" * 52, list(warnings), duplicate, frame, "Bericht")


def understood(days: list[date]) -> Parsed:
    rows = pd.DataFrame(
        {
            "measure": "refugees_in_care",
            "region": "08115",
            "date": days,
            "grp": "insgesamt",
            "value": 100.0,
            "status": None,
            "source": "Test",
        }
    )
    return Parsed("betreuung.csv", "CSV", encoding="utf-8", separator=";", rows=rows, measure="refugees_in_care")


def test_an_accepted_import_names_its_number_values_measure_and_file():
    parsed = understood([date(2024, 12, 31), date(2024, 12, 31)])
    assert daten.accepted(7, parsed, "refugees_in_care") == (
        "Import Nr. 7 übernommen: 2 Werte für Geflüchtete in Betreuung aus betreuung.csv. Landesübersicht und Karte "
        "zeigen die neuen Zahlen."
    )


def test_a_refused_write_says_that_file_and_answers_stay_for_a_second_try():
    message = daten.not_accepted(OSError("Der Datenbestand ist schreibgeschützt."))
    assert message.startswith("**Nicht übernommen.** Der Datenbestand ist schreibgeschützt.")
    assert "„Übernehmen“ lässt sich wiederholen" in message


def test_a_rollback_names_the_import_and_its_file():
    rolled = Rollback(import_id=3, file_name="alt.csv", row_count=44, measure="arrivals")
    assert daten.rolled_back(rolled) == "Import Nr. 3 (alt.csv) zurückgenommen; frühere Werte gelten wieder."


def test_a_filled_template_names_its_measure_and_the_column_it_was_recognised_by():
    name = "vorlage_integrationsmanagement_vzae_ausgefuellt.csv"
    info = review.inspect((FIXTURES / name).read_bytes(), name)
    assert daten.measure_recognised(info) == (
        "**Kennzahl:** Integrationsmanagement (VZÄ)  \nerkannt an der Spalte „Integrationsmanagement (VZÄ)“"
    )


def test_the_suggested_measure_is_preselected_and_none_is_when_nothing_is_suggested():
    assert daten.measure_index(review.FileInfo("csv", "CSV", "refugees_in_care")) == 2
    assert daten.measure_index(review.FileInfo("csv", "CSV")) is None


def test_value_columns_are_offered_counted_from_one_only_when_there_is_a_choice():
    several = review.FileInfo("genesis-table", "GENESIS-Tabelle", series=["Insgesamt", "männlich"])
    assert daten.column_choices(several) == {1: "1: Insgesamt", 2: "2: männlich"}
    assert daten.column_choices(review.FileInfo("genesis-table", "GENESIS-Tabelle", series=["Insgesamt"])) == {}


def test_the_stichtag_is_asked_as_a_fallback_for_a_table_and_required_for_an_undated_genesis_file():
    assert daten.stichtag_label(review.FileInfo("csv", "CSV")) == "Stichtag (nur falls die Datei keine Spalte hat)"
    assert daten.stichtag_label(review.FileInfo("genesis-table", "GENESIS-Tabelle", needs_stichtag=True)) == "Stichtag"
    assert daten.stichtag_label(review.FileInfo("genesis-table", "GENESIS-Tabelle")) is None
    assert daten.stichtag_label(review.FileInfo("csv", "CSV", refused=True)) is None


def test_the_group_is_asked_only_for_arrivals():
    assert daten.asks_group("arrivals")
    assert not daten.asks_group("refugees_in_care")
    assert not daten.asks_group(None)


def test_the_preview_of_a_rejected_file_counts_its_problems_and_offers_no_comparison():
    parsed = Parsed(
        "kaputt.csv",
        "CSV",
        encoding="utf-8",
        separator=";",
        problems=[Problem("keine Zahl", row=3, column="Wert", value="abc"), Problem("Kreis unbekannt", row=4)],
    )
    shown = daten.preview(check(parsed), "kaputt.csv")
    assert shown.facts == (
        "**Format:** CSV · **Kodierung:** utf-8 · **Trennzeichen:** „;“ · **Zeilen verstanden:** 0 · "
        "**SHA-256:** `ab12cd34ef56…`"
    )
    assert shown.problems is not None
    assert shown.problems.startswith(
        "**2 Probleme – die Datei wird so nicht übernommen.** Bitte in der Datei korrigieren"
    )
    assert shown.problems.count("\n- ") == 2
    assert shown.comparison_title is None and shown.warnings is None and shown.notes is None


def test_problems_beyond_the_listed_ones_are_counted_not_listed():
    parsed = Parsed("lang.csv", "CSV", problems=[Problem(f"Fehler {i}", row=i) for i in range(importer.MAX_LISTED + 5)])
    shown = daten.preview(check(parsed), "lang.csv")
    assert shown.problems is not None
    assert shown.problems.count("\n- ") == importer.MAX_LISTED
    assert "… und 5 weitere Probleme; aufgeführt sind die ersten 50." in shown.problems


def test_the_preview_of_a_good_file_gives_its_stand_rows_warnings_and_comparison():
    parsed = understood([date(2024, 6, 30), date(2024, 12, 31)])
    comparison = pd.DataFrame([["08115"], ["08116"]], columns=["AGS"])
    shown = daten.preview(
        check(parsed, ("Böblingen: mehr als das Dreifache.",), "Schon einmal übernommen.", comparison), "betreuung.csv"
    )
    assert "**Zeilen verstanden:** 2" in shown.facts
    assert shown.facts.endswith("**Stand:** 30.06.2024–31.12.2024")
    assert (
        shown.warnings == "**1 Warnung** – die Übernahme ist trotzdem möglich:\n\n- Böblingen: mehr als das Dreifache."
    )
    assert shown.duplicate == "Schon einmal übernommen."
    assert shown.comparison_title == "**Neue Werte neben den gespeicherten** (2 Zeilen)"
    assert shown.problems is None


def test_the_report_is_named_after_the_file_without_its_suffix():
    assert daten.preview(check(understood([date(2024, 12, 31)])), "betreuung.2024.csv").report_name == (
        "pruefbericht_betreuung.2024.txt"
    )


def test_only_active_imports_can_be_chosen_for_a_rollback():
    hist = pd.DataFrame({"id": [1, 2, 3], "active": [True, False, True], "file_name": ["a.csv", "b.csv", "c.xlsx"]})
    assert daten.rollback_choices(hist) == {1: "Nr. 1: a.csv", 3: "Nr. 3: c.xlsx"}
    assert daten.rollback_confirm(3) == "Ja, Import Nr. 3 zurücknehmen"


def test_the_meldestand_says_up_to_which_stand_and_the_expected_cycle_of_each_measure():
    caption = daten.status_caption(date(2024, 12, 31))
    assert caption.startswith("Je Kreis und Kennzahl der neueste Wert bis zum Stand 31.12.2024 (Seitenleiste)")
    assert "Integrationsmanagement (VZÄ) alle 3 Monate" in caption and caption.endswith("Zugänge monatlich.")


def test_missing_reports_are_counted_in_rows():
    assert daten.reminders_title(1).startswith("**Fehlende Meldungen** (1 Zeile) –")
    assert daten.reminders_title(1_234).startswith("**Fehlende Meldungen** (1.234 Zeilen) –")


def test_the_combined_template_explains_that_both_measures_are_checked_together():
    title = daten.template_title(templates.FTE_AND_HEADCOUNT)
    assert title.startswith("**Integrationsmanagement: VZÄ und Personen** – VZÄ und Personen je Kreis in einer Datei.")


def test_the_upload_help_names_the_size_limit_in_megabytes():
    assert "Höchstens **20 MB** je Datei" in daten.UPLOAD_HELP

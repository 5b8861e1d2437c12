"""Before and after an import: comparison with the store, warnings that do not block, report, history, provenance."""

from datetime import date

import pandas as pd
import pytest

from lagebild.domain import access, analysis
from lagebild.intake import review
from lagebild.present import overview
from lagebild.settings import Thresholds
from lagebild.store import ImportMeta
from tests.conftest import FIXTURES
from tests.support.data import DATENSTELLE

TODAY = date(2026, 11, 27)
TABLE = "genesis_12531_schutzsuchende_kreise.csv"


def rows(values, when=date(2024, 12, 31), measure="refugees_in_care"):
    return pd.DataFrame(
        [
            {
                "measure": measure,
                "region": k,
                "date": when,
                "grp": "insgesamt",
                "value": v,
                "status": None,
                "source": "Test",
            }
            for k, v in values.items()
        ]
    )


def stored(store, values, when=date(2024, 12, 31), name="alt.csv"):
    return store.write_import(
        rows(values, when), ImportMeta(name, name[0] * 64, "refugees_in_care", "Test"), DATENSTELLE
    )


def test_the_comparison_shows_each_new_value_beside_the_stored_one_with_its_stand_and_import(store, regs):
    first = stored(store, {"08115": 1000.0}, date(2024, 6, 30))
    frame = review.comparison(rows({"08115": 1200.0, "08116": 900.0}), store.observations(), regs)
    boeblingen = frame.set_index("AGS").loc["08115"]
    assert (boeblingen["Neu"], boeblingen["Bisher"], boeblingen["Stand bisher"]) == ("1.200", "1.000", "30.06.2024")
    assert boeblingen["Import bisher"] == f"Nr. {first}" and boeblingen["Veränderung"] == "+200 (+20 %)"
    assert frame.set_index("AGS").loc["08116", "Bisher"] == "–"


def test_a_value_more_than_three_times_the_previous_stand_is_a_warning(store, regs):
    stored(store, {"08115": 1000.0, "08116": 1000.0}, date(2024, 6, 30))
    warns = review.warnings(rows({"08115": 3100.0, "08116": 320.0}), store.observations(), regs)
    assert any("Böblingen (08115)" in w and "mehr als das Dreifache des bisherigen Werts 1.000" in w for w in warns)
    assert any("Esslingen (08116)" in w and "weniger als ein Drittel" in w for w in warns)


def test_an_ordinary_change_is_no_warning(store, regs):
    stored(store, {"08115": 1000.0}, date(2024, 6, 30))
    assert review.warnings(rows({"08115": 1500.0}), store.observations(), regs) == []


def test_a_kreis_missing_from_an_otherwise_complete_file_is_named(regs):
    almost = {k: 100.0 for k in regs.kreis_keys if k != "08337"}
    warns = review.warnings(rows(almost), pd.DataFrame(columns=["measure", "region", "date", "grp", "value"]), regs)
    assert warns == ["31.12.2024: es fehlen 1 von 44 Kreisen: Waldshut."]


def test_a_stichtag_older_than_the_stored_one_is_a_warning(store, regs):
    stored(store, {"08115": 1000.0}, date(2025, 6, 30))
    warns = review.warnings(rows({"08116": 900.0}, date(2024, 12, 31)), store.observations(), regs)
    assert warns == [
        "Stichtag 31.12.2024 ist älter als der neueste gespeicherte Stand dieser Kennzahl (30.06.2025): "
        "die Werte ändern nur frühere Stände, nicht die aktuelle Übersicht."
    ]


def test_a_check_of_a_file_seen_before_says_so(store, regs):
    data = (FIXTURES / TABLE).read_bytes()
    first = review.check(
        store, data, TABLE, measure="refugees_in_care", existing=store.observations(), regs=regs, column=1, today=TODAY
    )
    assert first.duplicate is None
    review.accept(store, first.parsed, data, "refugees_in_care", DATENSTELLE)
    again = review.check(
        store, data, TABLE, measure="refugees_in_care", existing=store.observations(), regs=regs, column=1, today=TODAY
    )
    assert again.duplicate.startswith(
        f"Diese Werte wurden schon übernommen – dieselbe Kennzahl, dieselben Schlüssel, Stichtage und Werte: Import Nr. 1 ({TABLE}) vom "
    )
    assert "(aktiv)" in again.duplicate and "nur nach Bestätigung" in again.duplicate


def test_the_report_carries_the_problems_as_the_cli_prints_them(store, regs):
    data = (FIXTURES / "abgelehnt_genesis_fehlerhaft.csv").read_bytes()
    result = review.check(
        store,
        data,
        "abgelehnt_genesis_fehlerhaft.csv",
        measure="refugees_in_care",
        existing=store.observations(),
        regs=regs,
        today=TODAY,
    )
    assert result.parsed.report() in result.report
    assert (
        "Kennzahl: Geflüchtete in Betreuung (Personen)\n" in result.report and "refugees_in_care" not in result.report
    )


def test_accepting_records_the_format_table_and_column(store, regs):
    data = (FIXTURES / TABLE).read_bytes()
    result = review.check(
        store, data, TABLE, measure="refugees_in_care", existing=store.observations(), regs=regs, column=1, today=TODAY
    )
    review.accept(store, result.parsed, data, "refugees_in_care", DATENSTELLE)
    row = store.history().iloc[0]
    assert row["file_format"] == "GENESIS-Tabelle (CSV) 12531-01-01-4, Wertespalte 1"
    assert row["user_name"] == "Testperson Datenstelle" and row["row_count"] == 44


def test_a_file_with_problems_is_never_written(store, regs):
    data = (FIXTURES / "abgelehnt_genesis_fehlerhaft.csv").read_bytes()
    result = review.check(store, data, "x.csv", measure="refugees_in_care", existing=store.observations(), regs=regs)
    with pytest.raises(ValueError):
        review.accept(store, result.parsed, data, "refugees_in_care", DATENSTELLE)
    assert store.is_empty()


def test_the_history_table_lists_newest_first_with_who_rolled_back_when(store):
    first = stored(store, {"08115": 1000.0}, name="erste.csv")
    stored(store, {"08115": 1100.0}, name="zweite.csv")
    store.rollback(first, access.Principal("Kira Koordinatorin", access.Role.COORDINATION, ("08115",)))
    table = review.history_table(store.history())
    assert list(table["Datei"]) == ["zweite.csv", "erste.csv"]
    assert table.loc[0, "Status"] == "aktiv"
    assert table.loc[1, "Status"].startswith("zurückgenommen am ")
    assert table.loc[1, "Status"].endswith(" von Kira Koordinatorin")
    assert table.loc[1, "Stand"] == "31.12.2024"


def test_the_rollback_preview_says_what_will_happen(store):
    first = stored(store, {"08115": 1000.0, "08116": 900.0}, name="erste.csv")
    text = review.rollback_preview(store.history(), first)
    assert text.startswith(
        "Import Nr. 1 (erste.csv, 2 Werte Geflüchtete in Betreuung, Stand 31.12.2024) zählt danach nicht mehr."
    )
    assert "Gelöscht wird nichts" in text


@pytest.mark.parametrize(
    "name,kind,series,needs_stichtag,suggested",
    [
        (TABLE, "genesis-table", 3, False, "refugees_in_care"),
        ("genesis_21111_schulen_auszug.csv", "genesis-table", 18, True, None),  # the year alone is no Stichtag
        ("abgelehnt_ffcsv_nur_jahr.csv", "genesis-flat", 1, True, "refugees_in_care"),
        ("betreuung_utf8_bom.csv", "csv", 0, False, None),
    ],
)
def test_a_first_look_tells_which_questions_to_ask(name, kind, series, needs_stichtag, suggested):
    info = review.inspect((FIXTURES / name).read_bytes(), name)
    assert (info.kind, len(info.series), info.needs_stichtag, info.suggested_measure) == (
        kind,
        series,
        needs_stichtag,
        suggested,
    )


def test_each_kreis_figure_names_the_import_it_came_from(store, regs):
    care = stored(store, {k: 1000.0 for k in regs.kreis_keys}, name="betreuung.csv")
    fte = store.write_import(
        rows({k: 8.0 for k in regs.kreis_keys}, measure="counsellors_fte"),
        ImportMeta("vzae.csv", "v" * 64, "counsellors_fte", "Test"),
        DATENSTELLE,
    )
    table = analysis.kreis_table(store.observations(), regs, date(2024, 12, 31), Thresholds(), 64_000, None)
    figures = dict(overview.key_figures(table.loc["08115"], date(2024, 12, 31), Thresholds(), None))
    assert figures["Import (Nr.)"] == f"Betreuung Nr. {care} · VZÄ Nr. {fte}"


def test_a_file_above_the_size_limit_is_refused_saying_the_limit(store, regs):
    data = b"Regionalschl\xc3\xbcssel;Stichtag;Wert\n" + b"08115;31.12.2024;1\n" * 1_200_000
    result = review.check(
        store, data, "riesig.csv", measure="refugees_in_care", existing=store.observations(), regs=regs
    )
    assert "Die Datei ist 21,7 MB groß; erlaubt sind höchstens 20 MB. Bitte aufteilen" in result.report


def test_table_12521_of_foreigners_is_not_suggested_as_refugees_and_says_why():
    data = (
        (FIXTURES / TABLE)
        .read_bytes()
        .replace(b"12531-01-01-4", b"12521-01-02-4")
        .replace(b"Schutzsuchende", b"Ausl\xe4nder")
    )
    info = review.inspect(data, "12521.csv")
    assert info.suggested_measure is None
    assert info.note.startswith(
        "Tabelle 12521 zählt Ausländerinnen und Ausländer nach Staatsangehörigkeit, nicht Geflüchtete"
    )


def test_the_history_table_speaks_german_and_shows_the_status_before_the_technical_columns(store):
    stored(store, {"08115": 1000.0}, name="erste.csv")
    store.write_import(
        rows({"08115": 8.0}, measure="counsellors_fte"),
        ImportMeta("vzae.csv", "v" * 64, "counsellors_fte,counsellors_headcount", "Test"),
        access.command_line("root"),
    )
    table = review.history_table(store.history())
    assert list(table.columns[:4]) == ["Nr.", "Status", "Kennzahl", "Stand"]
    assert table.loc[0, "Kennzahl"] == "Integrationsmanagement (VZÄ) und Integrationsmanagement (Personen)"
    assert table.loc[1, "Kennzahl"] == "Geflüchtete in Betreuung"
    assert table.loc[0, "Benutzer"] == "Kommandozeile (Benutzer root)"
    assert not table.isin(["root", "counsellors_fte", "refugees_in_care"]).any().any()


def test_a_file_from_the_template_is_recognised_at_first_look():
    info = review.inspect((FIXTURES / "vorlage_vzae_und_personen_ausgefuellt.xlsx").read_bytes(), "v.xlsx")
    assert info.suggested_measure == "counsellors_fte,counsellors_headcount" and info.measure_is_named


def test_a_file_with_vzae_and_persons_is_accepted_as_one_import_with_both(store, regs):
    name = "vorlage_vzae_und_personen_ausgefuellt.xlsx"
    data = (FIXTURES / name).read_bytes()
    result = review.check(store, data, name, measure=None, existing=store.observations(), regs=regs, today=TODAY)
    assert result.parsed.ok, result.report
    assert "Kennzahl" in result.comparison.columns and len(result.comparison) == 6
    review.accept(store, result.parsed, data, None, DATENSTELLE)
    assert len(store.history()) == 1
    assert set(store.observations()["measure"]) == {"counsellors_fte", "counsellors_headcount"}


def test_a_file_is_hashed_decoded_and_parsed_once_from_upload_to_check(store, regs, monkeypatch):
    from lagebild.intake import genesis, importer
    from lagebild.store import sha256_of

    calls = {"hash": 0, "decode": 0, "parse": 0}

    def counting(name, function):
        def wrapped(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)

        return wrapped

    monkeypatch.setattr(review, "sha256_of", counting("hash", sha256_of))
    monkeypatch.setattr(importer, "decode", counting("decode", importer.decode))
    monkeypatch.setattr(genesis, "read_table", counting("parse", genesis.read_table))
    data = (FIXTURES / TABLE).read_bytes()
    upload = review.open_upload(data, TABLE)
    answers = review.Answers(upload.info.suggested_measure, column=1)
    result = review.examine(store, upload, answers, existing=store.observations(), regs=regs, today=TODAY)
    assert result.parsed.ok and len(result.parsed.rows) == 44
    # One decode of the whole text; format detection looks at the first 4 KiB only, decoded on its own.
    assert calls == {"hash": 1, "decode": 2, "parse": 1}
    assert result.sha256 == upload.sha256 == sha256_of(data)


def test_the_command_line_and_the_page_answer_alike_through_examine(store, regs):
    data = (FIXTURES / TABLE).read_bytes()
    answers = review.Answers("refugees_in_care", column=1)
    examined = review.examine(
        store, review.open_upload(data, TABLE), answers, existing=store.observations(), regs=regs, today=TODAY
    )
    checked = review.check(
        store, data, TABLE, measure="refugees_in_care", column=1, existing=store.observations(), regs=regs, today=TODAY
    )
    assert examined.report == checked.report and examined.comparison.equals(checked.comparison)

"""python -m lagebild: import, show, demo, template, history, with exit codes and an untouched store on rejection."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lagebild.cli import main
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env_db(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)
    return Path(db_url.removeprefix("sqlite:///"))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_import_then_show_round_trips_with_german_numbers(env_db, capsys):
    assert main(["import", str(FIXTURES / "vzae_windows1252_dezimalkomma.csv"), "--measure", "counsellors_fte"]) == 0
    capsys.readouterr()
    assert main(["show", "--measure", "counsellors_fte"]) == 0
    out = capsys.readouterr().out
    assert "08116  Esslingen" in out and "47,2" in out and "31.12.2024" in out
    assert "08115  Böblingen" in out and "36,5" in out
    lines = [line for line in out.splitlines() if line.startswith("08")]
    assert len(lines) == 44
    assert sum("keine Daten" in line for line in lines) == 40


def test_show_as_csv_prints_44_kreise(env_db, capsys):
    main(["demo"])
    capsys.readouterr()
    main(["show", "--measure", "counsellors_fte", "--format", "csv"])
    rows = capsys.readouterr().out.splitlines()
    assert rows[0] == "AGS;Kreis;VZÄ;Stand" and len(rows) == 45


def test_dry_run_writes_nothing(env_db, capsys):
    main(["history"])
    before = digest(env_db)
    assert main(["import", str(FIXTURES / "betreuung_utf8_bom.csv"), "--measure", "refugees_in_care", "--dry-run"]) == 0
    assert "Probelauf" in capsys.readouterr().out
    assert digest(env_db) == before


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("abgelehnt_*.csv")))
def test_every_rejected_file_exits_1_and_leaves_the_store_byte_for_byte_unchanged(env_db, capsys, name):
    main(["demo"])
    # Böblingen's headcount at 31.12.2024 must lie between the demo FTE (33,9) and 40 for the VZÄ check to bite.
    head = "Regionalschlüssel;Stichtag;Wert\n08115;31.12.2024;38\n"
    head_file = env_db.parent / "personen.csv"
    head_file.write_text(head, encoding="utf-8")
    assert main(["import", str(head_file), "--measure", "counsellors_headcount"]) == 0
    capsys.readouterr()
    before = digest(env_db)
    assert main(["import", str(FIXTURES / name), "--measure", "counsellors_fte"]) == 1
    err = capsys.readouterr().err
    assert "die Datei wurde nicht übernommen" in err and name in err
    assert digest(env_db) == before


def test_demo_refuses_a_filled_store(env_db, capsys):
    assert main(["demo"]) == 0
    assert main(["demo"]) == 1
    assert "nicht leer" in capsys.readouterr().err


def test_template_writes_csv_and_xlsx_for_each_measure(tmp_path, capsys):
    assert main(["template", "--output", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "vorlage_integrationsmanagement_vzae.xlsx" in names and "vorlage_zugaenge.csv" in names
    assert "vorlage_integrationsmanagement_vzae_und_personen.csv" in names and len(names) == 10
    assert not any("counsellors" in n or "arrivals" in n for n in names)


def test_history_lists_imports_with_hash_and_rows(env_db, capsys):
    main(["import", str(FIXTURES / "zugaenge_vorlage.xlsx"), "--measure", "arrivals"])
    capsys.readouterr()
    main(["history"])
    out = capsys.readouterr().out
    assert "zugaenge_vorlage.xlsx" in out and "Zugänge" in out and "aktiv" in out
    assert "arrivals" not in out and "Kommandozeile (Benutzer " in out


def test_a_usage_error_exits_2_with_a_german_message(env_db):
    result = subprocess.run([sys.executable, "-m", "lagebild", "show"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2
    assert "diese Angaben fehlen: --measure" in result.stderr


def test_help_documents_each_command():
    result = subprocess.run([sys.executable, "-m", "lagebild", "--help"], cwd=ROOT, capture_output=True, text=True)
    for command in ("import", "show", "demo", "template", "history", "rollback"):
        assert command in result.stdout


def test_the_domain_package_imports_without_streamlit():
    code = (
        "import sys, importlib, pkgutil, lagebild\n"
        "sys.modules['streamlit'] = None\n"
        "for m in pkgutil.walk_packages(lagebild.__path__, 'lagebild.'):\n"
        "    if not m.name.startswith(('lagebild.app', 'lagebild.__main__')): importlib.import_module(m.name)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_demo_if_empty_leaves_a_filled_store_alone_and_succeeds(env_db, capsys):
    main(["demo"])
    before = digest(env_db)
    assert main(["demo", "--if-empty"]) == 0
    assert digest(env_db) == before


GENESIS = FIXTURES / "genesis_12531_schutzsuchende_kreise.csv"


def test_a_genesis_table_without_a_chosen_column_lists_the_choices_and_writes_nothing(env_db, capsys):
    main(["history"])
    before = digest(env_db)
    assert main(["import", str(GENESIS), "--measure", "refugees_in_care"]) == 1
    assert (
        "bitte eine wählen (Auswahl „Wertespalte“ bzw. --column NUMMER): 1: 31.12.2023 / Insgesamt"
        in capsys.readouterr().err
    )
    assert digest(env_db) == before


def test_a_genesis_table_is_imported_with_the_chosen_column(env_db, capsys):
    assert main(["import", str(GENESIS), "--measure", "refugees_in_care", "--column", "1"]) == 0
    assert "Import 1 übernommen: 44 Werte für Geflüchtete in Betreuung" in capsys.readouterr().out
    main(["show", "--measure", "refugees_in_care"])
    out = capsys.readouterr().out
    assert "08111  Stuttgart" in out and "24.165" in out and "nicht verfügbar (.)" in out


def test_a_dry_run_prints_the_comparison_and_the_warnings(env_db, capsys):
    main(["demo"])
    capsys.readouterr()
    assert main(["import", str(GENESIS), "--measure", "refugees_in_care", "--column", "1", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Warnung: Stichtag 31.12.2023 ist älter als der neueste gespeicherte Stand" in out
    assert "AGS    Region" in out and "Stand bisher" in out and "Probelauf" in out


def test_importing_the_same_file_again_says_so_and_writes_nothing_unless_forced(env_db, capsys):
    main(["import", str(GENESIS), "--measure", "refugees_in_care", "--column", "1"])
    capsys.readouterr()
    before = digest(env_db)
    assert main(["import", str(GENESIS), "--measure", "refugees_in_care", "--column", "1"]) == 1
    err = capsys.readouterr().err
    assert (
        "Diese Werte wurden schon übernommen" in err
        and "Import Nr. 1 (genesis_12531_schutzsuchende_kreise.csv)" in err
        and "--force" in err
    )
    assert digest(env_db) == before
    assert main(["import", str(GENESIS), "--measure", "refugees_in_care", "--column", "1", "--force"]) == 0
    assert "Import 2 übernommen" in capsys.readouterr().out


def test_rollback_brings_the_previous_values_back_and_history_shows_it(env_db, capsys):
    main(["import", str(FIXTURES / "vzae_windows1252_dezimalkomma.csv"), "--measure", "counsellors_fte"])
    newer = env_db.parent / "korrektur.csv"
    newer.write_text("Regionalschlüssel;Stichtag;Wert\n08115;31.12.2024;40,5\n", encoding="utf-8")
    main(["import", str(newer), "--measure", "counsellors_fte"])
    capsys.readouterr()
    assert main(["rollback", "2"]) == 0
    assert "Import 2 (korrektur.csv) zurückgenommen" in capsys.readouterr().out
    main(["show", "--measure", "counsellors_fte"])
    assert "36,5" in next(line for line in capsys.readouterr().out.splitlines() if line.startswith("08115"))
    main(["history"])
    lines = capsys.readouterr().out.splitlines()
    assert "korrektur.csv" in lines[2] and "zurückgenommen am" in lines[2]
    assert "vzae_windows1252_dezimalkomma.csv" in lines[1] and lines[1].rstrip().endswith("aktiv")


@pytest.mark.parametrize("import_id,reason", [("1", "ist bereits zurückgenommen"), ("7", "Import 7 gibt es nicht")])
def test_a_rollback_that_cannot_be_done_exits_1_with_the_reason(env_db, capsys, import_id, reason):
    main(["import", str(FIXTURES / "vzae_windows1252_dezimalkomma.csv"), "--measure", "counsellors_fte"])
    main(["rollback", "1"])
    capsys.readouterr()
    assert main(["rollback", import_id]) == 1
    assert reason in capsys.readouterr().err


def test_the_cli_imports_lists_and_rolls_back_on_postgresql(postgres_url):
    env = {**os.environ, "DATABASE_URL": postgres_url}

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "lagebild", *args], cwd=ROOT, env=env, capture_output=True, text=True
        )

    assert run("import", str(GENESIS), "--measure", "refugees_in_care", "--column", "1").returncode == 0
    assert run("rollback", "1").returncode == 0
    history = run("history")
    assert history.returncode == 0 and "genesis_12531_schutzsuchende_kreise.csv" in history.stdout
    assert "zurückgenommen am" in history.stdout
    shown = run("show", "--measure", "refugees_in_care")
    assert sum("keine Daten" in line for line in shown.stdout.splitlines()) == 44


def test_a_file_from_the_template_is_imported_without_naming_its_measure(env_db, capsys, tmp_path):
    assert main(["template", "--output", str(tmp_path)]) == 0
    filled = tmp_path / "vorlage_integrationsmanagement_vzae_und_personen.csv"
    text = filled.read_text(encoding="utf-8-sig").replace(
        "08115;BEISPIEL – Zeile löschen;31.12.2024;;12,5;16", "08115;Böblingen;31.12.2024;;12,5;16"
    )
    filled.write_text(text, encoding="utf-8-sig")
    capsys.readouterr()
    assert main(["import", str(filled)]) == 0
    assert "2 Werte für Integrationsmanagement (VZÄ) und Integrationsmanagement (Personen)" in capsys.readouterr().out


def test_a_gemeindeverzeichnis_is_imported_with_its_stichtag_and_rolled_back(env_db, capsys):
    path = str(FIXTURES / "gv100ad_bw_alle_kreise.txt")
    assert main(["import", path]) == 1  # the Stichtag of the Einwohner is not in the file
    assert "nennt nur seinen Gebietsstand (30.06.2025)" in capsys.readouterr().err
    assert main(["import", path, "--stichtag", "2024-12-31"]) == 0
    assert "Import 1 übernommen: 44 Werte für Einwohner." in capsys.readouterr().out
    main(["show", "--measure", "population"])
    assert "08111  Stuttgart" in (out := capsys.readouterr().out) and "613.881  31.12.2024" in out
    assert main(["rollback", "1"]) == 0
    main(["history"])
    assert "Gemeindeverzeichnis GV100AD (Festbreite)" in capsys.readouterr().out

"""Command line: python -m lagebild import|show|demo|template|history|rollback|backup|restore|serve."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import pandas as pd

from lagebild import backup, demo, settings
from lagebild.domain import access
from lagebild.domain import measures as ms
from lagebild.domain.regions import regions
from lagebild.intake import review, templates
from lagebild.intake.importer import visible
from lagebild.present import fmt, text
from lagebild.settings import DEMO_LABEL
from lagebild.store import RollbackRefused, Store, StoreUnavailable, WriteFailed, current_user

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2

# argparse takes its messages through gettext; these are the ones a user meets.
GERMAN_ARGPARSE = {
    "usage: ": "Aufruf: ",
    "options": "Optionen",
    "positional arguments": "Argumente",
    "show this help message and exit": "diese Hilfe anzeigen und beenden",
    "the following arguments are required: %s": "diese Angaben fehlen: %s",
    "unrecognized arguments: %s": "unbekannte Angaben: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ungültige Auswahl: %(value)r (möglich: %(choices)s)",
    "argument %(argument_name)s: %(message)s": "Angabe %(argument_name)s: %(message)s",
    "expected one argument": "erwartet einen Wert",
    "invalid %(type)s value: %(value)r": "ungültiger Wert: %(value)r",
    "invalid int value: %(value)r": "keine ganze Zahl: %(value)r",
}
argparse._ = lambda text: GERMAN_ARGPARSE.get(text, text)  # type: ignore[attr-defined]


def text_table(frame: pd.DataFrame, numeric: set[str]) -> str:
    """A plain table: text left, figures right, as a person reads a list of Kreise."""
    # A control character from a file name or a Quelle (an ANSI escape) would act on the terminal.
    cells = [[text.plain(c) for c in frame.columns]] + [
        [text.plain(v) for v in row] for row in frame.itertuples(index=False)
    ]
    widths = [max(len(r[i]) for r in cells) for i in range(len(frame.columns))]
    lines = []
    for row in cells:
        parts = [
            v.rjust(w) if col in numeric else v.ljust(w) for v, w, col in zip(row, widths, frame.columns, strict=True)
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def terminal_safe(text: str) -> str:
    """What a file says, printed so that no escape sequence from a cell can recolour, move or clear the terminal."""
    return "\n".join(visible(line, limit=10**6) for line in text.split("\n"))


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"„{text}“ ist kein Datum der Form JJJJ-MM-TT") from None


class GermanParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"Fehler: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = GermanParser(
        prog="python -m lagebild",
        description="Lagebild Integrationsmanagement BW – Daten importieren, anzeigen, Beispieldaten. "
        "Alle Befehle verwenden DATABASE_URL (Standard: SQLite-Datei data/lagebild.sqlite).",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="BEFEHL", parser_class=GermanParser)
    measures = list(ms.MEASURES)

    imp = sub.add_parser(
        "import",
        help="eine Datei (CSV, XLSX, GENESIS-Tabelle, GENESIS-Flatfile) prüfen und übernehmen",
        description="Erkennt das Format am Inhalt, prüft die Datei vollständig und übernimmt sie ganz "
        "oder gar nicht. Exit 0: übernommen; 1: nicht übernommen (Probleme auf stderr, "
        "Bestand unverändert); 2: Aufruffehler.",
    )
    imp.add_argument("file", type=Path, metavar="DATEI")
    imp.add_argument(
        "--measure",
        choices=measures,
        help="Kennzahl der Datei; nicht nötig bei Dateien aus den Vorlagen (die Wertespalte nennt sie)",
    )
    imp.add_argument("--stichtag", type=iso_date, help="Stichtag (JJJJ-MM-TT), falls die Datei keinen nennt")
    imp.add_argument("--group", help="Gruppe (ukraine, asyl), falls die Datei keine Spalte hat")
    imp.add_argument("--source", help="Quellenangabe für alle Zeilen ohne eigene Quelle")
    imp.add_argument(
        "--column",
        type=int,
        metavar="NUMMER",
        help="Wertespalte einer GENESIS-Datei mit mehreren (Nummer aus der Meldung)",
    )
    imp.add_argument(
        "--force",
        action="store_true",
        help="schon übernommene Werte (gleiche Kennzahl, Schlüssel, Stichtage, Werte) erneut übernehmen",
    )
    imp.add_argument(
        "--dry-run", action="store_true", help="nur prüfen und Vergleich mit dem Bestand zeigen, nichts schreiben"
    )

    show = sub.add_parser("show", help="Werte einer Kennzahl für die 44 Kreise anzeigen")
    show.add_argument("--measure", required=True, choices=measures)
    show.add_argument("--stichtag", type=iso_date, help="Stand (JJJJ-MM-TT); Standard: neuester")
    show.add_argument("--format", choices=("table", "csv"), default="table", help="Ausgabeformat")

    dem = sub.add_parser("demo", help="Beispieldaten in einen leeren Datenbestand schreiben")
    dem.add_argument(
        "--if-empty", action="store_true", help="bei nicht leerem Bestand nichts tun und mit 0 enden (für make run)"
    )

    tpl = sub.add_parser("template", help="Importvorlagen (CSV und XLSX) schreiben")
    tpl.add_argument(
        "--measure",
        choices=measures,
        help="nur für diese Kennzahl (Standard: alle, dazu VZÄ und Personen in einer Datei)",
    )
    tpl.add_argument("--output", type=Path, default=Path("."), help="Zielordner (Standard: aktueller Ordner)")

    sub.add_parser(
        "history", help="alle Importe anzeigen: Zeit, Datei, Hash, Zeilen, Kennzahl, Stand, aktiv oder zurückgenommen"
    )

    rb = sub.add_parser(
        "rollback",
        help="einen Import zurücknehmen (nichts wird gelöscht)",
        description="Die Werte des Imports zählen nicht mehr; wo ältere Importe dieselben Zellen "
        "enthalten, gelten wieder deren Werte. Die Rücknahme wird protokolliert. "
        "Exit 0: zurückgenommen; 1: nicht möglich (Grund auf stderr).",
    )
    rb.add_argument("import_id", type=int, metavar="ID", help="Nummer des Imports (siehe history)")

    bk = sub.add_parser(
        "backup",
        help="den ganzen Datenbestand in eine Sicherungsdatei schreiben",
        description="Schreibt alle Importe, Werte und Rücknahmen in eine neue SQLite-Datei, auch aus "
        "PostgreSQL und während die App läuft. Exit 0: gesichert; 1: nicht möglich.",
    )
    bk.add_argument(
        "--output",
        type=Path,
        metavar="DATEI",
        help=f"Zieldatei (Standard: {settings.backup_dir()}/{backup.PREFIX}JJJJ-MM-TT-hhmmss.sqlite)",
    )
    rs = sub.add_parser(
        "restore",
        help="den Datenbestand aus einer Sicherung wiederherstellen",
        description="Prüft die Sicherung (Datei, Schemastand) und ersetzt dann den Datenbestand; der "
        "bisherige Bestand bleibt als Sicherung „vor-wiederherstellung-…“ erhalten, auch "
        "wenn er beschädigt ist. Exit 0: wiederhergestellt; 1: nicht möglich, nichts geändert.",
    )
    rs.add_argument("file", type=Path, metavar="DATEI", help="Sicherungsdatei (aus python -m lagebild backup)")
    sub.add_parser(
        "serve",
        help="die App starten (streamlit run app.py, vorher Module und Geometrie geladen, erste Seite aufgerufen)",
        description="Lädt Module, Kreisgeometrie und Klassierung, dann startet es streamlit run app.py und ruft, "
        "sobald der Port offen ist, die erste Seite einmal selbst auf; alles nach serve geht unverändert an "
        "Streamlit, z. B. python -m lagebild serve --server.port 8501.",
    )
    return p


def cmd_import(args: argparse.Namespace, store: Store) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"Fehler: Datei „{args.file}“ nicht lesbar: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    regs = regions()
    existing = store.observations()
    # The same check as the Daten page: the same limits, messages and comparison.
    answers = review.Answers(args.measure, args.stichtag, args.group, args.column, args.source)
    result = review.examine(store, review.open_upload(data, args.file.name), answers, existing=existing, regs=regs)
    parsed, duplicate = result.parsed, result.duplicate
    if not parsed.ok:
        print(terminal_safe(parsed.report()), file=sys.stderr)
        return EXIT_REJECTED
    print(terminal_safe(parsed.report()))
    for warning in result.warnings:
        print(terminal_safe(f"  Warnung: {warning}"))
    if args.dry_run:
        print(terminal_safe(text_table(result.comparison, {"Neu", "Bisher", "Veränderung"})))
        if duplicate:
            print(terminal_safe(f"  Hinweis: {duplicate}"))
        print("Probelauf (--dry-run): nichts geschrieben.")
        return EXIT_OK
    if duplicate and not args.force:
        print(
            f"{duplicate.removesuffix(' Erneut übernehmen nur nach Bestätigung.')} Nichts geschrieben; mit --force "
            "erneut übernehmen.",
            file=sys.stderr,
        )
        return EXIT_REJECTED
    import_id = review.accept(
        store, parsed, data, args.measure, access.command_line(current_user()), sha256=result.sha256
    )
    print(
        f"Import {import_id} übernommen: {fmt.count(len(parsed.rows), 'Wert', 'Werte')} für {ms.label_of(parsed.measure or args.measure)}."
    )
    return EXIT_OK


def show_frame(store: Store, measure_key: str, stichtag: date | None) -> tuple[pd.DataFrame, str]:
    m = ms.measure(measure_key)
    regs = regions()
    obs = store.observations()
    obs = obs[(obs["measure"] == m.key) & obs["region"].isin(regs.kreis_keys)]
    if stichtag is not None:
        obs = obs[obs["date"] <= (stichtag.replace(day=1) if m.kind is ms.Kind.FLOW else stichtag)]
    rows = []
    if m.kind is ms.Kind.FLOW:
        month = max(obs["date"]) if len(obs) else None
        obs = obs[obs["date"] == month]
        title = f"{m.label} – {m.unit}, {fmt.month(month)}"
        for k in regs.kreise:
            sub = obs[obs["region"] == k.key].set_index("grp")["value"]
            vals = {g: sub.get(g) for g in m.groups}
            total = (
                sum(v for v in vals.values() if v is not None) if any(v is not None for v in vals.values()) else None
            )
            rows.append([k.key, k.display_name] + [fmt.number(vals[g]) for g in m.groups] + [fmt.number(total)])
        columns = ["AGS", "Kreis"] + [ms.GROUP_LABELS[g] for g in m.groups] + ["insgesamt"]
    else:
        last = obs.sort_values("date").groupby("region").tail(1).set_index("region")
        title = f"{m.label} – {m.unit}" + (f", Stand bis {fmt.day(stichtag)}" if stichtag else ", neuester Stand")
        for k in regs.kreise:
            if k.key in last.index:
                r = last.loc[k.key]
                value = (
                    fmt.number(r["value"], m.decimals) if pd.notna(r["value"]) else f"nicht verfügbar ({r['status']})"
                )
                rows.append([k.key, k.display_name, value, fmt.day(r["date"])])
            else:
                rows.append([k.key, k.display_name, fmt.NO_DATA, ""])
        columns = ["AGS", "Kreis", m.unit_short, "Stand"]
    return pd.DataFrame(rows, columns=columns), title


def cmd_show(args: argparse.Namespace, store: Store) -> int:
    frame, title = show_frame(store, args.measure, args.stichtag)
    demo_note = f"Hinweis: {DEMO_LABEL}" if store.has_demo_data() else ""
    if args.format == "csv":
        sys.stdout.write(frame.to_csv(sep=";", index=False))
    else:
        print(title)
        if demo_note:
            print(demo_note)
        print(text_table(frame, set(frame.columns[2:]) - {"Stand"}))
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, store: Store) -> int:
    ids = demo.seed(store)
    if ids is None:
        if args.if_empty:
            print("Datenbestand enthält schon Daten; keine Beispieldaten geschrieben.")
            return EXIT_OK
        print(
            "Der Datenbestand ist nicht leer; Beispieldaten werden nur in einen leeren Bestand geschrieben.",
            file=sys.stderr,
        )
        return EXIT_REJECTED
    print(f"Beispieldaten geschrieben (Importe {', '.join(map(str, ids))}). {DEMO_LABEL}.")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    args.output.mkdir(parents=True, exist_ok=True)
    for key in [args.measure] if args.measure else list(templates.FILE_STEMS):
        for suffix, build in (("csv", templates.template_csv), ("xlsx", templates.template_xlsx)):
            path = args.output / templates.file_name(key, suffix)
            path.write_bytes(build(key))
            print(path)
    return EXIT_OK


def cmd_history(store: Store) -> int:
    hist = store.history()
    if hist.empty:
        print("Noch keine Importe.")
        return EXIT_OK
    table = review.history_table(hist).iloc[::-1]
    # In a terminal the long status text reads best at the end of the line, where it does not push the rest apart.
    print(text_table(table[[c for c in table.columns if c != "Status"] + ["Status"]], {"Nr.", "Zeilen"}))
    return EXIT_OK


def cmd_rollback(args: argparse.Namespace, store: Store) -> int:
    try:
        done = store.rollback(args.import_id, access.command_line(current_user()))
    except RollbackRefused as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    print(
        f"Import {done.import_id} ({text.plain(done.file_name)}) zurückgenommen: {fmt.count(done.row_count, 'Wert', 'Werte')} für "
        f"{review.measure_label(done.measure)} zählen nicht mehr; frühere Werte gelten wieder. Nichts gelöscht."
    )
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    try:
        done = backup.backup(output=args.output, user_name=current_user())
    except backup.BackupRefused as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    print(
        f"Sicherung geschrieben: {done.file} ({fmt.count(done.imports, 'Import', 'Importe')}, "
        f"{fmt.count(done.observations, 'Wert', 'Werte')}, Schemastand {done.revision}).\n"
        f"Wiederherstellen mit: python -m lagebild restore {done.file}"
    )
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    try:
        done, kept = backup.restore(args.file)
    except backup.BackupRefused as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    print(
        f"Wiederhergestellt aus {done.file}: {fmt.count(done.imports, 'Import', 'Importe')}, "
        f"{fmt.count(done.observations, 'Wert', 'Werte')} (Schemastand der Sicherung {done.revision})."
    )
    if kept is not None:
        print(f"Der bisherige Datenbestand ist aufbewahrt in {kept}.")
    print("Eine laufende App zeigt den wiederhergestellten Bestand nach dem Neuladen der Seite.")
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    if args.command == "backup":
        return cmd_backup(args)
    if args.command == "restore":
        return cmd_restore(args)
    store = Store()
    if args.command == "import":
        return cmd_import(args, store)
    if args.command == "show":
        return cmd_show(args, store)
    if args.command == "demo":
        return cmd_demo(args, store)
    if args.command == "rollback":
        return cmd_rollback(args, store)
    return cmd_history(store)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:  # Streamlit's options are Streamlit's to check, so they pass argparse by
        from lagebild.app import serve

        return serve.main(argv[1:])
    args = build_parser().parse_args(argv)
    if args.command == "template":
        return cmd_template(args)
    try:
        return run(args)
    except StoreUnavailable as exc:
        print(backup.cli_text(exc, settings.database_url()), file=sys.stderr)
        return EXIT_REJECTED
    except WriteFailed as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return EXIT_REJECTED

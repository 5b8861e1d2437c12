"""Daten as pure text: what the page says about an upload, its check, an import, a rollback and the Meldestand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from lagebild import settings
from lagebild.domain import measures as ms
from lagebild.intake import importer, review, templates
from lagebild.present import fmt, text
from lagebild.store import Rollback

TITLE = "Daten"
INTRO = (
    "Eigene Tabellen und amtliche Statistik einspielen, vor dem Übernehmen prüfen, frühere Importe "
    "zurücknehmen. Gelöscht wird nichts."
)
TABS = ["Hochladen", "Importe", "Meldestand", "Vorlagen"]
LIMIT_MB = importer.MAX_BYTES // (1024 * 1024)
UPLOAD_HELP = (
    f"CSV oder XLSX im Aufbau der Vorlage, eine **GENESIS-Tabelle** (CSV von regionalstatistik.de oder "
    f"GENESIS-Online), ein **GENESIS-Flatfile** (ffcsv) oder das **Gemeindeverzeichnis GV100AD** (Einwohner). Höchstens **{LIMIT_MB} MB** je Datei; "
    "größere Dateien bitte aufteilen, z. B. je Kennzahl oder Stichtag."
)
NO_IMPORT_ROLE = "Übernehmen und Zurücknehmen sind dieser Rolle nicht erlaubt; alle Seiten und Exporte stehen offen."
NO_FILE = "Noch keine Datei gewählt. Vorlagen gibt es im Reiter „Vorlagen“."
ASK_MEASURE = (
    "Bitte wählen, welche Kennzahl die Datei enthält. (Eine ausgefüllte Vorlage aus dem Reiter "
    "„Vorlagen“ erkennt der Import selbst an der Überschrift ihrer Wertespalte.)"
)
NO_IMPORTS = "Noch keine Importe."
BACKUP_HELP = "Sicherung mit `python -m lagebild backup`; täglich per cron oder systemd-Timer, siehe README „Betrieb“."
HISTORY_NOTE = (
    "Jede Zahl auf den Seiten stammt aus dem neuesten aktiven Import, der sie enthält; die Nummer steht "
    "in den Kennzahlen eines Kreises unter „Import (Nr.)“."
)
NO_STATUS = "Noch keine Daten: der Meldestand zeigt sich nach dem ersten Import."
TEMPLATES_INTRO = (
    "Vorlagen im Aufbau, den der Import liest: eine Zeile je Kreis (oder Gemeinde), Stichtag bzw. Monat, "
    "Wert. Die XLSX-Vorlage erklärt jede Spalte."
)
TEMPLATES_NOTE = (
    "Die Überschrift der Wertespalte nennt die Kennzahl; daran erkennt der Import eine ausgefüllte Vorlage, "
    "ohne nachzufragen. Bitte die Überschriften nicht ändern."
)
TEMPLATE_HELP = {
    templates.FTE_AND_HEADCOUNT: "VZÄ und Personen je Kreis in einer Datei. Beide werden zusammen geprüft (VZÄ höchstens "
    "so viele wie Personen) und als ein Import übernommen – unabhängig davon, was schon gespeichert ist.",
}


def accepted(import_id: int, parsed: importer.Parsed, measure: str) -> str:
    return (
        f"Import Nr. {import_id} übernommen: {fmt.count(len(parsed.rows), 'Wert', 'Werte')} für "
        f"{ms.label_of(parsed.measure or measure)} aus {text.markdown(parsed.file_name)}. Landesübersicht und Karte "
        "zeigen die neuen Zahlen."
    )


def not_accepted(problem: Exception) -> str:
    """The store refused the write: the file and every answer stay for a second try."""
    return (
        f"**Nicht übernommen.** {text.markdown(problem)} Datei und Angaben bleiben auf der Seite; "
        "„Übernehmen“ lässt sich wiederholen, sobald der Fehler behoben ist."
    )


def rolled_back(rolled: Rollback) -> str:
    return f"Import Nr. {rolled.import_id} ({text.markdown(rolled.file_name)}) zurückgenommen; frühere Werte gelten wieder."


def file_tag(sha256: str) -> str:
    """A short tag of the file's content (its SHA-256), so each new file gets fresh questions."""
    return sha256[:12]


def restored(file_name: str) -> str:
    return (
        f"Weiter mit der Datei „{text.markdown(file_name)}“ von vorhin: der Datenbestand war zwischendurch nicht "
        "lesbar, Datei und Angaben sind erhalten. Eine andere Datei oben wählen ersetzt sie."
    )


def measure_recognised(info: review.FileInfo) -> str:
    """The measure a template file names in its value column headers, and the headers it was recognised by."""
    columns = info.measure_columns
    return (
        f"**Kennzahl:** {ms.label_of(info.suggested_measure)}  \n"  # type: ignore[arg-type]
        f"erkannt an der {'Spalte' if len(columns) == 1 else 'Spalten'} "
        f"{' und '.join(f'„{text.markdown(c)}“' for c in columns)}"
    )


def measure_index(info: review.FileInfo) -> int | None:
    """The position of the suggested measure among the choices (ms.MEASURES), None when nothing is suggested."""
    return list(ms.MEASURES).index(info.suggested_measure) if info.suggested_measure else None


def column_choices(info: review.FileInfo) -> dict[int, str]:
    """The value columns to choose from, 1-based as the import counts them; empty when there is nothing to choose."""
    if len(info.series) <= 1:
        return {}
    return {i: f"{i}: {series}" for i, series in enumerate(info.series, start=1)}


def stichtag_label(info: review.FileInfo) -> str | None:
    """The Stichtag question, or None when the file cannot be read or a GENESIS file carries its own dates."""
    if info.refused or not (info.needs_stichtag or not info.kind.startswith("genesis")):
        return None
    if info.kind == "gv100ad":
        return "Stichtag der Einwohnerzahlen"
    return "Stichtag" if info.needs_stichtag else "Stichtag (nur falls die Datei keine Spalte hat)"


def asks_group(measure: str | None) -> bool:
    return measure is not None and ms.measures_in(measure)[0].kind is ms.Kind.FLOW


def measure_help(measure: str) -> str:
    return "  \n".join(f"**{m.label}:** {review.MEASURE_HELP[m.key]}" for m in ms.measures_in(measure))


@dataclass(frozen=True)
class Preview:
    """What the page says about a checked file before anything is written; None where there is nothing to say."""

    facts: str
    problems: str | None
    warnings: str | None
    notes: str | None
    duplicate: str | None
    comparison_title: str | None  # only for a file that can be accepted
    report_name: str


def preview(result: review.Check, file_name: str) -> Preview:
    parsed = result.parsed
    facts = [
        f"**Format:** {text.markdown(review.file_format_label(parsed))}",
        f"**Kodierung:** {text.markdown(parsed.encoding or '–')}",
        f"**Trennzeichen:** {('„' + text.markdown(parsed.separator) + '“') if parsed.separator else '–'}",
        f"**Zeilen verstanden:** {fmt.number(len(parsed.rows)) if parsed.ok else 0}",
        f"**SHA-256:** `{result.sha256[:12]}…`",
    ]
    if parsed.ok:
        facts.append(f"**Stand:** {review.stand_range(min(parsed.rows['date']), max(parsed.rows['date']))}")
    problems = None
    if parsed.problems:
        rest = parsed.unlisted()
        problems = (
            f"**{fmt.count(len(parsed.problems), 'Problem', 'Probleme')} – die Datei wird so nicht übernommen.** Bitte in der "
            "Datei korrigieren oder oben die fehlende Angabe wählen:\n\n"
            + "\n".join(f"- {text.markdown(p)}" for p in parsed.problems[: importer.MAX_LISTED])
            + (f"\n\n{text.markdown(rest)}" if rest else "")
        )
    warnings = None
    if result.warnings:
        warnings = (
            f"**{fmt.count(len(result.warnings), 'Warnung', 'Warnungen')}** – die Übernahme ist trotzdem möglich:\n\n"
            + "\n".join(f"- {text.markdown(w)}" for w in result.warnings)
        )
    notes = "\n".join(f"- {text.markdown(n)}" for n in parsed.notes) if parsed.notes else None
    comparison_title = (
        f"**Neue Werte neben den gespeicherten** ({fmt.count(len(result.comparison), 'Zeile', 'Zeilen')})"
        if parsed.ok
        else None
    )
    return Preview(
        " · ".join(facts),
        problems,
        warnings,
        notes,
        text.markdown(result.duplicate) if result.duplicate else None,
        comparison_title,
        f"pruefbericht_{file_name.rsplit('.', 1)[0]}.txt",
    )


def rollback_choices(hist: pd.DataFrame) -> dict[int, str]:
    """The active imports that can be rolled back, in the order of the history, as the list names them."""
    active = hist[hist["active"]]
    return {int(i): f"Nr. {int(i)}: {name}" for i, name in zip(active["id"], active["file_name"], strict=True)}


def rollback_warning(hist: pd.DataFrame, import_id: int) -> str:
    return text.markdown(review.rollback_preview(hist, import_id))


def rollback_confirm(import_id: int) -> str:
    return f"Ja, Import Nr. {import_id} zurücknehmen"


def status_caption(as_of: date) -> str:
    """How the Meldestand is judged: the newest value up to the Stand against the expected reporting cycle."""
    turnus = ", ".join(
        f"{ms.label_of(k)} {'monatlich' if m == 1 else f'alle {m} Monate'}" for k, m in settings.CADENCE_MONTHS.items()
    )
    return (
        f"Je Kreis und Kennzahl der neueste Wert bis zum Stand {fmt.day(as_of)} (Seitenleiste) und der "
        f"Wert, der nach dem erwarteten Turnus da sein sollte: {turnus}."
    )


def reminders_title(rows: int) -> str:
    return (
        f"**Fehlende Meldungen** ({fmt.count(rows, 'Zeile', 'Zeilen')}) – als Liste für die Erinnerung herunterladen:"
    )


def all_rows_title(rows: int) -> str:
    return f"Alle Kreise und Kennzahlen ({rows} Zeilen)"


def template_title(key: str) -> str:
    """A template's title and what it holds."""
    return f"**{templates.title(key)}** – {TEMPLATE_HELP.get(key) or review.MEASURE_HELP[key]}"

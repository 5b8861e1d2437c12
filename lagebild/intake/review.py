"""Around an import: the comparison with what is stored, warnings that do not block, the report, the history."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from lagebild.domain import measures as ms
from lagebild.domain.access import Principal
from lagebild.domain.regions import Regions
from lagebild.intake import genesis, gv100ad, importer
from lagebild.intake.importer import Parsed
from lagebild.present import fmt, text
from lagebild.store import ImportMeta, Store, sha256_of

# A new value this many times the previous one (or below its inverse) is worth a second look, not a refusal.
JUMP_FACTOR = 3.0
# A file with at least this share of the Kreise is meant to be complete: the missing ones are named.
COMPLETE_SHARE = 0.5

MEASURE_HELP = {
    "counsellors_fte": "Stellenumfang des Integrationsmanagements je Kreis zum Stichtag in Vollzeitäquivalenten "
    "(zwei halbe Stellen = 1,0 VZÄ).",
    "counsellors_headcount": "Personen (Köpfe) im Integrationsmanagement je Kreis zum Stichtag.",
    "refugees_in_care": "Geflüchtete, für die das Integrationsmanagement da ist, je Kreis zum Stichtag (Personen). "
    "Aus der amtlichen Statistik kommt Tabelle 12531 „Schutzsuchende“ dem am nächsten: Sie zählt alle Schutzsuchenden "
    "im Kreis, auch solche, die nicht (mehr) beraten werden, ist also eine Näherung nach oben; ihre Werte sind auf "
    "Vielfache von 5 gerundet.",
    "arrivals": "Zugänge je Kalendermonat und Kreis, getrennt nach Geflüchteten aus der Ukraine und Asylsuchenden (Personen).",
    "population": "Amtlicher Bevölkerungsstand je Kreis zum Stichtag (Personen), aus GENESIS-Tabelle 12411, Spalte "
    "„Insgesamt“, oder aus dem Gemeindeverzeichnis GV100AD (Summe der Gemeinden eines Kreises). Ab dem Stichtag "
    "rechnen alle Quoten je Einwohner mit diesen Zahlen, davor mit den früheren.",
}
TABLE_NOTES = {
    "12521": "Tabelle 12521 zählt Ausländerinnen und Ausländer nach Staatsangehörigkeit, nicht Geflüchtete. Als "
    "„Geflüchtete in Betreuung“ bitte nur übernehmen, wenn das wirklich gemeint ist.",
    "12531": "Tabelle 12531 zählt Schutzsuchende (Personen); vorgeschlagen ist die Kennzahl „Geflüchtete in Betreuung“ "
    "– bitte bestätigen.",
    "12411": "Tabelle 12411 ist der amtliche Bevölkerungsstand; vorgeschlagen ist die Kennzahl „Einwohner“. Bitte die "
    "Wertespalte „Insgesamt“ wählen. Ab ihrem Stichtag rechnen alle Quoten je Einwohner mit diesen Zahlen.",
}


@dataclass(frozen=True)
class FileInfo:
    """What the page must ask before validating: the format, the measure suggested, the value columns, the dates."""

    kind: str
    file_format: str
    suggested_measure: str | None = None
    series: list[str] = field(default_factory=list)
    needs_stichtag: bool = False
    note: str | None = None
    # The value column headers that named the measure (files from the templates): then nobody needs to be asked.
    measure_columns: list[str] = field(default_factory=list)
    # Refused by the checks before parsing (not a table, too large): no question needs an answer, the check says why.
    refused: bool = False

    @property
    def measure_is_named(self) -> bool:
        return bool(self.measure_columns)


@dataclass(frozen=True)
class Upload:
    """A file read once: its bytes and hash, the cheap checks with the decoded text, the official table parsed from it,
    and what the page must ask. Everything after this (questions, checks, the write) starts from here."""

    name: str
    data: bytes
    sha256: str
    screened: importer.Screened
    table: genesis.Table | gv100ad.Directory | None
    info: FileInfo


def open_upload(data: bytes, file_name: str, sha256: str | None = None) -> Upload:
    """Screens, decodes, detects the format and parses an official table, each once; sha256 if the caller has it."""
    screened = importer.screen(data, file_name)
    table = importer.read_official(screened)
    return Upload(
        file_name, data, sha256 or sha256_of(data), screened, table, _file_info(data, file_name, screened, table)
    )


def inspect(data: bytes, file_name: str) -> FileInfo:
    """A first look without validation, to choose the questions a user must answer."""
    return open_upload(data, file_name).info


def _file_info(
    data: bytes, file_name: str, screened: importer.Screened, table: genesis.Table | gv100ad.Directory | None
) -> FileInfo:
    kind = screened.kind
    if screened.problem is not None:
        return FileInfo(kind, "XLSX" if kind == "xlsx" else "CSV", refused=True)
    if isinstance(table, gv100ad.Directory):
        return FileInfo(kind, gv100ad.FORMAT, ms.POPULATION, needs_stichtag=True, note=directory_note(table))
    if not isinstance(table, genesis.Table):
        named, columns = importer.detect_measure(data, file_name, screened)
        return FileInfo(kind, "XLSX" if kind == "xlsx" else "CSV", named, measure_columns=columns)
    dated = table.stichtag is not None or (bool(table.series_dates) and all(table.series_dates))
    needs = (kind == "genesis-table" and not dated) or table.years_only
    note = next((text for code, text in TABLE_NOTES.items() if (table.code or "").startswith(code)), None)
    return FileInfo(kind, table.file_format, genesis.suggested_measure(table), table.series, needs, note)


def directory_note(directory: gv100ad.Directory) -> str:
    """What the page says about a Gemeindeverzeichnis before the Stichtag is asked: its Gebietsstand and why to ask."""
    return (
        f"Gemeindeverzeichnis GV100AD, Gebietsstand {fmt.day(directory.gebietsstand)}: übernommen werden die "
        "Einwohner je Kreis Baden-Württembergs als Summe seiner Gemeinden. Der Stichtag der Einwohnerzahlen steht "
        "nicht sicher in der Datei (Vierteljahresausgaben enthalten den Bevölkerungsstand eines früheren 31.12.); "
        "bitte ihn aus der Beschreibung der Ausgabe angeben."
    )


@dataclass
class Check:
    """Everything the preview shows before anything is written."""

    parsed: Parsed
    sha256: str
    warnings: list[str]
    duplicate: str | None
    comparison: pd.DataFrame
    report: str


@dataclass(frozen=True)
class Answers:
    """What the user said about a file (page questions or command-line options); frozen, so a cache can key on it."""

    measure: str | None = None
    stichtag: date | None = None
    group: str | None = None
    column: int | None = None
    source: str | None = None


def examine(
    store: Store, upload: Upload, answers: Answers, *, existing: pd.DataFrame, regs: Regions, today: date | None = None
) -> Check:
    """The one pipeline of page and command line: validates the read file with the answers, compares it with the store."""
    return check(
        store,
        upload,
        measure=answers.measure,
        existing=existing,
        regs=regs,
        stichtag=answers.stichtag,
        group=answers.group,
        column=answers.column,
        source=answers.source,
        today=today,
    )


def check(
    store: Store,
    data: bytes | Upload,
    file_name: str | None = None,
    *,
    measure: str | None,
    existing: pd.DataFrame,
    regs: Regions,
    stichtag: date | None = None,
    group: str | None = None,
    column: int | None = None,
    source: str | None = None,
    today: date | None = None,
) -> Check:
    """Reads and validates a file and compares it with the store; writes nothing."""
    upload = data if isinstance(data, Upload) else open_upload(data, file_name or "")
    parsed = importer.read_import(
        upload.data,
        upload.name,
        measure=measure,
        regs=regs,
        existing=existing,
        stichtag=stichtag,
        group=group,
        source=source,
        today=today,
        column=column,
        screened=upload.screened,
        table=upload.table,
    )
    digest = upload.sha256
    warns = warnings(parsed.rows, existing, regs) if parsed.ok else []
    duplicate = duplicate_notice(store.imports_with_same_values(parsed.rows)) if parsed.ok else None
    frame = comparison(parsed.rows, existing, regs) if parsed.ok else pd.DataFrame(columns=COMPARISON_COLUMNS)
    return Check(parsed, digest, warns, duplicate, frame, report(parsed, warns, duplicate, parsed.measure or measure))


COMPARISON_COLUMNS = [
    "AGS",
    "Region",
    "Stichtag",
    "Gruppe",
    "Neu",
    "Bisher",
    "Stand bisher",
    "Import bisher",
    "Veränderung",
]
# A file with several measures shows which measure each row is; a file with one says it above the table.
MEASURE_COLUMN = "Kennzahl"


def previous_values(rows: pd.DataFrame, existing: pd.DataFrame) -> pd.DataFrame:
    """Per new row the stored value it meets: the same Stand if stored, else the latest one before."""
    columns = ["old_value", "old_status", "old_date", "old_import"]
    if rows.empty or existing.empty:
        return pd.DataFrame(index=rows.index, columns=columns, dtype=object)
    stored = existing.sort_values("date", kind="stable")
    # One pass over plain lists: a file of 100,000 rows is compared in well under a second.
    by_cell: dict[tuple, tuple[list, list]] = {}
    import_ids = stored["import_id"] if "import_id" in stored.columns else [None] * len(stored)
    keys = zip(stored["measure"], stored["region"], stored["grp"], strict=True)
    for key, when, value, status, import_id in zip(
        keys, stored["date"], stored["value"], stored["status"], import_ids, strict=True
    ):
        dates, entries = by_cell.setdefault(key, ([], []))
        dates.append(when)
        entries.append((value, status, when, import_id))
    found = []
    for key, when in zip(zip(rows["measure"], rows["region"], rows["grp"], strict=True), rows["date"], strict=True):
        dates, entries = by_cell.get(key, ([], []))
        at = bisect.bisect_right(dates, when)
        found.append(entries[at - 1] if at else (None, None, None, None))
    return pd.DataFrame(found, index=rows.index, columns=columns, dtype=object)


def _value_text(value: object, status: object, decimals: int) -> str:
    if fmt.is_missing(value):
        return f"nicht verfügbar ({status})" if isinstance(status, str) and status else fmt.NO_DATA
    return fmt.number(value, decimals)


def comparison(rows: pd.DataFrame, existing: pd.DataFrame, regs: Regions) -> pd.DataFrame:
    """Each new value beside the value stored now, German formatted, Kreise first then Gemeinden."""
    if rows.empty:
        return pd.DataFrame(columns=COMPARISON_COLUMNS)
    prev = previous_values(rows, existing)
    records = []
    for r, p in zip(rows.to_dict("records"), prev.to_dict("records"), strict=True):
        m = ms.measure(r["measure"])
        change = ""
        if not fmt.is_missing(r["value"]) and not fmt.is_missing(p["old_value"]):
            change = fmt.signed(r["value"] - p["old_value"], m.decimals)
            if p["old_value"]:
                change += f" ({fmt.signed((r['value'] / p['old_value'] - 1) * 100, 0)} %)"
        records.append(
            [
                r["region"],
                regs.display_name(r["region"]),
                fmt.month(r["date"]) if m.kind is ms.Kind.FLOW else fmt.day(r["date"]),
                ms.GROUP_LABELS.get(r["grp"], r["grp"]),
                _value_text(r["value"], r["status"], m.decimals),
                _value_text(p["old_value"], p["old_status"], m.decimals) if isinstance(p["old_date"], date) else "–",
                fmt.day(p["old_date"]) if isinstance(p["old_date"], date) else "",
                f"Nr. {int(p['old_import'])}" if not fmt.is_missing(p["old_import"]) else "",
                change,
                m.label,
            ]
        )
    frame = pd.DataFrame(records, columns=[*COMPARISON_COLUMNS, MEASURE_COLUMN])
    frame["_level"] = frame["AGS"].str.len()
    frame = (
        frame.sort_values(["_level", "AGS", "Stichtag"], kind="stable").drop(columns="_level").reset_index(drop=True)
    )
    if rows["measure"].nunique() == 1:
        return frame.drop(columns=MEASURE_COLUMN)
    return frame[["AGS", "Region", MEASURE_COLUMN, *COMPARISON_COLUMNS[2:]]]


def warnings(rows: pd.DataFrame, existing: pd.DataFrame, regs: Regions) -> list[str]:
    """Reasons to look twice that do not block: jumps, a Kreis missing from a nearly complete file, an older Stichtag."""
    out: list[str] = []
    for _, part in rows.groupby("measure", sort=False):
        out += _measure_warnings(part, existing, regs)
    return out


def _measure_warnings(rows: pd.DataFrame, existing: pd.DataFrame, regs: Regions) -> list[str]:
    m = ms.measure(rows["measure"].iloc[0])
    out = []
    prev = previous_values(rows, existing)
    for r, p in zip(rows.to_dict("records"), prev.to_dict("records"), strict=True):
        old, new = p["old_value"], r["value"]
        if fmt.is_missing(old) or fmt.is_missing(new) or old <= 0:
            continue
        if new > JUMP_FACTOR * old or new < old / JUMP_FACTOR:
            kind = "mehr als das Dreifache" if new > old else "weniger als ein Drittel"
            out.append(
                f"{regs.display_name(r['region'])} ({r['region']}), {fmt.day(r['date'])}: {fmt.number(new, m.decimals)} "
                f"ist {kind} des bisherigen Werts {fmt.number(old, m.decimals)} (Stand "
                f"{fmt.day(p['old_date'])}, Import Nr. {int(p['old_import'])})."
            )

    kreise = rows[rows["region"].isin(regs.kreis_keys)]
    for (when, grp), group in kreise.groupby(["date", "grp"]):
        present = set(group["region"])
        if COMPLETE_SHARE * len(regs.kreis_keys) <= len(present) < len(regs.kreis_keys):
            missing = [regs.display_name(k) for k in regs.kreis_keys if k not in present]
            label = fmt.month(when) if m.kind is ms.Kind.FLOW else fmt.day(when)
            group_text = f", {ms.GROUP_LABELS[grp]}" if grp != ms.TOTAL else ""
            out.append(
                f"{label}{group_text}: es fehlen {len(missing)} von {len(regs.kreis_keys)} Kreisen: {', '.join(missing)}."
            )

    stored = existing[existing["measure"] == m.key] if not existing.empty else existing
    if not stored.empty:
        newest = max(stored["date"])
        older = sorted(d for d in set(rows["date"]) if d < newest)
        if older:
            out.append(
                f"Stichtag {', '.join(fmt.day(d) for d in older)} ist älter als der neueste gespeicherte Stand dieser "
                f"Kennzahl ({fmt.day(newest)}): die Werte ändern nur frühere Stände, nicht die aktuelle Übersicht."
            )
    return out


def duplicate_notice(earlier: pd.DataFrame) -> str | None:
    """Says which earlier imports hold the same values (whatever their bytes), and whether they still count."""
    if earlier.empty:
        return None
    parts = [
        f"Import Nr. {r.id} ({r.file_name}) vom {r.created_at:%d.%m.%Y %H:%M} UTC ({'aktiv' if r.active else 'zurückgenommen'})"
        for r in earlier.itertuples()
    ]
    return (
        f"Diese Werte wurden schon übernommen – dieselbe Kennzahl, dieselben Schlüssel, Stichtage und Werte: "
        f"{'; '.join(parts)}. Erneut übernehmen nur nach Bestätigung."
    )


def report(parsed: Parsed, warns: list[str], duplicate: str | None, measure: str | None) -> str:
    """The validation report as a user downloads it: what was read, every problem, every warning."""
    what = " und ".join(ms.label_with_unit(m) for m in ms.measures_in(measure)) if measure else "nicht erkannt"
    lines = ["Prüfbericht – Lagebild Integrationsmanagement BW", f"Kennzahl: {what}", parsed.report()]
    if duplicate:
        lines.append(f"Hinweis: {text.plain(duplicate)}")
    if warns:
        lines.append(f"{fmt.count(len(warns), 'Warnung', 'Warnungen')}, die die Übernahme nicht verhindern:")
        lines += [f"  Warnung: {text.plain(w)}" for w in warns]
    return "\n".join(lines) + "\n"


def file_format_label(parsed: Parsed) -> str:
    return (
        parsed.file_format
        + (f" {parsed.table_code}" if parsed.table_code else "")
        + (f", Wertespalte {parsed.column}" if parsed.column and len(parsed.series) > 1 else "")
    )


def accept(
    store: Store, parsed: Parsed, data: bytes, measure: str | None, by: Principal, sha256: str | None = None
) -> int:
    """Writes a checked file as one import (one for all its measures) in the name of `by`; the caller has made sure
    parsed.ok. The store refuses it whole (access.AccessDenied) if `by` may not write all of its regions."""
    if not parsed.ok:
        raise ValueError("Eine Datei mit Problemen wird nicht übernommen.")
    meta = ImportMeta(
        parsed.file_name,
        sha256 or sha256_of(data),
        parsed.measure or measure or "",
        str(parsed.rows["source"].iloc[0]),
        file_format=file_format_label(parsed),
    )
    return store.write_import(parsed.rows, meta, by)


# Status next to the number: the column a reader looks for must not hide behind a horizontal scroll at 1280 px.
HISTORY_COLUMNS = [
    "Nr.",
    "Status",
    "Kennzahl",
    "Stand",
    "Datei",
    "Zeilen",
    "Zeit (UTC)",
    "Benutzer",
    "Format",
    "SHA-256",
]


def user_label(name: object) -> str:
    """Who did it: the person signed in, or "Kommandozeile (Benutzer …)" (migration 0004 wrote older names so)."""
    return name if isinstance(name, str) and name else "unbekannt"


def measure_label(key: object) -> str:
    try:
        return ms.label_of(str(key))
    except KeyError:
        return str(key)


def stand_range(first: object, last: object) -> str:
    if not isinstance(first, date):
        return "–"
    return fmt.day(first) if first == last else f"{fmt.day(first)}–{fmt.day(last)}"  # type: ignore[arg-type]


def status_text(active: bool, rolled_back_at: object, rolled_back_by: object, is_demo: bool) -> str:
    if active:
        text = "aktiv"
    else:
        text = "zurückgenommen"
        if isinstance(rolled_back_at, pd.Timestamp) and not pd.isna(rolled_back_at):
            text += f" am {rolled_back_at:%d.%m.%Y %H:%M}"
        if isinstance(rolled_back_by, str) and rolled_back_by:
            text += f" von {user_label(rolled_back_by)}"
    return text + (" (Beispieldaten)" if is_demo else "")


def history_table(hist: pd.DataFrame) -> pd.DataFrame:
    """Every import as the CLI and the Daten page show it, newest first."""
    rows = [
        [
            int(r.id),
            status_text(bool(r.active), r.rolled_back_at, r.rolled_back_by, bool(r.is_demo)),
            measure_label(r.measure),
            stand_range(r.stand_from, r.stand_to),
            r.file_name,
            fmt.number(r.row_count),
            f"{r.created_at:%d.%m.%Y %H:%M}",
            user_label(r.user_name),
            r.file_format if isinstance(r.file_format, str) else "",
            r.sha256[:12],
        ]
        for r in hist.itertuples()
    ]
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS).iloc[::-1].reset_index(drop=True)


def rollback_preview(hist: pd.DataFrame, import_id: int) -> str:
    """What a rollback will do, in a sentence to confirm."""
    r = hist.set_index("id").loc[import_id]
    return (
        f"Import Nr. {import_id} ({r['file_name']}, {fmt.count(int(r['row_count']), 'Wert', 'Werte')} {measure_label(r['measure'])}, Stand "
        f"{stand_range(r['stand_from'], r['stand_to'])}) zählt danach nicht mehr. Wo ältere Importe dieselben "
        "Zellen enthalten, gelten wieder deren Werte. Gelöscht wird nichts; die Rücknahme wird protokolliert."
    )

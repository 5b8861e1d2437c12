"""The two GENESIS export shapes (Regionalstatistik table CSV, flat-file ffcsv) read into plain rows for validation."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

TABLE_MARK = "GENESIS-Tabelle"
TABLE_FORMAT = "GENESIS-Tabelle (CSV)"
FLAT_FORMAT = "GENESIS-Flatfile (ffcsv)"
SEPARATOR = ";"

# The first data row is found by its key, never by a fixed number of header lines:
# header blocks differ between tables. 9 digits are Gemeindeverbände.
KEY = re.compile(r"^(DG|\d{2}|\d{3}|\d{5}|\d{8}|\d{9}|\d{12})$")
FOOTER_RULE = re.compile(r"^_{5,}")
FULL_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DAY_MONTH = re.compile(r"Stichtag:?\s*(\d{1,2})\.(\d{1,2})\.(?!\d)")
YEAR = re.compile(r"^(19|20)\d{2}$")
STAND = re.compile(r"^Stand:\s*(.+)$")
BW = "08"
# Regional variables of GENESIS-Online; the Zensus database names them GEO…; others are found by key-shaped codes.
REGIONAL_VARIABLES = {"DINSG", "DLAND", "REGBEZ", "KREISE", "GEMEIN", "GEMVBD"}
# Time variables: their codes may look like keys, but they never name a region.
NOT_REGIONAL = {"STAG", "JAHR", "MONAT"}
QUALITY = {"e": "endgültig", "p": "vorläufig", "v": "vorläufig", "r": "berichtigt", "s": "geschätzt"}
CODES = ("-", ".", "x", "/", "...", "…")
LEVEL_NAMES = {2: "Land", 3: "Regierungsbezirk", 5: "Kreis", 8: "Gemeinde", 9: "Gemeindeverband", 12: "Gemeinde"}
LICENCE = "Datenlizenz Deutschland – Namensnennung – Version 2.0"


@dataclass(frozen=True)
class Row:
    """One region's line: key and name as written, the value text of each series (None: not in that series), its time."""

    line: int
    key: str
    name: str
    values: tuple[str | None, ...]
    time: str = ""


@dataclass
class Table:
    """A GENESIS file as understood: metadata, the series a user may pick, and the rows for BW."""

    file_format: str
    code: str | None = None
    title: str | None = None
    stichtag: date | None = None
    stand: str | None = None
    series: list[str] = field(default_factory=list)
    series_dates: list[date | None] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    errors: list[tuple[str, int | None]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # An ffcsv whose time is a year only (time_code JAHR): the Stichtag must come from the user.
    years_only: bool = False

    def source(self) -> str:
        parts = ["Statistische Ämter des Bundes und der Länder"]
        if self.code:
            parts.append(f"Tabelle {self.code}")
        if self.title:
            parts.append(self.title)
        if self.stand:
            parts.append(f"Stand {self.stand}")
        return ", ".join(parts) + f"; {LICENCE}"


def is_table(text: str) -> bool:
    return text.lstrip("\ufeff").lstrip().startswith(TABLE_MARK)


def is_flat(text: str) -> bool:
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    columns = [c.strip().strip('"') for c in first.split(SEPARATOR)]
    return "value" in columns and "time" in columns and any(c.endswith("_variable_code") for c in columns)


def parse_day(text: str) -> date | None:
    """'31.12.2023' anywhere in the text, or an ISO date."""
    text = text.strip()
    try:
        if m := FULL_DATE.search(text):
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if m := ISO_DATE.match(text):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return None


class Outside:
    """Counts what is dropped because it lies outside BW, for one note."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.gemeindeverbaende = 0

    def keep(self, key: str) -> bool:
        """BW rows go on to validation, which knows every BW key; the rest of Germany is counted and dropped."""
        if key == "DG" or (key.isdigit() and not key.startswith(BW)):
            level = "Deutschland" if key == "DG" else LEVEL_NAMES.get(len(key), f"{len(key)}-stelliger Schlüssel")
            self.counts[level] = self.counts.get(level, 0) + 1
            return False
        if key.isdigit() and len(key) == 9:
            self.gemeindeverbaende += 1
            return False
        return True

    def notes(self) -> list[str]:
        notes = []
        if self.counts:
            parts = ", ".join(f"{n} × {level}" for level, n in self.counts.items())
            notes.append(f"Zeilen außerhalb Baden-Württembergs ignoriert: {parts}")
        if self.gemeindeverbaende:
            notes.append(f"{self.gemeindeverbaende} Zeile(n) mit Gemeindeverbänden (9 Stellen) ignoriert")
        return notes


UNREADABLE_CELL = (
    'die Zeile ist als CSV nicht lesbar: eine Zelle ist länger als 128 KiB, ihr Anführungszeichen („"“) '
    "wird nie geschlossen oder steht mitten in der Zelle; bitte die Zelle prüfen"
)


class Unreadable(ValueError):
    """A record the csv module cannot read: a cell beyond its 128 KiB, or a quote that is never closed."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line
        self.message = UNREADABLE_CELL


def _records(text: str) -> list[tuple[int, list[str]]]:
    """(first line, cells) per record; a quoted cell may span lines, so the csv reader keeps the count."""
    reader = csv.reader(io.StringIO(text), delimiter=SEPARATOR, strict=True)
    out = []
    start = 1
    try:
        for cells in reader:
            out.append((start, cells))
            start = reader.line_num + 1
    except csv.Error:
        raise Unreadable(start) from None
    return out


def _leading_empty(cells: list[str]) -> int:
    n = 0
    for c in cells:
        if c.strip():
            break
        n += 1
    return n


def read_table(text: str) -> Table:
    """A Regionalstatistik/GENESIS-Online table CSV: header block, key in column 1, footer after a rule."""
    table = Table(TABLE_FORMAT)
    lines = text.lstrip("\ufeff").splitlines()
    first = lines[0].split(SEPARATOR)[0] if lines else ""
    table.code = (first.split(":", 1)[1].strip() or None) if ":" in first else None
    footer_at = next((i for i, line in enumerate(lines) if FOOTER_RULE.match(line.strip())), len(lines))
    for note in lines[footer_at + 1 :]:
        if m := STAND.match(note.strip().strip('"')):
            table.stand = m.group(1).strip()
    try:
        records = _records("\n".join(lines[:footer_at]))
    except Unreadable as exc:
        table.errors.append((exc.message, exc.line))
        return table

    first_data = next((i for i, (_, cells) in enumerate(records) if cells and KEY.match(cells[0].strip())), None)
    if first_data is None:
        table.errors.append(
            ("keine Datenzeile gefunden: keine Zeile beginnt mit einem Regionalschlüssel (DG, 08, 081, 08111 …)", None)
        )
        return table
    head = [cells for _, cells in records[1:first_data]]
    if head and head[0] and head[0][0].strip():
        table.title = head[0][0].strip()
    # Column headings sit in rows that start with empty label cells; the rest of the block is prose.
    column_rows = [cells for cells in head if cells and not cells[0].strip() and any(c.strip() for c in cells)]
    table.stichtag = _stichtag_from_text([cells[0].strip() for cells in head if cells and cells[0].strip()])

    body = records[first_data:]
    width = max(len(cells) for _, cells in body)
    n_labels = max(2, min(min((_leading_empty(c) for c in column_rows), default=2), width - 1))
    labels, dates = [], []
    for col in range(n_labels, width):
        parts: list[str] = []
        for cells in column_rows:
            cell = cells[col].strip() if col < len(cells) else ""
            if cell and cell not in parts:
                parts.append(cell)
        labels.append(" / ".join(parts) or f"Spalte {col + 1}")
        dates.append(next((d for d in map(parse_day, parts) if d is not None), None))

    outside = Outside()
    kept: list[tuple[int, str, str, tuple[str, ...], list[str]]] = []
    combos: list[tuple[str, ...]] = []
    for line, cells in body:
        if not any(c.strip() for c in cells):
            continue
        key = cells[0].strip()
        if not outside.keep(key):
            continue
        # Further label columns (e.g. Schulart) split a region into several rows: each is its own series.
        combo = tuple(c.strip() for c in cells[2:n_labels])
        if combo not in combos:
            combos.append(combo)
        values = [cells[c].strip() if c < len(cells) else "" for c in range(n_labels, width)]
        kept.append((line, key, cells[1].strip() if len(cells) > 1 else "", combo, values))

    series = [(c, combo) for combo in (combos or [()]) for c in range(len(labels))]
    table.series = [labels[c] + (f" · {' / '.join(combo)}" if any(combo) else "") for c, combo in series]
    table.series_dates = [dates[c] for c, _ in series]
    for line, key, name, combo, values in kept:
        table.rows.append(Row(line, key, name, tuple(values[c] if combo == s else None for c, s in series)))
    table.notes += outside.notes()
    return table


def _stichtag_from_text(rows: list[str]) -> date | None:
    """A full date in the header block, or 'Stichtag 31.12.' plus a row holding only the year."""
    for text in rows:
        if (d := parse_day(text)) is not None:
            return d
    day_month = next((m for m in map(DAY_MONTH.search, rows) if m), None)
    year = next((t for t in rows if YEAR.match(t)), None)
    if day_month and year:
        try:
            return date(int(year), int(day_month.group(2)), int(day_month.group(1)))
        except ValueError:
            return None
    return None


def read_flat(text: str) -> Table:
    """A GENESIS flat file: one value per row, the region as one of the N_variable columns."""
    table = Table(FLAT_FORMAT)
    try:
        records = _records(text.lstrip("\ufeff"))
    except Unreadable as exc:
        table.errors.append((exc.message, exc.line))
        return table
    header = [c.strip() for c in records[0][1]] if records else []
    col = {name: i for i, name in enumerate(header)}
    missing = [name for name in ("time", "value") if name not in col]
    if missing:
        table.errors.append((f"Spalte(n) {', '.join(missing)} fehlen in der Kopfzeile des GENESIS-Flatfiles", 1))
        return table
    variables = sorted(int(n.split("_", 1)[0]) for n in header if re.match(r"^\d+_variable_code$", n))
    body = [(line, cells) for line, cells in records[1:] if any(c.strip() for c in cells)]

    def get(cells: list[str], name: str) -> str:
        i = col.get(name)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    regional = _regional_variable(body, variables, get)
    if regional is None:
        codes = ", ".join(sorted({get(c, f"{n}_variable_code") for _, c in body for n in variables} - {""}))
        table.errors.append(
            (
                f"keine regionale Variable gefunden (erwartet KREISE, GEMEIN oder GEO…; die Datei hat: "
                f"{codes or 'keine'})",
                1,
            )
        )
        return table
    others = [n for n in variables if n != regional]
    if body:
        table.code = get(body[0][1], "statistics_code") or None
        table.title = get(body[0][1], "statistics_label") or None

    outside = Outside()
    idents: list[tuple[str, ...]] = []
    kept: list[tuple[int, list[str], int]] = []
    quality: dict[str, int] = {}
    for line, cells in body:
        if not outside.keep(get(cells, f"{regional}_variable_attribute_code")):
            continue
        # Every other variable, the value variable and its unit tell one series from another (e.g. '%' beside 'Anzahl').
        ident = (
            get(cells, "value_variable_code"),
            get(cells, "value_unit"),
            *(get(cells, f"{n}_variable_attribute_code") for n in others),
        )
        if ident not in idents:
            idents.append(ident)
            label = get(cells, "value_variable_label") or get(cells, "value_variable_code") or "Wert"
            unit = get(cells, "value_unit")
            dims = [
                f"{get(cells, f'{n}_variable_label')}: {get(cells, f'{n}_variable_attribute_label')}" for n in others
            ]
            table.series.append(label + (f" ({unit})" if unit else "") + "".join(f" · {d}" for d in dims))
        if (q := get(cells, "value_q")) in QUALITY:
            quality[q] = quality.get(q, 0) + 1
        kept.append((line, cells, idents.index(ident)))

    times = sorted({get(cells, "time") for _, cells, _ in kept})
    table.years_only = bool(times) and all(YEAR.match(t) for t in times)
    table.series_dates = [None] * len(table.series)
    for line, cells, s in kept:
        value = get(cells, "value")
        if not value and get(cells, "value_q") in CODES:
            value = get(cells, "value_q")  # some exports carry the missing-value sign in the quality column
        values = tuple(value if i == s else None for i in range(len(table.series)))
        table.rows.append(
            Row(
                line,
                get(cells, f"{regional}_variable_attribute_code"),
                get(cells, f"{regional}_variable_attribute_label"),
                values,
                get(cells, "time"),
            )
        )
    if table.years_only:
        table.notes.append(f"Die Datei nennt nur Jahre ({', '.join(times)}), keinen Stichtag.")
    table.notes += outside.notes()
    if quality:
        table.notes.append(
            "Qualitätskennzeichen: " + ", ".join(f"{n} × {q} ({QUALITY[q]})" for q, n in sorted(quality.items()))
        )
    return table


def _regional_variable(
    body: list[tuple[int, list[str]]], variables: list[int], get: Callable[[list[str], str], str]
) -> int | None:
    for n in variables:
        codes = {get(cells, f"{n}_variable_code") for _, cells in body}
        if codes & REGIONAL_VARIABLES or any(c.startswith("GEO") for c in codes):
            return n
    for n in variables:
        codes = {get(cells, f"{n}_variable_code") for _, cells in body}
        if codes & NOT_REGIONAL:
            continue
        keys = {get(cells, f"{n}_variable_attribute_code") for _, cells in body}
        if keys and all(KEY.match(k) for k in keys):
            return n
    return None


def suggested_measure(table: Table) -> str | None:
    """Table 12531 counts Schutzsuchende: persons, the nearest official figure to refugees in care; table 12411 is the
    Bevölkerungsstand, the base of every rate per inhabitant."""
    text = f"{table.code or ''} {table.title or ''}"
    if (table.code or "").startswith("12531") or "Schutzsuchende" in text:
        return "refugees_in_care"
    if (table.code or "").startswith("12411") or "Bevölkerungsstand" in text:
        return "population"
    return None

"""Reading and validating import files (CSV, XLSX, GENESIS table and flat file): accepted whole or rejected whole."""

from __future__ import annotations

import csv
import dataclasses
import io
import math
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from lagebild.domain import measures as ms
from lagebild.domain.regions import Level, Regions, UnknownRegion
from lagebild.intake import genesis, gv100ad
from lagebild.present import fmt, text
from lagebild.settings import EARLIEST_DATE_YEAR

COL_KEY = "Regionalschlüssel"
COL_NAME = "Region"
COL_DATE = "Stichtag"
COL_MONTH = "Monat"
COL_GROUP = "Gruppe"
COL_VALUE = "Wert"
COL_SOURCE = "Quelle"
KNOWN_COLUMNS = (COL_KEY, COL_NAME, COL_DATE, COL_MONTH, COL_GROUP, COL_VALUE, COL_SOURCE)
EXAMPLE_MARK = "BEISPIEL – Zeile löschen"

# GENESIS codes: '-' is a true zero; the others mean the value is not available.
ZERO_CODE = "-"
UNAVAILABLE_CODES = (".", "x", "/", "...", "…")
GROUP_ALIASES = {
    "ukraine": "ukraine",
    "ukr": "ukraine",
    "ua": "ukraine",
    "geflüchtete aus der ukraine": "ukraine",
    "asyl": "asyl",
    "asylsuchende": "asyl",
    "asylbewerber": "asyl",
    "insgesamt": ms.TOTAL,
    "gesamt": ms.TOTAL,
    "": ms.TOTAL,
}
# A value column may name its measure (the templates do), so a file says what it holds and can hold two measures.
MEASURE_COLUMNS = {m.label.casefold(): m.key for m in ms.MEASURES.values()}
MOJIBAKE = re.compile("Ã[¤¶¼Ÿ„–œ©]|â€|Ã\u009f|Ã\u0096|Ã\u009c")
MAX_BYTES = 20 * 1024 * 1024
# Limits checked before a file is parsed, so any file up to MAX_BYTES is decided in seconds and bounded memory.
# 100,000 rows is far above the 1,101 Gemeinden times any number of Stände in one file (and above every German
# Gemeinde of a GENESIS table), far below the million rows that took half a minute.
MAX_ROWS = 40_000
MAX_COLUMNS = 500
MAX_LINE_CHARS = 50_000
# What an XLSX (a ZIP archive) may unpack to; a legitimate sheet of MAX_ROWS rows needs less than half of it.
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
# What openpyxl may parse, counted as '<' in the unpacked XML: a template row of seven cells needs about 30.
MAX_XML_TAGS = 3_000_000
# openpyxl reads a string written into the cell (<is>, as openpyxl and pandas write them) about as slowly as 40 elements;
# Excel's shared strings cost no more than any element.
INLINE_STRING_WEIGHT = 40
# The store's text columns hold 500 characters; a longer cell is refused here, with its row, not at writing.
MAX_CELL_CHARS = 500
# How many problems a report lists; the rest are counted.
MAX_LISTED = 50


@dataclass(frozen=True)
class Problem:
    """One reason to reject a file, in German, with where it is."""

    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"Zeile {self.row}")
        if self.column:
            where.append(f"Spalte „{self.column}“")
        if self.value is not None:
            where.append(f"Wert „{visible(self.value)}“")
        return f"{', '.join(where)}: {self.message}" if where else self.message


def visible(text: str, limit: int = 80) -> str:
    """A cell as a message may quote it: control characters (a terminal's escape sequences) written out, long ones cut."""
    shown = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text[: limit + 1])
    return shown[:limit] + "…" if len(text) > limit or len(shown) > limit else shown


@dataclass
class Parsed:
    """What a file was understood as; rows are only valid when problems is empty."""

    file_name: str
    file_format: str
    encoding: str | None = None
    separator: str | None = None
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # GENESIS files: table code and title, the value columns to choose from and the one chosen (1-based),
    # the Stichtag the file carries, and the measure its content suggests.
    table_code: str | None = None
    title: str | None = None
    series: list[str] = field(default_factory=list)
    column: int | None = None
    file_stichtag: date | None = None
    suggested_measure: str | None = None
    # The measure key the rows belong to (joined for a file with several measure columns) and, when the file
    # named it itself, the column headers it was recognised by.
    measure: str | None = None
    measure_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def unlisted(self) -> str | None:
        """The sentence that counts the problems beyond the first MAX_LISTED, which are all a report lists."""
        rest = len(self.problems) - MAX_LISTED
        if rest <= 0:
            return None
        return (
            f"… und {fmt.count(rest, 'weiteres Problem', 'weitere Probleme')}; aufgeführt sind die ersten "
            f"{MAX_LISTED}. Oft haben alle dieselbe Ursache – bitte diese beheben und die Datei erneut prüfen."
        )

    def report(self) -> str:
        lines = [
            f"Datei: {self.file_name} ({self.file_format}"
            + (f", {self.encoding}" if self.encoding else "")
            + (f", Trennzeichen „{self.separator}“" if self.separator else "")
            + ")"
        ]
        if self.table_code or self.title:
            lines.append(f"Tabelle: {' – '.join(t for t in (self.table_code, self.title) if t)}")
        if self.column is not None and len(self.series) > 1:
            lines.append(f"Wertespalte {self.column}: {self.series[self.column - 1]}")
        if self.problems:
            lines.append(f"{fmt.count(len(self.problems), 'Problem', 'Probleme')} – die Datei wurde nicht übernommen:")
            lines += [f"  {visible(self.file_name)}: {p}" for p in self.problems[:MAX_LISTED]]
            if rest := self.unlisted():
                lines.append(f"  {rest}")
        else:
            lines.append(f"{fmt.count(len(self.rows), 'Zeile', 'Zeilen')} verstanden.")
        lines += [f"  Hinweis: {n}" for n in self.notes]
        # One line each: a break or a terminal escape in a file name or a value stays inside its line.
        return "\n".join(text.plain(line) for line in lines)


LONE_CR = re.compile(r"\r(?!\n)")
# What the first bytes of files mistaken for a table say they are.
SIGNATURES = {
    b"\x89PNG": "ein PNG-Bild",
    b"\xff\xd8\xff": "ein JPEG-Bild",
    b"GIF8": "ein GIF-Bild",
    b"%PDF": "ein PDF-Dokument",
    b"\xd0\xcf\x11\xe0": "eine Arbeitsmappe im alten Excel-Format (.xls)",
    b"Rar!": "ein RAR-Archiv",
    b"\x1f\x8b": "ein gzip-Archiv",
    b"7z\xbc\xaf": "ein 7-Zip-Archiv",
}
SAVE_AS = "Bitte in Excel als „CSV UTF-8 (durch Trennzeichen getrennt)“ oder „Excel-Arbeitsmappe (*.xlsx)“ speichern."


def decode(data: bytes) -> tuple[str, str]:
    """UTF-16 (Excel's "Unicode-Text"), UTF-8 with or without BOM, Windows-1252 as the fallback of German Excel.

    Line ends of Windows, Unix and classic Mac (CR only) all become "\n"; a lone CR inside a line becomes a space, as a
    spreadsheet shows it.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = data.decode("utf-16", errors="replace"), "UTF-16"
    elif (order := _utf16_without_bom(data)) is not None:
        text, encoding = data.decode(order, errors="replace"), "UTF-16"
    elif data.startswith(b"\xef\xbb\xbf"):
        text, encoding = data[3:].decode("utf-8", errors="replace"), "UTF-8 mit BOM"
    else:
        try:
            text, encoding = data.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            text, encoding = data.decode("cp1252", errors="replace"), "Windows-1252"
    if "\r" in text:
        text = text.replace("\r", "\n") if "\n" not in text else LONE_CR.sub(" ", text.replace("\r\n", "\n"))
    return text, encoding


def _utf16_without_bom(data: bytes) -> str | None:
    """Text in UTF-16 has a zero byte beside every ASCII character: on the odd bytes little-endian, the even ones big."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > len(sample) // 4 and even == 0:
        return "utf-16-le"
    if even > len(sample) // 4 and odd == 0:
        return "utf-16-be"
    return None


@dataclass(frozen=True)
class Screened:
    """A file after the cheap checks that come before any parsing: its format, its text, or the reason to refuse it."""

    kind: str
    text: str = ""
    encoding: str | None = None
    separator: str | None = None
    problem: Problem | None = None


def screen(data: bytes, file_name: str) -> Screened:
    """Refuses what cannot be a table, and what would take unbounded time or memory, before anything is parsed."""
    kind = detect_format(data, file_name) if data.strip() else "csv"
    if len(data) > MAX_BYTES:
        return Screened(
            kind,
            problem=Problem(
                f"Die Datei ist {fmt.number(len(data) / 1024 / 1024, 1)} MB groß; erlaubt sind höchstens "
                f"{MAX_BYTES // (1024 * 1024)} MB. Bitte aufteilen, z. B. je Kennzahl oder Stichtag."
            ),
        )
    if not data.strip():
        return Screened(kind, problem=Problem("Die Datei ist leer."))
    if what := next((name for sig, name in SIGNATURES.items() if data.startswith(sig)), None):
        return Screened(kind, problem=Problem(f"Die Datei ist {what}, keine Tabelle. {SAVE_AS}"))
    if kind == "xlsx":
        return Screened(kind, problem=_screen_xlsx(data))
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")) and _utf16_without_bom(data) is None:
        return Screened(
            kind, problem=Problem(f"Die Datei enthält Binärdaten (Null-Bytes), sie ist keine Textdatei. {SAVE_AS}")
        )
    text, encoding = decode(data)
    sample = text[:65536]
    controls = sum(1 for c in sample if c < " " and c not in "\t\n")
    if controls > max(8, len(sample) // 100) or "\x00" in text:
        return Screened(
            kind,
            problem=Problem(
                f"Die Datei enthält Steuer- oder Binärzeichen statt Text, sie ist keine CSV-Datei. {SAVE_AS}"
            ),
        )
    separator = (
        genesis.SEPARATOR if kind.startswith("genesis") else None if kind == "gv100ad" else sniff_separator(text)
    )
    screened = Screened(kind, text, encoding, separator)
    lines = text.count("\n") + 1
    # A GENESIS table adds a header block and a footer to its rows.
    if lines > MAX_ROWS + 1000:
        return dataclasses.replace(
            screened,
            text="",
            problem=Problem(
                f"Die Datei hat {fmt.number(lines)} Zeilen; gelesen werden höchstens {fmt.number(MAX_ROWS)} Zeilen je Datei "
                "(alle Gemeinden mehrerer Stichtage passen hinein). Bitte aufteilen, z. B. je Kennzahl oder Stichtag."
            ),
        )
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            return dataclasses.replace(
                screened,
                text="",
                problem=Problem(
                    f"die Zeile hat {fmt.number(len(line))} Zeichen; erlaubt sind höchstens {fmt.number(MAX_LINE_CHARS)}. "
                    "Ist das wirklich eine Tabelle (Zeilenumbrüche fehlen oder eine Zelle ist riesig)?",
                    number,
                ),
            )
        if separator is not None and line.count(separator) >= MAX_COLUMNS:
            return dataclasses.replace(
                screened,
                text="",
                problem=Problem(
                    f"die Zeile hat {fmt.number(line.count(separator) + 1)} Spalten (Trennzeichen „{separator}“); erlaubt "
                    f"sind höchstens {MAX_COLUMNS}.",
                    number,
                ),
            )
    return screened


def _screen_xlsx(data: bytes) -> Problem | None:
    """An XLSX is a ZIP archive: its table of contents says what it unpacks to, before a byte is unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return Problem(
            f"Die Datei ist keine lesbare XLSX-Arbeitsmappe (das ZIP-Archiv ist beschädigt oder es ist gar "
            f"keine Excel-Datei). {SAVE_AS}"
        )
    if not any(e.filename == "xl/workbook.xml" for e in entries):
        return Problem(
            f"Die Datei ist ein ZIP-Archiv, aber keine Excel-Arbeitsmappe (xl/workbook.xml fehlt). {SAVE_AS}"
        )
    unpacked = sum(e.file_size for e in entries)
    if unpacked > MAX_UNPACKED_BYTES or len(entries) > 1000:
        return Problem(
            f"Die XLSX-Datei entpackt sich auf {fmt.number(unpacked / 1024 / 1024, 0)} MB in "
            f"{fmt.number(len(entries))} Teilen; erlaubt sind höchstens "
            f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB (das reicht für {fmt.number(MAX_ROWS)} Zeilen). "
            "Bitte aufteilen oder leere formatierte Bereiche löschen."
        )
    try:
        tags = _xml_tags(data, entries)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
        return Problem(f"Die XLSX-Arbeitsmappe ist beschädigt (ein Teil lässt sich nicht entpacken). {SAVE_AS}")
    if tags > MAX_XML_TAGS:
        return Problem(
            "Die XLSX-Arbeitsmappe ist zu umfangreich, um sie in wenigen Sekunden zu prüfen (zu viele Zellen "
            f"oder Texte in den Zellen; gelesen werden höchstens {fmt.number(MAX_ROWS)} Zeilen). Bitte als "
            "„CSV UTF-8“ speichern, aufteilen oder leere formatierte Bereiche löschen."
        )
    return None


def _xml_tags(data: bytes, entries: list[zipfile.ZipInfo]) -> int:
    """The work openpyxl will do, counted at the speed of unpacking: one '<' per element start or end.

    openpyxl reads a sheet without a <dimension> element twice (once only to look for it), so such a sheet counts double.
    """
    tags = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for entry in entries:
            sheet = entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml")
            if not (sheet or entry.filename == "xl/sharedStrings.xml"):
                continue
            counted, head = 0, b""
            with archive.open(entry) as part:
                while chunk := part.read(1 << 20):
                    head = head or chunk[:65536]
                    counted += chunk.count(b"<") + INLINE_STRING_WEIGHT * chunk.count(b"<is>")
                    if tags + counted > MAX_XML_TAGS:
                        return tags + counted
            before_data = head.split(b"<sheetData", 1)[0]
            tags += counted * (2 if sheet and b"<dimension" not in before_data else 1)
    return tags


def sniff_separator(text: str) -> str:
    header = text.split("\n", 1)[0] if text else ""
    counts = {sep: header.count(sep) for sep in (";", "\t", ",")}
    return max(counts, key=lambda s: counts[s]) if any(counts.values()) else ";"


class TooLarge(Exception):
    """A table beyond the limits, found while reading it; the message is German."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_csv_text(text: str, sep: str) -> tuple[list[str], list[list[str]]]:
    """Header and non-empty rows; a quoted cell that never ends or outgrows the csv module is a problem, not a crash."""
    # strict: a quote never closed would otherwise swallow every following row into one cell, without a word.
    reader = csv.reader(io.StringIO(text), delimiter=sep, strict=True)
    records = []
    start = 1
    try:
        for r in reader:
            if any(c.strip() for c in r):
                records.append(r)
            start = reader.line_num + 1
    except csv.Error:
        raise TooLarge(Problem(genesis.UNREADABLE_CELL, start)) from None
    if not records:
        return [], []
    return [c.strip() for c in records[0]], records[1:]


def read_xlsx_table(data: bytes, header_only: bool = False) -> tuple[list[str], list[list[object]]]:
    """The sheet "Daten" (or the first), its non-empty rows; stops at the first row beyond the limits.

    The page asks for the header and then checks the file: the workbook is read once for both.
    """
    read = _read_xlsx(data)
    if isinstance(read, Problem):
        if header_only:
            return [], []
        raise TooLarge(read)
    header, rows = read
    return (header, []) if header_only else (header, rows)


@lru_cache(maxsize=1)
def _read_xlsx(data: bytes) -> tuple[list[str], list[list[object]]] | Problem:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = wb["Daten"] if "Daten" in wb.sheetnames else wb.worksheets[0]
        # The sheet's own dimension may claim 16,384 columns; without it each row is as wide as its last cell.
        sheet.reset_dimensions()  # type: ignore[union-attr]
        rows: list[list[object]] = []
        for number, r in enumerate(sheet.iter_rows(values_only=True), start=1):
            if len(r) > MAX_COLUMNS and any(c not in (None, "") for c in r[MAX_COLUMNS:]):
                return Problem(
                    f"die Zeile hat Werte in mehr als {MAX_COLUMNS} Spalten; erlaubt sind höchstens {MAX_COLUMNS}",
                    number,
                )
            if any(c not in (None, "") for c in r):
                rows.append(list(r[:MAX_COLUMNS]))
                if len(rows) > MAX_ROWS + 1:
                    return Problem(
                        f"Die Arbeitsmappe hat mehr als {fmt.number(MAX_ROWS)} Zeilen; gelesen werden "
                        "höchstens so viele je Datei. Bitte aufteilen, z. B. je Kennzahl oder Stichtag."
                    )
    finally:
        wb.close()
    if not rows:
        return [], []
    return [str(c).strip() if c is not None else "" for c in rows[0]], rows[1:]


# Only ASCII digits, with German (1.234,5) or plain (1,234.5 / 1234.5) separators: no exponent, no nan or inf, no
# digits of other scripts, all of which Python's float() would take.
NUMBER_COMMA = re.compile(r"-?(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]+)?|-?[0-9]+\.[0-9]+")
NUMBER_POINT = re.compile(r"-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")
_THOUSANDS_COMMA = re.compile(r"^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")


def decimal_comma(cells: list[str], separator: str | None) -> bool:
    """Whether a file writes decimals with a comma (German Excel) rather than a point."""
    for cell in cells:
        c = cell.strip().replace(" ", "")
        if re.match(r"^-?[0-9]+,[0-9]+$", c) and not _THOUSANDS_COMMA.match(c):
            return True
        if re.match(r"^-?[0-9]+\.[0-9]{1,2}$", c) or re.match(r"^-?[0-9]+\.[0-9]{4,}$", c):
            return False
    return separator == ";"


def read_number(cell: object, comma: bool) -> float | str:
    """The number in a cell, or in German why it is none."""
    if isinstance(cell, bool):
        return "keine Zahl (Wahrheitswert)"
    if isinstance(cell, (int, float)):
        return float(cell) if math.isfinite(cell) else "keine endliche Zahl (NaN oder unendlich)"
    c = str(cell).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "")
    if (NUMBER_COMMA if comma else NUMBER_POINT).fullmatch(c):
        if comma:
            c = (c.replace(".", "") if "," in c or re.fullmatch(r"-?[0-9]{1,3}(\.[0-9]{3})+", c) else c).replace(
                ",", "."
            )
        return float(c.replace(",", ""))
    if comma and NUMBER_POINT.fullmatch(c):
        return (
            "Zahl in englischer Schreibweise (Komma als Tausendertrennzeichen), die Datei schreibt Dezimalzahlen "
            "aber mit Komma; erwartet z. B. 1.234,5"
        )
    if re.search(r"[eE]", c) and re.fullmatch(r"-?[0-9.,]+[eE][-+]?[0-9]+", c):
        return "Zahl in Exponentialschreibweise; erwartet die ausgeschriebene Zahl, z. B. 1234 oder 1.234,5"
    if c.casefold().lstrip("+-") in ("nan", "inf", "infinity", "unendlich", "#zahl!", "#wert!", "#div/0!", "#nv"):
        return "keine Zahl (NaN, unendlich oder ein Excel-Fehlerwert); erwartet z. B. 1234 oder 1.234,5"
    if any(ch.isdigit() and not "0" <= ch <= "9" for ch in c):
        return "Ziffern einer anderen Schrift; erlaubt sind nur die Ziffern 0–9, z. B. 1234 oder 1.234,5"
    return "keine Zahl; erwartet z. B. 1234 oder 1.234,5"


def parse_number(cell: object, comma: bool) -> float | None:
    value = read_number(cell, comma)
    return value if isinstance(value, float) else None


def parse_date(cell: object, monthly: bool) -> date | None:
    d: date | None
    if isinstance(cell, datetime):
        d = cell.date()
    elif isinstance(cell, date):
        d = cell
    else:
        d = _date_of_text(str(cell).strip()[:40], monthly)
    if d is None:
        return None
    return d.replace(day=1) if monthly else d


# A file repeats its few Stichtage in every row: each text is parsed once (strptime is the slowest step of a large file).
@lru_cache(maxsize=4096)
def _date_of_text(c: str, monthly: bool) -> date | None:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d %H:%M:%S") + (
        ("%Y-%m", "%m/%Y", "%m.%Y") if monthly else ()
    ):
        # strptime takes digits of any script (١٢); a date is written in 0-9.
        if not c.isascii():
            return None
        try:
            return datetime.strptime(c, pattern).date()
        except ValueError:
            pass
    return None


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


@dataclass(frozen=True)
class Validated:
    """A table in the template's layout as checked: its rows (with the file's line of each) or every problem found."""

    rows: pd.DataFrame
    problems: list[Problem]
    notes: list[str] = field(default_factory=list)


def _no_rows() -> pd.DataFrame:
    return pd.DataFrame(columns=[*ROW_COLUMNS, "line"])


def validate_table(
    header: list[str],
    body: list[list],
    *,
    measure: ms.Measure,
    regs: Regions,
    separator: str | None,
    stichtag: date | None,
    group: str | None,
    default_source: str,
    today: date,
) -> Validated:
    """Every row checked against every rule; every problem is collected, none stops the check."""
    problems = _layout_problems(header, body, measure, stichtag, group)
    if problems:
        return Validated(_no_rows(), problems)
    columns = {name: i for i, name in enumerate(header) if name}
    comma = decimal_comma([_text(r[columns[COL_VALUE]]) for r in body if len(r) > columns[COL_VALUE]], separator)
    row_reader = _RowReader(columns, measure, regs, stichtag, group, comma, default_source, today)
    rows = [row for offset, r in enumerate(body) if (row := row_reader.read(r, offset + 2)) is not None]
    notes = []
    if row_reader.aggregates:
        notes.append(f"Summenzeilen ignoriert (Land/Regierungsbezirk): {', '.join(sorted(set(row_reader.aggregates)))}")
    return Validated(pd.DataFrame(rows, columns=[*ROW_COLUMNS, "line"]), row_reader.problems, notes)


def _layout_problems(
    header: list[str], body: list[list], measure: ms.Measure, stichtag: date | None, group: str | None
) -> list[Problem]:
    """What is wrong with the table as a whole: no header, mojibake, unknown or missing columns, no rows."""
    if not header:
        return [Problem("Die Datei ist leer: keine Kopfzeile und keine Daten gefunden.")]
    text_cells = " ".join(header) + " ".join(_text(c) for r in body[:200] for c in r)
    if found := MOJIBAKE.search(text_cells):
        return [
            Problem(
                f"Die Datei ist falsch kodiert: Zeichenfolgen wie „{found.group(0)}“ statt Umlauten. Bitte als "
                "„CSV UTF-8“ oder „CSV (Trennzeichen-getrennt)“ neu speichern."
            )
        ]
    columns = {name for name in header if name}
    problems = [
        Problem(f"unbekannte Spalte; erlaubt sind: {', '.join(KNOWN_COLUMNS)}", 1, name)
        for name in dict.fromkeys(header)
        if name and name not in KNOWN_COLUMNS
    ]
    date_col = COL_MONTH if COL_MONTH in columns else COL_DATE
    required = [COL_KEY, COL_VALUE]
    if stichtag is None:
        required.append(date_col)
    if group is None and measure.kind is ms.Kind.FLOW:
        required.append(COL_GROUP)
    for name in required:
        if name not in columns:
            hint = " (oder --stichtag angeben)" if name == date_col else ""
            hint = " (oder --group angeben)" if name == COL_GROUP else hint
            problems.append(Problem(f"Pflichtspalte fehlt{hint}", 1, name))
    if problems:
        return problems
    if not body:
        return [Problem("Die Datei enthält eine Kopfzeile, aber keine Datenzeilen.")]
    return []


class _RowReader:
    """Reads one row after the other into a stored row, collecting the problems and the cells already seen."""

    def __init__(
        self,
        columns: dict[str, int],
        measure: ms.Measure,
        regs: Regions,
        stichtag: date | None,
        group: str | None,
        comma: bool,
        default_source: str,
        today: date,
    ) -> None:
        self.columns, self.measure, self.regs, self.stichtag, self.group = columns, measure, regs, stichtag, group
        self.comma, self.default_source, self.today = comma, default_source, today
        self.date_col = COL_MONTH if COL_MONTH in columns else COL_DATE
        self.problems: list[Problem] = []
        self.aggregates: list[str] = []
        self.seen: dict[tuple, int] = {}

    def cell(self, r: list, name: str) -> object:
        i = self.columns.get(name)
        return r[i] if i is not None and i < len(r) else None

    def read(self, r: list, line: int) -> dict | None:
        """The row to store, or None (a problem, or a Land/RB sum that is only noted)."""
        # The store holds 500 characters a text; a longer cell (a pasted document, a runaway quote) is said here.
        if any(isinstance(c, str) and len(c) > MAX_CELL_CHARS for c in r):
            long_cells = [
                (name, _text(self.cell(r, name)))
                for name in self.columns
                if len(_text(self.cell(r, name))) > MAX_CELL_CHARS
            ]
            for name, content in long_cells:
                self.problems.append(
                    Problem(
                        f"die Zelle hat {fmt.number(len(content))} Zeichen; erlaubt sind höchstens {MAX_CELL_CHARS}",
                        line,
                        name,
                        content,
                    )
                )
            if long_cells:
                return None
        if _text(self.cell(r, COL_NAME)) == EXAMPLE_MARK:
            self.problems.append(
                Problem("die Beispielzeile der Vorlage ist noch enthalten; bitte löschen", line, COL_NAME)
            )
            return None
        raw_key = _text(self.cell(r, COL_KEY))
        region = self.regs.lookup(raw_key) if raw_key else UnknownRegion("", "Regionalschlüssel fehlt")
        region_key = None
        if isinstance(region, UnknownRegion):
            self.problems.append(
                Problem(
                    f"{region.message}; erwartet ein Kreis- (5 Stellen) oder Gemeindeschlüssel (8 Stellen)",
                    line,
                    COL_KEY,
                    raw_key,
                )
            )
        elif region.level in (Level.LAND, Level.RB):
            self.aggregates.append(f"{region.key} {region.display_name}")
            return None
        else:
            region_key = region.key
        when = self.date_of(r, line)
        grp = self.group_of(r, line)
        value = self.value_of(r, line)
        if value is None or region_key is None or when is None or grp is None:
            return None
        cell_key = (region_key, when, grp)
        if cell_key in self.seen:
            self.problems.append(
                Problem(
                    f"doppelte Zeile: {region_key} / {fmt.day(when)} / {grp} steht schon in Zeile {self.seen[cell_key]}",
                    line,
                    COL_KEY,
                    raw_key,
                )
            )
            return None
        self.seen[cell_key] = line
        number, status = value
        return {
            "measure": self.measure.key,
            "region": region_key,
            "date": when,
            "grp": grp,
            "value": number,
            "status": status,
            "source": _text(self.cell(r, COL_SOURCE)) or self.default_source,
            "line": line,
        }

    def date_of(self, r: list, line: int) -> date | None:
        date_col, monthly = self.date_col, self.measure.kind is ms.Kind.FLOW
        given = self.cell(r, date_col)
        raw_date = given if self.stichtag is None or given not in (None, "") else self.stichtag
        when = parse_date(raw_date, monthly) if raw_date not in (None, "") else None
        if when is None:
            expected = "JJJJ-MM oder MM/JJJJ (Monat)" if monthly else "TT.MM.JJJJ oder JJJJ-MM-TT"
            self.problems.append(Problem(f"Datum nicht lesbar; erwartet {expected}", line, date_col, _text(raw_date)))
        elif when > self.today:
            self.problems.append(
                Problem(
                    f"Datum liegt in der Zukunft (heute ist {fmt.day(self.today)})", line, date_col, _text(raw_date)
                )
            )
        elif when.year < EARLIEST_DATE_YEAR:
            self.problems.append(
                Problem(
                    f"Datum liegt vor {EARLIEST_DATE_YEAR}; erwartet ein Datum ab 01.01.{EARLIEST_DATE_YEAR}",
                    line,
                    date_col,
                    _text(raw_date),
                )
            )
            return None
        return when

    def group_of(self, r: list, line: int) -> str | None:
        raw_group = _text(self.cell(r, COL_GROUP)) if COL_GROUP in self.columns else ""
        grp_text = raw_group or (self.group or "")
        grp = GROUP_ALIASES.get(grp_text.lower())
        if grp is None or grp not in self.measure.groups:
            allowed = " oder ".join(self.measure.groups)
            self.problems.append(Problem(f"unbekannte Gruppe; erwartet {allowed}", line, COL_GROUP, grp_text))
        return grp

    def value_of(self, r: list, line: int) -> tuple[float | None, str | None] | None:
        """(value, status) — a code's status beside None or 0 — or None with the problem noted."""
        raw_value = self.cell(r, COL_VALUE)
        text_value = _text(raw_value)
        if text_value == ZERO_CODE:
            return 0.0, ZERO_CODE
        if text_value in UNAVAILABLE_CODES:
            return None, text_value
        if text_value == "":
            self.problems.append(Problem("Wert fehlt; für „nicht verfügbar“ bitte „.“ eintragen", line, COL_VALUE))
            return None
        number = read_number(raw_value, self.comma)
        if isinstance(number, str):
            self.problems.append(Problem(number, line, COL_VALUE, text_value))
            return None
        if reason := implausible(number, self.measure):
            self.problems.append(Problem(reason, line, COL_VALUE, text_value))
            return None
        return round(number, self.measure.places), None


def implausible(value: float, measure: ms.Measure) -> str | None:
    """Why a number cannot be a value of the measure for one region and Stand, in German; None if it can."""
    unit = measure.unit_short
    if value < 0:
        return "negativer Wert; erwartet eine Zahl ab 0"
    if value > measure.maximum:
        return f"unplausibel groß: höchstens {fmt.number(measure.maximum)} {unit} je Region und {measure.date_label}"
    if 0 < value < measure.smallest:
        return f"unplausibel klein: erwartet 0 oder mindestens {fmt.number(measure.smallest, 1)} {unit}"
    # Float noise of a spreadsheet (12.300000000000001) is no precision; a real further decimal place is.
    if abs(value - round(value, measure.places)) > 1e-9:
        if measure.places == 0:
            return f"{measure.label} sind ganze Zahlen"
        return f"höchstens {measure.places} Nachkommastellen; bitte runden"
    return None


ROW_COLUMNS = ["measure", "region", "date", "grp", "value", "status", "source"]
FTE, HEADCOUNT = "counsellors_fte", "counsellors_headcount"
BOTH_TEMPLATE = "„Integrationsmanagement: VZÄ und Personen“"


def check_fte_against_headcount(
    rows: pd.DataFrame, existing: pd.DataFrame, regs: Regions, value_columns: dict[str, str]
) -> list[Problem]:
    """VZÄ can never exceed the persons they are spread over: the file's values against each other and the stored ones.

    A value in the file replaces the stored one of the same Kreis and Stichtag, so a file with both measures is checked
    against itself and the order of two uploads cannot matter.
    """
    new = rows[rows["measure"].isin((FTE, HEADCOUNT)) & rows["value"].notna()]
    if new.empty:
        return []
    cells: dict[tuple[str, date], dict[str, tuple[float, int | None, int | None]]] = {}
    if not existing.empty:
        stored = existing[existing["measure"].isin((FTE, HEADCOUNT)) & existing["value"].notna()]
        stored = stored[stored.set_index(["region", "date"]).index.isin(new.set_index(["region", "date"]).index)]
        for r in stored.itertuples():
            stored_import: Any = getattr(r, "import_id", None)
            cells.setdefault((r.region, r.date), {})[r.measure] = (
                r.value,
                None,
                None if fmt.is_missing(stored_import) else int(stored_import),
            )
    for r in new.itertuples():
        cells.setdefault((r.region, r.date), {})[r.measure] = (r.value, r.line, None)
    problems = []
    for (region, when), cell in cells.items():
        if FTE not in cell or HEADCOUNT not in cell:
            continue
        (fte, fte_line, _), (head, head_line, head_import) = cell[FTE], cell[HEADCOUNT]
        if fte <= head:
            continue
        name = f"{regs.display_name(region)} ({region})" if region in regs else region
        text = f"VZÄ ({fmt.number(fte, 2)}) über der Zahl der Personen ({fmt.number(head)}) für {name} am {fmt.day(when)}. "
        text += "VZÄ sind Stellenanteile (eine volle Stelle = 1,0 VZÄ) und können nicht mehr sein als die Personen, auf die sie sich verteilen. "
        line: int | None
        if fte_line is not None and head_line is not None:
            text += (
                "So beheben: beide Werte prüfen – oft sind die Spalten vertauscht oder Stunden statt VZÄ eingetragen."
            )
            line, column, value = fte_line, value_columns.get(FTE, COL_VALUE), fmt.number(fte, 2)
        elif fte_line is not None:
            since = f" (Import Nr. {head_import})" if head_import is not None else ""
            text += (
                f"Die Personenzahl ist gespeichert{since}. So beheben: den VZÄ-Wert prüfen; ist die gespeicherte "
                f"Personenzahl veraltet, VZÄ und Personen zusammen in einer Datei übernehmen (Vorlage {BOTH_TEMPLATE} "
                "im Reiter „Vorlagen“ bzw. `python -m lagebild template`)."
            )
            line, column, value = fte_line, value_columns.get(FTE, COL_VALUE), fmt.number(fte, 2)
        else:
            text += (
                f"Die VZÄ sind gespeichert. So beheben: die Personenzahl prüfen; sind die gespeicherten VZÄ veraltet, "
                f"VZÄ und Personen zusammen in einer Datei übernehmen (Vorlage {BOTH_TEMPLATE} im Reiter „Vorlagen“ "
                "bzw. `python -m lagebild template`)."
            )
            line, column, value = head_line, value_columns.get(HEADCOUNT, COL_VALUE), fmt.number(head)
        problems.append(Problem(text, line, column, value))
    return sorted(problems, key=lambda p: p.row or 0)


def measure_columns(header: list[str]) -> dict[str, int]:
    """The value columns that name their measure (as the templates write them): measure key -> column index."""
    found: dict[str, int] = {}
    for i, name in enumerate(header):
        key = MEASURE_COLUMNS.get(name.strip().casefold())
        if key is not None and key not in found:
            found[key] = i
    return found


def detect_measure(data: bytes, file_name: str, screened: Screened | None = None) -> tuple[str | None, list[str]]:
    """The measure a CSV or XLSX file names in its value column headers (joined if several), and those headers."""
    screened = screened or screen(data, file_name)
    if screened.kind.startswith("genesis") or screened.problem is not None:
        return None, []
    try:
        if screened.kind == "xlsx":
            header = read_xlsx_table(data, header_only=True)[0]
        else:
            first = next((line for line in screened.text.split("\n") if line.strip()), "")
            header = read_csv_text(first, screened.separator or ";")[0]
    except Exception:  # noqa: BLE001 - an unreadable file is reported by read_import; here it just names nothing
        return None, []
    found = measure_columns(header)
    if not found:
        return None, []
    return ms.joined_key(list(found)), [header[i] for i in found.values()]


def detect_format(data: bytes, file_name: str) -> str:
    """'xlsx', 'genesis-table', 'genesis-flat', 'gv100ad' or 'csv' (the template layout), by content before name."""
    if Path(file_name).suffix.lower() in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
        return "xlsx"
    text, _ = decode(data[:4096])
    if genesis.is_table(text):
        return "genesis-table"
    if genesis.is_flat(text):
        return "genesis-flat"
    if gv100ad.is_gv100ad(text):
        return "gv100ad"
    return "csv"


def read_import(
    data: bytes,
    file_name: str,
    *,
    measure: str | None,
    regs: Regions,
    existing: pd.DataFrame,
    stichtag: date | None = None,
    group: str | None = None,
    source: str | None = None,
    today: date | None = None,
    column: int | None = None,
    screened: Screened | None = None,
    table: genesis.Table | gv100ad.Directory | None = None,
) -> Parsed:
    """Reads any supported file, found by its content; nothing is written here.

    measure may be None for a file whose value columns name their measure (the templates); column picks a GENESIS
    value column (1-based). screened and table are the file as `screen` and `read_official` gave them, when the caller
    has them already (review.Upload): then the file is neither decoded nor parsed again.
    """
    screened = screened or screen(data, file_name)
    kind = screened.kind
    formats = {
        "xlsx": "XLSX",
        "csv": "CSV",
        "genesis-table": genesis.TABLE_FORMAT,
        "genesis-flat": genesis.FLAT_FORMAT,
        "gv100ad": gv100ad.FORMAT,
    }
    parsed = Parsed(file_name, formats[kind], screened.encoding, screened.separator, measure=measure)
    if screened.problem is not None:
        parsed.problems.append(screened.problem)
        return parsed
    if source is not None and len(source) > MAX_CELL_CHARS:
        parsed.problems.append(
            Problem(
                f"Die Quellenangabe hat {fmt.number(len(source))} Zeichen; erlaubt sind höchstens "
                f"{MAX_CELL_CHARS}. Bitte kürzen."
            )
        )
        return parsed
    group_key = GROUP_ALIASES.get((group or "").lower(), group) if group else None
    options: dict[str, Any] = {"regs": regs, "base": parsed, "group": group_key, "today": today or date.today()}
    if kind == "gv100ad":
        # The Gemeindeverzeichnis holds nothing but Einwohner: the measure needs no question.
        directory = table if isinstance(table, gv100ad.Directory) else gv100ad.read(screened.text)
        parsed = read_directory(
            directory, measure=measure or ms.POPULATION, stichtag=stichtag, source=source, **options
        )
        return finish(parsed, existing, regs, {ms.POPULATION: gv100ad.VALUE_LABEL})
    if kind.startswith("genesis"):
        if measure is None:
            parsed.problems.append(Problem(NO_MEASURE))
            return parsed
        official = table if isinstance(table, genesis.Table) else read_official(screened)
        assert isinstance(official, genesis.Table)
        parsed = read_genesis(
            official,
            kind,
            measure=ms.measure(measure),
            stichtag=stichtag,
            column=column,
            source=source,
            **options,
        )
        value_label = parsed.series[parsed.column - 1] if parsed.column and parsed.series else COL_VALUE
        return finish(parsed, existing, regs, {measure: value_label})
    body: list[list]
    try:
        if kind == "xlsx":
            header, body = read_xlsx_table(data)
        else:
            header, body = read_csv_text(screened.text, screened.separator or ";")
    except TooLarge as exc:
        parsed.problems.append(exc.problem)
        return parsed
    except Exception:  # noqa: BLE001 - any unreadable workbook is the user's file, not our bug
        parsed.problems.append(
            Problem(f"Die XLSX-Arbeitsmappe ist nicht lesbar: ihr Inhalt ist beschädigt oder unvollständig. {SAVE_AS}")
        )
        return parsed
    named = measure_columns(header)
    if not named:
        if measure is None:
            parsed.problems.append(Problem(NO_MEASURE))
            return parsed
        validated = validate_table(
            header,
            body,
            measure=ms.measure(measure),
            regs=regs,
            separator=parsed.separator,
            stichtag=stichtag,
            group=group_key,
            default_source=source or f"Eigene Meldung ({file_name})",
            today=options["today"],
        )
        parsed.rows, parsed.problems, parsed.notes = validated.rows, validated.problems, validated.notes
        return finish(parsed, existing, regs, {})
    labels = {key: header[i] for key, i in named.items()}
    parsed.measure, parsed.measure_columns = ms.joined_key(list(named)), list(labels.values())
    if measure is not None and measure not in named and measure != parsed.measure:
        parsed.problems.append(
            Problem(
                f"Die Datei enthält {' und '.join(f'„{v}“' for v in labels.values())}, gewählt ist "
                f"aber „{ms.measure(measure).label}“. Bitte die Kennzahl der Datei wählen oder die "
                "Spalte umbenennen.",
                1,
            )
        )
        return parsed
    if COL_VALUE in header:
        parsed.problems.append(
            Problem(
                f"neben {' und '.join(f'„{v}“' for v in labels.values())} ist eine Spalte „Wert“ "
                "nicht eindeutig; bitte entfernen oder nach ihrer Kennzahl benennen",
                1,
                COL_VALUE,
            )
        )
        return parsed
    # Each measure column is read as the template's single value column, so every rule and message applies to it.
    frames, problems = [], []
    for key, index in named.items():
        sub_header = [COL_VALUE if i == index else ("" if i in named.values() else h) for i, h in enumerate(header)]
        sub = validate_table(
            sub_header,
            body,
            measure=ms.measure(key),
            regs=regs,
            separator=parsed.separator,
            stichtag=stichtag,
            group=group_key,
            default_source=source or f"Eigene Meldung ({file_name})",
            today=options["today"],
        )
        problems += [
            dataclasses.replace(p, column=labels[key] if p.column == COL_VALUE else p.column) for p in sub.problems
        ]
        parsed.notes += [n for n in sub.notes if n not in parsed.notes]
        frames.append(sub.rows)
    parsed.problems += list(dict.fromkeys(problems))  # a missing key column or the example row, said once
    if not parsed.problems:
        parsed.rows = pd.concat(frames, ignore_index=True)
    return finish(parsed, existing, regs, labels)


NO_MEASURE = (
    "Die Kennzahl der Datei ist nicht erkannt: Die Wertespalte heißt „Wert“ statt nach einer Kennzahl (z. B. "
    "„Integrationsmanagement (VZÄ)“, wie in den Vorlagen). Bitte die Kennzahl wählen (bzw. --measure angeben) "
    "oder die Spalte umbenennen."
)


def finish(parsed: Parsed, existing: pd.DataFrame, regs: Regions, value_columns: dict[str, str]) -> Parsed:
    """Checks across measures and against the store once every row is read, then drops the line numbers: a new Parsed."""
    rows = parsed.rows if not parsed.rows.empty else pd.DataFrame(columns=[*ROW_COLUMNS, "line"])
    if "line" not in rows.columns:
        rows = rows.assign(line=None)
    problems = parsed.problems or check_fte_against_headcount(rows, existing, regs, value_columns)
    measure = parsed.measure
    if measure is None and not rows.empty:
        measure = ms.joined_key(list(rows["measure"].unique()))
    return dataclasses.replace(parsed, rows=rows.drop(columns="line"), problems=problems, measure=measure)


def read_official(screened: Screened) -> genesis.Table | gv100ad.Directory | None:
    """The official statistics file a screened text holds, parsed (once: the page and the check share it)."""
    if screened.problem is not None:
        return None
    if screened.kind == "genesis-table":
        return genesis.read_table(screened.text)
    if screened.kind == "genesis-flat":
        return genesis.read_flat(screened.text)
    if screened.kind == "gv100ad":
        return gv100ad.read(screened.text)
    return None


def read_genesis(
    table: genesis.Table,
    kind: str,
    *,
    measure: ms.Measure,
    regs: Regions,
    base: Parsed,
    stichtag: date | None,
    group: str | None,
    column: int | None,
    source: str | None,
    today: date,
) -> Parsed:
    """A GENESIS file becomes a table in the template's layout, so the same rules and messages apply to it."""
    # A copy to fill: the caller's Parsed stays as it was.
    parsed = dataclasses.replace(base, problems=list(base.problems), notes=list(base.notes))
    parsed.table_code, parsed.title, parsed.series = table.code, table.title, table.series
    parsed.file_stichtag, parsed.suggested_measure = table.stichtag, genesis.suggested_measure(table)
    parsed.notes += table.notes
    parsed.problems += [Problem(message, row) for message, row in table.errors]
    if parsed.problems:
        return parsed
    if not table.rows:
        parsed.problems.append(Problem("Die Datei enthält keine Zeile für Baden-Württemberg (Schlüssel ab 08)."))
        return parsed
    choices = "; ".join(f"{i}: {label}" for i, label in enumerate(table.series, start=1))
    if column is None and len(table.series) > 1:
        parsed.problems.append(
            Problem(
                f"Die Datei hat {len(table.series)} Wertespalten; bitte eine wählen "
                f"(Auswahl „Wertespalte“ bzw. --column NUMMER): {choices}"
            )
        )
        return parsed
    if column is not None and not 1 <= column <= len(table.series):
        parsed.problems.append(Problem(f"Wertespalte {column} gibt es nicht; vorhanden sind: {choices}"))
        return parsed
    parsed.column = column or 1
    index = parsed.column - 1
    file_date = table.series_dates[index] or table.stichtag
    parsed.file_stichtag = file_date
    if file_date and stichtag and stichtag != file_date:
        parsed.notes.append(
            f"Stichtag {fmt.day(file_date)} aus der Datei verwendet, nicht die Angabe {fmt.day(stichtag)}."
        )
    years = {r.time for r in table.rows if r.values[index] is not None}
    if table.years_only and stichtag and len(years) > 1:
        parsed.problems.append(
            Problem(
                f"Die Datei nennt mehrere Jahre ({', '.join(sorted(years))}) ohne Stichtag; "
                "bitte je Jahr eine Datei übernehmen."
            )
        )
        return parsed
    when = file_date or stichtag
    if when is None and (kind == "genesis-table" or table.years_only):
        parsed.problems.append(
            Problem(
                "Die Datei nennt keinen Stichtag (weder im Tabellenkopf noch je Zeile); bitte den "
                "Stichtag angeben (Auswahl „Stichtag“ bzw. --stichtag JJJJ-MM-TT)."
            )
        )
        return parsed

    date_col = COL_MONTH if measure.kind is ms.Kind.FLOW else COL_DATE
    header = [COL_KEY, COL_NAME, date_col, COL_VALUE]
    body, lines = [], []
    for row in table.rows:
        value = row.values[index]
        if value is None:
            continue
        row_date = when.isoformat() if when and (kind == "genesis-table" or table.years_only) else row.time
        body.append([row.key, row.name, row_date, value])
        lines.append(row.line)
    validated = validate_table(
        header,
        body,
        measure=measure,
        regs=regs,
        separator=parsed.separator,
        stichtag=None,
        group=group,
        default_source=source or table.source(),
        today=today,
    )
    parsed.rows, parsed.notes = validated.rows, parsed.notes + validated.notes
    value_label = table.series[index]
    # Problems name the template's rows and columns; point them at the file's own lines and value column.
    parsed.problems = [
        dataclasses.replace(
            p,
            row=lines[p.row - 2] if p.row and p.row >= 2 else None,
            column=value_label if p.column == COL_VALUE else p.column,
        )
        for p in validated.problems
    ]
    if "line" in parsed.rows.columns:
        parsed.rows["line"] = [lines[n - 2] for n in parsed.rows["line"]]
    return parsed


def read_directory(
    directory: gv100ad.Directory,
    *,
    measure: str,
    regs: Regions,
    base: Parsed,
    stichtag: date | None,
    group: str | None,
    source: str | None,
    today: date,
) -> Parsed:
    """A GV100AD file becomes one template row per Kreis (the sum of its Gemeinden), so the same rules apply to it."""
    # A copy to fill: the caller's Parsed stays as it was.
    parsed = dataclasses.replace(base, problems=list(base.problems), notes=list(base.notes))
    parsed.measure = ms.POPULATION
    parsed.notes += directory.notes
    parsed.problems += [Problem(message, row) for message, row in directory.errors]
    if measure != ms.POPULATION:
        parsed.problems.append(
            Problem(
                f"Das Gemeindeverzeichnis GV100AD enthält Einwohnerzahlen, gewählt ist aber „{ms.label_of(measure)}“. "
                "Bitte die Kennzahl „Einwohner“ wählen (bzw. --measure population)."
            )
        )
    if parsed.problems:
        return parsed
    if not directory.kreise:
        parsed.problems.append(
            Problem(
                "Die Datei enthält keine Gemeinde Baden-Württembergs (Satzart 60 mit Schlüssel ab 08); "
                "übernommen werden nur die Einwohner der Kreise Baden-Württembergs."
            )
        )
        return parsed
    if stichtag is None:
        parsed.problems.append(
            Problem(
                f"Das Gemeindeverzeichnis nennt nur seinen Gebietsstand ({fmt.day(directory.gebietsstand)}), nicht "
                "den Stichtag der Einwohnerzahlen (Vierteljahresausgaben enthalten den Bevölkerungsstand eines "
                "früheren 31.12.); bitte den Stichtag angeben (Auswahl „Stichtag der Einwohnerzahlen“ bzw. "
                "--stichtag JJJJ-MM-TT)."
            )
        )
        return parsed
    if directory.gebietsstand and stichtag > directory.gebietsstand:
        # An edition cannot count inhabitants of a day after its own Gebietsstand: most likely a typo in the year.
        parsed.problems.append(
            Problem(
                f"Der Stichtag der Einwohnerzahlen ({fmt.day(stichtag)}) liegt nach dem Gebietsstand der Datei "
                f"({fmt.day(directory.gebietsstand)}); eine Ausgabe enthält Einwohner ihres Gebietsstands oder eines "
                "früheren 31.12. Bitte den Stichtag prüfen."
            )
        )
        return parsed
    header = [COL_KEY, COL_NAME, COL_DATE, COL_VALUE]
    body = [[k.key, k.name, stichtag.isoformat(), str(k.inhabitants)] for k in directory.kreise]
    lines = [k.line for k in directory.kreise]
    validated = validate_table(
        header,
        body,
        measure=ms.measure(ms.POPULATION),
        regs=regs,
        separator=parsed.separator,
        stichtag=None,
        group=group,
        default_source=source or directory.source(),
        today=today,
    )
    parsed.rows, parsed.notes = validated.rows, parsed.notes + validated.notes
    # Problems name the template's rows and columns; point them at the file's own records and positions.
    parsed.problems = [
        dataclasses.replace(
            p,
            row=lines[p.row - 2] if p.row and p.row >= 2 else None,
            column=gv100ad.VALUE_LABEL if p.column == COL_VALUE else p.column,
        )
        for p in validated.problems
    ]
    if "line" in parsed.rows.columns:
        parsed.rows["line"] = [lines[n - 2] for n in parsed.rows["line"]]
    return parsed

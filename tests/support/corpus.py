"""Hostile and odd import files (issue 17): each with what the intake must decide; `python -m tests.corpus` writes the small ones.

Small files live in tests/fixtures/korpus/ (rewritten by this script, so they can be read and opened by hand); the large
ones (megabytes to an XLSX that unpacks to 1 GB) are built at test time into a temporary folder and never committed.
"""

from __future__ import annotations

import io
import random
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parents[1]  # tests/
FOLDER = HERE / "fixtures" / "korpus"

FTE = "Integrationsmanagement (VZÄ)"
HEADCOUNT = "Integrationsmanagement (Personen)"
CARE = "Geflüchtete in Betreuung"
HEADER = "Regionalschlüssel;Region;Stichtag;Gruppe;{value};Quelle"


@dataclass(frozen=True)
class Case:
    """One file, what it is, and what the intake must do with it."""

    file_name: str
    kind: str  # the line of the benchmark table
    build: Callable[[], bytes]
    read: bool  # True: its rows are taken; False: refused
    says: str  # part of the German message (or, for a file that is read, of its report)
    measure: str | None = None
    large: bool = False
    # Refused by the checks before any parsing: what a test can tell of "before reading the whole file".
    early: bool = False

    @property
    def measure_key(self) -> str | None:
        """The measure a user names for the file (by its label or key), as --measure and the page's choice take it."""
        from lagebild.intake.importer import MEASURE_COLUMNS

        return MEASURE_COLUMNS.get(self.measure.casefold(), self.measure) if self.measure else None

    def data(self, folder: Path = FOLDER) -> bytes:
        """The committed file, or for a large one the file built now."""
        return self.build() if self.large else (folder / self.file_name).read_bytes()


def template(value_column: str, rows: list[str], newline: str = "\r\n", header: str = HEADER) -> str:
    return newline.join([header.format(value=value_column), *rows]) + newline


def utf8(text: str) -> bytes:
    return ("\ufeff" + text).encode("utf-8")


def one_value(value_column: str, value: str, when: str = "31.12.2024") -> Callable[[], bytes]:
    return lambda: utf8(template(value_column, [f"08111;Stuttgart;{when};;{value};Meldung Stadt Stuttgart"]))


def png() -> bytes:
    """A real 1 × 1 PNG, as a user might rename a screenshot to .csv."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Daten"  # type: ignore[union-attr]
    for r in rows:
        sheet.append(r)  # type: ignore[union-attr]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_header(value_column: str) -> list[object]:
    return HEADER.format(value=value_column).split(";")


def replace_sheet(data: bytes, sheet_xml: Callable[[zipfile.ZipFile], None]) -> bytes:
    """The workbook with its first sheet written by sheet_xml (streaming, so a sheet of a gigabyte needs no memory)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                sheet_xml(dst)
            else:
                dst.writestr(item, src.read(item.filename))
    return out.getvalue()


SHEET_START = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_END = "</sheetData></worksheet>"


def xlsx_bomb(unpacked: int, filler: bytes) -> Callable[[], bytes]:
    """A workbook whose sheet inflates to `unpacked` bytes: a ZIP bomb of whitespace (or any one repeated byte)."""

    def write(dst: zipfile.ZipFile) -> None:
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        block = filler * (1 << 20)
        with dst.open(info, "w", force_zip64=True) as f:
            f.write(SHEET_START.encode())
            for _ in range(unpacked // len(block)):
                f.write(block)
            f.write(SHEET_END.encode())

    return lambda: replace_sheet(xlsx([xlsx_header(FTE)]), write)


def xlsx_rows(n: int) -> bytes:
    """Excel's maximum: one cell in each of n rows."""

    def write(dst: zipfile.ZipFile) -> None:
        with dst.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(SHEET_START.encode())
            for r in range(1, n + 1):
                f.write(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>'.encode())
            f.write(SHEET_END.encode())

    return replace_sheet(xlsx([["x"]]), write)


def xlsx_wide(columns: int) -> bytes:
    def write(dst: zipfile.ZipFile) -> None:
        cells = "".join(f"<c><v>{i}</v></c>" for i in range(columns))
        dst.writestr("xl/worksheets/sheet1.xml", f'{SHEET_START}<row r="1">{cells}</row>{SHEET_END}')

    return replace_sheet(xlsx([["x"]]), write)


def xlsx_claiming_every_column() -> bytes:
    """A filled-in template whose sheet says it spans A1:XFD1048576, as some exporters write."""
    data = xlsx([xlsx_header(FTE), ["08111", "Stuttgart", "31.12.2024", "", 61.5, "Meldung"]])
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        sheet = src.read("xl/worksheets/sheet1.xml").decode()
    start = sheet.index("<dimension ref=")
    end = sheet.index("/>", start) + 2
    patched = sheet[:start] + '<dimension ref="A1:XFD1048576"/>' + sheet[end:]
    return replace_sheet(data, lambda dst: dst.writestr("xl/worksheets/sheet1.xml", patched))


def xlsx_broken_xml() -> bytes:
    return replace_sheet(
        xlsx([["x"]]), lambda dst: dst.writestr("xl/worksheets/sheet1.xml", SHEET_START + "<row><c><v>1")
    )


def zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("daten.csv", "Regionalschlüssel;Wert\n08111;1\n")
    return out.getvalue()


def genesis_table(cell: str = "24165") -> bytes:
    lines = [
        "GENESIS-Tabelle: 12531-01-01-4",
        "Schutzsuchende nach Geschlecht;;;",
        "Stichtag: 31.12.2023;;;",
        ";;31.12.2023;31.12.2023",
        ";;Insgesamt;männlich",
        f"08111;      Stuttgart, Landeshauptstadt, Stadtkreis;{cell};13000",
        "08115;      Böblingen, Landkreis;7650;4100",
        "__________",
        "Stand: 05.06.2024 / 11:01:40",
    ]
    return "\r\n".join(lines).encode("cp1252")


FLAT_HEADER = (
    "statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;"
    "1_variable_attribute_code;1_variable_attribute_label;value;value_unit;value_variable_code;"
    "value_variable_label;value_q"
)


def ffcsv_with_stag_as_region() -> bytes:
    """The only variable is the Stichtag (STAG), yet its codes are shaped like Kreis keys."""
    rows = [
        f"12531;Schutzsuchende;STAG;Stichtag;2023-12-31;STAG;Stichtag;{key};31.12.2023;{value};Anzahl;BEV001;Schutzsuchende;e"
        for key, value in (("08111", "24165"), ("08115", "7650"))
    ]
    return "\n".join([FLAT_HEADER, *rows]).encode("utf-8")


def gemeinden_rows(count: int, value: str = "3") -> bytes:
    """count rows of valid persons in care: 1,101 Gemeinden × month ends from 2017 on."""
    from lagebild.domain.regions import Level, regions

    keys = [g.key for g in regions().of_level(Level.GEMEINDE)]
    months = [(y, m) for y in range(2017, 2026) for m in range(1, 13)]
    ends = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}
    lines = [HEADER.format(value=CARE)]
    for i in range(count):
        y, m = months[i // len(keys)]
        lines.append(f"{keys[i % len(keys)]};;{ends[m]:02d}.{m:02d}.{y};;{value};")
    return ("\n".join(lines) + "\n").encode("utf-8")


def gemeinden_xlsx(count: int) -> bytes:
    """The same rows as a workbook, as Excel would save the filled-in template."""
    rows: list[list[object]] = [xlsx_header(CARE)]
    for line in gemeinden_rows(count).decode().splitlines()[1:]:
        cells = line.split(";")
        rows.append([*cells[:4], int(cells[4]), cells[5]])
    return xlsx(rows)


def many_problems(rows: int) -> bytes:
    return ("\n".join([HEADER.format(value=FTE)] + [f"99{n:06d};;31.12.2024;;1;" for n in range(rows)]) + "\n").encode()


LONG_SOURCE = "Meldung des Landratsamts " + "x" * 575

CASES: list[Case] = [
    # Files that gave a traceback.
    Case(
        "zufallsbytes.csv",
        "Zufallsbytes als .csv",
        lambda: random.Random(17).randbytes(4096),
        False,
        "keine Textdatei",
        FTE,
        early=True,
    ),
    Case("bild.csv", "PNG-Bild als .csv", png, False, "PNG-Bild", FTE, early=True),
    Case(
        "unicode_text.txt",
        "UTF-16 (Excel „Unicode-Text“)",
        lambda: (
            "\ufeff".encode("utf-16-le")
            + template(FTE, ["08111\tStuttgart\t31.12.2024\t\t61,5\tMeldung"], header=HEADER.replace(";", "\t")).encode(
                "utf-16-le"
            )
        ),
        True,
        "1 Zeile verstanden",
    ),
    Case(
        "utf16_ohne_bom.csv",
        "UTF-16 ohne BOM",
        lambda: template(FTE, ["08111;Stuttgart;31.12.2024;;61,5;Meldung"]).encode("utf-16-le"),
        True,
        "1 Zeile verstanden",
    ),
    Case(
        "zelle_140kib.csv",
        "Zelle über 128 KiB",
        one_value(FTE, "61,5;" + "x" * 140_000),
        False,
        "Zeichen; erlaubt",
        early=True,
    ),
    Case(
        "zelle_140kib_mehrzeilig.csv",
        "Zelle über 128 KiB, über viele Zeilen",
        lambda: utf8(template(FTE, ['08111;Stuttgart;31.12.2024;;61,5;"' + "Zeile\n" * 24_000 + '"'])),
        False,
        "länger als 128 KiB",
    ),
    Case(
        "anfuehrungszeichen_offen.csv",
        "Anführungszeichen nie geschlossen",
        one_value(FTE, '61,5;"Meldung ohne Ende'),
        False,
        "Anführungszeichen",
    ),
    Case(
        "zeile_5mb.csv",
        "5-MB-Zeile ohne Trennzeichen",
        lambda: b"x" * 5_000_000,
        False,
        "Zeichen; erlaubt",
        FTE,
        large=True,
        early=True,
    ),
    Case(
        "genesis_zelle_200kb.csv",
        "GENESIS-Tabelle mit 200-kB-Zelle",
        lambda: genesis_table("9" * 200_000),
        False,
        "Zeichen; erlaubt",
        "refugees_in_care",
        early=True,
    ),
    Case(
        "mac_nur_cr.csv",
        "klassische Mac-Zeilenenden (nur CR)",
        lambda: utf8(
            template(
                FTE,
                ["08111;Stuttgart;31.12.2024;;61,5;Meldung", "08115;Böblingen;31.12.2024;;33,9;Meldung"],
                newline="\r",
            )
        ),
        True,
        "2 Zeilen verstanden",
    ),
    Case(
        "cr_in_zelle.csv",
        "einzelnes CR in einer Zelle",
        lambda: utf8(
            template(
                FTE,
                [
                    '08111;Stuttgart;31.12.2024;;61,5;"Meldung\rLandratsamt"',
                    "08115;Böblingen;31.12.2024;;33,9;Meldung\rLRA",
                ],
            )
        ),
        True,
        "2 Zeilen verstanden",
    ),
    # Impossible numbers.
    Case("vzae_nan.csv", "VZÄ „nan“", one_value(FTE, "nan"), False, "keine Zahl (NaN"),
    Case(
        "vzae_inf.csv",
        "VZÄ „inf“ ohne gespeicherte Personen",
        one_value(FTE, "inf", "30.06.2024"),
        False,
        "keine Zahl (NaN",
    ),
    Case("vzae_winzig.csv", "VZÄ 0,0000001", one_value(FTE, "0,0000001"), False, "unplausibel klein"),
    Case("vzae_viele_stellen.csv", "VZÄ mit 5 Nachkommastellen", one_value(FTE, "12,34567"), False, "Nachkommastellen"),
    Case("vzae_zu_gross.csv", "VZÄ 50.000", one_value(FTE, "50.000"), False, "unplausibel groß"),
    Case("betreuung_1e23.csv", "Geflüchtete 1e23", one_value(CARE, "1e23"), False, "Exponentialschreibweise"),
    Case("betreuung_zu_gross.csv", "Geflüchtete 9.999.999", one_value(CARE, "9.999.999"), False, "unplausibel groß"),
    Case(
        "betreuung_englisch.csv",
        "„1,234.5“ in deutscher ;-Datei",
        lambda: utf8(
            template(CARE, ["08111;Stuttgart;31.12.2024;;1,234.5;Meldung", "08115;Böblingen;31.12.2024;;7,5;Meldung"])
        ),
        False,
        "englischer Schreibweise",
    ),
    Case("betreuung_arabisch.csv", "arabisch-indische Ziffern", one_value(CARE, "١٢٣"), False, "anderen Schrift"),
    Case("betreuung_vollbreit.csv", "vollbreite Ziffern", one_value(CARE, "１２３"), False, "anderen Schrift"),
    Case("betreuung_unterstrich.csv", "„1_000“ (Python-Schreibweise)", one_value(CARE, "1_000"), False, "keine Zahl"),
    Case("personen_bruch.csv", "Personen 12,5", one_value(HEADCOUNT, "12,5"), False, "ganze Zahlen"),
    Case(
        "betreuung_1e23.xlsx",
        "XLSX-Zahl 1E+23",
        lambda: xlsx([xlsx_header(CARE), ["08111", "", "31.12.2024", "", 1e23, ""]]),
        False,
        "unplausibel groß",
    ),
    Case(
        "ffcsv_stag.csv",
        "ffcsv mit STAG als regionaler Variable",
        ffcsv_with_stag_as_region,
        False,
        "keine regionale Variable",
        "refugees_in_care",
    ),
    # Unbounded work.
    Case(
        "xlsx_bombe_1gb.xlsx",
        "XLSX, entpackt 1 GB",
        xlsx_bomb(1 << 30, b" "),
        False,
        "entpackt sich auf",
        large=True,
        early=True,
    ),
    Case(
        "leerraum_bombe.csv",
        "Leerraum-Bombe (19 MB Leerzeilen)",
        lambda: b" \n" * 9_500_000 + b"x",
        False,
        "Zeilen; gelesen",
        FTE,
        large=True,
        early=True,
    ),
    Case(
        "leerraum_eine_zeile.csv",
        "Leerraum-Bombe (19 MB Leerzeichen)",
        lambda: b" " * 19_000_000 + b"x",
        False,
        "Zeichen; erlaubt",
        FTE,
        large=True,
        early=True,
    ),
    Case(
        "million_zeilen.csv",
        "1.000.000 CSV-Zeilen unter 20 MB",
        lambda: b"08111;31.12.2024;1\n" * 1_000_000,
        False,
        "Zeilen; gelesen",
        FTE,
        large=True,
        early=True,
    ),
    Case(
        "excel_max_zeilen.xlsx",
        "XLSX mit 1.048.576 Zeilen",
        lambda: xlsx_rows(1_048_576),
        False,
        "entpackt sich auf",
        FTE,
        large=True,
        early=True,
    ),
    Case(
        "xlsx_45000_zeilen.xlsx",
        "XLSX mit 45.000 Zeilen (ohne <dimension>)",
        lambda: xlsx_rows(45_000),
        False,
        "mehr als 40.000 Zeilen",
        FTE,
        large=True,
    ),
    Case(
        "xlsx_elemente_bombe.xlsx",
        "XLSX, 38 MB leere Zellen <c/>",
        xlsx_bomb(38 << 20, b"<c/>"),
        False,
        "zu umfangreich",
        large=True,
        early=True,
    ),
    Case(
        "xlsx_leerraum_bombe.xlsx",
        "XLSX, 300 MB Leerraum",
        xlsx_bomb(300 << 20, b"\n"),
        False,
        "entpackt sich auf",
        large=True,
        early=True,
    ),
    Case(
        "viele_spalten.csv",
        "CSV mit 10.000 Spalten",
        lambda: (";".join(["x"] * 10_000) + "\n").encode(),
        False,
        "Spalten",
        FTE,
        early=True,
    ),
    Case("viele_spalten.xlsx", "XLSX mit 20.000 Spalten", lambda: xlsx_wide(20_000), False, "Spalten", FTE),
    Case(
        "viele_probleme.csv",
        "39.000 falsche Schlüssel",
        lambda: many_problems(39_000),
        False,
        "weitere Probleme",
        large=True,
    ),
    Case(
        "gemeinden_39636.csv",
        "39.636 gültige Zeilen (1.101 Gemeinden × 36 Stände)",
        lambda: gemeinden_rows(39_636),
        True,
        "39.636 Zeilen verstanden",
        large=True,
    ),
    # openpyxl and pandas write each text into its cell (<is>), which openpyxl reads slowly: 12,000 rows pass, 39,636
    # are refused before reading.
    Case(
        "gemeinden_12000.xlsx",
        "12.000 gültige Zeilen als XLSX (Texte in den Zellen)",
        lambda: gemeinden_xlsx(12_000),
        True,
        "12.000 Zeilen verstanden",
        large=True,
    ),
    Case(
        "gemeinden_39636.xlsx",
        "39.636 gültige Zeilen als XLSX (Texte in den Zellen)",
        lambda: gemeinden_xlsx(39_636),
        False,
        "zu umfangreich",
        large=True,
        early=True,
    ),
    Case(
        "dimension_xfd.xlsx",
        "XLSX, deren Blatt A1:XFD1048576 behauptet",
        xlsx_claiming_every_column,
        True,
        "1 Zeile verstanden",
    ),
    # Smaller ones.
    Case(
        "abgeschnitten.xlsx",
        "abgeschnittene XLSX",
        lambda: xlsx([xlsx_header(FTE)])[:3000],
        False,
        "keine lesbare XLSX-Arbeitsmappe",
        early=True,
    ),
    Case("xml_fehler.xlsx", "XLSX mit kaputtem XML", xlsx_broken_xml, False, "nicht lesbar", FTE),
    Case(
        "text_als.xlsx",
        "CSV-Text als .xlsx",
        one_value(FTE, "61,5"),
        False,
        "keine lesbare XLSX-Arbeitsmappe",
        early=True,
    ),
    Case(
        "alt_xls.xlsx",
        "altes .xls als .xlsx",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088),
        False,
        "alten Excel-Format",
        early=True,
    ),
    Case(
        "zip_ohne_excel.xlsx",
        "ZIP ohne Arbeitsmappe",
        zip_without_workbook,
        False,
        "keine Excel-Arbeitsmappe",
        early=True,
    ),
    Case(
        "escape_sequenz.csv",
        "Terminal-Escape-Sequenzen in einer Zelle",
        one_value(FTE, "61,5\x1b[2J\x1b[31m"),
        False,
        "\\x1b[2J",
    ),
    Case(
        "quelle_600.csv",
        "Quelle mit 600 Zeichen",
        lambda: utf8(template(FTE, [f"08111;Stuttgart;31.12.2024;;61,5;{LONG_SOURCE}"])),
        False,
        "600 Zeichen",
    ),
    Case("leer.csv", "leere Datei", lambda: b"", False, "leer", FTE, early=True),
    Case("nur_bom.csv", "nur BOM", lambda: b"\xef\xbb\xbf", False, "leer", FTE),
    Case(
        "nul_bytes.csv",
        "CSV mit Null-Byte",
        lambda: utf8(template(FTE, ["08111;Stuttgart;31.12.2024;;61,5;M\x00"])),
        False,
        "Null-Bytes",
        early=True,
    ),
    Case(
        "genesis_muell.csv",
        "GENESIS-Kopf, danach Unsinn",
        lambda: b"GENESIS-Tabelle: 1\n" + b"abc;def\n" * 10,
        False,
        "keine Datenzeile",
        "refugees_in_care",
    ),
    Case(
        "ffcsv_nur_kopf.csv",
        "ffcsv nur mit Kopfzeile",
        lambda: FLAT_HEADER.encode(),
        False,
        "keine",
        "refugees_in_care",
    ),
]


def by_name(name: str) -> Case:
    return next(c for c in CASES if c.file_name == name)


def write(folder: Path = FOLDER) -> list[Path]:
    """Writes every small file of the corpus; the large ones are built where they are needed."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for case in CASES:
        if not case.large:
            path = folder / case.file_name
            path.write_bytes(case.build())
            paths.append(path)
    return paths


if __name__ == "__main__":
    for p in write(Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER):
        print(p)

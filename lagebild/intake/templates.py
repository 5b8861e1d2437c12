"""Import templates (CSV and XLSX) in the layout the importer reads; each value column is named after its measure."""

from __future__ import annotations

import functools
import io

from lagebild.domain import measures as ms
from lagebild.intake import importer as im

COLUMN_HELP = {
    im.COL_KEY: "Pflicht. Amtlicher Gemeindeschlüssel: 5 Stellen für Stadt-/Landkreise (z. B. 08115), "
    "8 Stellen für Gemeinden (z. B. 08115003). Eine fehlende führende Null wird ergänzt.",
    im.COL_NAME: "Optional, nur zur Lesbarkeit; maßgeblich ist der Schlüssel.",
    im.COL_DATE: "Pflicht (oder beim Import angeben). Stichtag TT.MM.JJJJ oder JJJJ-MM-TT; bei Zugängen der "
    "Monat, z. B. 03/2024 oder 2024-03.",
    im.COL_GROUP: "Bei Zugängen Pflicht: ukraine oder asyl. Sonst leer lassen oder „insgesamt“.",
    im.COL_VALUE: "Pflicht. Zahl ≥ 0, Dezimalkomma oder -punkt. „-“ heißt null, „.“ heißt nicht verfügbar. "
    "Die Überschrift nennt die Kennzahl; bitte nicht ändern, an ihr erkennt der Import die Datei.",
    im.COL_SOURCE: "Optional. Quelle der Zahl, z. B. „Meldung Landratsamt vom 05.01.2025“.",
}
FTE_AND_HEADCOUNT = ms.joined_key(["counsellors_fte", "counsellors_headcount"])
# Template keys in the order the page lists them, with the German file name stem a user sees in the download folder.
FILE_STEMS = {
    "counsellors_fte": "integrationsmanagement_vzae",
    "counsellors_headcount": "integrationsmanagement_personen",
    FTE_AND_HEADCOUNT: "integrationsmanagement_vzae_und_personen",
    "refugees_in_care": "gefluechtete_in_betreuung",
    "arrivals": "zugaenge",
}
TITLES = {FTE_AND_HEADCOUNT: "Integrationsmanagement: VZÄ und Personen"}


def file_name(key: str, suffix: str) -> str:
    return f"vorlage_{FILE_STEMS[key]}.{suffix}"


def title(key: str) -> str:
    return TITLES.get(key) or ms.label_with_unit(ms.measure(key))


def header(key: str) -> list[str]:
    return [im.COL_KEY, im.COL_NAME, im.COL_DATE, im.COL_GROUP, *(m.label for m in ms.measures_in(key)), im.COL_SOURCE]


def example_row(key: str) -> list[str]:
    measures = ms.measures_in(key)
    flow = measures[0].kind is ms.Kind.FLOW
    values = [{"counsellors_fte": "12,5", "counsellors_headcount": "16"}.get(m.key, "1234") for m in measures]
    return [
        "08115",
        im.EXAMPLE_MARK,
        "03/2024" if flow else "31.12.2024",
        "ukraine" if flow else "",
        *values,
        "Meldung Landratsamt",
    ]


def template_csv(key: str) -> bytes:
    """UTF-8 with BOM and ';' so German Excel opens it with umlauts intact."""
    lines = [";".join(header(key)), ";".join(example_row(key))]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


# The same bytes for the life of the process: the Daten page offers every template on each of its reruns, and writing
# five workbooks took about 0.35 s of each.
@functools.cache
def template_xlsx(key: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    names = header(key)
    wb = Workbook()
    data = wb.active
    data.title = "Daten"
    data.append(names)
    data.append(example_row(key))
    for i, name in enumerate(names, start=1):
        c = data.cell(row=1, column=i)
        c.font = Font(bold=True)
        c.comment = Comment(COLUMN_HELP.get(name, COLUMN_HELP[im.COL_VALUE]), "Lagebild")
        data.column_dimensions[c.column_letter].width = max(14, len(name) + 4)
    # Keys and dates stay text so Excel keeps the leading zero and does not reformat.
    for row in data.iter_rows(min_row=2, max_row=200, max_col=4):
        for c in row:
            c.number_format = "@"
    info = wb.create_sheet("Erläuterungen")
    info.append(["Kennzahl", " und ".join(f"{ms.label_with_unit(m)}" for m in ms.measures_in(key))])
    info.append(["Hinweis", "Die Beispielzeile (Region „" + im.EXAMPLE_MARK + "“) vor dem Import löschen."])
    info.append([])
    info.append(["Spalte", "Bedeutung"])
    for name in names:
        info.append([name, COLUMN_HELP.get(name, COLUMN_HELP[im.COL_VALUE])])
    info.column_dimensions["A"].width = 34
    info.column_dimensions["B"].width = 110
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

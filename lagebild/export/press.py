"""The Pressepaket: every chart and table of a view in one ZIP with a README to cite from."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from lagebild import settings
from lagebild.export.figure_layout import title_parts
from lagebild.export.files import IMAGE_FORMATS, ExportMeta, Preset, file_name, source_rows, table_csv, table_xlsx
from lagebild.export.images import image_pending
from lagebild.present import fmt, glossary, text


@dataclass(frozen=True)
class PressItem:
    """One chart or table of a view, with what a press text needs about it."""

    label: str
    figure: go.Figure | None = None
    table: pd.DataFrame | None = None
    decimals: Mapping[str, int] | None = None
    alt: str = ""


def press_readme(meta: ExportMeta, preset: Preset, files: list[tuple[str, str]], items: list[PressItem]) -> str:
    """The README of the press pack: what, source, Stand, licence, suggested caption and alt text, the files."""
    t = meta.thresholds
    lines = [
        f"Pressepaket: Lagebild Integrationsmanagement Baden-Württemberg – {meta.view}",
        "=" * 72,
        "",
    ]
    if meta.demo:
        lines += [
            f"ACHTUNG: {settings.DEMO_LABEL}. Alle Zahlen sind erzeugt und dürfen nicht als amtliche Zahlen "
            "veröffentlicht werden.",
            "",
        ]
    lines += [
        "Was: Beratungskapazität des Integrationsmanagements (VZÄ und Personen), Geflüchtete in Betreuung, Zugänge "
        f"und Betreuungsschlüssel (Geflüchtete je VZÄ) der Stadt- und Landkreise. Zielwert {fmt.number(t.target)} "
        "Geflüchtete je VZÄ (kein amtlicher Schlüssel; abgeleitet aus den Fördersätzen 2017/18).",
        f"Auswahl: {meta.filter_text}",
        f"Annahmen: {meta.assumptions}",
        f"{glossary.GEHEIMHALTUNG}: {glossary.disclosure_rule(meta.disclosure)}",
        glossary.zeichenerklaerung(meta.disclosure),
        f"Stand: {meta.stand_text}",
        *(f"  - {label}: {text}" for label, text in meta.stands),
        f"Quelle: {meta.source_line.removeprefix('Quelle: ')}",  # the chart's source line may start with it
        f"Grenzen: {meta.attribution}",
        "",
        "Lizenz:",
        *(f"  - {what}: {source} – {licence}" for what, source, licence in source_rows(meta)),
        "",
        f"Bildformat: {preset.label} ({preset.description})",
        "",
        "Vorgeschlagene Bildunterschrift und Alternativtext:",
    ]
    for item in items:
        if item.figure is None:
            continue
        title, subtitle = title_parts(item.figure)
        lines += [
            f"  {item.label}",
            f"    Bildunterschrift: {title} ({subtitle}). {meta.source_line}.",
            f"    Alternativtext: {item.alt or meta.summary or title}",
        ]
    lines += ["", "Dateien in diesem Paket:"]
    lines += [f"  - {name}: {what}" for name, what in files]
    lines += [
        "",
        f"Erstellt am {meta.created.strftime('%d.%m.%Y um %H:%M Uhr')} mit dem Lagebild Integrationsmanagement BW.",
    ]
    # Every line one line: a break or control character from a Quelle or a name cannot start a line of its own.
    return "\r\n".join(text.plain(line) for line in lines) + "\r\n"


README_NAME = "LIESMICH.txt"


def press_pack(
    items: list[PressItem], meta: ExportMeta, preset: Preset, image_formats: tuple[str, ...] = ("png", "svg", "pdf")
) -> bytes:
    """One ZIP for the view: every chart in the preset, every table as CSV and XLSX, and a README listing them."""
    files: list[tuple[str, bytes, str]] = []
    # Every image started before the first is awaited: the export browser draws them two at a time.
    drawing = {
        (number, ext): image_pending(item.figure, ext, preset, meta)
        for number, item in enumerate(items)
        if item.figure is not None
        for ext in image_formats
    }
    for number, item in enumerate(items):
        if item.figure is not None:
            for ext in image_formats:
                files.append(
                    (
                        file_name(meta.file_stem, item.label, ext, preset),
                        drawing[number, ext].result(),
                        f"{item.label} als {IMAGE_FORMATS[ext].label} ({preset.label})",
                    )
                )
        if item.table is not None:
            files.append(
                (
                    file_name(meta.file_stem, item.label, "csv"),
                    table_csv(item.table, meta, item.decimals),
                    f"{item.label} als CSV (UTF-8, Semikolon, Dezimalkomma)",
                )
            )
            files.append(
                (
                    file_name(meta.file_stem, item.label, "xlsx"),
                    table_xlsx(item.table, meta, item.label, item.decimals),
                    f"{item.label} als XLSX mit Blatt „Metadaten“",
                )
            )
    readme = press_readme(meta, preset, [(name, what) for name, _, what in files], items)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(README_NAME, ("\ufeff" + readme).encode("utf-8"))
        for name, data, _ in files:
            archive.writestr(name, data)
    return buffer.getvalue()

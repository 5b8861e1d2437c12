"""The Kreis profile as an A4 PDF to hand on: key figures, map, time series, neighbours, definitions, sources."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, replace

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go
import reportlab
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from lagebild import settings
from lagebild.domain import analysis
from lagebild.domain.measures import Status
from lagebild.domain.regions import Regions
from lagebild.export import figure_layout, files, images
from lagebild.export.files import ExportMeta, Preset
from lagebild.present import fmt, glossary, overview, palette, profile, text

# Bitstream Vera ships with reportlab, so the PDF looks the same on every machine; it has
# umlauts, ß, € and typographic quotes, but no narrow no-break space (fmt puts one before units).
_FONT_DIR = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
FONT, FONT_BOLD = "LagebildVera", "LagebildVera-Bold"
_SUBSTITUTES = {"\u202f": "\u00a0", "\u2009": " ", "→": "->", "\u2212": "-"}

# Image streams binary instead of ASCII85 text: a quarter smaller, and reportlab's pure-Python encoder took
# a third of a second per profile. Every PDF reader since PDF 1.0 reads binary streams.
rl_config.useA85 = 0

PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
FRAME_PADDING = 6  # platypus frames keep 6 pt inside the page margins
LEFT = MARGIN + FRAME_PADDING
CONTENT_W = PAGE_W - 2 * LEFT
MAP = Preset("pdf_karte", "Kreisprofil Karte", 460, 540, 3.0, 1.0, "")
CHART = Preset("pdf", "Kreisprofil", 1000, 420, 2.0, 1.0, "")


def group_preset(others: int) -> Preset:
    """The size of a bar chart of a Kreis and `others`: one bar's height each."""
    return replace(CHART, height=max(300, 34 * (others + 1) + 170))


def _register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, os.path.join(_FONT_DIR, "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, os.path.join(_FONT_DIR, "VeraBd.ttf")))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def _in_font(value: object) -> str:
    """Text the embedded font can show."""
    glyphs = pdfmetrics.getFont(FONT).face.charToGlyph
    return "".join(_SUBSTITUTES.get(ch, ch if ord(ch) in glyphs or ch in "\n\t" else "?") for ch in str(value))


def printable(value: object) -> str:
    """Text the embedded font can show, escaped for reportlab's paragraph markup."""
    return text.pdf(_in_font(value))


@dataclass(frozen=True)
class ProfileInput:
    """Everything the profile shows, as the Kreis page has it."""

    kreis: str
    regs: Regions
    table: pd.DataFrame  # all 44 Kreise at the Stand (analysis.kreis_table)
    obs: pd.DataFrame
    period: analysis.Period | None
    kreise: gpd.GeoDataFrame  # Kreis geometry (geometry.layers().kreise)
    gemeinden: gpd.GeoDataFrame
    meta: ExportMeta


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "text", fontName=FONT, fontSize=9, leading=12, textColor=colors.HexColor(palette.TEXT), alignment=TA_LEFT
    )
    return {
        "text": base,
        "small": _derived(base, "small", fontSize=7.5, leading=9.5, textColor=colors.HexColor(palette.MUTED)),
        "cell": _derived(base, "cell", fontSize=8, leading=10),
        "head": _derived(base, "head", fontName=FONT_BOLD, fontSize=8, leading=10),
        "h1": _derived(base, "h1", fontName=FONT_BOLD, fontSize=20, leading=24, spaceAfter=2),
        "h2": _derived(
            base, "h2", fontName=FONT_BOLD, fontSize=13, leading=16, spaceBefore=10, spaceAfter=5, keepWithNext=1
        ),
        "demo": _derived(
            base, "demo", fontName=FONT_BOLD, textColor=colors.HexColor(palette.STATUS_COLOURS[Status.CRITICAL])
        ),
    }


def _derived(style: ParagraphStyle, name: str, **changes: object) -> ParagraphStyle:
    return ParagraphStyle(name, parent=style, **changes)


def _table(
    frame: pd.DataFrame, styles: dict[str, ParagraphStyle], widths: list[float], bold_first_row: bool = False
) -> Table:
    rows = [[Paragraph(printable(c), styles["head"]) for c in frame.columns]]
    for i, record in enumerate(frame.itertuples(index=False)):
        style = styles["head"] if bold_first_row and i == 0 else styles["cell"]
        rows.append([Paragraph(printable(v), style) for v in record])
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor(palette.TEXT)),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#d1d5db")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


class _Chart(Flowable):
    """A chart whose PNG the export browser is still drawing: placed by its known size, drawn when its page is.

    So the profile's charts are drawn two at a time (images.TABS) while reportlab sets the text.
    """

    def __init__(self, pending: images.Pending, width: float, height: float):
        super().__init__()
        self._pending, self.width, self.height = pending, width, height
        self.hAlign = "CENTER"  # as reportlab's Image

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        Image(io.BytesIO(self._pending.result()), width=self.width, height=self.height).drawOn(self.canv, 0, 0)


def _chart(fig: go.Figure, meta: ExportMeta, preset: Preset, width: float = CONTENT_W) -> _Chart:
    """A figure as PNG at 2× or more (about 290 dpi at the page's width), laid out like every export."""
    quiet = replace(meta, demo=False)  # the page carries the demo mark once, not on every chart
    pending = images.image_pending(fig, "png", preset, quiet)
    return _Chart(pending, width, width * preset.height / preset.width)


def _side_by_side(left: list, right: list, share: float) -> Table:
    table = Table([[left, right]], colWidths=[share * CONTENT_W, (1 - share) * CONTENT_W])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), 4 * mm),
                ("RIGHTPADDING", (1, 0), (1, 0), 0),
            ]
        )
    )
    return table


def _story(data: ProfileInput, styles: dict[str, ParagraphStyle]) -> list:
    regs, kreis, table, meta = data.regs, data.kreis, data.table, data.meta
    region = regs[kreis]
    row = table.loc[kreis]
    name = region.display_name
    source = meta.source_line
    story: list = [
        Paragraph(printable(name), styles["h1"]),
        Paragraph(
            printable(
                f"{region.kind} · Regierungsbezirk {regs.rb_of(kreis).name} · "
                f"{overview.population_text(row)} · Stand der Zahlen {fmt.day(meta.as_of)}"
            ),
            styles["text"],
        ),
    ]
    if meta.demo:
        story.append(
            Paragraph(
                printable(f"{settings.DEMO_LABEL} – alle Zahlen sind erzeugt und dienen nur der Vorführung."),
                styles["demo"],
            )
        )
    values = profile.gemeinde_values(data.obs, kreis, meta.as_of)
    members = data.gemeinden[data.gemeinden["kreis"] == kreis]
    shape = data.kreise.loc[[kreis]]
    folium_map = profile.gemeinde_map(members, shape, values, name, meta.attribution, meta.disclosure)
    if values.empty:
        subtitle = "Gemeindegrenzen; der Kreis meldet Geflüchtete in Betreuung nur insgesamt"
    else:
        subtitle = (
            f"Geflüchtete in Betreuung je Gemeinde (Personen), {len(values)} von {len(members)} Gemeinden "
            f"gemeldet · Stand {fmt.day(values['date'].max())}"
        )
    gmap = figure_layout.gemeinde_map_figure(
        folium_map, shape, profile.gemeinde_legend(values, meta.disclosure), title="Gemeinden", subtitle=subtitle
    )
    share = 0.56
    figures = overview.key_figures(row, meta.as_of, meta.thresholds, data.period)
    key_table = _table(
        pd.DataFrame(figures, columns=["Kennzahl", "Wert"]),
        styles,
        [0.36 * share * CONTENT_W, 0.64 * share * CONTENT_W - 4 * mm],
    )
    story += [
        Spacer(1, 2 * mm),
        _side_by_side(
            [Paragraph("Kennzahlen des Kreises", styles["h2"]), key_table],
            [
                Paragraph("Karte des Kreises", styles["h2"]),
                _chart(gmap, meta, MAP, (1 - share) * CONTENT_W),
                *(
                    [Paragraph(printable(glossary.zeichenerklaerung(meta.disclosure)), styles["small"])]
                    if not values.empty
                    else []
                ),
            ],
            share,
        ),
        Paragraph("Im Vergleich mit Regierungsbezirk und Land", styles["h2"]),
        _table(
            profile.comparison(table, kreis, regs),
            styles,
            [0.34 * CONTENT_W, 0.12 * CONTENT_W, 0.18 * CONTENT_W, 0.23 * CONTENT_W, 0.13 * CONTENT_W],
        ),
        Paragraph(
            printable(
                f"Regierungsbezirk und Land: Summen der Kreise und Quotienten der Summen. Rang 1 = höchste "
                f"Belastung. Quoten je Einwohner: {glossary.population_bases(table)}. {source}"
            ),
            styles["small"],
        ),
    ]
    story += [CondPageBreak(90 * mm), Paragraph("Entwicklung", styles["h2"])]
    for fig in (
        profile.arrivals_chart(data.obs, kreis, name, source, as_of=meta.as_of),
        profile.ratio_chart(data.obs, kreis, name, regs.kreis_keys, meta.thresholds, source, as_of=meta.as_of),
        profile.stocks_chart(data.obs, kreis, name, source, as_of=meta.as_of),
    ):
        story += [_chart(fig, meta, CHART), Spacer(1, 4 * mm)]

    story += [CondPageBreak(120 * mm), Paragraph("Nachbarn und Vergleichskreise", styles["h2"])]
    groups = [
        ("Nachbarkreise (gemeinsame Grenze)", [n.key for n in regs.neighbours(kreis)], "und Nachbarn"),
        (
            "Vergleichskreise (gleicher Typ, gleicher Regierungsbezirk)",
            [p.key for p in regs.peers(kreis)],
            "und Vergleichskreise",
        ),
    ]
    # Each header word fits its column at 8 pt bold ("Geflüchtete", "Betreuung", "100.000"); no word is broken.
    widths = [w * CONTENT_W for w in (0.19, 0.13, 0.12, 0.10, 0.12, 0.08, 0.14, 0.12)]
    for label, keys, suffix in groups:
        if not keys:
            story.append(Paragraph(printable(f"{label}: keiner."), styles["text"]))
            continue
        fig = profile.group_chart(table, kreis, keys, f"{name} {suffix}", meta.thresholds, source, as_of=meta.as_of)
        preset = group_preset(len(keys))
        story += [
            KeepTogether(
                [
                    Paragraph(printable(f"{label}: {len(keys)}"), styles["text"]),
                    Spacer(1, 2 * mm),
                    _chart(fig, meta, preset),
                ]
            ),
            _table(profile.group_table(table, kreis, keys), styles, widths, bold_first_row=True),
            Spacer(1, 6 * mm),
        ]

    story += [CondPageBreak(150 * mm), Paragraph("Definitionen", styles["h2"])]
    definitions = glossary.short_definitions(meta.thresholds)
    story.append(
        _table(
            pd.DataFrame(definitions, columns=["Begriff", "Definition"]), styles, [0.26 * CONTENT_W, 0.74 * CONTENT_W]
        )
    )
    story += [
        Paragraph("Annahmen", styles["h2"]),
        Paragraph(printable(meta.assumptions + "."), styles["text"]),
        Paragraph(glossary.GEHEIMHALTUNG, styles["h2"]),
        Paragraph(printable(f"{glossary.GEHEIMHALTUNG} {glossary.disclosure_rule(meta.disclosure)}"), styles["text"]),
        Paragraph(printable(glossary.zeichenerklaerung(meta.disclosure)), styles["text"]),
        Paragraph("Stand je Kennzahl", styles["h2"]),
        _table(pd.DataFrame(meta.stands, columns=["Kennzahl", "Stand"]), styles, [0.4 * CONTENT_W, 0.6 * CONTENT_W]),
        Paragraph("Quellen und Lizenzen", styles["h2"]),
    ]
    story.append(
        _table(
            pd.DataFrame(files.source_rows(meta), columns=["Was", "Quelle", "Lizenz"]),
            styles,
            [0.18 * CONTENT_W, 0.47 * CONTENT_W, 0.35 * CONTENT_W],
        )
    )
    story.append(Spacer(1, 4 * mm))
    story.append(
        Paragraph(
            printable(
                f"Erstellt am {meta.created.strftime('%d.%m.%Y um %H:%M Uhr')} mit dem Lagebild "
                "Integrationsmanagement Baden-Württemberg."
            ),
            styles["small"],
        )
    )
    return story


def _numbered_canvas(meta: ExportMeta, kreis_name: str) -> type[pdfcanvas.Canvas]:
    """A canvas that knows the page count when it draws each page's header and footer."""

    class NumberedCanvas(pdfcanvas.Canvas):
        def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003 - reportlab's signature
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []
            self._marks: list[str] = []  # bookmarks of the page being drawn, placed when the page is really added
            # PDF/UA asks the viewer to show the title, not the file name (a screen reader announces it).
            self.setViewerPreference("DisplayDocTitle", "true")

        def bookmarkPage(self, key: str, **kwargs) -> None:  # noqa: ANN003, N802 - reportlab's signature
            # A bookmark points at the page the document adds now; pages are added only in save().
            self._marks.append(key)

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._marks = []
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                for key in self._marks:
                    super().bookmarkPage(key)
                self._decorate(number, total)
                super().showPage()
            super().save()

        def _decorate(self, number: int, total: int) -> None:
            muted = colors.HexColor(palette.MUTED)
            self.saveState()
            self.setFont(FONT, 7.5)
            self.setFillColor(muted)
            self.drawString(
                LEFT,
                PAGE_H - 11 * mm,
                printable_plain(f"Lagebild Integrationsmanagement BW · Kreisprofil {kreis_name}"),
            )
            self.drawRightString(PAGE_W - LEFT, PAGE_H - 11 * mm, f"Stand {fmt.day(meta.as_of)}")
            self.setStrokeColor(colors.HexColor("#d1d5db"))
            self.line(LEFT, PAGE_H - 12.5 * mm, PAGE_W - LEFT, PAGE_H - 12.5 * mm)
            self.line(LEFT, 14 * mm, PAGE_W - LEFT, 14 * mm)
            source = printable_plain(meta.source_line)
            while pdfmetrics.stringWidth(source, FONT, 7.5) > CONTENT_W - 30 * mm:
                source = source[:-2].rstrip() + "…"
            self.drawString(LEFT, 10 * mm, source)
            self.drawRightString(PAGE_W - LEFT, 10 * mm, f"Seite {number} von {total}")
            if meta.demo:
                red = colors.HexColor(palette.STATUS_COLOURS[Status.CRITICAL])
                self.setFont(FONT_BOLD, 7.5)
                self.setFillColor(red)
                self.drawCentredString(PAGE_W / 2, PAGE_H - 16.5 * mm, printable_plain(settings.DEMO_LABEL))
                self.setFillColor(colors.Color(red.red, red.green, red.blue, alpha=0.08))
                self.setFont(FONT_BOLD, 64)
                self.translate(PAGE_W / 2, PAGE_H / 2)
                self.rotate(55)
                self.drawCentredString(0, 0, "BEISPIELDATEN")
            self.restoreState()

    return NumberedCanvas


def printable_plain(value: str) -> str:
    """Like printable, without markup escaping: for text drawn straight onto the canvas."""
    return text.plain(_in_font(value))


class _OutlinedDocument(SimpleDocTemplate):
    """A4 document whose headings become the PDF's bookmarks (the outline a reader uses to move through it)."""

    def afterFlowable(self, flowable) -> None:  # noqa: ANN001, N802 - reportlab's hook and name
        if isinstance(flowable, Paragraph) and flowable.style.name in ("h1", "h2"):
            key = f"abschnitt{id(flowable)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.getPlainText(), key, level=0 if flowable.style.name == "h1" else 1)


def kreis_profile_pdf(data: ProfileInput) -> bytes:
    """The A4 profile of one Kreis; German throughout, 'Seite X von Y' on every page."""
    _register_fonts()
    styles = _styles()
    name = data.regs[data.kreis].display_name
    buffer = io.BytesIO()
    doc = _OutlinedDocument(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=21 * mm,
        bottomMargin=20 * mm,
        title=f"Kreisprofil {name}",
        author="Lagebild Integrationsmanagement BW",
        subject=f"Kreisprofil {name}, Stand {fmt.day(data.meta.as_of)}",
        lang="de-DE",
        creator="lagebild.export.profile_pdf",
    )
    doc.build(_story(data, styles), canvasmaker=_numbered_canvas(data.meta, name))
    return buffer.getvalue()

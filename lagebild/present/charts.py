"""Plotly figures: German separators, units in titles, source and Stand on the chart."""

from __future__ import annotations

import json
import re
import textwrap
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lagebild.domain.measures import METRICS, Status
from lagebild.present import fmt, palette, text
from lagebild.present.classify import Classified
from lagebild.settings import Thresholds

# Plotly's German texts (mode bar, dates) from npm plotly.js-locales, built by data/build_plotly_locale.py:
# Streamlit's Plotly has only English registered, and `locale: "de"` alone falls back to it.
_LOCALE = json.loads(Path(__file__).with_name("plotly_locale_de.json").read_text(encoding="utf-8"))
PLOTLY_GERMAN: dict = {
    "locale": "de",
    "locales": {"de": {"dictionary": _LOCALE["dictionary"], "format": _LOCALE["format"]}},
    # Seven tab stops per chart a keyboard user passes for nothing: dragging still zooms, a double click resets.
    "modeBarButtonsToRemove": ["zoom2d", "pan2d", "zoomIn2d", "zoomOut2d", "autoScale2d", "resetScale2d"],
}

FONT = "Source Sans Pro, Arial, sans-serif"


def wrap_source(source: str, width: int = 48) -> str:
    """A long source line breaks at its separators, so "Stand" is never cut off in a narrow chart (half a page wide);
    a Quelle longer than a line breaks at its spaces. The lines are escaped: a Quelle from a file is text, never a link
    or an image in plotly.js."""
    lines, current = [], ""
    parts = source.replace(" · ", " ·|").replace("; ", ";|").split("|")
    for part in (piece for p in parts for piece in (_words(p, width) if len(p) > width else [p])):
        if current and len(current) + len(part) + 1 > width:
            lines.append(current)
            current = part
        else:
            current = f"{current} {part}".strip()
    lines.append(current)
    return "<br>".join(text.plotly(line) for line in lines)


def _words(part: str, width: int) -> list[str]:
    # Whole words only: a URL in a Quelle stays in one piece.
    return textwrap.wrap(part, width, break_long_words=False, break_on_hyphens=False)


def base_layout(fig: go.Figure, title: str, subtitle: str, source: str, height: int) -> go.Figure:
    """Title with subtitle (metric and unit) above, the source line with Stand below the x-axis title."""
    foot = wrap_source(source)
    lines = foot.count("<br>") + 1
    fig.update_layout(
        title={"text": f"{text.plotly(title)}<br><sup>{text.plotly(subtitle)}</sup>", "x": 0, "xanchor": "left"},
        separators=",.",  # German decimal comma and thousands dot (plotly.js #1264)
        font={"family": FONT, "size": 12, "color": palette.TEXT},
        height=height + 14 * (lines - 1),
        margin={"l": 10, "r": 20, "t": 70, "b": 82 + 14 * lines},
        plot_bgcolor="white",
        paper_bgcolor="white",
        showlegend=False,
    )
    fig.add_annotation(
        text=foot,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-(70 + 14 * lines),
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        font={"size": 10, "color": palette.MUTED},
        align="left",
        name="quelle",
    )
    return fig


def ranking(
    table: pd.DataFrame,
    metric: str,
    classified: Classified,
    thresholds: Thresholds,
    *,
    selected: str | None,
    source_line: str,
    subtitle: str,
) -> go.Figure:
    """Horizontal bars of the 44 Kreise, highest on top; missing values listed as 'keine Daten'."""
    m = METRICS[metric]
    data = table.assign(value=table[metric].astype(float), colour=classified.colours)
    present = data.dropna(subset=["value"]).sort_values("value")
    missing = data[data["value"].isna()]
    labels = list(missing["name"]) + list(present["name"])
    values = [0.0] * len(missing) + list(present["value"])
    colours = [palette.STATUS_COLOURS[Status.NO_DATA]] * len(missing) + list(present["colour"])
    keys = list(missing.index) + list(present.index)
    texts = [
        "keine Daten"
        if k in missing.index
        else ("keine Kapazität" if data.loc[k, "status"] == Status.NO_CAPACITY.value else fmt.number(v, m.decimals))
        for k, v in zip(keys, values, strict=True)
    ]
    outline = [3 if k == selected else 0 for k in keys]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            marker={"color": colours, "line": {"color": palette.SELECTED, "width": outline}},
            text=texts,
            textposition="outside",
            cliponaxis=False,
            customdata=keys,
            hovertext=[
                f"{n}: {t} {m.unit}" if t not in ("keine Daten",) else f"{n}: keine Daten"
                for n, t in zip(labels, texts, strict=True)
            ],
            hoverinfo="text",
        )
    )
    if metric == "ratio":
        fig.add_vline(
            x=thresholds.target,
            line={"color": palette.TEXT, "dash": "dash", "width": 1.5},
            annotation_text=f"Zielwert {fmt.number(thresholds.target)}",
            annotation_position="top",
        )
        fig.add_vline(
            x=thresholds.critical_above,
            line={"color": palette.STATUS_COLOURS[Status.CRITICAL], "dash": "dot", "width": 1},
        )
        subtitle += f" · gepunktet: kritisch ab {fmt.number(thresholds.critical_above, 1)}"
    base_layout(fig, f"{m.label} nach Kreisen", subtitle, source_line, height=max(420, 18 * len(labels) + 140))
    fig.update_xaxes(title_text=m.unit, gridcolor="#e5e7eb", zeroline=False, tickformat=",." + str(m.decimals) + "f")
    fig.update_yaxes(
        tickfont={"size": 11},
        automargin=True,
        ticktext=[f"<b>{lab}</b>" if k == selected else lab for lab, k in zip(labels, keys, strict=True)],
        tickvals=labels,
    )
    return fig


def source_line(sources: list[str], as_of: date, demo: bool, since: date | None = None) -> str:
    """'Quelle: …; Stand: 30.09.2026', short enough for a chart's foot; demo data says so first. With `since`
    (a comparison): 'Stände: 30.09.2025 und 30.09.2026'."""
    from lagebild.settings import DEMO_LABEL

    stand = f"Stände: {fmt.day(since)} und {fmt.day(as_of)}" if since else f"Stand: {fmt.day(as_of)}"
    own = [s for s in dict.fromkeys(sources) if s and not s.startswith(DEMO_LABEL)]
    if demo:
        label = "BEISPIELDATEN – keine amtlichen Zahlen"
        named = "; ".join(own)
        return f"{label} · Quelle: Beispieldaten, vom Programm erzeugt{'; ' + named if named else ''}; {stand}"
    return f"Quelle: {'; '.join(own) or 'keine Angabe'}; {stand}"


def need_sensitivity(
    frame: pd.DataFrame, current: tuple[float, float, float], *, source_line: str, subtitle: str
) -> go.Figure:
    """Statewide reinforcement need (VZÄ) across target ratios, the current target marked."""
    target, need, cost = current
    hover = [
        f"Zielwert {fmt.number(t)}: {fmt.number(n, 1, 'VZÄ')}, {fmt.euro(c)} je Jahr; {a} Kreise über dem Zielwert"
        for t, n, c, a in zip(
            frame["target"], frame["need_fte"], frame["need_cost"], frame["above_target"], strict=True
        )
    ]
    fig = go.Figure(
        go.Scatter(
            x=frame["target"],
            y=frame["need_fte"],
            mode="lines+markers",
            hovertext=hover,
            hoverinfo="text",
            line={"color": palette.PRIMARY, "width": 2.5},
            marker={"size": 5},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[target],
            y=[need],
            mode="markers+text",
            hoverinfo="text",
            hovertext=[
                f"gewählter Zielwert {fmt.number(target)}: {fmt.number(need, 1, 'VZÄ')}, {fmt.euro(cost)} je Jahr"
            ],
            text=[f"Zielwert {fmt.number(target)}: {fmt.number(need, 1, 'VZÄ')} ({fmt.euro(cost)})"],
            textposition="top right",
            cliponaxis=False,
            marker={
                "size": 12,
                "color": palette.STATUS_COLOURS[Status.CRITICAL],
                "line": {"color": "white", "width": 1.5},
            },
        )
    )
    base_layout(fig, "Verstärkungsbedarf des Landes je Zielwert", subtitle, source_line, height=400)
    fig.update_xaxes(title_text="Zielwert (Geflüchtete je VZÄ)", gridcolor="#e5e7eb", tickformat=",.0f", dtick=25)
    fig.update_yaxes(title_text="Bedarf (VZÄ)", gridcolor="#e5e7eb", tickformat=",.0f", rangemode="tozero")
    return fig


def has_band(frame: pd.DataFrame, column: str) -> bool:
    """Whether a projection frame carries the low and high runs of `column` (planning.Band) with any value."""
    return f"{column}_low" in frame.columns and bool(frame[f"{column}_low"].notna().any())


def add_band(fig: go.Figure, x: list[str], low: pd.Series, high: pd.Series, hover: list[str], **cell: int) -> None:
    """A shaded range from the low to the high run behind the expected line; `cell` is row and col of a subplot."""
    fig.add_trace(go.Scatter(x=x, y=low, mode="lines", line={"width": 0}, hoverinfo="skip", showlegend=False), **cell)
    fig.add_trace(
        go.Scatter(
            x=x,
            y=high,
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor=palette.BAND,
            hovertext=hover,
            hoverinfo="text",
            showlegend=False,
            name="Spanne",
        ),
        **cell,
    )


def projection_land(land: pd.DataFrame, *, source_line: str, subtitle: str) -> go.Figure:
    """Statewide need per month of the projection; the first point is the Stand. With the low and high runs
    (planning.Band.land) a shaded range lies behind the expected line."""
    labels = [("Stand " if i == 0 else "") + fmt.month_short(m) for i, m in enumerate(land["month"])]
    hover = [
        f"{lab}: {fmt.number(n, 1, 'VZÄ')} Bedarf, {fmt.euro(c)} je Jahr; {fmt.number(p)} Geflüchtete in Betreuung, "
        f"{fmt.number(r)} je VZÄ; {a} Kreise über dem Zielwert"
        for lab, n, c, p, r, a in zip(
            labels,
            land["need_fte"],
            land["need_cost"],
            land["refugees_in_care"],
            land["ratio"],
            land["above_target"],
            strict=True,
        )
    ]
    fig = go.Figure()
    if has_band(land, "need_fte"):
        span = [
            f"{lab}: Spanne {fmt.number(lo, 1)} bis {fmt.number(hi, 1, 'VZÄ')} Bedarf"
            for lab, lo, hi in zip(labels, land["need_fte_low"], land["need_fte_high"], strict=True)
        ]
        add_band(fig, labels, land["need_fte_low"], land["need_fte_high"], span)
    colours = [palette.MUTED] + [palette.PRIMARY] * (len(land) - 1)
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=land["need_fte"],
            mode="lines+markers+text",
            line={"color": palette.PRIMARY, "width": 2.5},
            marker={"color": colours, "size": 9},
            hovertext=hover,
            hoverinfo="text",
            text=[fmt.number(n, 1) for n in land["need_fte"]],
            textposition="top center",
            cliponaxis=False,
            name="erwartet",
        )
    )
    base_layout(fig, "Verstärkungsbedarf des Landes in den nächsten Monaten", subtitle, source_line, height=380)
    fig.update_xaxes(type="category", title_text="Monatsende", tickangle=0)
    fig.update_yaxes(title_text="Bedarf (VZÄ)", gridcolor="#e5e7eb", tickformat=",.0f", rangemode="tozero")
    return fig


def projection_kreis(
    frame: pd.DataFrame, name: str, thresholds: Thresholds, *, source_line: str, subtitle: str
) -> go.Figure:
    """One Kreis over the projection: persons in care above, the ratio against the target below."""
    from plotly.subplots import make_subplots

    labels = [("Stand " if i == 0 else "") + fmt.month_short(m) for i, m in enumerate(frame["month"])]
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.12,
        subplot_titles=("Geflüchtete in Betreuung (Personen)", "Betreuungsschlüssel (Geflüchtete je VZÄ)"),
    )
    care_hover = [
        f"{lab}: {fmt.number(p, 0, 'Personen')} in Betreuung"
        for lab, p in zip(labels, frame["refugees_in_care"], strict=True)
    ]
    if has_band(frame, "refugees_in_care"):
        care_span = [
            f"{lab}: Spanne {fmt.number(lo)} bis {fmt.number(hi, 0, 'Personen')}"
            for lab, lo, hi in zip(labels, frame["refugees_in_care_low"], frame["refugees_in_care_high"], strict=True)
        ]
        add_band(fig, labels, frame["refugees_in_care_low"], frame["refugees_in_care_high"], care_span, row=1, col=1)
        ratio_span = [
            f"{lab}: Spanne {fmt.number(lo)} bis {fmt.number(hi)} je VZÄ"
            for lab, lo, hi in zip(labels, frame["ratio_low"], frame["ratio_high"], strict=True)
        ]
        add_band(fig, labels, frame["ratio_low"], frame["ratio_high"], ratio_span, row=2, col=1)
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=frame["refugees_in_care"],
            mode="lines+markers",
            name="Geflüchtete in Betreuung",
            hovertext=care_hover,
            hoverinfo="text",
            line={"color": palette.PRIMARY, "width": 2.5},
        ),
        row=1,
        col=1,
    )
    ratio_hover = [
        f"{lab}: {fmt.number(r)} je VZÄ ({Status(s).label}); Bedarf {fmt.number(n, 1, 'VZÄ')}, {fmt.euro(c)} je Jahr"
        if s != Status.NO_CAPACITY.value
        else f"{lab}: {Status.NO_CAPACITY.label} (0 VZÄ); Bedarf {fmt.number(n, 1, 'VZÄ')}"
        for lab, r, s, n, c in zip(
            labels, frame["ratio"], frame["status"], frame["need_fte"], frame["need_cost"], strict=True
        )
    ]
    ratio_colours = [palette.STATUS_COLOURS[Status(s)] for s in frame["status"]]
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=frame["ratio"],
            mode="lines+markers",
            name="Geflüchtete je VZÄ",
            hovertext=ratio_hover,
            hoverinfo="text",
            line={"color": palette.TEXT, "width": 1.5},
            marker={"size": 10, "color": ratio_colours, "line": {"color": palette.TEXT, "width": 1}},
        ),
        row=2,
        col=1,
    )
    fig.add_hline(
        y=thresholds.target,
        line={"color": palette.TEXT, "dash": "dash", "width": 1.5},
        row=2,
        col=1,
        annotation_text=f"Zielwert {fmt.number(thresholds.target)}",
        annotation_position="top left",
    )
    fig.add_hline(
        y=thresholds.critical_above,
        line={"color": palette.STATUS_COLOURS[Status.CRITICAL], "dash": "dot", "width": 1},
        row=2,
        col=1,
        annotation_text=f"kritisch ab {fmt.number(thresholds.critical_above, 1)}",
        annotation_position="top left",
    )
    base_layout(fig, f"{name}: Projektion", subtitle, source_line, height=520)
    fig.update_xaxes(type="category", gridcolor="#e5e7eb")
    fig.update_yaxes(gridcolor="#e5e7eb", tickformat=",.0f")
    ratios = pd.concat([frame[c] for c in ("ratio", "ratio_high") if c in frame.columns]).dropna()
    top = max([thresholds.critical_above, *ratios]) * 1.1
    fig.update_yaxes(range=[0, top], row=2, col=1)
    return fig


def allocation_change(
    allocated: pd.DataFrame, classified: Classified, *, selected: str | None, source_line: str, subtitle: str
) -> go.Figure:
    """Gain or loss of VZÄ per Kreis against today, largest gain on top; missing listed as 'keine Daten'."""
    data = allocated.assign(value=allocated["change_fte"].astype(float), colour=classified.colours)
    present = data.dropna(subset=["value"]).sort_values("value")
    missing = data[data["value"].isna()]
    keys = list(missing.index) + list(present.index)
    labels = list(missing["name"]) + list(present["name"])
    values = [0.0] * len(missing) + list(present["value"])
    texts = ["keine Daten"] * len(missing) + [fmt.signed(v, 1) for v in present["value"]]
    hover = [
        f"{n}: keine Daten"
        if k in missing.index
        else f"{n}: {fmt.signed(data.loc[k, 'value'], 1, 'VZÄ')} ({fmt.number(data.loc[k, 'fte_today'], 1)} → "
        f"{fmt.number(data.loc[k, 'counsellors_fte'], 1)} VZÄ), {fmt.signed(data.loc[k, 'change_cost'] / 1000, 0, 'Tsd. €')} je Jahr"
        for k, n in zip(keys, labels, strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            text=texts,
            textposition="outside",
            cliponaxis=False,
            marker={
                "color": [palette.STATUS_COLOURS[Status.NO_DATA]] * len(missing) + list(present["colour"]),
                "line": {"color": palette.SELECTED, "width": [3 if k == selected else 0 for k in keys]},
            },
            customdata=keys,
            hovertext=hover,
            hoverinfo="text",
        )
    )
    base_layout(
        fig, "Gewinn und Verlust an VZÄ gegenüber heute", subtitle, source_line, height=max(420, 18 * len(labels) + 140)
    )
    # Symmetric around zero with room for the labels, so gains and losses read at the same scale.
    reach = max([abs(v) for v in values] + [1.0]) * 1.25
    fig.update_xaxes(
        title_text="Veränderung (VZÄ)",
        gridcolor="#e5e7eb",
        tickformat=",.0f",
        zeroline=True,
        zerolinecolor=palette.TEXT,
        range=[-reach, reach],
    )
    fig.update_yaxes(
        tickfont={"size": 11},
        automargin=True,
        tickvals=labels,
        ticktext=[f"<b>{lab}</b>" if k == selected else lab for lab, k in zip(labels, keys, strict=True)],
    )
    return fig


def ratio_spread(
    cases: dict[str, pd.Series], names: pd.Series, thresholds: Thresholds, *, source_line: str, subtitle: str
) -> go.Figure:
    """The Kreis ratios under each allocation, one row per rule: how far apart they lie, against the target."""
    fig = go.Figure()
    labels = list(cases)
    for label, ratios in cases.items():
        present = ratios.astype(float).dropna()
        colours = [
            palette.STATUS_COLOURS[Status.OK]
            if r <= thresholds.target
            else palette.STATUS_COLOURS[Status.ELEVATED]
            if r <= thresholds.critical_above
            else palette.STATUS_COLOURS[Status.CRITICAL]
            for r in present
        ]
        fig.add_trace(
            go.Scatter(
                x=present.values,
                y=[label] * len(present),
                mode="markers",
                hoverinfo="text",
                hovertext=[f"{names.get(k, k)}: {fmt.number(r)} je VZÄ ({label})" for k, r in present.items()],
                marker={"size": 11, "color": colours, "opacity": 0.85, "line": {"color": palette.TEXT, "width": 0.5}},
            )
        )
    fig.add_vline(
        x=thresholds.target,
        line={"color": palette.TEXT, "dash": "dash", "width": 1.5},
        annotation_text=f"Zielwert {fmt.number(thresholds.target)}",
        annotation_position="top",
    )
    base_layout(
        fig, "Betreuungsschlüssel der Kreise je Verteilung", subtitle, source_line, height=180 + 60 * len(labels)
    )
    fig.update_xaxes(title_text="Geflüchtete je VZÄ", gridcolor="#e5e7eb", tickformat=",.0f")
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels[::-1], automargin=True)
    return fig


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text or "")).strip()


def _when(label: object) -> str | None:
    """A month or day label of a time axis in German notation; None if the label is not a date."""
    if isinstance(label, pd.Timestamp):
        label = label.date()
    if isinstance(label, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", label):
        label = date.fromisoformat(label[:10])
    if isinstance(label, date):
        return f"{label.month:02d}/{label.year}" if label.day == 1 else fmt.day(label)
    return None


def describe(fig: go.Figure, table_hint: str = "") -> str:
    """A sentence for screen readers, generated from the figure itself: its title, then each named series with its
    last and highest value (a time series) or its highest and lowest bar (a comparison); `table_hint` names the
    table with the same numbers."""
    title = _plain((fig.layout.title.text or "").split("<br>")[0])
    parts = []
    for trace in fig.data:
        if getattr(trace, "hoverinfo", None) == "skip" or getattr(trace, "fill", None) == "tonexty":
            continue  # a range's edges (add_band): the sentence passed as `table_hint` says the range in words
        x, y = getattr(trace, "x", None), getattr(trace, "y", None)  # tuples, lists or numpy arrays
        xs, ys = (list(x) if x is not None else []), (list(y) if y is not None else [])
        horizontal = getattr(trace, "orientation", None) == "h"
        values, labels = (xs, ys) if horizontal else (ys, xs)
        pairs = [
            (label, float(value))
            for label, value in zip(labels, values, strict=False)
            if isinstance(value, int | float | np.number) and value == value
        ]
        if not pairs:
            continue
        decimals = 0 if all(v.is_integer() for _, v in pairs) else 1
        name = _plain(getattr(trace, "name", None) or "")
        lead = f"{name}: " if name else ""
        high = max(pairs, key=lambda p: p[1])
        if _when(pairs[-1][0]) is not None:
            text = f"{lead}zuletzt ({_when(pairs[-1][0])}) {fmt.number(pairs[-1][1], decimals)}"
            if len(pairs) > 2:
                text += f", höchster Wert {fmt.number(high[1], decimals)} ({_when(high[0])})"
        elif len(pairs) > 1:
            low = min(pairs, key=lambda p: p[1])
            text = (
                f"{lead}höchster Wert {_plain(str(high[0]))} mit {fmt.number(high[1], decimals)}, "
                f"niedrigster {_plain(str(low[0]))} mit {fmt.number(low[1], decimals)}"
            )
        else:
            text = f"{lead}{_plain(str(high[0]))} {fmt.number(high[1], decimals)}"
        parts.append(text)
    sentence = f"Diagramm: {title}." if title else "Diagramm."
    if parts:
        sentence += " " + "; ".join(parts[:6]) + "."
    return sentence + (f" {table_hint}" if table_hint else "")

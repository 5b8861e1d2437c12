"""Plotly figures: German separators, units in titles, source and Stand on the chart."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from lagebild import fmt, palette
from lagebild.classify import Classified
from lagebild.measures import METRICS, Status
from lagebild.settings import Thresholds

FONT = "Source Sans Pro, Arial, sans-serif"


def base_layout(fig: go.Figure, title: str, subtitle: str, source: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": f"{title}<br><sup>{subtitle}</sup>", "x": 0, "xanchor": "left"},
        separators=",.",  # German decimal comma and thousands dot (plotly.js #1264)
        font={"family": FONT, "size": 12, "color": palette.TEXT},
        height=height,
        margin={"l": 10, "r": 20, "t": 70, "b": 60},
        plot_bgcolor="white",
        paper_bgcolor="white",
        showlegend=False,
    )
    fig.add_annotation(text=source, xref="paper", yref="paper", x=0, y=0, yshift=-48, xanchor="left",
                       yanchor="bottom", showarrow=False, font={"size": 10, "color": palette.MUTED}, align="left")  # fmt: skip
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
        "keine Daten" if k in missing.index else
        ("keine Kapazität" if data.loc[k, "status"] == Status.NO_CAPACITY.value else fmt.number(v, m.decimals))
        for k, v in zip(keys, values, strict=True)
    ]  # fmt: skip
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
            hovertext=[f"{n}: {t} {m.unit}" if t not in ("keine Daten",) else f"{n}: keine Daten" for n, t in zip(labels, texts, strict=True)],
            hoverinfo="text",
        )
    )
    if metric == "ratio":
        fig.add_vline(x=thresholds.target, line={"color": palette.TEXT, "dash": "dash", "width": 1.5},
                      annotation_text=f"Zielwert {fmt.number(thresholds.target)}", annotation_position="top")  # fmt: skip
        fig.add_vline(x=thresholds.critical_above, line={"color": palette.STATUS_COLOURS[Status.CRITICAL], "dash": "dot", "width": 1},
                      annotation_text=f"kritisch ab {fmt.number(thresholds.critical_above, 1)}",
                      annotation_position="bottom")  # fmt: skip
    base_layout(fig, f"{m.label} nach Kreisen", subtitle, source_line, height=max(420, 18 * len(labels) + 140))
    fig.update_xaxes(title_text=m.unit, gridcolor="#e5e7eb", zeroline=False, tickformat=",." + str(m.decimals) + "f")
    fig.update_yaxes(tickfont={"size": 11}, automargin=True,
                     ticktext=[f"<b>{lab}</b>" if k == selected else lab for lab, k in zip(labels, keys, strict=True)],
                     tickvals=labels)  # fmt: skip
    return fig


def source_line(sources: list[str], as_of: date, demo: bool) -> str:
    prefix = "BEISPIELDATEN – keine amtlichen Zahlen · " if demo else ""
    unique = "; ".join(dict.fromkeys(s for s in sources if s))
    return f"{prefix}Quelle: {unique}; Stand: {fmt.day(as_of)}"

"""The Kreis profile: comparison with RB and Land, time series, neighbours and peers, Gemeinde detail."""

from __future__ import annotations

from datetime import date

import folium
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lagebild.domain import analysis, disclosure
from lagebild.domain.disclosure import Cell, Rule
from lagebild.domain.measures import ARRIVAL_GROUPS, GROUP_LABELS, METRICS, TOTAL, Status, status_labels
from lagebild.domain.regions import Regions
from lagebild.present import fmt, glossary, palette
from lagebild.present.charts import base_layout
from lagebild.present.maps import STYLE, TOOLTIP_JS, Accessible, Attribution, MetricScale
from lagebild.settings import Thresholds

COMPARED = [
    "ratio",
    "need_fte",
    "refugees_in_care",
    "counsellors_fte",
    "counsellors_headcount",
    "fte_per_100k",
    "arrivals",
    "arrivals_per_1000",
]


def _aggregate(table: pd.DataFrame) -> dict[str, float]:
    """Sums of counts and ratios of sums for a group of Kreise."""
    t = analysis.totals(table)
    population = float(table["population"].sum())
    return {
        "ratio": t.ratio,
        "need_fte": t.need_fte,
        "refugees_in_care": t.refugees_in_care,
        "counsellors_fte": t.counsellors_fte,
        "counsellors_headcount": t.counsellors_headcount,
        "fte_per_100k": t.counsellors_fte / population * 100_000 if population else np.nan,
        "arrivals": t.arrivals,
        "arrivals_per_1000": t.arrivals / population * 1_000 if population else np.nan,
    }


def rank_of(table: pd.DataFrame, kreis: str, metric: str) -> str:
    """'3 von 44', where 1 is the most burdened (highest ratio/need, lowest capacity)."""
    values = table[metric].astype(float).dropna()
    if kreis not in values.index:
        return "–"
    ascending = not METRICS[metric].higher_is_worse
    ranks = values.rank(ascending=ascending, method="min")
    return f"{int(ranks[kreis])} von {len(values)}"


def comparison(table: pd.DataFrame, kreis: str, regs: Regions) -> pd.DataFrame:
    """Key figures of a Kreis beside its RB and the Land, with its rank among all Kreise."""
    rb = regs[kreis].parent or ""
    rb_values = _aggregate(table[table["rb"] == rb])
    land_values = _aggregate(table)
    rows = []
    for metric in COMPARED:
        m = METRICS[metric]
        rows.append(
            {
                "Kennzahl": f"{m.label} ({m.unit})",
                "Kreis": fmt.number(table.loc[kreis, metric], m.decimals),
                f"RB {regs[rb].name}": fmt.number(rb_values[metric], m.decimals),
                "Baden-Württemberg": fmt.number(land_values[metric], m.decimals),
                "Rang": rank_of(table, kreis, metric),
            }
        )
    return pd.DataFrame(rows)


def stock_series(obs: pd.DataFrame, keys: list[str], measure: str) -> pd.Series:
    """Sum over keys per Stichtag, only where every key reported (else the sum would dip)."""
    sub = obs[(obs["measure"] == measure) & obs["region"].isin(keys) & (obs["grp"] == TOTAL)]
    counts = sub.groupby("date")["region"].nunique()
    sums = sub.groupby("date")["value"].sum(min_count=1)
    return sums[counts == len(keys)].sort_index()


def arrivals_series(obs: pd.DataFrame, kreis: str) -> pd.DataFrame:
    sub = obs[(obs["measure"] == "arrivals") & (obs["region"] == kreis)]
    return (
        sub.pivot_table(index="date", columns="grp", values="value", aggfunc="sum")
        .reindex(columns=list(ARRIVAL_GROUPS))
        .sort_index()
    )


def _date_axis(fig: go.Figure) -> None:
    fig.update_xaxes(tickformat="%m/%Y", gridcolor="#e5e7eb", hoverformat="%d.%m.%Y")
    fig.update_yaxes(gridcolor="#e5e7eb", rangemode="tozero")


def _until(obs: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """What was known at the chosen Stand: a chart of an older Stand must not show what came later."""
    return obs[obs["date"] <= as_of]


def _stand(as_of: date) -> str:
    """The one wording of the Stand in every subtitle, the same date as the footer's 'Stand:'."""
    return f"Stand {fmt.day(as_of)}"


def arrivals_chart(obs: pd.DataFrame, kreis: str, name: str, source: str, *, as_of: date) -> go.Figure:
    series = arrivals_series(_until(obs, as_of), kreis)
    fig = go.Figure()
    for grp in ARRIVAL_GROUPS:
        values = series[grp] if grp in series else pd.Series(dtype=float)
        fig.add_bar(
            x=list(series.index),
            y=list(values),
            name=GROUP_LABELS[grp],
            marker_color=palette.GROUP_COLOURS[grp],
            hovertext=[f"{fmt.month(d)}: {fmt.number(v)} Personen" for d, v in zip(series.index, values, strict=True)],
            hoverinfo="text+name",
        )
    base_layout(fig, f"Zugänge je Monat – {name}", f"Personen je Monat, nach Gruppe · {_stand(as_of)}", source, 340)
    fig.update_layout(
        barmode="stack",
        showlegend=True,
        margin={"t": 100},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 1, "xanchor": "right"},
    )
    _date_axis(fig)
    return fig


def stocks_chart(obs: pd.DataFrame, kreis: str, name: str, source: str, *, as_of: date) -> go.Figure:
    """Refugees in care on the left axis, counsellors (VZÄ, persons) on the right."""
    obs = _until(obs, as_of)
    care = stock_series(obs, [kreis], "refugees_in_care")
    fte = stock_series(obs, [kreis], "counsellors_fte")
    head = stock_series(obs, [kreis], "counsellors_headcount")
    fig = go.Figure()
    fig.add_scatter(
        x=list(care.index),
        y=list(care),
        name="Geflüchtete in Betreuung (Personen)",
        mode="lines+markers",
        line={"color": palette.STATUS_COLOURS[Status.CRITICAL], "width": 2.5},
    )
    fig.add_scatter(
        x=list(fte.index),
        y=list(fte),
        name="Integrationsmanagement (VZÄ)",
        mode="lines+markers",
        yaxis="y2",
        line={"color": palette.PRIMARY},
    )
    fig.add_scatter(
        x=list(head.index),
        y=list(head),
        name="Integrationsmanagement (Personen)",
        mode="lines+markers",
        yaxis="y2",
        line={"color": palette.PRIMARY, "dash": "dot"},
    )
    base_layout(
        fig,
        f"Betreuung und Beratungskapazität – {name}",
        f"Personen (links), VZÄ und Personen (rechts) · {_stand(as_of)}",
        source,
        340,
    )
    # An overlaying axis syncs its ticks to the left axis by default: ticks like 8,69 and 17,38 VZÄ.
    fig.update_layout(
        showlegend=True,
        margin={"t": 100},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 1, "xanchor": "right"},
        yaxis2={"overlaying": "y", "side": "right", "rangemode": "tozero", "showgrid": False, "tickmode": "auto"},
    )
    _date_axis(fig)
    return fig


def ratio_chart(
    obs: pd.DataFrame, kreis: str, name: str, land_keys: list[str], thresholds: Thresholds, source: str, *, as_of: date
) -> go.Figure:
    obs = _until(obs, as_of)
    care, fte = stock_series(obs, [kreis], "refugees_in_care"), stock_series(obs, [kreis], "counsellors_fte")
    ratio = (care / fte.replace(0, np.nan)).dropna()
    land = (stock_series(obs, land_keys, "refugees_in_care") / stock_series(obs, land_keys, "counsellors_fte")).dropna()
    fig = go.Figure()
    fig.add_scatter(
        x=list(ratio.index),
        y=list(ratio),
        name=name,
        mode="lines+markers",
        line={"color": palette.STATUS_COLOURS[Status.CRITICAL], "width": 2.5},
        hovertext=[f"{fmt.day(d)}: {fmt.number(v)} je VZÄ" for d, v in ratio.items()],
        hoverinfo="text+name",
    )
    fig.add_scatter(
        x=list(land.index),
        y=list(land),
        name="Baden-Württemberg",
        mode="lines",
        line={"color": palette.MUTED, "width": 2},
        hovertext=[f"{fmt.day(d)}: {fmt.number(v)} je VZÄ" for d, v in land.items()],
        hoverinfo="text+name",
    )
    fig.add_hline(
        y=thresholds.target,
        line={"color": palette.TEXT, "dash": "dash", "width": 1.5},
        annotation_text=f"Zielwert {fmt.number(thresholds.target)}",
        annotation_position="top left",
    )
    base_layout(
        fig,
        f"Betreuungsschlüssel – {name}",
        f"Geflüchtete je VZÄ, Kreis und Land (Summe über Summe) · {_stand(as_of)}",
        source,
        340,
    )
    fig.update_layout(
        showlegend=True,
        margin={"t": 100},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 1, "xanchor": "right"},
    )
    _date_axis(fig)
    return fig


def group_table(table: pd.DataFrame, kreis: str, others: list[str]) -> pd.DataFrame:
    keys = [kreis] + [k for k in others if k != kreis]
    sub = table.loc[keys]
    return pd.DataFrame(
        {
            "Kreis": sub["name"],
            "Geflüchtete je VZÄ": [fmt.number(v) for v in sub["ratio"]],
            "Status": status_labels(sub["status"]),
            "Bedarf (VZÄ)": [fmt.number(v, 1) for v in sub["need_fte"]],
            "In Betreuung": [fmt.number(v) for v in sub["refugees_in_care"]],
            "VZÄ": [fmt.number(v, 1) for v in sub["counsellors_fte"]],
            "VZÄ je 100.000 Einw.": [fmt.number(v, 1) for v in sub["fte_per_100k"]],
            "Typ": sub["kind"],
        }
    )


def group_chart(
    table: pd.DataFrame, kreis: str, others: list[str], title: str, thresholds: Thresholds, source: str, *, as_of: date
) -> go.Figure:
    """The ratio of a Kreis and `others` as bars; `table` is the Kreis table at `as_of`."""
    keys = [kreis] + [k for k in others if k != kreis]
    sub = table.loc[keys].sort_values("ratio", na_position="first")
    colours = [palette.STATUS_COLOURS[Status(s)] for s in sub["status"]]
    fig = go.Figure(
        go.Bar(
            x=[0 if pd.isna(v) else v for v in sub["ratio"]],
            y=list(sub["name"]),
            orientation="h",
            marker={
                "color": colours,
                "line": {"color": palette.SELECTED, "width": [3 if k == kreis else 0 for k in sub.index]},
            },
            text=[fmt.number(v) for v in sub["ratio"]],
            textposition="outside",
            cliponaxis=False,
            hoverinfo="text",
            hovertext=[
                f"{n}: {fmt.number(v)} Geflüchtete je VZÄ" for n, v in zip(sub["name"], sub["ratio"], strict=True)
            ],
        )
    )
    fig.add_vline(
        x=thresholds.target,
        line={"color": palette.TEXT, "dash": "dash", "width": 1.5},
        annotation_text=f"Zielwert {fmt.number(thresholds.target)}",
        annotation_position="top",
    )
    base_layout(fig, title, f"Geflüchtete je VZÄ · {_stand(as_of)}", source, max(220, 34 * len(sub) + 150))
    fig.update_yaxes(
        ticktext=[f"<b>{n}</b>" if k == kreis else n for n, k in zip(sub["name"], sub.index, strict=True)],
        tickvals=list(sub["name"]),
    )
    return fig


def gemeinde_values(obs: pd.DataFrame, kreis: str, as_of: date) -> pd.DataFrame:
    """Latest Gemeinde-level refugees in care on or before as_of, per Gemeinde of the Kreis."""
    sub = obs[
        (obs["measure"] == "refugees_in_care")
        & obs["region"].str.startswith(kreis)
        & (obs["region"].str.len() == 8)
        & (obs["date"] <= as_of)
    ]
    return sub.sort_values("date").groupby("region").tail(1).set_index("region")[["value", "date", "source"]]


def published_gemeinden(values: pd.DataFrame, rule: Rule) -> pd.DataFrame:
    """The Gemeinde values as the rule lets them be shown: `value` (rounded, NaN if gesperrt), `cell`, `date`."""
    out = disclosure.protect(values["value"], rule)
    out["date"] = values["date"]
    return out


def _classes(shown: pd.Series) -> np.ndarray:
    return np.unique(np.quantile(shown, [0.2, 0.4, 0.6, 0.8, 1.0])) if len(shown) else np.array([])


GEMEINDE_MEASURE = "Geflüchtete in Betreuung"


def gemeinde_map(
    gemeinden: pd.DataFrame,
    kreis_shape: pd.DataFrame,
    values: pd.DataFrame,
    kreis_name: str,
    attribution: str,
    rule: Rule,
) -> folium.Map:
    """The Kreis's Gemeinden, coloured by refugees in care where reported, else outlines only.

    Colours, tooltips and classes see only what the rule publishes: a gesperrt Gemeinde is grey with "x".
    """
    minx, miny, maxx, maxy = (float(x) for x in kreis_shape.total_bounds)
    m = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=10, tiles=None, zoom_snap=0.25)
    m.add_child(MetricScale())
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    published = published_gemeinden(values, rule)
    bins = _classes(published["value"].dropna())
    colours = palette.sequential(len(bins), worse=True)
    signs = glossary.sign_meanings(rule)
    features = []
    for key, row in gemeinden.iterrows():
        has = key in published.index
        extra: list[str] = []
        if not has:
            colour = "#ffffff"
            figure = [["Gemeindezahlen", "keine – der Kreis meldet nur insgesamt"]]
        else:
            kind = Cell(published.loc[key, "cell"])
            value = published.loc[key, "value"]
            if kind is Cell.SUPPRESSED:
                colour = palette.SUPPRESSED
            else:
                colour = colours[int(np.searchsorted(bins, value))] if len(bins) else "#ffffff"
            figure = [
                [GEMEINDE_MEASURE, fmt.cell(value, kind, "Personen", fmt.NO_DATA)],
                ["Stand", fmt.day(published.loc[key, "date"])],
            ]
            extra = [signs[kind]] if kind in signs else []
        props = {
            "ags": key,
            "n": str(row["name"]),
            "s": f"Gemeinde in {kreis_name}",
            "f": figure,
            "x": extra,
            "fill": colour,
            "has": has,
        }
        features.append({"type": "Feature", "id": key, "properties": props, "geometry": row.geometry.__geo_interface__})
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="Gemeinden",
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "fillOpacity": 0.85 if f["properties"]["has"] else 0.1,
            "color": "#6b7280",
            "weight": 0.8,
        },
        highlight_function=lambda _: {"weight": 3, "color": palette.SELECTED},
        on_each_feature=TOOLTIP_JS,
    ).add_to(m)
    folium.GeoJson(
        kreis_shape.__geo_interface__,
        name=kreis_name,
        interactive=False,
        style_function=lambda _: {"fill": False, "color": palette.BORDER_RB, "weight": 2.5},
    ).add_to(m)
    m.get_root().header.add_child(folium.Element(STYLE))  # type: ignore[attr-defined]  # a branca Figure
    m.add_child(Attribution(attribution))
    m.add_child(Accessible(f"Karte der Gemeinden: {kreis_name}"))
    return m


def gemeinde_legend(values: pd.DataFrame, rule: Rule) -> list[tuple[str, str]]:
    """(colour, label) per class of the published values, low to high, then the gesperrt Gemeinden if any."""
    published = published_gemeinden(values, rule)
    shown = published["value"].dropna()
    bins = _classes(shown)
    colours = palette.sequential(len(bins), worse=True)
    out = []
    lo = shown.min() if len(shown) else 0.0
    for colour, hi in zip(colours, bins, strict=True):
        out.append((colour, f"{fmt.number(lo)} bis {fmt.number(hi)} Personen"))
        lo = hi
    suppressed = int((published["cell"] == Cell.SUPPRESSED).sum())
    if suppressed:
        out.append(
            (palette.SUPPRESSED, f"{fmt.SUPPRESSED}: gesperrt ({fmt.count(suppressed, 'Gemeinde', 'Gemeinden')})")
        )
    return out


def gemeinde_table(members: pd.DataFrame, values: pd.DataFrame, rule: Rule) -> pd.DataFrame:
    """Every Gemeinde of the Kreis with its published count: a number, 'x' (gesperrt), '–' (null) or '.' (none)."""
    published = published_gemeinden(values, rule)
    rows = []
    for key, name in members["name"].items():
        if key in published.index:
            kind, value, stand = (
                Cell(published.loc[key, "cell"]),
                published.loc[key, "value"],
                published.loc[key, "date"],
            )
        else:
            kind, value, stand = Cell.MISSING, None, None
        rows.append(
            {
                "Gemeindeschlüssel": key,
                "Gemeinde": str(name),
                "In Betreuung (Pers.)": int(value) if kind is Cell.VALUE else fmt.cell(value, kind),
                "Stand Betreuung": stand,
            }
        )
    return pd.DataFrame(rows)


def clicked_gemeinde(map_state: dict | None) -> str | None:
    drawing = (map_state or {}).get("last_active_drawing") or {}
    key = (drawing.get("properties") or {}).get("ags")
    return str(key) if key else None

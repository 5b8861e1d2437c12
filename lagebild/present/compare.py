"""What the Vergleich says: legend and tooltips of the change map, crossings, movers, Land totals, export table."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd

from lagebild.domain.compare import Movement, TotalRow
from lagebild.domain.measures import METRICS, Status
from lagebild.present import fmt, palette
from lagebild.present.classify import Classified, classify_around_zero

NO_VALUE = "keine Angabe"
MISSING_LEGEND = f"{NO_VALUE} (an einem der Stände kein Wert)"
MOVEMENT_LABELS = {
    Movement.ROSE.value: "gestiegen",
    Movement.FELL.value: "gesunken",
    Movement.UNCHANGED.value: "unverändert",
    Movement.MISSING.value: NO_VALUE,
}


def stands_text(before: date, after: date) -> str:
    return f"{fmt.day(before)} → {fmt.day(after)}"


def metric_label(metric: str) -> str:
    m = METRICS[metric]
    return f"{m.label} ({m.unit})"


def legend_title(metric: str, before: date, after: date) -> str:
    """'Veränderung Betreuungsschlüssel (Geflüchtete je VZÄ), 30.09.2025 → 30.09.2026'."""
    return f"Veränderung {metric_label(metric)}, {stands_text(before, after)}"


def classes(changes: pd.DataFrame, metric: str, before: date, after: date) -> Classified:
    """Classes around zero; the warm side is the worse one for the metric; a missing value is 'keine Angabe'."""
    m = METRICS[metric]
    classified = classify_around_zero(
        changes["change"], legend_title(metric, before, after), m.decimals, negative_is_worse=not m.higher_is_worse
    )
    missing = [e.colour for e in classified.legend if e.missing]
    colours = classified.colours.where(~classified.colours.isin(missing), palette.NO_CHANGE_VALUE)
    legend = [
        replace(e, label=MISSING_LEGEND, colour=palette.NO_CHANGE_VALUE) if e.missing else e for e in classified.legend
    ]
    return replace(classified, colours=colours, legend=legend)


def value(x: object, metric: str) -> str:
    m = METRICS[metric]
    return fmt.number(x, m.decimals, m.unit, missing=NO_VALUE)


def change_text(row: pd.Series, metric: str) -> str:
    """'+12 Geflüchtete je VZÄ (schlechter)', 'unverändert', 'keine Angabe'."""
    movement = row["movement"]
    if movement in (Movement.MISSING.value, Movement.UNCHANGED.value):
        return MOVEMENT_LABELS[movement]
    m = METRICS[metric]
    way = "schlechter" if row["worse"] else "besser"
    return f"{fmt.signed(row['change'], m.decimals, m.unit)} ({way})"


def status_text(row: pd.Series) -> str:
    then, now = Status(row["status_before"]), Status(row["status_after"])
    return now.label if then is now else f"{then.label} → {now.label}"


def dated(x: object, metric: str, stand: date, when: object) -> str:
    """The value, with the day it was reported when that is older than the Stand (no newer report since)."""
    text = value(x, metric)
    if isinstance(when, date) and when < stand and not fmt.is_missing(x):
        text += f" (Meldung vom {fmt.day(when)})"
    return text


def tooltip_rows(row: pd.Series, metric: str, before: date, after: date) -> list[list[str]]:
    """Both values, the change and the status, each labelled with its Stand (and an older report's day)."""
    return [
        [f"Stand {fmt.day(before)}", dated(row["before"], metric, before, row.get("before_date"))],
        [f"Stand {fmt.day(after)}", dated(row["after"], metric, after, row.get("after_date"))],
        ["Veränderung", change_text(row, metric)],
        ["Status", status_text(row)],
    ]


def crossing_lines(crossed: pd.DataFrame, ratios: pd.DataFrame) -> list[str]:
    """'- **Name**: erhöht → kritisch (140 → 190 Geflüchtete je VZÄ)'; status follows the Betreuungsschlüssel."""
    lines = []
    for key, r in crossed.iterrows():
        then, now = Status(r["status_before"]), Status(r["status_after"])
        ratio = ratios.loc[key]
        lines.append(
            f"- **{r['name']}**: {then.label} → {now.label} "
            f"({fmt.number(ratio['before'], 0, missing=NO_VALUE)} → {value(ratio['after'], 'ratio')})"
        )
    return lines


def mover_lines(moved: pd.DataFrame, metric: str) -> list[str]:
    """'- **Name**: +12 Geflüchtete je VZÄ (140 → 152)'."""
    m = METRICS[metric]
    return [
        f"- **{r['name']}**: {fmt.signed(r['change'], m.decimals, m.unit)} "
        f"({fmt.number(r['before'], m.decimals)} → {fmt.number(r['after'], m.decimals)})"
        for _, r in moved.iterrows()
    ]


TOTAL_LABELS = {"counsellors_fte": "Integrationsmanagement", "arrivals": "Zugänge (3 Monate bis zum Stand)"}


def totals_frame(rows: list[TotalRow], before: date, after: date) -> pd.DataFrame:
    """The Land's (or the filter's) totals as text: Kennzahl, both Stände, change."""
    out = []
    for row in rows:
        m = METRICS[row.key]
        label = TOTAL_LABELS.get(row.key, m.label)
        out.append(
            {
                "Kennzahl": f"{label} ({m.unit})",
                f"Stand {fmt.day(before)}": value(row.before, row.key),
                f"Stand {fmt.day(after)}": value(row.after, row.key),
                "Veränderung": NO_VALUE if fmt.is_missing(row.change) else fmt.signed(row.change, m.decimals, m.unit),
            }
        )
    return pd.DataFrame(out)


EXPORT_FORMATS = {"Wert vorher": 1, "Wert nachher": 1, "Veränderung": 1}


def export_table(changes: pd.DataFrame, metric: str, before: date, after: date) -> pd.DataFrame:
    """One row per Kreis, numbers left as numbers; stable column names (the Stände stand in the Metadaten)."""
    return pd.DataFrame(
        {
            "AGS": changes.index,
            "Kreis": changes["name"],
            "Kennzahl": metric_label(metric),
            "Stand vorher": fmt.day(before),
            "Wert vorher": changes["before"],
            "Stand nachher": fmt.day(after),
            "Wert nachher": changes["after"],
            "Veränderung": changes["change"],
            "Entwicklung": changes["movement"].map(MOVEMENT_LABELS),
            "Status vorher": changes["status_before"].map(lambda s: Status(s).label),
            "Status nachher": changes["status_after"].map(lambda s: Status(s).label),
        }
    ).reset_index(drop=True)


def export_formats(metric: str) -> dict[str, int]:
    return dict.fromkeys(EXPORT_FORMATS, METRICS[metric].decimals)


def style_table(frame: pd.DataFrame, metric: str):  # noqa: ANN201 - pandas Styler
    """German numbers on screen (numbers underneath for sorting); a missing value reads 'keine Angabe'."""
    places = METRICS[metric].decimals
    return frame.style.format(
        {
            "Wert vorher": lambda v: fmt.number(v, places, missing=NO_VALUE),
            "Wert nachher": lambda v: fmt.number(v, places, missing=NO_VALUE),
            "Veränderung": lambda v: NO_VALUE if fmt.is_missing(v) else fmt.signed(v, places),
        }
    )

"""The Landesübersicht as one View: cards, summary, worst Kreise, map, detail card, ranking, changes, exports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pandas as pd
import plotly.graph_objects as go

from lagebild import geometry, settings
from lagebild.domain import analysis
from lagebild.domain.measures import METRICS
from lagebild.domain.regions import regions
from lagebild.export import figure_layout
from lagebild.geometry import Layers
from lagebild.params import MAP_METRIC, NON_RATIO_SCHEME, SCHEME, schemes_for
from lagebild.present import charts, fmt, glossary, maps, overview
from lagebild.present.classify import Scheme, classify
from lagebild.views import Data, Empty, Next

TITLE = "Landesübersicht"
EXPORT_KEY = "export_uebersicht"
NO_DATA = "Noch keine Daten im Datenbestand. Bitte Daten importieren oder Beispieldaten laden."
NO_KREIS = "Kein Kreis entspricht dem Filter. Bitte die Auswahl in der Seitenleiste ändern."
PICK_LABEL = "Kreis wählen"
NO_SELECTION = "**Kein Kreis ausgewählt.** Einen Kreis in der Karte anklicken oder in der Tabelle wählen."
RANKING_WAITS = "Die Rangfolge wird gezeichnet, sobald die Karte steht …"
NO_PREVIOUS = "Es gibt keinen früheren Stand zum Vergleich."
DEMO_NOTE = f"**{settings.DEMO_LABEL}** – Werte erzeugt, nicht amtlich."
RANKING_ON_SCREEN = overview.RANKING_ON_SCREEN


def metric_label(metric: str) -> str:
    return f"{METRICS[metric].label} ({METRICS[metric].unit})"


@dataclass(frozen=True)
class Detail:
    """The card of the selected Kreis."""

    key: str
    name: str
    subtitle: str
    figures: str  # a markdown list


@dataclass(frozen=True)
class Changes:
    status_title: str
    status_lines: str
    movers_title: str
    mover_lines: str


@dataclass(frozen=True)
class ExportSpec:
    """What the export panel offers; a figure may be a function, built only when its file is asked for."""

    figures: dict[str, go.Figure | Callable[[], go.Figure]]
    tables: dict[str, pd.DataFrame]
    decimals: dict[str, int]
    summary: str
    period: analysis.Period | None


@dataclass(frozen=True)
class OverviewView:
    caption: str
    demo_note: str | None
    cards: list[overview.Kpi]
    summary: str
    completeness_note: str | None  # which Kreise have not reported for the Stand; None when all have
    top_title: str
    top: list[tuple[str, str]]
    kreis_map: maps.KreisMap
    map_caption: str
    map_name: str  # the map's accessible name: what it shows, the situation, and where the same numbers stand as text
    choices: dict[str, str]  # every Kreis shown, worst first: the keyboard's way to the map's choice
    detail: Detail | None
    ranking: go.Figure
    ranking_styled: object  # the frame as a pandas Styler: German numbers, the selected Kreis marked
    ranking_keys: list[str]  # the Kreis of each row, for a selection in the table
    ranking_height: int
    source: str
    exports: ExportSpec
    changes: Changes | None


PER_INHABITANT = ("fte_per_100k", "arrivals_per_1000")


def kreis_choices(frame: pd.DataFrame) -> dict[str, str]:
    """Key → 'Name · 382 je VZÄ · kritisch', in the order of the ranking table (worst first)."""
    return {
        str(row["AGS"]): f"{row['Kreis']} · {fmt.number(row['Geflüchtete je VZÄ'], 0, 'je VZÄ')} · {row['Status']}"
        for _, row in frame.iterrows()
    }


def next_switches(data: Data, *, metric: str, scheme: Scheme, months: int, picked: str | None) -> list[Next]:
    """What the next switch on this page likely asks for: another Kennzahl (in the classification the page then
    gives it), another classification, and on the whole Land one Regierungsbezirk."""
    inputs = {"metric": metric, "scheme": scheme, "months": months, "picked": picked}
    switches = [
        Next({**inputs, "metric": other, "scheme": SCHEME.default if other == "ratio" else NON_RATIO_SCHEME})
        for other in MAP_METRIC.options
        if other != metric
    ]
    switches += [Next({**inputs, "scheme": other}) for other in schemes_for(metric) if other != scheme]
    if data.selection.is_whole_land:
        switches += [Next(inputs, rbs=(rb.key,)) for rb in regions().regierungsbezirke]
    return switches


def build(
    data: Data, layers: Layers, *, metric: str, scheme: Scheme, months: int, picked: str | None
) -> OverviewView | Empty:
    """Everything the Landesübersicht shows for these inputs; `picked` is the selected Kreis (or None)."""
    table = data.table(filtered=True)
    period = data.period(3)
    caption = f"{data.region_label} · {len(table)} von 44 Stadt- und Landkreisen · Stand {fmt.day(data.as_of)}" + (
        f" · Vergleich mit {fmt.day(data.previous)}" if data.previous else ""
    )
    demo_note = DEMO_NOTE if data.is_demo else None
    if not len(table):
        return Empty(caption, demo_note, NO_KREIS)

    totals = analysis.totals(table)
    before = data.table(data.previous, filtered=True) if data.previous else None
    source = charts.source_line(data.sources(), data.as_of, data.is_demo)
    cards = overview.kpis(
        totals,
        analysis.totals(before) if before is not None else None,
        data.thresholds,
        period,
        data.as_of,
        data.previous,
    )
    summary = overview.summary(
        table, totals, data.thresholds, data.as_of, data.region_label if data.is_filtered else None
    )
    top = overview.top_critical(table)
    status = data.meldestand()
    late = [k for k in status.overdue_kreise if k in data.kreis_keys]
    completeness_note = (
        status.summary(regions(), data.kreis_keys) + " Einzelheiten: Seite Daten, Reiter „Meldestand“."
        if late
        else None
    )

    arrivals = metric.startswith("arrivals")
    everywhere = data.table(months=months) if arrivals else data.table()
    shown = everywhere.loc[data.kreis_keys]
    shown_period = data.period(months) if arrivals else period
    focus = data.kreis_keys if data.is_filtered else None
    # Classes from all 44 Kreise, so colours mean the same whatever the filter; counts for the filter.
    classified = classify(everywhere, metric, scheme, data.thresholds).counted_within(data.kreis_keys)
    tiles_url, tiles_attribution = settings.tiles()
    kreis_map = maps.kreis_map(
        layers,
        everywhere,
        classified,
        as_of=data.as_of,
        thresholds=data.thresholds,
        period=shown_period,
        geo_meta=geometry.meta(),
        selected=picked,
        focus=focus,
        overdue=status.missing_by_kreis(),
        tiles=tiles_url,
        tiles_attribution=tiles_attribution,
    )

    detail = None
    if picked is not None and picked in everywhere.index:
        row = everywhere.loc[picked]
        figures = overview.key_figures(row, data.as_of, data.thresholds, shown_period)
        detail = Detail(
            picked,
            str(row["name"]),
            f"{row['kind']} · Regierungsbezirk {row['rb_name']}",
            "\n".join(f"- **{label}:** {text}" for label, text in figures),
        )

    stand = f"Stand {fmt.day(data.as_of)}"
    ranking = charts.ranking(
        shown,
        metric,
        classified,
        data.thresholds,
        selected=picked,
        source_line=source,
        subtitle=f"{METRICS[metric].unit} · {data.region_label} · {stand}",
    )
    frame = overview.ranking_table(shown, data.as_of)
    # The static map is built only when a file asks for it.
    static_map = partial(
        figure_layout.kreise_map_figure,
        layers,
        classified,
        title=f"{METRICS[metric].label} der Kreise",
        subtitle=f"{METRICS[metric].unit} · {scheme.value} · {data.region_label} · {stand}"
        + (f" · Zugänge {fmt.period(shown_period)}" if arrivals and shown_period else ""),
        selected=picked,
        focus=focus,
        overdue=late,
    )
    spec = ExportSpec(
        {"Karte": static_map, "Rangfolge": ranking}, {"Tabelle": frame}, overview.RANKING_FORMATS, summary, shown_period
    )

    changes = None
    if data.previous is not None and before is not None:
        changed, movers = overview.changes(table, before)
        changes = Changes(
            f"**Statuswechsel seit {fmt.day(data.previous)}**",
            "\n".join(overview.change_lines(changed)) or "Kein Kreis hat den Status gewechselt.",
            "**Größte Veränderungen des Betreuungsschlüssels**",
            "\n".join(overview.mover_lines(movers)),
        )

    return OverviewView(
        caption=caption,
        demo_note=demo_note,
        cards=cards,
        summary=summary,
        completeness_note=completeness_note,
        top_title="**Am stärksten belastet**" if top else "**Kein Kreis über dem Zielwert.**",
        top=top,
        kreis_map=kreis_map,
        map_caption=f"Karte: {source}. {geometry.meta().attribution}."
        + (f" Je Einwohner: {glossary.population_bases(shown)}." if metric in PER_INHABITANT else ""),
        map_name=f"{maps.MAP_NAME}, gefärbt nach {METRICS[metric].label} ({scheme.value}). {summary} "
        + (f"Schraffiert: {fmt.count(len(late), 'Kreis', 'Kreise')} mit überfälliger Meldung. " if late else "")
        + f"Dieselben Zahlen stehen in der Liste „{PICK_LABEL}“ und in der Tabelle „Rangfolge“.",
        choices=kreis_choices(frame),
        detail=detail,
        ranking=ranking,
        ranking_styled=overview.style_ranking(frame, picked),
        ranking_keys=list(frame["AGS"]),
        ranking_height=min(720, 38 + 35 * len(frame)),
        source=source,
        exports=spec,
        changes=changes,
    )

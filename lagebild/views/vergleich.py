"""The Vergleich as one View: the change of a Kennzahl between two Stände, map, crossings, movers, totals, exports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

import pandas as pd
import plotly.graph_objects as go

from lagebild import geometry, settings
from lagebild.domain import compare
from lagebild.domain.measures import METRICS
from lagebild.export import figure_layout
from lagebild.geometry import Layers
from lagebild.present import charts, fmt, glossary, maps
from lagebild.present import compare as text
from lagebild.views import Data, Empty
from lagebild.views.overview import PER_INHABITANT

TITLE = "Vergleich zweier Stände"
VIEW = "Vergleich"  # export file names and the Metadaten's "Ansicht"
EXPORT_KEY = "export_vergleich"
NO_DATA = "Noch keine Daten im Datenbestand. Bitte Daten importieren oder Beispieldaten laden."
NO_KREIS = "Kein Kreis entspricht dem Filter. Bitte die Auswahl in der Seitenleiste ändern."
DEMO_NOTE = f"**{settings.DEMO_LABEL}** – Werte erzeugt, nicht amtlich."
ONE_STAND = (
    "Für einen Vergleich braucht es zwei Stände. Im Datenbestand gibt es nur den Stand {stand}; "
    "sobald Zahlen zu einem weiteren Stichtag importiert sind (Seite Daten), lässt er sich hier vergleichen."
)
SAME_STAND = (
    "Beide Male ist der Stand {stand} gewählt: Ein Stand lässt sich nicht mit sich selbst vergleichen. "
    "Bitte oben einen anderen früheren oder späteren Stand wählen."
)
SIDEBAR_NOTE = "Die beiden Stände werden hier gewählt; der Stand in der Seitenleiste gilt für die anderen Seiten."


def stand_label(stand: date) -> str:
    return fmt.day(stand)


def metric_label(metric: str) -> str:
    return text.metric_label(metric)


@dataclass(frozen=True)
class Listing:
    title: str
    lines: str  # a markdown list, or a sentence when it is empty


@dataclass(frozen=True)
class CompareView:
    caption: str
    demo_note: str | None
    order_note: str | None  # when the Stände were given the wrong way round
    before: date
    after: date
    kreis_map: maps.KreisMap
    map_name: str
    map_caption: str
    worse: Listing
    better: Listing
    rises: Listing
    falls: Listing
    crossings_note: str
    totals_title: str
    totals: pd.DataFrame
    table_styled: object  # the export table as a pandas Styler: German numbers, "keine Angabe"
    table_title: str
    source: str
    figures: dict[str, go.Figure | Callable[[], go.Figure]]
    tables: dict[str, pd.DataFrame]
    decimals: dict[str, int]
    summary: str


def _listing(title: str, lines: list[str], empty: str) -> Listing:
    return Listing(title, "\n".join(lines) or empty)


def build(
    data: Data, layers: Layers, stands: list[date], *, before: date, after: date, metric: str
) -> CompareView | Empty:
    """Everything the Vergleich shows for two Stände and a Kennzahl; Empty with the reason when there is
    nothing to compare (one Stand only, the same Stand twice, no Kreis in the filter)."""
    demo_note = DEMO_NOTE if data.is_demo else None
    order_note = None
    if before > after:
        before, after = after, before
        order_note = "Der frühere Stand ist der spätere Stichtag: verglichen wird in zeitlicher Reihenfolge."
    caption = (
        f"{data.region_label} · {len(data.kreis_keys)} von 44 Stadt- und Landkreisen · "
        f"Stände {text.stands_text(before, after)}"
    )
    if len(stands) < 2:
        return Empty(caption, demo_note, ONE_STAND.format(stand=fmt.day(stands[0]) if stands else "–"))
    if before == after:
        return Empty(caption, demo_note, SAME_STAND.format(stand=fmt.day(before)))
    if not data.kreis_keys:
        return Empty(caption, demo_note, NO_KREIS)

    m = METRICS[metric]
    then_all, now_all = data.table(before), data.table(after)
    changes_all = compare.change_table(then_all, now_all, metric)
    ratios_all = compare.change_table(then_all, now_all, "ratio")
    keys = data.kreis_keys
    changes, ratios = changes_all.loc[keys], ratios_all.loc[keys]
    # Classes from all 44 Kreise, so colours mean the same whatever the filter.
    classified = text.classes(changes_all, metric, before, after)
    focus = keys if data.is_filtered else None
    tips = {key: text.tooltip_rows(row, metric, before, after) for key, row in changes_all.iterrows()}
    tiles_url, tiles_attribution = settings.tiles()
    kreis_map = maps.change_map(
        layers,
        tips,
        classified,
        geo_meta=geometry.meta(),
        focus=focus,
        tiles=tiles_url,
        tiles_attribution=tiles_attribution,
    )

    worse, better = compare.crossings(changes)
    rises, falls = compare.movers(changes)
    rise_way, fall_way = (
        ("Verschlechterung", "Verbesserung") if m.higher_is_worse else ("Verbesserung", "Verschlechterung")
    )
    stands_text = text.stands_text(before, after)
    source = charts.source_line(data.sources(), after, data.is_demo, before)
    region = data.region_label
    n_missing = int((changes["movement"] == compare.Movement.MISSING.value).sum())
    summary = (
        f"{text.legend_title(metric, before, after)}, {region}: "
        f"{fmt.count(len(worse), 'Kreis', 'Kreise')} in einen schlechteren Status gewechselt, "
        f"{fmt.count(len(better), 'Kreis', 'Kreise')} in einen besseren; "
        f"gestiegen in {fmt.count(int((changes['movement'] == 'rose').sum()), 'Kreis', 'Kreisen')}, "
        f"gesunken in {fmt.count(int((changes['movement'] == 'fell').sum()), 'Kreis', 'Kreisen')}"
        + (f", ohne Angabe an einem der Stände: {n_missing}" if n_missing else "")
        + "."
    )
    table = text.export_table(changes, metric, before, after)
    totals = compare.land_totals(data.table(before, filtered=True), data.table(after, filtered=True), metric)
    static_map = partial(
        figure_layout.kreise_map_figure,
        layers,
        classified,
        title=f"Veränderung {m.label}",
        subtitle=f"{m.unit} · {region} · Stände {stands_text}",
        focus=focus,
    )
    return CompareView(
        caption=caption,
        demo_note=demo_note,
        order_note=order_note,
        before=before,
        after=after,
        kreis_map=kreis_map,
        map_name=f"{maps.MAP_NAME}, gefärbt nach {text.legend_title(metric, before, after)}. {summary} "
        "Dieselben Zahlen stehen in der Tabelle „Alle Kreise“ unter der Karte.",
        map_caption=f"Karte: {source}. {geometry.meta().attribution}."
        + (
            f" Je Einwohner: {fmt.day(before)} mit {glossary.population_bases(then_all)}; {fmt.day(after)} mit "
            f"{glossary.population_bases(now_all)}."
            if metric in PER_INHABITANT
            else ""
        ),
        worse=_listing(
            f"**In einen schlechteren Status gewechselt** ({len(worse)})",
            text.crossing_lines(worse, ratios),
            "Kein Kreis hat in einen schlechteren Status gewechselt.",
        ),
        better=_listing(
            f"**In einen besseren Status gewechselt** ({len(better)})",
            text.crossing_lines(better, ratios),
            "Kein Kreis hat in einen besseren Status gewechselt.",
        ),
        rises=_listing(
            f"**Größte Anstiege ({rise_way})**",
            text.mover_lines(rises, metric),
            "In keinem Kreis ist der Wert gestiegen.",
        ),
        falls=_listing(
            f"**Größte Rückgänge ({fall_way})**",
            text.mover_lines(falls, metric),
            "In keinem Kreis ist der Wert gesunken.",
        ),
        crossings_note=f"Der Status folgt dem Betreuungsschlüssel: im Ziel bis {fmt.number(data.thresholds.target)}, "
        f"kritisch über {fmt.number(data.thresholds.critical_above, 1)} Geflüchteten je VZÄ (Zielwert in der Seitenleiste).",
        totals_title=f"{'Land Baden-Württemberg' if not data.is_filtered else region}: Stände {stands_text}",
        totals=text.totals_frame(totals, before, after),
        table_styled=text.style_table(table, metric),
        table_title=f"Alle Kreise: {text.metric_label(metric)}, Stände {stands_text}",
        source=source,
        figures={"Karte": static_map},
        tables={"Tabelle": table},
        decimals=text.export_formats(metric),
        summary=summary,
    )

"""Personalbedarf as one View: need and cost now, the scenario for the coming months, and other splits of the money."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pandas as pd
import plotly.graph_objects as go

from lagebild import geometry, settings
from lagebild.domain import analysis, planning
from lagebild.domain.measures import Status
from lagebild.export import figure_layout, files
from lagebild.geometry import Layers
from lagebild.present import charts, fmt, glossary, maps, planner
from lagebild.present.classify import Classified, Scheme, classify, classify_around_zero
from lagebild.views import Data, Empty

TITLE = "Personalbedarf"
EXPORT_KEY = "export_personalbedarf"
NO_DATA = "Noch keine Daten im Datenbestand. Bitte Daten importieren oder Beispieldaten laden."
NO_KREIS = "Kein Kreis entspricht dem Filter. Bitte die Auswahl in der Seitenleiste ändern."
DEMO_NOTE = f"**{settings.DEMO_LABEL}** – Werte erzeugt, nicht amtlich."
NO_ARRIVALS = "Es liegen keine Zugangsdaten vor: bitte erwartete Zugänge je Monat eingeben."
PICK_HINT = "Einen Kreis in einer Karte anklicken oder in einer Tabelle wählen, um seinen Satz hier zu sehen."


def departure_label(rate: float) -> str:
    """A step of the departures slider: '2,5 %'."""
    return fmt.number(rate, 1, "%")


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    delta: str | None
    help: str


@dataclass(frozen=True)
class KreisTable:
    """A table of Kreise that selects a Kreis on click: styled for the screen, its keys, and its CSV."""

    frame: pd.DataFrame
    styled: object  # a pandas Styler: German numbers, the selected Kreis marked
    keys: list[str]
    csv: bytes


@dataclass(frozen=True)
class Need:
    cards: list[Card]
    summary: str
    areas: object  # styled table of RB and Land
    areas_caption: str
    kreis_map: maps.KreisMap
    map_caption: str
    ranking: KreisTable
    sentence: str  # the selected (or neediest) Kreis, read aloud
    sentences_title: str
    sentences: str
    sensitivity: go.Figure


@dataclass(frozen=True)
class Scenario:
    arrivals_placeholder: str
    low_placeholder: str
    high_placeholder: str
    band_problem: str | None  # the three arrival assumptions out of order: no range until they are fixed
    assumptions: str
    horizon_label: str
    cards_title: str
    cards: list[Card]
    summary: str
    no_arrivals: bool
    land_chart: go.Figure
    map_title: str
    kreis_map: maps.KreisMap
    map_caption: str
    crossings_title: str
    crossings: str
    table: KreisTable
    long_csv: bytes
    kreis_options: list[str]
    kreis_names: dict[str, str]
    kreis: str
    kreis_sentence: str
    kreis_chart: go.Figure
    by_month: object  # styled table of ratios by Kreis and month


@dataclass(frozen=True)
class Allocation:
    budget_placeholder: str
    summary: str
    unassigned: str | None
    comparison: object  # styled table of all rules
    comparison_caption: str
    spread: go.Figure
    map_title: str
    kreis_map: maps.KreisMap
    map_caption: str
    change: go.Figure
    table: KreisTable
    status_caption: str


@dataclass(frozen=True)
class PlannerView:
    caption: str
    demo_note: str | None
    need: Need
    scenario: Scenario
    allocation: Allocation
    export_figures: dict[str, go.Figure | Callable[[], go.Figure]]
    export_tables: dict[str, pd.DataFrame]
    period: analysis.Period | None


def band_assumption(
    band: planning.Band, typed_low: float | None, typed_high: float | None, recent_label: str, scaled: str
) -> str:
    """Where the low and high arrivals of the range come from."""
    low, _, high = band.arrivals

    def origin(typed: float | None, which: str) -> str:
        return "eigene Annahme" if typed is not None else f"{which} vollständig gemeldeter Monat {recent_label}{scaled}"

    return (
        f"Spanne: {fmt.number(low)} Zugänge je Monat niedrig ({origin(typed_low, 'niedrigster')}), "
        f"{fmt.number(high)} hoch ({origin(typed_high, 'höchster')})."
    )


def _kreis_table(
    frame: pd.DataFrame, decimals: dict[str, int], picked: str | None, source: str, signed: tuple[str, ...] = ()
) -> KreisTable:
    styled = (
        planner.style_numbers(frame, decimals, picked, signed=signed)
        if signed
        else planner.style_numbers(frame, decimals, picked)
    )
    return KreisTable(frame, styled, list(frame["AGS"]), files.csv_bytes(frame, source))


@dataclass(frozen=True)
class _Frame:
    """What the three parts of the Personalbedarf share: the data, the Kreis table at the Stand, what is shown."""

    data: Data
    table: pd.DataFrame
    shown: pd.DataFrame
    period: analysis.Period | None
    source: str
    stand: str
    attribution: str
    picked: str | None
    kreis_map: Callable[..., maps.KreisMap]


def build(
    data: Data,
    layers: Layers,
    *,
    horizon: int,
    arrivals: float | None,
    arrivals_low: float | None = None,
    arrivals_high: float | None = None,
    distribution: planning.DistributionKey,
    reach: int,
    delay: int,
    departures: float,
    budget: float | None,
    rule: planning.Rule,
    blend: int,
    picked: str | None,
    chosen: str | None,
) -> PlannerView | Empty:
    """Everything Personalbedarf shows. `arrivals`, `arrivals_low`, `arrivals_high` and `budget` None mean the page's
    own estimates. The Kreis whose projection is drawn is the selected one when it is in view, else `chosen` (the last
    drawn), else the first."""
    t = data.thresholds
    stand = f"Stand {fmt.day(data.as_of)}"
    caption = (
        f"Wie viele Stellen, wo, zu welchen Kosten – heute und in den nächsten Monaten · Zielwert "
        f"{fmt.number(t.target)} Geflüchtete je VZÄ · {fmt.number(data.cost_per_fte)} € je VZÄ und Jahr · "
        f"{stand} · Tabellen: {data.region_label}"
    )
    demo_note = DEMO_NOTE if data.is_demo else None
    table = data.table(months=planning.RECENT_MONTHS)
    # The distribution and allocation by population use the population of this Stand: the caption names it.
    caption += f" · {glossary.population_bases(table)}"
    shown = table.loc[data.kreis_keys]
    if not len(shown):
        return Empty(caption, demo_note, NO_KREIS)
    period = data.period(planning.RECENT_MONTHS)
    source = charts.source_line(data.sources(), data.as_of, data.is_demo)
    focus = data.kreis_keys if data.is_filtered else None
    tiles_url, tiles_attribution = settings.tiles()
    kreis_map = partial(
        maps.kreis_map,
        layers,
        as_of=data.as_of,
        thresholds=t,
        geo_meta=geometry.meta(),
        selected=picked,
        focus=focus,
        tiles=tiles_url,
        tiles_attribution=tiles_attribution,
    )
    attribution = geometry.meta().attribution

    f = _Frame(data, table, shown, period, source, stand, attribution, picked, kreis_map)
    totals = analysis.totals(table)
    gap_classes = classify(table, "need_fte", Scheme.NATURAL_BREAKS, t)
    need = _need(f, totals, gap_classes)
    scenario = _scenario(
        f,
        horizon=horizon,
        arrivals=arrivals,
        arrivals_low=arrivals_low,
        arrivals_high=arrivals_high,
        distribution=distribution,
        reach=reach,
        delay=delay,
        departures=departures,
        chosen=chosen,
    )
    allocation = _allocation(f, totals, budget=budget, rule=rule, blend=blend)
    priority, change_table = need.ranking.frame, allocation.table.frame
    sensitivity = need.sensitivity

    figures: dict[str, go.Figure | Callable[[], go.Figure]] = {
        "Karte Bedarf": partial(
            figure_layout.kreise_map_figure,
            layers,
            gap_classes,
            title="Verstärkungsbedarf der Kreise",
            subtitle=f"VZÄ bis zum Zielwert {fmt.number(t.target)} · {data.region_label} · {stand}",
            focus=focus,
        ),
        "Bedarf je Zielwert": sensitivity,
        "Projektion Land": scenario.land_chart,
        "Streuung der Schlüssel": allocation.spread,
        "Gewinn und Verlust": allocation.change,
    }
    return PlannerView(
        caption,
        demo_note,
        need,
        scenario,
        allocation,
        figures,
        {"Bedarf der Kreise": priority, "Verteilung": change_table},
        period,
    )


def _need(f: _Frame, totals: analysis.Totals, gap_classes: Classified) -> Need:
    """Need and cost now: cards, areas, the need map, the priority list and the sensitivity to the target."""
    data, table, shown, t, picked = f.data, f.table, f.shown, f.data.thresholds, f.picked
    source, stand, attribution, period, kreis_map = f.source, f.stand, f.attribution, f.period, f.kreis_map
    need_summary = planner.need_summary(table, t, data.as_of)
    priority = planner.need_table(shown)
    spoken = planning.priority_list(shown)
    first = picked if picked in shown.index else spoken.index[0]
    sensitivity = charts.need_sensitivity(
        planning.sensitivity(table, t, data.cost_per_fte),
        (t.target, totals.need_fte, totals.need_cost),
        source_line=source,
        subtitle=f"Zielwert 100 bis 250 Geflüchtete je VZÄ · {stand}",
    )
    need = Need(
        cards=[
            Card(
                "Verstärkungsbedarf Land",
                fmt.number(totals.need_fte, 1, "VZÄ"),
                None,
                glossary.tip("need_fte", t, lead="Summe über die Kreise."),
            ),
            Card(
                "Kosten des Bedarfs je Jahr",
                fmt.euro_mio(totals.need_cost),
                None,
                glossary.tip("need_cost", t, tail=f"Hier {fmt.number(data.cost_per_fte)} € je VZÄ und Jahr."),
            ),
            Card(
                "Kreise mit Bedarf",
                f"{int((table['need_fte'] > 0).sum())} von {totals.n_kreise}",
                None,
                f"davon kritisch (über {fmt.number(t.critical_above, 1)} je VZÄ): {totals.critical}.",
            ),
            Card(
                "Überhang anderswo",
                fmt.number(table["surplus_fte"].sum(), 1, "VZÄ"),
                None,
                "VZÄ über dem Zielwert in Kreisen im Ziel; rechnerisch, nicht gegengerechnet.",
            ),
        ],
        summary=need_summary,
        areas=planner.style_numbers(planner.area_totals(table), planner.NEED_COLUMNS),
        areas_caption=(
            "Regierungsbezirke und Land: Summen der Kreise, Schlüssel als Quotient der Summen, Bedarf als Summe "
            f"der Lücken. {source}"
        ),
        kreis_map=kreis_map(table, gap_classes, period=period),
        map_caption=f"Karte: {need_summary} {source}. {attribution}.",
        ranking=_kreis_table(priority, planner.NEED_COLUMNS, picked, source),
        sentence=f"**{table.loc[first, 'name']}:** {planner.kreis_sentence(table.loc[first], t, data.cost_per_fte)}",
        sentences_title=f"Ein Satz je Kreis zum Vorlesen ({len(spoken)} Kreise, nach Bedarf geordnet)",
        sentences="\n".join(
            f"- **{row['name']}:** {planner.kreis_sentence(row, t, data.cost_per_fte)}" for _, row in spoken.iterrows()
        ),
        sensitivity=sensitivity,
    )
    return need


def _scenario(
    f: _Frame,
    *,
    horizon: int,
    arrivals: float | None,
    arrivals_low: float | None,
    arrivals_high: float | None,
    distribution: planning.DistributionKey,
    reach: int,
    delay: int,
    departures: float,
    chosen: str | None,
) -> Scenario:
    """The projection under the assumptions, with its range when the three arrival figures are in order."""
    data, table, shown, t, picked = f.data, f.table, f.shown, f.data.thresholds, f.picked
    source, stand, attribution, kreis_map = f.source, f.stand, f.attribution, f.kreis_map
    recent = data.recent_arrivals()
    recent_label = fmt.period(recent.period) if recent.period else "keine Zugangsdaten"
    monthly = arrivals if arrivals is not None else recent.monthly_mean
    scenario_in = planning.Scenario(monthly, distribution, reach / 100, delay, departures / 100, horizon)
    default_low, default_high = planning.band_defaults(monthly, recent)
    low = arrivals_low if arrivals_low is not None else default_low
    high = arrivals_high if arrivals_high is not None else default_high
    band_problem = planner.band_problem(low, monthly, high)
    band = (
        data.band(scenario_in, low, high, planning.RECENT_MONTHS)
        if band_problem is None and not fmt.is_missing(low) and not fmt.is_missing(high)
        else None
    )
    projection = band.expected if band else data.projection(scenario_in, planning.RECENT_MONTHS)
    land = band.land() if band else projection.land()
    horizon_label = fmt.month(projection.horizon)
    now, end = land.iloc[0], land.iloc[-1]
    projection_text = planner.projection_summary(projection)
    if band and (band_text := planner.band_sentence(band)):
        projection_text = f"{projection_text} {band_text}"
    cross = planner.crossings(projection)
    horizon_table = projection.horizon_table(data.as_of)
    per_kreis = planner.projection_table(projection)
    per_kreis = per_kreis[per_kreis["AGS"].isin(data.kreis_keys)]
    long = planner.band_long(band) if band else planner.projection_long(projection)
    kreis: str = next(
        (k for k in (picked, chosen) if k is not None and k in shown.index), str(per_kreis["AGS"].iloc[0])
    )
    lines = planner.crossing_lines(cross, shown["name"])
    kreis_sentence = planner.kreis_projection_sentence(projection, kreis, cross)
    if band and (kreis_band := planner.kreis_band_sentence(band, kreis)):
        kreis_sentence = f"{kreis_sentence} {kreis_band}"
    scaled = "" if arrivals is None else ", auf die erwartete Zahl übertragen"
    scenario = Scenario(
        arrivals_placeholder=f"Mittel {recent_label}: {fmt.number(recent.monthly_mean)}",
        low_placeholder=f"niedrigster Monat{scaled}: {fmt.number(default_low)}",
        high_placeholder=f"höchster Monat{scaled}: {fmt.number(default_high)}",
        band_problem=band_problem,
        assumptions=(
            f"Gerechnet mit {fmt.number(monthly)} Zugängen je Monat im Land"
            + (f" (Mittel {recent_label})" if arrivals is None else " (eigene Annahme)")
            + f", {reach} % davon nach {delay} Monaten in Betreuung, {fmt.number(departures, 1, '%')} Abgänge "
            "je Monat. Die VZÄ bleiben auf dem heutigen Stand."
            + (f" {band_assumption(band, arrivals_low, arrivals_high, recent_label, scaled)}" if band else "")
        ),
        horizon_label=horizon_label,
        cards_title=f"**Ende {horizon_label}** (Projektion), Veränderung gegenüber dem Stand {fmt.day(data.as_of)}:",
        cards=[
            Card(
                "In Betreuung",
                fmt.number(end["refugees_in_care"], 0, "Pers."),
                fmt.signed(end["refugees_in_care"] - now["refugees_in_care"], 0),
                f"Geflüchtete in Betreuung Ende {horizon_label}, Projektion.",
            ),
            Card(
                "Schlüssel Land",
                fmt.number(end["ratio"], 0, "je VZÄ"),
                fmt.signed(end["ratio"] - now["ratio"], 0),
                f"Geflüchtete je VZÄ Ende {horizon_label}, Summe über Summe, VZÄ gehalten.",
            ),
            Card(
                "Verstärkungsbedarf",
                fmt.number(end["need_fte"], 1, "VZÄ"),
                fmt.signed(end["need_fte"] - now["need_fte"], 1, "VZÄ"),
                f"Ende {horizon_label}; Kosten {fmt.euro_mio(end['need_cost'])} je Jahr.",
            ),
            Card(
                "Kreise über Zielwert",
                f"{int(end['above_target'])} von {len(table)}",
                fmt.signed(end["above_target"] - now["above_target"]),
                f"Ende {horizon_label}; davon kritisch: {int(end['critical'])}.",
            ),
        ],
        summary=projection_text,
        no_arrivals=fmt.is_missing(monthly),
        land_chart=charts.projection_land(
            land,
            source_line=source,
            subtitle=(
                f"Linie {fmt.number(monthly)}, Fläche {fmt.number(low)} bis {fmt.number(high)} Zugänge je Monat · "
                f"VZÄ gehalten · {stand}"
                if band
                else f"Summe der Lücken der Kreise, VZÄ gehalten · {stand}"
            ),
        ),
        map_title=f"**Karte: fehlende VZÄ je Kreis Ende {horizon_label} (Projektion)**",
        kreis_map=kreis_map(
            horizon_table,
            planner.horizon_need_classes(horizon_table, t, projection.horizon),
            period=None,
            extra_tips={
                k: [f"Projektion Ende {horizon_label}, VZÄ auf {stand} gehalten", f"Zielwert: {cross.loc[k, 'text']}"]
                for k in table.index
            },
        ),
        map_caption=f"Karte: {projection_text} {source}. {attribution}.",
        crossings_title=f"**Wann ein Kreis den Zielwert kreuzt** (bis {horizon_label})",
        crossings="\n".join(lines) if lines else f"Kein Kreis wechselt bis {horizon_label} die Seite des Zielwerts.",
        table=_kreis_table(per_kreis, planner.PROJECTION_COLUMNS, picked, source),
        long_csv=files.csv_bytes(long[long["AGS"].isin(data.kreis_keys)], source),
        kreis_options=list(shown.index),
        kreis_names={k: str(table.loc[k, "name"]) for k in shown.index},
        kreis=kreis,
        kreis_sentence=f"**{table.loc[kreis, 'name']}:** {kreis_sentence}",
        kreis_chart=charts.projection_kreis(
            band.kreis(kreis) if band else projection.kreis(kreis),
            table.loc[kreis, "name"],
            t,
            source_line=source,
            subtitle=f"VZÄ gehalten bei {fmt.number(table.loc[kreis, 'counsellors_fte'], 1)} · {stand}",
        ),
        by_month=planner.ratio_by_month(projection).loc[shown["name"]].style.format(lambda v: fmt.number(v)),
    )
    return scenario


def _allocation(
    f: _Frame, totals: analysis.Totals, *, budget: float | None, rule: planning.Rule, blend: int
) -> Allocation:
    """What if the budget were shared by a rule: the Kreise's gains and losses, and the rules compared."""
    data, table, t, picked = f.data, f.table, f.data.thresholds, f.picked
    source, stand, period, kreis_map = f.source, f.stand, f.period, f.kreis_map
    today_cost = totals.counsellors_fte * data.cost_per_fte
    money = budget if budget is not None else today_cost
    alpha = blend / 100
    allocated = planning.allocate(table, money, planning.allocation_weights(table, rule, alpha), t, data.cost_per_fte)
    rule_text = planner.rule_phrase(rule, alpha)
    allocation_text = planner.allocation_summary(allocated, rule_text, money, data.cost_per_fte)
    unassigned = int(allocated["weight"].isna().sum())
    cases = planner.allocations(table, money, t, data.cost_per_fte, alpha)
    change_classes = classify_around_zero(
        allocated["change_fte"], f"Veränderung gegenüber heute (VZÄ), {rule.value}", 1
    )
    change_table = planner.allocation_table(allocated.loc[data.kreis_keys])
    allocation = Allocation(
        budget_placeholder=f"heutige Kosten: {fmt.number(today_cost)}",
        summary=allocation_text,
        unassigned=(
            f"{fmt.count(unassigned, 'Kreis ohne Angabe für diese Regel erhält', 'Kreise ohne Angabe für diese Regel erhalten')}"
            " nichts (keine Daten)."
        )
        if unassigned
        else None,
        comparison=planner.style_numbers(planner.compare_rules(cases), planner.COMPARISON_COLUMNS),
        comparison_caption=(
            "Schlüssel in Geflüchteten je VZÄ, über alle 44 Kreise. Variationskoeffizient: Standardabweichung "
            f"durch Mittelwert der Schlüssel der Kreise (ungewichtet); 0 heißt überall gleich. {source}"
        ),
        spread=charts.ratio_spread(
            {label: case["ratio"] for label, case in cases.items()},
            table["name"],
            t,
            source_line=source,
            subtitle=f"Budget {fmt.euro_mio(money)} je Jahr · {stand}",
        ),
        map_title=f"**Karte: Gewinn und Verlust an VZÄ, {rule_text}**",
        kreis_map=kreis_map(
            allocated,
            change_classes,
            period=period,
            extra_tips={k: planner.allocation_tip(allocated.loc[k]) for k in allocated.index},
        ),
        map_caption=f"Karte: {allocation_text} Die Angaben im Kreis zeigen den Stand nach der Regel. {source}.",
        change=charts.allocation_change(
            allocated.loc[data.kreis_keys],
            change_classes,
            selected=picked,
            source_line=source,
            subtitle=f"{rule_text} · {stand}",
        ),
        table=_kreis_table(
            change_table,
            planner.ALLOCATION_COLUMNS,
            picked,
            source,
            signed=("Veränderung (VZÄ)", "Veränderung (€ je Jahr)"),
        ),
        status_caption=(
            f"Status nach Regel: {Status.OK.label} bis {fmt.number(t.target)}, {Status.ELEVATED.label} bis "
            f"{fmt.number(t.critical_above, 1)}, darüber {Status.CRITICAL.label} (Geflüchtete je VZÄ). {source}"
        ),
    )
    return allocation

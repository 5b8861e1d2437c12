"""The Kreisprofil as one View: one Kreis in context, over time, against neighbours and peers, with its Gemeinden."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

import folium
import pandas as pd
import plotly.graph_objects as go

from lagebild import geometry, settings
from lagebild.domain import disclosure, planning
from lagebild.domain.disclosure import Cell, Rule
from lagebild.domain.measures import Status
from lagebild.domain.regions import regions
from lagebild.export import figure_layout
from lagebild.geometry import Layers
from lagebild.present import charts, fmt, glossary, overview, planner, profile
from lagebild.views import Data

TITLE = "Kreisprofil"
NO_DATA = "Noch keine Daten im Datenbestand. Bitte Daten importieren oder Beispieldaten laden."
DEMO_NOTE = f"**{settings.DEMO_LABEL}** – Werte erzeugt, nicht amtlich."
COMPARISON_NOTE = (
    "Regierungsbezirk und Land: Summen der Kreise und Quotienten der Summen. Rang 1 = höchste Belastung "
    "(beim Betreuungsschlüssel der höchste Wert)."
)
NO_PEERS = "Kein anderer Kreis gleichen Typs im selben Regierungsbezirk."
CLICK_GEMEINDE = (
    "Eine Gemeinde in der Karte anklicken oder in der Liste „Gemeinde wählen“ suchen, um ihre Zahlen zu sehen."
)
PICK_GEMEINDE = "Gemeinde wählen"
GEMEINDE_TABLE = "Alle Gemeinden als Tabelle"
GEMEINDE_MAP = "Gemeindekarte"


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    help: str | None


@dataclass(frozen=True)
class Group:
    """Neighbours or peers: a title, a table and a bar chart (None when the Kreis has none)."""

    title: str
    table: pd.DataFrame | None
    chart: go.Figure | None


@dataclass(frozen=True)
class Outlook:
    """The Kreis's range over the next months under the Personalbedarf's default assumptions."""

    title: str
    sentence: str
    assumptions: str
    chart: go.Figure | None  # None: nothing to project (no arrivals reported, or the Kreis has no data)


@dataclass(frozen=True)
class KreisView:
    kreis: str
    name: str
    view_name: str  # "Kreisprofil Böblingen": file names and titles of every export
    caption: str
    demo_note: str | None
    incomplete_note: str | None
    cards: list[Card]
    comparison: pd.DataFrame
    comparison_caption: str
    arrivals: go.Figure
    ratio: go.Figure
    stocks: go.Figure
    outlook: Outlook
    neighbours: Group
    peers: Group
    gemeinde_map: Callable[[], folium.Map]  # made anew for each drawing (streamlit-folium changes what it draws)
    gemeinde_heading: str | None  # None: the Kreis reports only in total
    gemeinde_legend: list[tuple[str, str]]
    no_gemeinde_note: str
    map_name: str  # the Gemeinde map's accessible name
    staff_note: str
    map_caption: str
    members: pd.DataFrame
    values: pd.DataFrame  # exact; every figure shown of a Gemeinde goes through `rule`
    refugees_in_care: float
    rule: Rule
    gemeinde_note: str  # the Zeichenerklärung under the Gemeinde map, card and table
    kreis_shape: pd.DataFrame  # the Kreis's outline (a GeoDataFrame), for the exported Gemeinde map

    @property
    def gemeinde_choices(self) -> dict[str, str]:
        """The Gemeinde map's twin for the keyboard: every Gemeinde of the Kreis, by name in German order."""
        names = self.members["name"].astype(str)
        order = sorted(names.index, key=lambda key: (_german_order(names[key]), key))
        return {key: names[key] for key in order}

    def gemeinde_detail(self, gemeinde: str | None) -> str | None:
        """The clicked Gemeinde's figures as markdown; None when no Gemeinde of this Kreis is clicked.

        Shown as the rule publishes them: a gesperrt count is "x" with its footnote and no share of the Kreis
        (the share times the Kreis total would give the count back).
        """
        if not gemeinde or gemeinde not in self.members.index:
            return None
        text = f"**{self.members.loc[gemeinde, 'name']}** (Gemeinde, {gemeinde})\n\n"
        if gemeinde not in self.values.index:
            return text + "- keine Gemeindezahlen: der Kreis meldet nur insgesamt"
        published = profile.published_gemeinden(self.values, self.rule).loc[gemeinde]
        kind = Cell(published["cell"])
        shown = fmt.cell(published["value"], kind, "Personen", fmt.NO_DATA)
        text += f"- {profile.GEMEINDE_MEASURE}: {shown} (Stand {fmt.day(published['date'])})"
        if kind is Cell.VALUE and self.refugees_in_care:
            text += f"\n- Anteil am Kreis: {fmt.number(published['value'] / self.refugees_in_care * 100, 1)} %"
        meaning = glossary.sign_meanings(self.rule).get(kind)
        return text + (f"\n\n{meaning}." if meaning else "")

    @property
    def gemeinde_screen_table(self) -> pd.DataFrame:
        """The Gemeinde table as the screen shows it: German numbers and signs as text, the Stand as a date."""
        table = profile.gemeinde_table(self.members, self.values, self.rule)
        column = "In Betreuung (Pers.)"
        table[column] = [v if isinstance(v, str) else fmt.number(v) for v in table[column]]
        table["Stand Betreuung"] = [fmt.day(d) if isinstance(d, date) else "" for d in table["Stand Betreuung"]]
        return table

    def gemeinde_figures(self, rule: Rule) -> dict[str, Callable[[], go.Figure]]:
        """The Gemeinde map as an image for an export under `rule` (the export's switch), built when downloaded;
        none if the Kreis reports in total."""
        if self.values.empty:
            return {}

        def figure() -> go.Figure:
            folium_map = profile.gemeinde_map(
                self.members, self.kreis_shape, self.values, self.name, geometry.meta().attribution, rule
            )
            subtitle = (
                f"Personen, {len(self.values)} von {len(self.members)} Gemeinden gemeldet · "
                f"Stand {fmt.day(self.values['date'].max())}"
            )
            if rule.applied:
                subtitle += (
                    f" · {fmt.SUPPRESSED}: gesperrt (Geheimhaltung, unter {fmt.number(rule.min_persons)} Personen)"
                )
            return figure_layout.gemeinde_map_figure(
                folium_map,
                self.kreis_shape,
                profile.gemeinde_legend(self.values, rule),
                title=f"{profile.GEMEINDE_MEASURE} je Gemeinde – {self.name}",
                subtitle=subtitle,
            )

        return {GEMEINDE_MAP: figure}

    def gemeinde_tables(self, rule: Rule) -> dict[str, pd.DataFrame]:
        """The Gemeinde table for an export under `rule` (the export's switch); none if the Kreis reports in total."""
        return {} if self.values.empty else {"Gemeinden": profile.gemeinde_table(self.members, self.values, rule)}

    @property
    def export_figures(self) -> dict[str, go.Figure]:
        figures = {"Zugänge": self.arrivals, "Betreuungsschlüssel": self.ratio, "Betreuung und Kapazität": self.stocks}
        if self.outlook.chart is not None:
            figures["Ausblick"] = self.outlook.chart
        figures |= {
            label: group.chart
            for label, group in (("Nachbarn", self.neighbours), ("Vergleichskreise", self.peers))
            if group.chart is not None
        }
        return figures

    @property
    def export_tables(self) -> dict[str, pd.DataFrame]:
        tables = {"Vergleich": self.comparison}
        tables |= {
            label: group.table
            for label, group in (("Nachbarn", self.neighbours), ("Vergleichskreise", self.peers))
            if group.table is not None
        }
        return tables


_BASE_LETTERS = str.maketrans("äöü", "aou")


def _german_order(name: str) -> str:
    """Sort key of a German place name: umlauts with their base letter (Ühlingen after Uhldingen), ß as ss."""
    return name.casefold().translate(_BASE_LETTERS)  # casefold already makes ß "ss"


def _cards(row: pd.Series, data: Data) -> list[Card]:
    status = Status(row["status"])
    t = data.thresholds
    return [
        Card(
            "Status",
            status.label,
            glossary.tip("status", t),
        ),
        Card(
            "Betreuungsschlüssel",
            fmt.number(row["ratio"], 0, "je VZÄ"),
            overview.stand_note(row["refugees_in_care_date"], data.as_of) or None,
        ),
        Card(
            "Verstärkungsbedarf",
            fmt.number(row["need_fte"], 1, "VZÄ"),
            f"Überhang: {fmt.number(row['surplus_fte'], 1, 'VZÄ')}" if row["surplus_fte"] > 0 else None,
        ),
        Card(
            "Kosten des Bedarfs",
            fmt.euro_mio(row["need_cost"]) + " je Jahr" if not fmt.is_missing(row["need_cost"]) else fmt.NO_DATA,
            glossary.tip("need_cost", t, tail=f"Hier {fmt.number(data.cost_per_fte)} € je VZÄ und Jahr."),
        ),
    ]


def _outlook(data: Data, kreis: str, name: str, source: str) -> Outlook:
    """The Personalbedarf's projection with its default assumptions, as a range for this Kreis: the same numbers the
    Personalbedarf shows for it before anyone changes an assumption."""
    t = data.thresholds
    recent = data.recent_arrivals()
    expected = recent.monthly_mean
    low, high = planning.band_defaults(expected, recent)
    scenario = planning.Scenario(expected)
    title = f"Ausblick bis {fmt.month(planning.add_months(data.as_of.replace(day=1), scenario.horizon_months))}"
    if fmt.is_missing(low) or fmt.is_missing(high) or recent.period is None:
        return Outlook(title, "Ohne gemeldete Zugänge lässt sich nichts projizieren.", "", None)
    band = data.band(scenario, low, high)
    cross = planner.crossings(band.expected)
    sentence = planner.kreis_projection_sentence(band.expected, kreis, cross)
    if Status(band.expected.tables[-1].loc[kreis, "status"]) is Status.NO_DATA:
        return Outlook(title, sentence, "", None)  # an empty chart would only repeat "keine Daten"
    if spread := planner.kreis_band_sentence(band, kreis):
        sentence = f"{sentence} {spread}"
    assumptions = (
        f"Annahmen: {fmt.number(expected)} Zugänge je Monat im Land (Mittel {fmt.period(recent.period)}), Spanne "
        f"{fmt.number(low)} bis {fmt.number(high)} (niedrigster und höchster vollständig gemeldeter Monat), verteilt "
        f"nach {planning.DistributionKey.POPULATION.value}; {fmt.number(scenario.reach_share * 100)} % davon nach "
        f"{scenario.delay_months} Monaten in Betreuung, {fmt.number(scenario.departure_rate * 100, 1, '%')} Abgänge je "
        "Monat, VZÄ auf dem heutigen Stand gehalten. Eigene Annahmen: Seite Personalbedarf."
    )
    chart = charts.projection_kreis(
        band.kreis(kreis),
        name,
        t,
        source_line=source,
        subtitle=(
            f"Linie {fmt.number(expected)}, Fläche {fmt.number(low)} bis {fmt.number(high)} Zugänge je Monat im Land"
            f" · Stand {fmt.day(data.as_of)}"
        ),
    )
    return Outlook(title, sentence, assumptions, chart)


def _group(
    table: pd.DataFrame, kreis: str, others: list[str], title: str, chart_title: str, data: Data, source: str
) -> Group:
    if not others:
        return Group(title, None, None)
    chart = profile.group_chart(table, kreis, others, chart_title, data.thresholds, source, as_of=data.as_of)
    return Group(title, profile.group_table(table, kreis, others), chart)


def staff_note(row: pd.Series, kind: str, rule: Rule) -> str:
    """The Kreis's staff beside its Gemeinden; with fewer than `rule.min_staff` persons no figure (Geheimhaltung)."""
    if not disclosure.staff_shown(row["counsellors_headcount"], rule):
        return (
            f"Das Integrationsmanagement ({fmt.SUPPRESSED}) ist beim {kind} beschäftigt und wird nicht auf Gemeinden "
            f"aufgeteilt; bei weniger als {fmt.number(rule.min_staff)} Personen steht hier keine Zahl (Geheimhaltung)."
        )
    return (
        f"Das Integrationsmanagement ({fmt.number(row['counsellors_fte'], 1, 'VZÄ')}) ist beim {kind} "
        "beschäftigt und wird nicht auf Gemeinden aufgeteilt."
    )


def build(data: Data, layers: Layers, kreis: str, rule: Rule | None = None) -> KreisView:
    """Everything the Kreisprofil shows of `kreis` at the chosen Stand; every chart ends at that Stand.

    Gemeinde figures on screen follow the configured Geheimhaltung (`rule`, by default always applied).
    """
    rule = rule or disclosure.rule()
    regs = regions()
    region = regs[kreis]
    name = region.display_name
    table = data.table()
    row = table.loc[kreis]
    source = charts.source_line(data.sources(), data.as_of, data.is_demo)
    caption = (
        f"{region.kind} · Regierungsbezirk {regs.rb_of(kreis).name} · {overview.population_text(row)} · "
        f"Stand der Zahlen {fmt.day(data.as_of)}"
    )
    incomplete = None
    if Status(row["status"]) is Status.NO_DATA:
        incomplete = (
            f"Für {name} liegen zum Stand {fmt.day(data.as_of)} keine vollständigen Angaben vor "
            "(Geflüchtete in Betreuung oder Integrationsmanagement fehlen). Gezeigt wird, was vorhanden ist."
        )
    neighbours = [n.key for n in regs.neighbours(kreis)]
    peers = [p.key for p in regs.peers(kreis)]
    values = profile.gemeinde_values(data.obs, kreis, data.as_of)
    gemeinden = geometry.gemeinden()
    members = gemeinden[gemeinden["kreis"] == kreis]
    heading = None
    if not values.empty:
        heading = (
            f"**Geflüchtete in Betreuung je Gemeinde** ({len(values)} von {len(members)} Gemeinden gemeldet, "
            f"Stand {fmt.day(values['date'].max())})"
        )
    return KreisView(
        kreis=kreis,
        name=name,
        view_name=f"{TITLE} {name}",
        caption=caption,
        demo_note=DEMO_NOTE if data.is_demo else None,
        incomplete_note=incomplete,
        cards=_cards(row, data),
        comparison=profile.comparison(table, kreis, regs),
        comparison_caption=f"{COMPARISON_NOTE} Quoten je Einwohner: {glossary.population_bases(table)}. {source}",
        arrivals=profile.arrivals_chart(data.obs, kreis, name, source, as_of=data.as_of),
        ratio=profile.ratio_chart(data.obs, kreis, name, regs.kreis_keys, data.thresholds, source, as_of=data.as_of),
        stocks=profile.stocks_chart(data.obs, kreis, name, source, as_of=data.as_of),
        outlook=_outlook(data, kreis, name, source),
        neighbours=_group(
            table,
            kreis,
            neighbours,
            f"**Nachbarkreise** (gemeinsame Grenze): {len(neighbours)}",
            f"{name} und Nachbarn",
            data,
            source,
        ),
        peers=_group(
            table,
            kreis,
            peers,
            f"**Vergleichskreise** (gleicher Typ, gleicher Regierungsbezirk): {len(peers)}",
            f"{name} und Vergleichskreise",
            data,
            source,
        ),
        gemeinde_map=partial(
            profile.gemeinde_map, members, layers.kreise.loc[[kreis]], values, name, geometry.meta().attribution, rule
        ),
        gemeinde_heading=heading,
        gemeinde_legend=profile.gemeinde_legend(values, rule) if heading else [],
        no_gemeinde_note=(
            f"{name} meldet Geflüchtete in Betreuung nur insgesamt, nicht je Gemeinde. Die Karte zeigt "
            "die Gemeindegrenzen."
        ),
        staff_note=staff_note(row, region.kind, rule),
        map_caption=f"{geometry.meta().attribution}. {source}",
        members=members,
        values=values,
        map_name=(
            f"Karte der {len(members)} Gemeinden: {name}. "
            + (
                heading.replace("**", "")
                + ". Ein Klick auf eine Gemeinde oder die Liste „Gemeinde wählen“ daneben zeigt "
                "ihre Zahlen."
                if heading
                else "Gemeindezahlen sind nicht gemeldet; die Karte zeigt die Grenzen."
            )
        ),
        refugees_in_care=float(row["refugees_in_care"]) if not fmt.is_missing(row["refugees_in_care"]) else 0.0,
        rule=rule,
        gemeinde_note=glossary.zeichenerklaerung(rule),
        kreis_shape=layers.kreise.loc[[kreis]],
    )

"""Personalbedarf: how many posts, where, at what cost, now and in the coming months, and other splits of the money."""

import streamlit as st

from lagebild import params
from lagebild.app import a11y, cache, sidebar, state, widgets
from lagebild.domain import planning
from lagebild.params import (
    ARRIVALS,
    ARRIVALS_HIGH,
    ARRIVALS_LOW,
    BLEND,
    BUDGET,
    DELAY,
    DEPARTURES,
    DISTRIBUTION,
    HORIZON,
    REACH,
    RULE,
)
from lagebild.present import charts, planner, text
from lagebild.present.charts import PLOTLY_GERMAN
from lagebild.views import Empty
from lagebild.views import planner as views

KREIS_KEY = "szenario_kreis"

ctx = sidebar.context()
st.title(views.TITLE)
if ctx is None:
    st.info(views.NO_DATA)
    st.stop()

AS_OF = ctx.as_of
inputs = state.inputs("personalbedarf")
view = cache.view(
    views.build,
    ctx,
    horizon=inputs[HORIZON.key],
    arrivals=inputs[ARRIVALS.key],
    arrivals_low=inputs[ARRIVALS_LOW.key],
    arrivals_high=inputs[ARRIVALS_HIGH.key],
    distribution=inputs[DISTRIBUTION.key],
    reach=inputs[REACH.key],
    delay=inputs[DELAY.key],
    departures=inputs[DEPARTURES.key],
    budget=inputs[BUDGET.key],
    rule=inputs[RULE.key],
    blend=inputs[BLEND.key],
    picked=state.picked_kreis(),
    chosen=st.session_state.get(KREIS_KEY),
)
st.caption(text.markdown(view.caption))
widgets.demo_note(view.demo_note)
if isinstance(view, Empty):
    st.info(view.note)
    st.stop()


def cards(items: list[views.Card], key: str) -> None:
    with st.container(key=key):
        for col, card in zip(st.columns(4), items, strict=True):
            col.metric(card.label, card.value, card.delta, delta_color="inverse", help=card.help, border=True)


# Charts and tables follow once the need map stands: their bundles would otherwise hold it up (issue 12).
held = widgets.Held()


def chart(figure, key: str, label: str, alt: str | None = None) -> None:
    held.chart(
        figure,
        key=key,
        alt=alt or charts.describe(figure),
        config=widgets.chart_config(views.EXPORT_KEY, views.TITLE, label, AS_OF),
    )


def kreis_table(table: views.KreisTable, key: str, height: int, csv_label: str, file_name: str) -> None:
    held.table(table.styled, kreise=table.keys, key=key, height=height)
    st.download_button(
        csv_label,
        table.csv,
        file_name=file_name,
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
        icon=":material/download:",
    )


need, scenario, allocation = view.need, view.scenario, view.allocation

st.header("Bedarf und Kosten heute", divider="gray")
cards(need.cards, "bedarf_kpis")
st.markdown(f"**Lage:** {need.summary}")
held.table(need.areas, hide_index=True, key="bedarf_gebiete")
st.caption(text.markdown(need.areas_caption))
map_col, list_col = st.columns([3, 2])
with map_col:
    st.markdown("**Karte: fehlende VZÄ je Kreis**")
    a11y.map_name(
        f"Karte: fehlende VZÄ je Kreis. {need.summary} Dieselben Zahlen stehen in der Tabelle „Rangfolge nach Bedarf“."
    )
    widgets.show_kreis_map(need.kreis_map, key="karte_bedarf", height=520)
    st.caption(text.markdown(need.map_caption))
with list_col:
    st.markdown("**Rangfolge nach Bedarf**")
    kreis_table(need.ranking, "bedarf_rangfolge", 560, "Rangfolge als CSV", "personalbedarf_heute.csv")
with st.container(border=True, key="bedarf_satz"):
    st.markdown(need.sentence)
    st.caption(views.PICK_HINT)
with st.expander(need.sentences_title):
    st.markdown(need.sentences)
chart(
    need.sensitivity,
    "bedarf_sensitivitaet",
    "Bedarf je Zielwert",
    alt="Verstärkungsbedarf des Landes in VZÄ je Zielwert von 100 bis 250.",
)

st.header("Szenario: die nächsten Monate", divider="gray")
c1, c2 = st.columns([1, 2])
c1.slider("Horizont (Monate)", HORIZON.lo, HORIZON.hi, key=HORIZON.key)
c2.radio(DISTRIBUTION.label, DISTRIBUTION.options, format_func=lambda k: k.value, key=DISTRIBUTION.key)
c1, c2, c3 = st.columns(3)
widgets.amount_input(
    c1,
    "Zugänge je Monat: niedrig",
    ARRIVALS_LOW.key,
    scenario.low_placeholder,
    "Personen im ganzen Land, untere Grenze der Spanne. Leer lassen für den niedrigsten vollständig gemeldeten Monat der letzten 6 Monate.",
)
widgets.amount_input(
    c2,
    "Zugänge je Monat: erwartet",
    ARRIVALS.key,
    scenario.arrivals_placeholder,
    "Personen im ganzen Land. Leer lassen für das Mittel der letzten 6 gemeldeten Monate.",
)
widgets.amount_input(
    c3,
    "Zugänge je Monat: hoch",
    ARRIVALS_HIGH.key,
    scenario.high_placeholder,
    "Personen im ganzen Land, obere Grenze der Spanne. Leer lassen für den höchsten vollständig gemeldeten Monat der letzten 6 Monate.",
)
if scenario.band_problem:
    st.error(scenario.band_problem, icon=":material/error:")
c1, c2, c3 = st.columns(3)
c1.slider("Anteil, der in die Betreuung kommt (%)", REACH.lo, REACH.hi, step=REACH.step, key=REACH.key)
c2.slider("Verzögerung bis zur Betreuung (Monate)", DELAY.lo, DELAY.hi, key=DELAY.key)
c3.select_slider(
    "Abgänge aus der Betreuung je Monat (% der Betreuten)",
    params.departure_steps(),
    format_func=views.departure_label,
    key=DEPARTURES.key,
)
st.caption(scenario.assumptions)
with st.expander("Rechenweg der Projektion und der Verteilung"):
    st.markdown(planner.METHOD_MARKDOWN)
st.markdown(scenario.cards_title)
cards(scenario.cards, "szenario_kpis")
st.markdown(f"**Projektion:** {scenario.summary}")
if scenario.no_arrivals:
    st.info(views.NO_ARRIVALS)
chart(scenario.land_chart, "szenario_land", "Projektion Land", alt=scenario.summary)
map_col, cross_col = st.columns([3, 2])
with map_col:
    st.markdown(scenario.map_title)
    held.map(
        scenario.kreis_map,
        key="karte_projektion",
        height=520,
        name=f"{scenario.map_title}. {scenario.summary} Dieselben Zahlen stehen in der Tabelle „Je Kreis: heute und "
        "am Horizont“.",
    )
    st.caption(text.markdown(scenario.map_caption))
with cross_col:
    st.markdown(scenario.crossings_title)
    st.markdown(scenario.crossings)
    st.caption("Übrige Kreise: siehe Spalte „Zielwert“ in der Tabelle.")
st.markdown("**Je Kreis: heute und am Horizont**")
held.table(scenario.table.styled, kreise=scenario.table.keys, key="szenario_tabelle", height=420)
st.download_button(
    "Alle Kreise und Monate als CSV",
    scenario.long_csv,
    file_name="personalbedarf_projektion.csv",
    mime="text/csv",
    key="szenario_csv",
    on_click="ignore",
    icon=":material/download:",
)
st.session_state[KREIS_KEY] = scenario.kreis
st.selectbox(
    "Kreis für den Verlauf",
    scenario.kreis_options,
    format_func=lambda k: scenario.kreis_names[k],
    key=KREIS_KEY,
    on_change=lambda: state.pick_kreis(st.session_state[KREIS_KEY]),
)
st.markdown(scenario.kreis_sentence)
held.chart(
    scenario.kreis_chart,
    key="szenario_kreis_verlauf",
    alt=charts.describe(scenario.kreis_chart),
    config={"displaylogo": False, **PLOTLY_GERMAN},
)
with st.expander("Betreuungsschlüssel je Kreis und Monat"):
    st.dataframe(scenario.by_month, key="szenario_monate")

st.header("Verteilung: was wäre, wenn", divider="gray")
c1, c2, c3 = st.columns([1.2, 1.6, 1.2])
widgets.amount_input(
    c1,
    "Budget (€ je Jahr)",
    BUDGET.key,
    allocation.budget_placeholder,
    "Leer lassen für die Kosten der heute gemeldeten VZÄ.",
)
rule = c2.radio(RULE.label, RULE.options, format_func=lambda r: r.value, key=RULE.key)
c3.slider(
    "Mischung: Anteil nach Einwohnern (%)",
    BLEND.lo,
    BLEND.hi,
    step=BLEND.step,
    key=BLEND.key,
    disabled=rule is not planning.Rule.BLEND,
    help="Der Rest wird nach Geflüchteten in Betreuung verteilt.",
)
st.markdown(f"**Was wäre, wenn:** {allocation.summary}")
if allocation.unassigned:
    st.info(allocation.unassigned)
st.markdown("**Alle Regeln im Vergleich**")
held.table(allocation.comparison, hide_index=True, key="verteilung_vergleich")
st.caption(text.markdown(allocation.comparison_caption))
chart(allocation.spread, "verteilung_streuung", "Streuung der Schlüssel")
map_col, chart_col = st.columns(2)
with map_col:
    st.markdown(allocation.map_title)
    held.map(
        allocation.kreis_map,
        key="karte_verteilung",
        height=520,
        name=f"{allocation.map_title}. {allocation.summary} Dieselben Zahlen stehen in der Tabelle der Verteilung.",
    )
    st.caption(text.markdown(allocation.map_caption))
with chart_col:
    chart(allocation.change, "verteilung_diagramm", "Gewinn und Verlust", alt=allocation.summary)
kreis_table(allocation.table, "verteilung_tabelle", 420, "Verteilung als CSV", "personalbedarf_verteilung.csv")
st.caption(text.markdown(allocation.status_caption))

widgets.export_panel(
    ctx, views.EXPORT_KEY, view=views.TITLE, figures=view.export_figures, tables=view.export_tables, period=view.period
)
held.draw()

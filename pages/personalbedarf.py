"""Personalbedarf: how many posts, where, at what cost, now and in the coming months, and other splits of the money."""

from functools import partial

import streamlit as st

from lagebild import analysis, charts, exports, fmt, geometry, maps, params, planning, settings
from lagebild.app import cache, sidebar, state, widgets
from lagebild.classify import Scheme, classify, classify_around_zero
from lagebild.measures import Status
from lagebild.params import ARRIVALS, BLEND, BUDGET, DELAY, DEPARTURES, DISTRIBUTION, HORIZON, REACH, RULE

PLOT_CONFIG = {"displaylogo": False, "locale": "de"}
EXPORT_KEY = "export_personalbedarf"

ctx = sidebar.context()
st.title("Personalbedarf")
if ctx is None:
    st.info("Noch keine Daten im Datenbestand. Bitte Daten importieren oder Beispieldaten laden.")
    st.stop()

t = ctx.thresholds
table = ctx.table(months=planning.RECENT_MONTHS)
shown = table.loc[ctx.kreis_keys]
period = ctx.period(planning.RECENT_MONTHS)
source = charts.source_line(ctx.sources(), ctx.as_of, ctx.is_demo)
focus = ctx.kreis_keys if ctx.is_filtered else None
tiles_url, tiles_attribution = settings.tiles()
st.caption(f"Wie viele Stellen, wo, zu welchen Kosten – heute und in den nächsten Monaten · Zielwert "
           f"{fmt.number(t.target)} Geflüchtete je VZÄ · {fmt.number(ctx.cost_per_fte)} € je VZÄ und Jahr · "
           f"Stand {fmt.day(ctx.as_of)} · Tabellen: {ctx.region_label}")  # fmt: skip
if ctx.is_demo:
    st.warning(f"**{settings.DEMO_LABEL}** – Werte erzeugt, nicht amtlich.", icon="⚠️")
if not len(shown):
    st.info("Kein Kreis entspricht dem Filter. Bitte die Auswahl in der Seitenleiste ändern.")
    st.stop()


def regroup(key: str) -> None:
    """Writes a typed amount back with thousands separators, so 64000 reads 64.000 once entered."""
    value = fmt.parse(st.session_state.get(key) or "")
    if value is not None:
        st.session_state[key] = fmt.number(value)


def amount_input(container, label: str, key: str, placeholder: str, help: str) -> float | None:  # noqa: A002
    """A number field in German notation: st.number_input formats with sprintf.js, which has no thousands separator."""
    container.text_input(label, key=key, placeholder=placeholder, help=help, on_change=regroup, args=(key,))
    text = (st.session_state.get(key) or "").strip()
    if not text:
        return None
    value = fmt.parse(text)
    if value is None:
        container.error(f"„{text}“ ist keine Zahl ab 0; bitte z. B. 12.000 oder 12000 eingeben.")
    return value


def show_map(kreis_map: maps.KreisMap, key: str) -> None:
    widgets.show_kreis_map(kreis_map, key=key, height=520)


def show_kreis_table(styled, frame, key: str, height: int) -> None:
    widgets.select_table(styled, list(frame["AGS"]), key=key, height=height)


# Need and cost now
st.header("Bedarf und Kosten heute", divider="gray")
totals = analysis.totals(table)
with st.container(key="bedarf_kpis"):
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Verstärkungsbedarf Land", fmt.number(totals.need_fte, 1, "VZÄ"), border=True,
              help="Summe der Lücken aller Kreise bis zum Zielwert; ein Überhang gleicht keinen Bedarf aus.")  # fmt: skip
    c2.metric("Kosten des Bedarfs je Jahr", fmt.euro_mio(totals.need_cost), border=True,
              help=f"{fmt.number(ctx.cost_per_fte)} € je VZÄ und Jahr.")  # fmt: skip
    c3.metric("Kreise mit Bedarf", f"{int((table['need_fte'] > 0).sum())} von {totals.n_kreise}", border=True,
              help=f"davon kritisch (über {fmt.number(t.critical_above, 1)} je VZÄ): {totals.critical}.")  # fmt: skip
    c4.metric("Überhang anderswo", fmt.number(table["surplus_fte"].sum(), 1, "VZÄ"), border=True,
              help="VZÄ über dem Zielwert in Kreisen im Ziel; rechnerisch, nicht gegengerechnet.")  # fmt: skip
st.markdown(f"**Lage:** {planning.need_summary(table, t, ctx.as_of)}")
st.dataframe(planning.style_numbers(planning.area_totals(table), planning.NEED_COLUMNS), hide_index=True,
             key="bedarf_gebiete")  # fmt: skip
st.caption(f"Regierungsbezirke und Land: Summen der Kreise, Schlüssel als Quotient der Summen, Bedarf als Summe der "
           f"Lücken. {source}")  # fmt: skip

map_col, list_col = st.columns([3, 2])
with map_col:
    st.markdown("**Karte: fehlende VZÄ je Kreis**")
    gap_classes = classify(table, "need_fte", Scheme.NATURAL_BREAKS, t)
    fmap = maps.kreis_map(cache.geo_layers(), table, gap_classes, as_of=ctx.as_of, thresholds=t, period=period,
                          geo_meta=geometry.meta(), selected=state.picked_kreis(), focus=focus, tiles=tiles_url,
                          tiles_attribution=tiles_attribution)  # fmt: skip
    show_map(fmap, "karte_bedarf")
    st.caption(f"Karte: {planning.need_summary(table, t, ctx.as_of)} {source}. {geometry.meta().attribution}.")
with list_col:
    st.markdown("**Rangfolge nach Bedarf**")
    priority = planning.need_table(shown)
    show_kreis_table(planning.style_numbers(priority, planning.NEED_COLUMNS, state.picked_kreis()), priority,
                     "bedarf_rangfolge", 560)  # fmt: skip
    st.download_button("Rangfolge als CSV", planning.csv_bytes(priority, source), file_name="personalbedarf_heute.csv",
                       mime="text/csv", key="bedarf_csv", on_click="ignore", icon=":material/download:")  # fmt: skip

picked = state.picked_kreis()
spoken = planning.priority_list(shown)
with st.container(border=True, key="bedarf_satz"):
    first = picked if picked in shown.index else spoken.index[0]
    st.markdown(f"**{table.loc[first, 'name']}:** {planning.kreis_sentence(table.loc[first], t, ctx.cost_per_fte)}")
    st.caption("Einen Kreis in einer Karte anklicken oder in einer Tabelle wählen, um seinen Satz hier zu sehen.")
with st.expander(f"Ein Satz je Kreis zum Vorlesen ({len(spoken)} Kreise, nach Bedarf geordnet)"):
    st.markdown("\n".join(f"- **{row['name']}:** {planning.kreis_sentence(row, t, ctx.cost_per_fte)}"
                          for _, row in spoken.iterrows()))  # fmt: skip

sens = planning.sensitivity(table, t, ctx.cost_per_fte)
sensitivity_fig = charts.need_sensitivity(sens, (t.target, totals.need_fte, totals.need_cost), source_line=source,
                                          subtitle=f"Zielwert 100 bis 250 Geflüchtete je VZÄ · Stand {fmt.day(ctx.as_of)}")
st.plotly_chart(sensitivity_fig, key="bedarf_sensitivitaet",
                config=widgets.chart_config(EXPORT_KEY, "Personalbedarf", "Bedarf je Zielwert", ctx.as_of),
                alt="Verstärkungsbedarf des Landes in VZÄ je Zielwert von 100 bis 250.")  # fmt: skip

# Scenario
st.header("Szenario: die nächsten Monate", divider="gray")
recent = planning.recent_arrivals(ctx.obs, list(table.index), ctx.as_of)
recent_label = recent.period.label if recent.period else "keine Zugangsdaten"
c1, c2, c3 = st.columns(3)
horizon = c1.slider("Horizont (Monate)", HORIZON.lo, HORIZON.hi, key=HORIZON.key)
typed = amount_input(c2, "Erwartete Zugänge je Monat (Land, Personen)", ARRIVALS.key,
                     f"Mittel {recent_label}: {fmt.number(recent.monthly_mean)}",
                     "Leer lassen für das Mittel der letzten 6 gemeldeten Monate.")  # fmt: skip
key = c3.radio(DISTRIBUTION.label, DISTRIBUTION.options, format_func=lambda k: k.value, key=DISTRIBUTION.key)
c1, c2, c3 = st.columns(3)
reach = c1.slider("Anteil, der in die Betreuung kommt (%)", REACH.lo, REACH.hi, step=REACH.step, key=REACH.key)
delay = c2.slider("Verzögerung bis zur Betreuung (Monate)", DELAY.lo, DELAY.hi, key=DELAY.key)
departures = c3.select_slider("Abgänge aus der Betreuung je Monat (% der Betreuten)", params.departure_steps(),
                              format_func=lambda v: fmt.number(v, 1, "%"), key=DEPARTURES.key)  # fmt: skip
arrivals = float(typed) if typed is not None else recent.monthly_mean
st.caption(f"Gerechnet mit {fmt.number(arrivals)} Zugängen je Monat im Land"
           + (" (Mittel " + recent_label + ")" if typed is None else " (eigene Annahme)")
           + f", {reach} % davon nach {delay} Monaten in Betreuung, {fmt.number(departures, 1, '%')} Abgänge je Monat. "
           "Die VZÄ bleiben auf dem heutigen Stand.")  # fmt: skip
with st.expander("Rechenweg der Projektion und der Verteilung"):
    st.markdown(planning.METHOD_MARKDOWN)

scenario = planning.Scenario(arrivals, key, reach / 100, delay, departures / 100, horizon)
projection = planning.project(table, ctx.obs, scenario, recent, ctx.as_of, t, ctx.cost_per_fte)
land = projection.land()
horizon_label = fmt.month(projection.horizon)
st.markdown(f"**Ende {horizon_label}** (Projektion), Veränderung gegenüber dem Stand {fmt.day(ctx.as_of)}:")
with st.container(key="szenario_kpis"):
    now, end = land.iloc[0], land.iloc[-1]
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("In Betreuung", fmt.number(end["refugees_in_care"], 0, "Pers."),
              fmt.signed(end["refugees_in_care"] - now["refugees_in_care"], 0), delta_color="inverse", border=True,
              help=f"Geflüchtete in Betreuung Ende {horizon_label}, Projektion.")  # fmt: skip
    c2.metric("Schlüssel Land", fmt.number(end["ratio"], 0, "je VZÄ"),
              fmt.signed(end["ratio"] - now["ratio"], 0), delta_color="inverse", border=True,
              help=f"Geflüchtete je VZÄ Ende {horizon_label}, Summe über Summe, VZÄ gehalten.")  # fmt: skip
    c3.metric("Verstärkungsbedarf", fmt.number(end["need_fte"], 1, "VZÄ"),
              fmt.signed(end["need_fte"] - now["need_fte"], 1, "VZÄ"), delta_color="inverse", border=True,
              help=f"Ende {horizon_label}; Kosten {fmt.euro(end['need_cost'])} je Jahr.")  # fmt: skip
    c4.metric("Kreise über Zielwert", f"{int(end['above_target'])} von {len(table)}",
              fmt.signed(end["above_target"] - now["above_target"]), delta_color="inverse", border=True,
              help=f"Ende {horizon_label}; davon kritisch: {int(end['critical'])}.")  # fmt: skip
projection_text = planning.projection_summary(projection)
st.markdown(f"**Projektion:** {projection_text}")
if fmt.is_missing(arrivals):
    st.info("Es liegen keine Zugangsdaten vor: bitte erwartete Zugänge je Monat eingeben.")
projection_fig = charts.projection_land(land, source_line=source,
                                        subtitle=f"Summe der Lücken der Kreise, VZÄ gehalten · Stand {fmt.day(ctx.as_of)}")
st.plotly_chart(projection_fig, key="szenario_land", alt=projection_text,
                config=widgets.chart_config(EXPORT_KEY, "Personalbedarf", "Projektion Land", ctx.as_of))  # fmt: skip

map_col, cross_col = st.columns([3, 2])
cross = planning.crossings(projection)
with map_col:
    st.markdown(f"**Karte: fehlende VZÄ je Kreis Ende {horizon_label} (Projektion)**")
    horizon_table = projection.horizon_table(ctx.as_of)
    need_classes = planning.horizon_need_classes(horizon_table, t, projection.horizon)
    fmap = maps.kreis_map(cache.geo_layers(), horizon_table, need_classes, as_of=ctx.as_of, thresholds=t, period=None,
                          geo_meta=geometry.meta(), selected=state.picked_kreis(), focus=focus, tiles=tiles_url,
                          tiles_attribution=tiles_attribution,
                          extra_tips={k: [f"Projektion Ende {horizon_label}, VZÄ auf Stand {fmt.day(ctx.as_of)} gehalten",
                                          f"Zielwert: {cross.loc[k, 'text']}"] for k in table.index})  # fmt: skip
    show_map(fmap, "karte_projektion")
    st.caption(f"Karte: {projection_text} {source}. {geometry.meta().attribution}.")
with cross_col:
    st.markdown(f"**Wann ein Kreis den Zielwert kreuzt** (bis {horizon_label})")
    lines = planning.crossing_lines(cross, shown["name"])
    st.markdown("\n".join(lines) if lines else f"Kein Kreis wechselt bis {horizon_label} die Seite des Zielwerts.")
    st.caption("Übrige Kreise: siehe Spalte „Zielwert“ in der Tabelle.")

st.markdown("**Je Kreis: heute und am Horizont**")
per_kreis = planning.projection_table(projection)
per_kreis = per_kreis[per_kreis["AGS"].isin(ctx.kreis_keys)]
show_kreis_table(planning.style_numbers(per_kreis, planning.PROJECTION_COLUMNS, state.picked_kreis()), per_kreis,
                 "szenario_tabelle", 420)  # fmt: skip
long = projection.long()
st.download_button("Alle Kreise und Monate als CSV", planning.csv_bytes(long[long["AGS"].isin(ctx.kreis_keys)], source),
                   file_name="personalbedarf_projektion.csv", mime="text/csv", key="szenario_csv", on_click="ignore",
                   icon=":material/download:")  # fmt: skip

chosen_key = "szenario_kreis"
if picked in shown.index and st.session_state.get(chosen_key) != picked:
    st.session_state[chosen_key] = picked
elif st.session_state.get(chosen_key) not in shown.index:
    st.session_state[chosen_key] = per_kreis["AGS"].iloc[0]
kreis = st.selectbox("Kreis für den Verlauf", list(shown.index), format_func=lambda k: table.loc[k, "name"],
                     key=chosen_key, on_change=lambda: state.pick_kreis(st.session_state[chosen_key]))  # fmt: skip
st.markdown(f"**{table.loc[kreis, 'name']}:** {planning.kreis_projection_sentence(projection, kreis, cross)}")
st.plotly_chart(charts.projection_kreis(projection.kreis(kreis), table.loc[kreis, "name"], t, source_line=source,
                                        subtitle=f"VZÄ gehalten bei {fmt.number(table.loc[kreis, 'counsellors_fte'], 1)} · "
                                                 f"Stand {fmt.day(ctx.as_of)}"),
                key="szenario_kreis_verlauf", config=PLOT_CONFIG)  # fmt: skip
with st.expander("Betreuungsschlüssel je Kreis und Monat"):
    by_month = planning.ratio_by_month(projection).loc[shown["name"]]
    st.dataframe(by_month.style.format(lambda v: fmt.number(v)), key="szenario_monate")

# Allocation what-if
st.header("Verteilung: was wäre, wenn", divider="gray")
today_cost = totals.counsellors_fte * ctx.cost_per_fte
c1, c2, c3 = st.columns([1.2, 1.6, 1.2])
typed_budget = amount_input(c1, "Budget (€ je Jahr)", BUDGET.key, f"heutige Kosten: {fmt.number(today_cost)}",
                            "Leer lassen für die Kosten der heute gemeldeten VZÄ.")  # fmt: skip
rule = c2.radio(RULE.label, RULE.options, format_func=lambda r: r.value, key=RULE.key)
alpha = c3.slider("Mischung: Anteil nach Einwohnern (%)", BLEND.lo, BLEND.hi, step=BLEND.step, key=BLEND.key,
                  disabled=rule is not planning.Rule.BLEND,
                  help="Der Rest wird nach Geflüchteten in Betreuung verteilt.") / 100  # fmt: skip
budget = float(typed_budget) if typed_budget is not None else today_cost
allocated = planning.allocate(table, budget, planning.allocation_weights(table, rule, alpha), t, ctx.cost_per_fte)
allocation_text = planning.allocation_summary(allocated, planning.rule_phrase(rule, alpha), budget, ctx.cost_per_fte)
st.markdown(f"**Was wäre, wenn:** {allocation_text}")
if allocated["weight"].isna().any():
    st.info(f"{fmt.count(int(allocated['weight'].isna().sum()), 'Kreis ohne Angabe für diese Regel erhält', 'Kreise ohne Angabe für diese Regel erhalten')} nichts (keine Daten).")

st.markdown("**Alle Regeln im Vergleich**")
cases = planning.allocations(table, budget, t, ctx.cost_per_fte, alpha)
st.dataframe(planning.style_numbers(planning.compare_rules(cases), planning.COMPARISON_COLUMNS), hide_index=True,
             key="verteilung_vergleich")  # fmt: skip
st.caption("Schlüssel in Geflüchteten je VZÄ, über alle 44 Kreise. Variationskoeffizient: Standardabweichung durch "
           f"Mittelwert der Schlüssel der Kreise (ungewichtet); 0 heißt überall gleich. {source}")  # fmt: skip
spread_fig = charts.ratio_spread({label: case["ratio"] for label, case in cases.items()}, table["name"], t,
                                source_line=source, subtitle=f"Budget {fmt.euro(budget)} je Jahr · Stand {fmt.day(ctx.as_of)}")
st.plotly_chart(spread_fig, key="verteilung_streuung",
                config=widgets.chart_config(EXPORT_KEY, "Personalbedarf", "Streuung der Schlüssel", ctx.as_of))  # fmt: skip

map_col, chart_col = st.columns(2)
change_classes = classify_around_zero(allocated["change_fte"], f"Veränderung gegenüber heute (VZÄ), {rule.value}", 1)
with map_col:
    st.markdown(f"**Karte: Gewinn und Verlust an VZÄ, {planning.rule_phrase(rule, alpha)}**")
    fmap = maps.kreis_map(cache.geo_layers(), allocated, change_classes, as_of=ctx.as_of, thresholds=t, period=period,
                          geo_meta=geometry.meta(), selected=state.picked_kreis(), focus=focus, tiles=tiles_url,
                          tiles_attribution=tiles_attribution,
                          extra_tips={k: planning.allocation_tip(allocated.loc[k]) for k in allocated.index})  # fmt: skip
    show_map(fmap, "karte_verteilung")
    st.caption(f"Karte: {allocation_text} Die Angaben im Kreis zeigen den Stand nach der Regel. {source}.")
with chart_col:
    change_fig = charts.allocation_change(allocated.loc[ctx.kreis_keys], change_classes, selected=state.picked_kreis(),
                                          source_line=source,
                                          subtitle=f"{planning.rule_phrase(rule, alpha)} · Stand {fmt.day(ctx.as_of)}")
    st.plotly_chart(change_fig, key="verteilung_diagramm", alt=allocation_text,
                    config=widgets.chart_config(EXPORT_KEY, "Personalbedarf", "Gewinn und Verlust", ctx.as_of))  # fmt: skip
change_table = planning.allocation_table(allocated.loc[ctx.kreis_keys])
show_kreis_table(planning.style_numbers(change_table, planning.ALLOCATION_COLUMNS, state.picked_kreis(),
                                        signed=("Veränderung (VZÄ)", "Veränderung (€ je Jahr)")),
                 change_table, "verteilung_tabelle", 420)  # fmt: skip
st.download_button("Verteilung als CSV", planning.csv_bytes(change_table, source), file_name="personalbedarf_verteilung.csv",
                   mime="text/csv", key="verteilung_csv", on_click="ignore", icon=":material/download:")  # fmt: skip
st.caption(f"Status nach Regel: {Status.OK.value} bis {fmt.number(t.target)}, {Status.ELEVATED.value} bis "
           f"{fmt.number(t.critical_above, 1)}, darüber {Status.CRITICAL.value} (Geflüchtete je VZÄ). {source}")  # fmt: skip

widgets.export_panel(
    ctx,
    EXPORT_KEY,
    view="Personalbedarf",
    figures={
        "Karte Bedarf": partial(exports.kreise_map_figure, cache.geo_layers(), gap_classes, title="Verstärkungsbedarf der Kreise",
                                subtitle=f"VZÄ bis zum Zielwert {fmt.number(t.target)} · {ctx.region_label} · "
                                         f"Stand {fmt.day(ctx.as_of)}", focus=focus),
        "Bedarf je Zielwert": sensitivity_fig,
        "Projektion Land": projection_fig,
        "Streuung der Schlüssel": spread_fig,
        "Gewinn und Verlust": change_fig,
    },
    tables={"Bedarf der Kreise": priority, "Verteilung": change_table},
    period=period,
)  # fmt: skip

"""Landesübersicht: where counselling capacity is critical, and how many posts would fix it."""

from functools import partial

import streamlit as st

from lagebild import analysis, charts, exports, fmt, geometry, maps, overview, settings
from lagebild.app import cache, sidebar, state, widgets
from lagebild.classify import classify
from lagebild.measures import METRICS
from lagebild.params import MAP_METRIC, PERIOD, PERIOD_LABELS, SCHEME, schemes_for

ctx = sidebar.context()
st.title("Landesübersicht")
if ctx is None:
    st.info("Noch keine Daten im Datenbestand. Bitte Daten importieren oder Beispieldaten laden.")
    st.stop()

table = ctx.table(filtered=True)
period = ctx.period(3)
totals = analysis.totals(table)
before = ctx.table(ctx.previous, filtered=True) if ctx.previous else None
source = charts.source_line(ctx.sources(), ctx.as_of, ctx.is_demo)
st.caption(f"{ctx.region_label} · {len(table)} von 44 Stadt- und Landkreisen · Stand {fmt.day(ctx.as_of)}"
           + (f" · Vergleich mit {fmt.day(ctx.previous)}" if ctx.previous else ""))  # fmt: skip
if ctx.is_demo:
    st.warning(f"**{settings.DEMO_LABEL}** – Werte erzeugt, nicht amtlich.", icon="⚠️")
if not len(table):
    st.info("Kein Kreis entspricht dem Filter. Bitte die Auswahl in der Seitenleiste ändern.")
    st.stop()

with st.container(key="kpis"):
    cards = overview.kpis(totals, analysis.totals(before) if before is not None else None, ctx.thresholds, period,
                          ctx.as_of, ctx.previous)  # fmt: skip
    for row in (cards[:4], cards[4:]):
        for col, kpi in zip(st.columns(4), row, strict=False):
            col.metric(kpi.label, kpi.value, kpi.delta, delta_color=kpi.delta_color, help=kpi.help, border=True)

summary = overview.summary(table, totals, ctx.thresholds, ctx.as_of, ctx.region_label if ctx.is_filtered else None)
lage_col, top_col = st.columns([3, 2])
lage_col.markdown(f"**Lage:** {summary}")
with top_col, st.container(border=True, key="top5"):
    worst = overview.top_critical(table)
    st.markdown("**Am stärksten belastet**" if worst else "**Kein Kreis über dem Zielwert.**")
    for key, line in worst:
        st.button(line, key=f"top_{key}", on_click=state.pick_kreis, args=(key,), type="tertiary",
                  help="Wählt den Kreis aus: Karte und Detailkarte zeigen ihn.")  # fmt: skip

st.subheader("Karte der Kreise")
c1, c2, c3 = st.columns([2, 2, 1.4])
metric = c1.selectbox(MAP_METRIC.label, MAP_METRIC.options, format_func=lambda k: f"{METRICS[k].label} ({METRICS[k].unit})",
                      key=MAP_METRIC.key, on_change=state.metric_switched)  # fmt: skip
scheme = c2.selectbox(SCHEME.label, schemes_for(metric), format_func=lambda s: s.value, key=SCHEME.key)
months = c3.selectbox(PERIOD.label, PERIOD.options, format_func=PERIOD_LABELS.get, key=PERIOD.key,
                      disabled=not metric.startswith("arrivals"))  # fmt: skip
everywhere = ctx.table(months=months) if metric.startswith("arrivals") else ctx.table()
shown = everywhere.loc[ctx.kreis_keys]
shown_period = ctx.period(months) if metric.startswith("arrivals") else period
# Classes from all 44 Kreise, so colours mean the same whatever the filter; counts for the filter.
classified = classify(everywhere, metric, scheme, ctx.thresholds).counted_within(ctx.kreis_keys)

tiles_url, tiles_attribution = settings.tiles()
map_col, card_col = st.columns([3, 2])
with map_col:
    kreis_map = maps.kreis_map(cache.geo_layers(), everywhere, classified, as_of=ctx.as_of, thresholds=ctx.thresholds,
                               period=shown_period, geo_meta=geometry.meta(), selected=state.picked_kreis(),
                               focus=ctx.kreis_keys if ctx.is_filtered else None,
                               tiles=tiles_url, tiles_attribution=tiles_attribution)  # fmt: skip
    widgets.show_kreis_map(kreis_map, key="karte")
    st.caption(f"Karte: {source}. {geometry.meta().attribution}.")

with card_col, st.container(border=True, key="detail"):
    key = state.picked_kreis()
    if key is None:
        st.markdown("**Kein Kreis ausgewählt.** Einen Kreis in der Karte anklicken oder in der Tabelle wählen.")
    else:
        row = everywhere.loc[key]
        st.markdown(f"### {row['name']}")
        st.caption(f"{row['kind']} · Regierungsbezirk {row['rb_name']}")
        figures = overview.key_figures(row, ctx.as_of, ctx.thresholds, shown_period)
        st.markdown("\n".join(f"- **{label}:** {text}" for label, text in figures))
        widgets.open_profile_link(key, "profil_oeffnen")
        st.button("Auswahl aufheben", key="auswahl_aufheben", icon=":material/close:", on_click=state.pick_kreis,
                  args=(None,))  # fmt: skip

st.subheader("Rangfolge")
rank_col, table_col = st.columns([3, 2])
with rank_col:
    fig = charts.ranking(shown, metric, classified, ctx.thresholds, selected=state.picked_kreis(), source_line=source,
                         subtitle=f"{METRICS[metric].unit} · {ctx.region_label} · Stand {fmt.day(ctx.as_of)}")  # fmt: skip
    st.plotly_chart(fig, key="rangfolge", config=widgets.chart_config("export_uebersicht", "Landesübersicht", "Rangfolge",
                                                                  ctx.as_of), alt=summary)  # fmt: skip
with table_col:
    frame = overview.ranking_table(shown, ctx.as_of)
    widgets.select_table(overview.style_ranking(frame, state.picked_kreis()), list(frame["AGS"]), key="tabelle",
                   height=min(720, 38 + 35 * len(frame)), column_order=overview.RANKING_ON_SCREEN)  # fmt: skip
    st.caption(source)

# The static map is built only when a file asks for it; its arguments are taken now.
static_map = partial(exports.kreise_map_figure, cache.geo_layers(), classified, title=f"{METRICS[metric].label} der Kreise",
                     subtitle=f"{METRICS[metric].unit} · {scheme.value} · {ctx.region_label} · Stand {fmt.day(ctx.as_of)}"
                              + (f" · Zugänge {shown_period.label}" if metric.startswith("arrivals") and shown_period else ""),
                     selected=state.picked_kreis(), focus=ctx.kreis_keys if ctx.is_filtered else None)  # fmt: skip
widgets.export_panel(ctx, "export_uebersicht", view="Landesübersicht", figures={"Karte": static_map, "Rangfolge": fig},
                tables={"Tabelle": frame}, decimals=overview.RANKING_FORMATS, summary=summary, period=shown_period)

st.subheader("Was hat sich geändert")
if ctx.previous is None or before is None:
    st.info("Es gibt keinen früheren Stand zum Vergleich.")
else:
    changed, movers = overview.changes(table, before)
    left, right = st.columns(2)
    with left:
        st.markdown(f"**Statuswechsel seit {fmt.day(ctx.previous)}**")
        if changed.empty:
            st.write("Kein Kreis hat den Status gewechselt.")
        else:
            st.markdown("\n".join(overview.change_lines(changed)))
    with right:
        st.markdown("**Größte Veränderungen des Betreuungsschlüssels**")
        st.markdown("\n".join(overview.mover_lines(movers)))

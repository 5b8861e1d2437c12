"""Kreisprofil: one Kreis in context, over time, against neighbours and peers, with its Gemeinden."""

import streamlit as st
from streamlit_folium import st_folium

from lagebild import charts, fmt, geometry, offline, overview, profile, settings
from lagebild.app import cache, sidebar, widgets
from lagebild.measures import Status
from lagebild.regions import regions

ctx = sidebar.context()
regs = regions()
if ctx is None:
    st.title("Kreisprofil")
    st.info("Noch keine Daten im Datenbestand. Bitte Daten importieren oder Beispieldaten laden.")
    st.stop()

kreis = widgets.kreis_picker()

region = regs[kreis]
table = ctx.table()
row = table.loc[kreis]
status = Status(row["status"])
source = charts.source_line(ctx.sources(), ctx.as_of, ctx.is_demo)

st.title(region.display_name)
st.caption(f"{region.kind} · Regierungsbezirk {regs.rb_of(kreis).name} · {fmt.number(region.population)} Einwohner "
           f"(Stand {fmt.day(region.population_date)}, Destatis) · Stand der Zahlen {fmt.day(ctx.as_of)}")  # fmt: skip
if ctx.is_demo:
    st.warning(f"**{settings.DEMO_LABEL}** – Werte erzeugt, nicht amtlich.", icon="⚠️")
if status is Status.NO_DATA:
    st.info(f"Für {region.display_name} liegen zum Stand {fmt.day(ctx.as_of)} keine vollständigen Angaben vor "
            "(Geflüchtete in Betreuung oder Integrationsmanagement fehlen). Gezeigt wird, was vorhanden ist.")  # fmt: skip

with st.container(key="kreis_kopf"):
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Status", status.value, help=f"Zielwert {fmt.number(ctx.thresholds.target)} Geflüchtete je VZÄ; "
              f"kritisch über {fmt.number(ctx.thresholds.critical_above, 1)}.", border=True)  # fmt: skip
    c2.metric("Betreuungsschlüssel", fmt.number(row["ratio"], 0, "je VZÄ"), border=True,
              help=overview.stand_note(row["refugees_in_care_date"], ctx.as_of) or None)  # fmt: skip
    c3.metric("Verstärkungsbedarf", fmt.number(row["need_fte"], 1, "VZÄ"), border=True,
              help=f"Überhang: {fmt.number(row['surplus_fte'], 1, 'VZÄ')}" if row["surplus_fte"] > 0 else None)  # fmt: skip
    c4.metric("Kosten des Bedarfs", fmt.euro_mio(row["need_cost"]) + " je Jahr" if not fmt.is_missing(row["need_cost"])
              else fmt.NO_DATA, border=True, help=f"{fmt.number(ctx.cost_per_fte)} € je VZÄ und Jahr")  # fmt: skip
view = f"Kreisprofil {region.display_name}"
widgets.export_panel(ctx, "kreisprofil", view=view, kreis=kreis, profile_pdf=True)

st.subheader("Im Vergleich")
compared = profile.comparison(table, kreis, regs)
st.dataframe(compared, hide_index=True, key="vergleich")
st.caption("Regierungsbezirk und Land: Summen der Kreise und Quotienten der Summen. Rang 1 = höchste Belastung "
           f"(beim Betreuungsschlüssel der höchste Wert). {source}")  # fmt: skip

st.subheader("Entwicklung")
left, right = st.columns(2)
arrivals_fig = profile.arrivals_chart(ctx.obs, kreis, region.display_name, source, as_of=ctx.as_of)
ratio_fig = profile.ratio_chart(ctx.obs, kreis, region.display_name, regs.kreis_keys, ctx.thresholds, source,
                                as_of=ctx.as_of)  # fmt: skip
stocks_fig = profile.stocks_chart(ctx.obs, kreis, region.display_name, source, as_of=ctx.as_of)
left.plotly_chart(arrivals_fig, key="zeit_zugaenge", config=widgets.chart_config("export_kreis", view, "Zugänge", ctx.as_of))
right.plotly_chart(ratio_fig, key="zeit_schluessel",
                   config=widgets.chart_config("export_kreis", view, "Betreuungsschlüssel", ctx.as_of))  # fmt: skip
st.plotly_chart(stocks_fig, key="zeit_bestand", config=widgets.chart_config("export_kreis", view, "Betreuung und Kapazität",
                                                                         ctx.as_of))  # fmt: skip

st.subheader("Nachbarn und Vergleichskreise")
neighbours = [n.key for n in regs.neighbours(kreis)]
peers = [p.key for p in regs.peers(kreis)]
n_col, p_col = st.columns(2)
with n_col:
    st.markdown(f"**Nachbarkreise** (gemeinsame Grenze): {len(neighbours)}")
    neighbour_table = profile.group_table(table, kreis, neighbours)
    st.dataframe(neighbour_table, hide_index=True, key="nachbarn")
    neighbour_fig = profile.group_chart(table, kreis, neighbours, f"{region.display_name} und Nachbarn", ctx.thresholds,
                                        source, as_of=ctx.as_of)  # fmt: skip
    st.plotly_chart(neighbour_fig, key="nachbarn_diagramm",
                    config=widgets.chart_config("export_kreis", view, "Nachbarn", ctx.as_of))  # fmt: skip
with p_col:
    st.markdown(f"**Vergleichskreise** (gleicher Typ, gleicher Regierungsbezirk): {len(peers)}")
    if peers:
        st.dataframe(profile.group_table(table, kreis, peers), hide_index=True, key="vergleichskreise")
        st.plotly_chart(profile.group_chart(table, kreis, peers, f"{region.display_name} und Vergleichskreise",
                                            ctx.thresholds, source, as_of=ctx.as_of), key="vergleich_diagramm",
                        config=widgets.chart_config("export_kreis", view, "Vergleichskreise", ctx.as_of))  # fmt: skip
    else:
        st.write("Kein anderer Kreis gleichen Typs im selben Regierungsbezirk.")

st.subheader("Gemeinden")
values = profile.gemeinde_values(ctx.obs, kreis, ctx.as_of)
gemeinden = geometry.gemeinden()
members = gemeinden[gemeinden["kreis"] == kreis]
map_col, info_col = st.columns([3, 2])
with map_col:
    gmap = profile.gemeinde_map(members, cache.geo_layers().kreise.loc[[kreis]], values, region.display_name,
                                geometry.meta().attribution)  # fmt: skip
    offline.localize(gmap, cache.offline_asset_base_url())
    state = st_folium(gmap, key=f"gemeindekarte_{kreis}", height=460, use_container_width=True,
                      returned_objects=["last_active_drawing"])  # fmt: skip
with info_col:
    fte_text = fmt.number(row["counsellors_fte"], 1, "VZÄ")
    if values.empty:
        st.info(f"{region.display_name} meldet Geflüchtete in Betreuung nur insgesamt, nicht je Gemeinde. "
                "Die Karte zeigt die Gemeindegrenzen.")  # fmt: skip
    else:
        st.markdown(f"**Geflüchtete in Betreuung je Gemeinde** ({len(values)} von {len(members)} Gemeinden gemeldet, "
                    f"Stand {fmt.day(values['date'].max())})")  # fmt: skip
        st.markdown("\n".join(f"<span style='display:inline-block;width:14px;height:12px;background:{c};"
                              f"border:1px solid #9ca3af'></span> {label}<br>" for c, label in profile.gemeinde_legend(values)),
                    unsafe_allow_html=True)  # fmt: skip
    st.markdown(f"Das Integrationsmanagement ({fte_text}) ist beim {region.kind} beschäftigt und wird nicht auf "
                "Gemeinden aufgeteilt.")  # fmt: skip
    gemeinde = profile.clicked_gemeinde(state)
    with st.container(border=True, key="gemeinde_detail"):
        if gemeinde and gemeinde in members.index:
            name = members.loc[gemeinde, "name"]
            st.markdown(f"**{name}** (Gemeinde, {gemeinde})")
            if gemeinde in values.index and not fmt.is_missing(values.loc[gemeinde, "value"]):
                share = values.loc[gemeinde, "value"] / row["refugees_in_care"] if row["refugees_in_care"] else float("nan")
                st.markdown(f"- Geflüchtete in Betreuung: {fmt.number(values.loc[gemeinde, 'value'])} Personen "
                            f"(Stand {fmt.day(values.loc[gemeinde, 'date'])})\n"
                            f"- Anteil am Kreis: {fmt.number(share * 100, 1)} %")  # fmt: skip
            else:
                st.markdown("- keine Gemeindezahlen: der Kreis meldet nur insgesamt")
        else:
            st.caption("Eine Gemeinde in der Karte anklicken, um ihre Zahlen zu sehen.")
    st.caption(f"{geometry.meta().attribution}. {source}")

widgets.export_panel(ctx, "export_kreis", view=view, kreis=kreis, period=ctx.period(3),
                figures={"Zugänge": arrivals_fig, "Betreuungsschlüssel": ratio_fig, "Betreuung und Kapazität": stocks_fig,
                         "Nachbarn": neighbour_fig},
                tables={"Vergleich": compared, "Nachbarn": neighbour_table})

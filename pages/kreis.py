"""Kreisprofil: one Kreis in context, over time, against neighbours and peers, with its Gemeinden."""

import streamlit as st

from lagebild import params
from lagebild.app import a11y, cache, sidebar, widgets
from lagebild.present import charts, profile, text
from lagebild.views import kreis as views

ctx = sidebar.context()
if ctx is None:
    st.title(views.TITLE)
    st.info(views.NO_DATA)
    st.stop()

AS_OF = ctx.as_of
kreis = widgets.kreis_picker()
view = cache.view(views.build, ctx, kreis=kreis)

st.title(view.name, anchor=False)
st.caption(text.markdown(view.caption))
widgets.demo_note(view.demo_note)
if view.incomplete_note:
    st.info(view.incomplete_note)

with st.container(key="kreis_kopf"):
    for col, card in zip(st.columns(4), view.cards, strict=True):
        col.metric(card.label, card.value, help=card.help, border=True)
widgets.export_panel(ctx, "kreisprofil", view=view.view_name, kreis=kreis, profile_pdf=True)


def chart(figure, key: str, label: str, table_hint: str = "") -> None:
    widgets.plotly_chart(
        figure,
        key=key,
        alt=charts.describe(figure, table_hint),
        config=widgets.chart_config("export_kreis", view.view_name, label, AS_OF),
    )


@st.fragment
def charts_part(view: views.KreisView, kreis: str) -> None:
    """The tables and charts and what stands between them. A fragment: the report that the Gemeinde map stands (it
    lets tables and charts follow, issue 12) reruns only this part, so the download buttons above and below keep
    their files."""
    st.header("Im Vergleich", anchor=False)
    widgets.dataframe(view.comparison, hide_index=True, key="vergleich")
    st.caption(text.markdown(view.comparison_caption))

    st.header("Entwicklung", anchor=False)
    left, right = st.columns(2)
    with left:
        chart(view.arrivals, "zeit_zugaenge", "Zugänge")
    with right:
        chart(view.ratio, "zeit_schluessel", "Betreuungsschlüssel")
    chart(view.stocks, "zeit_bestand", "Betreuung und Kapazität")

    st.header(view.outlook.title, anchor=False)
    st.markdown(view.outlook.sentence)
    if view.outlook.chart is not None:
        chart(view.outlook.chart, "ausblick", "Ausblick", view.outlook.sentence)
        st.caption(view.outlook.assumptions)
        st.page_link(
            "pages/personalbedarf.py",
            label="Annahmen ändern: Personalbedarf",
            icon=":material/tune:",
            query_params={params.P_PICKED: kreis},
        )

    st.header("Nachbarn und Vergleichskreise", anchor=False)
    for col, group, key, label in zip(
        st.columns(2),
        (view.neighbours, view.peers),
        ("nachbarn", "vergleichskreise"),
        ("Nachbarn", "Vergleichskreise"),
        strict=True,
    ):
        with col:
            st.markdown(group.title)
            if group.table is None:
                st.write(views.NO_PEERS)
                continue
            widgets.dataframe(group.table, hide_index=True, key=key)
            chart(group.chart, f"{key}_diagramm", label, "Dieselben Zahlen stehen in der Tabelle darüber.")
    widgets.report_map_shown()


charts_part(view, kreis)

st.header("Gemeinden", anchor=False)
map_col, info_col = st.columns([3, 2])
with map_col:
    a11y.skip_link(f"{widgets.KEY_GEMEINDE}_{kreis}", "Karte überspringen")
    a11y.map_name(view.map_name)
    clicked = widgets.show_whole_map(view.gemeinde_map, key=f"gemeindekarte_{kreis}", height=460)
with info_col:
    if view.gemeinde_heading is None:
        st.info(view.no_gemeinde_note)
    else:
        st.markdown(view.gemeinde_heading)
        st.markdown(
            "\n".join(
                f"<span style='display:inline-block;width:14px;height:12px;background:{colour};"
                f"border:1px solid #9ca3af'></span> {label}<br>"
                for colour, label in view.gemeinde_legend
            ),
            unsafe_allow_html=True,
        )
        st.caption(text.markdown(view.gemeinde_note))
    st.markdown(view.staff_note)
    with st.container(border=True, key="gemeinde_detail"):
        chosen = widgets.gemeinde_choice(
            views.PICK_GEMEINDE, kreis, view.gemeinde_choices, profile.clicked_gemeinde(clicked)
        )
        detail = view.gemeinde_detail(chosen)
        if detail:
            st.markdown(detail)
        else:
            st.caption(views.CLICK_GEMEINDE)
    st.caption(text.markdown(view.map_caption))
if view.gemeinde_heading is not None:
    with st.expander(views.GEMEINDE_TABLE, key="gemeinde_tabelle"):
        st.dataframe(view.gemeinde_screen_table, hide_index=True)
        st.caption(text.markdown(view.gemeinde_note))

widgets.export_panel(
    ctx,
    "export_kreis",
    view=view.view_name,
    kreis=kreis,
    period=ctx.period(3),
    figures=view.export_figures,
    tables=view.export_tables,
    protected_tables=view.gemeinde_tables,
    protected_figures=view.gemeinde_figures,
)

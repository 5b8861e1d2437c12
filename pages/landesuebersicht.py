"""Landesübersicht: where counselling capacity is critical, and how many posts would fix it."""

import streamlit as st

from lagebild.app import a11y, cache, sidebar, state, widgets
from lagebild.app.context import Context
from lagebild.params import MAP_METRIC, PERIOD, PERIOD_LABELS, SCHEME, schemes_for
from lagebild.present import text
from lagebild.views import Empty
from lagebild.views import overview as views

ctx = sidebar.context()
st.title(views.TITLE, anchor=False)
if ctx is None:
    st.info(views.NO_DATA)
    st.stop()

inputs = state.inputs("")
chosen = dict(
    metric=inputs[MAP_METRIC.key], scheme=inputs[SCHEME.key], months=inputs[PERIOD.key], picked=state.picked_kreis()
)
view = cache.view(views.build, ctx, **chosen)
st.caption(text.markdown(view.caption))
widgets.demo_note(view.demo_note)
if isinstance(view, Empty):
    st.info(view.note)
    st.stop()

with st.container(key="kpis"):
    for row in (view.cards[:4], view.cards[4:]):
        for col, kpi in zip(st.columns(4), row, strict=False):
            col.metric(kpi.label, kpi.value, kpi.delta, delta_color=kpi.delta_color, help=kpi.help, border=True)

lage_col, top_col = st.columns([1, 1])
# Leadership's summary says when figures are missing; beside the Top 5, so the first screen stays one screen.
lage_col.markdown(
    f"**Lage:** {view.summary}" + (f" **Meldestand:** {view.completeness_note}" if view.completeness_note else "")
)
with top_col, st.container(border=True, key="top5"):
    st.markdown(view.top_title)
    for key, line in view.top:
        st.button(
            line,
            key=f"top_{key}",
            on_click=state.pick_kreis,
            args=(key,),
            type="tertiary",
            help="Wählt den Kreis aus: Karte und Detailkarte zeigen ihn.",
        )

st.header("Karte der Kreise", anchor=False)
c1, c2, c3 = st.columns([2, 2, 1.4])
metric = c1.selectbox(
    MAP_METRIC.label,
    MAP_METRIC.options,
    format_func=views.metric_label,
    key=MAP_METRIC.key,
    on_change=state.metric_switched,
)
c2.selectbox(SCHEME.label, schemes_for(metric), format_func=lambda s: s.value, key=SCHEME.key)
c3.selectbox(
    PERIOD.label,
    PERIOD.options,
    format_func=lambda months: PERIOD_LABELS[months],
    key=PERIOD.key,
    disabled=not metric.startswith("arrivals"),
)

map_col, card_col = st.columns([3, 2])
with map_col:
    a11y.skip_link(widgets.KEY_PICK, "Karte überspringen")
    a11y.map_name(view.map_name)
    widgets.show_kreis_map(view.kreis_map, key="karte")
    st.caption(text.markdown(view.map_caption))
with card_col, st.container(border=True, key="detail"):
    widgets.kreis_choice(views.PICK_LABEL, view.choices)
    if view.detail is None:
        st.markdown(views.NO_SELECTION)
    else:
        st.markdown(f"### {view.detail.name}")
        st.caption(view.detail.subtitle)
        st.markdown(view.detail.figures)
        widgets.open_profile_link(view.detail.key, "profil_oeffnen")
        st.button(
            "Auswahl aufheben", key="auswahl_aufheben", icon=":material/close:", on_click=state.pick_kreis, args=(None,)
        )


@st.fragment
def after_map(view: views.OverviewView, ctx: Context, chosen: dict) -> None:
    """The ranking, its table, the exports and the changes: drawn once the map stands, since their Plotly and
    table bundles would otherwise hold up the map (issue 12). A fragment, so the map's report reruns only this part."""
    st.header("Rangfolge", anchor=False)
    rank_col, table_col = st.columns([3, 2])
    if not widgets.map_shown():
        with rank_col:
            widgets.waits(int(view.ranking.layout.height), views.RANKING_WAITS)
        widgets.report_map_shown()
        return
    with rank_col:
        st.plotly_chart(
            view.ranking,
            key="rangfolge",
            alt=view.summary,
            config=widgets.chart_config(views.EXPORT_KEY, views.TITLE, "Rangfolge", ctx.as_of),
        )
    with table_col:
        widgets.select_table(
            view.ranking_styled,
            view.ranking_keys,
            key="tabelle",
            height=view.ranking_height,
            column_order=views.RANKING_ON_SCREEN,
        )
        st.caption(text.markdown(view.source))
    widgets.rerun_if_picked(chosen["picked"])  # a Kreis chosen in the table: the map and its card above show it

    spec = view.exports
    widgets.export_panel(
        ctx,
        views.EXPORT_KEY,
        view=views.TITLE,
        figures=spec.figures,
        tables=spec.tables,
        decimals=spec.decimals,
        summary=spec.summary,
        period=spec.period,
    )

    st.header("Was hat sich geändert", anchor=False)
    if view.changes is None:
        st.info(views.NO_PREVIOUS)
    else:
        left, right = st.columns(2)
        left.markdown(view.changes.status_title)
        left.markdown(view.changes.status_lines)
        right.markdown(view.changes.movers_title)
        right.markdown(view.changes.mover_lines)
    # The page stands in the browser: the Views of the likely next switches are built in the background now.
    widgets.prepare(views.build, ctx, views.next_switches(ctx, **chosen))
    widgets.report_map_shown()


after_map(view, ctx, chosen)

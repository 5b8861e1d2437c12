"""Vergleich: how a Kennzahl changed per Kreis between two Stände, and which Kreise crossed a status line."""

import streamlit as st

from lagebild.app import a11y, cache, sidebar, state, widgets
from lagebild.params import AFTER, BEFORE, COMPARE_METRIC, COMPARE_PAGE
from lagebild.present import text
from lagebild.views import Empty
from lagebild.views import vergleich as views

ctx = sidebar.context()
st.title(views.TITLE, anchor=False)
if ctx is None:
    st.info(views.NO_DATA)
    st.stop()

c1, c2, c3 = st.columns([1, 1, 2])
c1.selectbox(BEFORE.label, ctx.stands[::-1], format_func=views.stand_label, key=BEFORE.key)
c2.selectbox(AFTER.label, ctx.stands[::-1], format_func=views.stand_label, key=AFTER.key)
c3.selectbox(COMPARE_METRIC.label, COMPARE_METRIC.options, format_func=views.metric_label, key=COMPARE_METRIC.key)
st.caption(views.SIDEBAR_NOTE)

inputs = state.inputs(COMPARE_PAGE)
view = cache.view(
    views.build,
    ctx,
    stands=ctx.stands,
    before=inputs[BEFORE.key],
    after=inputs[AFTER.key],
    metric=inputs[COMPARE_METRIC.key],
)
st.caption(text.markdown(view.caption))
widgets.demo_note(view.demo_note)
if isinstance(view, Empty):
    st.info(view.note)
    st.stop()
if view.order_note:
    st.info(view.order_note)

with st.container(key="summen"):
    st.markdown(f"**{view.totals_title}**")
    st.table(view.totals, hide_index=True)

map_col, list_col = st.columns([3, 2])
with map_col:
    a11y.skip_link("vergleich_listen", "Karte überspringen")
    a11y.map_name(view.map_name)
    widgets.show_kreis_map(view.kreis_map, key="vergleich_karte")
    st.caption(text.markdown(view.map_caption))
with list_col, st.container(key="vergleich_listen"):
    with st.container(border=True, key="statuswechsel"):
        st.markdown(view.worse.title)
        st.markdown(view.worse.lines)
        st.markdown(view.better.title)
        st.markdown(view.better.lines)
        st.caption(view.crossings_note)

rise_col, fall_col = st.columns(2)
with rise_col, st.container(border=True, key="anstiege"):
    st.markdown(view.rises.title)
    st.markdown(view.rises.lines)
with fall_col, st.container(border=True, key="rueckgaenge"):
    st.markdown(view.falls.title)
    st.markdown(view.falls.lines)
with st.expander(view.table_title, icon=":material/table:", key="alle_kreise"):
    st.dataframe(view.table_styled, hide_index=True, key="vergleich_tabelle")
st.caption(text.markdown(view.source))

widgets.export_panel(
    ctx,
    views.EXPORT_KEY,
    view=views.VIEW,
    figures=view.figures,
    tables=view.tables,
    decimals=view.decimals,
    summary=view.summary,
    stands=(view.before, view.after),
)

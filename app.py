"""Lagebild Integrationsmanagement BW: router over the pages and the shared frame."""

from pathlib import Path

import streamlit as st

from lagebild import text
from lagebild.app import cache, connection, sidebar, state, widgets

HERE = Path(__file__).resolve().parent

st.set_page_config(
    page_title="Lagebild Integrationsmanagement BW",
    page_icon=widgets.app_icon(),
    layout="wide",
    initial_sidebar_state="expanded",
)

pages = [
    st.Page(HERE / "pages" / "landesuebersicht.py", title="Landesübersicht", icon=":material/map:", default=True),
    st.Page(HERE / "pages" / "personalbedarf.py", title="Personalbedarf", icon=":material/groups:"),
    st.Page(HERE / "pages" / "kreis.py", title="Kreisprofil", icon=":material/location_city:", url_path="kreis"),
    st.Page(HERE / "pages" / "daten.py", title="Daten", icon=":material/upload_file:"),
    st.Page(HERE / "pages" / "glossar.py", title="Glossar", icon=":material/menu_book:"),
]
page = st.navigation(pages)
cache.store_or_fault_page()
sidebar.frame(page.url_path)
with st.sidebar:
    connection.watch()
for notice in state.notices():
    st.warning(text.markdown(notice), icon=":material/link_off:")
page.run()
cache.warm_process()

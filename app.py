"""Lagebild Integrationsmanagement BW: router over the pages and the shared frame."""

from pathlib import Path

import streamlit as st

from lagebild.app import a11y, auth, cache, connection, sidebar, state, widgets
from lagebild.present import text

HERE = Path(__file__).resolve().parent

st.set_page_config(
    page_title="Lagebild Integrationsmanagement BW",
    page_icon=widgets.app_icon(),
    layout="wide",
    # "auto": open on a desktop, closed on a phone, where it would cover three quarters of the screen.
    initial_sidebar_state="auto",
)

pages = [
    st.Page(HERE / "pages" / "landesuebersicht.py", title="Landesübersicht", icon=":material/map:", default=True),
    st.Page(HERE / "pages" / "personalbedarf.py", title="Personalbedarf", icon=":material/groups:"),
    st.Page(HERE / "pages" / "vergleich.py", title="Vergleich", icon=":material/compare_arrows:", url_path="vergleich"),
    st.Page(HERE / "pages" / "kreis.py", title="Kreisprofil", icon=":material/location_city:", url_path="kreis"),
    st.Page(HERE / "pages" / "daten.py", title="Daten", icon=":material/upload_file:"),
    st.Page(HERE / "pages" / "glossar.py", title="Glossar", icon=":material/menu_book:"),
    # Linked from every page's footer (lagebild.app.a11y.footer), not from the navigation: two tab stops fewer.
    st.Page(
        HERE / "pages" / "barrierefreiheit.py",
        title="Erklärung zur Barrierefreiheit",
        icon=":material/accessibility:",
        url_path="barrierefreiheit",
        visibility="hidden",
    ),
    st.Page(
        HERE / "pages" / "leichte_sprache.py",
        title="Leichte Sprache",
        icon=":material/menu_book:",
        url_path="leichte-sprache",
        visibility="hidden",
    ),
]
state.keep_generated_downloads()
a11y.frame()
auth.gate()
page = st.navigation(pages)
auth.open_first(page.url_path)
cache.store_or_fault_page()
auth.frame()
sidebar.frame(page.url_path)
with st.sidebar:
    connection.watch()
for notice in state.notices():
    st.warning(text.markdown(notice), icon=":material/link_off:")
page.run()
a11y.footer()
cache.warm_process()

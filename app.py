"""Lagebild Integrationsmanagement BW: router over the pages and the shared frame."""

from pathlib import Path

import streamlit as st

from lagebild import ui

HERE = Path(__file__).resolve().parent

st.set_page_config(
    page_title="Lagebild Integrationsmanagement BW",
    page_icon=ui.app_icon(),
    layout="wide",
    initial_sidebar_state="expanded",
)

pages = [
    st.Page(HERE / "pages" / "landesuebersicht.py", title="Landesübersicht", icon=":material/map:", default=True),
]
st.navigation(pages).run()

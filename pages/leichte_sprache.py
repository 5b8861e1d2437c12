"""What the app shows, in Leichte Sprache."""

import streamlit as st

from lagebild.views import accessibility as views

st.title(views.EASY_TITLE)
st.markdown(views.EASY)

"""Erklärung zur Barrierefreiheit (BITV 2.0, model structure of the EU implementing decision 2018/1523)."""

import streamlit as st

from lagebild import settings
from lagebild.views import accessibility as views

st.title(views.STATEMENT_TITLE)
st.markdown(views.statement(settings.accessibility_contact()))

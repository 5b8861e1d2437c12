"""Glossar: every measure and metric with its definition, unit, rule for missing and zero, source and licence."""

import streamlit as st

from lagebild.app import sidebar
from lagebild.views import glossar as views

view = views.build(sidebar.context())

# The terms are h2 under the page's h1 (heading order), drawn at the size of a card's title.
st.html('<style>[class*="st-key-glossar_"] h2 {font-size: 1.35rem; padding: 0 0 0.25rem 0;}</style>')
st.title(views.TITLE)
st.caption(view.caption)
for entry in view.entries:
    with st.container(border=True, key=f"glossar_{entry.key}"):
        st.header(entry.name, anchor=False)
        st.markdown(entry.definition)
        st.markdown(entry.facts)

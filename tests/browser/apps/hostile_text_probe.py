"""Probe page for the browser tests: every hostile string through text.markdown into each Streamlit text element."""

import streamlit as st

from lagebild.present import text
from tests.support.hostile import HOSTILE

for i, value in enumerate(HOSTILE):
    with st.container(key=f"probe_{i}"):
        st.markdown(f"**Wert:** „{text.markdown(value)}“")
        st.caption(f"Quelle: {text.markdown(value)}")
        st.success(text.markdown(value))
        st.error(f"- {text.markdown(value)}")

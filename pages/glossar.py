"""Glossar: every measure and metric with its definition, unit, rule for missing and zero, source and licence."""

import streamlit as st

from lagebild.app import sidebar
from lagebild.domain.measures import MEASURES
from lagebild.domain.regions import regions
from lagebild.export import files
from lagebild.present import fmt, glossary

ctx = sidebar.context()
thresholds = ctx.thresholds if ctx is not None else None
stands = files.stands_by_measure(ctx.obs, ctx.as_of, regions().kreis_keys) if ctx is not None else {}
labels = {key: m.label for key, m in MEASURES.items()}

# The terms are h2 under the page's h1 (heading order), drawn at the size of a card's title.
st.html('<style>[class*="st-key-glossar_"] h2 {font-size: 1.35rem; padding: 0 0 0.25rem 0;}</style>')
st.title("Glossar")
st.caption(
    "Jede Kennzahl der App: was sie misst, in welcher Einheit, was fehlende Angaben und Nullen bedeuten, woher "
    "sie kommt. Dieselben Texte stehen in den Hilfetexten (?) der Kennzahlen, im Kreisprofil-PDF und im Blatt "
    "„Metadaten“ jeder XLSX-Datei. "
    "Schwellen nach den Einstellungen in der Seitenleiste."
    + (f" Stand: neuester Wert bis zum {fmt.day(ctx.as_of)} (Seitenleiste), alle Kreise." if ctx is not None else "")
)
for term in glossary.terms(thresholds):
    with st.container(border=True, key=f"glossar_{term.key}"):
        st.header(term.name, anchor=False)
        st.markdown(term.definition)
        rows = [
            ("Einheit", term.unit),
            ("Fehlend und Null", term.missing),
            ("Quelle", term.source),
            ("Stand", glossary.stand(term.key, stands, labels) if ctx is not None else None),
            ("Lizenz", term.licence),
        ]
        st.markdown("\n".join(f"- **{label}:** {value}" for label, value in rows if value and value != "–"))

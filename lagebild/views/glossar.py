"""The Glossar as one View: each measure and metric with definition, unit, missing and zero, source, Stand, licence."""

from __future__ import annotations

from dataclasses import dataclass

from lagebild.domain.measures import MEASURES
from lagebild.domain.regions import regions
from lagebild.export import files
from lagebild.present import fmt, glossary
from lagebild.views import Data

TITLE = "Glossar"
INTRO = (
    "Jede Kennzahl der App: was sie misst, in welcher Einheit, was fehlende Angaben und Nullen bedeuten, woher "
    "sie kommt. Dieselben Texte stehen in den Hilfetexten (?) der Kennzahlen, im Kreisprofil-PDF und im Blatt "
    "„Metadaten“ jeder XLSX-Datei. Schwellen nach den Einstellungen in der Seitenleiste."
)


@dataclass(frozen=True)
class Entry:
    key: str
    name: str
    definition: str
    facts: str  # a markdown list: unit, missing and zero, source, Stand, licence


@dataclass(frozen=True)
class GlossarView:
    caption: str
    entries: list[Entry]


def build(data: Data | None) -> GlossarView:
    """The terms under the sidebar's thresholds, each with the Stand of its figures in the store (None: no data)."""
    stands = files.stands_by_measure(data.obs, data.as_of, regions().kreis_keys) if data is not None else {}
    labels = {key: m.label for key, m in MEASURES.items()}
    caption = INTRO + (
        f" Stand: neuester Wert bis zum {fmt.day(data.as_of)} (Seitenleiste), alle Kreise." if data is not None else ""
    )
    entries = []
    for term in glossary.terms(data.thresholds if data is not None else None):
        rows = [
            ("Einheit", term.unit),
            ("Fehlend und Null", term.missing),
            ("Quelle", term.source),
            ("Stand", glossary.stand(term.key, stands, labels) if data is not None else None),
            ("Lizenz", term.licence),
        ]
        facts = "\n".join(f"- **{label}:** {value}" for label, value in rows if value and value != "–")
        entries.append(Entry(term.key, term.name, term.definition, facts))
    return GlossarView(caption, entries)

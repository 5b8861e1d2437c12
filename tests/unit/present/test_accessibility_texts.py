"""The texts the accessibility work adds: the statement's required parts, Leichte Sprache, and chart sentences."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go

from lagebild.present import charts
from lagebild.views import accessibility


def test_the_statement_has_every_part_the_model_statement_requires():
    for heading in (
        "## Stand der Vereinbarkeit",
        "## Nicht barrierefreie Inhalte",
        "## Erstellung dieser Erklärung",
        "## Feedback und Kontakt",
        "## Durchsetzungsverfahren",
    ):
        assert heading in accessibility.statement(), heading


def test_the_statement_names_the_landes_behindertenbeauftragte_as_schlichtungsstelle_and_its_gaps():
    text = accessibility.statement()
    assert "Schlichtungsstelle" in text and "Landes-Behindertenbeauftragte" in text
    assert "teilweise barrierefrei" in text
    assert "PDF" in text and "Gebärdensprache" in text


def test_the_statement_names_a_feedback_contact_the_operator_can_set():
    assert "poststelle@sm.bwl.de" in accessibility.statement()
    own = accessibility.statement("E-Mail barrierefreiheit@example.org")
    assert "E-Mail barrierefreiheit@example.org" in own and "poststelle@sm.bwl.de" not in own
    assert "{CONTACT}" not in own and "noch festzulegen" not in own


def test_leichte_sprache_puts_one_sentence_on_each_line():
    lines = [line for line in accessibility.EASY.splitlines() if line and not line.startswith(("#", "-"))]
    assert lines and all(line.endswith("  ") for line in lines)


def test_a_time_series_is_described_by_its_last_and_highest_value_in_german():
    fig = go.Figure(
        go.Scatter(x=[date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)], y=[1200, 1500, 900], name="Zugänge"),
        layout={"title": {"text": "Zugänge je Monat<br><sup>Personen</sup>"}},
    )
    assert charts.describe(fig, "Tabelle daneben.") == (
        "Diagramm: Zugänge je Monat. Zugänge: zuletzt (03/2026) 900, höchster Wert 1.500 (02/2026). Tabelle daneben."
    )


def test_a_comparison_is_described_by_its_highest_and_lowest_bar():
    fig = go.Figure(go.Bar(x=[96.7, 382.3, 150.0], y=["Ortenaukreis", "Emmendingen", "Lahr"], orientation="h"))
    assert charts.describe(fig) == "Diagramm. höchster Wert Emmendingen mit 382,3, niedrigster Ortenaukreis mit 96,7."


def test_a_figure_built_from_numpy_arrays_is_described_too():
    import numpy as np

    fig = go.Figure(go.Scatter(x=np.array(["2026-01-31", "2026-02-28"]), y=np.array([140.0, 152.5]), name="Schlüssel"))
    assert charts.describe(fig) == "Diagramm. Schlüssel: zuletzt (28.02.2026) 152,5."

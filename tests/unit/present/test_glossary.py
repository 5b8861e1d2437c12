"""The glossary is the one home of definitions: every metric has its term, thresholds come from the settings,
and the exports and the Glossar page say the same."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from lagebild.domain.measures import METRICS
from lagebild.export import files
from lagebild.present import glossary
from lagebild.settings import Thresholds
from tests.conftest import APP


def test_every_metric_of_the_app_has_a_term_with_the_same_unit():
    terms = {t.key: t for t in glossary.terms()}
    for key, metric in METRICS.items():
        assert key in terms, f"no glossary entry for {metric.label}"
        assert terms[key].unit == metric.unit, key


def test_every_term_says_what_missing_and_zero_mean_where_a_value_can_be_missing():
    for term in glossary.terms():
        if term.key in METRICS:
            assert "keine Daten" in term.missing, term.name


def test_the_status_rule_follows_the_target_and_factor_in_force_not_a_typed_number():
    status = glossary.term("status", Thresholds(120, 1.5)).definition
    assert "120 Geflüchtete je VZÄ" in status and "1,50-Fachen (180,0)" in status
    assert "1,25" not in status and "150" not in status


def test_the_xlsx_metadata_define_columns_with_the_glossary_text():
    definition, unit = files.column_definition("Status", Thresholds(120, 1.5))
    assert definition.startswith(glossary.term("status", Thresholds(120, 1.5)).definition)
    assert files.column_definition("Geflüchtete je VZÄ")[1] == "Geflüchtete je VZÄ"
    assert files.column_definition("RB Freiburg")[0] == glossary.term("aggregates").definition


def test_the_glossar_page_shows_every_term_with_unit_and_source(demo_db):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/glossar.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Glossar"
    shown = [h.value for h in at.header]
    assert shown == [t.name for t in glossary.terms()]
    text = "\n".join(str(m.value) for m in at.markdown)
    assert "**Einheit:** VZÄ je 100.000 Einwohner" in text
    assert "Destatis" in text


def test_the_glossar_page_gives_each_reported_figure_its_stand_in_the_store(demo_db):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/glossar.py").run()
    assert not at.exception, at.exception
    blocks = {b.key: "\n".join(str(m.value) for m in b.markdown) for b in at.get("flex_container") if b.key}
    blocks = {k.removeprefix("glossar_"): v for k, v in blocks.items() if k.startswith("glossar_")}
    assert "- **Stand:** 30.09.2026" in blocks["counsellors_fte"]
    assert "- **Stand:** September 2026" in blocks["arrivals"]
    assert (
        "- **Stand:** Geflüchtete in Betreuung: 30.09.2026 (ältester einbezogener Wert: 30.06.2026); "
        "Integrationsmanagement (VZÄ): 30.09.2026" in blocks["ratio"]
    )
    assert "**Stand:**" not in blocks["target"]  # an assumption has no Stand of its own


def test_the_tooltips_of_the_key_figures_and_the_sidebar_are_the_glossary_text():
    from datetime import date

    from lagebild.domain import analysis
    from lagebild.present import overview

    t = Thresholds(150, 1.25)
    now = analysis.Totals(**{f: 1 for f in analysis.Totals.__dataclass_fields__})
    helps = {k.label: k.help for k in overview.kpis(now, None, t, None, date(2026, 9, 30), None)}
    assert glossary.term("need_fte", t).definition in helps["Verstärkungsbedarf"]
    assert glossary.term("need_cost", t).definition in helps["Kosten des Bedarfs"]
    assert glossary.term("ratio", t).definition in helps["Betreuungsschlüssel Land"]
    assert glossary.term("status", t).definition in helps["Kritische Kreise"]


def test_no_definition_is_typed_a_second_time_outside_the_glossary():
    """One home: a definition's wording lives in glossary.py; other modules call glossary.tip or glossary.term."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    sources = [p for d in ("lagebild", "pages") for p in (root / d).rglob("*.py") if p.name != "glossary.py"]
    sources.append(root / "app.py")
    phrases = [
        "gleicht keinen Bedarf",
        "Je Kreis und Kennzahl gilt der neueste Wert",
        "bis zu dem ein Kreis im Ziel liegt",
        "obere Förderrate",
    ]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for phrase in phrases:
            assert phrase not in text, f"{path.relative_to(root)} types „{phrase}“ again"

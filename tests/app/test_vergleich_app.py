"""The Vergleich as Streamlit runs it (AppTest) on the demo data: defaults, choices, the address, edge cases."""

from __future__ import annotations

from datetime import date

import pandas as pd
from streamlit.testing.v1 import AppTest

from lagebild.domain.regions import regions
from lagebild.store import ImportMeta, Store
from tests.conftest import APP
from tests.support.data import DATENSTELLE

PAGE = "pages/vergleich.py"


def open_vergleich(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in (params or {}).items():
        at.query_params[name] = value
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [t.value for t in at.title]
    return "\n".join(str(p) for p in parts)


def param(at: AppTest, name: str) -> str:
    value = at.query_params[name]
    return value[0] if isinstance(value, list) else value


def test_the_page_compares_the_newest_stand_with_the_one_a_year_before(demo_db):
    at = open_vergleich()

    assert at.title[0].value == "Vergleich zweier Stände"
    assert at.selectbox(key="vergleich_von").value == date(2025, 9, 30)
    assert at.selectbox(key="vergleich_bis").value == date(2026, 9, 30)
    page = texts(at)
    assert "Stände 30.09.2025 → 30.09.2026" in page
    assert "Veränderung Betreuungsschlüssel (Geflüchtete je VZÄ), 30.09.2025 → 30.09.2026" in page
    assert "In einen schlechteren Status gewechselt" in page and "In einen besseren Status gewechselt" in page
    assert "Größte Anstiege (Verschlechterung)" in page
    assert param(at, "von") == "2025-09-30" and param(at, "bis") == "2026-09-30"


def test_the_land_totals_show_both_stands_with_units_and_the_change(demo_db):
    at = open_vergleich()

    totals = at.table[0].value
    assert list(totals.columns) == ["Kennzahl", "Stand 30.09.2025", "Stand 30.09.2026", "Veränderung"]
    assert list(totals["Kennzahl"]) == [
        "Integrationsmanagement (VZÄ)",
        "Zugänge (3 Monate bis zum Stand) (Personen)",
        "Betreuungsschlüssel (Geflüchtete je VZÄ)",
    ]
    assert all(v.endswith("VZÄ") and "," in v for v in totals.iloc[0, 1:])


def test_choosing_another_stand_and_kennzahl_changes_the_page_and_the_address(demo_db):
    at = open_vergleich()

    at.selectbox(key="vergleich_von").set_value(date(2024, 9, 30)).run()
    at.selectbox(key="vergleich_kennzahl").set_value("fte_per_100k").run()

    assert not at.exception
    page = texts(at)
    assert "Veränderung Beratungskapazität je Einwohner (VZÄ je 100.000 Einwohner), 30.09.2024 → 30.09.2026" in page
    # More VZÄ per inhabitant is better: a rise is an improvement.
    assert "Größte Anstiege (Verbesserung)" in page
    assert param(at, "von") == "2024-09-30" and param(at, "kennzahl") == "vzae_je_100000"


def test_the_address_restores_both_stands_and_the_kennzahl(demo_db):
    at = open_vergleich({"von": "2023-12-31", "bis": "2025-06-30", "kennzahl": "bedarf"})

    assert at.selectbox(key="vergleich_von").value == date(2023, 12, 31)
    assert at.selectbox(key="vergleich_bis").value == date(2025, 6, 30)
    assert at.selectbox(key="vergleich_kennzahl").value == "need_fte"
    assert "Veränderung Verstärkungsbedarf (VZÄ), 31.12.2023 → 30.06.2025" in texts(at)


def test_a_date_in_the_address_that_is_no_stand_snaps_to_the_stand_before_and_says_so(demo_db):
    at = open_vergleich({"von": "2025-11-15"})

    assert at.selectbox(key="vergleich_von").value == date(2025, 9, 30)
    assert any("für den 15.11.2025 gibt es keinen Stand" in w.value for w in at.warning)


def test_the_same_stand_twice_says_it_cannot_be_compared_with_itself(demo_db):
    at = open_vergleich({"von": "2026-09-30", "bis": "2026-09-30"})

    assert any("nicht mit sich selbst vergleichen" in i.value for i in at.info)
    assert not any("In einen schlechteren Status" in m.value for m in at.markdown)


def test_a_store_with_one_stand_explains_that_two_are_needed(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)
    store = Store(db_url)
    for measure, value in (("refugees_in_care", 300), ("counsellors_fte", 2.5)):
        rows = pd.DataFrame(
            [
                {"measure": measure, "region": k, "date": date(2026, 9, 30), "grp": "insgesamt", "value": value}
                | {"status": None, "source": "Test"}
                for k in regions().kreis_keys
            ]
        )
        store.write_import(rows, ImportMeta(f"{measure}.csv", measure[0] * 64, measure, "Test"), DATENSTELLE)

    at = open_vergleich()

    assert any("braucht es zwei Stände" in i.value and "30.09.2026" in i.value for i in at.info)
    assert not any("In einen schlechteren Status" in m.value for m in at.markdown)

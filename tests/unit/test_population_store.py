"""An imported population (table 12411) is the base of every rate per inhabitant from its Stichtag on, never before it,
and a rollback brings the old rates back exactly; on a real SQLite file with the demo data."""

import io
from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from lagebild import demo, geometry
from lagebild.domain import analysis
from lagebild.export import files, profile_pdf
from lagebild.intake import review
from lagebild.present import glossary
from lagebild.settings import Thresholds
from lagebild.store import Store
from tests.conftest import DEMO_TODAY, FIXTURES
from tests.support.data import DATENSTELLE

TABLE = "genesis_12411_bevoelkerung_kreise.csv"
BEFORE = date(2024, 9, 30)  # a Stand before the Stichtag 31.12.2024
AT = date(2024, 12, 31)
LATER = date(2026, 9, 30)  # the newest Stand of the demo data
STUTTGART, STUTTGART_2024 = "08111", 613_881
RATES = ["population", "fte_per_100k", "arrivals_per_1000"]


def tables(obs: pd.DataFrame, regs) -> dict[date, pd.DataFrame]:
    out = {}
    for stand in (BEFORE, AT, LATER):
        last = analysis.latest_month(obs, stand)
        period = analysis.Period.ending(last, 3) if last else None
        out[stand] = analysis.kreis_table(obs, regs, stand, Thresholds(150.0), 64_000.0, period)
    return out


@pytest.fixture
def demo_store(db_url) -> Store:
    store = Store(db_url)
    demo.seed(store, DEMO_TODAY)
    return store


def import_population(store: Store, regs) -> int:
    data = (FIXTURES / TABLE).read_bytes()
    checked = review.check(
        store, data, TABLE, measure="population", existing=store.observations(), regs=regs, column=1, today=DEMO_TODAY
    )
    assert checked.parsed.ok, checked.parsed.report()
    return review.accept(store, checked.parsed, data, "population", DATENSTELLE)


def test_the_rates_use_the_reference_population_of_2018_until_a_population_is_imported(demo_store, regs):
    table = tables(demo_store.observations(), regs)[LATER]
    assert table.loc[STUTTGART, "population"] == regs[STUTTGART].population == 634_830
    assert table["population_reference"].all()
    assert glossary.population_bases(table) == "Einwohner 31.12.2018, Destatis GV-ISys, Referenzbestand (kein Import)"


def test_an_imported_population_changes_the_rates_from_its_stichtag_on_and_not_before(demo_store, regs):
    stands = analysis.stand_dates(demo_store.observations())
    before = tables(demo_store.observations(), regs)
    import_population(demo_store, regs)
    obs = demo_store.observations()
    after = tables(obs, regs)

    pd.testing.assert_frame_equal(after[BEFORE], before[BEFORE])
    for stand in (AT, LATER):
        row, old = after[stand].loc[STUTTGART], before[stand].loc[STUTTGART]
        assert row["population"] == STUTTGART_2024 and row["population_date"] == AT
        assert row["fte_per_100k"] == pytest.approx(row["counsellors_fte"] / STUTTGART_2024 * 100_000)
        assert row["fte_per_100k"] != pytest.approx(old["fte_per_100k"])
        assert row["arrivals_per_1000"] == pytest.approx(row["arrivals"] / STUTTGART_2024 * 1_000)
        assert row["arrivals_per_1000"] != pytest.approx(old["arrivals_per_1000"])
        assert glossary.population_bases(after[stand]) == (
            "Einwohner 31.12.2024, Destatis/Statistisches Landesamt, Tabelle 12411-01-01-4"
        )
    # The population is no report of the Kreise: it adds no Stand to choose.
    assert analysis.stand_dates(obs) == stands


def test_the_planning_weights_follow_the_imported_population(demo_store, regs):
    import_population(demo_store, regs)
    table = tables(demo_store.observations(), regs)[LATER]
    share = table["population"] / table["population"].sum()
    assert share[STUTTGART] == pytest.approx(STUTTGART_2024 / table["population"].sum())


def test_a_rollback_of_the_population_import_restores_the_old_rates_exactly(demo_store, regs):
    before = tables(demo_store.observations(), regs)
    number = import_population(demo_store, regs)
    history = demo_store.history().set_index("id")
    assert history.loc[number, "measure"] == "population" and history.loc[number, "stand_to"] == AT
    demo_store.rollback(number, DATENSTELLE)
    after = tables(demo_store.observations(), regs)
    for stand in (BEFORE, AT, LATER):
        pd.testing.assert_frame_equal(after[stand], before[stand])


def test_a_missing_value_sign_in_a_later_file_keeps_the_last_known_population(demo_store, regs):
    import_population(demo_store, regs)
    text = (FIXTURES / TABLE).read_bytes().decode("cp1252").replace("31.12.2024", "31.12.2025")
    lines = text.splitlines()
    n = next(i for i, line in enumerate(lines) if line.startswith(f"{STUTTGART};"))
    cells = lines[n].split(";")
    cells[2] = "."
    lines[n] = ";".join(cells)
    data = ("\r\n".join(lines) + "\r\n").encode("cp1252")
    checked = review.check(
        demo_store,
        data,
        "12411_2025.csv",
        measure="population",
        existing=demo_store.observations(),
        regs=regs,
        column=1,
        today=DEMO_TODAY,
    )
    assert checked.parsed.ok, checked.parsed.report()
    review.accept(demo_store, checked.parsed, data, "population", DATENSTELLE)
    row = tables(demo_store.observations(), regs)[LATER].loc[STUTTGART]
    assert row["population"] == STUTTGART_2024 and row["population_date"] == AT


def export_meta(obs: pd.DataFrame, keys: list[str], view: str, region_label: str) -> files.ExportMeta:
    return files.export_meta(
        view=view,
        obs=obs,
        keys=keys,
        as_of=LATER,
        region_label=region_label,
        thresholds=Thresholds(150.0),
        cost_per_fte=64_000.0,
        demo=True,
        source_line="Quelle: Test",
        attribution=geometry.meta().attribution,
    )


def test_the_xlsx_metadata_name_the_imported_population_as_stand_and_as_source(demo_store, regs):
    import_population(demo_store, regs)
    table = tables(demo_store.observations(), regs)[LATER]
    meta = export_meta(demo_store.observations(), regs.kreis_keys, "Landesübersicht", "Baden-Württemberg")
    book = load_workbook(io.BytesIO(files.table_xlsx(table[["name", "fte_per_100k"]], meta, "Tabelle")))
    rows = [tuple(c for c in row if c is not None) for row in book["Metadaten"].iter_rows(values_only=True)]
    imported = "Einwohner 31.12.2024, Destatis/Statistisches Landesamt, Tabelle 12411-01-01-4"
    assert ("Einwohner", imported) in rows  # under „Kennzahl / Stand“
    assert ("Einwohner", imported, glossary.POPULATION_LICENCE) in rows  # under „Quelle / Angabe / Lizenz“


def test_the_kreisprofil_pdf_names_the_imported_population_in_its_header_and_sources(
    chromium_executable, demo_store, regs
):
    import_population(demo_store, regs)
    obs = demo_store.observations()
    layers = geometry.layers()
    last = analysis.latest_month(obs, LATER)
    period = analysis.Period.ending(last, 3) if last else None
    meta = export_meta(obs, [STUTTGART], "Kreisprofil Stuttgart", "Stuttgart")
    data = profile_pdf.ProfileInput(
        STUTTGART, regs, tables(obs, regs)[LATER], obs, period, layers.kreise, geometry.gemeinden(), meta
    )
    pdf = PdfReader(io.BytesIO(profile_pdf.kreis_profile_pdf(data)))
    first = " ".join(pdf.pages[0].extract_text().split())
    assert "613.881 Einwohner 31.12.2024 (Destatis/Statistisches Landesamt, Tabelle 12411-01-01-4)" in first
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "634.830" not in text and "Referenzbestand (kein Import)" not in text
    assert "Quoten je Einwohner: Einwohner 31.12.2024, Destatis/Statistisches Landesamt, Tabelle 12411-01-01-4." in text
    # Under „Quellen und Lizenzen“ the population is cited once, with its own licence, not as demo figures.
    assert text.count("Bevölkerungsstand: Bevölkerung nach Geschlecht") == 0

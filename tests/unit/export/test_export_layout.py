"""Every exported figure in every preset: each text inside the canvas and clear of the others.

The figures are built as the pages build them (Landesübersicht, Kreisprofil with its PDF,
Personalbedarf), exported through lagebild.export and measured in headless Chromium.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date

import plotly.graph_objects as go
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page
from pypdf import PdfReader

from lagebild import demo, geometry
from lagebild.domain import analysis, planning
from lagebild.domain.regions import regions
from lagebild.export import figure_layout, files, images, profile_pdf
from lagebild.present import charts, fmt, planner, profile
from lagebild.present.classify import Scheme, classify, classify_around_zero
from lagebild.settings import Thresholds
from lagebild.store import Store
from tests.support import svg_layout

TODAY = date(2026, 11, 27)
STAND = date(2026, 9, 30)
KREIS = "08115"  # Böblingen: neighbours with long names (Calw, Ludwigsburg, Rems-Murr-Kreis …)


@pytest.fixture(scope="module")
def measuring_page(browser: Browser) -> Iterator[Page]:
    # The session's one browser: a second Playwright in the same thread would fail inside the first one's loop.
    page = browser.new_page()
    yield page
    page.close()


FIGURES = [
    "Landesübersicht Rangfolge",
    "Landesübersicht Karte",
    "Kreisprofil Zugänge",
    "Kreisprofil Betreuungsschlüssel",
    "Kreisprofil Betreuung und Kapazität",
    "Kreisprofil Nachbarn",
    "Kreisprofil Vergleichskreise",
    "Kreisprofil Ausblick",
    "Personalbedarf Karte Bedarf",
    "Personalbedarf Bedarf je Zielwert",
    "Personalbedarf Projektion Land",
    "Personalbedarf Streuung der Schlüssel",
    "Personalbedarf Gewinn und Verlust",
]
# The Kreisprofil PDF prints its figures as PNGs in its own sizes (lagebild.export.profile_pdf).
PDF_FIGURES = [
    "Kreisprofil Zugänge",
    "Kreisprofil Betreuungsschlüssel",
    "Kreisprofil Betreuung und Kapazität",
    "Kreisprofil Nachbarn",
    "Kreisprofil Vergleichskreise",
    "Kreisprofil Gemeindekarte",
]


@dataclass
class Exported:
    figures: dict[str, Callable[[], go.Figure]]
    pdf_presets: dict[str, files.Preset]
    meta: files.ExportMeta
    built: dict[str, go.Figure] = field(default_factory=dict)

    def figure(self, name: str) -> go.Figure:
        """Built on first use, so a selected test builds only its own figure."""
        if name not in self.built:
            self.built[name] = self.figures[name]()
        return self.built[name]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    """Every figure a page exports (or the Kreisprofil PDF prints), built as the page builds it on the demo data."""
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('layout') / 'lagebild.sqlite'}")
    demo.seed(store, TODAY)
    obs = store.observations()
    regs, t, cost = regions(), Thresholds(), 64_000.0
    period = analysis.Period.ending(analysis.latest_month(obs, STAND), 3)
    table = analysis.kreis_table(obs, regs, STAND, t, cost, period)
    source = charts.source_line(sorted(set(obs["source"])), STAND, True)
    meta = files.export_meta(
        view="Landesübersicht",
        obs=obs,
        keys=regs.kreis_keys,
        as_of=STAND,
        region_label="Baden-Württemberg",
        thresholds=t,
        cost_per_fte=cost,
        demo=True,
        source_line=source,
        attribution=geometry.meta().attribution,
        period_label=fmt.period(period),
    )
    stand = f"Stand {fmt.day(STAND)}"
    ratio_classes = classify(table, "ratio", Scheme.TARGET_BANDS, t)
    name = regs[KREIS].display_name
    neighbours = [n.key for n in regs.neighbours(KREIS)]
    peers = [p.key for p in regs.peers(KREIS)]
    totals = analysis.totals(table)
    budget = totals.counsellors_fte * cost
    recent = planning.recent_arrivals(obs, list(table.index), STAND)
    low, high = planning.band_defaults(recent.monthly_mean, recent)
    band = planning.project_band(
        table, obs, planning.Scenario(recent.monthly_mean), low * 0.5, high * 1.5, recent, STAND, t, cost
    )
    span = f"Linie {fmt.number(recent.monthly_mean)}, Fläche {fmt.number(low * 0.5)} bis {fmt.number(high * 1.5)}"
    allocated = planning.allocate(table, budget, planning.allocation_weights(table, planning.Rule.POPULATION), t, cost)
    gemeinden = geometry.gemeinden()
    members, shape = gemeinden[gemeinden["kreis"] == KREIS], geometry.layers().kreise.loc[[KREIS]]
    values = profile.gemeinde_values(obs, KREIS, STAND)

    figures = {
        "Landesübersicht Rangfolge": lambda: charts.ranking(
            table,
            "ratio",
            ratio_classes,
            t,
            selected=None,
            source_line=source,
            subtitle=f"Geflüchtete je VZÄ · Baden-Württemberg · {stand}",
        ),
        "Landesübersicht Karte": lambda: figure_layout.kreise_map_figure(
            geometry.layers(),
            ratio_classes,
            title="Betreuungsschlüssel der Kreise",
            subtitle=f"Geflüchtete je VZÄ · Zielwert-Bänder · {stand}",
        ),
        "Kreisprofil Zugänge": lambda: profile.arrivals_chart(obs, KREIS, name, source, as_of=STAND),
        "Kreisprofil Betreuungsschlüssel": lambda: profile.ratio_chart(
            obs, KREIS, name, regs.kreis_keys, t, source, as_of=STAND
        ),
        "Kreisprofil Betreuung und Kapazität": lambda: profile.stocks_chart(obs, KREIS, name, source, as_of=STAND),
        "Kreisprofil Nachbarn": lambda: profile.group_chart(
            table, KREIS, neighbours, f"{name} und Nachbarn", t, source, as_of=STAND
        ),
        "Kreisprofil Vergleichskreise": lambda: profile.group_chart(
            table, KREIS, peers, f"{name} und Vergleichskreise", t, source, as_of=STAND
        ),
        "Kreisprofil Gemeindekarte": lambda: figure_layout.gemeinde_map_figure(
            profile.gemeinde_map(members, shape, values, name, meta.attribution, meta.disclosure),
            shape,
            profile.gemeinde_legend(values, meta.disclosure),
            title="Gemeinden",
            subtitle=f"Geflüchtete in Betreuung je Gemeinde (Personen) · {stand}",
        ),
        "Personalbedarf Karte Bedarf": lambda: figure_layout.kreise_map_figure(
            geometry.layers(),
            classify(table, "need_fte", Scheme.NATURAL_BREAKS, t),
            title="Verstärkungsbedarf der Kreise",
            subtitle=f"VZÄ bis zum Zielwert 150 · Baden-Württemberg · {stand}",
        ),
        "Personalbedarf Bedarf je Zielwert": lambda: charts.need_sensitivity(
            planning.sensitivity(table, t, cost),
            (t.target, totals.need_fte, totals.need_cost),
            source_line=source,
            subtitle=f"Zielwert 100 bis 250 Geflüchtete je VZÄ · {stand}",
        ),
        "Personalbedarf Projektion Land": lambda: charts.projection_land(
            band.land(), source_line=source, subtitle=f"{span} Zugänge je Monat · VZÄ gehalten · {stand}"
        ),
        "Kreisprofil Ausblick": lambda: charts.projection_kreis(
            band.kreis(KREIS), name, t, source_line=source, subtitle=f"{span} Zugänge je Monat im Land · {stand}"
        ),
        "Personalbedarf Streuung der Schlüssel": lambda: charts.ratio_spread(
            {label: case["ratio"] for label, case in planner.allocations(table, budget, t, cost, 0.5).items()},
            table["name"],
            t,
            source_line=source,
            subtitle=f"Budget {fmt.euro(budget)} je Jahr · {stand}",
        ),
        "Personalbedarf Gewinn und Verlust": lambda: charts.allocation_change(
            allocated,
            classify_around_zero(allocated["change_fte"], "Veränderung gegenüber heute (VZÄ)", 1),
            selected=None,
            source_line=source,
            subtitle=f"{planning.Rule.POPULATION.value} · {stand}",
        ),
    }
    pdf_presets = {
        "Kreisprofil Zugänge": profile_pdf.CHART,
        "Kreisprofil Betreuungsschlüssel": profile_pdf.CHART,
        "Kreisprofil Betreuung und Kapazität": profile_pdf.CHART,
        "Kreisprofil Nachbarn": profile_pdf.group_preset(len(neighbours)),
        "Kreisprofil Vergleichskreise": profile_pdf.group_preset(len(peers)),
        "Kreisprofil Gemeindekarte": profile_pdf.MAP,
    }
    return Exported(figures, pdf_presets, meta)


def svg_problems(page: Page, exported: Exported, name: str, preset: files.Preset, meta: files.ExportMeta) -> list[str]:
    svg = images.image_bytes(exported.figure(name), "svg", preset, meta)
    return svg_layout.problems(svg_layout.measure(page, svg))


@pytest.mark.parametrize("preset", list(files.PRESETS))
@pytest.mark.parametrize("name", FIGURES)
def test_every_text_of_an_exported_figure_lies_on_the_canvas_clear_of_the_others(
    measuring_page, exported, name, preset
):
    found = svg_problems(measuring_page, exported, name, files.PRESETS[preset], exported.meta)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("name", PDF_FIGURES)
def test_every_text_of_a_kreisprofil_pdf_figure_lies_on_the_canvas_clear_of_the_others(measuring_page, exported, name):
    # The PDF carries the demo mark once per page, so its figures go without it (profile_pdf._chart).
    found = svg_problems(measuring_page, exported, name, exported.pdf_presets[name], replace(exported.meta, demo=False))
    assert not found, "\n".join(found)


@pytest.mark.parametrize("name", FIGURES)
def test_every_exported_figure_renders_as_png_and_pdf(chromium_executable, exported, name):
    # One preset per figure, taken in turn, keeps the render count down; the SVG test covers every preset.
    preset = list(files.PRESETS.values())[FIGURES.index(name) % len(files.PRESETS)]
    fig = exported.figure(name)
    image = Image.open(io.BytesIO(images.image_bytes(fig, "png", preset, exported.meta)))
    assert image.format == "PNG" and image.size == preset.png_size
    reader = PdfReader(io.BytesIO(images.image_bytes(fig, "pdf", preset, exported.meta)))
    text = " ".join(reader.pages[0].extract_text().split())  # a wrapped title reads as one line
    assert len(reader.pages) == 1
    assert figure_layout.title_parts(fig)[0] in text and f"Stand: {fmt.day(STAND)}" in text


def tick_texts(svg: bytes, axis: str) -> list[str]:
    """The tick labels of one axis ('ytick', 'y2tick' …) as plotly.js writes them into the SVG."""
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    return ["".join(t.itertext()) for g in root.iter(f"{ns}g") if g.get("class") == axis for t in g.iter(f"{ns}text")]


@pytest.mark.parametrize("name", ["Kreisprofil Zugänge", "Kreisprofil Betreuung und Kapazität"])
def test_axis_ticks_read_in_german_with_a_thousands_dot(chromium_executable, exported, name):
    svg = images.image_bytes(exported.figure(name), "svg", files.PRESETS["web"], exported.meta)
    ticks = tick_texts(svg, "ytick")
    assert "1.000" in ticks or "1.200" in ticks, ticks
    assert all(re.fullmatch(r"\d{1,3}(\.\d{3})*", t) for t in ticks), ticks


def test_the_right_axis_of_the_stocks_chart_has_round_ticks_of_its_own(chromium_executable, exported):
    svg = images.image_bytes(
        exported.figure("Kreisprofil Betreuung und Kapazität"), "svg", files.PRESETS["web"], exported.meta
    )
    ticks = tick_texts(svg, "y2tick")
    assert len(ticks) >= 3 and all(re.fullmatch(r"\d+", t) and int(t) % 5 == 0 for t in ticks), ticks

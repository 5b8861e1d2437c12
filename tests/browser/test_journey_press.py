"""Journey of the press office: every export of the Landesübersicht and of a Kreisprofil, in every preset, opened.

Each file is downloaded through its button in Chromium, as the press office would, and opened:
PNGs at the preset's size, SVGs measured text by text (inside the canvas, no overlaps), PDFs
carrying title, Stand and source, tables with their metadata, the ZIP with its LIESMICH.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import Browser, Locator, Page, expect
from pypdf import PdfReader

from lagebild.export import files, images, press
from tests.support import svg_layout

pytestmark = pytest.mark.browser

# The first image starts the app's Kaleido browser; on a 2-core CI machine that takes a while.
DOWNLOAD_TIMEOUT_MS = 180_000
SOURCE = "Quelle: Beispieldaten, vom Programm erzeugt"


@dataclass(frozen=True)
class View:
    """One page's export panel as the press office meets it."""

    path: str
    heading: str
    panel: str
    stand: str
    figures: dict[str, str]  # button label -> title burned into the image
    tables: list[str]


LANDESUEBERSICHT = View(
    "",
    "Landesübersicht",
    "export_uebersicht",
    "30.09.2026",
    {"Karte": "Betreuungsschlüssel der Kreise", "Rangfolge": "Betreuungsschlüssel nach Kreisen"},
    ["Tabelle"],
)
# An older Stand, as a bookmark gives it: every chart and file must carry that one.
KREISPROFIL = View(
    "kreis?kreis=08115&stand=2024-12-31",
    "Böblingen",
    "export_kreis",
    "31.12.2024",
    {
        "Zugänge": "Zugänge je Monat – Böblingen",
        "Betreuungsschlüssel": "Betreuungsschlüssel – Böblingen",
        "Betreuung und Kapazität": "Betreuung und Beratungskapazität – Böblingen",
        "Nachbarn": "Böblingen und Nachbarn",
        "Vergleichskreise": "Böblingen und Vergleichskreise",
        "Ausblick": "Böblingen: Projektion",
        "Gemeindekarte": "Geflüchtete in Betreuung je Gemeinde – Böblingen",
    },
    ["Vergleich", "Nachbarn", "Vergleichskreise"],
)


@dataclass
class Journey:
    """The press office's browser tab, a second tab to measure SVGs in, and what was seen on the way."""

    page: Page
    measuring: Page
    tmp_path: Path
    files: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def check_page(self) -> None:
        expect(self.page.locator('[data-testid="stException"]')).to_have_count(0)
        assert "Traceback" not in self.page.locator("body").inner_text()

    def download(self, key: str) -> tuple[str, bytes]:
        with self.page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as info:
            button(self.page, key).click()
        target = self.tmp_path / info.value.suggested_filename
        info.value.save_as(target)
        self.files.append(info.value.suggested_filename)
        self.check_page()
        return info.value.suggested_filename, target.read_bytes()


@pytest.fixture
def journey(browser: Browser, page: Page, tmp_path: Path) -> Iterator[Journey]:
    context = browser.new_context()
    try:
        yield Journey(page, context.new_page(), tmp_path)
    finally:
        context.close()


def button(page: Page, key: str) -> Locator:
    # Streamlit puts the key's class on the widget's container and on the button's own wrapper.
    return page.locator(f".st-key-{key} button").first


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def check_image(journey: Journey, extension: str, data: bytes, preset: files.Preset, title: str, stand: str) -> None:
    if extension == "png":
        image = Image.open(io.BytesIO(data))
        assert image.format == "PNG" and image.size == preset.png_size
    elif extension == "svg":
        problems = svg_layout.problems(svg_layout.measure(journey.measuring, data))
        assert not problems, "\n".join(problems)
    else:
        text = pdf_text(data)
        for part in (title, f"Stand: {stand}", SOURCE):
            assert part in text, (part, text[:300])


def check_table(extension: str, data: bytes, stand: str) -> None:
    if extension == "csv":
        assert data.startswith(b"\xef\xbb\xbf") and b";" in data.splitlines()[0]
        return
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Daten", "Metadaten"]
    meta: dict = {}
    for row in book["Metadaten"].iter_rows(values_only=True):
        if row[0]:
            meta.setdefault(row[0], row[1])  # "Quelle" heads the sources table further down too
    assert meta["Stand"] == stand and SOURCE in meta["Quelle"]


def check_pack(journey: Journey, data: bytes, view: View, preset: files.Preset) -> None:
    pack = zipfile.ZipFile(io.BytesIO(data))
    names = pack.namelist()
    assert press.README_NAME in names
    readme = pack.read(press.README_NAME).decode("utf-8-sig")
    assert f"Stand: {view.stand}" in readme and preset.label in readme
    assert len([n for n in names if n.endswith(f"_{preset.key}.svg")]) == len(view.figures)
    for name in names:
        if name.endswith(".svg"):
            problems = svg_layout.problems(svg_layout.measure(journey.measuring, pack.read(name)))
            assert not problems, (name, problems)


def open_panel(journey: Journey, url: str, view: View) -> None:
    journey.page.goto(url + view.path)
    expect(journey.page.get_by_role("heading", name=view.heading, exact=True)).to_be_visible()
    journey.page.get_by_text("Export: Grafiken und Daten").click()
    expect(button(journey.page, f"{view.panel}_{files.slug(view.tables[0])}_csv")).to_be_visible()
    journey.check_page()


def choose_preset(journey: Journey, view: View, preset: files.Preset) -> None:
    radio = journey.page.locator(f".st-key-{view.panel}_vorlage").get_by_role(
        "radio", name=re.compile(re.escape(preset.label))
    )
    radio.check(force=True)  # BaseWeb hides the input under its styled circle
    expect(radio).to_be_checked()
    expect(button(journey.page, f"{view.panel}_pressepaket")).to_contain_text(preset.label)  # the rerun is done
    journey.check_page()


def export_everything(journey: Journey, url: str, view: View) -> None:
    """Every preset: each figure as PNG, SVG and PDF, then the press pack; the tables once (they have no preset)."""
    open_panel(journey, url, view)
    for label in view.tables:
        for extension in ("csv", "xlsx"):
            name, data = journey.download(f"{view.panel}_{files.slug(label)}_{extension}")
            assert name.endswith(f"_{files.slug(label)}.{extension}")
            check_table(extension, data, view.stand)
    for preset in files.PRESETS.values():
        started = time.monotonic()
        choose_preset(journey, view, preset)
        for label, title in view.figures.items():
            for extension in files.IMAGE_FORMATS:
                name, data = journey.download(f"{view.panel}_{files.slug(label)}_{extension}")
                assert name.endswith(f"_{files.slug(label)}_{preset.key}.{extension}"), name
                check_image(journey, extension, data, preset, title, view.stand)
        name, data = journey.download(f"{view.panel}_pressepaket")
        assert name.endswith(f"_{preset.key}.zip")
        check_pack(journey, data, view, preset)
        journey.timings[f"{view.heading}, {preset.label}"] = time.monotonic() - started


def test_the_press_office_exports_every_file_of_the_overview_and_a_kreisprofil(app_server, journey, network_guard):
    if images.chromium_path() is None:
        pytest.skip(images.CHROMIUM_MISSING)
    started = time.monotonic()
    export_everything(journey, app_server.url, LANDESUEBERSICHT)
    export_everything(journey, app_server.url, KREISPROFIL)

    begun = time.monotonic()
    name, data = journey.download("kreisprofil_profil")
    assert name == "kreisprofil_boeblingen_2024-12-31.pdf"
    text = pdf_text(data)
    for part in ("Böblingen", "Stand der Zahlen 31.12.2024", "Stand 31.12.2024", "Quellen und Lizenzen", "Seite 1 von"):
        assert part in text, part
    assert "30.09.2026" not in text  # one Stand in the whole document
    journey.timings["Kreisprofil als PDF"] = time.monotonic() - begun

    assert not network_guard.blocked, network_guard.blocked
    # Measured, never asserted: the README's benchmark table takes these from the test log.
    print(f"\nPresse-Journey: {len(journey.files)} Dateien in {time.monotonic() - started:.0f} s")
    for step, seconds in journey.timings.items():
        print(f"  {step}: {seconds:.1f} s")

"""A hostile but valid import: its Quelle and file name read as written on every page and in the exports, and nothing
of it becomes a link, an image or a request to another host."""

from __future__ import annotations

import io
import re
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from lagebild.present.text import JOINER
from tests.browser.conftest import NetworkGuard, StreamlitServer, seed_demo, start_server, stop_server

pytestmark = pytest.mark.browser

STAND = "30.09.2026"
QUELLE = (
    '![x](http://example.invalid/src.png) <a href="http://example.invalid/phish">klick</a> http://example.invalid/q'
)
FILE_NAME = "![x](http://example.invalid/fn.png).csv"
REFUSED_NAME = "[klick](javascript:alert(1)).csv"
BAD_KEY = "![k](http://example.invalid/key.png)"
BAD_VALUE = "![v](http://example.invalid/val.png)"
ADDRESS_VALUE = "![u](http://example.invalid/url.png)"
TYPED_COST = "![c](http://example.invalid/cost.png)"
HEADER = "Regionalschlüssel;Region;Stichtag;Gruppe;Geflüchtete in Betreuung;Quelle"
SCREENSHOTS = Path("/tmp")

# Every element in a document or frame that points somewhere because of the data: a link, an image, an SVG link.
DATA_MADE = """() => [...document.querySelectorAll('*')].flatMap(e => ['href', 'src', 'xlink:href', 'action']
    .map(a => e.getAttribute(a) || '')
    .filter(v => /example\\.invalid|javascript:/i.test(v))
    .map(v => e.tagName + ' ' + v))"""

# The joiners text.markdown puts into a URL are invisible; a reader sees the text without them.
VISIBLE = "literal => document.body.innerText.replaceAll('\\u2060', '').includes(literal)"


@pytest.fixture
def hostile_server(tmp_path: Path) -> Iterator[StreamlitServer]:
    """A server and store of its own: the test imports into it, which the shared app server must not see."""
    server = start_server("app.py", tmp_path, seed=seed_demo, database_url=f"sqlite:///{tmp_path / 'hostile.sqlite'}")
    yield server
    stop_server(server)


def shown(page: Page) -> str:
    """The page's text as a reader sees it: the joiners that keep a URL unlinked are invisible."""
    return page.locator("body").inner_text().replace(JOINER, "")


def assert_literal_and_inert(page: Page, guard: NetworkGuard, *literals: str) -> None:
    """Each literal is on the page as written; no frame holds a link or an image made from the data; no request left."""
    for literal in literals:
        page.wait_for_function(VISIBLE, arg=literal)
        assert literal in shown(page), literal
    for frame in page.frames:
        assert frame.evaluate(DATA_MADE) == [], frame.url
    assert page.locator(".js-plotly-plot svg a").count() == 0
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert guard.blocked == []


def snap(page: Page, name: str) -> None:
    """Screenshots to look at: the first caption or message and the first chart that carry the Quelle (Streamlit
    scrolls its own container, so a full-page shot shows only the first screen)."""
    for what, locator in (
        (
            "text",
            page.locator(":is([data-testid=stCaptionContainer], [data-testid=stAlert])").filter(
                has_text="example.invalid"
            ),
        ),
        ("grafik", page.locator(".js-plotly-plot .annotation-text").filter(has_text="Quelle")),
    ):
        if locator.count():
            locator.first.scroll_into_view_if_needed()
            page.screenshot(path=str(SCREENSHOTS / f"hostile-{name}-{what}.png"))


def open_page(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()


def upload(page: Page, name: str, rows: list[str]) -> None:
    body = "\r\n".join([HEADER, *rows]) + "\r\n"
    page.locator("input[type='file']").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": body.encode("utf-8-sig")}]
    )


def charts_drawn(page: Page, count: int) -> None:
    expect(page.locator(".js-plotly-plot .annotation-text").filter(has_text="Quelle")).to_have_count(count)


# Source lines that do not lie inside their chart's canvas: a long Quelle must not be cut off.
CLIPPED = """plots => plots.flatMap(p => {
    const canvas = p.querySelector('svg.main-svg').getBoundingClientRect();
    return [...p.querySelectorAll('.annotation-text')].filter(t => t.textContent.includes('Quelle')).filter(t => {
        const r = t.getBoundingClientRect();
        return r.top < canvas.top - 1 || r.bottom > canvas.bottom + 1 || r.left < canvas.left - 1 || r.right > canvas.right + 1;
    }).map(t => t.textContent);
})"""


def chart_source_lines(page: Page) -> list[str]:
    """Each chart's source line, its lines (tspans) joined by a space as a reader reads them."""
    lines = (
        page.locator(".js-plotly-plot .annotation-text")
        .filter(has_text="Quelle")
        .evaluate_all(
            "texts => texts.map(t => [...t.querySelectorAll('tspan.line')].map(l => l.textContent).join(' ') || t.textContent)"
        )
    )
    assert page.locator(".js-plotly-plot").evaluate_all(CLIPPED) == []
    return [" ".join(line.split()) for line in lines]


def test_a_hostile_quelle_and_file_name_read_as_written_everywhere_and_fetch_nothing(
    page, hostile_server, network_guard
):
    # What the address and the sidebar take from a user is text too.
    page.goto(hostile_server.url + "daten?ziel=" + urllib.parse.quote(ADDRESS_VALUE))
    expect(page.get_by_role("heading", name="Daten", exact=True)).to_be_visible()
    assert_literal_and_inert(page, network_guard, f"„{ADDRESS_VALUE}“")
    cost = page.get_by_test_id("stSidebar").get_by_role("textbox", name=re.compile("Kosten je VZÄ"))
    cost.fill(TYPED_COST)
    cost.press("Enter")
    assert_literal_and_inert(page, network_guard, f"Kosten je VZÄ „{TYPED_COST}“")
    snap(page, "adresse-und-eingabe")
    cost.fill("64.000")
    cost.press("Enter")
    expect(page.get_by_test_id("stAlert").filter(has_text="Kosten je VZÄ „![c]")).to_have_count(0)

    # Refused: a key and a value holding markdown images; the problem list names them as written.
    upload(page, REFUSED_NAME, [f"{BAD_KEY};Stuttgart;{STAND};;{BAD_VALUE};{QUELLE}"])
    expect(page.locator(".st-key-probleme")).to_be_visible()
    assert_literal_and_inert(page, network_guard, f"Wert „{BAD_KEY}“", f"Wert „{BAD_VALUE}“")
    snap(page, "daten-abgelehnt")

    # Accepted: a valid file whose name and Quelle are hostile.
    upload(page, FILE_NAME, [f"08111;Stuttgart;{STAND};;12347;{QUELLE}", f"08115;Böblingen;{STAND};;2345;{QUELLE}"])
    expect(page.get_by_text("Neue Werte neben den gespeicherten (2 Zeilen)")).to_be_visible()
    assert_literal_and_inert(page, network_guard)
    page.get_by_role("button", name="Übernehmen").click()
    success = page.get_by_test_id("stAlertContentSuccess")
    expect(success).to_contain_text("Import Nr. 5 übernommen")
    assert f"Geflüchtete in Betreuung aus {FILE_NAME}. Landesübersicht" in success.inner_text().replace(JOINER, "")
    assert_literal_and_inert(page, network_guard, FILE_NAME)
    snap(page, "daten-uebernommen")

    open_page(page, "Landesübersicht")
    charts_drawn(page, 1)
    expect(
        page.locator('iframe[src*="streamlit_folium.st_folium"]').last.content_frame.locator("path.leaflet-interactive")
    ).to_have_count(44)
    assert_literal_and_inert(page, network_guard, f"{QUELLE}; Stand: {STAND}")
    assert all(QUELLE in line for line in chart_source_lines(page))
    snap(page, "landesuebersicht")

    open_page(page, "Personalbedarf")
    expect(page.get_by_test_id("stCaptionContainer").filter(has_text="Regierungsbezirke und Land")).to_be_visible()
    charts_drawn(page, 5)
    assert_literal_and_inert(page, network_guard, f"{QUELLE}; Stand: {STAND}")
    assert all(QUELLE in line for line in chart_source_lines(page))
    snap(page, "personalbedarf")

    page.goto(hostile_server.url + "kreis?auswahl=08111")
    expect(page.get_by_role("heading", name="Stuttgart", exact=False).first).to_be_visible()
    charts_drawn(page, 6)  # Zugänge, Schlüssel, Bestand, Ausblick, Nachbarn, Vergleichskreise
    assert_literal_and_inert(page, network_guard, f"{QUELLE}; Stand: {STAND}")
    assert all(QUELLE in line for line in chart_source_lines(page))
    snap(page, "kreisprofil")
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Kreisprofil als PDF").click()
    pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    pdf_text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "![x](http://example.invalid/src.png) <a href=" in pdf_text
    assert all("/URI" not in str(p.get("/Annots", "")) for p in pdf.pages)

    open_page(page, "Landesübersicht")
    page.get_by_text("Export: Grafiken und Daten").first.click()
    with page.expect_download(timeout=180_000) as download:
        page.get_by_role("button", name=re.compile("^Pressepaket")).first.click()
    with zipfile.ZipFile(download.value.path()) as pack:
        readme = pack.read("LIESMICH.txt").decode("utf-8-sig")
        svgs = [pack.read(n).decode() for n in pack.namelist() if n.endswith(".svg")]
    assert f"{QUELLE}; Stand: {STAND}" in readme
    assert svgs
    for svg in svgs:
        root = ET.fromstring(svg)
        assert [e.tag for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "a"] == []
        # The static map is a raster inside the SVG; whatever else points somewhere points into the file.
        assert [
            v
            for e in root.iter()
            for k, v in e.attrib.items()
            if k.endswith("href") and not v.startswith(("data:", "#"))
        ] == []
        assert QUELLE in " ".join("".join(root.itertext()).split())

    open_page(page, "Daten")
    page.get_by_role("tab", name="Importe").click()
    page.get_by_role("combobox", name="Import").click()
    page.get_by_role("option", name=f"Nr. 5: {FILE_NAME}").click()
    preview = page.get_by_test_id("stAlertContentWarning").filter(has_text="zählt danach nicht mehr")
    expect(preview).to_be_visible()
    assert (
        preview.get_by_test_id("stMarkdownContainer")
        .inner_text()
        .replace(JOINER, "")
        .startswith(f"Import Nr. 5 ({FILE_NAME}, 2 Werte")
    )
    assert_literal_and_inert(page, network_guard, FILE_NAME)
    snap(page, "ruecknahme-vorschau")
    page.get_by_text("Ja, Import Nr. 5 zurücknehmen").click()
    page.get_by_role("button", name="Zurücknehmen").click()
    done = page.get_by_test_id("stAlertContentSuccess")
    expect(done).to_contain_text("zurückgenommen")
    assert (
        done.get_by_test_id("stMarkdownContainer")
        .inner_text()
        .replace(JOINER, "")
        .startswith(f"Import Nr. 5 ({FILE_NAME}) zurückgenommen")
    )
    assert_literal_and_inert(page, network_guard, FILE_NAME)
    snap(page, "ruecknahme-bestaetigt")

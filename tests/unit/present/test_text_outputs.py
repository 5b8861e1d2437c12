"""A Quelle from a file reaches charts, image exports, the press pack's LIESMICH and the PDF as literal text."""

from __future__ import annotations

import html
import io
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest

from lagebild.export import figure_layout, files, press, profile_pdf
from lagebild.present import charts
from lagebild.settings import Thresholds

STAND = date(2026, 9, 30)
IMAGE = "![x](http://example.invalid/src.png)"
LINK = '<a href="http://example.invalid/phish">klick</a>'
SOURCE = charts.source_line([IMAGE, LINK], STAND, demo=False)


def meta(source_line: str = SOURCE) -> files.ExportMeta:
    return files.ExportMeta(
        "Landesübersicht",
        source_line,
        STAND,
        "Baden-Württemberg",
        Thresholds(),
        64_000.0,
        False,
        (IMAGE, LINK),
        (("VZÄ", "30.09.2026"),),
        "© GeoBasis-DE / BKG",
    )


def chart(title: str = "Zugänge – Kreis <b>A</b>") -> go.Figure:
    return charts.base_layout(go.Figure(go.Bar(x=[1], y=["A"])), title, "Personen · Stand 30.09.2026", SOURCE, 300)


def test_the_source_line_of_a_chart_holds_no_link_and_no_tag_but_its_line_breaks():
    foot = next(a.text for a in chart().layout.annotations if a.name == "quelle")

    assert "<a" not in foot and "<img" not in foot
    assert foot.replace("<br>", " ").count("&lt;a href=") == 1
    assert set(t.split(">")[0] for t in foot.split("<")[1:]) == {"br"}


def test_a_chart_title_from_a_name_shows_its_tags_as_text():
    assert chart().layout.title.text.startswith("Zugänge – Kreis &lt;b&gt;A&lt;/b&gt;<br><sup>")


def test_an_exported_image_carries_the_source_line_escaped_and_the_title_once_escaped():
    out = figure_layout.export_figure(chart(), files.PRESETS["web"], meta())

    footer = [a.text for a in out.layout.annotations if "Quelle" in a.text]
    assert len(footer) == 1 and "<a" not in footer[0] and "&lt;a href" in footer[0]
    assert "&lt;b&gt;A&lt;/b&gt;" in out.layout.title.text
    assert "&amp;lt;" not in out.layout.title.text


def test_the_press_readme_shows_the_source_as_written_on_one_line():
    readme = press.press_readme(
        meta(charts.source_line([IMAGE + "\r\nGefälscht: ja"], STAND, demo=False)),
        files.PRESETS["web"],
        [],
        [press.PressItem("Rangfolge", chart())],
    )

    assert any(line.endswith(f"Quelle: {IMAGE}  Gefälscht: ja; Stand: 30.09.2026") for line in readme.splitlines())
    assert "Bildunterschrift: Zugänge – Kreis <b>A</b> (Personen · Stand 30.09.2026)." in readme
    assert "\n" not in readme.replace("\r\n", "")


@pytest.mark.parametrize("value", [IMAGE, LINK, '<img src="http://example.invalid/i.png"/>', "a & b"])
def test_the_pdf_shows_markup_from_a_file_as_text(value):
    profile_pdf._register_fonts()
    assert profile_pdf.printable(value) == value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert profile_pdf.printable_plain(value + "\n") == value + " "


def test_a_long_quelle_breaks_at_its_spaces_so_a_narrow_chart_shows_all_of_it_and_a_url_stays_whole():
    lines = charts.wrap_source(SOURCE, width=48).split("<br>")

    assert all(len(html.unescape(line)) <= 48 for line in lines if " " in html.unescape(line))
    assert "http://example.invalid/src.png)" in " ".join(lines)
    assert html.unescape(" ".join(lines)) == SOURCE


def test_the_xlsx_footer_shows_an_ampersand_in_the_quelle_as_written():
    from openpyxl import load_workbook

    xlsx = files.table_xlsx(
        pd.DataFrame({"AGS": ["08111"]}), meta(charts.source_line(["Amt &P"], STAND, demo=False)), "T"
    )

    assert load_workbook(io.BytesIO(xlsx))["Daten"].oddFooter.left.text.startswith("Quelle: Amt &&P")


def test_the_cli_history_prints_a_file_name_without_its_terminal_escape(monkeypatch, db_url, tmp_path, capsys):
    import shutil

    from lagebild.cli import main
    from tests.conftest import FIXTURES

    monkeypatch.setenv("DATABASE_URL", db_url)
    hostile = tmp_path / "a\x1b[2Jb.xlsx"
    shutil.copy(FIXTURES / "zugaenge_vorlage.xlsx", hostile)
    main(["import", str(hostile), "--measure", "arrivals"])
    capsys.readouterr()
    main(["history"])
    out = capsys.readouterr().out

    assert "\x1b" not in out and "a [2Jb.xlsx" in out


def test_the_pruefbericht_keeps_a_hostile_value_on_its_own_line():
    from lagebild.domain.regions import regions
    from lagebild.intake import review
    from lagebild.intake.importer import read_import

    data = 'Regionalschlüssel;Stichtag;Geflüchtete in Betreuung\r\n08111;30.09.2026;"12\n# \x1b[2JTitel"\r\n'.encode()
    parsed = read_import(data, "a\rb.csv", measure="refugees_in_care", regs=regions(), existing=pd.DataFrame())
    report = review.report(parsed, [], None, "refugees_in_care")

    assert "\x1b" not in report and "\r" not in report
    # Control characters are written out, so the reader sees what the file holds (issue 17), on one line.
    assert any(
        line.startswith("  a\\rb.csv: Zeile 2") and "Wert „12\\n# \\x1b[2JTitel“" in line
        for line in report.splitlines()
    )

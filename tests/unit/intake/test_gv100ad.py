"""The Gemeindeverzeichnis GV100AD (fixed width): BW's Gemeinden summed per Kreis into the measure „Einwohner“."""

from datetime import date

import pandas as pd
import pytest

from lagebild.intake import gv100ad, review
from lagebild.intake.importer import detect_format, read_import
from tests.conftest import FIXTURES

TODAY = date(2026, 11, 27)
EMPTY = pd.DataFrame(columns=["measure", "region", "date", "grp", "value"])
EXCERPT = "gv100ad_auszug.txt"
ALL = "gv100ad_bw_alle_kreise.txt"
STICHTAG = date(2024, 12, 31)


def lines_of(name: str) -> list[str]:
    return (FIXTURES / name).read_bytes().decode("utf-8").split("\r\n")


def as_bytes(lines: list[str]) -> bytes:
    return "\r\n".join(lines).encode("utf-8")


def read_bytes(data: bytes, regs, stichtag: date | None = STICHTAG, measure: str | None = "population"):
    return read_import(
        data, "GV100AD_30062025.txt", measure=measure, regs=regs, existing=EMPTY, today=TODAY, stichtag=stichtag
    )


def read(name: str, regs, stichtag: date | None = STICHTAG):
    return read_bytes((FIXTURES / name).read_bytes(), regs, stichtag)


def line_number(lines: list[str], prefix: str) -> int:
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(prefix))


def test_the_file_is_recognised_by_its_first_record_whatever_its_name():
    assert detect_format((FIXTURES / EXCERPT).read_bytes(), "gemeinden.csv") == "gv100ad"
    assert detect_format(b"Regionalschl\xc3\xbcssel;Stichtag;Wert\n08111;2024-12-31;1\n", "x.txt") == "csv"


def test_all_44_kreise_are_the_sums_of_their_gemeinden_at_the_stichtag_given(regs):
    parsed = read(ALL, regs)
    assert parsed.ok, parsed.report()
    rows = parsed.rows.set_index("region")
    assert set(rows.index) == set(regs.kreis_keys)
    assert set(rows["date"]) == {STICHTAG} and set(rows["measure"]) == {"population"}
    assert rows.loc["08111", "value"] == 613_881 and rows.loc["08115", "value"] == 400_648
    assert rows["value"].sum() == 11_201_897  # the Land total of the 12411 fixture the figures were split from


def test_the_excerpt_gives_its_three_kreise_and_says_what_it_ignored(regs):
    parsed = read(EXCERPT, regs)
    assert parsed.ok, parsed.report()
    assert sorted(parsed.rows["region"]) == ["08111", "08115", "08211"]
    assert "6 Sätze außerhalb Baden-Württembergs (Land 08) ignoriert" in parsed.notes
    assert "Gebietsstand laut Datei: 30.06.2025; 28 Gemeinden Baden-Württembergs zu 3 Kreisen summiert" in parsed.notes


def test_the_source_names_the_directory_its_gebietsstand_and_licence(regs):
    source = read(EXCERPT, regs).rows["source"].iloc[0]
    assert source.startswith("Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD, Gebietsstand 30.06.2025")
    assert "Namensnennung" in source


def test_the_file_format_is_named_in_the_report(regs):
    assert "Gemeindeverzeichnis GV100AD (Festbreite)" in read(EXCERPT, regs).report()


def test_without_a_stichtag_nothing_is_taken_and_the_question_is_named(regs):
    parsed = read(EXCERPT, regs, stichtag=None)
    assert not parsed.ok and parsed.rows.empty
    assert "nennt nur seinen Gebietsstand (30.06.2025)" in parsed.report()
    assert "„Stichtag der Einwohnerzahlen“" in parsed.report()


def test_a_stichtag_after_the_gebietsstand_is_refused(regs):
    parsed = read(EXCERPT, regs, stichtag=date(2025, 12, 31))
    assert not parsed.ok
    assert "Stichtag der Einwohnerzahlen (31.12.2025) liegt nach dem Gebietsstand der Datei (30.06.2025)" in (
        parsed.report()
    )


def test_the_page_suggests_einwohner_shows_the_gebietsstand_and_asks_for_the_stichtag():
    info = review.inspect((FIXTURES / EXCERPT).read_bytes(), EXCERPT)
    assert info.kind == "gv100ad" and info.suggested_measure == "population" and info.needs_stichtag
    assert info.note and "Gebietsstand 30.06.2025" in info.note


def test_the_cli_needs_no_measure_for_the_directory(regs):
    parsed = read_bytes((FIXTURES / EXCERPT).read_bytes(), regs, measure=None)
    assert parsed.ok and parsed.measure == "population"


def test_another_measure_than_einwohner_is_refused(regs):
    parsed = read_bytes((FIXTURES / EXCERPT).read_bytes(), regs, measure="refugees_in_care")
    assert not parsed.ok and "enthält Einwohnerzahlen, gewählt ist aber „Geflüchtete in Betreuung“" in parsed.report()


def test_a_file_without_a_bw_gemeinde_is_refused_in_german(regs):
    lines = [line for line in lines_of(EXCERPT) if not line[10:12] == "08"]
    parsed = read_bytes(as_bytes(lines), regs)
    assert not parsed.ok
    assert "keine Gemeinde Baden-Württembergs (Satzart 60 mit Schlüssel ab 08)" in parsed.report()


def test_a_short_gemeinde_line_is_refused_with_its_line_number(regs):
    lines = lines_of(EXCERPT)
    n = line_number(lines, "602025063008115")
    lines[n - 1] = lines[n - 1][:120]
    parsed = read_bytes(as_bytes(lines), regs)
    assert not parsed.ok and parsed.rows.empty
    assert f"Zeile {n}: die Zeile ist zu kurz: 120 Zeichen" in parsed.report()


def test_inhabitants_that_are_no_number_are_refused_with_their_line(regs):
    lines = lines_of(EXCERPT)
    n = line_number(lines, "602025063008211")
    lines[n - 1] = lines[n - 1][:139] + "00005x01234" + lines[n - 1][150:]
    parsed = read_bytes(as_bytes(lines), regs)
    assert not parsed.ok
    assert f"Zeile {n}: die Einwohnerzahl „00005x01234“ in den Stellen 140–150 ist keine ganze Zahl" in parsed.report()


def test_an_unknown_satzart_is_refused_with_its_line(regs):
    lines = lines_of(EXCERPT)
    lines.insert(3, "99" + lines[3][2:])
    parsed = read_bytes(as_bytes(lines), regs)
    assert not parsed.ok and "Zeile 4: unbekannte Satzart „99“ in den Stellen 1–2" in parsed.report()


def test_an_impossible_gebietsstand_is_refused_with_its_line(regs):
    lines = lines_of(EXCERPT)
    lines[2] = lines[2][:2] + "20251340" + lines[2][10:]
    parsed = read_bytes(as_bytes(lines), regs)
    assert not parsed.ok and "Zeile 3: Gebietsstand „20251340“ in den Stellen 3–10" in parsed.report()


def test_a_file_that_mixes_two_editions_is_refused(regs):
    lines = lines_of(EXCERPT)
    lines[2] = lines[2][:2] + "20241231" + lines[2][10:]
    parsed = read_bytes(as_bytes(lines), regs)
    assert not parsed.ok and "mischt mehrere Gebietsstände (31.12.2024, 30.06.2025)" in parsed.report()


def test_an_unknown_bw_kreis_is_refused_at_its_kreis_record(regs):
    lines = [line.replace("08211", "08299", 1) if line[10:15] == "08211" else line for line in lines_of(EXCERPT)]
    parsed = read_bytes(as_bytes(lines), regs)
    assert not parsed.ok
    n = line_number(lines, "402025063008299")
    assert f"Zeile {n}, Spalte „Regionalschlüssel“, Wert „08299“" in parsed.report()


def test_a_windows_1252_copy_reads_the_same_figures(regs):
    text = (FIXTURES / EXCERPT).read_bytes().decode("utf-8")
    parsed = read_bytes(text.encode("cp1252"), regs)
    assert parsed.ok and parsed.encoding == "Windows-1252"
    assert parsed.rows.set_index("region")["value"].equals(read(EXCERPT, regs).rows.set_index("region")["value"])


@pytest.mark.parametrize(
    "prefix,expected",
    [
        ("10", True),  # a Land record opens every edition
        ("60", True),  # an excerpt may start with a Gemeinde
        ("70", False),  # no such Satzart
    ],
)
def test_detection_needs_a_known_satzart_and_a_date(prefix, expected):
    assert gv100ad.is_gv100ad(prefix + "2025063008" + " " * 40) is expected

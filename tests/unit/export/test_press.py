"""The Pressepaket: exactly the files its README lists, each opening as its type, with source, Stand and licence."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import replace

import pytest
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from lagebild.export import files, press
from lagebild.present import overview
from tests.support.exports import csv_frame


@pytest.fixture(scope="module")
def press_pack(chromium, view) -> zipfile.ZipFile:
    items = [
        press.PressItem("Karte", figure=view.map, alt=view.meta.summary),
        press.PressItem("Rangfolge", figure=view.ranking),
        press.PressItem("Tabelle", table=view.frame, decimals=overview.RANKING_FORMATS),
    ]
    return zipfile.ZipFile(io.BytesIO(press.press_pack(items, view.meta, files.PRESETS["social"])))


def readme(pack: zipfile.ZipFile) -> str:
    return pack.read(press.README_NAME).decode("utf-8-sig")


def test_the_press_pack_holds_exactly_what_its_readme_lists(press_pack):
    listed = re.findall(r"^  - (\S+\.(?:png|svg|pdf|csv|xlsx)): ", readme(press_pack), flags=re.M)
    assert sorted(listed) == sorted(n for n in press_pack.namelist() if n != press.README_NAME)
    assert len(listed) == 2 * 3 + 2


def test_the_press_pack_files_open_as_their_type(press_pack):
    for name in press_pack.namelist():
        data = press_pack.read(name)
        if name.endswith(".png"):
            assert Image.open(io.BytesIO(data)).size == (1080, 1080)
        elif name.endswith(".pdf"):
            assert len(PdfReader(io.BytesIO(data)).pages) == 1
        elif name.endswith(".svg"):
            ET.fromstring(data)
        elif name.endswith(".xlsx"):
            assert "Metadaten" in load_workbook(io.BytesIO(data)).sheetnames
        elif name.endswith(".csv"):
            assert len(csv_frame(data)) == 44


def test_the_press_pack_readme_gives_source_stand_licence_caption_and_alt_text(press_pack):
    text = readme(press_pack)
    for part in (
        "Quelle: BEISPIELDATEN",
        "Stand: 30.09.2026",
        "Lizenz:",
        "GeoNutzV",
        "CC BY 4.0",
        "Bildunterschrift: Betreuungsschlüssel der Kreise",
        "Alternativtext: Zwölf Kreise sind kritisch.",
        "Social 1:1",
        "ACHTUNG: Beispieldaten",
    ):
        assert part in text, part


def test_the_press_readme_of_official_figures_names_the_source_once(view):
    meta = replace(view.meta, demo=False, source_line="Quelle: Statistisches Landesamt BW; Stand: 30.09.2026")
    text = press.press_readme(meta, files.PRESETS["web"], [], [])
    assert "Quelle: Statistisches Landesamt BW; Stand: 30.09.2026" in text
    assert "Quelle: Quelle:" not in text

"""Streamlit's theme and the app's palette are one set of colours, and the upload limit is the importer's."""

import tomllib

from lagebild.intake import importer
from lagebild.present import palette
from lagebild.settings import ROOT


def config() -> dict:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_the_theme_uses_the_palettes_primary_and_text_colours():
    theme = config()["theme"]
    assert theme["primaryColor"].lower() == palette.PRIMARY.lower()
    assert theme["textColor"].lower() == palette.TEXT.lower()


def test_streamlits_upload_limit_is_the_importers_so_the_browser_refuses_a_larger_file_at_once():
    assert config()["server"]["maxUploadSize"] * 1024 * 1024 == importer.MAX_BYTES

"""Text from files reads as written in every medium: markdown, HTML, Plotly, PDF, plain text."""

from __future__ import annotations

import io
import re

import plotly.graph_objects as go
import pytest
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from lagebild.present import text
from tests.support.hostile import HOSTILE

IMAGE = "![x](http://example.invalid/src.png)"
LINK = '<a href="http://example.invalid/phish">klick</a>'


def unescape_markdown(value: str) -> str:
    """What CommonMark makes of backslash escapes, and what a reader sees of the joiners."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", value).replace(text.JOINER, "")


@pytest.mark.parametrize("value", HOSTILE)
def test_markdown_reads_back_as_the_value_once_escapes_and_joiners_are_gone(value):
    assert unescape_markdown(text.markdown(value)) == value


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("![x](http://a.invalid/x.png)", "!\\[x\\](http\u2060://a.invalid/x.png)"),  # image: no [ ], no URL
        ('<a href="x">k</a>', '\\<a href="x"\\>k\\</a\\>'),  # HTML
        ("**f** _k_ ~~w~~ `c`", "\\*\\*f\\*\\* \\_k\\_ \\~\\~w\\~\\~ \\`c\\`"),  # emphasis, code
        ("$x$ & | \\", "\\$x\\$ \\& \\| \\\\"),  # formula, entity, table, escape
        (":red[rot] :small[k]", "\\:red\\[rot\\] \\:small\\[k\\]"),  # Streamlit directives
        ("# Titel", "\\# Titel"),  # heading
        ("- Punkt", "\\- Punkt"),  # list item
        ("1. Liste", "1\\. Liste"),  # ordered list
    ],
)
def test_markdown_escapes_what_streamlit_reads_as_markup(value, escaped):
    assert text.markdown(value) == escaped


@pytest.mark.parametrize("value", ["genesis_12531_kreise.csv", "Zeile 3, Spalte „Wert“: 12:30 Uhr; (a) = b.", "a - b"])
def test_markdown_leaves_plain_text_as_it_is(value):
    assert text.markdown(value) == value


def test_markdown_breaks_bare_urls_that_remark_gfm_would_link():
    escaped = text.markdown("http://a.invalid https://b.invalid www.c.invalid d@e.invalid")

    assert unescape_markdown(escaped).split() == [
        "http://a.invalid",
        "https://b.invalid",
        "www.c.invalid",
        "d@e.invalid",
    ]
    visible = escaped.replace("\\", "")
    for link in ("http://", "https://", "www.", "d@e"):
        assert link not in visible


def test_markdown_breaks_emoji_and_icon_shortcodes():
    escaped = text.markdown(":smile: :material/star: :+1:").replace("\\", "")

    assert ":smile:" not in escaped
    assert ":material/star:" not in escaped
    assert ":+1:" not in escaped


def test_markdown_keeps_a_value_on_one_line():
    assert text.markdown("a\n# Titel\r\n- Punkt") == "a # Titel  - Punkt"


def test_markdown_keeps_leading_spaces_from_becoming_a_code_block():
    assert not text.markdown("    code").startswith(" ")


def test_html_text_escapes_tags_and_attribute_quotes():
    assert (
        text.html_text(f"{LINK} \"'")
        == "&lt;a href=&quot;http://example.invalid/phish&quot;&gt;klick&lt;/a&gt; &quot;&#x27;"
    )


def test_plotly_escapes_the_html_subset_plotly_js_reads():
    assert (
        text.plotly(f"{LINK} <br> &amp;")
        == '&lt;a href="http://example.invalid/phish"&gt;klick&lt;/a&gt; &lt;br&gt; &amp;amp;'
    )


def test_plotly_text_in_a_figure_carries_no_tag():
    fig = go.Figure(layout={"title": {"text": text.plotly(LINK)}})
    fig.add_annotation(text=text.plotly(IMAGE + '<img src="http://example.invalid/i.png">'))

    assert "<" not in fig.layout.title.text
    assert "<" not in fig.layout.annotations[0].text


def test_pdf_paragraph_shows_markup_as_written_and_fetches_nothing():
    buffer = io.BytesIO()
    hostile = f'<img src="http://example.invalid/i.png"/> {LINK} &amp;'
    SimpleDocTemplate(buffer).build([Paragraph(text.pdf(hostile), ParagraphStyle("t"))])

    shown = " ".join(PdfReader(buffer).pages[0].extract_text().split())
    assert shown == hostile
    assert b"/URI" not in buffer.getvalue()


def test_plain_removes_control_characters_and_bidi_overrides():
    assert text.plain("a\x00b\x1b[31mc\u202ed\nе") == "a b [31mc d е"


def test_sheet_footer_doubles_the_ampersand_excel_reads_as_a_code():
    assert text.sheet_footer('A & B &P &"Arial"\n') == 'A && B &&P &&"Arial" '

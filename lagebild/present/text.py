"""Text from a file, a file name or a user as literal text, escaped for the medium it lands in."""

from __future__ import annotations

import html
import re

# U+2060 WORD JOINER: invisible, no line break, not a word character in JavaScript regular
# expressions, so it splits the patterns Streamlit's markdown turns into links or icons.
JOINER = "\u2060"

# Control characters, line and paragraph separators, and the bidi overrides that could reverse a file name.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# What CommonMark, GFM, remark-math and remark-directive read as mark-up anywhere in a line: escapes, code, emphasis
# (an underscore inside a word is not), strike-through, links and images, HTML and entities, tables, formulas, and a
# colon before a letter (Streamlit's :red[…], :material/…: and :small[…] are directives).
_MD_INLINE = re.compile(r"[\\`*~\[\]<>&|$]|(?<![^\W_])_|_(?![^\W_])|:(?=[A-Za-z:])")
# What starts a block only at the start of a line: a heading, a list item, a setext underline, an ordered list.
_MD_LINE_START = re.compile(r"^(\s*)([#+\-=]|\d{1,9}(?=[.)]))")
# remark-gfm links bare URLs, www. addresses and e-mail addresses after parsing, on the text
# nodes, where a backslash escape is already gone (mdast-util-gfm-autolink-literal).
_AUTOLINK = re.compile(r"(?i)(?<=https)(?=://)|(?<=http)(?=://)|(?<=www)(?=\.)|(?<=@)")
# remark-emoji (:smile:) and Streamlit's icons (:material/star:) also work on the text nodes.
_SHORTCODE = re.compile(r"(?<=:)(?=[\w+\-/]+:)")


def _flat(value: object) -> str:
    """One line: breaks and other control characters become spaces (a break would start a list or a heading)."""
    return _CONTROL.sub(" ", str(value))


def markdown(value: object) -> str:
    """For Streamlit markdown (st.markdown, captions, messages, labels): no emphasis, link, image, HTML, LaTeX,
    colour directive, emoji or icon; a URL stays unlinked text. Reads exactly as written, on one line."""
    escaped = _MD_INLINE.sub(lambda m: "\\" + m.group(), _SHORTCODE.sub(JOINER, _AUTOLINK.sub(JOINER, _flat(value))))
    # Four leading spaces would make a code block.
    escaped = re.sub(r"^ +", lambda m: "\u00a0" * len(m.group()), escaped)
    return _MD_LINE_START.sub(_escape_line_start, escaped, count=1)


def _escape_line_start(m: re.Match[str]) -> str:
    """'# x' and '- x' as '\\# x' and '\\- x'; '1. x' as '1\\. x'."""
    return f"{m.group(1)}{m.group(2)}\\" if m.group(2).isdigit() else f"{m.group(1)}\\{m.group(2)}"


def html_text(value: object) -> str:
    """For HTML (folium tooltips and popups, st.html): entities for & < > " '."""
    return html.escape(_flat(value), quote=True)


def plotly(value: object) -> str:
    """For Plotly titles, annotations, tick and hover texts: plotly.js reads <a href>, <br>, <b>, <img>… and entities."""
    return html.escape(_flat(value), quote=False)


def pdf(value: object) -> str:
    """For a ReportLab Paragraph, which reads XML mark-up (<a href>, <img src> fetched while writing, <font>) and
    entities; a line break is white space there, so it may stay."""
    return html.escape(_CONTROL.sub(lambda m: m.group() if m.group() in "\n\t" else " ", str(value)), quote=False)


def plain(value: object) -> str:
    """For plain-text files (the press pack's LIESMICH, the Prüfbericht): no control characters, one line."""
    return _flat(value)


def sheet_footer(value: object) -> str:
    """For an XLSX page header or footer, where & starts a code (&P page number, &"font", &K colour): && is one &."""
    return plain(value).replace("&", "&&")

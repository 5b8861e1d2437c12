"""Text from a file, a file name or a user as literal text, escaped for the medium it lands in."""

from __future__ import annotations

import html
import re
import string

# U+2060 WORD JOINER: invisible, no line break, not a word character in JavaScript regular
# expressions, so it splits the patterns Streamlit's markdown turns into links or icons.
JOINER = "\u2060"

# Control characters, line and paragraph separators, and the bidi overrides that could reverse a file name.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_MD_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
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
    colour directive, emoji or icon; a URL stays unlinked text. Reads exactly as written."""
    text = _AUTOLINK.sub(JOINER, _flat(value))
    text = _SHORTCODE.sub(JOINER, text)
    text = _MD_PUNCTUATION.sub(r"\\\1", text)
    # Four leading spaces would make a code block.
    return re.sub(r"^ +", lambda m: "\u00a0" * len(m.group()), text)


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

"""What every page needs for BITV 2.0 beyond its own content: language, German control names, focus, footer."""

from __future__ import annotations

import html
from pathlib import Path

import streamlit as st

from lagebild.present import palette

SCRIPT = (Path(__file__).with_name("a11y.js")).read_text(encoding="utf-8")

# Focus ring: PRIMARY on white is 5.8:1, far above the 3:1 WCAG 2.4.7/1.4.11 ask of a focus indicator.
# Captions and disabled labels: Streamlit fades text to 4.0:1 and 2.4:1; #4b5563 on white is 7.6:1.
CSS = (
    f":focus-visible{{outline:3px solid {palette.PRIMARY} !important;outline-offset:2px !important}}"
    "[data-testid='stCaptionContainer']{opacity:1 !important}"
    "[data-testid='stCaptionContainer'],[data-testid='stCaptionContainer'] *{color:#4b5563 !important}"
    "[data-testid='stWidgetLabel'][disabled] p,[data-testid='stWidgetLabel'][disabled]{color:#4b5563 !important}"
    ".lb-sr{position:absolute !important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;"
    "clip:rect(0,0,0,0);white-space:nowrap;border:0}"
    ".lb-skip{position:absolute;left:-10000px}"
    f".lb-skip:focus{{position:static;display:inline-block;padding:0.3rem 0.7rem;background:{palette.PRIMARY};"
    "color:#fff !important;border-radius:0.4rem}"
    # The card beside the map is narrow on a tablet: long words are hyphenated (lang=de), never cut mid-word.
    ".st-key-detail li,.st-key-detail p{overflow-wrap:normal;word-break:normal;hyphens:auto}"
    ".st-key-detail li{font-size:0.92rem}"
    # The mount point of the script draws nothing.
    ".st-key-lb_a11y,.st-key-karte_gezeigt{display:none}"
    ".st-key-fusszeile{border-top:1px solid #d1d5db;margin-top:2rem;padding-top:0.5rem}"
)

_component = st.components.v2.component("lagebild_a11y", js=SCRIPT, isolate_styles=False)


def frame() -> None:
    """Called by app.py on every run, before the page: the script is idempotent."""
    st.html(f"<style>{CSS}</style>")
    with st.container(key="lb_a11y"):
        _component(key="lb_a11y_script", data={"css": CSS})


def skip_link(target_key: str, label: str) -> None:
    """A link, visible when focused, that moves the focus past a map to the widget with key `target_key`."""
    st.markdown(
        f"<a href='#' class='lb-skip' data-target='.st-key-{html.escape(target_key)}'>{html.escape(label)}</a>",
        unsafe_allow_html=True,
    )


def map_name(sentence: str) -> None:
    """The accessible name of the map iframe drawn next in the same block (a11y.js copies it to its title)."""
    plain = sentence.replace("**", "").replace("..", ".")
    st.markdown(f"<span class='lb-map-name lb-sr'>{html.escape(plain)}</span>", unsafe_allow_html=True)


def footer() -> None:
    """Every page ends with the accessibility statement and the Leichte Sprache page (what BITV 2.0 asks of every page)."""
    with st.container(key="fusszeile", horizontal=True, gap="large"):
        st.page_link(
            "pages/barrierefreiheit.py", label="Erklärung zur Barrierefreiheit", icon=":material/accessibility:"
        )
        st.page_link("pages/leichte_sprache.py", label="Leichte Sprache", icon=":material/menu_book:")

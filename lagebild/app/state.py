"""Session state and the address: one selected Kreis, the region filter's rules, page inputs kept and bookmarked.

Every Streamlit work-around of the app lives here, with its upstream issue.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from lagebild import fmt, maps, params, settings
from lagebild import selection as selection_codec
from lagebild.regions import Regions, regions
from lagebild.selection import KindFilter, Selection

KEY_STAND = "stand"
KEY_TARGET = "zielwert"
KEY_COST = "kosten_vzae"
KEY_RB = "filter_rb"
KEY_KREISE = "filter_kreise"
KEY_KIND = "filter_typ"
KEY_PICKED = "auswahl"  # the Kreis clicked on a map or picked in a table
KEY_CONTEXT = "_kontext"
KEY_NOTICES = "_hinweise"
KEY_DECODED = "_adresse_gelesen"
KEY_KEPT = "_eingaben"  # a page's inputs while another page is shown
PROFILE_PAGE = "kreis"


def _query_params() -> dict[str, list[str]]:
    names = (*selection_codec.PARAMS, params.P_PICKED, *(p.name for page in params.PAGES.values() for p in page.params))
    return {name: st.query_params.get_all(name) for name in names}


def read_address(stands: list[date], page_path: str) -> None:
    """Once per session: the address (bookmark, deep link) sets the widgets; problems become notices."""
    if st.session_state.get(KEY_DECODED):
        return
    st.session_state[KEY_DECODED] = True
    query = _query_params()
    regs = regions()
    decoded = selection_codec.decode(query, regs)
    sel = decoded.selection
    notices = list(decoded.notices)
    st.session_state[KEY_RB] = list(sel.rbs)
    st.session_state[KEY_KREISE] = list(sel.kreise)
    st.session_state[KEY_KIND] = sel.kind
    if sel.stand is not None:
        earlier = [d for d in stands if d <= sel.stand]
        if earlier:
            st.session_state[KEY_STAND] = earlier[-1]
            if earlier[-1] != sel.stand:
                notices.append(f"Für den {fmt.day(sel.stand)} gibt es keinen Stand; gezeigt wird der {fmt.day(earlier[-1])}.")
        else:
            notices.append(f"Vor dem {fmt.day(sel.stand)} gibt es keine Daten; gezeigt wird der neueste Stand.")
    st.session_state[KEY_TARGET] = sel.target if sel.target is not None else settings.target_ratio()
    st.session_state[KEY_COST] = fmt.number(sel.cost if sel.cost is not None else settings.cost_per_fte())
    picked, problem = selection_codec.decode_kreis(query.get(params.P_PICKED, []), regs)
    st.session_state[KEY_PICKED] = picked
    notices += [problem] if problem else []
    if page_path in params.PAGES:
        values, problems = params.PAGES[page_path].decode(query)
        st.session_state[KEY_KEPT] = dict(values)
        notices += problems
    st.session_state[KEY_NOTICES] = notices


def keep_page_inputs(page_path: str) -> dict:
    """The page's inputs, kept across page switches (Streamlit drops the state of a widget not drawn in a run).

    Seeds each widget key before its widget exists in this run, which Streamlit allows.
    """
    spec = params.PAGES.get(page_path)
    if spec is None:
        return {}
    kept = st.session_state.setdefault(KEY_KEPT, {})
    current = {key: st.session_state[key] if key in st.session_state else kept.get(key) for key in spec.keys}
    values = spec.complete({k: v for k, v in current.items() if k in st.session_state or k in kept})
    for key, value in values.items():
        if st.session_state.get(key, object()) != value:
            st.session_state[key] = value
    kept.update(values)
    return values


def selection_now(regs: Regions) -> Selection:
    return Selection(tuple(st.session_state.get(KEY_RB) or ()), tuple(st.session_state.get(KEY_KREISE) or ()),
                     st.session_state.get(KEY_KIND) or KindFilter.ALL)  # fmt: skip


def filter_changed() -> None:
    """The region filter rules which Kreise are in view: a selected Kreis that left it is let go."""
    st.session_state[KEY_NOTICES] = []
    keys = selection_now(regions()).kreis_keys(regions())
    if st.session_state.get(KEY_PICKED) not in keys:
        st.session_state[KEY_PICKED] = keys[0] if len(keys) == 1 else None


def profile_kreis(regs: Regions) -> str:
    """The Kreis the profile shows: the selected one, else the filter's single or first Kreis.

    The filter then contains it, so the sidebar and the profile never disagree: a Kreis selected
    outside the filter (a click on the map) narrows the filter to it.
    """
    sel = selection_now(regs)
    keys = sel.kreis_keys(regs)
    picked = st.session_state.get(KEY_PICKED)
    if picked is None:
        picked = sel.single_kreis() or (keys or regs.kreis_keys)[0]
    if picked not in keys:
        st.session_state[KEY_RB] = []
        st.session_state[KEY_KREISE] = [picked]
        st.session_state[KEY_KIND] = KindFilter.ALL
    st.session_state[KEY_PICKED] = picked
    return picked


def write_address(sel: Selection, latest: date, page_path: str, inputs: dict) -> None:
    """Keeps the address in step with what is on screen, so a bookmark restores the view."""
    shown = replace(
        sel,
        stand=sel.stand if sel.stand != latest else None,
        target=sel.target if sel.target != settings.target_ratio() else None,
        cost=sel.cost if sel.cost != settings.cost_per_fte() else None,
    )
    wanted = selection_codec.encode(shown)
    if (picked := picked_kreis()) is not None:
        wanted[params.P_PICKED] = picked
    if page_path in params.PAGES:
        wanted.update(params.PAGES[page_path].encode(inputs))
    current = {k: ",".join(v) for k, v in _query_params().items() if v}
    if wanted != current:
        st.query_params.from_dict(wanted)


def notices() -> list[str]:
    return list(st.session_state.get(KEY_NOTICES, []))


def picked_kreis() -> str | None:
    """The one selected Kreis of the session: clicked on a map, chosen in a table or the profile's picker."""
    return st.session_state.get(KEY_PICKED)


def pick_kreis(key: str | None) -> None:
    """Selects a Kreis; called from a widget's callback, which runs before the script, so no rerun is needed."""
    st.session_state[KEY_PICKED] = key


def picked_on_map(key: str) -> None:
    clicked = maps.clicked_kreis(st.session_state.get(key))
    if clicked:
        pick_kreis(clicked)


def picked_in_table(key: str, kreise: list[str]) -> None:
    event = st.session_state.get(key)
    rows = event.selection.rows if event else []
    if rows and rows[0] < len(kreise):
        pick_kreis(kreise[rows[0]])


def metric_switched() -> None:
    """The ratio is shown in target bands; other Kennzahlen cannot be, so they get quantiles."""
    metric = st.session_state[params.MAP_METRIC.key]
    st.session_state[params.SCHEME.key] = params.SCHEME.default if metric == "ratio" else params.NON_RATIO_SCHEME


KEY_PROFILE = "profil_kreis"


def profile_chosen() -> None:
    pick_kreis(st.session_state[KEY_PROFILE])


def leave_pages_directory_mode() -> None:
    """Until st.navigation has run once in the process, Streamlit treats a pages/ folder as a v1 multipage
    app and runs a deep-linked page (/kreis) without app.py (streamlit #9021). One rerun puts the session on
    app.py's navigation, with the same page and address."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def inputs(page_path: str) -> dict:
    """The page's inputs as the frame left them in the session (complete and valid), for building its View
    before its widgets are drawn."""
    spec = params.PAGES[page_path]
    return {key: st.session_state.get(key) for key in spec.keys}

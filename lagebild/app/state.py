"""Session state and the address: one selected Kreis, the region filter's rules, page inputs kept and bookmarked.

Every Streamlit work-around of the app lives here, with its upstream issue.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from datetime import date
from typing import Any

import streamlit as st
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.state.session_state import Serialized

from lagebild import params, settings
from lagebild.domain import compare
from lagebild.domain import selection as selection_codec
from lagebild.domain.regions import Regions, regions
from lagebild.domain.selection import KindFilter, Selection
from lagebild.present import fmt, maps

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
KEY_FAULT_SEEN = "_bestand_gestoert"  # a run showed the store's fault page instead of the page
KEY_RESUMED = "_fortgesetzt"  # widget keys the browser sent with the first run of a session resumed elsewhere
PROFILE_PAGE = "kreis"
KEY_PROFILE = "profil_kreis"


def _query_params() -> dict[str, list[str]]:
    names = (*selection_codec.PARAMS, params.P_PICKED, *(p.name for page in params.PAGES.values() for p in page.params))
    return {name: st.query_params.get_all(name) for name in names}


def sent_by_browser() -> dict[str, Any]:
    """The widget values the browser sent with this run, by widget key, as sent (a select box's label, a number).

    Work-around: when the replica holding a session dies, the browser reconnects to another one (deploy/cluster.py),
    where the session is new. Streamlit keeps the browser's widget values but fires no callback for widgets the new
    session has not drawn, and the address would overwrite them. Only meaningful in a session's first run.
    """
    ctx = get_script_run_ctx()
    if ctx is None:
        return {}
    sent: dict[str, Any] = {}
    for widget_id, widget in ctx.session_state._state._new_widget_state.states.items():  # noqa: SLF001
        if not isinstance(widget, Serialized) or not widget_id.startswith("$$ID-") or widget_id.count("-") < 2:
            continue
        kind = widget.value.WhichOneof("value")
        if kind is not None:
            sent[widget_id.split("-", 2)[2]] = getattr(widget.value, kind)
    return sent


def resumed(key: str) -> bool:
    """Whether this is the first run of a session resumed on another replica, with the browser's value for `key`:
    then the browser's value stands, and nothing may seed the widget."""
    return key in st.session_state.get(KEY_RESUMED, ())


def read_address(stands: list[date], page_path: str) -> None:
    """Once per session: the address (bookmark, deep link) sets the widgets; problems become notices.

    A session resumed on another replica keeps what the browser shows and sent (see `sent_by_browser`).
    """
    if st.session_state.get(KEY_DECODED):
        st.session_state.pop(KEY_RESUMED, None)
        return
    st.session_state[KEY_DECODED] = True
    sent = sent_by_browser()
    st.session_state[KEY_RESUMED] = frozenset(sent)

    def seed(key: str, value: object) -> None:
        if key not in sent:
            st.session_state[key] = value

    query = _query_params()
    regs = regions()
    decoded = selection_codec.decode(query, regs)
    sel = decoded.selection
    notices = list(decoded.notices)
    seed(KEY_RB, list(sel.rbs))
    seed(KEY_KREISE, list(sel.kreise))
    seed(KEY_KIND, sel.kind)
    if sel.stand is not None:
        earlier = [d for d in stands if d <= sel.stand]
        if earlier:
            seed(KEY_STAND, earlier[-1])
            if earlier[-1] != sel.stand:
                notices.append(
                    f"Für den {fmt.day(sel.stand)} gibt es keinen Stand; gezeigt wird der {fmt.day(earlier[-1])}."
                )
        else:
            notices.append(f"Vor dem {fmt.day(sel.stand)} gibt es keine Daten; gezeigt wird der neueste Stand.")
    seed(KEY_TARGET, sel.target if sel.target is not None else settings.target_ratio())
    seed(KEY_COST, fmt.number(sel.cost if sel.cost is not None else settings.cost_per_fte()))
    picked, problem = selection_codec.decode_kreis(query.get(params.P_PICKED, []), regs)
    # The profile's picker the browser shows is the Kreis last chosen; its callback did not run on this replica.
    shown = [key for key in regs.kreis_keys if regs.display_name(key) == sent.get(KEY_PROFILE)]
    st.session_state[KEY_PICKED] = shown[0] if shown else picked
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
        if st.session_state.get(key, object()) != value and not resumed(key):
            st.session_state[key] = value
    kept.update(values)
    return values


def compare_stands(stands: list[date], inputs: dict) -> dict:
    """The Vergleich's two Stände made real: a date from the address or the last visit snaps to a Stand of the
    data (with a notice when it moved); none given means the newest Stand and the one a year before."""
    default_before, default_after = compare.default_pair(stands)
    values = dict(inputs)
    for spec, default in ((params.BEFORE, default_before), (params.AFTER, default_after)):
        wanted = values.get(spec.key)
        snapped = compare.snap(stands, wanted, default)
        if wanted is not None and snapped != wanted:
            st.session_state.setdefault(KEY_NOTICES, []).append(
                f"{spec.label}: für den {fmt.day(wanted)} gibt es keinen Stand; verglichen wird der {fmt.day(snapped)}."
            )
        values[spec.key] = snapped
        if st.session_state.get(spec.key) != snapped and not resumed(spec.key):
            st.session_state[spec.key] = snapped
    st.session_state.setdefault(KEY_KEPT, {}).update(values)
    return values


def selection_now(regs: Regions) -> Selection:
    return Selection(
        tuple(st.session_state.get(KEY_RB) or ()),
        tuple(st.session_state.get(KEY_KREISE) or ()),
        st.session_state.get(KEY_KIND) or KindFilter.ALL,
    )


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
    before its widgets are drawn. An amount typed as text comes as a number, None when empty or no amount."""
    spec = params.PAGES[page_path]
    return {
        p.key: p.amount(st.session_state.get(p.key)) if isinstance(p, params.Amount) else st.session_state.get(p.key)
        for p in spec.params
    }


GENERATED = ":erzeugt"  # coordinate suffix under which a session holds the file its download button generated


def keep_generated_downloads() -> None:
    """A file built on click (st.download_button with a callable; streamlit #12942, since 1.52) is stored
    without any session referring to it. Every script run of *any* session ends with a sweep that marks such
    files and deletes them at the next sweep, so with a few busy sessions the file is gone before the browser
    fetches it and the download ends as "abgebrochen" (3 of 20 PNGs in `make loadtest`). Here the file is
    held by the clicking session, at its button's place, until that session's next run: the same life as a
    file given to the button directly. Installed once per process; idempotent.
    """
    original = MediaFileManager.execute_deferred
    if getattr(original, "_lagebild", False):
        return

    @functools.wraps(original)
    def execute_deferred(self: MediaFileManager, file_id: str) -> str:
        with self._lock:
            entry = self._deferred_callables.get(file_id)
        url = original(self, file_id)
        generated = url.rsplit("/", 1)[-1].split(".", 1)[0]
        if entry is not None:
            with self._lock:
                if generated in self._file_metadata:
                    self._files_by_session_and_coord[entry["session_id"]][entry["coordinates"] + GENERATED] = generated
        return url

    execute_deferred._lagebild = True  # type: ignore[attr-defined]
    MediaFileManager.execute_deferred = execute_deferred  # type: ignore[method-assign]

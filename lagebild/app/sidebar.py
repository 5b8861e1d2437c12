"""The shared sidebar that app.py draws before every page: data, Stand, region filter, assumptions."""

from __future__ import annotations

import streamlit as st

from lagebild import geometry, params, settings
from lagebild.app import cache, state, widgets
from lagebild.app.context import Context
from lagebild.app.state import KEY_CONTEXT, KEY_COST, KEY_KIND, KEY_KREISE, KEY_RB, KEY_STAND, KEY_TARGET, PROFILE_PAGE
from lagebild.domain import analysis
from lagebild.domain.regions import regions
from lagebild.domain.selection import KindFilter, Selection
from lagebild.present import fmt, glossary, palette, text
from lagebild.settings import Thresholds

# Key figures wrap rather than truncate, so a value is readable from 1024 px up; the profile
# link on the detail card looks like the primary button it replaces.
PAGE_CSS = (
    "[data-testid='stMainBlockContainer']{padding-top:1.5rem}"
    "[data-testid='stMetricValue']{font-size:clamp(1.25rem,1.9vw,1.7rem)}"
    "[data-testid='stMetricValue'],[data-testid='stMetricValue'] *{white-space:normal !important;"
    "overflow:visible !important;text-overflow:clip !important;line-height:1.15}"
    "[data-testid='stMetricLabel'] p{white-space:normal !important;overflow-wrap:normal;word-break:normal;"
    "font-size:0.8rem}"
    # Rows of cards wrap to two a row where four would not fit (tablets, narrow windows).
    "[data-testid='stHorizontalBlock']:has(> [data-testid='stColumn'] [data-testid='stMetric']){flex-wrap:wrap}"
    "[data-testid='stHorizontalBlock']:has(> [data-testid='stColumn'] [data-testid='stMetric'])"
    " > [data-testid='stColumn']{min-width:11.5rem}"
    ".st-key-top5 button{justify-content:flex-start;text-align:left;min-height:0;padding:0}"
    ".st-key-top5 button p{font-size:0.92rem;line-height:1.3}"
    ".st-key-top5{gap:0.15rem;padding-top:0.6rem;padding-bottom:0.6rem}"
    ".st-key-profil_oeffnen a{background:" + palette.PRIMARY + ";border-radius:0.5rem;padding:0.35rem 0.9rem}"
    ".st-key-profil_oeffnen a p,.st-key-profil_oeffnen a span{color:#fff !important}"
)


COST_RANGE = settings.COST_RANGE
KEY_COST_VALID = "_kosten_gueltig"


def _regroup_cost() -> None:
    """A typed amount is written back with thousands separators: 64000 reads 64.000 once entered."""
    value = fmt.parse(st.session_state.get(KEY_COST) or "")
    if value is not None and COST_RANGE[0] <= value <= COST_RANGE[1]:
        st.session_state[KEY_COST] = fmt.number(value)
        st.session_state[KEY_COST_VALID] = value


def _cost_input() -> float:
    """Kosten je VZÄ in German notation (st.number_input cannot group thousands); a wrong entry says why and
    changes nothing: the last valid amount stays in force."""
    st.text_input(
        "Kosten je VZÄ und Jahr (€)",
        key=KEY_COST,
        on_change=_regroup_cost,
        help=f"Zwischen {fmt.number(COST_RANGE[0])} und {fmt.number(COST_RANGE[1])} €, z. B. 64.000. "
        "Standard: der obere Fördersatz.",
    )
    typed = (st.session_state.get(KEY_COST) or "").strip()
    value = fmt.parse(typed)
    last = st.session_state.get(KEY_COST_VALID, settings.cost_per_fte())
    if value is None or not COST_RANGE[0] <= value <= COST_RANGE[1]:
        st.error(
            f"Kosten je VZÄ „{text.markdown(typed)}“: bitte einen Betrag zwischen {fmt.number(COST_RANGE[0])} und "
            f"{fmt.number(COST_RANGE[1])} € eingeben. Gerechnet wird weiter mit {fmt.number(last)} €."
        )
        return float(last)
    st.session_state[KEY_COST_VALID] = value
    return float(value)


def frame(page_path: str) -> Context | None:
    """The shared sidebar, run by app.py before every page: data, Stand, region filter, assumptions.

    `page_path` is the page's url_path: the page whose inputs the address carries.

    None when the store is empty. Pages read the result through context().
    """
    regs = regions()
    st.html(f"<style>{PAGE_CSS}</style>")
    url = settings.database_url()
    store = cache.get_store(url)
    revision = store.revision()
    obs = cache.observations(url, revision)
    st.session_state[KEY_CONTEXT] = None
    with st.sidebar:
        if obs.empty:
            st.warning("Der Datenbestand ist leer. Beispieldaten laden mit `python -m lagebild demo`.")
            return None
        stands = analysis.stand_dates(obs)
        state.read_address(stands, page_path)
        inputs = state.keep_page_inputs(page_path)
        if page_path == params.COMPARE_PAGE:
            inputs = state.compare_stands(stands, inputs)
        if page_path == PROFILE_PAGE:
            state.profile_kreis(regs)
        st.markdown("**Region**")
        rbs = st.multiselect(
            "Regierungsbezirk",
            [rb.key for rb in regs.regierungsbezirke],
            key=KEY_RB,
            format_func=lambda k: regs[k].name,
            placeholder="alle Regierungsbezirke",
            on_change=state.filter_changed,
        )
        kreise = st.multiselect(
            "Kreise",
            regs.kreis_keys,
            key=KEY_KREISE,
            format_func=regs.display_name,
            placeholder="alle Kreise",
            on_change=state.filter_changed,
        )
        kind = st.segmented_control(
            "Kreistyp", list(KindFilter), key=KEY_KIND, format_func=lambda k: k.label, on_change=state.filter_changed
        )
        st.divider()
        as_of = st.selectbox(
            "Stand",
            options=stands[::-1],
            format_func=fmt.day,
            key=KEY_STAND,
            help=glossary.term("stand").definition
            + (" Der Vergleich wählt seine beiden Stände auf der Seite." if page_path == params.COMPARE_PAGE else ""),
            # The comparison has two Stände of its own; a third here would only mislead.
            disabled=page_path == params.COMPARE_PAGE,
        )
        target = st.number_input(
            "Zielwert (Geflüchtete je VZÄ)",
            min_value=settings.TARGET_RANGE[0],
            max_value=settings.TARGET_RANGE[1],
            step=5.0,
            format="%.0f",
            key=KEY_TARGET,
            help=glossary.tip(
                "target",
                tail=f"Über dem {fmt.number(settings.DEFAULT_ELEVATED_FACTOR, 2)}-Fachen gilt er als kritisch.",
            ),
        )
        cost = _cost_input()
        is_demo = bool(obs["is_demo"].any())
        if is_demo:
            st.error(
                f"**{settings.DEMO_LABEL}.** Alle Zahlen sind erzeugt und dienen nur der Vorführung.",
                icon=widgets.DEMO_ICON,
            )
        # The same cached table the pages read: its population columns say which count each rate uses.
        today_target = float(target if target is not None else settings.target_ratio())
        table = cache.kreis_table(url, revision, as_of, today_target, settings.DEFAULT_ELEVATED_FACTOR, float(cost), 3)
        population = glossary.population_bases(table)
        st.caption(f"Quoten je Einwohner: {population}. Grenzen: {geometry.meta().attribution}.")
    target = float(target if target is not None else settings.target_ratio())
    cost = float(cost)
    sel = Selection(tuple(rbs), tuple(kreise), kind or KindFilter.ALL, as_of, target, cost)
    state.write_address(sel, stands[-1], page_path, inputs)
    keys = sel.kreis_keys(regs)
    idx = stands.index(as_of)
    ctx = Context(
        url,
        revision,
        obs,
        stands,
        as_of,
        stands[idx - 1] if idx > 0 else None,
        Thresholds(target, settings.DEFAULT_ELEVATED_FACTOR),
        cost,
        is_demo,
        sel,
        keys,
    )
    st.session_state[KEY_CONTEXT] = ctx
    return ctx


def context() -> Context | None:
    """The Context that app.py built for this run."""
    state.leave_pages_directory_mode()
    return st.session_state.get(KEY_CONTEXT)

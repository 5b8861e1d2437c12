"""Who is using the app: the principal every write is done in the name of, and, without sign-in, the role chooser.

Without `[auth]` in .streamlit/secrets.toml the app runs as "Einzelplatz – ohne Anmeldung": a banner on every page
says so, and the sidebar lets whoever sits at the machine view the app as each role. The store enforces the role on
every write either way; the page only leaves out what a role may not do.
"""

from __future__ import annotations

import streamlit as st

from lagebild import settings
from lagebild.app import cache
from lagebild.domain.access import Principal, Role
from lagebild.domain.regions import regions
from lagebild.store import ROLE_CHANGE, StoreUnavailable, WriteFailed, current_user
from lagebild.views import access as views

KEY_PRINCIPAL = "_angemeldet"
KEY_ROLE = "ansicht_rolle"
KEY_KREIS = "ansicht_kreis"
# Opens as the data office, the role that may do everything the Daten page offers except the audit trail.
DEFAULT_ROLE = Role.DATA_OFFICE


def single_seat(role: Role = DEFAULT_ROLE, kreise: tuple[str, ...] = ()) -> Principal:
    """Einzelplatz – ohne Anmeldung: the machine's login user, in the role chosen in the sidebar."""
    return Principal(f"Einzelplatz (Benutzer {current_user() or 'unbekannt'})", role, kreise)


def _chosen() -> Principal:
    role = Role(st.session_state.get(KEY_ROLE) or DEFAULT_ROLE)
    kreis = st.session_state.get(KEY_KREIS) or regions().kreis_keys[0]
    return single_seat(role, (kreis,) if role is Role.COORDINATION else ())


def _role_changed() -> None:
    """Logs the new view in the audit trail; runs before the script, so the page already shows the new role."""
    chosen = _chosen()
    st.session_state[KEY_PRINCIPAL] = chosen
    try:
        cache.get_store(settings.database_url()).record(chosen, ROLE_CHANGE, views.role_change(chosen))
    except (WriteFailed, StoreUnavailable):
        pass  # an unwritable store shows its own message on the page; the view changes all the same


def frame() -> Principal:
    """The banner and the sidebar's "Ansicht als", run by app.py before every page; returns who is acting."""
    st.warning(views.SINGLE_SEAT_BANNER, icon=":material/person_off:")
    regs = regions()
    with st.sidebar:
        st.selectbox(
            "Ansicht als",
            list(Role),
            index=list(Role).index(DEFAULT_ROLE),
            key=KEY_ROLE,
            format_func=lambda r: r.label,
            on_change=_role_changed,
            help=views.ROLE_HELP,
        )
        if Role(st.session_state.get(KEY_ROLE) or DEFAULT_ROLE) is Role.COORDINATION:
            st.selectbox(
                "Kreis der Koordination",
                regs.kreis_keys,
                key=KEY_KREIS,
                format_func=regs.display_name,
                on_change=_role_changed,
            )
        st.divider()
    st.session_state[KEY_PRINCIPAL] = chosen = _chosen()
    return chosen


def principal() -> Principal:
    """The principal of this session, as app.py found it for this run."""
    found = st.session_state.get(KEY_PRINCIPAL)
    return found if isinstance(found, Principal) else single_seat()

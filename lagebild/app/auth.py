"""Who is using the app: the principal every write is done in the name of."""

from __future__ import annotations

import streamlit as st

from lagebild.domain.access import Principal, Role
from lagebild.store import current_user

KEY_PRINCIPAL = "_angemeldet"


def single_seat(role: Role = Role.DATA_OFFICE, kreise: tuple[str, ...] = ()) -> Principal:
    """Einzelplatz – ohne Anmeldung: the machine's login user, in the role chosen in the sidebar."""
    return Principal(f"Einzelplatz (Benutzer {current_user() or 'unbekannt'})", role, kreise)


def principal() -> Principal:
    """The principal of this session."""
    found = st.session_state.get(KEY_PRINCIPAL)
    return found if isinstance(found, Principal) else single_seat()

"""Who is using the app: the principal every write is done in the name of, and, without sign-in, the role chooser.

Without `[auth]` in .streamlit/secrets.toml the app runs as "Einzelplatz – ohne Anmeldung": a banner on every page
says so, and the sidebar lets whoever sits at the machine view the app as each role. The store enforces the role on
every write either way; the page only leaves out what a role may not do.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from lagebild import params, settings, sign_in
from lagebild.app import cache
from lagebild.domain.access import Principal, Role
from lagebild.domain.regions import regions
from lagebild.store import DONE, REFUSED, ROLE_CHANGE, SIGN_IN, SIGN_OUT, StoreUnavailable, WriteFailed, current_user
from lagebild.views import access as views

KEY_PRINCIPAL = "_angemeldet"
KEY_SIGNED_IN = "_anmeldung_protokolliert"  # the sign-in of this session is in the audit trail
KEY_PROFILE_FIRST = "_profil_zuerst"  # a Koordination's Kreis, whose profile the first page of a session shows
PROFILE_FILE = "pages/kreis.py"
KEY_ROLE = "ansicht_rolle"
KEY_KREIS = "ansicht_kreis"
# Opens as the data office, the role that may do everything the Daten page offers except the audit trail.
DEFAULT_ROLE = Role.DATA_OFFICE
SELECTABLE: list[Role] = [r for r in Role if r is not Role.NONE]


def single_seat(role: Role = DEFAULT_ROLE, kreise: tuple[str, ...] = ()) -> Principal:
    """Einzelplatz – ohne Anmeldung: the machine's login user, in the role chosen in the sidebar."""
    return Principal(f"Einzelplatz (Benutzer {current_user() or 'unbekannt'})", role, kreise)


def _chosen() -> Principal:
    role = Role(st.session_state.get(KEY_ROLE) or DEFAULT_ROLE)
    kreis = st.session_state.get(KEY_KREIS) or regions().kreis_keys[0]
    return single_seat(role, (kreis,) if role is Role.COORDINATION else ())


def _record(who: Principal, action: str, subject: str | None, outcome: str = DONE) -> None:
    try:
        cache.get_store(settings.database_url()).record(who, action, subject, outcome)
    except (WriteFailed, StoreUnavailable):
        pass  # an unwritable store shows its own message on the page; signing in and viewing go on


def _role_changed() -> None:
    """Logs the new view in the audit trail; runs before the script, so the page already shows the new role."""
    chosen = _chosen()
    st.session_state[KEY_PRINCIPAL] = chosen
    _record(chosen, ROLE_CHANGE, views.role_change(chosen))


def oidc_settings() -> Mapping[str, object] | None:
    """The [auth] section of .streamlit/secrets.toml, or None: then the app runs as Einzelplatz."""
    try:
        found = st.secrets.get("auth")
    except (StreamlitSecretNotFoundError, FileNotFoundError):
        return None
    return found if isinstance(found, Mapping) else None


def gate() -> None:
    """Run by app.py before the navigation: with [auth], whoever is not signed in with a role sees one page that
    says why (placeholder secrets, sign-in, no access), without the pages' names, and the run stops there."""
    if (auth := oidc_settings()) is not None:
        st.session_state[KEY_PRINCIPAL] = signed_in(auth)


def frame() -> Principal:
    """Who is acting, shown by app.py before every page: the signed-in person with "Abmelden" in the sidebar, or
    without [auth] the Einzelplatz banner and the sidebar's "Ansicht als"."""
    if oidc_settings() is None:
        return single_seat_frame()
    who = principal()
    with st.sidebar:
        st.markdown(views.signed_in(who))
        st.button("Abmelden", key="abmelden", icon=":material/logout:", on_click=_sign_out, args=(who,))
        st.divider()
    return who


def _sign_out(who: Principal) -> None:
    _record(who, SIGN_OUT, None)
    st.session_state.pop(KEY_SIGNED_IN, None)
    st.logout()


def signed_in(auth: Mapping[str, object]) -> Principal:
    """Refuses to run on placeholder secrets; asks to sign in; turns away who has no role; else names who is in."""
    problems = sign_in.settings_problems(auth)
    try:
        mapping = sign_in.load_mapping(settings.roles_file())
    except sign_in.MappingInvalid as exc:
        problems.append(str(exc))
    if problems:
        st.title(views.SETTINGS_TITLE)
        st.error(views.settings_refused(problems), icon=":material/lock:")
        st.stop()
    if not st.user.get("is_logged_in"):  # AppTest leaves the key out; the server sets it
        st.title(views.SIGN_IN_TITLE)
        st.markdown(views.SIGN_IN_TEXT)
        st.button("Anmelden", key="anmelden", type="primary", icon=":material/login:", on_click=st.login)
        st.stop()
    claims = st.user.to_dict()
    who = sign_in.principal_from_claims(claims, mapping)
    if who is None:
        stranger = Principal(str(claims.get("name") or claims.get("email") or claims.get("sub")), Role.NONE)
        if not st.session_state.get(KEY_SIGNED_IN):
            _record(stranger, SIGN_IN, views.NO_ACCESS_SUBJECT, REFUSED)
            st.session_state[KEY_SIGNED_IN] = True
        st.title(views.NO_ACCESS_TITLE)
        st.markdown(views.no_access(stranger.name, mapping.contact))
        st.button("Abmelden", key="abmelden", icon=":material/logout:", on_click=st.logout)
        st.stop()
    if not st.session_state.get(KEY_SIGNED_IN):
        _record_sign_in(who)
        st.session_state[KEY_SIGNED_IN] = True
        if who.role is Role.COORDINATION:
            st.session_state[KEY_PROFILE_FIRST] = who.kreise[0]
    return who


def open_first(page_path: str) -> None:
    """A Koordination lands on its own Kreisprofil after signing in, once; an address it followed wins."""
    kreis = st.session_state.pop(KEY_PROFILE_FIRST, None)
    if kreis is not None and page_path == "":
        st.switch_page(PROFILE_FILE, query_params={params.P_PICKED: kreis})  # as a deep link to it would


def _record_sign_in(who: Principal) -> None:
    """The sign-in, and before it a role change when the identity provider's groups now give another role."""
    try:
        before = cache.get_store(settings.database_url()).last_role(who.name)
    except (StoreUnavailable, sa.exc.SQLAlchemyError):
        before = None
    if before is not None and before != who.role_label:
        _record(who, ROLE_CHANGE, views.assigned(before, who))
    _record(who, SIGN_IN, who.role_label)


def single_seat_frame() -> Principal:
    """The Einzelplatz banner and the sidebar's "Ansicht als"."""
    st.warning(views.SINGLE_SEAT_BANNER, icon=":material/person_off:")
    regs = regions()
    with st.sidebar:
        st.selectbox(
            "Ansicht als",
            SELECTABLE,
            index=SELECTABLE.index(DEFAULT_ROLE),
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
    """The principal of this session, as app.py found it for this run; nobody with any right if it found none."""
    found = st.session_state.get(KEY_PRINCIPAL)
    return found if isinstance(found, Principal) else Principal("unbekannt", Role.NONE)

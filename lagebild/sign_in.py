"""Sign-in through OIDC: the checks of the [auth] settings and the group → role mapping, and who a token's claims are.

Streamlit's st.login does the OIDC flow (Authlib); this module decides, without Streamlit, whether the settings may
be used and which Principal a signed-in person is.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from lagebild.domain.access import ROLE_LABELS, Principal, Role
from lagebild.domain.regions import regions

REQUIRED = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
# Values copied from documentation that must never protect a real installation.
PLACEHOLDERS = ("xxx", "changeme", "change-me", "change_me", "secret", "geheim", "ändern", "aendern", "todo", "example")
MIN_COOKIE_SECRET = 32
# Several groups may apply to one person: the role that may do most wins, Koordination gathers the Kreise of all.
PRECEDENCE = [Role.ADMINISTRATION, Role.DATA_OFFICE, Role.COORDINATION, Role.LEADERSHIP, Role.PRESS]
ROLE_BY_LABEL = {label: role for role, label in ROLE_LABELS.items() if role is not Role.NONE}


@dataclass(frozen=True)
class Grant:
    role: Role
    kreise: tuple[str, ...] = ()


@dataclass(frozen=True)
class RoleMapping:
    """What the mapping file says: the claim that carries the groups, each group's role, and whom to ask."""

    claim: str
    groups: Mapping[str, Grant]
    contact: str


class MappingInvalid(Exception):
    """The mapping file cannot be used; the message is German and names the file and the entry."""


def load_mapping(path: Path) -> RoleMapping:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MappingInvalid(f"Die Rollenzuordnung {path} fehlt (Vorlage: deploy/rollen.beispiel.toml).") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise MappingInvalid(f"Die Rollenzuordnung {path} ist nicht lesbar: {exc}") from None
    contact = str(data.get("kontakt", "")).strip()
    if not contact:
        raise MappingInvalid(f"Die Rollenzuordnung {path} nennt unter „kontakt“ niemanden, der Zugang gewährt.")
    groups = {}
    kreis_keys = set(regions().kreis_keys)
    for group, entry in dict(data.get("gruppen", {})).items():
        label = str(entry.get("rolle", "")) if isinstance(entry, dict) else ""
        if label not in ROLE_BY_LABEL:
            raise MappingInvalid(
                f"Rollenzuordnung {path}, Gruppe „{group}“: Rolle „{label}“ unbekannt; erlaubt sind "
                f"{', '.join(ROLE_BY_LABEL)}."
            )
        kreise = tuple(str(k) for k in entry.get("kreise", []))
        if unknown := [k for k in kreise if k not in kreis_keys]:
            raise MappingInvalid(
                f"Rollenzuordnung {path}, Gruppe „{group}“: unbekannte Kreisschlüssel {', '.join(unknown)}."
            )
        if ROLE_BY_LABEL[label] is Role.COORDINATION and not kreise:
            raise MappingInvalid(f"Rollenzuordnung {path}, Gruppe „{group}“: Koordination ohne „kreise“.")
        groups[str(group)] = Grant(ROLE_BY_LABEL[label], kreise)
    return RoleMapping(str(data.get("anspruch", "groups")), groups, contact)


def settings_problems(auth: Mapping[str, object]) -> list[str]:
    """What keeps the [auth] settings from being used, in German; empty when they may be used."""
    problems = [f"„{key}“ fehlt." for key in REQUIRED if not str(auth.get(key, "")).strip()]
    for key in ("cookie_secret", "client_secret"):
        value = str(auth.get(key, "")).strip()
        if value and any(p in value.lower() for p in PLACEHOLDERS):
            problems.append(f"„{key}“ ist ein Platzhalter aus einer Vorlage, kein Geheimnis.")
    cookie = str(auth.get("cookie_secret", "")).strip()
    if cookie and len(cookie) < MIN_COOKIE_SECRET:
        problems.append(
            f"„cookie_secret“ hat {len(cookie)} Zeichen, nötig sind mindestens {MIN_COOKIE_SECRET} "
            "(z. B. python -c 'import secrets; print(secrets.token_urlsafe(48))')."
        )
    return problems


def principal_from_claims(claims: Mapping[str, object], mapping: RoleMapping) -> Principal | None:
    """The signed-in person as a Principal, or None when none of their groups has a role here."""
    raw = claims.get(mapping.claim) or []
    groups = [raw] if isinstance(raw, str) else [str(g) for g in raw] if isinstance(raw, list) else []
    grants = [mapping.groups[g] for g in groups if g in mapping.groups]
    if not grants:
        return None
    role = min((g.role for g in grants), key=PRECEDENCE.index)
    kreise = tuple(sorted({k for g in grants if g.role is Role.COORDINATION for k in g.kreise}))
    name = next((str(claims[k]) for k in ("name", "email", "sub") if claims.get(k)), "unbekannt")
    return Principal(name, role, kreise if role is Role.COORDINATION else ())

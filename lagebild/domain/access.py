"""Who may do what: roles, the signed-in principal and the one rule the store enforces on every write."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from lagebild.domain.regions import regions


class Role(str, Enum):
    LEADERSHIP = "leadership"
    PRESS = "press"
    COORDINATION = "coordination"
    DATA_OFFICE = "data_office"
    ADMINISTRATION = "administration"
    NONE = "none"  # signed in, but no group of theirs has a role here: only the audit trail names it

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.LEADERSHIP: "Leitung",
    Role.PRESS: "Pressestelle",
    Role.COORDINATION: "Koordination",
    Role.DATA_OFFICE: "Datenstelle",
    Role.ADMINISTRATION: "Administration",
    Role.NONE: "ohne Rolle",
}


class Action(str, Enum):
    READ = "read"
    EXPORT = "export"
    IMPORT = "import"
    ROLLBACK = "rollback"
    AUDIT = "audit"  # read and download the audit trail
    ASSIGN_ROLES = "assign_roles"


# Roles that may change figures of any Kreis, and of the Land and its Regierungsbezirke (official statistics).
WRITE_ANY_KREIS = frozenset({Role.DATA_OFFICE, Role.ADMINISTRATION})
# Coordination writes only the figures of its own Kreise (and their Gemeinden).
WRITE_OWN_KREIS = frozenset({Role.COORDINATION})
ADMINISTRATION_ONLY = frozenset({Action.AUDIT, Action.ASSIGN_ROLES})
WRITES = frozenset({Action.IMPORT, Action.ROLLBACK})


@dataclass(frozen=True)
class Principal:
    """Who acts: a name for the history and the audit trail, a role, and for Koordination the keys of its Kreise."""

    name: str
    role: Role
    kreise: tuple[str, ...] = ()

    @property
    def role_label(self) -> str:
        """The role as the screen names it, Koordination with its Kreise: "Koordination Böblingen"."""
        if self.role is not Role.COORDINATION:
            return self.role.label
        regs = regions()
        return f"{self.role.label} {', '.join(regs.display_name(k) for k in self.kreise) or '(ohne Kreis)'}"


def kreis_of(region_key: str) -> str:
    """The Kreis a key belongs to: a Gemeinde (8 digits) to its first five, a Kreis to itself; Land and
    Regierungsbezirk keys (2 and 3 digits) stay as they are and so belong to no Kreis."""
    return region_key[:5] if len(region_key) >= 5 else region_key


def may(principal: Principal, action: Action, kreis: str | None = None) -> bool:
    """Whether the principal may do the action; for imports and rollbacks on the given Kreis, or (kreis None) on
    any Kreis at all, which is what decides whether the page offers the action."""
    if principal.role is Role.NONE:
        return False
    if action in (Action.READ, Action.EXPORT):
        return True
    if action in ADMINISTRATION_ONLY:
        return principal.role is Role.ADMINISTRATION
    if principal.role in WRITE_ANY_KREIS:
        return True
    if principal.role in WRITE_OWN_KREIS:
        return bool(principal.kreise) if kreis is None else kreis_of(kreis) in principal.kreise
    return False


def foreign_regions(principal: Principal, region_keys: Iterable[str]) -> list[str]:
    """The Kreise (or Land/RB keys) among the regions that the principal may not write, sorted, each once."""
    return sorted({kreis_of(k) for k in region_keys if not may(principal, Action.IMPORT, k)})


VERBS = {Action.IMPORT: "übernehmen", Action.ROLLBACK: "zurücknehmen"}


class AccessDenied(Exception):
    """An action the principal's role does not allow; the message is German and names what and why."""


def refusal(principal: Principal, action: Action, region_keys: Iterable[str], what: str) -> AccessDenied | None:
    """None when the principal may do the action on all these regions, else the refusal to raise."""
    verb = VERBS.get(action, action.value)
    if not may(principal, action):
        return AccessDenied(
            f"Nicht erlaubt: Die Rolle {principal.role_label} darf keine Daten {verb} ({what}). Importe und "
            "Rücknahmen sind der Datenstelle, der Administration und der Koordination eines Kreises (für ihren "
            "Kreis) vorbehalten. Der Datenbestand ist unverändert."
        )
    foreign = foreign_regions(principal, region_keys)
    if not foreign:
        return None
    regs = regions()
    named = [f"{k} {regs.display_name(k)}" if k in regs else k for k in foreign]
    shown = ", ".join(named[:10]) + (f" und {len(named) - 10} weitere" if len(named) > 10 else "")
    return AccessDenied(
        f"Nicht erlaubt: {what} enthält Zahlen für {len(foreign)} "
        f"{'Region' if len(foreign) == 1 else 'Regionen'} außerhalb Ihres Zuständigkeitsbereichs ({shown}). "
        f"Die Rolle {principal.role_label} darf nur Zahlen der eigenen Kreise {verb}; "
        f"{'die Datei wird deshalb ganz abgelehnt' if action is Action.IMPORT else 'die Rücknahme ist deshalb nicht möglich'}. "
        "Der Datenbestand ist unverändert. Zahlen anderer Kreise übernimmt die Datenstelle."
    )


# How the command line is logged: it acts as the Datenstelle, in the name of the user logged in on the machine.
COMMAND_LINE = "Kommandozeile"


def command_line(os_user: str | None) -> Principal:
    return Principal(f"{COMMAND_LINE} (Benutzer {os_user or 'unbekannt'})", Role.DATA_OFFICE)

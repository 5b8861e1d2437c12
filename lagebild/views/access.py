"""Roles as the pages say them: the Einzelplatz banner, what a role may do, the audit trail as a table."""

from __future__ import annotations

import pandas as pd

from lagebild.domain.access import Action, Principal, Role, may, refusal
from lagebild.domain.regions import regions
from lagebild.present import text
from lagebild.store import DONE, REFUSED, ROLE_CHANGE, SIGN_IN, SIGN_OUT, file_subject

SINGLE_SEAT_BANNER = (
    "**Einzelplatz – ohne Anmeldung.** Wer an diesem Rechner sitzt, kann links unter „Ansicht als“ jede Rolle "
    "wählen. Zum Ausprobieren und für einen Arbeitsplatz; für mehrere Personen bitte die Anmeldung einrichten "
    "(README „Betrieb mit Anmeldung“)."
)
ROLE_HELP = (
    "Leitung und Pressestelle lesen und exportieren. Die Koordination übernimmt und nimmt Zahlen ihres Kreises "
    "zurück, die Datenstelle die aller Kreise und die amtliche Statistik. Die Administration darf alles und sieht "
    "das Protokoll."
)
ROLE_DUTIES = {
    Role.LEADERSHIP: "Sie lesen und exportieren; Daten übernehmen die Datenstelle und die Koordination der Kreise.",
    Role.PRESS: "Sie lesen und exportieren; Daten übernehmen die Datenstelle und die Koordination der Kreise.",
    Role.DATA_OFFICE: "Sie übernehmen Zahlen aller Kreise und die amtliche Statistik und nehmen Importe zurück.",
    Role.ADMINISTRATION: "Sie übernehmen Zahlen aller Kreise, nehmen Importe zurück und sehen das Protokoll.",
}
ACTION_LABELS = {
    Action.IMPORT.value: "Import",
    Action.ROLLBACK.value: "Rücknahme",
    SIGN_IN: "Anmeldung",
    SIGN_OUT: "Abmeldung",
    ROLE_CHANGE: "Rollenwechsel",
}
OUTCOME_LABELS = {DONE: "ausgeführt", REFUSED: "abgelehnt"}
AUDIT_TITLE = "Protokoll"
AUDIT_INTRO = (
    "Jede Anmeldung, jeder Rollenwechsel, jeder Import und jede Rücknahme, auch jeder abgelehnte Versuch, mit Person, "
    "Rolle und Zeit. Das Protokoll wird nur ergänzt, nie geändert."
)
NO_AUDIT = "Noch keine Einträge im Protokoll."


SIGN_IN_TITLE = "Anmeldung"
SIGN_IN_TEXT = (
    "Das Lagebild Integrationsmanagement zeigt Zahlen erst nach der Anmeldung mit Ihrem Dienstkonto. "
    "„Anmelden“ führt zum Anmeldedienst und von dort hierher zurück."
)
NO_ACCESS_TITLE = "Kein Zugang"
NO_ACCESS_SUBJECT = "keine Rolle zugeordnet"
SETTINGS_TITLE = "Anmeldung nicht eingerichtet"


def no_access(name: str, contact: str) -> str:
    return (
        f"Sie sind als **{text.markdown(name)}** angemeldet, Ihrem Konto ist aber keine Rolle im Lagebild "
        f"zugeordnet. Zugang gewährt: **{text.markdown(contact)}**. Bitte nennen Sie dort Ihren Namen und "
        "Ihre Aufgabe (z. B. Koordination eines Kreises)."
    )


def signed_in(who: Principal) -> str:
    return f"Angemeldet: **{text.markdown(who.name)}**  \nRolle: {text.markdown(who.role_label)}"


def settings_refused(problems: list[str]) -> str:
    return (
        "Die App startet nicht: Die Anmeldung in `.streamlit/secrets.toml` (Abschnitt `[auth]`) oder die "
        "Rollenzuordnung ist nicht vollständig eingerichtet.\n\n"
        + "\n".join(f"- {text.markdown(p)}" for p in problems)
        + "\n\nBitte beheben und die App neu starten; README „Betrieb mit Anmeldung“. Ohne Abschnitt `[auth]` läuft "
        "die App als Einzelplatz ohne Anmeldung."
    )


def duties(who: Principal) -> str:
    """What the role may do with data, said where the upload would be."""
    if who.role is Role.COORDINATION:
        regs = regions()
        names = ", ".join(regs.display_name(k) for k in who.kreise)
        return (
            f"Als **{who.role_label}** übernehmen Sie Zahlen für {names} und nehmen deren Importe zurück. Eine "
            "Datei mit Zahlen anderer Kreise wird ganz abgelehnt."
        )
    return f"Als **{who.role_label}**: {ROLE_DUTIES[who.role]}"


def offers_import(who: Principal) -> bool:
    return may(who, Action.IMPORT)


def offers_rollback(who: Principal) -> bool:
    return may(who, Action.ROLLBACK)


def shows_audit(who: Principal) -> bool:
    return may(who, Action.AUDIT)


def import_refusal(who: Principal, rows: pd.DataFrame, file_name: str) -> str | None:
    """Said in the preview, before anyone clicks: the store would refuse this file for this role, and why."""
    denied = refusal(who, Action.IMPORT, rows["region"], file_subject(file_name))
    return None if denied is None else text.markdown(denied)


def assigned(before: str, who: Principal) -> str:
    """A role change that came with a sign-in: the groups at the identity provider were changed."""
    return f"{before} → {who.role_label} (Gruppen beim Anmeldedienst geändert)"


def role_change(who: Principal) -> str:
    return f"Ansicht als {who.role_label}"


AUDIT_COLUMNS = ["Nr.", "Zeit (UTC)", "Person", "Rolle", "Aktion", "Gegenstand", "Ergebnis", "SHA-256", "Begründung"]


def audit_table(trail: pd.DataFrame) -> pd.DataFrame:
    """The audit trail, newest first, in the words of the page and of its CSV and XLSX."""
    rows = [
        [
            int(r.id),
            f"{r.created_at:%d.%m.%Y %H:%M:%S}",
            r.user_name,
            r.role,
            ACTION_LABELS.get(r.action, r.action),
            r.subject if isinstance(r.subject, str) else "",
            OUTCOME_LABELS.get(r.outcome, r.outcome),
            r.sha256[:12] if isinstance(r.sha256, str) else "",
            r.detail if isinstance(r.detail, str) else "",
        ]
        for r in trail.itertuples()
    ]
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS)

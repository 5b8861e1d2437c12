"""Who may do what: one rule for every role and action, Koordination bounded by its own Kreise."""

import pytest

from lagebild.domain.access import Action, Principal, Role, command_line, foreign_regions, kreis_of, may, refusal

LEITUNG = Principal("Lea Leitung", Role.LEADERSHIP)
PRESSE = Principal("Paul Presse", Role.PRESS)
BOEBLINGEN = Principal("Kira Koordinatorin", Role.COORDINATION, ("08115",))
DATENSTELLE = Principal("Dana Daten", Role.DATA_OFFICE)
ADMIN = Principal("Adam Admin", Role.ADMINISTRATION)

# (principal, action, Kreis or None for "at all", allowed)
MATRIX = [
    *[
        (p, a, None, True)
        for p in (LEITUNG, PRESSE, BOEBLINGEN, DATENSTELLE, ADMIN)
        for a in (Action.READ, Action.EXPORT)
    ],
    *[(p, a, None, False) for p in (LEITUNG, PRESSE) for a in (Action.IMPORT, Action.ROLLBACK)],
    *[
        (p, a, k, True)
        for p in (DATENSTELLE, ADMIN)
        for a in (Action.IMPORT, Action.ROLLBACK)
        for k in ("08115", "08116", "08")
    ],
    *[(BOEBLINGEN, a, "08115", True) for a in (Action.IMPORT, Action.ROLLBACK)],
    *[(BOEBLINGEN, a, "08115001", True) for a in (Action.IMPORT, Action.ROLLBACK)],  # a Gemeinde of its Kreis
    *[(BOEBLINGEN, a, k, False) for a in (Action.IMPORT, Action.ROLLBACK) for k in ("08116", "08116004", "081", "08")],
    *[
        (p, a, None, p is ADMIN)
        for p in (LEITUNG, PRESSE, BOEBLINGEN, DATENSTELLE, ADMIN)
        for a in (Action.AUDIT, Action.ASSIGN_ROLES)
    ],
]


@pytest.mark.parametrize(("who", "action", "kreis", "allowed"), MATRIX)
def test_the_role_action_matrix(who, action, kreis, allowed):
    assert may(who, action, kreis) is allowed


def test_a_coordination_without_a_kreis_may_write_nothing():
    assert not may(Principal("Niemand", Role.COORDINATION), Action.IMPORT)


def test_a_gemeinde_belongs_to_its_kreis_and_land_and_rb_keys_to_none():
    assert [kreis_of(k) for k in ("08115001", "08115", "081", "08")] == ["08115", "08115", "081", "08"]


def test_the_foreign_regions_of_a_file_are_listed_once_each_by_kreis():
    keys = ["08115", "08115001", "08116", "08116004", "08125", "08"]
    assert foreign_regions(BOEBLINGEN, keys) == ["08", "08116", "08125"]


def test_a_refusal_of_foreign_kreise_names_each_with_its_name_and_says_nothing_changed():
    denied = refusal(BOEBLINGEN, Action.IMPORT, ["08115", "08116", "08125"], "Datei „vzae.csv“")
    assert denied is not None
    message = str(denied)
    assert "08116 Esslingen" in message and "08125 Heilbronn (Landkreis)" in message
    assert "Koordination Böblingen" in message and "ganz abgelehnt" in message and "unverändert" in message


def test_a_read_only_role_is_refused_whatever_the_regions():
    denied = refusal(PRESSE, Action.ROLLBACK, ["08115"], "Import Nr. 3 (a.csv)")
    assert denied is not None and "Die Rolle Pressestelle darf keine Daten zurücknehmen" in str(denied)


def test_nothing_is_refused_within_the_own_kreise():
    assert refusal(BOEBLINGEN, Action.IMPORT, ["08115", "08115001"], "Datei") is None


def test_the_command_line_acts_as_datenstelle_in_the_name_of_the_machine_login():
    cli = command_line("mmuster")
    assert cli.role is Role.DATA_OFFICE and cli.name == "Kommandozeile (Benutzer mmuster)"

"""Sign-in settings and the group → role mapping: placeholders refused, claims turned into the right Principal."""

from pathlib import Path

import pytest

from lagebild import sign_in
from lagebild.domain.access import Role

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "deploy" / "rollen.beispiel.toml"
GOOD = {
    "redirect_uri": "https://lagebild.example.org/oauth2callback",
    "cookie_secret": "k3Qn8vXw2pLr7TzY5mB9cF1hJ6sD4gA0eU",
    "client_id": "lagebild",
    "client_secret": "Zr8wq1N4vL6pT2xK9mC3",
    "server_metadata_url": "https://login.example.org/.well-known/openid-configuration",
}


def test_complete_settings_with_real_secrets_may_be_used():
    assert sign_in.settings_problems(GOOD) == []


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("cookie_secret", "xxx", "„cookie_secret“ ist ein Platzhalter"),  # from Streamlit's documentation
        ("client_secret", "bitte-ÄNDERN-0123456789", "„client_secret“ ist ein Platzhalter"),
        ("cookie_secret", "kurz-aber-zufaellig-9x7", "„cookie_secret“ hat 23 Zeichen, nötig sind mindestens 32"),
        ("client_id", "", "„client_id“ fehlt."),
    ],
)
def test_placeholder_short_or_missing_secrets_are_refused_with_a_german_reason(key, value, problem):
    problems = sign_in.settings_problems(GOOD | {key: value})
    assert any(p.startswith(problem) for p in problems), problems


def test_the_example_mapping_is_valid_and_names_whom_to_ask():
    mapping = sign_in.load_mapping(EXAMPLE)
    assert mapping.claim == "groups" and "lagebild@example.org" in mapping.contact
    assert mapping.groups["lagebild-koordination-boeblingen"] == sign_in.Grant(Role.COORDINATION, ("08115",))


def test_a_mapping_with_an_unknown_role_names_the_file_and_the_group(tmp_path):
    path = tmp_path / "rollen.toml"
    path.write_text('kontakt = "x"\n[gruppen]\n"g1" = { rolle = "Chef" }\n', encoding="utf-8")
    with pytest.raises(sign_in.MappingInvalid, match=f"{path}, Gruppe „g1“: Rolle „Chef“ unbekannt"):
        sign_in.load_mapping(path)


def test_a_missing_mapping_file_says_where_the_example_is(tmp_path):
    with pytest.raises(sign_in.MappingInvalid, match="fehlt .Vorlage: deploy/rollen.beispiel.toml"):
        sign_in.load_mapping(tmp_path / "rollen.toml")


def test_claims_give_the_strongest_role_and_every_kreis_of_a_coordination():
    mapping = sign_in.load_mapping(EXAMPLE)
    both = {
        "sub": "k1",
        "name": "Kira K.",
        "groups": ["lagebild-koordination-esslingen", "lagebild-koordination-boeblingen"],
    }
    who = sign_in.principal_from_claims(both, mapping)
    assert who is not None and (who.name, who.role, who.kreise) == ("Kira K.", Role.COORDINATION, ("08115", "08116"))
    admin = sign_in.principal_from_claims(both | {"groups": [*both["groups"], "lagebild-administration"]}, mapping)
    assert admin is not None and admin.role is Role.ADMINISTRATION and admin.kreise == ()


def test_someone_without_a_mapped_group_gets_no_principal():
    mapping = sign_in.load_mapping(EXAMPLE)
    assert sign_in.principal_from_claims({"sub": "x", "groups": ["andere-gruppe"]}, mapping) is None
    assert sign_in.principal_from_claims({"sub": "x"}, mapping) is None

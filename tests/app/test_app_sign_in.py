"""Betrieb mit Anmeldung as Streamlit runs it (AppTest): placeholder secrets stop the app with a German page, and a
visitor who is not signed in sees only the sign-in page. The sign-in itself is proven in tests/browser/test_sign_in.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "k3Qn8vXw2pLr7TzY5mB9cF1hJ6sD4gA0eU",
    "client_id": "lagebild",
    "client_secret": "Zr8wq1N4vL6pT2xK9mC3",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


@pytest.fixture
def roles(monkeypatch):
    monkeypatch.setenv("LAGEBILD_ROLLEN", str(ROOT / "deploy" / "rollen.beispiel.toml"))


def run_with(auth: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = auth
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_app_refuses_to_start_with_the_secrets_of_the_documentation(demo_db, roles):
    at = run_with(AUTH | {"cookie_secret": "xxx", "client_secret": "xxx"})
    assert at.title[0].value == "Anmeldung nicht eingerichtet"
    message = at.error[0].value
    assert "„cookie_secret“ ist ein Platzhalter" in message and "„client_secret“ ist ein Platzhalter" in message
    assert not [t for t in at.title if t.value == "Landesübersicht"]


def test_the_app_refuses_to_start_without_a_role_mapping_and_names_the_file(demo_db, monkeypatch, tmp_path):
    monkeypatch.setenv("LAGEBILD_ROLLEN", str(tmp_path / "rollen.toml"))
    at = run_with(AUTH)
    assert f"Die Rollenzuordnung {tmp_path / 'rollen.toml'} fehlt" in at.error[0].value


def test_a_visitor_who_is_not_signed_in_sees_only_the_sign_in_page(demo_db, roles):
    at = run_with(AUTH)
    assert [t.value for t in at.title] == ["Anmeldung"]
    assert at.button(key="anmelden").label == "Anmelden"
    assert not [w for w in at.warning if "Einzelplatz" in w.value]

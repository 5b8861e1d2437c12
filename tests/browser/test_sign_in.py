"""Betrieb mit Anmeldung in Chromium: the real redirect flow through an OIDC provider on a loopback port
(oidc-provider-mock), roles from the groups claim, allowed and forbidden actions, sign-out, and a stranger turned away."""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from lagebild.store import Store
from tests.browser.conftest import ARTIFACTS, StreamlitServer, _free_port, start_server, stop_server
from tests.browser.test_daten import choose, open_page, seed
from tests.conftest import FIXTURES

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ALL_KREISE = FIXTURES / "genesis_12531_schutzsuchende_kreise.csv"
BOEBLINGEN = FIXTURES / "genesis_12531_gemeinden_boeblingen.csv"
PEOPLE = [
    {"sub": "kira", "name": "Kira Koordinatorin", "groups": ["lagebild-koordination-boeblingen"]},
    {"sub": "paul", "name": "Paul Presse", "groups": ["lagebild-pressestelle"]},
    {"sub": "adam", "name": "Adam Administrator", "groups": ["lagebild-administration"]},
    {"sub": "fremd", "name": "Fritz Fremd", "groups": ["andere-behoerde"]},
    {"sub": "lea", "name": "Lea Leitung", "groups": ["lagebild-leitung"]},
    {"sub": "dora", "name": "Dora Datenstelle", "groups": ["lagebild-datenstelle"]},
]
PROVIDER_START_TIMEOUT_S = 60
# oidc-provider-mock's own pages ask a CDN for their stylesheet; blocked, its forms work the same. The app asks none.
PROVIDER_STYLESHEET = "https://cdn.jsdelivr.net/npm/@picocss/"


@pytest.fixture
def provider() -> Iterator[str]:
    """oidc-provider-mock, a real OIDC provider, with the six people as predefined users."""
    port = _free_port()
    users = [arg for person in PEOPLE for arg in ("--user-claims", json.dumps(person))]
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--port", str(port), *users],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + PROVIDER_START_TIMEOUT_S
    while True:
        try:
            with opener.open(f"{url}/.well-known/openid-configuration", timeout=2):
                break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("oidc-provider-mock did not start", pytrace=False)
            time.sleep(0.2)
    yield url
    process.kill()
    process.wait()


@pytest.fixture
def signed_in_server(tmp_path: Path, provider: str) -> Iterator[StreamlitServer]:
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(48)}"\n'
        'client_id = "lagebild"\n'
        f'client_secret = "{secrets.token_urlsafe(24)}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    server = start_server(
        "app.py",
        tmp_path,
        seed=seed,
        database_url=f"sqlite:///{tmp_path / 'anmeldung.sqlite'}",
        extra_env={"LAGEBILD_ROLLEN": str(ROOT / "deploy" / "rollen.beispiel.toml")},
        extra_args=("--secrets.files", str(secrets_file)),
    )
    yield server
    stop_server(server)


def sign_in(page: Page, server: StreamlitServer, sub: str) -> None:
    page.goto(server.url)
    expect(page.get_by_role("heading", name="Anmeldung")).to_be_visible()
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("button", name=sub, exact=True).click()  # the provider's own form, then back to the app


def sign_out(page: Page) -> None:
    page.get_by_test_id("stSidebar").get_by_role("button", name="Abmelden").click()
    page.get_by_role("button", name="End session").click()  # the provider's end-session form, then back here
    expect(page.get_by_role("heading", name="Anmeldung")).to_be_visible()


def test_signed_in_roles_may_do_what_their_groups_allow_and_a_stranger_is_turned_away(
    page, signed_in_server, network_guard
):
    server = signed_in_server
    sign_in(page, server, "kira")
    expect(page.get_by_role("heading", name="Böblingen", exact=True)).to_be_visible()  # her profile opens first
    expect(page).to_have_url(re.compile(r"/kreis"))
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text("Kira Koordinatorin")
    expect(sidebar).to_contain_text("Koordination Böblingen")
    expect(page.get_by_text("Einzelplatz – ohne Anmeldung")).to_have_count(0)
    open_page(page, "Daten")
    uploader = page.locator("input[type='file']")
    uploader.set_input_files(str(ALL_KREISE))
    choose(page, "Wertespalte", "1: 31.12.2023 / Insgesamt")
    expect(page.get_by_test_id("stAlertContentError").filter(has_text="Nicht erlaubt")).to_contain_text(
        "08116 Esslingen"
    )
    expect(page.get_by_role("button", name="Übernehmen")).to_be_disabled()
    uploader.set_input_files(str(BOEBLINGEN))
    page.get_by_role("button", name="Übernehmen").click()
    expect(page.get_by_text("Import Nr. 5 übernommen")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "anmeldung-koordination.png"), full_page=True)
    sign_out(page)

    sign_in(page, server, "paul")
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Pressestelle")
    open_page(page, "Daten")
    expect(page.get_by_text("Übernehmen und Zurücknehmen sind dieser Rolle nicht erlaubt")).to_be_visible()
    expect(page.locator("input[type='file']")).to_have_count(0)
    expect(page.get_by_role("tab", name="Protokoll")).to_have_count(0)
    sign_out(page)

    sign_in(page, server, "fremd")
    expect(page.get_by_role("heading", name="Kein Zugang")).to_be_visible()
    expect(page.get_by_text("Zugang gewährt: Administration Lagebild, Referat Integration")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "anmeldung-kein-zugang.png"), full_page=True)
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    page.get_by_role("button", name="Abmelden").click()
    page.get_by_role("button", name="End session").click()
    expect(page.get_by_role("heading", name="Anmeldung")).to_be_visible()

    sign_in(page, server, "adam")
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Adam Administrator")
    open_page(page, "Daten")
    page.get_by_role("tab", name="Protokoll").click()
    expect(page.locator(".st-key-protokoll_reiter").get_by_test_id("stDataFrame")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "anmeldung-protokoll.png"), full_page=True)

    trail = Store(server.database_url).audit_trail().iloc[::-1]
    seen = list(zip(trail["user_name"], trail["action"], trail["outcome"], strict=True))
    assert ("Kira Koordinatorin", "sign_in", "ok") in seen and ("Kira Koordinatorin", "sign_out", "ok") in seen
    assert ("Kira Koordinatorin", "import", "ok") in seen and ("Paul Presse", "sign_in", "ok") in seen
    assert ("Fritz Fremd", "sign_in", "refused") in seen and seen[-1] == ("Adam Administrator", "sign_in", "ok")
    assert Store(server.database_url).history().iloc[-1]["user_name"] == "Kira Koordinatorin"
    assert [url for url in network_guard.blocked if not url.startswith(PROVIDER_STYLESHEET)] == []


def test_the_datenstelle_writes_every_kreis_the_leitung_only_reads_and_a_foreign_rollback_changes_nothing(
    page, signed_in_server, network_guard
):
    """The rest of the role × action matrix through the real sign-in: Datenstelle imports all 44 Kreise, Leitung has no
    upload, and a Koordination that clicks the rollback of that import is refused, audited, and the store unchanged."""
    server = signed_in_server
    sign_in(page, server, "dora")
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Datenstelle")
    open_page(page, "Daten")
    page.locator("input[type='file']").set_input_files(str(ALL_KREISE))
    choose(page, "Wertespalte", "1: 31.12.2023 / Insgesamt")
    page.get_by_role("button", name="Übernehmen").click()
    expect(page.get_by_text("Import Nr. 5 übernommen")).to_be_visible()
    sign_out(page)

    sign_in(page, server, "lea")
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Lea Leitung")
    open_page(page, "Daten")
    expect(page.get_by_text("Übernehmen und Zurücknehmen sind dieser Rolle nicht erlaubt")).to_be_visible()
    expect(page.locator("input[type='file']")).to_have_count(0)
    page.get_by_role("tab", name="Importe").click()
    expect(page.get_by_text("Import zurücknehmen")).to_have_count(0)
    sign_out(page)

    store = Store(server.database_url)
    before = (store.observations(), store.history())
    sign_in(page, server, "kira")
    open_page(page, "Daten")
    page.get_by_role("tab", name="Importe").click()
    choose(page, "Import", "Nr. 5: genesis_12531_schutzsuchende_kreise.csv")
    page.get_by_text("Ja, Import Nr. 5 zurücknehmen").click()
    page.get_by_role("button", name="Zurücknehmen").click()
    refusal = page.get_by_test_id("stAlertContentError").filter(has_text="Nicht erlaubt")
    expect(refusal).to_contain_text("08116 Esslingen")
    expect(refusal).to_contain_text("Der Datenbestand ist unverändert.")
    page.screenshot(path=str(ARTIFACTS / "anmeldung-ruecknahme-abgelehnt.png"), full_page=True)

    pd.testing.assert_frame_equal(store.observations(), before[0])
    pd.testing.assert_frame_equal(store.history(), before[1])
    trail = store.audit_trail()
    kira = trail[trail["user_name"] == "Kira Koordinatorin"]
    assert list(kira[kira["action"] == "rollback"]["outcome"]) == ["refused"]
    dora = trail[trail["user_name"] == "Dora Datenstelle"]
    assert "ok" in list(dora[dora["action"] == "import"]["outcome"])
    assert [url for url in network_guard.blocked if not url.startswith(PROVIDER_STYLESHEET)] == []

"""Two replicas behind HAProxy on one PostgreSQL, as `make cluster` starts them, driven in Chromium (issue 15).

What a user of the cluster would notice: sessions spread over the replicas, an upload accepted by the replica that
previewed it, an import through one replica shown by the other, and a replica that dies taking nobody's Kreis.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from deploy import cluster as local_cluster
from lagebild.app import connection
from lagebild.intake import templates
from tests.browser.conftest import NetworkGuard, seed_demo
from tests.browser.journey import assert_whole, choose, reopen, settle, wait_until_idle
from tests.browser.test_journey_daten import STAND, care_kpi, open_page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[local_cluster.LocalCluster]:
    if shutil.which("haproxy") is None and not Path("/usr/sbin/haproxy").exists():
        if os.environ.get("CI"):
            pytest.fail(local_cluster.HAPROXY_MISSING, pytrace=False)
        pytest.skip(local_cluster.HAPROXY_MISSING)
    started = local_cluster.start(replicas=2, workdir=tmp_path_factory.mktemp("cluster"), seed=seed_demo)
    yield started
    started.stop()


def replica_of(context: BrowserContext) -> str:
    """The replica the proxy pinned this browser to (its affinity cookie)."""
    values = [c["value"] for c in context.cookies() if c["name"] == local_cluster.COOKIE]
    assert len(values) == 1, f"affinity cookie: {values}"
    return values[0]


class Sessions:
    """Browser contexts opened for one test, closed at its end."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.contexts: list[BrowserContext] = []
        self.guard = NetworkGuard()

    def open(self, url: str) -> tuple[BrowserContext, Page]:
        context, page = reopen(self.browser, url, self.guard)
        self.contexts.append(context)
        return context, page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def sessions(browser: Browser) -> Iterator[Sessions]:
    opened = Sessions(browser)
    yield opened
    opened.close()


def open_overview(sessions: Sessions, url: str) -> tuple[BrowserContext, Page]:
    context, page = sessions.open(url)
    expect(page.get_by_role("heading", name="Landesübersicht")).to_be_visible(timeout=90_000)
    wait_until_idle(page)
    return context, page


def test_two_sessions_land_on_different_replicas_and_each_sees_the_whole_page(cluster, sessions):
    first, first_page = open_overview(sessions, cluster.url)
    second, second_page = open_overview(sessions, cluster.url)
    assert replica_of(first) != replica_of(second)
    for page in (first_page, second_page):
        expect(page.get_by_test_id("stMetric").filter(has_text="Kritische Kreise")).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)


def test_an_import_previewed_and_accepted_on_one_replica_shows_on_the_other_at_its_next_rerun(
    cluster, sessions, tmp_path
):
    importer, importer_page = open_overview(sessions, cluster.url)
    reader, reader_page = open_overview(sessions, cluster.url)
    assert replica_of(importer) != replica_of(reader)
    before = care_kpi(reader_page)

    # The upload lives in the memory of the replica that drew the page; preview and accept must reach that one.
    upload = tmp_path / "betreuung_stuttgart.csv"
    header = ";".join(templates.header("refugees_in_care"))
    upload.write_text(f"{header}\r\n08111;Stuttgart;{STAND};;12347;Meldung Stadt Stuttgart\r\n", encoding="utf-8-sig")
    open_page(importer_page, "Daten")
    importer_page.get_by_role("tab", name="Hochladen").click()
    importer_page.locator("input[type='file']").set_input_files(str(upload))
    expect(importer_page.get_by_text("Zeilen verstanden: 1")).to_be_visible()
    importer_page.get_by_role("button", name="Übernehmen").click()
    expect(importer_page.get_by_text("übernommen: 1 Wert für Geflüchtete in Betreuung")).to_be_visible()
    assert_whole(importer_page, sessions.guard, "Import über die Replik")

    # The other replica's cache is keyed by the store revision: its next rerun reads the new figures.
    assert care_kpi(reader_page) == before
    open_page(reader_page, "Landesübersicht")
    expect(reader_page.get_by_test_id("stMetric").filter(has_text="Geflüchtete in Betreuung")).not_to_contain_text(
        before
    )
    assert replica_of(reader) != replica_of(importer)


def test_a_replica_that_dies_loses_no_session_its_users_see_why_and_keep_their_kreis(cluster, sessions):
    context, page = sessions.open(cluster.url + "kreis?auswahl=08317")
    expect(page.get_by_role("heading", level=1, name="Ortenaukreis")).to_be_visible(timeout=90_000)
    wait_until_idle(page)
    dead = replica_of(context)
    page.evaluate(WATCH_CONNECTION)
    cluster.kill(dead)
    try:
        # The session noticed the loss, said so in German, and is served by the other replica again.
        expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-connection-state", "CONNECTED")
        page.wait_for_function("window.__lostConnection === true")
        shown = page.evaluate("window.__noticesShown")
        assert any(connection.LOST in text for text in shown), shown
        notice = page.locator("#verbindung")
        expect(notice).to_have_text(re.compile(re.escape(connection.BACK)))
        expect(notice).to_have_attribute("role", "alert")
        page.screenshot(path="/tmp/replik-ausfall.png")
        notice.get_by_role("button", name="Schließen").click()
        expect(notice).to_be_hidden()
        assert replica_of(context) != dead
        expect(page.get_by_role("heading", level=1, name="Ortenaukreis")).to_be_visible()

        # It still works: another Kreis is drawn by the replica that took over, and a reload keeps it.
        choose(page, "Kreis", "Emmendingen")
        expect(page.get_by_role("heading", level=1, name="Emmendingen")).to_be_visible()
        settle(page)
        page.reload()
        expect(page.get_by_role("heading", level=1, name="Emmendingen")).to_be_visible(timeout=60_000)
        assert replica_of(context) != dead
        assert_whole(page, sessions.guard, "nach dem Ausfall")
    finally:
        cluster.restart(dead)


# Records whether the page ever lost its server connection, so a reconnect too quick to be caught in a poll counts.
# The app's own watcher was installed first, so its notice is written when this one looks.
WATCH_CONNECTION = """() => {
    window.__lostConnection = false;
    window.__noticesShown = [];
    const app = document.querySelector('[data-testid=stApp]');
    new MutationObserver(() => {
        if (app.dataset.testConnectionState !== 'CONNECTED') window.__lostConnection = true;
        const notice = document.querySelector('#verbindung');
        if (notice && !notice.hidden) window.__noticesShown.push(notice.innerText);
    }).observe(app, {attributes: true, attributeFilter: ['data-test-connection-state']});
}"""

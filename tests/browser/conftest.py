"""Browser-test harness: the real app under `streamlit run`, in system Chromium, cut off from the web."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    Page,
    Route,
    WebSocketRoute,
    expect,
)
from playwright.sync_api import Error as PlaywrightError

from lagebild import demo
from lagebild.present.offline import is_local_url
from lagebild.store import Store

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"

SERVER_START_TIMEOUT_S = 90
SERVER_STOP_TIMEOUT_S = 15

# Streamlit's first run and the map's first render take seconds on a 2-core CI machine;
# Playwright's default of 5 s for expect() is too tight there.
expect.set_options(timeout=30_000)

_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@dataclass
class StreamlitServer:
    """One `streamlit run` process serving `script` at `url`."""

    script: str
    url: str
    database_url: str
    log_path: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"


@dataclass
class NetworkGuard:
    """What a page tried to fetch from outside this machine; all of it was aborted."""

    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    # Fixture teardown runs before pytest reports the result; stash it so `page`
    # can tell whether to keep a screenshot.
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


# Called with the server's DATABASE_URL before it starts, to fill the empty store.
Seeder = Callable[[str], object]


@pytest.fixture(scope="session")
def streamlit_server_factory(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., StreamlitServer]]:
    """Start (once per session and script) `streamlit run <script>` from the repo root.

    `start(script, seed=...)` calls `seed(database_url)` before the server starts; the
    server is shared per script, so the first caller's seed is the one that counts.
    """
    servers: dict[str, StreamlitServer] = {}
    data_dir = tmp_path_factory.mktemp("streamlit-data")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def start(script: str, seed: Seeder | None = None) -> StreamlitServer:
        if script not in servers:
            servers[script] = start_server(script, data_dir, seed)
        server = servers[script]
        if server.process.poll() is not None:
            pytest.fail(
                f"streamlit run {script} has exited ({server.process.returncode}):\n" + server.log_tail(),
                pytrace=False,
            )
        return server

    try:
        yield start
    finally:
        for server in servers.values():
            stop_server(server)


@pytest.fixture
def app_script() -> str:
    """Script the `app_server` runs, relative to the repo root; override it per module."""
    return "app.py"


# Fixed, so the Stand and the figures of the demo data do not move with the calendar.
DEMO_TODAY = date(2026, 11, 27)


def seed_demo(database_url: str) -> None:
    demo.seed(Store(database_url), DEMO_TODAY)


@pytest.fixture
def app_server(streamlit_server_factory: Callable[..., StreamlitServer], app_script: str) -> StreamlitServer:
    """The app on the demo data (app.py), or a probe script a module names in `app_script`."""
    return streamlit_server_factory(app_script, seed=seed_demo if app_script == "app.py" else None)


@pytest.fixture
def network_guard() -> NetworkGuard:
    return NetworkGuard()


@pytest.fixture
def page(browser: Browser, network_guard: NetworkGuard, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh German-locale page whose every request to another host is aborted and recorded."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="de-DE",
        timezone_id="Europe/Berlin",
        service_workers="block",
    )

    def guard(route: Route) -> None:
        url = route.request.url
        if is_local_url(url):
            route.continue_()
        else:
            network_guard.blocked.append(url)
            route.abort("blockedbyclient")

    def guard_websocket(ws: WebSocketRoute) -> None:
        network_guard.blocked.append(ws.url)
        ws.close()

    context.route("**/*", guard)
    # Only foreign sockets are routed: routing Streamlit's own would need proxying.
    context.route_web_socket(lambda url: not is_local_url(url), guard_websocket)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.on(
        "console",
        lambda msg: network_guard.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    page.on("pageerror", lambda exc: network_guard.console_errors.append(str(exc)))
    try:
        yield page
    finally:
        reports = request.node.stash.get(_REPORTS, {})
        if any(report.failed for report in reports.values()):
            _save_failure_artifacts(page, network_guard, request.node.nodeid)
        context.close()


def start_server(
    script: str,
    data_dir: Path,
    seed: Seeder | None = None,
    database_url: str | None = None,
    extra_env: dict[str, str] | None = None,
    extra_args: tuple[str, ...] = (),
) -> StreamlitServer:
    """`streamlit run <script>` on a free port with its own SQLite store in `data_dir`, or on `database_url`;
    `extra_env` and `extra_args` (Streamlit options such as --secrets.files) for the sign-in tests.

    Public for tests/bench/benchmark.py, which measures the same server the tests drive.
    """
    script_path = REPO_ROOT / script
    if not script_path.is_file():
        pytest.fail(f"no such Streamlit script: {script_path}", pytrace=False)
    port = _free_port()
    stem = script_path.stem
    # One log per server (its port in the name): a later server must not overwrite the log of one that failed.
    log_name = (
        f"streamlit-{stem}-{port}.log"
        if database_url is None
        else f"streamlit-{stem}-{database_url.split(':')[0].split('+')[0]}-{port}.log"
    )
    database_url = database_url or f"sqlite:///{data_dir / f'{stem}.sqlite'}"
    if seed is not None:
        seed(database_url)
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url
    env.update(extra_env or {})
    # Scripts below tests/ import lagebild like app.py does, from the repo root.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    log_path = ARTIFACTS / log_name
    # The app starts as it does in production (`python -m lagebild serve`, its imports and geometry loaded before the
    # port opens); a test's own scripts through `streamlit run`.
    start = ["lagebild", "serve"] if script_path.resolve() == REPO_ROOT / "app.py" else ["streamlit", "run", script]
    command = [
        sys.executable,
        "-m",
        *start,
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        *extra_args,
    ]
    # A fresh clone has no artefacts folder (git ignores it), and this runs before any fixture made it.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    server = StreamlitServer(
        script=script,
        url=f"http://127.0.0.1:{port}/",
        database_url=database_url,
        log_path=log_path,
        process=process,
    )
    try:
        _wait_until_healthy(server)
    except BaseException:
        stop_server(server)
        raise
    return server


def _wait_until_healthy(server: StreamlitServer) -> None:
    # A proxy from the environment must not see requests to our own loopback server.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(
                f"streamlit run {server.script} exited ({server.process.returncode}):\n" + server.log_tail(),
                pytrace=False,
            )
        try:
            with opener.open(server.url + "_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    pytest.fail(
        f"streamlit run {server.script} not healthy after {SERVER_START_TIMEOUT_S} s:\n" + server.log_tail(),
        pytrace=False,
    )


def stop_server(server: StreamlitServer) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=SERVER_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _save_failure_artifacts(page: Page, guard: NetworkGuard, nodeid: str) -> None:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    except PlaywrightError as exc:  # a crashed page must not hide the test's failure
        print(f"screenshot failed: {exc}", file=sys.stderr)
    notes = ["blocked requests:", *guard.blocked, "", "console errors:", *guard.console_errors]
    (ARTIFACTS / f"{name}.txt").write_text("\n".join(notes) + "\n")

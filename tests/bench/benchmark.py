"""Landesübersicht on the demo data: map payload, server time per run, time to the 44 shapes in Chromium."""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import version
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))  # run as a script from anywhere: tests/ and lagebild/ import from here

from playwright.sync_api import Browser, BrowserContext, Page, WebSocket, expect, sync_playwright  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from lagebild import demo  # noqa: E402
from lagebild.app.cache import WARMED  # noqa: E402
from lagebild.present.offline import is_local_url  # noqa: E402
from lagebild.store import Store  # noqa: E402
from tests.browser.conftest import ARTIFACTS, start_server, stop_server  # noqa: E402
from tests.support.chromium import CHROMIUM_ARGS  # noqa: E402

# Same fixed day as the browser tests, so figures from different days compare.
TODAY = date(2026, 11, 27)
APP = "app.py"
KREISE = 44
SAMPLES = 5
COLD_PROCESSES = 3
MAP_IFRAME = 'iframe[src*="streamlit_folium.st_folium"]'  # its title is the map's German name
SHAPES = "path.leaflet-interactive"
FLOOR_TEXT = "Hallo Welt"
# The floor with a map: one line and the 44 Kreis shapes through st_folium, as the fixed stack (Streamlit,
# streamlit-folium, Leaflet) draws them at the least: the app's geometry, Leaflet served by the app, nothing else.
MAP_FLOOR = f"""import folium
import streamlit as st
from streamlit_folium import st_folium

from lagebild import geometry
from lagebild.app import cache
from lagebild.present import offline

st.write("{FLOOR_TEXT}")
layers = geometry.layers()
minx, miny, maxx, maxy = layers.bounds
m = folium.Map(tiles=None)
m.fit_bounds([[miny, minx], [maxy, maxx]])
folium.GeoJson(layers.kreise_geojson).add_to(m)
offline.localize(m, cache.offline_asset_base_url())
st_folium(m, height=560, returned_objects=[], key="karte")
"""

PACKAGES = ("streamlit", "streamlit-folium", "folium", "plotly", "playwright")

# Issue 12's targets.
TARGET_WS_BYTES = 250_000
TARGET_RERUN_S = 0.15
TARGET_RATIO = 1.25
TARGET_COLD_RATIO = 2.0
TARGET_PAGE_RATIO = 1.5

# Runs in every frame of a context and stamps the moment its content is there, in the
# frame's own clock (performance.timeOrigin + now is epoch ms, comparable across frames).
# A MutationObserver, not requestAnimationFrame: Chromium throttles rAF in iframes
# outside the viewport, and the map starts below the fold. The map's shapes live only in
# its iframe, so the probe leaves Streamlit's own (busy) document alone.
SHOWN_PROBE = """
(() => {
  const target = %(target)s;
  if (target === 'map' && window.top === window) {
    // The page itself: when its heading (or marker text) is there, for pages measured as "text and map".
    const marker = %(marker)s;
    if (!marker) return;
    const seen = () => { if (!window.__markerAt && document.body && document.body.textContent.includes(marker))
      window.__markerAt = performance.timeOrigin + performance.now(); };
    new MutationObserver(seen).observe(document, {childList: true, subtree: true, characterData: true});
    return;
  }
  const shown = () => target === 'map'
    ? document.querySelectorAll('path.leaflet-interactive').length >= %(kreise)d && window.innerHeight > 0
    : !!document.body && document.body.textContent.includes(%(text)s);
  const check = () => {
    if (!window.__shownAt && shown()) window.__shownAt = performance.timeOrigin + performance.now();
  };
  new MutationObserver(check).observe(document, {childList: true, subtree: true, characterData: true});
  window.addEventListener('resize', check);
  // A frame whose document is rewritten after the observer started is still seen.
  const poll = setInterval(() => { check(); if (window.__shownAt) clearInterval(poll); }, 20);
})();
"""

# The child process of part b): AppTest in a fresh interpreter, so the first run is cold.
CHILD = r"""
import json, sys, time
started = time.time()
if sys.argv[2] == "preimport":
    # What `python -m lagebild serve` loads before Streamlit opens its port: the first run as after the app's start.
    from lagebild.app import serve
    serve.preload()
from streamlit.testing.v1 import AppTest

at = AppTest.from_file(sys.argv[1], default_timeout=600)
at.session_state["_karte_gezeigt"] = True  # as after the browser's report: the ranking chart is drawn, as in use
t0 = time.perf_counter()
at.run()
first = time.perf_counter() - t0
finished = time.time()
assert not at.exception, at.exception

def timed(action):
    t = time.perf_counter()
    action()
    assert not at.exception, at.exception
    return time.perf_counter() - t

from lagebild.domain.regions import regions
from lagebild.params import MAP_METRIC, SCHEME, schemes_for

from lagebild.app import cache

start = str(at.selectbox(key=MAP_METRIC.key).value)  # a string: an element's value follows the session
others = [v for v in MAP_METRIC.options if v != start]
# One Kennzahl at once after the first run, before its View could be prepared in the background.
first_now = timed(lambda: at.selectbox(key=MAP_METRIC.key).set_value(others[-1]).run())
at.selectbox(key=MAP_METRIC.key).set_value(start).run()
# As a person who looks at the page first: the likely next switches are built in the background meanwhile.
t = time.perf_counter()
assert cache._preparer().wait_idle(300)
prepared = time.perf_counter() - t
# And the process's one-time warm-up (Gemeinde geometry, export browser, GC freeze) is over: the switches below are
# measured as in a server that has been running, not against the warm-up's CPU.
cache.warm_process().join(300)
# The other Kennzahlen for the first time in this process: prepared, not yet drawn.
first_time = [timed(lambda v=v: at.selectbox(key=MAP_METRIC.key).set_value(v).run()) for v in others[:-1]]
switches = [timed(lambda v=v: at.selectbox(key=MAP_METRIC.key).set_value(v).run())
            for v in ["need_fte", "ratio", "need_fte", "ratio", "need_fte"]]
at.selectbox(key=MAP_METRIC.key).set_value("ratio").run()
schemes = list(schemes_for("ratio"))
classes = [timed(lambda v=v: at.selectbox(key=SCHEME.key).set_value(v).run()) for v in schemes[1:] + schemes[:1]]
rbs = [rb.key for rb in regions().regierungsbezirke]
filters = [timed(lambda v=v: at.multiselect(key="filter_rb").set_value(v).run()) for v in [[r] for r in rbs] + [[]]]
plain = [timed(at.run) for _ in range(3)]
print(json.dumps({"started": started, "finished": finished, "first_run": first, "first_time": first_time,
                  "first_now": first_now, "prepared": prepared,
                  "switches": switches, "classes": classes, "filters": filters, "plain": plain}))
"""


@dataclass
class FirstLoad:
    """What the browser received over Streamlit's websocket while the page loaded."""

    frames: list[tuple[float, bytes]] = field(default_factory=list)
    script_runs: int = 0
    foreign_requests: list[str] = field(default_factory=list)
    websocket: WebSocket | None = None

    extensions: str = ""  # Sec-WebSocket-Extensions the server answered with
    shown_ms: float = 0.0  # this load's 44 shapes, from navigation

    def on_handshake(self, event: dict) -> None:
        headers = {k.lower(): v for k, v in event.get("response", {}).get("headers", {}).items()}
        self.extensions = headers.get("sec-websocket-extensions", "")

    def on_frame(self, payload: str | bytes) -> None:
        data = payload.encode() if isinstance(payload, str) else payload
        self.frames.append((time.time() * 1000, data))
        if _message_type(data) == "script_finished":
            self.script_runs += 1

    @property
    def total_bytes(self) -> int:
        return sum(len(data) for _, data in self.frames)

    @property
    def deflated_bytes(self) -> int:
        """What the frames cost on the wire under permessage-deflate as tornado sends it (zlib level 6, the
        compression context kept from message to message, each message flushed and its 4-byte tail dropped)."""
        deflate = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        return sum(len(deflate.compress(data) + deflate.flush(zlib.Z_SYNC_FLUSH)) - 4 for _, data in self.frames)

    def map_frame(self) -> tuple[float, bytes] | None:
        return next(((at, data) for at, data in self.frames if b"L.geoJson" in data), None)


@dataclass
class Load:
    shown_ms: float
    iframe_ms: float | None = None
    map_args_ms: float | None = None
    finished_ms: float | None = None


@dataclass(frozen=True)
class Target:
    """A page measured as a person sees it: its address, the map shapes to wait for, a text on the page."""

    path: str
    shapes: int
    marker: str | None = None


LANDESUEBERSICHT = Target("", KREISE)
STAGES = "Landesübersicht mit Websocket-Mitschnitt"
MAP_FLOOR_NAME = "Kartenboden"
# Böblingen by bookmark: the profile's heading and its Gemeinde map (Leaflet adds a layer's shapes at once).
KREISPROFIL = Target("kreis?kreis=08115", 1, "Ausblick bis")
# The need cards and the need map (the first of the page's three maps).
PERSONALBEDARF = Target("personalbedarf", KREISE, "Verstärkungsbedarf Land")


@dataclass
class Memory:
    idle_mb: float
    one_mb: float
    ten_mb: float


def main() -> int:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(chromium, os.X_OK):
        print("Chromium nicht gefunden – bitte `apt-get install chromium` ausführen.", file=sys.stderr)
        return 2
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    load_before = _load_average()
    with tempfile.TemporaryDirectory(prefix="lagebild-bench-") as tmp:
        data_dir = Path(tmp)
        floor_script = data_dir / "hallo_welt.py"
        floor_script.write_text(f'import streamlit as st\n\nst.write("{FLOOR_TEXT}")\n')
        map_floor_script = data_dir / "kartenboden.py"
        map_floor_script.write_text(MAP_FLOOR)
        app_server = start_server(APP, data_dir, seed=lambda url: demo.seed(Store(url), TODAY))
        floor_server = start_server(str(floor_script), data_dir)
        map_floor_server = start_server(str(map_floor_script), data_dir)
        try:
            # The app's start opens its first page itself and then warms the process; b) and the first browser visit
            # come after that, as in a server that was started before anyone came. The floor servers sit idle.
            _wait_for_log(app_server, WARMED)
            cold = [_cold_run(app_server.database_url, "imports") for _ in range(COLD_PROCESSES)]
            warm_imports = [_cold_run(app_server.database_url, "preimport") for _ in range(COLD_PROCESSES)]
            idle_mb = _rss_mb(app_server.process.pid)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                try:
                    first_load, app_loads, floor_loads, pages = _browser_figures(
                        browser, app_server.url, floor_server.url, map_floor_server.url
                    )
                    memory = _memory(browser, app_server, idle_mb)
                    at_opening = _visit_at_port_opening(browser, data_dir, app_server.database_url)
                    chromium_version = browser.version
                finally:
                    browser.close()
        finally:
            stop_server(app_server)
            stop_server(floor_server)
            stop_server(map_floor_server)

    _report(
        cold, warm_imports, first_load, at_opening, app_loads, floor_loads, pages, memory, chromium_version, load_before
    )
    return 0


def _wait_for_log(server, line: str, timeout_s: float = 180.0) -> None:  # noqa: ANN001 - a StreamlitServer
    deadline = time.monotonic() + timeout_s
    while line not in server.log_path.read_text(encoding="utf-8"):
        if time.monotonic() > deadline or server.process.poll() is not None:
            raise RuntimeError(f"kein {line!r} im Serverprotokoll:\n{server.log_tail()}")
        time.sleep(0.2)


def _visit_at_port_opening(browser: Browser, data_dir: Path, database_url: str) -> float:
    """Seconds to the 44 shapes for a person who comes the moment a new server opens its port: before the start's own
    first visit is over."""
    server = start_server(APP, data_dir, database_url=database_url)
    try:
        return _load(browser, server.url, LANDESUEBERSICHT).shown_ms / 1000
    finally:
        stop_server(server)


def _cold_run(database_url: str, mode: str) -> dict:
    env = dict(os.environ, DATABASE_URL=database_url)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    spawned = time.time()
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(REPO_ROOT / APP), mode],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"AppTest child failed ({mode}):\n{result.stderr[-3000:]}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["process_to_first_run_end"] = figures["finished"] - spawned
    return figures


def _browser_figures(
    browser: Browser, app_url: str, floor_url: str, map_floor_url: str
) -> tuple[FirstLoad, list[Load], list[Load], dict[str, list[Load]]]:
    # The warm-up load of the app is its first ever (cold server): it also gives part a) and the cold ratio.
    first_load = FirstLoad()
    first_load.shown_ms = _load(browser, app_url, LANDESUEBERSICHT, first_load).shown_ms
    _load(browser, floor_url, None)
    app_loads: list[Load] = []
    floor_loads: list[Load] = []
    pages: dict[str, list[Load]] = {"Kreisprofil": [], "Personalbedarf": [], STAGES: [], MAP_FLOOR_NAME: []}
    _load(browser, app_url, KREISPROFIL)  # each page once before it is measured: its caches warm
    _load(browser, app_url, PERSONALBEDARF)
    _load(browser, map_floor_url, LANDESUEBERSICHT)
    for _ in range(SAMPLES):  # interleaved, so a noisy moment hurts every side alike
        # Watching the websocket costs the page time: the ratio is measured without, the stages in a load of their own.
        app_loads.append(_load(browser, app_url, LANDESUEBERSICHT))
        pages[STAGES].append(_load(browser, app_url, LANDESUEBERSICHT, FirstLoad()))
        floor_loads.append(_load(browser, floor_url, None))
        pages[MAP_FLOOR_NAME].append(_load(browser, map_floor_url, LANDESUEBERSICHT))
        pages["Kreisprofil"].append(_load(browser, app_url, KREISPROFIL))
        pages["Personalbedarf"].append(_load(browser, app_url, PERSONALBEDARF))
    return first_load, app_loads, floor_loads, pages


def _load(browser: Browser, url: str, target: Target | None, capture: FirstLoad | None = None) -> Load:
    context = _new_context(browser, target)
    try:
        page = context.new_page()
        if capture is not None:
            page.on("websocket", lambda ws: _watch(ws, capture))
            page.on("request", lambda r: None if is_local_url(r.url) else capture.foreign_requests.append(r.url))
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.on("Network.webSocketHandshakeResponseReceived", capture.on_handshake)
        if target is None:
            page.goto(url)
            expect(page.get_by_text(FLOOR_TEXT)).to_be_visible()
            page.wait_for_function("() => window.__shownAt")
            return Load(shown_ms=page.evaluate("window.__shownAt - performance.timeOrigin"))
        page.goto(url + target.path)
        return _wait_for_map(page, target, capture)
    finally:
        context.close()


def _wait_for_map(page: Page, target: Target, capture: FirstLoad | None) -> Load:
    frame_locator = page.frame_locator(MAP_IFRAME).first
    expect(frame_locator.locator(SHAPES).first).to_be_attached()
    if target.shapes > 1:
        expect(frame_locator.locator(SHAPES)).to_have_count(target.shapes)
    handle = page.locator(MAP_IFRAME).first.element_handle()
    frame = handle.content_frame() if handle else None
    assert frame is not None
    frame.wait_for_function("() => window.__shownAt")
    origin = page.evaluate("performance.timeOrigin")
    shown = frame.evaluate("window.__shownAt")
    if target.marker:
        page.wait_for_function("() => window.__markerAt")
        shown = max(shown, page.evaluate("window.__markerAt"))
    load = Load(shown_ms=shown - origin, iframe_ms=frame.evaluate("performance.timeOrigin") - origin)
    if capture is not None:
        if capture.script_runs == 0 and capture.websocket is not None:
            # Frames are delivered only while Playwright waits, so none slips in between.
            capture.websocket.wait_for_event("framereceived", lambda p: _message_type(_bytes(p)) == "script_finished")
        map_frame = capture.map_frame()
        load.map_args_ms = map_frame[0] - origin if map_frame else None
        finished = [at for at, data in capture.frames if _message_type(data) == "script_finished"]
        load.finished_ms = finished[0] - origin if finished else None
    return load


def _memory(browser: Browser, server, idle_mb: float) -> Memory:  # noqa: ANN001 - a StreamlitServer
    """RSS of the app server with one and with ten Landesübersicht sessions open at once."""
    contexts: list[BrowserContext] = []
    try:
        for n in range(10):
            context = _new_context(browser, LANDESUEBERSICHT)
            contexts.append(context)
            page = context.new_page()
            page.goto(server.url)
            expect(page.frame_locator(MAP_IFRAME).first.locator(SHAPES)).to_have_count(KREISE)
            if n == 0:
                time.sleep(2)
                one = _rss_mb(server.process.pid)
        time.sleep(2)
        ten = _rss_mb(server.process.pid)
    finally:
        for context in contexts:
            context.close()
    return Memory(idle_mb, one, ten)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _new_context(browser: Browser, target: Target | None) -> BrowserContext:
    # As in tests/browser/conftest.py, minus the request routing: routing every request
    # through Playwright would add its own latency to what is measured here.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="de-DE",
        timezone_id="Europe/Berlin",
        service_workers="block",
    )
    context.add_init_script(
        SHOWN_PROBE
        % {
            "target": json.dumps("text" if target is None else "map"),
            "kreise": target.shapes if target else KREISE,
            "text": json.dumps(FLOOR_TEXT),
            "marker": json.dumps(target.marker if target else None),
        }
    )
    context.set_default_timeout(120_000)
    return context


def _watch(ws: WebSocket, capture: FirstLoad) -> None:
    capture.websocket = ws
    ws.on("framereceived", capture.on_frame)


def _bytes(payload: str | bytes) -> bytes:
    return payload.encode() if isinstance(payload, str) else payload


def _message_type(data: bytes) -> str | None:
    msg = ForwardMsg()
    try:
        msg.ParseFromString(data)
    except Exception:  # a frame that is not a ForwardMsg is simply not counted
        return None
    return msg.WhichOneof("type")


def _tooltip_bytes(frame: bytes) -> int:
    msg = ForwardMsg()
    msg.ParseFromString(frame)
    script = json.loads(msg.delta.new_element.component_instance.json_args).get("script", "")
    tips = re.findall(r'"tip":"((?:[^"\\]|\\.)*)"', script)
    return sum(len(tip.encode()) for tip in tips)


def _machine() -> list[str]:
    cpu = "unbekannt"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unbekannt"
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
        ram = f"{kib / 1024**2:.1f} GiB".replace(".", ",")
    except (OSError, AttributeError):
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        f"CPU       {cpu}; {os.cpu_count()} logische Kerne ({usable} nutzbar); RAM {ram}",
        f"System    {platform.system()} {platform.release()}; Python {platform.python_version()}",
        "Pakete    " + ", ".join(f"{name} {version(name)}" for name in PACKAGES),
    ]


def _report(
    cold: list[dict],
    warm_imports: list[dict],
    first_load: FirstLoad,
    at_opening: float,
    app_loads: list[Load],
    floor_loads: list[Load],
    pages: dict[str, list[Load]],
    memory: Memory,
    chromium_version: str,
    load_before: str,
) -> None:
    median = statistics.median
    map_frame = first_load.map_frame()
    map_bytes = len(map_frame[1]) if map_frame else 0
    switches = [s for run in cold for s in run["switches"]]
    rerun = median([median(run["switches"]) for run in cold])
    first_time = median([s for run in cold for s in run["first_time"]])
    # As after `python -m lagebild serve`, which loads mapclassify/scipy before the port opens.
    first_now = median([run["first_now"] for run in warm_imports])
    prepared = median([run["prepared"] for run in cold])  # from the first run's end until the background is done
    classes = median([s for run in cold for s in run["classes"]])
    filters = median([s for run in cold for s in run["filters"]])
    app_s = median([load.shown_ms for load in app_loads]) / 1000
    floor_s = median([load.shown_ms for load in floor_loads]) / 1000
    ratio = app_s / floor_s
    stages = pages.pop(STAGES)
    page_s = {name: median([load.shown_ms for load in loads]) / 1000 for name, loads in pages.items()}
    map_floor_s = page_s.pop(MAP_FLOOR_NAME)
    wire = first_load.deflated_bytes if "permessage-deflate" in first_load.extensions else first_load.total_bytes

    def stage(attribute: str) -> str:
        return _s(median([getattr(load, attribute) or 0 for load in stages]) / 1000)

    first_load_s = first_load.shown_ms / 1000
    cold_ratio = first_load_s / floor_s

    rows: list[tuple[str, str, str, bool | None]] = [
        ("a) Karte: Websocket-Frame mit den st_folium-Argumenten", _kb(map_bytes), "", None),
        ("   davon Tooltip-HTML der 44 Kreise", _kb(_tooltip_bytes(map_frame[1]) if map_frame else 0), "", None),
        (
            f"   Websocket erster Aufruf, Inhalt ({len(first_load.frames)} Frames, {first_load.script_runs} Skriptläufe)",
            _kb(first_load.total_bytes),
            "",
            None,
        ),
        (
            "   … auf der Leitung (permessage-deflate "
            + ("ausgehandelt, berechnet wie tornado komprimiert)" if first_load.extensions else "NICHT ausgehandelt)"),
            _kb(wire),
            f"≤ {_kb(TARGET_WS_BYTES)}",
            wire <= TARGET_WS_BYTES,
        ),
        (
            "   Anfragen an fremde Hosts beim ersten Aufruf",
            str(len(first_load.foreign_requests)),
            "0",
            not first_load.foreign_requests,
        ),
        (
            f"b) kalt: Prozessstart bis Ende 1. Lauf (Median {len(cold)} Prozesse)",
            _s(median([run["process_to_first_run_end"] for run in cold])),
            "",
            None,
        ),
        (
            "   1. Lauf allein (at.run(), Importe der Seite inklusive)",
            _s(median([r["first_run"] for r in cold])),
            "",
            None,
        ),
        (
            "   1. Lauf allein, nach dem Vorladen von `python -m lagebild serve`",
            _s(median([run["first_run"] for run in warm_imports])),
            "",
            None,
        ),
        (
            "   Rerun nach Kennzahlwechsel, wiederholt (Median)",
            _s(rerun),
            f"≤ {_s(TARGET_RERUN_S)}",
            rerun <= TARGET_RERUN_S,
        ),
        (
            f"   Rerun nach Kennzahlwechsel, Kennzahl zum ersten Mal, nach {_s(prepared)} auf der Seite (Median)",
            _s(first_time),
            f"≤ {_s(TARGET_RERUN_S)}",
            first_time <= TARGET_RERUN_S,
        ),
        (
            "   … eine sofort nach dem 1. Lauf: nicht vorbereitet (Start mit serve, scipy geladen; Median)",
            _s(first_now),
            f"≤ {_s(TARGET_RERUN_S)}",
            first_now <= TARGET_RERUN_S,
        ),
        ("   Rerun nach Klassenwechsel (Median)", _s(classes), f"≤ {_s(TARGET_RERUN_S)}", classes <= TARGET_RERUN_S),
        ("   Rerun nach Filterwechsel RB (Median)", _s(filters), f"≤ {_s(TARGET_RERUN_S)}", filters <= TARGET_RERUN_S),
        (
            f"   … alle {len(switches)} wiederholten Wechsel: kürzester / längster",
            f"{_s(min(switches), unit=False)} / {_s(max(switches))}",
            "",
            None,
        ),
        ("   Rerun ohne Änderung (Median)", _s(median([p for run in cold for p in run["plain"]])), "", None),
        (f"c) 44 Flächen sichtbar ab Navigation (Median {len(app_loads)}, Server warm)", _s(app_s), "", None),
        (
            "   mit Websocket-Mitschnitt (eigene Läufe): 44 Flächen sichtbar",
            _s(median([load.shown_ms for load in stages]) / 1000),
            "",
            None,
        ),
        ("   … Karten-Argumente empfangen (Websocket)", stage("map_args_ms"), "", None),
        ("   … Skriptlauf fertig (script_finished)", stage("finished_ms"), "", None),
        ("   … Karten-iframe angelegt", stage("iframe_ms"), "", None),
        (f"   Boden: „{FLOOR_TEXT}“ sichtbar (Median {len(floor_loads)})", _s(floor_s), "", None),
        ("   Verhältnis Landesübersicht / Boden", _times(ratio), f"≤ {_times(TARGET_RATIO)}", ratio <= TARGET_RATIO),
        (
            f"   Kartenboden: „{FLOOR_TEXT}“ und 44 Flächen über st_folium, sonst nichts (Median)",
            _s(map_floor_s),
            "",
            None,
        ),
        (
            "   Verhältnis Kartenboden / Boden (was der Stack für die Karte mindestens braucht)",
            _times(map_floor_s / floor_s),
            "",
            None,
        ),
        ("   Verhältnis Landesübersicht / Kartenboden", _times(app_s / map_floor_s), "", None),
        ("   kalt: erster Besuch nach dem Start (eigener Aufruf und Aufwärmen fertig)", _s(first_load_s), "", None),
        (
            "   Verhältnis kalt / Boden",
            _times(cold_ratio),
            f"≤ {_times(TARGET_COLD_RATIO)}",
            cold_ratio <= TARGET_COLD_RATIO,
        ),
        ("   kalt: Besuch im Moment, in dem der Port aufgeht", _s(at_opening), "", None),
        ("   Verhältnis Besuch bei Portöffnung / Boden", _times(at_opening / floor_s), "", None),
    ]
    for name, seconds in page_s.items():
        page_ratio = seconds / floor_s
        what = "Überschrift und Gemeindekarte" if name == "Kreisprofil" else "Bedarfskarten und Bedarfskarte"
        rows.append((f"d) {name} per Lesezeichen: {what} sichtbar (Median)", _s(seconds), "", None))
        rows.append(
            (
                f"   Verhältnis {name} / Boden",
                _times(page_ratio),
                f"≤ {_times(TARGET_PAGE_RATIO)}",
                page_ratio <= TARGET_PAGE_RATIO,
            )
        )
        rows.append((f"   Verhältnis {name} / Kartenboden", _times(seconds / map_floor_s), "", None))
    rows += [
        ("e) Speicher (RSS) des Servers nach den AppTest-Läufen, ohne Sitzung", _mb(memory.idle_mb), "", None),
        ("   … mit 1 offenen Sitzung", _mb(memory.one_mb), "", None),
        ("   … mit 10 offenen Sitzungen", _mb(memory.ten_mb), "", None),
        ("   … je weitere Sitzung", _mb((memory.ten_mb - memory.one_mb) / 9), "", None),
    ]

    print(f"Benchmark auf Beispieldaten (erzeugt für {TODAY:%d.%m.%Y}), {time.strftime('%d.%m.%Y %H:%M')}")
    for line in _machine():
        print(line)
    print(f"Browser   Chromium {chromium_version} headless, {' '.join(CHROMIUM_ARGS)}")
    # Other processes on the machine skew every time below; the load says how much.
    print(f"Last      Load-Average 1/5/15 min vorher {load_before}, nachher {_load_average()}")
    print()
    width = max(len(name) for name, *_ in rows)
    value_width = max(len(value) for _, value, *_ in rows)
    print(f"{'Messgröße':<{width}}  {'Wert':>{value_width}}  {'Ziel':<10}  Bewertung")
    print("-" * (width + value_width + 26))
    for name, value, target, ok in rows:
        verdict = "" if ok is None else ("erfüllt" if ok else "VERFEHLT")
        print(f"{name:<{width}}  {value:>{value_width}}  {target:<10}  {verdict}".rstrip())
    print()
    print("Einzelwerte c) App   [s]: " + " ".join(_s(load.shown_ms / 1000, unit=False) for load in app_loads))
    print("Einzelwerte c) Boden [s]: " + " ".join(_s(load.shown_ms / 1000, unit=False) for load in floor_loads))
    print("Einzelwerte c) Mitschnitt [s]: " + " ".join(_s(load.shown_ms / 1000, unit=False) for load in stages))
    for name, loads in pages.items():
        print(f"Einzelwerte d) {name} [s]: " + " ".join(_s(load.shown_ms / 1000, unit=False) for load in loads))
    print("Einzelwerte b) Wechsel [s]: " + " ".join(_s(s, unit=False) for s in switches))
    print("Einzelwerte b) erstmals [s]: " + " ".join(_s(s, unit=False) for run in cold for s in run["first_time"]))
    print(
        "kB = 1.000 Byte, MB = 1.000.000 Byte. c), d) im Browser gemessen, von performance.timeOrigin der Seite bis"
        " zum Erscheinen; Exporte: tests/bench/bench_exports.py, Hochladen: tests/bench/bench_intake.py."
    )


def _mb(mib: float) -> str:
    return f"{mib * 1024 * 1024 / 1e6:,.0f} MB".replace(",", ".")


def _load_average() -> str:
    try:
        return " / ".join(f"{x:.2f}".replace(".", ",") for x in os.getloadavg())
    except OSError:
        return "unbekannt"


def _times(ratio: float) -> str:
    return f"{ratio:.2f} ×".replace(".", ",")


def _kb(n: int) -> str:
    return f"{n / 1000:,.1f} kB".replace(",", "X").replace(".", ",").replace("X", ".")


def _s(seconds: float, unit: bool = True) -> str:
    text = f"{seconds:.2f}".replace(".", ",")
    return f"{text} s" if unit else text


if __name__ == "__main__":
    sys.exit(main())

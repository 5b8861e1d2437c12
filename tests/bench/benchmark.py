"""Landesübersicht on the demo data: map payload, server time per run, time to the 44 shapes in Chromium."""

from __future__ import annotations

import gzip
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
from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import version
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))  # run as a script from anywhere: tests/ and lagebild/ import from here

from playwright.sync_api import Browser, BrowserContext, Page, WebSocket, expect, sync_playwright  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from lagebild import demo  # noqa: E402
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

PACKAGES = ("streamlit", "streamlit-folium", "folium", "plotly", "playwright")

TARGET_MAP_BYTES = 300_000
TARGET_RERUN_S = 0.2
TARGET_RATIO = 1.25

# Runs in every frame of a context and stamps the moment its content is there, in the
# frame's own clock (performance.timeOrigin + now is epoch ms, comparable across frames).
# A MutationObserver, not requestAnimationFrame: Chromium throttles rAF in iframes
# outside the viewport, and the map starts below the fold. The map's shapes live only in
# its iframe, so the probe leaves Streamlit's own (busy) document alone.
SHOWN_PROBE = """
(() => {
  const target = %(target)s;
  if (target === 'map' && window.top === window) return;
  const shown = () => target === 'map'
    ? document.querySelectorAll('path.leaflet-interactive').length >= %(kreise)d && window.innerHeight > 0
    : !!document.body && document.body.textContent.includes(%(text)s);
  const check = () => {
    if (!window.__shownAt && shown()) window.__shownAt = performance.timeOrigin + performance.now();
  };
  new MutationObserver(check).observe(document, {childList: true, subtree: true, characterData: true});
  window.addEventListener('resize', check);
})();
"""

# The child process of part b): AppTest in a fresh interpreter, so the first run is cold.
CHILD = r"""
import json, sys, time
started = time.time()
if sys.argv[2] == "preimport":
    # Everything app.py and its pages import, loaded before the clock starts: the first
    # run without imports. Read from the sources so it follows the pages as they change.
    import ast, pathlib
    root = pathlib.Path(sys.argv[1]).parent
    for source in [root / "app.py", *sorted((root / "pages").glob("*.py"))]:
        tree = ast.parse(source.read_text())
        imports = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
        exec(compile(ast.Module(body=imports, type_ignores=[]), str(source), "exec"), {})
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

switches = [timed(lambda v=v: at.selectbox(key="karte_kennzahl").set_value(v).run())
            for v in ["need_fte", "ratio", "need_fte", "ratio", "need_fte"]]
plain = [timed(at.run) for _ in range(3)]
print(json.dumps({"started": started, "finished": finished, "first_run": first,
                  "switches": switches, "plain": plain}))
"""


@dataclass
class FirstLoad:
    """What the browser received over Streamlit's websocket while the page loaded."""

    frames: list[tuple[float, bytes]] = field(default_factory=list)
    script_runs: int = 0
    foreign_requests: list[str] = field(default_factory=list)
    websocket: WebSocket | None = None

    def on_frame(self, payload: str | bytes) -> None:
        data = payload.encode() if isinstance(payload, str) else payload
        self.frames.append((time.time() * 1000, data))
        if _message_type(data) == "script_finished":
            self.script_runs += 1

    @property
    def total_bytes(self) -> int:
        return sum(len(data) for _, data in self.frames)

    def map_frame(self) -> tuple[float, bytes] | None:
        return next(((at, data) for at, data in self.frames if b"L.geoJson" in data), None)


@dataclass
class Load:
    shown_ms: float
    iframe_ms: float | None = None
    map_args_ms: float | None = None
    finished_ms: float | None = None


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
        app_server = start_server(APP, data_dir, seed=lambda url: demo.seed(Store(url), TODAY))
        floor_server = start_server(str(floor_script), data_dir)
        try:
            # The servers sit idle until the first browser connects, so they cost b) nothing.
            cold = [_cold_run(app_server.database_url, "imports") for _ in range(COLD_PROCESSES)]
            warm_imports = [_cold_run(app_server.database_url, "preimport") for _ in range(COLD_PROCESSES)]
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                try:
                    first_load, app_loads, floor_loads = _browser_figures(browser, app_server.url, floor_server.url)
                    chromium_version = browser.version
                finally:
                    browser.close()
        finally:
            stop_server(app_server)
            stop_server(floor_server)

    _report(cold, warm_imports, first_load, app_loads, floor_loads, chromium_version, load_before)
    return 0


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


def _browser_figures(browser: Browser, app_url: str, floor_url: str) -> tuple[FirstLoad, list[Load], list[Load]]:
    # The warm-up load of the app is its first ever (cold server): it also gives part a).
    first_load = FirstLoad()
    _load(browser, app_url, "map", first_load)
    _load(browser, floor_url, "text")
    app_loads: list[Load] = []
    floor_loads: list[Load] = []
    for _ in range(SAMPLES):  # interleaved, so a noisy moment hurts both sides alike
        app_loads.append(_load(browser, app_url, "map", FirstLoad()))
        floor_loads.append(_load(browser, floor_url, "text"))
    return first_load, app_loads, floor_loads


def _load(browser: Browser, url: str, target: str, capture: FirstLoad | None = None) -> Load:
    context = _new_context(browser, target)
    try:
        page = context.new_page()
        if capture is not None:
            page.on("websocket", lambda ws: _watch(ws, capture))
            page.on("request", lambda r: None if is_local_url(r.url) else capture.foreign_requests.append(r.url))
        page.goto(url)
        if target == "map":
            return _wait_for_map(page, capture)
        expect(page.get_by_text(FLOOR_TEXT)).to_be_visible()
        page.wait_for_function("() => window.__shownAt")
        return Load(shown_ms=page.evaluate("window.__shownAt - performance.timeOrigin"))
    finally:
        context.close()


def _wait_for_map(page: Page, capture: FirstLoad | None) -> Load:
    expect(page.frame_locator(MAP_IFRAME).locator(SHAPES)).to_have_count(KREISE)
    handle = page.locator(MAP_IFRAME).element_handle()
    frame = handle.content_frame() if handle else None
    assert frame is not None
    frame.wait_for_function("() => window.__shownAt")
    origin = page.evaluate("performance.timeOrigin")
    load = Load(
        shown_ms=frame.evaluate("window.__shownAt") - origin,
        iframe_ms=frame.evaluate("performance.timeOrigin") - origin,
    )
    if capture is not None:
        if capture.script_runs == 0 and capture.websocket is not None:
            # Frames are delivered only while Playwright waits, so none slips in between.
            capture.websocket.wait_for_event("framereceived", lambda p: _message_type(_bytes(p)) == "script_finished")
        map_frame = capture.map_frame()
        load.map_args_ms = map_frame[0] - origin if map_frame else None
        finished = [at for at, data in capture.frames if _message_type(data) == "script_finished"]
        load.finished_ms = finished[0] - origin if finished else None
    return load


def _new_context(browser: Browser, target: str) -> BrowserContext:
    # As in tests/browser/conftest.py, minus the request routing: routing every request
    # through Playwright would add its own latency to what is measured here.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="de-DE",
        timezone_id="Europe/Berlin",
        service_workers="block",
    )
    context.add_init_script(
        SHOWN_PROBE % {"target": json.dumps(target), "kreise": KREISE, "text": json.dumps(FLOOR_TEXT)}
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
    app_loads: list[Load],
    floor_loads: list[Load],
    chromium_version: str,
    load_before: str,
) -> None:
    median = statistics.median
    map_frame = first_load.map_frame()
    map_bytes = len(map_frame[1]) if map_frame else 0
    switches = [s for run in cold for s in run["switches"]]
    rerun = median([median(run["switches"]) for run in cold])
    app_s = median([load.shown_ms for load in app_loads]) / 1000
    floor_s = median([load.shown_ms for load in floor_loads]) / 1000
    ratio = app_s / floor_s

    def stage(attribute: str) -> str:
        return _s(median([getattr(load, attribute) or 0 for load in app_loads]) / 1000)

    rows: list[tuple[str, str, str, bool | None]] = [
        (
            "a) Karte: Websocket-Frame mit den st_folium-Argumenten",
            _kb(map_bytes),
            f"< {_kb(TARGET_MAP_BYTES)}",
            0 < map_bytes < TARGET_MAP_BYTES,
        ),
        ("   davon Tooltip-HTML der 44 Kreise", _kb(_tooltip_bytes(map_frame[1]) if map_frame else 0), "", None),
        (
            "   derselbe Frame gzip-komprimiert (nur zum Vergleich)",
            _kb(len(gzip.compress(map_frame[1])) if map_frame else 0),
            "",
            None,
        ),
        (
            f"   Websocket gesamt, erster Aufruf ({len(first_load.frames)} Frames, {first_load.script_runs} Skriptlauf)",
            _kb(first_load.total_bytes),
            "",
            None,
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
            _s(median([run["first_run"] for run in cold])),
            "",
            None,
        ),
        (
            "   1. Lauf allein, Importe der Seite vorher geladen",
            _s(median([run["first_run"] for run in warm_imports])),
            "",
            None,
        ),
        (
            "   Rerun nach Kennzahlwechsel (Median von 5 Wechseln)",
            _s(rerun),
            f"< {_s(TARGET_RERUN_S)}",
            rerun < TARGET_RERUN_S,
        ),
        (
            f"   … alle {len(switches)} Wechsel: kürzester / längster",
            f"{_s(min(switches), unit=False)} / {_s(max(switches))}",
            "",
            None,
        ),
        ("   Rerun ohne Änderung (Median)", _s(median([p for run in cold for p in run["plain"]])), "", None),
        (f"c) 44 Flächen sichtbar ab Navigation (Median {len(app_loads)}, Server warm)", _s(app_s), "", None),
        ("   … Karten-Argumente empfangen (Websocket)", stage("map_args_ms"), "", None),
        ("   … Skriptlauf fertig (script_finished)", stage("finished_ms"), "", None),
        ("   … Karten-iframe angelegt", stage("iframe_ms"), "", None),
        (f"   Boden: „{FLOOR_TEXT}“ sichtbar (Median {len(floor_loads)})", _s(floor_s), "", None),
        ("   Verhältnis App / Boden", _times(ratio), f"≤ {_times(TARGET_RATIO)}", ratio <= TARGET_RATIO),
    ]

    print(
        f"Landesübersicht – Benchmark auf Beispieldaten (erzeugt für {TODAY:%d.%m.%Y}), "
        f"{time.strftime('%d.%m.%Y %H:%M')}"
    )
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
    print("Einzelwerte b) Wechsel [s]: " + " ".join(_s(s, unit=False) for s in switches))
    print("kB = 1.000 Byte. c) im Browser gemessen, von performance.timeOrigin der Seite bis zum Erscheinen.")


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

"""Load test of the cluster (`make loadtest`, not in CI): N browser sessions at once through the proxy.

Each session, as a Monday-morning user: open the Landesübersicht until the 44 shapes are drawn, switch the map's
Kennzahl, open a Kreisprofil by its address, download the profile's first chart as PNG. Prints per N the p50 and
p95 of each step, the errors, the CPU seconds of the replicas and of the rest of the machine, and the memory
(PSS and RSS) of each replica with N sessions open; then the memory after all
sessions have closed. Usage: python tests/bench/loadtest.py [--replicas 2] [--sessions 1,10,20,50]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import statistics
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from playwright.async_api import Browser, async_playwright, expect  # noqa: E402

from deploy import cluster as local_cluster  # noqa: E402
from lagebild import demo  # noqa: E402
from lagebild.store import Store  # noqa: E402
from tests.support.chromium import CHROMIUM_ARGS  # noqa: E402

TODAY = date(2026, 11, 27)  # the browser tests' fixed day, so the figures compare
KREISE = 44
MAP_IFRAME = 'iframe[src*="streamlit_folium.st_folium"]'  # its title is the map's German name
STEP_TIMEOUT_MS = 180_000
KREIS_KEYS = ["08317", "08115", "08111", "08212", "08425", "08136", "08311", "08416", "08226", "08335"]
DISCONNECTED_TTL_S = 120  # Streamlit's default server.disconnectedSessionTTL
STEPS = ("Karte sichtbar", "Kennzahl gewechselt", "Kreisprofil sichtbar", "PNG geladen")


def _stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name (which may contain spaces): field 4 is index 1."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _tree(root: int) -> list[int]:
    """The process and all its descendants (Streamlit's Chromium for exports runs as its children)."""
    parents: dict[int, int] = {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                parents[int(proc.name)] = int(_stat(int(proc.name))[1])
            except (OSError, IndexError, ValueError):
                continue
    members, grown = {root}, True
    while grown:
        grown = False
        for pid, parent in parents.items():
            if parent in members and pid not in members:
                members.add(pid)
                grown = True
    return sorted(members)


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children."""
    total = 0
    for member in _tree(pid):
        try:
            total += int(_stat(member)[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    return total / 2**20


def pss_mib(pid: int) -> float:
    """Proportional memory of a process and its children: shared pages (Chromium's processes share most of theirs)
    are split among the sharers instead of counted in full for each, as RSS does."""
    total = 0
    for member in _tree(pid):
        try:
            rollup = Path(f"/proc/{member}/smaps_rollup").read_text()
            total += next(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")) * 1024
        except (OSError, StopIteration, ValueError):
            continue
    return total / 2**20


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process and its children have used, including children that have ended."""
    ticks = 0
    for member in _tree(pid):
        try:
            fields = _stat(member)
            ticks += sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
        except (OSError, IndexError, ValueError):
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_cpu_s() -> float:
    """CPU seconds the whole machine has been busy (all cores), from /proc/stat."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = (
        int(v) for v in Path("/proc/stat").read_text().split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


class Hold:
    """Keeps a round's sessions open and idle until all are through, so the memory with N open sessions is seen."""

    def __init__(self, count: int):
        self.count = count
        self.all_through = asyncio.Event()
        self.released = asyncio.Event()

    def done(self) -> None:
        self.count -= 1
        if self.count == 0:
            self.all_through.set()


async def session(
    browser: Browser, url: str, number: int, times: dict[str, list[float]], errors: list[str], hold: Hold | None = None
) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 800}, locale="de-DE", accept_downloads=True)
    await context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort("blockedbyclient")
        ),
    )
    page = await context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    step = STEPS[0]
    try:
        started = time.monotonic()
        await page.goto(url)
        await expect(page.frame_locator(MAP_IFRAME).last.locator("path.leaflet-interactive")).to_have_count(
            KREISE, timeout=STEP_TIMEOUT_MS
        )
        times[step].append(time.monotonic() - started)

        step = STEPS[1]
        started = time.monotonic()
        box = page.get_by_role("combobox", name="Kennzahl", exact=True)
        await box.click()
        await page.keyboard.type("Verstärkungsbedarf")
        await page.keyboard.press("Enter")
        await expect(page.get_by_test_id("stApp")).to_have_attribute(
            "data-test-script-state", "notRunning", timeout=STEP_TIMEOUT_MS
        )
        await expect(box).to_have_value(re.compile("^Verstärkungsbedarf"), timeout=STEP_TIMEOUT_MS)
        times[step].append(time.monotonic() - started)

        step = STEPS[2]
        started = time.monotonic()
        kreis = KREIS_KEYS[number % len(KREIS_KEYS)]
        await page.goto(f"{url}kreis?auswahl={kreis}")
        await expect(page.get_by_role("heading", level=1)).to_be_visible(timeout=STEP_TIMEOUT_MS)
        times[step].append(time.monotonic() - started)

        step = STEPS[3]
        started = time.monotonic()
        await page.get_by_text("Export: Grafiken und Daten").click()
        async with page.expect_download(timeout=STEP_TIMEOUT_MS) as info:
            await page.locator(".st-key-export_kreis_zugaenge_png button").first.click()
        await (await info.value).path()
        times[step].append(time.monotonic() - started)
        if await page.get_by_test_id("stException").count():
            errors.append(f"Sitzung {number}: Fehlerkasten")
    except Exception as exc:  # noqa: BLE001 - every failure is counted, none ends the run
        errors.append(f"Sitzung {number}, {step}: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
    finally:
        if hold is not None:  # stay open (idle) until every session of the round is through, for the memory
            hold.done()
            await hold.released.wait()
        await context.close()


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def run(replicas: int, counts: list[int]) -> None:
    started = local_cluster.start(replicas=replicas, seed=lambda url: demo.seed(Store(url), TODAY))
    print(
        f"Lasttest {date.today():%d.%m.%Y}: {replicas} Replikate hinter HAProxy, PostgreSQL; "
        f"{os.cpu_count()} Kerne, {platform.machine()}, Python {platform.python_version()}"
    )

    pids = [r.process.pid for r in started.replicas]

    def rss() -> list[tuple[float, float]]:
        return [(pss_mib(pid), rss_mib(pid)) for pid in pids]

    def shown(values: list[tuple[float, float]]) -> str:
        return " / ".join(f"{pss:.0f} ({rss:.0f})" for pss, rss in values)

    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            # One session per replica first (HAProxy hands new sessions round-robin), so every replica has its
            # geometry, caches and export browser warm, as a server that has been up for a while has.
            for n in range(replicas):
                await session(browser, started.url, n, defaultdict(list), [])
            idle = rss()
            print(f"Speicher je Replik nach dem Aufwärmen, keine Sitzung offen, MiB PSS (RSS): {shown(idle)}")
            print(
                f"{'N':>3} | {'Schritt':<22} | {'p50 s':>6} | {'p95 s':>6} | Fehler | MiB PSS (RSS) je Replik, N Sitzungen offen"
            )
            for count in counts:
                times: dict[str, list[float]] = defaultdict(list)
                errors: list[str] = []
                hold = Hold(count)
                cpu_before, machine_before, wall_before = sum(map(cpu_s, pids)), machine_cpu_s(), time.monotonic()
                tasks = [
                    asyncio.create_task(session(browser, started.url, n, times, errors, hold)) for n in range(count)
                ]
                await hold.all_through.wait()
                await asyncio.sleep(2)
                open_rss = rss()
                hold.released.set()
                await asyncio.gather(*tasks)
                wall = time.monotonic() - wall_before
                server_cpu = sum(map(cpu_s, pids)) - cpu_before
                machine = machine_cpu_s() - machine_before
                for step in STEPS:
                    values = times.get(step, [])
                    p50 = f"{statistics.median(values):6.1f}" if values else "     –"
                    p95 = f"{quantile(values, 0.95):6.1f}" if values else "     –"
                    print(f"{count:>3} | {step:<22} | {p50} | {p95} | {len(errors):>6} | {shown(open_rss)}")
                per_session = (sum(pss for pss, _ in open_rss) - sum(pss for pss, _ in idle)) / count
                print(
                    f"      je offene Sitzung: {per_session:+.1f} MiB PSS (Summe der Replikate gegen nach dem Aufwärmen)"
                )
                print(
                    f"      CPU in {wall:.0f} s: Replikate {server_cpu:.1f} s ({server_cpu / count:.2f} s je Sitzung), "
                    f"übrige Maschine (Testbrowser, Proxy, PostgreSQL) {machine - server_cpu:.1f} s, "
                    f"Auslastung {machine / wall / (os.cpu_count() or 1):.0%}"
                )
                for error in errors[:10]:
                    print(f"      {error}")
            await browser.close()
        # Streamlit keeps a closed tab's session for server.disconnectedSessionTTL (120 s) so a reconnect finds it.
        await asyncio.sleep(5)
        print(f"Speicher 5 s nach dem Schließen aller Sitzungen, MiB PSS (RSS): {shown(rss())}")
        await asyncio.sleep(DISCONNECTED_TTL_S + 15)
        print(
            f"Speicher {DISCONNECTED_TTL_S + 20} s nach dem Schließen (nach Streamlits Frist für getrennte "
            f"Sitzungen), MiB PSS (RSS): {shown(rss())}"
        )
    finally:
        started.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--sessions", default="1,10,20,50", help="Anzahl gleichzeitiger Sitzungen, z. B. 1,10,20,50")
    args = parser.parse_args()
    asyncio.run(run(args.replicas, [int(n) for n in args.sessions.split(",")]))


if __name__ == "__main__":
    main()

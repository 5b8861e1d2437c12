"""Benchmark: time to open the Kreisprofil cold (from a bookmark) and on a rerun, server side (AppTest).

Run: .venv/bin/python tests/bench/bench_kreis.py — prints the figures for the README.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")

CHILD = """
import time, sys
t0 = time.perf_counter()
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=300)
at.session_state["_karte_gezeigt"] = True  # as after the browser's report: the charts are drawn, as in use
at.query_params["kreis"] = "08115"
at.switch_page("pages/kreis.py")
t1 = time.perf_counter()
at.run()
assert not at.exception, at.exception
t2 = time.perf_counter()
reruns = []
for _ in range(5):
    t = time.perf_counter(); at.run(); reruns.append(time.perf_counter() - t)
assert at.title[0].value == "Böblingen"
print(t2 - t0, t2 - t1, sorted(reruns)[2])
"""


def main() -> None:
    from datetime import date

    sys.path.insert(0, str(ROOT))
    from lagebild import demo
    from lagebild.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite"
        demo.seed(Store(url), date(2026, 11, 27))
        env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
        runs = []
        for _ in range(3):
            out = subprocess.run(
                [sys.executable, "-c", CHILD, APP], env=env, capture_output=True, text=True, check=True
            )
            runs.append([float(x) for x in out.stdout.split()[-3:]])
    cold, first, rerun = (statistics.median(r[i] for r in runs) for i in range(3))
    de = lambda s: f"{s:.2f}".replace(".", ",")  # noqa: E731
    print(f"Kreisprofil Böblingen (?kreis=08115), Median aus 3 Prozessen, load {os.getloadavg()[0]:.2f}")
    print(f"  kalt: Prozessstart bis Ende des ersten Laufs   {de(cold)} s")
    print(f"  erster Lauf allein (Importe inklusive)         {de(first)} s")
    print(f"  Rerun (Median von 5)                           {de(rerun)} s")


if __name__ == "__main__":
    main()

"""Benchmark: server time from the upload of a 44-row GENESIS table to its preview on the Daten page (issue 12).

Run: .venv/bin/python tests/bench/bench_intake.py [REPO] — prints the figures for the README. REPO (default: this
checkout) lets the same script measure another checkout, e.g. the state before the one intake pipeline.

Two measurements, each the median of RUNS:
- the page in AppTest (its whole script, sidebar included): the upload, the choice of the value column, and a rerun
  with nothing changed; each first run with a file of new content (nothing cached), then the same file again;
- the intake functions alone, without Streamlit's cache: what a cache miss costs.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

RUNS = 7
NAME = "genesis_12531_schutzsuchende_kreise.csv"


def variant(data: bytes, n: int) -> bytes:
    """The same table with n blank lines after its footer: other bytes, another hash, the same 44 rows."""
    return data + b"\r\n" * n


def de(seconds: float) -> str:
    return f"{seconds:.3f}".replace(".", ",")


def bench_page(root: Path, data: bytes) -> dict[str, list[float]]:
    from streamlit.testing.v1 import AppTest

    times: dict[str, list[float]] = {"Hochladen": [], "Wertespalte wählen": [], "Rerun, nichts geändert": []}
    at = AppTest.from_file(str(root / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("pages/daten.py").run()
    for n in range(RUNS):
        t = time.perf_counter()
        at.file_uploader[0].set_value((NAME, variant(data, n + 1), "text/csv")).run()
        times["Hochladen"].append(time.perf_counter() - t)
        column = next(w for w in at.selectbox if w.key and w.key.startswith("spalte_"))
        t = time.perf_counter()
        column.set_value(1).run()
        times["Wertespalte wählen"].append(time.perf_counter() - t)
        assert any("Zeilen verstanden:** 44" in m.value for m in at.markdown), "keine Vorschau mit 44 Zeilen"
        t = time.perf_counter()
        at.run()
        times["Rerun, nichts geändert"].append(time.perf_counter() - t)
        assert not at.exception, at.exception
    return times


def bench_functions(url: str, data: bytes) -> dict[str, list[float]]:
    from lagebild.domain.regions import regions
    from lagebild.intake import review
    from lagebild.store import Store, sha256_of

    store, regs = Store(url), regions()
    existing = store.observations()
    times: dict[str, list[float]] = {"Prüfung ohne Cache (Funktionen der Seite)": []}
    for n in range(RUNS):
        file = variant(data, 100 + n)
        t = time.perf_counter()
        if hasattr(review, "open_upload"):
            upload = review.open_upload(file, NAME, sha256_of(file))
            answers = review.Answers(upload.info.suggested_measure, column=1)
            result = review.examine(store, upload, answers, existing=existing, regs=regs)
        else:  # the page before the one pipeline: inspect, then check, both from the bytes
            sha256_of(file)
            info = review.inspect(file, NAME)
            result = review.check(
                store, file, NAME, measure=info.suggested_measure, existing=existing, regs=regs, column=1
            )
        times["Prüfung ohne Cache (Funktionen der Seite)"].append(time.perf_counter() - t)
        assert result.parsed.ok and len(result.parsed.rows) == 44
    return times


def main() -> None:
    root = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root))
    from lagebild import demo
    from lagebild.store import Store

    data = (root / "tests" / "fixtures" / NAME).read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite"
        demo.seed(Store(url), date(2024, 1, 15))
        os.environ["DATABASE_URL"] = url
        times = {**bench_functions(url, data), **bench_page(root, data)}
    print(f"Daten: GENESIS-Tabelle mit 44 Kreisen ({NAME}), {root}")
    print(f"Median aus {RUNS} Läufen, Last vorher {os.getloadavg()[0]:.2f}; Sekunden (Spanne)")
    for label, values in times.items():
        print(f"  {label:<45} {de(statistics.median(values))} s ({de(min(values))}–{de(max(values))})")


if __name__ == "__main__":
    main()

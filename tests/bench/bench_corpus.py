"""Prints seconds and peak memory per corpus file through the Daten page's check (issue 17); run by hand, never in tests.

    python tests/bench/bench_corpus.py            # every file of tests/support/corpus.py
    python tests/bench/bench_corpus.py NAME ...   # only these

Each file runs in a fresh process of its own (so one file's memory never counts for another): the process imports the
app's modules, opens a store with the demo data, and then measures the same calls the page makes, review.open_upload
and review.examine. Peak memory is the process's peak resident size (the kernel's VmHWM, reset before the file is read,
since ru_maxrss carries the parent's peak over exec), what of it the file added, and, from a second run of the
same calls under tracemalloc, the peak of what Python allocated for the file (tracemalloc slows that run, so the
seconds come from the first). CPU seconds beside the wall clock: on a shared machine the wall clock counts the others.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from tests.support.corpus import CASES, Case  # noqa: E402
from tests.unit.intake.test_corpus import DEMO_TODAY  # noqa: E402

TARGET_SECONDS = 5.0
TARGET_MB = 500

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from datetime import date
from pathlib import Path
from lagebild.intake import review
from lagebild.domain.regions import regions
from lagebild.store import Store

store = Store({url!r})
regs = regions()
existing = store.observations()
path = Path({path!r})


def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) / 1024


# Linux keeps ru_maxrss across fork and exec, so the parent's size would count: the kernel's peak is reset here instead.
try:
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    base = status("VmRSS:")
except OSError:
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start, cpu = time.perf_counter(), time.process_time()
data = path.read_bytes()
upload = review.open_upload(data, path.name)
measure = None if upload.info.measure_is_named else {measure!r}
result = review.examine(store, upload, review.Answers(measure), existing=existing, regs=regs)
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = status("VmHWM:") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
first = result.parsed.problems[0] if result.parsed.problems else None
del data, upload, result
import tracemalloc
tracemalloc.start()
data = path.read_bytes()
upload = review.open_upload(data, path.name)
again = review.examine(store, upload, review.Answers(measure), existing=existing, regs=regs)
traced = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
result = again
print(json.dumps({{"seconds": seconds, "cpu": cpu, "peak_mb": peak, "rss_extra_mb": peak - base,
                  "extra_mb": traced / 1024 / 1024,
                  "ok": result.parsed.ok, "rows": len(result.parsed.rows), "problems": len(result.parsed.problems),
                  "message": str(first)[:90] if first else ""}}))
"""


def measure(case: Case, folder: Path, url: str) -> dict:
    path = folder / case.file_name
    path.write_bytes(case.data())
    code = CHILD.format(root=str(REPO_ROOT), url=url, path=str(path), measure=case.measure_key)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT)
    size = path.stat().st_size
    path.unlink()
    if done.returncode != 0:
        return {
            "size": size,
            "error": done.stderr.strip().splitlines()[-1] if done.stderr else f"exit {done.returncode}",
        }
    return {"size": size, **json.loads(done.stdout.strip().splitlines()[-1])}


def main(names: list[str]) -> int:
    from lagebild import demo
    from lagebild.store import Store

    cases = [c for c in CASES if not names or c.file_name in names]
    with tempfile.TemporaryDirectory(prefix="bench_corpus_") as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'lagebild.sqlite'}"
        store = Store(url)
        demo.seed(store, DEMO_TODAY)
        store.engine.dispose()
        print(
            "| Dateiart | Datei | Größe | Entscheidung | Sekunden | CPU-Sekunden | Spitze MB (Prozess) | davon für die Datei MB (RSS) | Python-Spitze für die Datei MB (tracemalloc) |"
        )
        print("|---|---|---:|---|---:|---:|---:|---:|---:|")
        worst_s = worst_cpu = worst_mb = 0.0
        for case in cases:
            r = measure(case, folder, url)
            size = f"{r['size'] / 1024 / 1024:.1f} MB" if r["size"] >= 1024 * 1024 else f"{r['size'] / 1024:.1f} KB"
            if "error" in r:
                print(f"| {case.kind} | {case.file_name} | {size} | FEHLER: {r['error']} | | | | | |")
                continue
            decision = (
                f"gelesen ({r['rows']} {'Zeile' if r['rows'] == 1 else 'Zeilen'})"
                if r["ok"]
                else f"abgelehnt ({r['problems']}): {r['message']}"
            )
            decision = decision.replace("|", "/")
            print(
                f"| {case.kind} | {case.file_name} | {size} | {decision} | {r['seconds']:.2f} | {r['cpu']:.2f} | {r['peak_mb']:.0f} | {r['rss_extra_mb']:.0f} | "
                f"{r['extra_mb']:.1f} |",
                flush=True,
            )
            worst_s, worst_cpu, worst_mb = (
                max(worst_s, r["seconds"]),
                max(worst_cpu, r["cpu"]),
                max(worst_mb, r["peak_mb"]),
            )
        print(
            f"\nlängste Prüfung {worst_s:.2f} s, {worst_cpu:.2f} s CPU (Ziel ≤ {TARGET_SECONDS:.0f} s), höchste Prozessspitze {worst_mb:.0f} MB "
            f"(Ziel ≤ {TARGET_MB} MB)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

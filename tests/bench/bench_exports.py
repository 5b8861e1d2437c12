"""Export timings on the demo data: first and tenth PNG in one process, and the Kreis profile PDF.

Run by hand (`.venv/bin/python tests/bench/bench_exports.py`); the figures go into the README.
Each PNG shows another selected Kreis, so none is served from the export cache.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from lagebild import geometry  # noqa: E402
from lagebild.domain.regions import regions  # noqa: E402
from lagebild.export import figure_layout, files, images, profile_pdf  # noqa: E402
from lagebild.present import charts  # noqa: E402
from lagebild.settings import Thresholds  # noqa: E402
from tests.support.exports import build_view  # noqa: E402

RUNS = 10


def timed(action) -> tuple[float, bytes]:  # noqa: ANN001 - a callable returning bytes
    start = time.perf_counter()
    data = action()
    return time.perf_counter() - start, data


def main() -> None:
    if images.chromium_path() is None:
        sys.exit(images.CHROMIUM_MISSING)
    with tempfile.TemporaryDirectory() as folder:
        view = build_view(Path(folder))  # the Landesübersicht as the export tests see it
    obs, table, classified, meta, period = view.obs, view.table, view.classified, view.meta, view.period
    regs, thresholds, as_of, source = regions(), Thresholds(), meta.as_of, meta.source_line
    web = files.PRESETS["web"]
    keys = regs.kreis_keys

    print(f"Export-Messung, Beispieldaten, Stand {as_of:%d.%m.%Y}, Preset {web.label} ({web.description})")
    print(f"Chromium: {images.chromium_path()}")
    ranking_times = []
    for i in range(RUNS):
        fig = charts.ranking(
            table,
            "ratio",
            classified,
            thresholds,
            selected=keys[i],
            source_line=source,
            subtitle="Geflüchtete je VZÄ · Baden-Württemberg",
        )
        seconds, _ = timed(lambda fig=fig: images.image_bytes(fig, "png", web, meta))
        ranking_times.append(seconds)
    print(
        f"Rangfolge PNG:  1. {ranking_times[0]:6.2f} s (mit Start des Browsers)   2. {ranking_times[1]:5.2f} s   "
        f"10. {ranking_times[-1]:5.2f} s   Median 2.–10. {statistics.median(ranking_times[1:]):5.2f} s"
    )
    map_times = []
    for i in range(RUNS):
        fig = figure_layout.kreise_map_figure(
            geometry.layers(),
            classified,
            title="Betreuungsschlüssel der Kreise",
            subtitle="Geflüchtete je VZÄ",
            selected=keys[i],
        )
        seconds, _ = timed(lambda fig=fig: images.image_bytes(fig, "png", web, meta))
        map_times.append(seconds)
    print(
        f"Karte PNG:      1. {map_times[0]:6.2f} s   10. {map_times[-1]:5.2f} s   "
        f"Median 1.–10. {statistics.median(map_times):5.2f} s"
    )
    seconds, _ = timed(lambda: images.image_bytes(fig, "png", web, meta))
    print(f"Karte PNG noch einmal (aus dem Zwischenspeicher): {seconds:.3f} s")
    for kreis in ("08115", "08111"):
        data = profile_pdf.ProfileInput(
            kreis, regs, table, obs, period, geometry.layers().kreise, geometry.gemeinden(), meta
        )
        seconds, pdf = timed(lambda data=data: profile_pdf.kreis_profile_pdf(data))
        print(f"Kreisprofil PDF {regs[kreis].display_name}: {seconds:.2f} s, {len(pdf) / 1024:,.0f} KiB")


if __name__ == "__main__":
    main()

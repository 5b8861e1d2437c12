"""`python -m lagebild serve` loads the heavy modules and the geometry before Streamlit starts, and nothing that
must wait for Streamlit's runtime (issue 12)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time

from lagebild.app import serve
from tests.browser.conftest import seed_demo, start_server, stop_server

# In a fresh interpreter, as at a start: what preload leaves in sys.modules.
PROBE = """
import json, sys
from lagebild.app import serve
serve.preload()
print(json.dumps(sorted(sys.modules)))
"""


def test_preload_loads_the_heavy_modules_but_nothing_that_registers_with_streamlit():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=serve.ROOT, capture_output=True, text=True, check=True, timeout=300
    )
    loaded = set(json.loads(result.stdout.strip().splitlines()[-1]))
    # What the first visit after a start paid for before.
    assert {"pandas", "geopandas", "plotly.graph_objects", "folium", "mapclassify", "scipy"} <= loaded
    assert {"lagebild.views.overview", "lagebild.views.kreis", "lagebild.views.planner"} <= loaded
    # A component declared outside a script run is never registered: its frame would answer 404 (no map).
    early = {m for m in loaded if serve._at_first_run(m)} - {"lagebild.app", "lagebild.app.serve"}  # the launcher
    assert not early, f"preload imported what must wait for Streamlit's runtime: {sorted(early)}"


def test_page_imports_follow_the_pages_sources(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "app.py").write_text("import streamlit as st\nfrom lagebild.app import sidebar\nimport json\n")
    (tmp_path / "pages" / "eins.py").write_text(
        "from lagebild.views import overview as views\nfrom streamlit_folium import st_folium\nx = 1\n"
    )
    assert serve.page_imports(tmp_path) == ["json", "lagebild.views", "lagebild.views.overview"]


def test_the_start_opens_the_first_page_itself_before_anyone_comes(tmp_path):
    """The first run of a process (store check, first view, its map) happens at the start, so the first person does
    not wait for it; the visit gets as far as the Landesübersicht's map, without an exception."""
    server = start_server("app.py", tmp_path, seed=seed_demo)
    try:
        deadline = time.monotonic() + 120
        while "Lagebild: erste Seite beim Start" not in (log := server.log_path.read_text(encoding="utf-8")):
            assert server.process.poll() is None, log
            assert time.monotonic() < deadline, f"no first visit reported:\n{log}"
            time.sleep(0.2)
    finally:
        stop_server(server)
    assert re.search(r"Lagebild: erste Seite beim Start in \d+,\d s aufgerufen \(mit Karte\)\.", log), log
    assert "Traceback" not in log

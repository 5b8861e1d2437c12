"""`python -m lagebild serve` loads the heavy modules and the geometry before Streamlit starts, and nothing that
must wait for Streamlit's runtime (issue 12)."""

from __future__ import annotations

import json
import subprocess
import sys

from lagebild.app import serve

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

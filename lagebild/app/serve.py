"""`python -m lagebild serve`: the app's own start, `streamlit run app.py` after loading what every first visit needs.

Streamlit runs nothing of the app before the first browser connects, so the first visit after a start paid for the
imports of app.py and its pages (≈ 1.1 s: pandas, plotly, folium, geopandas …), the Kreis geometry and, with the
first quantiles, mapclassify and scipy (issue 12). Loaded here, before Streamlit opens its port, they are in the
process when the first visit comes. Everything after the word `serve` goes to `streamlit run` unchanged.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"


# Not before Streamlit runs: a module that declares a component (streamlit_folium, lagebild.app's widgets) registers
# it only inside a script run, and Streamlit's caches want their runtime. Outside lagebild.app nothing imports
# Streamlit; what is heavy (pandas, geopandas, plotly, folium) comes in through lagebild's other packages.
AT_FIRST_RUN = ("streamlit", "streamlit_folium", "lagebild.app")


def _at_first_run(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in AT_FIRST_RUN)


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # the part before the dot is a module, not a package
        return False


def page_imports(root: Path = ROOT) -> list[str]:
    """Runs the import statements of app.py and every page, read from their sources so this follows the pages as
    they change, except those of AT_FIRST_RUN; returns the modules imported."""
    done: list[str] = []
    for source in [root / "app.py", *sorted((root / "pages").glob("*.py"))]:
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and not _at_first_run(node.module):
                # `from package import module` imports the module too.
                modules = [node.module] + [
                    f"{node.module}.{alias.name}" for alias in node.names if _is_module(f"{node.module}.{alias.name}")
                ]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                if not _at_first_run(module) and module not in done and module != "__future__":
                    importlib.import_module(module)
                    done.append(module)
    return done


def preload() -> float:
    """Imports, geometry and the classifier's libraries; returns the seconds it took."""
    started = time.perf_counter()
    page_imports()
    from lagebild import geometry

    geometry.layers()
    import mapclassify  # noqa: F401 - what the first quantiles import (scipy), loaded before anyone asks

    return time.perf_counter() - started


def main(streamlit_args: list[str]) -> int:
    seconds = preload()
    print(f"Lagebild: Module und Geometrie in {seconds:.1f} s geladen, Streamlit startet.", file=sys.stderr, flush=True)
    from streamlit.web import cli

    cli.main(args=["run", str(APP), *streamlit_args], prog_name="streamlit")  # exits the process itself
    return 0

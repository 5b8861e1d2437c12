"""The layers of the package: only lagebild.app imports streamlit, so the domain, the CLI and the exports run without it."""

import pkgutil
import subprocess
import sys

import lagebild

BLOCK_STREAMLIT = """
import importlib, importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "streamlit" or name.startswith("streamlit.") or name.startswith("streamlit_folium"):
            raise ImportError("streamlit is not to be imported here: " + name)
sys.meta_path.insert(0, Block())
for module in sys.argv[1:]:
    importlib.import_module(module)
"""


def modules_outside_the_app_layer() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(lagebild.__path__, "lagebild.")]
    # __main__ runs the command line when imported.
    return [n for n in names if not n.startswith(("lagebild.app", "lagebild.migrations", "lagebild.__main__"))]


def test_every_module_outside_lagebild_app_imports_without_streamlit():
    modules = modules_outside_the_app_layer()
    assert "lagebild.store" in modules and "lagebild.export.exports" in modules
    run = subprocess.run([sys.executable, "-c", BLOCK_STREAMLIT, *modules], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]


def test_the_app_layer_does_import_streamlit_so_the_check_can_fail():
    run = subprocess.run([sys.executable, "-c", BLOCK_STREAMLIT, "lagebild.app.state"], capture_output=True, text=True)
    assert run.returncode != 0 and "streamlit is not to be imported here" in run.stderr

"""The layers: only lagebild.app imports streamlit, and the domain imports nothing that presents, exports or renders."""

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

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
    assert "lagebild.store" in modules and "lagebild.export.images" in modules
    run = subprocess.run([sys.executable, "-c", BLOCK_STREAMLIT, *modules], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]


def test_the_app_layer_does_import_streamlit_so_the_check_can_fail():
    run = subprocess.run([sys.executable, "-c", BLOCK_STREAMLIT, "lagebild.app.state"], capture_output=True, text=True)
    assert run.returncode != 0 and "streamlit is not to be imported here" in run.stderr


FORBIDDEN_IN_DOMAIN = ("lagebild.present", "lagebild.export", "lagebild.app", "streamlit")
# The Meldestand still writes its own German table, which pages/daten.py shows as it is; its sentences move to
# lagebild/present together with that page.
DOMAIN_EXCEPTIONS = {"completeness.py": {"lagebild.present"}}


def imported_modules(source: str) -> set[str]:
    """Every module an import statement names, at the top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def test_the_domain_imports_nothing_that_presents_exports_or_renders():
    domain = Path(lagebild.__file__).parent / "domain"
    offending = {}
    for path in sorted(domain.glob("*.py")):
        allowed = DOMAIN_EXCEPTIONS.get(path.name, set())
        bad = {
            name
            for name in imported_modules(path.read_text(encoding="utf-8"))
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN_IN_DOMAIN)
            and not any(name == a or name.startswith(a + ".") for a in allowed)
        }
        if bad:
            offending[path.name] = sorted(bad)
    assert offending == {}


def test_the_import_walk_sees_an_import_inside_a_function():
    source = "def label():\n    from lagebild.present import fmt\n    return fmt\n"
    assert "lagebild.present.fmt" in imported_modules(source)

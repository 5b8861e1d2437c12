"""The benchmark scripts are run by hand (`make benchmark`), not by the suite: at least their imports must hold,
so a moved module breaks a test here rather than the next measurement."""

import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
SCRIPTS = sorted(p.stem for p in BENCH.glob("*.py") if p.stem != "__init__")


def test_there_are_benchmark_scripts() -> None:
    assert "benchmark" in SCRIPTS


@pytest.mark.parametrize("name", SCRIPTS)
def test_benchmark_script_imports(name: str) -> None:
    module = importlib.import_module(f"tests.bench.{name}")
    assert callable(getattr(module, "main", None)), f"tests/bench/{name}.py has no main()"

"""Shared fixtures: a fresh SQLite store per test, the fixture folder, the region model."""

from __future__ import annotations

from pathlib import Path

import pytest

from lagebild.regions import Regions, regions
from lagebild.store import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'lagebild.sqlite'}"


@pytest.fixture
def store(db_url: str) -> Store:
    return Store(db_url)


@pytest.fixture(scope="session")
def regs() -> Regions:
    return regions()

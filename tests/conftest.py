"""Shared fixtures: a fresh store per test (SQLite, or PostgreSQL where asked), the fixture folder, the region model."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, sync_playwright

from lagebild.domain.regions import Regions, regions
from lagebild.store import Store
from tests.support import postgres

from .support import chromium

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'lagebild.sqlite'}"


@pytest.fixture
def store(db_url: str) -> Store:
    return Store(db_url)


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[sa.Engine]:
    """A PostgreSQL server for the session; required in CI, skipped with the reason where it is not installed."""
    if url := os.environ.get(postgres.URL_VARIABLE):
        engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        yield engine
        engine.dispose()
        return
    cluster = postgres.start_cluster()
    if cluster is None:
        if os.environ.get("CI"):
            pytest.fail(postgres.MISSING, pytrace=False)
        pytest.skip(postgres.MISSING)
    engine = sa.create_engine(cluster.admin_url, isolation_level="AUTOCOMMIT")
    try:
        yield engine
    finally:
        engine.dispose()
        cluster.stop()


@pytest.fixture
def postgres_url(postgres_admin: sa.Engine) -> Iterator[str]:
    """An empty database of its own for one test, dropped afterwards even with connections still open."""
    name = f"lagebild_{uuid.uuid4().hex[:12]}"
    with postgres_admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield postgres_admin.url.set(database=name).render_as_string(hide_password=False)
    with postgres_admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on the default SQLite file and on a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'lagebild.sqlite'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture(scope="session")
def regs() -> Regions:
    return regions()


APP = str(Path(__file__).resolve().parent.parent / "app.py")
# Fixed, so the demo data's Stand (30.09.2026) does not move with the calendar.
DEMO_TODAY = date(2026, 11, 27)


@pytest.fixture
def demo_db(monkeypatch, db_url):
    """A store with the demo data, which the app (and AppTest) reads through DATABASE_URL."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    from lagebild import demo

    demo.seed(Store(db_url), DEMO_TODAY)
    return db_url


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        if os.environ.get("CI"):
            pytest.fail(chromium.CHROMIUM_MISSING, pytrace=False)
        pytest.skip(chromium.CHROMIUM_MISSING)
    return path


@pytest.fixture(scope="session")
def browser(chromium_executable: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable, args=chromium.CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A browser test that fails runs once more: on a loaded 2-core machine a rerun can still be drawing when the next
    step looks. A defect fails both times; the first failure stays in the report (R)."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.flaky(reruns=1, reruns_delay=2))

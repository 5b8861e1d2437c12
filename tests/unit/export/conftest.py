"""Fixtures of the export tests: one demo view for the whole folder, and the Chromium that renders its images."""

from __future__ import annotations

import os

import pytest

from lagebild.export import images
from tests.support.exports import View, build_view


@pytest.fixture(scope="package")
def view(tmp_path_factory: pytest.TempPathFactory) -> View:
    return build_view(tmp_path_factory.mktemp("exports"))


@pytest.fixture(scope="package")
def chromium() -> str:
    """The Chromium Kaleido renders with; CI must have it, a developer's machine may not."""
    path = images.chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(images.CHROMIUM_MISSING, pytrace=False)
        pytest.skip(images.CHROMIUM_MISSING)
    return path

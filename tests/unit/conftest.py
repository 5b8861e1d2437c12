"""Fixtures the unit tests of the Personalbedarf share: its numbers (domain) and its words (present)."""

import pytest

from lagebild.domain import planning
from tests.support import planning as builders
from tests.support.planning import SCENARIO_ROWS, STAND, obs


@pytest.fixture(scope="module")
def scenario_obs():
    return obs(SCENARIO_ROWS)


@pytest.fixture(scope="module")
def scenario_table(scenario_obs, regs):
    return builders.scenario_table(scenario_obs, regs)


@pytest.fixture(scope="module")
def recent(scenario_obs, regs):
    return planning.recent_arrivals(scenario_obs, regs.kreis_keys, STAND)


@pytest.fixture
def three():
    return builders.three()

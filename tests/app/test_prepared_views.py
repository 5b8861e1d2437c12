"""The Landesübersicht builds the Views of its likely next switches in the background once its map stands
(issue 12): the switch then finds its View ready instead of building it while the person waits."""

from __future__ import annotations

import threading

import pytest
from streamlit.testing.v1 import AppTest

from lagebild.app import cache, widgets
from lagebild.domain.measures import METRICS
from lagebild.params import MAP_METRIC, SCHEME
from lagebild.present.classify import Scheme
from lagebild.views import overview
from tests.conftest import APP

PREPARER = "vorbereiten"  # the background thread's name


@pytest.fixture
def built(monkeypatch) -> list[tuple[str, str, Scheme, tuple]]:
    """Every Landesübersicht View built in this test: thread, Kennzahl, classification, RB filter."""
    record: list[tuple[str, str, Scheme, tuple]] = []
    original = overview.build

    def recording(data, layers, **inputs):  # noqa: ANN001, ANN003, ANN202 - overview.build's signature
        record.append((threading.current_thread().name, inputs["metric"], inputs["scheme"], data.selection.rbs))
        return original(data, layers, **inputs)

    monkeypatch.setattr(overview, "build", recording)
    monkeypatch.setattr(cache, "PREPARE_DELAY_S", 0.0)
    return record


def test_once_the_map_stands_the_next_switches_are_built_ahead_and_a_switch_finds_its_view(demo_db, built):
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[widgets.KEY_MAP_SHOWN] = True  # what the browser's report sets once the map has drawn
    at.run()
    assert not at.exception, at.exception
    assert cache._preparer().wait_idle(120)
    ahead = {(metric, scheme, rbs) for thread, metric, scheme, rbs in built if thread == PREPARER}
    assert {m for m, _, _ in ahead} == set(MAP_METRIC.options)
    assert ("need_fte", Scheme.QUANTILES, ()) in ahead
    assert {s for m, s, rbs in ahead if m == "ratio" and not rbs} == set(Scheme) - {Scheme.TARGET_BANDS}
    assert {rbs for _, _, rbs in ahead if rbs} == {("081",), ("082",), ("083",), ("084",)}

    built.clear()
    at.selectbox(key=MAP_METRIC.key).set_value("need_fte").run()
    assert not at.exception, at.exception
    assert [b for b in built if b[0] != PREPARER] == []  # the switch built nothing while the person waited
    assert at.selectbox(key=SCHEME.key).value == Scheme.QUANTILES
    assert any(METRICS["need_fte"].label in m.value for m in at.markdown)  # the map legend names it


def test_before_the_map_has_drawn_nothing_is_built_ahead(demo_db, built):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert cache._preparer().wait_idle(120)
    assert [b for b in built if b[0] == PREPARER] == []

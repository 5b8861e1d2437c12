"""Caches at the I/O boundary, on primitive arguments (ids, dates, the store revision), never on a GeoDataFrame."""

from __future__ import annotations

import copy
import dataclasses
import functools
import gc
import itertools
import logging
import queue
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import pandas as pd
import sqlalchemy as sa
import streamlit as st
import streamlit.components.v1 as components
from pandas.io.formats.style import Styler
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lagebild import geometry, settings
from lagebild.app import state
from lagebild.backup import fault_text, restore_command
from lagebild.domain import analysis, completeness, disclosure, planning
from lagebild.domain.regions import regions
from lagebild.export import images
from lagebild.intake import review
from lagebild.present import offline
from lagebild.settings import Thresholds
from lagebild.store import Store, StoreUnavailable
from lagebild.views import Next


@functools.cache
def offline_asset_base_url() -> str:
    """Serve the map's Leaflet files from this app and return the URL to pass to `localize`.

    Declaring a components.v1 component with a path makes Streamlit serve that
    directory under `<app>/component/<module>.<name>/`; the component itself is
    never called. The returned URL is relative to streamlit-folium's iframe
    (`<app>/component/streamlit_folium.st_folium/index.html`), so it keeps working
    under `server.baseUrlPath` and behind a reverse proxy with a path prefix.
    """
    if get_script_run_ctx() is None:
        # Outside a script run declare_component registers nothing, and the cache
        # would then hand out a URL that answers 404 for the life of the process.
        raise RuntimeError("offline_asset_base_url() must be called from a Streamlit script run")
    assets = components.declare_component("offline_assets", path=offline.ASSET_DIR)
    return f"../{assets.name}/"


@st.cache_resource(show_spinner=False)
def get_store(url: str) -> Store:
    return Store(url)


def store_or_fault_page() -> Store:
    """The store, checked on every run; if it cannot be read, one German page says why and how to restore, and the
    run stops there, so no page reaches a traceback and nothing writes into it (issue 18)."""
    url = settings.database_url()
    try:
        store = get_store(url)
        try:
            store.health(thorough=False)
        except StoreUnavailable as exc:
            if exc.kind != StoreUnavailable.REPLACED:
                raise
            # Restored while the app ran: the cached store still reads the old file, so open the new one.
            get_store.clear()
            store = get_store(url)
        try:
            store.revision()
        except sa.exc.DBAPIError as exc:
            raise store.fault_from(exc) from None
        return store
    except StoreUnavailable as exc:
        st.session_state[state.KEY_FAULT_SEEN] = True  # the Daten page then brings back a file it was showing
        problem, location, todo = fault_text(exc, url)
        st.title("Datenbestand nicht lesbar")
        st.error(
            f"**Die App kann den Datenbestand nicht lesen und zeigt deshalb keine Zahlen.** Geschrieben wird "
            f"nichts.\n\n**Was ist los:** {problem}\n\n**Wo:** `{location}`\n\n**Was tun:** {todo}",
            icon=":material/database_off:",
        )
        if exc.kind != StoreUnavailable.REPLACED:
            st.code(restore_command(url), language="bash", wrap_lines=True)
        st.stop()


@st.cache_data(show_spinner=False, max_entries=8)
def observations(url: str, revision: str) -> pd.DataFrame:
    return get_store(url).observations()


# Seconds after the first page of a process before warming begins, so it does not slow that page down.
WARM_DELAY_S = 5.0
WARMED = "Lagebild: Prozess aufgewärmt (Gemeindegrenzen, Exportbrowser)"


@st.cache_resource(show_spinner=False)
def warm_process() -> threading.Thread:
    """Once per process (each replica): the Gemeinde geometry and the export browser in the background, after the
    first page, so no later click waits for them; then the heap as it is is frozen for the garbage collector."""

    def warm() -> None:
        time.sleep(WARM_DELAY_S)
        started = time.perf_counter()
        import mapclassify  # noqa: F401 - what classify imports on its first quantiles, loaded before anyone asks

        geometry.gemeinden()
        images.warm()
        # What exists now (modules, geometry, the first Views) lives as long as the process. Frozen, Python's full
        # garbage collections no longer walk it: they took 0.06–0.15 s at random reruns, with the heap at about
        # 280,000 objects, and now take a few milliseconds (issue 12). The price: a cycle among these objects is
        # never collected, at most the first Views' few MB once they leave the cache.
        gc.collect()
        gc.freeze()
        # In the server's log: from here on no visit waits for a first time (tests/bench/benchmark.py waits for it).
        seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
        print(f"{WARMED} in {seconds} s.", file=sys.stderr, flush=True)

    thread = threading.Thread(target=warm, name="aufwaermen", daemon=True)
    thread.start()
    return thread


@st.cache_resource(show_spinner=False)
def geo_layers() -> geometry.Layers:
    """Geometry read once per process; reruns only re-colour."""
    return geometry.layers()


@st.cache_data(show_spinner=False, max_entries=32)
def kreis_table(
    url: str, revision: str, as_of: date, target: float, factor: float, cost: float, months: int
) -> pd.DataFrame:
    obs = observations(url, revision)
    thresholds = Thresholds(target, factor)
    last = analysis.latest_month(obs, as_of)
    period = analysis.Period.ending(last, months) if last else None
    return analysis.kreis_table(obs, regions(), as_of, thresholds, cost, period)


@st.cache_data(show_spinner=False, max_entries=16)
def meldestand(url: str, revision: str, as_of: date) -> completeness.Meldestand:
    return completeness.meldestand(observations(url, revision), regions(), as_of)


@st.cache_data(show_spinner=False, max_entries=16)
def recent_arrivals(url: str, revision: str, as_of: date) -> planning.RecentArrivals:
    return planning.recent_arrivals(observations(url, revision), regions().kreis_keys, as_of)


@st.cache_data(show_spinner=False, max_entries=32)
def projection(
    url: str,
    revision: str,
    as_of: date,
    target: float,
    factor: float,
    cost: float,
    months: int,
    scenario: planning.Scenario,
    band: tuple[float, float] | None,
) -> planning.Projection | planning.Band:
    """The projection of a scenario, or with `band` = (low, high) its range: once per revision and assumptions, not on
    every rerun (three runs of the model each)."""
    table = kreis_table(url, revision, as_of, target, factor, cost, months)
    obs = observations(url, revision)
    recent = recent_arrivals(url, revision, as_of)
    thresholds = Thresholds(target, factor)
    if band is None:
        return planning.project(table, obs, scenario, recent, as_of, thresholds, cost)
    return planning.project_band(table, obs, scenario, band[0], band[1], recent, as_of, thresholds, cost)


V = TypeVar("V")
ViewKey = tuple[str, tuple, tuple, str, tuple]  # what _view caches a View by, besides the build and the context
_log = logging.getLogger(__name__)


def view(build: Callable[..., V], ctx: Any, **inputs: Any) -> V:
    """`build(ctx, geometry, **inputs)`, once per data revision, sidebar choices and page inputs in the process: a
    rerun that changes nothing of these (a click elsewhere, another session on the same Stand) draws the View it
    already has. The inputs must be plain values (numbers, text, dates, enums, None)."""
    return _fresh(_view(*_view_key(build, ctx, inputs), _build=build, _ctx=ctx))


def _view_key(build: Callable, ctx: Any, inputs: dict[str, Any]) -> ViewKey:
    t = ctx.thresholds
    # Besides the data and the sidebar: what Views read from the settings (Geheimhaltung rule, background tiles).
    data_key = (ctx.url, ctx.revision, ctx.as_of, ctx.previous, t.target, t.elevated_factor, ctx.cost_per_fte)
    settings_key = (repr(disclosure.rule()), settings.tiles())
    name = f"{build.__module__}.{build.__qualname__}"
    return name, data_key, settings_key, repr(ctx.selection), tuple(sorted(inputs.items()))


# A person looks at a page for some seconds before the next switch (another Kennzahl, classification or
# Regierungsbezirk). In those seconds the Views such a switch asks for are built in the background, so the
# switch finds them ready (issue 12). Started after a pause: the page's own drawing in the browser comes first.
PREPARE_DELAY_S = 2.0


def prepare(build: Callable[..., V], ctx: Any, variants: list[Next], after: Callable[[V], None] | None = None) -> None:
    """Build these Views in the background (then `after(view)`, e.g. render its map), as `view` would build them."""
    jobs = []
    for variant in variants:
        variant_ctx = ctx
        if variant.rbs is not None:
            selection = dataclasses.replace(ctx.selection, rbs=variant.rbs)
            variant_ctx = dataclasses.replace(ctx, selection=selection, kreis_keys=selection.kreis_keys(regions()))
        jobs.append((_view_key(build, variant_ctx, variant.inputs), build, variant_ctx))
    run = get_script_run_ctx()
    _preparer().submit(run.session_id if run else "", jobs, after)


class _Preparer:
    """One thread per process that builds prepared Views, one after another, each batch after the pause.

    A session's newer batch replaces its older one not yet begun: who picks three Kreise in a row needs the
    switches of the last one only.
    """

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._latest: dict[str, int] = {}
        self._count = itertools.count()
        self._open = 0  # batches submitted and not yet done or skipped
        self._idle = threading.Condition()
        self.thread = threading.Thread(target=self._work, name="vorbereiten", daemon=True)
        self.thread.start()

    def submit(
        self,
        session: str,
        jobs: list[tuple[ViewKey, Callable, Any]],
        after: Callable | None,
    ) -> None:
        number = next(self._count)
        self._latest[session] = number
        with self._idle:
            self._open += 1
        self._queue.put((time.monotonic() + PREPARE_DELAY_S, session, number, jobs, after))

    def wait_idle(self, timeout: float) -> bool:
        """Until every submitted batch is done (True) or the timeout has passed (False)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._open == 0, timeout)

    def _work(self) -> None:
        while True:
            due, session, number, jobs, after = self._queue.get()
            self._run(due, session, number, jobs, after)
            if self._latest.get(session) == number:
                self._latest.pop(session, None)
            with self._idle:
                self._open -= 1
                self._idle.notify_all()

    def _run(self, due: float, session: str, number: int, jobs: list, after: Callable | None) -> None:
        if self._latest.get(session) == number:
            time.sleep(max(0.0, due - time.monotonic()))
            for key, build, ctx in jobs:
                if self._latest.get(session) != number:
                    break
                try:
                    built = _prepared_view(key, build, ctx)
                    if after is not None:
                        after(built)
                except Exception:  # noqa: BLE001 - a View that fails here fails again, visibly, when asked for
                    _log.warning("Vorbereiten einer Ansicht fehlgeschlagen", exc_info=True)


def _prepared_view(key: ViewKey, build: Callable, ctx: Any) -> Any:
    return _view(*key, _build=build, _ctx=ctx)  # a View already there is a cache hit


@st.cache_resource(show_spinner=False)
def _preparer() -> _Preparer:
    return _Preparer()


@st.cache_resource(show_spinner=False, max_entries=48)
def _view(
    name: str, data_key: tuple, settings_key: tuple, selection: str, inputs: tuple, _build: Callable, _ctx: Any
) -> Any:
    return _build(_ctx, geo_layers(), **dict(inputs))


def _fresh(built: V) -> V:
    """The View as shared by the cache, with its pandas Stylers copied: drawing a Styler computes into it, and two
    sessions drawing the same one at once would mix their styles. Everything else in a View is only read."""
    if isinstance(built, Styler):
        return copy.deepcopy(built)  # type: ignore[return-value]
    if dataclasses.is_dataclass(built) and not isinstance(built, type):
        changes = {
            f.name: _fresh(getattr(built, f.name))
            for f in dataclasses.fields(built)
            if isinstance(getattr(built, f.name), Styler) or dataclasses.is_dataclass(getattr(built, f.name))
        }
        return dataclasses.replace(built, **changes) if changes else built  # type: ignore[type-var]
    return built


# An upload is read once per file content and checked once per answer and store revision: a widget change elsewhere
# on the Daten page reruns the script, not the intake (issues 11, 12). An entry holds the file and its text (up to
# 20 MB and its decoded copy): few entries, forgotten after an hour.
@st.cache_data(show_spinner=False, max_entries=4, ttl=3600)
def upload(sha256: str, file_name: str, _data: bytes) -> review.Upload:
    return review.open_upload(_data, file_name, sha256)


@st.cache_data(show_spinner=False, max_entries=16, ttl=3600)
def intake_check(
    url: str, revision: str, sha256: str, file_name: str, answers: review.Answers, today: date, _data: bytes
) -> review.Check:
    return review.examine(
        get_store(url),
        upload(sha256, file_name, _data),
        answers,
        existing=observations(url, revision),
        regs=regions(),
        today=today,
    )

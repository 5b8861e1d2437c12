"""Streamlit glue of the lagebild package: the only module that imports streamlit."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lagebild import analysis, fmt, geometry, offline, settings
from lagebild.regions import regions
from lagebild.settings import Thresholds
from lagebild.store import Store


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

KEY_STAND = "stand"
KEY_TARGET = "zielwert"
KEY_COST = "kosten_vzae"
KEY_KREIS = "kreis"


@st.cache_resource(show_spinner=False)
def get_store(url: str) -> Store:
    return Store(url)


@st.cache_data(show_spinner=False, max_entries=8)
def _observations(url: str, revision: str) -> pd.DataFrame:
    return get_store(url).observations()


@st.cache_resource(show_spinner=False)
def geo_layers() -> geometry.Layers:
    """Geometry read once per process; reruns only re-colour."""
    return geometry.layers()


@st.cache_data(show_spinner=False, max_entries=32)
def _kreis_table(url: str, revision: str, as_of: date, target: float, factor: float, cost: float,
                 months: int) -> pd.DataFrame:  # fmt: skip
    obs = _observations(url, revision)
    thresholds = Thresholds(target, factor)
    last = analysis.latest_month(obs, as_of)
    period = analysis.Period.ending(last, months) if last else None
    return analysis.kreis_table(obs, regions(), as_of, thresholds, cost, period)


@dataclass(frozen=True)
class Context:
    """What every page needs: the data, the chosen Stand and the assumptions."""

    url: str
    revision: str
    obs: pd.DataFrame
    stands: list[date]
    as_of: date
    previous: date | None
    thresholds: Thresholds
    cost_per_fte: float
    is_demo: bool

    def period(self, months: int) -> analysis.Period | None:
        last = analysis.latest_month(self.obs, self.as_of)
        return analysis.Period.ending(last, months) if last else None

    def table(self, as_of: date | None = None, months: int = 3) -> pd.DataFrame:
        t = self.thresholds
        return _kreis_table(self.url, self.revision, as_of or self.as_of, t.target, t.elevated_factor,
                            self.cost_per_fte, months)  # fmt: skip

    def sources(self) -> list[str]:
        return sorted(set(self.obs["source"])) if len(self.obs) else []


def sidebar() -> Context | None:
    """The shared sidebar: Stand, target ratio, cost per VZÄ, demo banner. None when the store is empty."""
    url = settings.database_url()
    store = get_store(url)
    revision = store.revision()
    obs = _observations(url, revision)
    with st.sidebar:
        if obs.empty:
            st.warning("Der Datenbestand ist leer. Beispieldaten laden mit `python -m lagebild demo`.")
            return None
        stands = analysis.stand_dates(obs)
        as_of = st.selectbox("Stand", options=stands[::-1], format_func=fmt.day, key=KEY_STAND,
                             help="Stichtag der Zahlen. Je Kreis und Kennzahl gilt der neueste Wert bis zu diesem Tag.")  # fmt: skip
        target = st.number_input("Zielwert (Geflüchtete je VZÄ)", min_value=50.0, max_value=400.0,
                                 value=settings.target_ratio(), step=5.0, format="%.0f", key=KEY_TARGET,
                                 help="Betreuungsschlüssel, ab dem ein Kreis über dem Ziel liegt. "
                                      "Über dem 1,25-Fachen gilt er als kritisch.")  # fmt: skip
        cost = st.number_input("Kosten je VZÄ und Jahr (€)", min_value=10_000.0, max_value=200_000.0,
                               value=settings.cost_per_fte(), step=1_000.0, format="%.0f", key=KEY_COST)  # fmt: skip
        is_demo = bool(obs["is_demo"].any())
        if is_demo:
            st.error(f"**{settings.DEMO_LABEL}.** Alle Zahlen sind erzeugt und dienen nur der Vorführung.", icon="⚠️")
        st.caption(f"Einwohnerzahlen: {settings.POPULATION_SOURCE}. Grenzen: {geometry.meta().attribution}.")
    idx = stands.index(as_of)
    return Context(url, revision, obs, stands, as_of, stands[idx - 1] if idx > 0 else None,
                   Thresholds(float(target), settings.DEFAULT_ELEVATED_FACTOR), float(cost), is_demo)  # fmt: skip


def selected_kreis() -> str | None:
    return st.session_state.get(KEY_KREIS)


def select_kreis(key: str | None) -> None:
    st.session_state[KEY_KREIS] = key


def take_new_event(name: str, value: object) -> bool:
    """True once per new value of a widget event; components keep their last value across reruns."""
    seen_key = f"_seen_{name}"
    if st.session_state.get(seen_key) == value:
        return False
    st.session_state[seen_key] = value
    return value is not None


@functools.cache
def app_icon():  # noqa: ANN201 - a PIL image
    """A favicon drawn here: a material-icon favicon would be fetched from Google's font CDN."""
    from PIL import Image, ImageDraw

    from lagebild.palette import PRIMARY, STATUS_COLOURS
    from lagebild.measures import Status

    img = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((2, 2, 62, 62), radius=12, fill=PRIMARY)
    for i, status in enumerate((Status.OK, Status.ELEVATED, Status.CRITICAL)):
        draw.rectangle((12 + i * 14, 44 - i * 10, 22 + i * 14, 52), fill=STATUS_COLOURS[status])
    return img

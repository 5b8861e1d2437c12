"""Streamlit glue of the lagebild package: the only module that imports streamlit."""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit_folium import st_folium

from lagebild import analysis, fmt, geometry, maps, offline, settings
from lagebild import selection as selection_codec
from lagebild.regions import regions
from lagebild.selection import KindFilter, Selection
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
KEY_RB = "filter_rb"
KEY_KREISE = "filter_kreise"
KEY_KIND = "filter_typ"
KEY_PICKED = "auswahl"  # the Kreis clicked on a map or picked in a table
KEY_CONTEXT = "_kontext"
KEY_NOTICES = "_hinweise"
KEY_DECODED = "_adresse_gelesen"


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
    """What every page needs: the data, the chosen Stand, the assumptions and the region filter."""

    url: str
    revision: str
    obs: pd.DataFrame
    stands: list[date]
    as_of: date
    previous: date | None
    thresholds: Thresholds
    cost_per_fte: float
    is_demo: bool
    selection: Selection
    kreis_keys: list[str]

    def period(self, months: int) -> analysis.Period | None:
        last = analysis.latest_month(self.obs, self.as_of)
        return analysis.Period.ending(last, months) if last else None

    def table(self, as_of: date | None = None, months: int = 3, filtered: bool = False) -> pd.DataFrame:
        """Key figures of all 44 Kreise (or only the filtered ones) at a Stand."""
        t = self.thresholds
        table = _kreis_table(self.url, self.revision, as_of or self.as_of, t.target, t.elevated_factor,
                             self.cost_per_fte, months)  # fmt: skip
        return table.loc[self.kreis_keys] if filtered else table

    def sources(self) -> list[str]:
        return sorted(set(self.obs["source"])) if len(self.obs) else []

    @property
    def region_label(self) -> str:
        return self.selection.label(regions())

    @property
    def is_filtered(self) -> bool:
        return len(self.kreis_keys) < len(regions().kreise)


def _query_params() -> dict[str, list[str]]:
    return {name: st.query_params.get_all(name) for name in selection_codec.PARAMS}


def _read_address(stands: list[date]) -> None:
    """Once per session: the address (bookmark, deep link) sets the widgets; problems become notices."""
    if st.session_state.get(KEY_DECODED):
        return
    st.session_state[KEY_DECODED] = True
    decoded = selection_codec.decode(_query_params(), regions())
    sel = decoded.selection
    notices = list(decoded.notices)
    st.session_state[KEY_RB] = list(sel.rbs)
    st.session_state[KEY_KREISE] = list(sel.kreise)
    st.session_state[KEY_KIND] = sel.kind
    if sel.stand is not None:
        earlier = [d for d in stands if d <= sel.stand]
        if earlier:
            st.session_state[KEY_STAND] = earlier[-1]
            if earlier[-1] != sel.stand:
                notices.append(f"Für den {fmt.day(sel.stand)} gibt es keinen Stand; gezeigt wird der {fmt.day(earlier[-1])}.")
        else:
            notices.append(f"Vor dem {fmt.day(sel.stand)} gibt es keine Daten; gezeigt wird der neueste Stand.")
    st.session_state[KEY_TARGET] = sel.target if sel.target is not None else settings.target_ratio()
    st.session_state[KEY_COST] = sel.cost if sel.cost is not None else settings.cost_per_fte()
    st.session_state[KEY_NOTICES] = notices


def _clear_notices() -> None:
    st.session_state[KEY_NOTICES] = []


def _write_address(sel: Selection, latest: date) -> None:
    """Keeps the address in step with the filter, so a bookmark restores the view."""
    shown = replace(
        sel,
        stand=sel.stand if sel.stand != latest else None,
        target=sel.target if sel.target != settings.target_ratio() else None,
        cost=sel.cost if sel.cost != settings.cost_per_fte() else None,
    )
    wanted = selection_codec.encode(shown)
    current = {k: ",".join(v) for k, v in _query_params().items() if v}
    if wanted != current:
        for name in selection_codec.PARAMS:
            if name in st.query_params and name not in wanted:
                del st.query_params[name]
        st.query_params.update(wanted)


def frame() -> Context | None:
    """The shared sidebar, run by app.py before every page: data, Stand, region filter, assumptions.

    None when the store is empty. Pages read the result through context().
    """
    regs = regions()
    # Key figures with their units must fit four to a row beside the sidebar on a 1280 px screen.
    st.html("<style>[data-testid='stMetricValue']{font-size:1.7rem}"
            "[data-testid='stMetricLabel'] p{white-space:normal;font-size:0.8rem}</style>")  # fmt: skip
    url = settings.database_url()
    store = get_store(url)
    revision = store.revision()
    obs = _observations(url, revision)
    st.session_state[KEY_CONTEXT] = None
    with st.sidebar:
        if obs.empty:
            st.warning("Der Datenbestand ist leer. Beispieldaten laden mit `python -m lagebild demo`.")
            return None
        stands = analysis.stand_dates(obs)
        _read_address(stands)
        st.markdown("**Region**")
        rbs = st.multiselect("Regierungsbezirk", [rb.key for rb in regs.regierungsbezirke], key=KEY_RB,
                             format_func=lambda k: regs[k].name, placeholder="alle Regierungsbezirke",
                             on_change=_clear_notices)  # fmt: skip
        kreise = st.multiselect("Kreise", regs.kreis_keys, key=KEY_KREISE, format_func=regs.display_name,
                                placeholder="alle Kreise", on_change=_clear_notices)  # fmt: skip
        kind = st.segmented_control("Kreistyp", list(KindFilter), key=KEY_KIND, format_func=lambda k: k.label,
                                    on_change=_clear_notices)  # fmt: skip
        st.divider()
        as_of = st.selectbox("Stand", options=stands[::-1], format_func=fmt.day, key=KEY_STAND,
                             help="Stichtag der Zahlen. Je Kreis und Kennzahl gilt der neueste Wert bis zu diesem Tag.")  # fmt: skip
        target = st.number_input("Zielwert (Geflüchtete je VZÄ)", min_value=50.0, max_value=400.0,
                                 step=5.0, format="%.0f", key=KEY_TARGET,
                                 help="Betreuungsschlüssel, bis zu dem ein Kreis im Ziel liegt. "
                                      "Über dem 1,25-Fachen gilt er als kritisch.")  # fmt: skip
        cost = st.number_input("Kosten je VZÄ und Jahr (€)", min_value=10_000.0, max_value=200_000.0,
                               step=1_000.0, format="%.0f", key=KEY_COST)  # fmt: skip
        is_demo = bool(obs["is_demo"].any())
        if is_demo:
            st.error(f"**{settings.DEMO_LABEL}.** Alle Zahlen sind erzeugt und dienen nur der Vorführung.", icon="⚠️")
        st.caption(f"Einwohnerzahlen: {settings.POPULATION_SOURCE}. Grenzen: {geometry.meta().attribution}.")
    target = float(target if target is not None else settings.target_ratio())
    cost = float(cost if cost is not None else settings.cost_per_fte())
    sel = Selection(tuple(rbs), tuple(kreise), kind or KindFilter.ALL, as_of, target, cost)
    _write_address(sel, stands[-1])
    keys = sel.kreis_keys(regs)
    idx = stands.index(as_of)
    ctx = Context(url, revision, obs, stands, as_of, stands[idx - 1] if idx > 0 else None,
                  Thresholds(target, settings.DEFAULT_ELEVATED_FACTOR), cost, is_demo, sel, keys)  # fmt: skip
    st.session_state[KEY_CONTEXT] = ctx
    return ctx


def context() -> Context | None:
    """The Context that app.py built for this run."""
    if PagesManager.uses_pages_directory:
        # Until st.navigation has run once in the process, Streamlit treats a pages/ folder
        # as a v1 multipage app and runs a deep-linked page (/kreis) without app.py. One
        # rerun puts the session on app.py's navigation, with the same page and address.
        PagesManager.uses_pages_directory = False
        st.rerun()
    return st.session_state.get(KEY_CONTEXT)


def notices() -> list[str]:
    return list(st.session_state.get(KEY_NOTICES, []))


def picked_kreis() -> str | None:
    return st.session_state.get(KEY_PICKED)


def pick_kreis(key: str | None) -> None:
    st.session_state[KEY_PICKED] = key


def show_only(kreise: list[str]) -> None:
    """Narrows the region filter to these Kreise (e.g. to open a Kreis profile)."""
    st.session_state[KEY_RB] = []
    st.session_state[KEY_KREISE] = list(kreise)
    st.session_state[KEY_KIND] = KindFilter.ALL


def show_kreis_map(km: maps.KreisMap, key: str, height: int = 560) -> dict | None:
    """The map with its legend; only the Kreis layer is swapped on a rerun, so pan and zoom stay."""
    offline.localize(km.base, offline_asset_base_url())
    state = st_folium(km.base, feature_group_to_add=km.layer, key=key, height=height, use_container_width=True,
                      returned_objects=["last_active_drawing"])  # fmt: skip
    st.markdown(km.legend, unsafe_allow_html=True)
    return state


KEY_PROFILE = "profil_kreis"


def _profile_chosen() -> None:
    show_only([st.session_state[KEY_PROFILE]])


def kreis_picker(ctx: Context) -> str:
    """The Kreis a profile shows: the filter's single Kreis, else the one last clicked, else the first filtered.

    Picking another narrows the filter to it, so the address (?kreis=…) bookmarks the profile.
    """
    regs = regions()
    single = ctx.selection.single_kreis()
    if single and st.session_state.get(KEY_PROFILE) != single:
        st.session_state[KEY_PROFILE] = single
    elif KEY_PROFILE not in st.session_state:
        picked = picked_kreis()
        st.session_state[KEY_PROFILE] = picked if picked in ctx.kreis_keys else (ctx.kreis_keys or regs.kreis_keys)[0]
    return st.selectbox("Kreis", regs.kreis_keys, key=KEY_PROFILE, format_func=regs.display_name,
                        on_change=_profile_chosen,
                        help="Die Wahl setzt den Regionsfilter auf diesen Kreis; die Adresse lässt sich als "
                             "Lesezeichen speichern.")  # fmt: skip


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

    from lagebild.measures import Status
    from lagebild.palette import PRIMARY, STATUS_COLOURS

    img = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((2, 2, 62, 62), radius=12, fill=PRIMARY)
    for i, status in enumerate((Status.OK, Status.ELEVATED, Status.CRITICAL)):
        draw.rectangle((12 + i * 14, 44 - i * 10, 22 + i * 14, 52), fill=STATUS_COLOURS[status])
    return img


def _export_preset(key: str):  # noqa: ANN202 - an exports.Preset
    from lagebild import exports

    return exports.PRESETS.get(st.session_state.get(f"{key}_vorlage") or "", exports.PRESETS[exports.DEFAULT_PRESET])


def chart_config(key: str, view: str, label: str, as_of: date) -> dict:
    """st.plotly_chart config: its camera button downloads the same file name and size as export_panel `key`."""
    from lagebild import exports

    return exports.toolbar_config(exports.file_stem(view, as_of), label, _export_preset(key))


def _built(figure):  # noqa: ANN001, ANN202 - a go.Figure or a function returning one
    return figure() if callable(figure) else figure


def export_panel(
    ctx: Context,
    key: str,
    *,
    view: str,
    figures: dict | None = None,
    tables: dict[str, pd.DataFrame] | None = None,
    decimals: dict[str, int] | None = None,
    summary: str = "",
    period: analysis.Period | None = None,
    kreis: str | None = None,
    profile_pdf: bool = False,
) -> None:
    """Downloads of a view: the 'Kreisprofil als PDF' button (`profile_pdf`, for `kreis`), and an
    'Export' expander with the image preset, PNG/SVG/PDF per figure, CSV/XLSX per table and
    the Pressepaket. A view of one `kreis` is labelled with it instead of the region filter.

    Each file is built only when its button is clicked (a callable as data) and a download
    does not rerun the app (on_click="ignore"; streamlit #3832, #4382, #5053). Rendered
    images are cached in lagebild.exports, so a second click is served from memory. A figure
    may be given as a function that builds it, so a figure only for export costs no rerun time.
    """
    from lagebild import charts, exports
    from lagebild import profile_pdf as pdf

    figures, tables = figures or {}, tables or {}
    regs = regions()
    region_label = regs[kreis].display_name if kreis else ctx.region_label

    @functools.cache
    def meta() -> exports.ExportMeta:
        return exports.export_meta(
            view=view, obs=ctx.obs, keys=[kreis] if kreis else ctx.kreis_keys, as_of=ctx.as_of,
            region_label=region_label, thresholds=ctx.thresholds, cost_per_fte=ctx.cost_per_fte, demo=ctx.is_demo,
            source_line=charts.source_line(ctx.sources(), ctx.as_of, ctx.is_demo),
            attribution=geometry.meta().attribution, period_label=period.label if period else "", summary=summary,
        )  # fmt: skip

    status = exports.image_export_status()
    stem = exports.file_stem(view, ctx.as_of)
    if kreis and profile_pdf:
        name = regs[kreis].display_name
        # Cached loaders are read here, in the script run; the button runs its function in another thread.
        table, kreis_period, kreise = ctx.table(), ctx.period(3), geo_layers().kreise

        def profile_bytes() -> bytes:
            data = pdf.ProfileInput(kreis, regs, table, ctx.obs, kreis_period, kreise, geometry.gemeinden(), meta())
            return pdf.kreis_profile_pdf(data)

        st.download_button("Kreisprofil als PDF", profile_bytes, key=f"{key}_profil", type="primary",
                           file_name=f"kreisprofil_{exports.slug(name)}_{ctx.as_of.isoformat()}.pdf",
                           mime="application/pdf", on_click="ignore", icon=":material/picture_as_pdf:",
                           disabled=not status.ok,
                           help=f"A4, mehrseitig: Kennzahlen mit Regierungsbezirk und Land, Karte, Zeitreihen, "
                                f"Nachbarn, Definitionen, Quellen und Stand {fmt.day(ctx.as_of)}. Die Erzeugung "
                                "dauert einige Sekunden.")  # fmt: skip
        if not status.ok:
            st.caption(status.message)
    if not figures and not tables:
        return
    with st.expander("Export: Grafiken und Daten", icon=":material/download:", key=f"{key}_export"):
        if figures:
            preset_key = st.radio("Bildformat", list(exports.PRESETS), key=f"{key}_vorlage", horizontal=True,
                                  format_func=lambda k: exports.PRESETS[k].label,
                                  captions=[p.description for p in exports.PRESETS.values()])  # fmt: skip
            preset = exports.PRESETS[preset_key or exports.DEFAULT_PRESET]
            if not status.ok:
                st.warning(status.message, icon=":material/warning:")
            for label, fig in figures.items():
                cols = st.columns([2, 1, 1, 1], vertical_alignment="center")
                cols[0].markdown(f"**{label}**")
                for col, image_format in zip(cols[1:], exports.IMAGE_FORMATS.values(), strict=True):
                    col.download_button(
                        image_format.label,
                        lambda fig=fig, f=image_format.key, p=preset: exports.image_bytes(_built(fig), f, p, meta()),
                        key=f"{key}_{exports.slug(label)}_{image_format.key}",
                        file_name=exports.file_name(stem, label, image_format.key, preset), mime=image_format.mime,
                        on_click="ignore", disabled=not status.ok, icon=":material/image:", width="stretch",
                    )  # fmt: skip
        for label, frame in tables.items():
            cols = st.columns([2, 1, 1, 1], vertical_alignment="center")
            cols[0].markdown(f"**{label}** ({fmt.number(len(frame))} Zeilen)")
            cols[1].download_button(exports.CSV.label, lambda frame=frame: exports.table_csv(frame, meta(), decimals),
                                    key=f"{key}_{exports.slug(label)}_csv", file_name=exports.file_name(stem, label, "csv"),
                                    mime=exports.CSV.mime, on_click="ignore", icon=":material/table:", width="stretch",
                                    help="UTF-8 mit BOM, Semikolon, Dezimalkomma: öffnet sich in Excel mit Umlauten.")  # fmt: skip
            cols[2].download_button(exports.XLSX.label,
                                    lambda frame=frame, label=label: exports.table_xlsx(frame, meta(), label, decimals),
                                    key=f"{key}_{exports.slug(label)}_xlsx", file_name=exports.file_name(stem, label, "xlsx"),
                                    mime=exports.XLSX.mime, on_click="ignore", icon=":material/table:", width="stretch",
                                    help="Blatt „Daten“ und Blatt „Metadaten“ (Definitionen, Einheiten, Stand, "
                                         "Quellen, Lizenzen, Filter, Zielwert).")  # fmt: skip
        if figures:
            def pack() -> bytes:
                items = [exports.PressItem(label, figure=_built(fig), alt=summary) for label, fig in figures.items()]
                items += [exports.PressItem(label, table=frame, decimals=decimals) for label, frame in tables.items()]
                return exports.press_pack(items, meta(), preset)

            st.download_button(f"Pressepaket (ZIP, {preset.label})", pack,
                               key=f"{key}_pressepaket", file_name=f"pressepaket_{stem}_{preset.key}.zip",
                               mime=exports.ZIP.mime, on_click="ignore", disabled=not status.ok,
                               icon=":material/folder_zip:",
                               help=f"Alle Grafiken als PNG, SVG und PDF ({preset.label}), die Tabellen als CSV und "
                                    "XLSX und ein LIESMICH mit Quelle, Stand, Lizenz, Bildunterschrift und "
                                    "Alternativtext.")  # fmt: skip
        st.caption("Jede Datei trägt Titel, Quelle und Stand; Karten zusätzlich den Quellenvermerk der Grenzen. "
                   "Die Kamera in der Werkzeugleiste eines Diagramms lädt dasselbe Format als PNG direkt im Browser.")

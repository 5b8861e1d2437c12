"""Streamlit glue of the lagebild package: the only module that imports streamlit."""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
import sqlalchemy as sa
import streamlit as st
import streamlit.components.v1 as components
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit_folium import st_folium

from lagebild import analysis, fmt, geometry, maps, offline, palette, params, settings
from lagebild import selection as selection_codec
from lagebild.backup import fault_text, restore_command
from lagebild.regions import regions
from lagebild.selection import KindFilter, Selection
from lagebild.settings import Thresholds
from lagebild.store import Store, StoreUnavailable


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
KEY_KEPT = "_eingaben"  # a page's inputs while another page is shown
PROFILE_PAGE = "kreis"


# Key figures wrap rather than truncate, so a value is readable from 1024 px up; the profile
# link on the detail card looks like the primary button it replaces.
PAGE_CSS = (
    "[data-testid='stMainBlockContainer']{padding-top:2.5rem}"
    "[data-testid='stMetricValue']{font-size:clamp(1.25rem,1.9vw,1.7rem)}"
    "[data-testid='stMetricValue'],[data-testid='stMetricValue'] *{white-space:normal !important;"
    "overflow:visible !important;text-overflow:clip !important;line-height:1.15}"
    "[data-testid='stMetricLabel'] p{white-space:normal !important;overflow-wrap:normal;word-break:normal;"
    "font-size:0.8rem}"
    # Rows of cards wrap to two a row where four would not fit (tablets, narrow windows).
    "[data-testid='stHorizontalBlock']:has(> [data-testid='stColumn'] [data-testid='stMetric']){flex-wrap:wrap}"
    "[data-testid='stHorizontalBlock']:has(> [data-testid='stColumn'] [data-testid='stMetric'])"
    " > [data-testid='stColumn']{min-width:11.5rem}"
    ".st-key-top5 button{justify-content:flex-start;text-align:left;min-height:0;padding:0.1rem 0}"
    ".st-key-top5 [data-testid='stVerticalBlock']{gap:0.2rem}"
    ".st-key-profil_oeffnen a{background:" + palette.PRIMARY + ";border-radius:0.5rem;padding:0.35rem 0.9rem}"
    ".st-key-profil_oeffnen a p,.st-key-profil_oeffnen a span{color:#fff !important}"
)


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
        problem, location, todo = fault_text(exc, url)
        st.title("Datenbestand nicht lesbar")
        st.error(f"**Die App kann den Datenbestand nicht lesen und zeigt deshalb keine Zahlen.** Geschrieben wird "
                 f"nichts.\n\n**Was ist los:** {problem}\n\n**Wo:** `{location}`\n\n**Was tun:** {todo}",
                 icon=":material/database_off:")  # fmt: skip
        if exc.kind != StoreUnavailable.REPLACED:
            st.code(restore_command(url), language="bash", wrap_lines=True)
        st.stop()


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
    names = (*selection_codec.PARAMS, params.P_PICKED, *(p.name for page in params.PAGES.values() for p in page.params))
    return {name: st.query_params.get_all(name) for name in names}


def _read_address(stands: list[date], page_path: str) -> None:
    """Once per session: the address (bookmark, deep link) sets the widgets; problems become notices."""
    if st.session_state.get(KEY_DECODED):
        return
    st.session_state[KEY_DECODED] = True
    query = _query_params()
    regs = regions()
    decoded = selection_codec.decode(query, regs)
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
    picked, problem = selection_codec.decode_kreis(query.get(params.P_PICKED, []), regs)
    st.session_state[KEY_PICKED] = picked
    notices += [problem] if problem else []
    if page_path in params.PAGES:
        values, problems = params.PAGES[page_path].decode(query)
        st.session_state[KEY_KEPT] = dict(values)
        notices += problems
    st.session_state[KEY_NOTICES] = notices


def _keep_page_inputs(page_path: str) -> dict:
    """The page's inputs, kept across page switches (Streamlit drops the state of a widget not drawn in a run).

    Seeds each widget key before its widget exists in this run, which Streamlit allows.
    """
    spec = params.PAGES.get(page_path)
    if spec is None:
        return {}
    kept = st.session_state.setdefault(KEY_KEPT, {})
    current = {key: st.session_state[key] if key in st.session_state else kept.get(key) for key in spec.keys}
    values = spec.complete({k: v for k, v in current.items() if k in st.session_state or k in kept})
    for key, value in values.items():
        if st.session_state.get(key, object()) != value:
            st.session_state[key] = value
    kept.update(values)
    return values


def _selection_now(regs) -> Selection:  # noqa: ANN001 - Regions
    return Selection(tuple(st.session_state.get(KEY_RB) or ()), tuple(st.session_state.get(KEY_KREISE) or ()),
                     st.session_state.get(KEY_KIND) or KindFilter.ALL)  # fmt: skip


def _filter_changed() -> None:
    """The region filter rules which Kreise are in view: a selected Kreis that left it is let go."""
    st.session_state[KEY_NOTICES] = []
    keys = _selection_now(regions()).kreis_keys(regions())
    if st.session_state.get(KEY_PICKED) not in keys:
        st.session_state[KEY_PICKED] = keys[0] if len(keys) == 1 else None


def _profile_kreis(regs) -> str:  # noqa: ANN001 - Regions
    """The Kreis the profile shows: the selected one, else the filter's single or first Kreis.

    The filter then contains it, so the sidebar and the profile never disagree: a Kreis selected
    outside the filter (a click on the map) narrows the filter to it.
    """
    sel = _selection_now(regs)
    keys = sel.kreis_keys(regs)
    picked = st.session_state.get(KEY_PICKED)
    if picked is None:
        picked = sel.single_kreis() or (keys or regs.kreis_keys)[0]
    if picked not in keys:
        st.session_state[KEY_RB] = []
        st.session_state[KEY_KREISE] = [picked]
        st.session_state[KEY_KIND] = KindFilter.ALL
    st.session_state[KEY_PICKED] = picked
    return picked


def _write_address(sel: Selection, latest: date, page_path: str, inputs: dict) -> None:
    """Keeps the address in step with what is on screen, so a bookmark restores the view."""
    shown = replace(
        sel,
        stand=sel.stand if sel.stand != latest else None,
        target=sel.target if sel.target != settings.target_ratio() else None,
        cost=sel.cost if sel.cost != settings.cost_per_fte() else None,
    )
    wanted = selection_codec.encode(shown)
    if picked_kreis():
        wanted[params.P_PICKED] = picked_kreis()
    if page_path in params.PAGES:
        wanted.update(params.PAGES[page_path].encode(inputs))
    current = {k: ",".join(v) for k, v in _query_params().items() if v}
    if wanted != current:
        st.query_params.from_dict(wanted)


def frame(page_path: str) -> Context | None:
    """The shared sidebar, run by app.py before every page: data, Stand, region filter, assumptions.

    `page_path` is the page's url_path: the page whose inputs the address carries.

    None when the store is empty. Pages read the result through context().
    """
    regs = regions()
    st.html(f"<style>{PAGE_CSS}</style>")
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
        _read_address(stands, page_path)
        inputs = _keep_page_inputs(page_path)
        if page_path == PROFILE_PAGE:
            _profile_kreis(regs)
        st.markdown("**Region**")
        rbs = st.multiselect("Regierungsbezirk", [rb.key for rb in regs.regierungsbezirke], key=KEY_RB,
                             format_func=lambda k: regs[k].name, placeholder="alle Regierungsbezirke",
                             on_change=_filter_changed)  # fmt: skip
        kreise = st.multiselect("Kreise", regs.kreis_keys, key=KEY_KREISE, format_func=regs.display_name,
                                placeholder="alle Kreise", on_change=_filter_changed)  # fmt: skip
        kind = st.segmented_control("Kreistyp", list(KindFilter), key=KEY_KIND, format_func=lambda k: k.label,
                                    on_change=_filter_changed)  # fmt: skip
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
    _write_address(sel, stands[-1], page_path, inputs)
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
    """The one selected Kreis of the session: clicked on a map, chosen in a table or the profile's picker."""
    return st.session_state.get(KEY_PICKED)


def pick_kreis(key: str | None) -> None:
    """Selects a Kreis; called from a widget's callback, which runs before the script, so no rerun is needed."""
    st.session_state[KEY_PICKED] = key


def _picked_on_map(key: str) -> None:
    clicked = maps.clicked_kreis(st.session_state.get(key))
    if clicked:
        pick_kreis(clicked)


def _picked_in_table(key: str, kreise: list[str]) -> None:
    event = st.session_state.get(key)
    rows = event.selection.rows if event else []
    if rows and rows[0] < len(kreise):
        pick_kreis(kreise[rows[0]])


def show_kreis_map(km: maps.KreisMap, key: str, height: int = 560) -> None:
    """The map with its legend; only the Kreis layer is swapped on a rerun, so pan and zoom stay.

    A click selects its Kreis in the map's callback (streamlit-folium #77: only the clicked
    shape is returned, so panning and zooming never rerun the app).
    """
    offline.localize(km.base, offline_asset_base_url())
    st_folium(km.base, feature_group_to_add=km.layer, key=key, height=height, use_container_width=True,
              returned_objects=["last_active_drawing"], on_change=functools.partial(_picked_on_map, key))  # fmt: skip
    st.markdown(km.legend, unsafe_allow_html=True)


def kreis_table(styled, kreise: list[str], key: str, **kwargs) -> None:  # noqa: ANN001 - a frame or Styler
    """A table of Kreise (in the order of `kreise`) where choosing a row selects its Kreis."""
    st.dataframe(styled, key=key, on_select=functools.partial(_picked_in_table, key, list(kreise)),
                 selection_mode="single-row", hide_index=True, **kwargs)  # fmt: skip


def metric_switched() -> None:
    """The ratio is shown in target bands; other Kennzahlen cannot be, so they get quantiles."""
    metric = st.session_state[params.MAP_METRIC.key]
    st.session_state[params.SCHEME.key] = params.SCHEME.default if metric == "ratio" else params.NON_RATIO_SCHEME


KEY_PROFILE = "profil_kreis"


def _profile_chosen() -> None:
    pick_kreis(st.session_state[KEY_PROFILE])


def kreis_picker() -> str:
    """The profile's Kreis: the session's selected Kreis, which the frame has made part of the filter."""
    regs = regions()
    picked = picked_kreis() or regs.kreis_keys[0]
    st.session_state[KEY_PROFILE] = picked
    return st.selectbox("Kreis", regs.kreis_keys, key=KEY_PROFILE, format_func=regs.display_name,
                        on_change=_profile_chosen,
                        help="Tippen Sie den Namen eines Kreises. Die Adresse (…?auswahl=Schlüssel) lässt sich als "
                             "Lesezeichen speichern.")  # fmt: skip


def open_profile_link(kreis: str, key: str) -> None:
    """'Kreisprofil öffnen' as a link, not a button with st.switch_page: a switch from a script run
    re-runs without the browser's widget states and resets the sidebar inputs to their defaults.
    A link also opens the profile in a new tab (it carries the Kreis in its address).
    """
    with st.container(key=key):
        st.page_link("pages/kreis.py", label="Kreisprofil öffnen", icon=":material/query_stats:",
                     query_params={params.P_PICKED: kreis})  # fmt: skip


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

"""Widgets the pages share: the Kreis map and tables that select, the profile's picker and link, the exports."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from pathlib import Path

import folium
import pandas as pd
import streamlit as st

from lagebild import geometry, params
from lagebild.app import a11y, cache, map_component, state
from lagebild.app.context import Context
from lagebild.app.state import KEY_PROFILE
from lagebild.domain import analysis, disclosure
from lagebild.domain.disclosure import Rule
from lagebild.domain.regions import regions
from lagebild.present import fmt, glossary, maps
from lagebild.views import Next

DEMO_ICON = ":material/warning:"


def show_kreis_map(km: maps.KreisMap, key: str, height: int = 560) -> None:
    """The map with its legend; only the Kreis layer is swapped on a rerun, so pan and zoom stay.

    A click selects its Kreis in the map's callback (streamlit-folium #77: only the clicked
    shape is returned, so panning and zooming never rerun the app).
    """
    map_component.show(
        km,
        cache.offline_asset_base_url(),
        key=key,
        height=height,
        returned_objects=["last_active_drawing"],
        on_change=functools.partial(state.picked_on_map, key),
    )
    st.markdown(km.legend, unsafe_allow_html=True)


def show_whole_map(make: Callable[[], folium.Map], key: str, height: int) -> dict | None:
    """A map without a layer to swap (the Gemeinde map), rendered once per cached View; returns what a click on it
    reports (only the clicked shape: panning and zooming never rerun the app)."""
    return map_component.show_whole(
        make, cache.offline_asset_base_url(), key=key, height=height, returned_objects=["last_active_drawing"]
    )


def prepare(build: Callable, ctx: Context, variants: list[Next]) -> None:
    """Build the Views of the page's likely next switches in the background, and render their Kreis maps, so the
    switch reruns as fast as a repeated one (lagebild.app.cache.prepare)."""
    base_url = cache.offline_asset_base_url()

    def render_map(view: object) -> None:
        km = getattr(view, "kreis_map", None)
        if isinstance(km, maps.KreisMap):
            map_component.render(km, base_url)

    cache.prepare(build, ctx, variants, after=render_map)


KEY_MAP_SHOWN = "_karte_gezeigt"  # set once the session's first Kreis map has drawn (or the wait timed out)
MAP_SHOWN_LIMIT_MS = 8000
_map_shown = st.components.v2.component(
    "lagebild_karte_gezeigt", js=(Path(__file__).with_name("map_shown.js")).read_text(encoding="utf-8")
)


def _mark_map_shown() -> None:
    st.session_state[KEY_MAP_SHOWN] = True


def map_shown() -> bool:
    """False on a session's first load until its Kreis map has drawn its shapes in the browser, then True for the
    rest of the session. What would hold up the map (the Plotly bundle) is drawn only then."""
    return bool(st.session_state.get(KEY_MAP_SHOWN))


CHART_WAITS = "Das Diagramm wird gezeichnet, sobald die Karte steht …"


def plotly_chart(figure, *, key: str, alt: str, config: dict) -> None:  # noqa: ANN001 - a plotly Figure
    """`st.plotly_chart`, or, while this session's first map is still being drawn, a placeholder of the chart's
    height: the Plotly bundle would otherwise hold up the map (issue 12). A page that draws charts this way calls
    `report_map_shown` once."""
    if map_shown():
        st.plotly_chart(figure, key=key, alt=alt, config=config)
    else:
        waits(int(figure.layout.height or 450), CHART_WAITS)


TABLE_WAITS = "Die Tabelle wird gezeichnet, sobald die Karte steht …"
MAP_WAITS = "Diese Karte wird gezeichnet, sobald die erste Karte der Seite steht …"
ROW_PX = 35  # a row of st.dataframe, header included


def dataframe(data: pd.DataFrame, *, key: str, **kwargs) -> None:
    """`st.dataframe`, or, while this session's first map is still being drawn, a placeholder of the table's height:
    the table's bundle would otherwise hold up the map (issue 12). The page reports the map (`report_map_shown`)."""
    if map_shown():
        st.dataframe(data, key=key, **kwargs)
    else:
        _table_waits(data, kwargs.get("height"))


def waits(height: int, text: str) -> None:
    """The place of what is drawn once the map stands: its height, so nothing below moves, and a line saying so."""
    with st.container(height=height, border=False):
        st.caption(text)


def _table_waits(data, height: int | None) -> None:  # noqa: ANN001 - a frame or Styler
    rows = len(data.data if hasattr(data, "data") else data)  # a Styler's frame is .data
    waits(int(height or (min(rows, 10) + 1) * ROW_PX + 3), TABLE_WAITS)


class Held:
    """Charts, tables and further maps that keep their place on the page but are drawn by one fragment at its end,
    after the session's first map stands (issue 12). A page whose charts and tables stand between its inputs cannot
    wrap them in one fragment, and a page rerun on the map's report would give its download buttons new files; the
    map's report reruns only `draw`, which fills the places reserved by `chart`, `table` and `map` (a fragment may
    write to containers made outside it)."""

    def __init__(self) -> None:
        self._items: list[tuple[st.delta_generator.DeltaGenerator, Callable[[], None]]] = []

    def chart(self, figure, *, key: str, alt: str, config: dict) -> None:  # noqa: ANN001 - a plotly Figure
        """Reserves the chart's place here; `draw` fills it."""
        self._items.append((st.container(), functools.partial(plotly_chart, figure, key=key, alt=alt, config=config)))

    def table(self, data, *, key: str, kreise: list[str] | None = None, **kwargs) -> None:  # noqa: ANN001
        """Reserves a table's place here (a frame or Styler); with `kreise`, choosing a row selects its Kreis
        (`select_table`), and the page reruns so everything shows it."""

        def draw() -> None:
            if not map_shown():
                _table_waits(data, kwargs.get("height"))
            elif kreise is None:
                st.dataframe(data, key=key, **kwargs)
            else:
                select_table(data, kreise, key=key, **kwargs)

        self._items.append((st.container(), draw))

    def map(self, km: maps.KreisMap, *, key: str, height: int, name: str) -> None:
        """Reserves the place of a page's second or third Kreis map: each map loads Leaflet and its shapes in an
        iframe of its own, and three at once held up the first (issue 12). `name` is the map's accessible name
        (`a11y.map_name`, in the map's own block). A click on it chooses a Kreis as on the first; the fragment then
        reruns the page (`_draw_held`)."""

        def draw() -> None:
            a11y.map_name(name)
            if map_shown():
                show_kreis_map(km, key, height)
            else:
                waits(height, MAP_WAITS)
                st.markdown(km.legend, unsafe_allow_html=True)

        self._items.append((st.container(), draw))

    def draw(self) -> None:
        """Draws every reserved chart and table (or its placeholder) and reports the map; call once, at the end."""
        _draw_held(self._items, state.picked_kreis())


@st.fragment
def _draw_held(items: list[tuple[st.delta_generator.DeltaGenerator, Callable[[], None]]], picked: str | None) -> None:
    for place, draw in items:
        with place:
            draw()
    rerun_if_picked(picked)
    report_map_shown()


def rerun_if_picked(picked_before: str | None) -> None:
    """In a fragment: a Kreis chosen in one of its tables since `picked_before` is shown by the whole page (its map,
    card and sentences), so the page reruns."""
    if state.picked_kreis() != picked_before:
        st.rerun()


def report_map_shown() -> None:
    """The script that reports the drawn map: in a fragment after what waits, the report reruns that fragment;
    outside any, the page (once per session)."""
    shown = map_shown()
    with st.container(key="karte_gezeigt"):  # drawn nowhere (a11y.CSS)
        _map_shown(
            key="karte_gezeigt_melder",
            data={"shown": shown, "limit_ms": MAP_SHOWN_LIMIT_MS},
            default={"shown": shown},
            on_shown_change=_mark_map_shown,
        )


def select_table(styled, kreise: list[str], key: str, **kwargs) -> None:  # noqa: ANN001 - a frame or Styler
    """A table of Kreise (in the order of `kreise`) where choosing a row selects its Kreis."""
    st.dataframe(
        styled,
        key=key,
        on_select=functools.partial(state.picked_in_table, key, list(kreise)),
        selection_mode="single-row",
        hide_index=True,
        **kwargs,
    )


KEY_PICK = "kreis_waehlen"
KEY_GEMEINDE = "gemeinde_waehlen"


def kreis_choice(label: str, choices: dict[str, str]) -> None:
    """The map's twin for the keyboard: every Kreis in a select box; choosing one selects it (Enter opens its card)."""
    picked = state.picked_kreis()
    st.session_state[KEY_PICK] = picked if picked in choices else None
    st.selectbox(
        label,
        list(choices),
        key=KEY_PICK,
        format_func=choices.__getitem__,
        placeholder="Name tippen oder ↓",
        on_change=lambda: state.pick_kreis(st.session_state[KEY_PICK]),
    )


def gemeinde_choice(label: str, kreis: str, choices: dict[str, str], clicked: str | None) -> str | None:
    """The Gemeinde map's twin for the keyboard. A new click in the map chooses that Gemeinde here too; a choice
    made here stands until the next click."""
    key = f"{KEY_GEMEINDE}_{kreis}"
    last_click = f"_{key}_klick"
    if clicked != st.session_state.get(last_click):
        st.session_state[last_click] = clicked
        if clicked in choices:
            st.session_state[key] = clicked
    if st.session_state.get(key) not in choices:
        st.session_state[key] = None
    return st.selectbox(
        label, list(choices), key=key, format_func=choices.__getitem__, placeholder="Name tippen oder ↓"
    )


def kreis_picker() -> str:
    """The profile's Kreis: the session's selected Kreis, which the frame has made part of the filter."""
    regs = regions()
    picked = state.picked_kreis() or regs.kreis_keys[0]
    if not state.resumed(KEY_PROFILE):
        st.session_state[KEY_PROFILE] = picked
    return st.selectbox(
        "Kreis",
        regs.kreis_keys,
        key=KEY_PROFILE,
        format_func=regs.display_name,
        on_change=state.profile_chosen,
        placeholder="Kreis wählen",
        help="Tippen Sie den Namen eines Kreises. Die Adresse (…?auswahl=Schlüssel) lässt sich als "
        "Lesezeichen speichern.",
    )


def open_profile_link(kreis: str, key: str) -> None:
    """'Kreisprofil öffnen' as a link, not a button with st.switch_page: a switch from a script run
    re-runs without the browser's widget states and resets the sidebar inputs to their defaults.
    A link also opens the profile in a new tab (it carries the Kreis in its address).
    """
    with st.container(key=key):
        st.page_link(
            "pages/kreis.py",
            label="Kreisprofil öffnen",
            icon=":material/query_stats:",
            query_params={params.P_PICKED: kreis},
        )


def demo_note(note: str | None) -> None:
    """The demo-data warning of a page. A Material icon, not the emoji: an emoji icon makes Streamlit load its emoji
    catalogue (≈ 0.35 s of regular expressions on the first page of a process)."""
    if note:
        st.warning(note, icon=DEMO_ICON)


@functools.cache
def app_icon():  # noqa: ANN201 - a PIL image
    """A favicon drawn here: a material-icon favicon would be fetched from Google's font CDN."""
    from PIL import Image, ImageDraw

    from lagebild.domain.measures import Status
    from lagebild.present.palette import PRIMARY, STATUS_COLOURS

    img = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((2, 2, 62, 62), radius=12, fill=PRIMARY)
    for i, status in enumerate((Status.OK, Status.ELEVATED, Status.CRITICAL)):
        draw.rectangle((12 + i * 14, 44 - i * 10, 22 + i * 14, 52), fill=STATUS_COLOURS[status])
    return img


def _export_preset(key: str):  # noqa: ANN202 - a files.Preset
    from lagebild.export import files

    return files.PRESETS.get(st.session_state.get(f"{key}_vorlage") or "", files.PRESETS[files.DEFAULT_PRESET])


def chart_config(key: str, view: str, label: str, as_of: date) -> dict:
    """st.plotly_chart config: its camera button downloads the same file name and size as export_panel `key`."""
    from lagebild.export import files

    return files.toolbar_config(files.file_stem(view, as_of), label, _export_preset(key))


def _built(figure):  # noqa: ANN001, ANN202 - a go.Figure or a function returning one
    return figure() if callable(figure) else figure


def _image(figure, image_format: str, preset, meta) -> bytes:  # noqa: ANN001 - figure or its builder, Preset, meta()
    from lagebild.export import images

    return images.image_bytes(_built(figure), image_format, preset, meta())


def _csv(frame: pd.DataFrame, meta, decimals: dict[str, int] | None) -> bytes:  # noqa: ANN001 - meta() of the panel
    from lagebild.export import files

    return files.table_csv(frame, meta(), decimals)


def _xlsx(frame: pd.DataFrame, meta, label: str, decimals: dict[str, int] | None) -> bytes:  # noqa: ANN001
    from lagebild.export import files

    return files.table_xlsx(frame, meta(), label, decimals)


def press_safe_switch(key: str) -> Rule:
    """The export's switch "Geheimhaltung anwenden (presssicher)", on unless the user turns it off."""
    configured = disclosure.rule()
    applied = st.toggle(glossary.SWITCH, value=True, key=f"{key}_geheimhaltung", help=glossary.switch_help(configured))
    return disclosure.rule(applied)


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
    stands: tuple[date, date] | None = None,
    protected_tables: Callable[[Rule], dict[str, pd.DataFrame]] | None = None,
    protected_figures: Callable[[Rule], dict] | None = None,
) -> None:
    """Downloads of a view: the 'Kreisprofil als PDF' button (`profile_pdf`, for `kreis`), and an
    'Export' expander with the image preset, PNG/SVG/PDF per figure, CSV/XLSX per table and
    the Pressepaket. A view of one `kreis` is labelled with it instead of the region filter. A comparison
    gives its two `stands` (earlier, later), which every file names instead of the sidebar's Stand.

    Each file is built only when its button is clicked (a callable as data) and a download
    does not rerun the app (on_click="ignore"; streamlit #3832, #4382, #5053). Rendered
    images are cached in lagebild.export.images, so a second click is served from memory. A figure
    may be given as a function that builds it, so a figure only for export costs no rerun time.

    A panel with Gemeinde figures (`protected_figures`, `protected_tables`) or the PDF has the switch "Geheimhaltung
    anwenden (presssicher)", on by default: those build the images and tables of Gemeinde figures under the chosen
    rule, and every file's metadata names the rule. Panels without Gemeinde figures, where the switch would change
    nothing, have none.
    """
    from lagebild.export import files, images, press
    from lagebild.export import profile_pdf as pdf
    from lagebild.present import charts

    figures, tables = figures or {}, tables or {}
    regs = regions()
    region_label = regs[kreis].display_name if kreis else ctx.region_label

    since, as_of = stands if stands else (None, ctx.as_of)

    @functools.cache
    def meta(rule: Rule) -> files.ExportMeta:
        return files.export_meta(
            view=view,
            obs=ctx.obs,
            keys=[kreis] if kreis else ctx.kreis_keys,
            as_of=as_of,
            region_label=region_label,
            thresholds=ctx.thresholds,
            cost_per_fte=ctx.cost_per_fte,
            demo=ctx.is_demo,
            source_line=charts.source_line(ctx.sources(), as_of, ctx.is_demo, since),
            attribution=geometry.meta().attribution,
            period_label=fmt.period(period) if period else "",
            summary=summary,
            since=since,
            rule=rule,
        )

    status = images.image_export_status()
    stem = files.file_stem(view, as_of) if since is None else f"{files.file_stem(view, since)}_{as_of.isoformat()}"
    if kreis and profile_pdf:
        name = regs[kreis].display_name
        # Cached loaders are read here, in the script run; the button runs its function in another thread.
        table, kreis_period, kreise = ctx.table(), ctx.period(3), cache.geo_layers().kreise
        pdf_rule = press_safe_switch(key)

        def profile_bytes() -> bytes:
            data = pdf.ProfileInput(
                kreis, regs, table, ctx.obs, kreis_period, kreise, geometry.gemeinden(), meta(pdf_rule)
            )
            return pdf.kreis_profile_pdf(data)

        st.download_button(
            "Kreisprofil als PDF",
            profile_bytes,
            key=f"{key}_profil",
            type="primary",
            file_name=f"kreisprofil_{files.slug(name)}_{ctx.as_of.isoformat()}.pdf",
            mime="application/pdf",
            on_click="ignore",
            icon=":material/picture_as_pdf:",
            disabled=not status.ok,
            help=f"A4, mehrseitig: Kennzahlen mit Regierungsbezirk und Land, Karte, Zeitreihen, "
            f"Nachbarn, Definitionen, Quellen und Stand {fmt.day(ctx.as_of)}. Die Erzeugung "
            "dauert einige Sekunden.",
        )
        if not status.ok:
            st.caption(status.message)
    if not figures and not tables and protected_tables is None and protected_figures is None:
        return
    with st.expander("Export: Grafiken und Daten", icon=":material/download:", key=f"{key}_export"):
        # The switch only where it changes a file (Gemeinde figures); elsewhere the rule as configured, which the
        # files' metadata name.
        rule = press_safe_switch(key) if protected_tables or protected_figures else disclosure.rule()
        chosen = functools.partial(meta, rule)
        figures = figures | (protected_figures(rule) if protected_figures else {})
        tables = tables | (protected_tables(rule) if protected_tables else {})
        if figures:
            preset_key = st.radio(
                "Bildformat",
                list(files.PRESETS),
                key=f"{key}_vorlage",
                horizontal=True,
                format_func=lambda k: files.PRESETS[k].label,
                captions=[p.description for p in files.PRESETS.values()],
            )
            preset = files.PRESETS[preset_key or files.DEFAULT_PRESET]
            if not status.ok:
                st.warning(status.message, icon=":material/warning:")
            for label, fig in figures.items():
                cols = st.columns([2, 1, 1, 1], vertical_alignment="center")
                cols[0].markdown(f"**{label}**")
                for col, image_format in zip(cols[1:], files.IMAGE_FORMATS.values(), strict=True):
                    col.download_button(
                        image_format.label,
                        functools.partial(_image, fig, image_format.key, preset, chosen),
                        key=f"{key}_{files.slug(label)}_{image_format.key}",
                        file_name=files.file_name(stem, label, image_format.key, preset),
                        mime=image_format.mime,
                        on_click="ignore",
                        disabled=not status.ok,
                        icon=":material/image:",
                        width="stretch",
                    )
        for label, frame in tables.items():
            cols = st.columns([2, 1, 1, 1], vertical_alignment="center")
            cols[0].markdown(f"**{label}** ({fmt.count(len(frame), 'Zeile', 'Zeilen')})")
            cols[1].download_button(
                files.CSV.label,
                functools.partial(_csv, frame, chosen, decimals),
                key=f"{key}_{files.slug(label)}_csv",
                file_name=files.file_name(stem, label, "csv"),
                mime=files.CSV.mime,
                on_click="ignore",
                icon=":material/table:",
                width="stretch",
                help="UTF-8 mit BOM, Semikolon, Dezimalkomma: öffnet sich in Excel mit Umlauten.",
            )
            cols[2].download_button(
                files.XLSX.label,
                functools.partial(_xlsx, frame, chosen, label, decimals),
                key=f"{key}_{files.slug(label)}_xlsx",
                file_name=files.file_name(stem, label, "xlsx"),
                mime=files.XLSX.mime,
                on_click="ignore",
                icon=":material/table:",
                width="stretch",
                help="Blatt „Daten“ und Blatt „Metadaten“ (Definitionen, Einheiten, Stand, "
                "Quellen, Lizenzen, Filter, Zielwert).",
            )
        if figures:

            def pack() -> bytes:
                items = [press.PressItem(label, figure=_built(fig), alt=summary) for label, fig in figures.items()]
                items += [press.PressItem(label, table=frame, decimals=decimals) for label, frame in tables.items()]
                return press.press_pack(items, chosen(), preset)

            st.download_button(
                f"Pressepaket (ZIP, {preset.label})",
                pack,
                key=f"{key}_pressepaket",
                file_name=f"pressepaket_{stem}_{preset.key}.zip",
                mime=files.ZIP.mime,
                on_click="ignore",
                disabled=not status.ok,
                icon=":material/folder_zip:",
                help=f"Alle Grafiken als PNG, SVG und PDF ({preset.label}), die Tabellen als CSV und "
                "XLSX und ein LIESMICH mit Quelle, Stand, Lizenz, Bildunterschrift und "
                "Alternativtext.",
            )
        st.caption(
            "Jede Datei trägt Titel, Quelle und Stand; Karten zusätzlich den Quellenvermerk der Grenzen. "
            "Die Kamera in der Werkzeugleiste eines Diagramms lädt dasselbe Format als PNG direkt im Browser."
        )


def _regroup(key: str) -> None:
    """Writes a typed amount back with thousands separators, so 64000 reads 64.000 once entered."""
    value = fmt.parse(st.session_state.get(key) or "")
    if value is not None:
        st.session_state[key] = fmt.number(value)


def amount_input(container, label: str, key: str, placeholder: str, help: str) -> float | None:  # noqa: A002, ANN001
    """A number field in German notation (st.number_input formats with sprintf.js, which has no thousands
    separator). Empty is None; text that is no amount says so under the field and counts as empty."""
    container.text_input(label, key=key, placeholder=placeholder, help=help, on_change=_regroup, args=(key,))
    text = (st.session_state.get(key) or "").strip()
    if not text:
        return None
    value = fmt.parse(text)
    if value is None:
        container.error(f"„{text}“ ist keine Zahl ab 0; bitte z. B. 12.000 oder 12000 eingeben.")
    return value

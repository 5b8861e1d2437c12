"""Daten: eigene Tabellen und amtliche Statistik hochladen, prüfen, übernehmen; Importe ansehen und zurücknehmen."""

from datetime import date

import streamlit as st

from lagebild import settings
from lagebild.app import auth, cache, sidebar, widgets
from lagebild.app.state import KEY_FAULT_SEEN
from lagebild.backup import last_backup_text
from lagebild.domain import completeness
from lagebild.domain import measures as ms
from lagebild.domain.access import AccessDenied
from lagebild.domain.regions import regions
from lagebild.intake import importer, review, templates
from lagebild.present import text
from lagebild.store import RollbackRefused, Store, StoreUnavailable, WriteFailed, sha256_of
from lagebild.views import access as access_views
from lagebild.views import daten as views

KEY_UPLOADS = "daten_hochgeladen"
KEY_DONE = "daten_meldung"
KEY_ROLLBACK = "ruecknahme_import"
KEY_KEPT_FILE = "daten_datei_gemerkt"  # the upload's name, bytes and answers while it is shown
KEY_RESTORED = "daten_datei_wiederhergestellt"  # the shown file came back from KEY_KEPT_FILE, not the uploader
# Widths so that Nr., Status, Kennzahl and Stand fit beside each other at 1280 px; the technical columns come last.
HISTORY_WIDTHS = {
    "Nr.": st.column_config.NumberColumn(width=40),
    "Status": st.column_config.TextColumn(width=330),
    "Kennzahl": st.column_config.TextColumn(width=230),
    "Stand": st.column_config.TextColumn(width=160),
}
# st.file_uploader and st.date_input have no locale: the drop zone says "Upload" and "20MB per file • CSV, TXT, XLSX",
# a chosen file "284.0B", an empty date "dd.mm.yyyy", whatever the page language. The English text is hidden and German
# put in its place; the limit itself is server.maxUploadSize in .streamlit/config.toml (= importer.MAX_BYTES).
GERMAN_WIDGET_CSS = f"""<style>
[data-testid="stFileUploaderDropzoneInstructions"] > div > span {{ display: none; }}
[data-testid="stFileUploaderDropzoneInstructions"] > div::before {{
  content: "Datei hierher ziehen oder auswählen"; display: block; }}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{
  content: "CSV, TXT oder XLSX, höchstens {views.LIMIT_MB} MB"; display: block; font-size: 0.875em; opacity: 0.7; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"] span[data-has-shortcut]::after {{
  content: "Datei auswählen"; }}
[data-testid="stFileChipName"] + div {{ display: none; }}
[data-testid="stDateInputField"] [role="spinbutton"][data-placeholder="true"] {{ font-size: 0; }}
[data-testid="stDateInputField"] [role="spinbutton"][data-placeholder="true"]::after {{ font-size: 1rem; }}
[data-testid="stDateInputField"] [data-placeholder="true"][data-type="day"]::after {{ content: "TT"; }}
[data-testid="stDateInputField"] [data-placeholder="true"][data-type="month"]::after {{ content: "MM"; }}
[data-testid="stDateInputField"] [data-placeholder="true"][data-type="year"]::after {{ content: "JJJJ"; }}
</style>"""


def german_widget_texts() -> None:
    st.html(GERMAN_WIDGET_CSS)


# Writes happen in button callbacks: they run before the next script run, so the sidebar
# and every page already see the new revision, and no click is lost to a rerun.
def accept(store: Store, parsed: importer.Parsed, data: bytes, measure: str, sha256: str) -> None:
    try:
        import_id = review.accept(store, parsed, data, measure, auth.principal(), sha256=sha256)
    except AccessDenied as exc:
        st.session_state[KEY_DONE] = (False, text.markdown(exc))
        return
    except (WriteFailed, StoreUnavailable) as exc:
        # The upload's key stays as it is, so the file and every answer are still there for a second try.
        st.session_state[KEY_DONE] = (False, views.not_accepted(exc))
        return
    st.session_state[KEY_DONE] = (True, views.accepted(import_id, parsed, measure))
    st.session_state[KEY_UPLOADS] = st.session_state.get(KEY_UPLOADS, 0) + 1


def forget_kept_file() -> None:
    st.session_state.pop(KEY_KEPT_FILE, None)
    st.session_state.pop(KEY_RESTORED, None)


def roll_back(store: Store, import_id: int) -> None:
    try:
        rolled = store.rollback(import_id, auth.principal())
        st.session_state[KEY_DONE] = (True, views.rolled_back(rolled))
    except (RollbackRefused, WriteFailed, StoreUnavailable, AccessDenied) as exc:
        st.session_state[KEY_DONE] = (False, text.markdown(exc))
    st.session_state[KEY_ROLLBACK] = None


ctx = sidebar.context()
url = settings.database_url()
store = cache.get_store(url)
regs = regions()
who = auth.principal()
st.title(views.TITLE)
st.caption(views.INTRO)
# Always there, so a message coming and going does not move the tabs (and reset the open one).
with st.container(key="meldung"):
    if done := st.session_state.pop(KEY_DONE, None):
        ok, message = done
        (st.success if ok else st.error)(message)

tabs = st.tabs(views.TABS + ([access_views.AUDIT_TITLE] if access_views.shows_audit(who) else []), key="daten_reiter")
upload_tab, imports_tab, status_tab, templates_tab = tabs[:4]

with upload_tab:
    st.markdown(access_views.duties(who))
    if not access_views.offers_import(who):
        st.info(views.NO_IMPORT_ROLE, icon=":material/visibility:")
    else:
        st.markdown(views.UPLOAD_HELP)
        german_widget_texts()
        uploader_key = f"datei_{st.session_state.get(KEY_UPLOADS, 0)}"
        upload = st.file_uploader(
            "Datei", type=["csv", "txt", "xlsx"], key=uploader_key, max_upload_size=views.LIMIT_MB
        )
        # The file and the answers are kept beside the uploader: a run that showed the store's fault page drew no uploader,
        # and Streamlit forgets what a widget held when it is not drawn (issue 18: nothing a user entered is lost).
        kept = st.session_state.get(KEY_KEPT_FILE)
        fault_seen = st.session_state.pop(KEY_FAULT_SEEN, False)
        name, data = "", None  # the file shown: from the uploader, or kept from before
        same_file = (
            kept is not None
            and kept["uploader"] == uploader_key
            and (upload is None or upload.getvalue() == kept["data"])
        )
        if fault_seen and same_file:
            for key, value in kept["answers"].items():  # type: ignore[index]
                st.session_state[key] = value  # the browser may send the widget back empty
            st.session_state[KEY_RESTORED] = True
        if upload is not None:
            name, data = upload.name, upload.getvalue()
            if not same_file:
                st.session_state.pop(KEY_RESTORED, None)
        elif same_file and st.session_state.get(KEY_RESTORED):
            name, data = kept["name"], kept["data"]  # type: ignore[index]
        else:
            st.session_state.pop(KEY_KEPT_FILE, None)
            st.session_state.pop(KEY_RESTORED, None)
        if data is None:
            st.info(views.NO_FILE)
        else:
            if st.session_state.get(KEY_RESTORED):
                st.info(views.restored(name), icon=":material/restore_page:")
                if upload is None:
                    st.button("Datei verwerfen", key="verwerfen", icon=":material/delete:", on_click=forget_kept_file)
            digest = sha256_of(data)  # the one hash of the file: its questions, its cache entries, its import
            tag = views.file_tag(digest)  # fresh questions for each new file
            info = cache.upload(digest, name, data).info
            left, right = st.columns(2)
            if info.refused:
                measure = None  # no question to ask: the check below says why the file cannot be read
            elif info.measure_is_named:
                measure = info.suggested_measure
                left.markdown(views.measure_recognised(info))
            else:
                measure = left.selectbox(
                    "Kennzahl",
                    list(ms.MEASURES),
                    key=f"kennzahl_{tag}",
                    index=views.measure_index(info),
                    format_func=lambda k: ms.label_with_unit(ms.MEASURES[k]),
                    placeholder="bitte wählen",
                )
            column = None
            if columns := views.column_choices(info):
                column = right.selectbox(
                    "Wertespalte",
                    list(columns),
                    index=None,
                    key=f"spalte_{tag}",
                    format_func=lambda i: columns[i],
                    placeholder="bitte wählen",
                    help="Die Datei hat mehrere Wertespalten; übernommen wird genau eine.",
                )
            stichtag = None
            if label := views.stichtag_label(info):
                stichtag = right.date_input(
                    label,
                    value=None,
                    key=f"stichtag_{tag}",
                    format="DD.MM.YYYY",
                    min_value=date(settings.EARLIEST_DATE_YEAR, 1, 1),
                )
            group = None
            if views.asks_group(measure):
                group = right.selectbox(
                    "Gruppe (nur falls die Datei keine Spalte hat)",
                    ms.ARRIVAL_GROUPS,
                    index=None,
                    key=f"gruppe_{tag}",
                    format_func=lambda g: ms.GROUP_LABELS[g],
                    placeholder="aus der Datei",
                )
            source = (
                None
                if info.refused
                else left.text_input("Quelle (für Zeilen ohne eigene Quellenangabe)", key=f"quelle_{tag}") or None
            )
            answers = [f"{question}_{tag}" for question in ("kennzahl", "spalte", "stichtag", "gruppe", "quelle")]
            st.session_state[KEY_KEPT_FILE] = {
                "uploader": uploader_key,
                "name": name,
                "data": data,
                "answers": {k: st.session_state[k] for k in answers if k in st.session_state},
            }
            if info.note:
                st.info(text.markdown(info.note), icon=":material/info:")
            if measure is None and not info.refused:
                st.warning(views.ASK_MEASURE)
            else:
                if measure is not None:
                    st.caption(views.measure_help(measure))

                given = review.Answers(None if info.measure_is_named else measure, stichtag, group, column, source)
                result = cache.intake_check(url, store.revision(), digest, name, given, date.today(), data)
                parsed = result.parsed
                shown = views.preview(result, name)
                st.subheader("Vorschau")
                st.markdown(shown.facts)
                if shown.problems:
                    with st.container(key="probleme"):
                        st.error(shown.problems)
                # The store refuses such a file anyway; said here, the user need not click to find out.
                denied = access_views.import_refusal(who, parsed.rows, name) if parsed.ok else None
                if denied:
                    with st.container(key="nicht_erlaubt"):
                        st.error(denied, icon=":material/block:")
                if shown.warnings and not denied:  # "trotzdem möglich" would contradict the refusal
                    with st.container(key="warnungen"):
                        st.warning(shown.warnings)
                if shown.notes:
                    st.caption(shown.notes)
                confirmed = True
                if shown.duplicate:
                    st.warning(shown.duplicate, icon=":material/content_copy:")
                    confirmed = st.checkbox("Trotzdem erneut übernehmen", key=f"erneut_{tag}")
                if shown.comparison_title:
                    st.markdown(shown.comparison_title)
                    st.dataframe(result.comparison, hide_index=True, key="vergleich", height=360)
                accept_col, report_col = st.columns([1, 1])
                accept_col.button(
                    "Übernehmen",
                    type="primary",
                    key="uebernehmen",
                    icon=":material/done:",
                    disabled=not (parsed.ok and confirmed) or denied is not None,
                    on_click=accept,
                    args=(store, parsed, data, measure, result.sha256),
                )
                report_col.download_button(
                    "Prüfbericht herunterladen",
                    result.report.encode("utf-8"),
                    key="bericht",
                    file_name=shown.report_name,
                    mime="text/plain",
                    on_click="ignore",
                    icon=":material/download:",
                )

with imports_tab:
    st.caption(last_backup_text(store), help=views.BACKUP_HELP)
    hist = store.history()
    if hist.empty:
        st.info(views.NO_IMPORTS)
    else:
        history_table = review.history_table(hist)
        st.dataframe(history_table, hide_index=True, key="importe", column_config=HISTORY_WIDTHS)
        if ctx is not None:
            widgets.export_panel(ctx, "export_daten", view="Daten", tables={"Importe": history_table})
        st.caption(views.HISTORY_NOTE)
        if access_views.offers_rollback(who):
            choices = views.rollback_choices(hist)
            st.markdown("**Import zurücknehmen**")
            chosen = st.selectbox(
                "Import",
                list(choices),
                index=None,
                key=KEY_ROLLBACK,
                format_func=lambda i: choices[i],
                placeholder="Import wählen",
            )
            if chosen is not None:
                st.warning(views.rollback_warning(hist, int(chosen)), icon=":material/undo:")
                sure = st.checkbox(views.rollback_confirm(chosen), key=f"ruecknahme_ok_{chosen}")
                st.button(
                    "Zurücknehmen",
                    key="zuruecknehmen",
                    disabled=not sure,
                    icon=":material/undo:",
                    on_click=roll_back,
                    args=(store, int(chosen)),
                )

with status_tab:
    if ctx is None:
        st.info(views.NO_STATUS)
    else:
        status = completeness.meldestand(ctx.obs, regs, ctx.as_of)
        st.caption(views.status_caption(ctx.as_of))
        (st.success if status.complete else st.warning)(status.summary(regs))
        reminders = status.reminders()
        if not reminders.empty:
            st.markdown(views.reminders_title(len(reminders)))
            st.dataframe(reminders, hide_index=True, key="meldestand_fehlend")
            widgets.export_panel(ctx, "export_meldestand", view="Meldestand", tables={"Fehlende Meldungen": reminders})
        with st.expander(views.all_rows_title(len(status.table))):
            st.dataframe(status.table, hide_index=True, key="meldestand_alle")

with templates_tab:
    st.markdown(views.TEMPLATES_INTRO)
    st.caption(views.TEMPLATES_NOTE)
    for key, stem in templates.FILE_STEMS.items():
        title_col, csv_col, xlsx_col = st.columns([3, 1, 1])
        title_col.markdown(views.template_title(key))
        csv_col.download_button(
            "CSV",
            templates.template_csv(key),
            file_name=templates.file_name(key, "csv"),
            mime="text/csv",
            key=f"vorlage_csv_{stem}",
            on_click="ignore",
            icon=":material/download:",
        )
        xlsx_col.download_button(
            "XLSX",
            templates.template_xlsx(key),
            file_name=templates.file_name(key, "xlsx"),
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"vorlage_xlsx_{stem}",
            on_click="ignore",
            icon=":material/download:",
        )

if access_views.shows_audit(who):
    with tabs[4], st.container(key="protokoll_reiter"):
        st.caption(access_views.AUDIT_INTRO)
        trail = access_views.audit_table(store.audit_trail())
        if trail.empty:
            st.info(access_views.NO_AUDIT)
        else:
            st.dataframe(trail, hide_index=True, key="protokoll")
            if ctx is not None:
                widgets.export_panel(ctx, "export_protokoll", view="Protokoll", tables={"Protokoll": trail})

"""Daten: eigene Tabellen und amtliche Statistik hochladen, prüfen, übernehmen; Importe ansehen und zurücknehmen."""

from datetime import date

import streamlit as st

from lagebild import settings
from lagebild.app import cache, sidebar, widgets
from lagebild.app.state import KEY_FAULT_SEEN
from lagebild.backup import last_backup_text
from lagebild.domain import completeness
from lagebild.domain import measures as ms
from lagebild.domain.regions import regions
from lagebild.intake import importer, review, templates
from lagebild.present import fmt, text
from lagebild.store import RollbackRefused, Store, StoreUnavailable, WriteFailed, sha256_of

LIMIT_MB = importer.MAX_BYTES // (1024 * 1024)
KEY_UPLOADS = "daten_hochgeladen"
KEY_DONE = "daten_meldung"
KEY_ROLLBACK = "ruecknahme_import"
KEY_KEPT_FILE = "daten_datei_gemerkt"  # the upload's name, bytes and answers while it is shown
KEY_RESTORED = "daten_datei_wiederhergestellt"  # the shown file came back from KEY_KEPT_FILE, not the uploader
TEMPLATE_HELP = {
    templates.FTE_AND_HEADCOUNT: "VZÄ und Personen je Kreis in einer Datei. Beide werden zusammen geprüft (VZÄ höchstens "
    "so viele wie Personen) und als ein Import übernommen – unabhängig davon, was schon gespeichert ist.",
}
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
  content: "CSV, TXT oder XLSX, höchstens {LIMIT_MB} MB"; display: block; font-size: 0.875em; opacity: 0.7; }}
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
def accept(store: Store, parsed: importer.Parsed, data: bytes, measure: str) -> None:
    try:
        import_id = review.accept(store, parsed, data, measure, review.WEB_USER)
    except (WriteFailed, StoreUnavailable) as exc:
        # The upload's key stays as it is, so the file and every answer are still there for a second try.
        st.session_state[KEY_DONE] = (False, f"**Nicht übernommen.** {text.markdown(exc)} Datei und Angaben bleiben auf der Seite; "
                                      "„Übernehmen“ lässt sich wiederholen, sobald der Fehler behoben ist.")  # fmt: skip
        return
    st.session_state[KEY_DONE] = (True, f"Import Nr. {import_id} übernommen: {fmt.count(len(parsed.rows), 'Wert', 'Werte')} für "
                                  f"{ms.label_of(parsed.measure or measure)} aus {text.markdown(parsed.file_name)}. Landesübersicht und Karte "
                                  "zeigen die neuen Zahlen.")  # fmt: skip
    st.session_state[KEY_UPLOADS] = st.session_state.get(KEY_UPLOADS, 0) + 1


def forget_kept_file() -> None:
    st.session_state.pop(KEY_KEPT_FILE, None)
    st.session_state.pop(KEY_RESTORED, None)


def roll_back(store: Store, import_id: int) -> None:
    try:
        rolled = store.rollback(import_id, review.WEB_USER)
        st.session_state[KEY_DONE] = (True, f"Import Nr. {rolled.import_id} ({text.markdown(rolled.file_name)}) zurückgenommen; "
                                      "frühere Werte gelten wieder.")  # fmt: skip
    except (RollbackRefused, WriteFailed, StoreUnavailable) as exc:
        st.session_state[KEY_DONE] = (False, text.markdown(exc))
    st.session_state[KEY_ROLLBACK] = None


ctx = sidebar.context()
store = cache.get_store(settings.database_url())
regs = regions()
st.title("Daten")
st.caption("Eigene Tabellen und amtliche Statistik einspielen, vor dem Übernehmen prüfen, frühere Importe "
           "zurücknehmen. Gelöscht wird nichts.")  # fmt: skip
# Always there, so a message coming and going does not move the tabs (and reset the open one).
with st.container(key="meldung"):
    if done := st.session_state.pop(KEY_DONE, None):
        ok, message = done
        (st.success if ok else st.error)(message)

upload_tab, imports_tab, status_tab, templates_tab = st.tabs(["Hochladen", "Importe", "Meldestand", "Vorlagen"],
                                                             key="daten_reiter")  # fmt: skip

with upload_tab:
    st.markdown(f"CSV oder XLSX im Aufbau der Vorlage, eine **GENESIS-Tabelle** (CSV von regionalstatistik.de oder "
                f"GENESIS-Online) oder ein **GENESIS-Flatfile** (ffcsv). Höchstens **{LIMIT_MB} MB** je Datei; "
                "größere Dateien bitte aufteilen, z. B. je Kennzahl oder Stichtag.")  # fmt: skip
    german_widget_texts()
    uploader_key = f"datei_{st.session_state.get(KEY_UPLOADS, 0)}"
    upload = st.file_uploader("Datei", type=["csv", "txt", "xlsx"], key=uploader_key, max_upload_size=LIMIT_MB)
    # The file and the answers are kept beside the uploader: a run that showed the store's fault page drew no uploader,
    # and Streamlit forgets what a widget held when it is not drawn (issue 18: nothing a user entered is lost).
    kept = st.session_state.get(KEY_KEPT_FILE)
    fault_seen = st.session_state.pop(KEY_FAULT_SEEN, False)
    name, data = "", None  # the file shown: from the uploader, or kept from before
    same_file = kept is not None and kept["uploader"] == uploader_key and (upload is None or upload.getvalue() == kept["data"])
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
        st.info("Noch keine Datei gewählt. Vorlagen gibt es im Reiter „Vorlagen“.")
    else:
        if st.session_state.get(KEY_RESTORED):
            st.info(f"Weiter mit der Datei „{text.markdown(name)}“ von vorhin: der Datenbestand war zwischendurch nicht "
                    "lesbar, Datei und Angaben sind erhalten. Eine andere Datei oben wählen ersetzt sie.",
                    icon=":material/restore_page:")  # fmt: skip
            if upload is None:
                st.button("Datei verwerfen", key="verwerfen", icon=":material/delete:", on_click=forget_kept_file)
        tag = sha256_of(data)[:12]  # fresh questions for each new file
        info = review.inspect(data, name)
        keys = list(ms.MEASURES)
        left, right = st.columns(2)
        if info.refused:
            measure = None  # no question to ask: the check below says why the file cannot be read
        elif info.measure_is_named:
            measure = info.suggested_measure
            left.markdown(f"**Kennzahl:** {ms.label_of(measure)}  \n"  # type: ignore[arg-type]
                          f"erkannt an der {'Spalte' if len(info.measure_columns) == 1 else 'Spalten'} "
                          f"{' und '.join(f'„{text.markdown(c)}“' for c in info.measure_columns)}")  # fmt: skip
        else:
            measure = left.selectbox("Kennzahl", keys, key=f"kennzahl_{tag}",
                                     index=keys.index(info.suggested_measure) if info.suggested_measure else None,
                                     format_func=lambda k: ms.label_with_unit(ms.MEASURES[k]),
                                     placeholder="bitte wählen")  # fmt: skip
        column = None
        if len(info.series) > 1:
            column = right.selectbox("Wertespalte", range(1, len(info.series) + 1), index=None, key=f"spalte_{tag}",
                                     format_func=lambda i: f"{i}: {info.series[i - 1]}", placeholder="bitte wählen",
                                     help="Die Datei hat mehrere Wertespalten; übernommen wird genau eine.")  # fmt: skip
        stichtag = None
        if not info.refused and (info.needs_stichtag or not info.kind.startswith("genesis")):
            label = "Stichtag" if info.needs_stichtag else "Stichtag (nur falls die Datei keine Spalte hat)"
            stichtag = right.date_input(label, value=None, key=f"stichtag_{tag}", format="DD.MM.YYYY",
                                        min_value=date(settings.EARLIEST_DATE_YEAR, 1, 1))  # fmt: skip
        group = None
        if measure and ms.measures_in(measure)[0].kind is ms.Kind.FLOW:
            group = right.selectbox("Gruppe (nur falls die Datei keine Spalte hat)", ms.ARRIVAL_GROUPS, index=None,
                                    key=f"gruppe_{tag}", format_func=lambda g: ms.GROUP_LABELS[g], placeholder="aus der Datei")  # fmt: skip
        source = None if info.refused else left.text_input("Quelle (für Zeilen ohne eigene Quellenangabe)", key=f"quelle_{tag}") or None
        answers = [f"{question}_{tag}" for question in ("kennzahl", "spalte", "stichtag", "gruppe", "quelle")]
        st.session_state[KEY_KEPT_FILE] = {"uploader": uploader_key, "name": name, "data": data,
                                           "answers": {k: st.session_state[k] for k in answers if k in st.session_state}}  # fmt: skip
        if info.note:
            st.info(text.markdown(info.note), icon=":material/info:")
        if measure is None and not info.refused:
            st.warning("Bitte wählen, welche Kennzahl die Datei enthält. (Eine ausgefüllte Vorlage aus dem Reiter "
                       "„Vorlagen“ erkennt der Import selbst an der Überschrift ihrer Wertespalte.)")  # fmt: skip
        else:
            if measure is not None:
                st.caption("  \n".join(f"**{m.label}:** {review.MEASURE_HELP[m.key]}" for m in ms.measures_in(measure)))

            result = review.check(store, data, name, measure=None if info.measure_is_named else measure, existing=ctx.obs if ctx else store.observations(),
                                  regs=regs, stichtag=stichtag, group=group, column=column, source=source)  # fmt: skip
            parsed = result.parsed
            st.subheader("Vorschau")
            facts = [f"**Format:** {text.markdown(review.file_format_label(parsed))}",
                     f"**Kodierung:** {text.markdown(parsed.encoding or '–')}",
                     f"**Trennzeichen:** {('„' + text.markdown(parsed.separator) + '“') if parsed.separator else '–'}",
                     f"**Zeilen verstanden:** {fmt.number(len(parsed.rows)) if parsed.ok else 0}",
                     f"**SHA-256:** `{result.sha256[:12]}…`"]  # fmt: skip
            if parsed.ok:
                facts.append(f"**Stand:** {review.stand_range(min(parsed.rows['date']), max(parsed.rows['date']))}")
            st.markdown(" · ".join(facts))
            if parsed.problems:
                with st.container(key="probleme"):
                    st.error(f"**{fmt.count(len(parsed.problems), 'Problem', 'Probleme')} – die Datei wird so nicht übernommen.** Bitte in der "
                             "Datei korrigieren oder oben die fehlende Angabe wählen:\n\n"
                             + "\n".join(f"- {text.markdown(p)}" for p in parsed.problems[: importer.MAX_LISTED])
                             + (f"\n\n{text.markdown(rest)}" if (rest := parsed.unlisted()) else ""))  # fmt: skip
            if result.warnings:
                with st.container(key="warnungen"):
                    st.warning(f"**{fmt.count(len(result.warnings), 'Warnung', 'Warnungen')}** – die Übernahme ist trotzdem möglich:\n\n"
                               + "\n".join(f"- {text.markdown(w)}" for w in result.warnings))  # fmt: skip
            if parsed.notes:
                st.caption("\n".join(f"- {text.markdown(n)}" for n in parsed.notes))
            confirmed = True
            if result.duplicate:
                st.warning(text.markdown(result.duplicate), icon=":material/content_copy:")
                confirmed = st.checkbox("Trotzdem erneut übernehmen", key=f"erneut_{tag}")
            if parsed.ok:
                st.markdown(f"**Neue Werte neben den gespeicherten** ({fmt.count(len(result.comparison), 'Zeile', 'Zeilen')})")
                st.dataframe(result.comparison, hide_index=True, key="vergleich", height=360)
            accept_col, report_col = st.columns([1, 1])
            accept_col.button("Übernehmen", type="primary", key="uebernehmen", icon=":material/done:",
                              disabled=not (parsed.ok and confirmed), on_click=accept,
                              args=(store, parsed, data, measure))  # fmt: skip
            report_col.download_button("Prüfbericht herunterladen", result.report.encode("utf-8"), key="bericht",
                                       file_name=f"pruefbericht_{name.rsplit('.', 1)[0]}.txt",
                                       mime="text/plain", on_click="ignore", icon=":material/download:")  # fmt: skip

with imports_tab:
    st.caption(last_backup_text(store), help="Sicherung mit `python -m lagebild backup`; täglich per cron oder "
               "systemd-Timer, siehe README „Betrieb“.")  # fmt: skip
    hist = store.history()
    if hist.empty:
        st.info("Noch keine Importe.")
    else:
        history_table = review.history_table(hist)
        st.dataframe(history_table, hide_index=True, key="importe", column_config=HISTORY_WIDTHS)
        if ctx is not None:
            widgets.export_panel(ctx, "export_daten", view="Daten", tables={"Importe": history_table})
        st.caption("Jede Zahl auf den Seiten stammt aus dem neuesten aktiven Import, der sie enthält; die Nummer steht "
                   "in den Kennzahlen eines Kreises unter „Import (Nr.)“.")  # fmt: skip
        active = hist[hist["active"]]
        st.markdown("**Import zurücknehmen**")
        chosen = st.selectbox("Import", [int(i) for i in active["id"]], index=None, key=KEY_ROLLBACK,
                              format_func=lambda i: f"Nr. {i}: {hist.set_index('id').loc[i, 'file_name']}",
                              placeholder="Import wählen")  # fmt: skip
        if chosen is not None:
            st.warning(text.markdown(review.rollback_preview(hist, int(chosen))), icon=":material/undo:")
            sure = st.checkbox(f"Ja, Import Nr. {chosen} zurücknehmen", key=f"ruecknahme_ok_{chosen}")
            st.button("Zurücknehmen", key="zuruecknehmen", disabled=not sure, icon=":material/undo:", on_click=roll_back,
                      args=(store, int(chosen)))  # fmt: skip

with status_tab:
    if ctx is None:
        st.info("Noch keine Daten: der Meldestand zeigt sich nach dem ersten Import.")
    else:
        status = completeness.meldestand(ctx.obs, regs, ctx.as_of)
        turnus = ", ".join(f"{ms.label_of(k)} {'monatlich' if m == 1 else f'alle {m} Monate'}"
                           for k, m in settings.CADENCE_MONTHS.items())  # fmt: skip
        st.caption(f"Je Kreis und Kennzahl der neueste Wert bis zum Stand {fmt.day(ctx.as_of)} (Seitenleiste) und der "
                   f"Wert, der nach dem erwarteten Turnus da sein sollte: {turnus}.")  # fmt: skip
        (st.success if status.complete else st.warning)(status.summary(regs))
        reminders = status.reminders()
        if not reminders.empty:
            st.markdown(f"**Fehlende Meldungen** ({fmt.count(len(reminders), 'Zeile', 'Zeilen')}) – als Liste für die "
                        "Erinnerung herunterladen:")  # fmt: skip
            st.dataframe(reminders, hide_index=True, key="meldestand_fehlend")
            widgets.export_panel(ctx, "export_meldestand", view="Meldestand", tables={"Fehlende Meldungen": reminders})
        with st.expander(f"Alle Kreise und Kennzahlen ({len(status.table)} Zeilen)"):
            st.dataframe(status.table, hide_index=True, key="meldestand_alle")

with templates_tab:
    st.markdown("Vorlagen im Aufbau, den der Import liest: eine Zeile je Kreis (oder Gemeinde), Stichtag bzw. Monat, "
                "Wert. Die XLSX-Vorlage erklärt jede Spalte.")  # fmt: skip
    st.caption("Die Überschrift der Wertespalte nennt die Kennzahl; daran erkennt der Import eine ausgefüllte Vorlage, "
               "ohne nachzufragen. Bitte die Überschriften nicht ändern.")  # fmt: skip
    for key, stem in templates.FILE_STEMS.items():
        title_col, csv_col, xlsx_col = st.columns([3, 1, 1])
        title_col.markdown(f"**{templates.title(key)}** – {TEMPLATE_HELP.get(key) or review.MEASURE_HELP[key]}")
        csv_col.download_button("CSV", templates.template_csv(key), file_name=templates.file_name(key, "csv"), mime="text/csv",
                                key=f"vorlage_csv_{stem}", on_click="ignore", icon=":material/download:")  # fmt: skip
        xlsx_col.download_button("XLSX", templates.template_xlsx(key), file_name=templates.file_name(key, "xlsx"),
                                 mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                 key=f"vorlage_xlsx_{stem}", on_click="ignore", icon=":material/download:")  # fmt: skip

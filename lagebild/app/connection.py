"""A German notice when the browser loses its server, and when it has it back.

Streamlit says only "Connecting" in English, small in a corner. Behind the proxy of deploy/ a replica can die; the
browser then reconnects to another replica within seconds (the session goes on there, see
`state.sent_by_browser`), but a file uploaded and not yet accepted lived in the dead replica's memory.
"""

from __future__ import annotations

import json

import streamlit as st

from lagebild.present import palette

LOST = "Verbindung zum Server unterbrochen – sie wird wiederhergestellt. Bleibt diese Meldung, bitte neu laden."
BACK = (
    "Die Verbindung war unterbrochen und steht wieder; Ihre Auswahl ist erhalten. Eine hochgeladene, noch "
    "nicht übernommene Datei bitte erneut hochladen."
)

# Watches the attribute Streamlit keeps its connection state in; installs itself once per page.
SCRIPT = """
<script>
(() => {
  if (window.lagebildVerbindung) return;
  window.lagebildVerbindung = true;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return;
  const box = document.createElement('div');
  box.id = 'verbindung';
  box.setAttribute('role', 'alert');
  box.hidden = true;
  box.style.cssText = 'position:fixed;bottom:1rem;left:50%;transform:translateX(-50%);z-index:1000000;' +
    'max-width:40rem;padding:0.75rem 1rem;border:2px solid BORDER;border-radius:0.5rem;background:#ffffff;' +
    'color:TEXT;font:inherit;box-shadow:0 2px 8px rgba(0,0,0,.25);display:flex;gap:1rem;align-items:center';
  const text = document.createElement('span');
  const reload = document.createElement('button');
  reload.type = 'button';
  reload.textContent = 'Neu laden';
  reload.onclick = () => window.location.reload();
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = 'Schließen';
  close.onclick = () => { box.hidden = true; };
  for (const b of [reload, close]) b.style.cssText = 'font:inherit;padding:0.25rem 0.75rem;cursor:pointer;white-space:nowrap';
  box.append(text, reload, close);
  document.body.append(box);
  let lost = false;
  const show = () => {
    const connected = app.dataset.testConnectionState === 'CONNECTED';
    if (!connected) {
      lost = true;
      text.textContent = LOST;
      close.hidden = true;
      box.hidden = false;
    } else if (lost) {
      lost = false;
      text.textContent = BACK;
      close.hidden = false;
      box.hidden = false;
    }
  };
  new MutationObserver(show).observe(app, {attributes: true, attributeFilter: ['data-test-connection-state']});
})();
</script>
"""


def watch() -> None:
    """Install the watcher in the page (once; later runs find it there)."""
    script = (
        SCRIPT.replace("LOST", json.dumps(LOST))
        .replace("BACK", json.dumps(BACK))
        .replace("BORDER", palette.PRIMARY)
        .replace("TEXT", palette.TEXT)
    )
    st.html(script, unsafe_allow_javascript=True)

"""Debian's Chromium for every test that needs a browser: one Playwright, one browser per test session."""

from __future__ import annotations

CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root
    "--disable-gpu",
    # Without these Chromium keeps phoning home, which would show up as blocked requests.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
CHROMIUM_MISSING = (
    "Chromium nicht gefunden – bitte `apt-get install chromium` ausführen / "
    "Chromium not found – run `apt-get install chromium`"
)

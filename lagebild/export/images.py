"""Figures as PNG, SVG and PDF: one Kaleido browser per process (two tabs), rendered on demand, cached in memory."""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import hashlib
import os
import shutil
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go

from lagebild.export.figure_layout import export_figure
from lagebild.export.files import IMAGE_FORMATS, ExportMeta, Preset

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_MISSING = (
    "Bild- und PDF-Exporte brauchen den Browser Chromium, der auf diesem Rechner nicht gefunden wurde. "
    "Bitte das Debian-Paket „chromium“ installieren (`apt-get install chromium`) und die App neu starten. "
    "Bis dahin lädt das Kamerasymbol in der Werkzeugleiste eines Diagramms ein PNG direkt im Browser; "
    "Tabellen (CSV, XLSX) lassen sich weiter herunterladen."
)
START_TIMEOUT_S = 60
RENDER_TIMEOUT_S = 90
GEO_ASSETS = Path(__file__).with_name("geo_assets.js")
TABS = 2


class ExportError(RuntimeError):
    """An export that could not be made; the message is German and meant for the user."""


def chromium_path() -> str | None:
    """The Chromium to render with: BROWSER_PATH (choreographer's own variable) if set, else the first on PATH."""
    configured = os.environ.get("BROWSER_PATH", "").strip()
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass(frozen=True)
class Availability:
    ok: bool
    message: str


def image_export_status() -> Availability:
    """Whether images and PDFs can be made here; if not, what to install, in German."""
    path = chromium_path()
    return Availability(True, f"Chromium: {path}") if path else Availability(False, CHROMIUM_MISSING)


class _WarmBrowser:
    """One Kaleido browser kept open on its own event loop for the life of the process.

    kaleido.start_sync_server does the same, but when its browser cannot start (Chromium
    or a library missing, plotly/Kaleido#253, #459) its thread ends and every later call
    waits forever on the task queue; here every call has a timeout and errors reach the caller.
    """

    def __init__(self, path: str):
        import kaleido

        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="kaleido", daemon=True)
        self._thread.start()

        async def open_browser() -> kaleido.Kaleido:
            # Plotly.js from the plotly package; MathJax would come from a CDN and the figures use no LaTeX;
            # the geo maps' base map from our own empty one instead of cdn.plot.ly.
            page = kaleido.PageGenerator(mathjax=False, others=[GEO_ASSETS])
            # Two tabs: a PDF's charts are drawn two at a time, one per core.
            k = kaleido.Kaleido(path=path, page_generator=page, n=TABS, timeout=RENDER_TIMEOUT_S)
            await k.open()
            return k

        try:
            self._kaleido = self._run(open_browser(), START_TIMEOUT_S)
        except BaseException:
            self._stop_loop()
            raise

    def _run(self, coroutine, timeout: float):  # noqa: ANN001, ANN202 - a coroutine and its result
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def submit(self, figure: dict, opts: dict) -> concurrent.futures.Future:
        """Start drawing a figure in the next free tab; the future holds its bytes."""
        return asyncio.run_coroutine_threadsafe(self._kaleido.calc_fig(figure, opts=opts), self._loop)

    def close(self) -> None:
        try:
            self._run(self._kaleido.close(), 20)
        except Exception:  # noqa: BLE001 - a browser that is already gone needs no closing
            pass
        self._stop_loop()

    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)


_browser: _WarmBrowser | None = None
_browser_lock = threading.Lock()


def _close_browser() -> None:
    global _browser
    with _browser_lock:
        if _browser is not None:
            _browser.close()
            _browser = None


atexit.register(_close_browser)


def _running_browser() -> _WarmBrowser:
    """The export browser, started on first use."""
    global _browser
    path = chromium_path()
    if path is None:
        raise ExportError(CHROMIUM_MISSING)
    with _browser_lock:
        if _browser is None:
            try:
                _browser = _WarmBrowser(path)
            except Exception as exc:
                raise ExportError(
                    f"Der Browser für Bildexporte ließ sich nicht starten ({type(exc).__name__}: {exc}). "
                    "Bitte noch einmal versuchen."
                ) from exc
        return _browser


def _discard(broken: _WarmBrowser) -> None:
    """A browser that crashed or hangs is replaced on the next export instead of failing forever."""
    global _browser
    with _browser_lock:
        if _browser is broken:
            _browser = None
    threading.Thread(target=broken.close, daemon=True).start()


class Pending:
    """An image the export browser is drawing; `result()` waits for its bytes (or raises ExportError)."""

    def __init__(
        self,
        *,
        data: bytes | None = None,
        browser: _WarmBrowser | None = None,
        future: concurrent.futures.Future | None = None,
        key: str | None = None,
    ):
        self._data, self._browser, self._future, self._key = data, browser, future, key

    def result(self) -> bytes:
        if self._data is not None:
            return self._data
        from kaleido.errors import JavascriptError, KaleidoError

        assert self._future is not None  # either the bytes or the drawing that makes them
        try:
            self._data = self._future.result(RENDER_TIMEOUT_S + 10)
        except (KaleidoError, JavascriptError) as exc:  # the figure failed, the browser is fine
            raise ExportError(f"Plotly konnte das Bild nicht zeichnen: {exc}") from exc
        except Exception as exc:
            if self._browser is not None:
                _discard(self._browser)
            raise ExportError(
                f"Das Bild konnte nicht erzeugt werden ({type(exc).__name__}: {exc}). Bitte noch einmal versuchen."
            ) from exc
        if self._key is not None:
            _remember(self._key, self._data)
        return self._data


def render_pending(
    figure: go.Figure, file_format: str, width: float, height: float, scale: float, *, key: str | None = None
) -> Pending:
    """Start drawing PNG, SVG or PDF bytes of a figure; several run at once, one per browser tab."""
    browser = _running_browser()
    opts = {"format": file_format, "width": width, "height": height, "scale": scale}
    return Pending(browser=browser, future=browser.submit(figure.to_plotly_json(), opts), key=key)


def render(figure: go.Figure, file_format: str, width: float, height: float, scale: float) -> bytes:
    """PNG, SVG or PDF bytes of a figure through the warm browser, started on first use."""
    return render_pending(figure, file_format, width, height, scale).result()


def warm() -> bool:
    """Start the export browser and draw one small figure, so the first export of a user does not wait for either.

    Called once per process in the background (lagebild/app/cache.warm_process); False when there is no Chromium or
    it could not start (the first export then says why).
    """
    try:
        render(go.Figure(go.Bar(x=[1], y=[1])), "png", 64, 64, 1)
    except ExportError:
        return False
    return True


_image_cache: OrderedDict[str, bytes] = OrderedDict()
_IMAGE_CACHE_SIZE = 32  # print PNGs are 1–2 MB each
_cache_lock = threading.Lock()


def _remember(key: str, data: bytes) -> None:
    with _cache_lock:
        _image_cache[key] = data
        while len(_image_cache) > _IMAGE_CACHE_SIZE:
            _image_cache.popitem(last=False)


def image_pending(fig: go.Figure, file_format: str, preset: Preset, meta: ExportMeta) -> Pending:
    """The file of one figure in one format and preset, being drawn; the same request is served from memory."""
    if file_format not in IMAGE_FORMATS:
        raise ValueError(f"Unbekanntes Bildformat „{file_format}“")
    out = export_figure(fig, preset, meta)
    key = hashlib.sha256(f"{file_format}|{preset.key}|{out.to_json()}".encode()).hexdigest()
    with _cache_lock:
        if key in _image_cache:
            _image_cache.move_to_end(key)
            return Pending(data=_image_cache[key])
    scale = preset.png_scale if file_format == "png" else preset.vector_scale
    return render_pending(out, file_format, preset.width, preset.height, scale, key=key)


def image_bytes(fig: go.Figure, file_format: str, preset: Preset, meta: ExportMeta) -> bytes:
    """The file of one figure in one format and preset; the same request is served from memory."""
    return image_pending(fig, file_format, preset, meta).result()

"""`python -m lagebild serve`: the app's own start, `streamlit run app.py` after loading what every first visit needs.

Streamlit runs nothing of the app before the first browser connects, so the first visit after a start paid for the
imports of app.py and its pages (≈ 1.1 s: pandas, plotly, folium, geopandas …), the Kreis geometry and, with the
first quantiles, mapclassify and scipy (issue 12). Loaded here, before Streamlit opens its port, they are in the
process when the first visit comes. Everything after the word `serve` goes to `streamlit run` unchanged.

Once the port is open, the start also visits the first page itself (`first_visit`), over Streamlit's own websocket
as a browser does: the first script run of a process (the store check, the first Landesübersicht view, its rendered
map, Streamlit's own first-session work) then lies behind the server before a person comes.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"


# Not before Streamlit runs: a module that declares a component (streamlit_folium, lagebild.app's widgets) registers
# it only inside a script run, and Streamlit's caches want their runtime. Outside lagebild.app nothing imports
# Streamlit; what is heavy (pandas, geopandas, plotly, folium) comes in through lagebild's other packages.
AT_FIRST_RUN = ("streamlit", "streamlit_folium", "lagebild.app")


def _at_first_run(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in AT_FIRST_RUN)


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # the part before the dot is a module, not a package
        return False


def page_imports(root: Path = ROOT) -> list[str]:
    """Runs the import statements of app.py and every page, read from their sources so this follows the pages as
    they change, except those of AT_FIRST_RUN; returns the modules imported."""
    done: list[str] = []
    for source in [root / "app.py", *sorted((root / "pages").glob("*.py"))]:
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and not _at_first_run(node.module):
                # `from package import module` imports the module too.
                modules = [node.module] + [
                    f"{node.module}.{alias.name}" for alias in node.names if _is_module(f"{node.module}.{alias.name}")
                ]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                if not _at_first_run(module) and module not in done and module != "__future__":
                    importlib.import_module(module)
                    done.append(module)
    return done


def preload() -> float:
    """Imports, geometry and the classifier's libraries; returns the seconds it took."""
    started = time.perf_counter()
    page_imports()
    from lagebild import geometry

    geometry.layers()
    import mapclassify  # noqa: F401 - what the first quantiles import (scipy), loaded before anyone asks

    return time.perf_counter() - started


FIRST_VISIT_WAIT_S = 120.0  # how long the start waits for its own server to answer before it gives up the visit


def _server_url() -> str | None:
    """The server's own address once Streamlit's runtime exists (its options are then final), else None."""
    from streamlit import config
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return None
    address = config.get_option("server.address") or "127.0.0.1"
    if address in ("0.0.0.0", "::", "[::]"):  # every interface: this machine's own is one of them
        address = "127.0.0.1"
    elif ":" in address and not address.startswith("["):  # an IPv6 address stands in brackets in a URL
        address = f"[{address}]"
    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"{address}:{config.get_option('server.port')}" + (f"/{base}" if base else "")


@dataclass(frozen=True)
class Visit:
    seconds: float
    error: str | None  # the first exception the page showed, None if it showed none
    map_sent: bool  # the page got as far as its Kreis map (the component's arguments were sent)


def seconds_de(seconds: float) -> str:
    """Seconds as the log lines of the start write them: one decimal, German comma."""
    return f"{seconds:.1f}".replace(".", ",")


def first_visit(wait_s: float = FIRST_VISIT_WAIT_S) -> Visit | None:
    """Opens the app's first page once over Streamlit's websocket, as a browser does, when the server answers; None if
    the server did not answer within `wait_s`. Nothing of the visit is kept: the session ends with the socket (the
    views and rendered maps it built stay in the process's caches)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect  # Streamlit's own dependency
    from websockets.typing import Subprotocol

    deadline = time.monotonic() + wait_s
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # our own server, never through a proxy
    while True:
        url = _server_url()
        try:
            if url is not None:
                with opener.open(f"http://{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
        except OSError:
            pass
        if time.monotonic() > deadline:
            return None
        time.sleep(0.1)
    started = time.perf_counter()
    error: str | None = None
    map_sent = False
    message = BackMsg()
    message.rerun_script.query_string = ""
    message.rerun_script.page_script_hash = ""  # the default page, as a browser opening "/" asks
    with connect(
        f"ws://{url}/_stcore/stream", subprotocols=[Subprotocol("streamlit")], max_size=None, open_timeout=10
    ) as socket:
        socket.send(message.SerializeToString())
        while True:  # until the run has finished; recv raises TimeoutError at the deadline
            received = ForwardMsg.FromString(socket.recv(timeout=max(deadline - time.monotonic(), 0.1)))
            element = received.delta.new_element if received.WhichOneof("type") == "delta" else None
            if element is not None and element.WhichOneof("type") == "exception" and error is None:
                error = f"{element.exception.type}: {element.exception.message}"
            if element is not None and element.WhichOneof("type") == "component_instance":
                map_sent = map_sent or "st_folium" in element.component_instance.component_name
            if received.WhichOneof("type") == "script_finished" and received.script_finished != (
                ForwardMsg.FINISHED_EARLY_FOR_RERUN
            ):
                break
    return Visit(time.perf_counter() - started, error, map_sent)


def _visit_first() -> None:
    try:
        visit = first_visit()
    except Exception as error:  # noqa: BLE001 - a start without the visit is a slower first visit, not a failure
        print(f"Lagebild: erster Aufruf beim Start nicht möglich ({error!r}).", file=sys.stderr, flush=True)
        return
    if visit is None:
        print("Lagebild: Server antwortete nicht; erster Aufruf beim Start ausgelassen.", file=sys.stderr, flush=True)
    elif visit.error is not None:
        print(f"Lagebild: erste Seite beim Start mit Fehler aufgerufen: {visit.error}", file=sys.stderr, flush=True)
    else:
        drawn = "mit Karte" if visit.map_sent else "ohne Karte"
        print(
            f"Lagebild: erste Seite beim Start in {seconds_de(visit.seconds)} s aufgerufen ({drawn}).",
            file=sys.stderr,
            flush=True,
        )


def main(streamlit_args: list[str]) -> int:
    seconds = preload()
    print(
        f"Lagebild: Module und Geometrie in {seconds_de(seconds)} s geladen, Streamlit startet.",
        file=sys.stderr,
        flush=True,
    )
    threading.Thread(target=_visit_first, name="lagebild-erster-aufruf", daemon=True).start()
    from streamlit.web import cli

    cli.main(args=["run", str(APP), *streamlit_args], prog_name="streamlit")  # exits the process itself
    return 0

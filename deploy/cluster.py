"""Several app replicas behind HAProxy on one PostgreSQL, started with one command (`make cluster`).

Streamlit keeps every session in the memory of one process, so the way to serve many users is several
single-process replicas behind a proxy with session affinity: a session's websocket, uploads and downloads stay
in the replica that drew its first page (HAProxy's cookie `lagebild_replik`). All replicas read and write one
PostgreSQL store; their caches are keyed by the store revision, so an import through one replica shows on every
replica at its next rerun. A replica that dies is taken out by the proxy's health check within two seconds, and
a reload lands on another one: the address holds what was on screen.

This starts a throwaway PostgreSQL (with the demo data) unless `--database-url` names a store, N replicas and
the proxy, all on loopback; the tests start it the same way. For the ministry's IT the same setup as containers:
deploy/Dockerfile and deploy/compose.yaml.
"""

from __future__ import annotations

import argparse
import functools
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from deploy.postgres import Cluster as Postgres
from deploy.postgres import free_port, start_cluster

REPO_ROOT = Path(__file__).resolve().parents[1]
COOKIE = "lagebild_replik"
START_TIMEOUT_S = 120
HAPROXY_MISSING = "HAProxy nicht gefunden – bitte das Debian-Paket haproxy installieren (apt-get install haproxy)."

# Timeouts: a session's websocket is a long tunnel; a replica is down after two failed checks one second apart,
# and a request whose replica is down goes to another (redispatch) instead of failing.
HAPROXY_CONFIG = """\
global
    maxconn 4096

defaults
    mode http
    option redispatch
    retries 2
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout tunnel 8h
    timeout http-request 30s

frontend lagebild
    bind {address}:{port}
    default_backend replicas

backend replicas
    balance roundrobin
    cookie {cookie} insert indirect nocache httponly attr "SameSite=Lax"
    option httpchk GET /_stcore/health
    http-check expect status 200
    # A replica busy with many sessions answers its health check late; only one that fails three checks in a row
    # (6 s) leaves the rotation. A dead one refuses connections at once and is redispatched before that.
    timeout check 5s
    default-server inter 2s fall 3 rise 2
{servers}
"""


@dataclass
class Replica:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(kein Protokoll)"


@dataclass
class LocalCluster:
    """What `start` brought up; `stop` ends all of it (and removes a throwaway PostgreSQL)."""

    url: str
    database_url: str
    workdir: Path
    replicas: list[Replica]
    proxy: subprocess.Popen[bytes]
    postgres: Postgres | None = None
    _own_workdir: bool = field(default=False, repr=False)
    _cookie_secret: str = field(default="", repr=False)

    def replica(self, name: str) -> Replica:
        return next(r for r in self.replicas if r.name == name)

    def kill(self, name: str) -> None:
        """End one replica as a crash would (SIGKILL): its sessions lose their connection."""
        replica = self.replica(name)
        replica.process.kill()
        replica.process.wait()

    def restart(self, name: str) -> None:
        """Start a killed replica again on its port; the proxy takes it back after two good health checks."""
        old = self.replica(name)
        new = start_replica(name, self.database_url, self.workdir, self._cookie_secret, old.port)
        self.replicas[self.replicas.index(old)] = new
        _wait(f"Replik {name}", functools.partial(healthy, new.url), new.process, new.log_tail)

    def stop(self) -> None:
        for process in [self.proxy, *(r.process for r in self.replicas)]:
            if process.poll() is None:
                process.terminate()
        for process in [self.proxy, *(r.process for r in self.replicas)]:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self.postgres is not None:
            self.postgres.stop()
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)


def haproxy_config(port: int, replicas: list[tuple[str, str]], address: str = "127.0.0.1") -> str:
    """The proxy's configuration: `replicas` as (name, host:port); the name is the affinity cookie's value."""
    servers = "\n".join(f"    server {name} {target} check cookie {name}" for name, target in replicas)
    return HAPROXY_CONFIG.format(address=address, port=port, cookie=COOKIE, servers=servers)


COMPOSE_HEADER = (
    "# For deploy/compose.yaml, as deploy/cluster.py writes it (tests/unit/test_deploy.py keeps the two equal).\n"
)


def compose_haproxy_config() -> str:
    """deploy/haproxy.cfg: the same proxy in front of the compose file's two replicas."""
    return COMPOSE_HEADER + haproxy_config(8500, [("replik1", "replik1:8501"), ("replik2", "replik2:8501")], "0.0.0.0")


def healthy(url: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url + "_stcore/health", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _wait(
    what: str, check: Callable[[], bool], process: subprocess.Popen[bytes], log: Callable[[], str] = lambda: ""
) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} hat sich beendet (Code {process.returncode}).\n{log()}")
        if check():
            return
        time.sleep(0.25)
    raise RuntimeError(f"{what} nach {START_TIMEOUT_S} s nicht bereit.\n{log()}")


def start_replica(name: str, database_url: str, workdir: Path, cookie_secret: str, port: int | None = None) -> Replica:
    port = port or free_port()
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        PYTHONPATH=str(REPO_ROOT),
        # One secret for all: Streamlit signs its XSRF cookie with it, so an upload still works after a
        # reload has moved the session to another replica.
        STREAMLIT_SERVER_COOKIE_SECRET=cookie_secret,
    )
    log_path = workdir / f"{name}.log"
    command = [
        sys.executable,
        "-m",
        "lagebild",
        "serve",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
    ]
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    return Replica(name, port, process, log_path)


def demo_data(database_url: str) -> None:
    """The demo data, as `make run` seeds them, unless the store holds figures already."""
    env = dict(os.environ, DATABASE_URL=database_url)
    subprocess.run(
        [sys.executable, "-m", "lagebild", "demo", "--if-empty"],
        cwd=REPO_ROOT,
        env=env,
        check=True,
        stdin=subprocess.DEVNULL,
        capture_output=True,
    )


def start(
    replicas: int = 2,
    port: int | None = None,
    database_url: str | None = None,
    workdir: Path | None = None,
    seed: Callable[[str], object] | None = demo_data,
) -> LocalCluster:
    """PostgreSQL (unless `database_url`), `replicas` app processes and HAProxy in front, all answering health."""
    haproxy = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
    if haproxy is None:
        raise RuntimeError(HAPROXY_MISSING)
    own_workdir = workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="lagebild-cluster-")) if workdir is None else workdir
    workdir.mkdir(parents=True, exist_ok=True)
    postgres = None
    if database_url is None:
        postgres = start_cluster()
        if postgres is None:
            raise RuntimeError("PostgreSQL-Server nicht gefunden – bitte das Debian-Paket postgresql installieren.")
        database_url = postgres.admin_url
    started: list[Replica] = []
    proxy: subprocess.Popen[bytes] | None = None
    try:
        if seed is not None:
            seed(database_url)
        secret = secrets.token_hex(32)
        for number in range(1, replicas + 1):
            started.append(start_replica(f"replik{number}", database_url, workdir, secret))
        for replica in started:
            _wait(f"Replik {replica.name}", functools.partial(healthy, replica.url), replica.process, replica.log_tail)
        port = port or free_port()
        config = workdir / "haproxy.cfg"
        config.write_text(haproxy_config(port, [(r.name, f"127.0.0.1:{r.port}") for r in started]))
        subprocess.run([haproxy, "-c", "-q", "-f", str(config)], check=True)
        with (workdir / "haproxy.log").open("wb") as log:
            proxy = subprocess.Popen(
                [haproxy, "-db", "-f", str(config)], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        url = f"http://127.0.0.1:{port}/"
        _wait("HAProxy", functools.partial(healthy, url), proxy)
        return LocalCluster(url, database_url, workdir, started, proxy, postgres, own_workdir, secret)
    except BaseException:
        LocalCluster(
            "", database_url, workdir, started, proxy or subprocess.Popen(["true"]), postgres, own_workdir
        ).stop()
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make cluster", description="Replikate hinter HAProxy auf einer PostgreSQL.")
    parser.add_argument("--replicas", type=int, default=2, help="Anzahl der App-Prozesse (Standard 2)")
    parser.add_argument("--port", type=int, default=8500, help="Port des Proxys (Standard 8500)")
    parser.add_argument("--database-url", help="vorhandene PostgreSQL; sonst eine Wegwerf-Datenbank mit Beispieldaten")
    args = parser.parse_args(argv)
    try:
        cluster = start(args.replicas, args.port, args.database_url)
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"Start fehlgeschlagen: {exc}", file=sys.stderr)
        return 1
    print(f"Lagebild läuft unter {cluster.url} – {len(cluster.replicas)} Replikate:")
    for replica in cluster.replicas:
        print(f"  {replica.name}: {replica.url} (Protokoll {replica.log_path})")
    print("Beenden mit Strg+C.")
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while not stopping:
            time.sleep(0.5)
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

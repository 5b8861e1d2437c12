"""A throwaway PostgreSQL server: Debian's binaries, a temporary cluster, trust auth on loopback (tests and `make cluster`)."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

MISSING = (
    "PostgreSQL-Server nicht gefunden – bitte `apt-get install postgresql` ausführen / "
    "PostgreSQL server binaries not found – run `apt-get install postgresql`"
)
# For a developer with a server of their own: an admin URL on which the tests may CREATE DATABASE.
URL_VARIABLE = "LAGEBILD_TEST_POSTGRES_URL"
ROLE = "lagebild"


def bindir() -> Path | None:
    """The newest Debian cluster binaries (/usr/lib/postgresql/<version>/bin), else initdb on the PATH."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0
    )
    if found:
        return found[-1].parent
    on_path = shutil.which("initdb")
    return Path(on_path).resolve().parent if on_path else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Cluster:
    directory: Path
    port: int
    bindir: Path
    as_user: list[str]

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://{ROLE}@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        result = subprocess.run([*self.as_user, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            log = (
                (self.directory / "server.log").read_text(errors="replace")
                if (self.directory / "server.log").exists()
                else ""
            )
            raise RuntimeError(
                f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}\n{log}"
            )

    def start(self) -> None:
        data = self.directory / "data"
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            ROLE,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        # fsync off: the tests kill clients, never the server, so durability on power loss is not what is tested.
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(self.directory / "server.log"),
            "-o",
            options,
            "-w",
            "start",
        )

    def halt(self) -> None:
        """Stops the server as a crash would, keeping its data, so a test can start it again."""
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.directory / "data"), "-m", "immediate", "-w", "stop")

    def resume(self) -> None:
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.directory / "data"),
            "-l",
            str(self.directory / "server.log"),
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.directory / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)


def start_cluster() -> Cluster | None:
    """A running cluster, or None when the server binaries are not installed."""
    binaries = bindir()
    if binaries is None:
        return None
    directory = Path(tempfile.mkdtemp(prefix="lagebild-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        # initdb refuses to run as root; Debian's package creates the postgres user.
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(directory)
            return None
        os.chown(directory, owner.pw_uid, owner.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    cluster = Cluster(directory, free_port(), binaries, as_user)
    try:
        cluster.start()
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    return cluster

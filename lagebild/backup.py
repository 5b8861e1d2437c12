"""Backups of the store into one SQLite file, restore from it, and what to tell a user whose store cannot be read."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from lagebild import settings
from lagebild.present import fmt
from lagebild.store import (
    BUSY_TIMEOUT_S,
    Store,
    StoreUnavailable,
    WriteFailed,
    backups,
    head_revision,
    import_events,
    imports,
    known_revisions,
    normalise_url,
    observations,
    schema_revision,
    sqlite_path,
)

# Parents before children, so foreign keys hold while rows are copied in this order.
TABLES = [imports, observations, import_events, backups]
PREFIX = "lagebild-sicherung-"
KEPT_PREFIX = "vor-wiederherstellung-"
SQLITE_HEADER = b"SQLite format 3\x00"
CHUNK = 10_000


class BackupRefused(Exception):
    """A backup or restore that was not done; the message is German and says why. Nothing was changed."""


@dataclass(frozen=True)
class Summary:
    file: Path
    imports: int
    observations: int
    revision: str | None


def default_file(url: str, now: datetime | None = None, prefix: str = PREFIX) -> Path:
    stamp = (now or datetime.now()).strftime("%Y-%m-%d-%H%M%S")
    return settings.backup_dir(url) / f"{prefix}{stamp}.sqlite"


def latest_backup(url: str) -> Path | None:
    """The newest backup in the backup folder (kept copies of replaced stores are no candidates)."""
    folder = settings.backup_dir(url)
    found = sorted(folder.glob(f"{PREFIX}*.sqlite")) if folder.is_dir() else []
    return found[-1] if found else None


def restore_command(url: str) -> str:
    latest = latest_backup(url)
    return f"python -m lagebild restore {latest if latest else 'DATEI'}"


PAGE_AGAIN, CLI_AGAIN = "Danach die Seite neu laden.", "Danach den Befehl wiederholen."


def fault_text(exc: StoreUnavailable, url: str) -> tuple[str, str, str]:
    """What is wrong, where the store is, and what to do: the three parts of the page and of the CLI message."""
    command = restore_command(url)
    if latest_backup(url) is None:
        restore = (
            f"die letzte Sicherung wiederherstellen: `{command}` (DATEI: die mit `python -m lagebild backup` "
            f"angelegte Sicherung; Standardordner {settings.backup_dir(url)})."
        )
    else:
        restore = f"die letzte Sicherung wiederherstellen: `{command}`."
    env = " (mit derselben DATABASE_URL wie die App)" if os.environ.get("DATABASE_URL", "").strip() else ""
    todo = {
        StoreUnavailable.UNREACHABLE: f"Datenbankserver starten bzw. Verbindung und DATABASE_URL prüfen, dann die Seite neu "
        f"laden. Ist der Datenbestand auf dem Server verloren: {restore}",
        StoreUnavailable.NEWER_SCHEMA: f"Die neuere Version der App verwenden, zu der dieser Datenbestand gehört – oder {restore}",
        StoreUnavailable.REPLACED: "Die Seite neu laden; die App öffnet den neuen Datenbestand.",
    }.get(
        exc.kind,
        f"Auf dem Rechner der App{env} {restore}"
        + ("" if exc.kind == StoreUnavailable.MISSING else " Der jetzige Bestand wird dabei als Sicherung aufbewahrt.")
        + f" {PAGE_AGAIN}",
    )
    return exc.problem, exc.location, todo


def cli_text(exc: StoreUnavailable, url: str) -> str:
    problem, location, todo = fault_text(exc, url)
    return (
        f"Fehler: Der Datenbestand kann nicht gelesen werden. Nichts wurde geschrieben.\n"
        f"  Was:  {problem}\n  Wo:   {location}\n  Tun:  {todo.replace('`', '').replace(PAGE_AGAIN, CLI_AGAIN)}"
    )


def _copy_sqlite(source: Path, target: Path) -> None:
    """SQLite's online backup API: a consistent copy even while the app reads or another import writes."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _export_tables(engine: sa.Engine, target: Path) -> None:
    """A logical export of the store's tables from PostgreSQL into a SQLite file of the same schema.

    Chosen over pg_dump: that must match the server's major version, and its output restores only into PostgreSQL;
    this file restores into either backend and is checked with the same code as a SQLite backup.
    """
    out = sa.create_engine(f"sqlite:///{target}")
    try:
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as src, out.begin() as dst:
            # One snapshot for all tables: an import landing meanwhile is in the copy whole or not at all.
            revision = schema_revision(src)
            for table in TABLES:
                table.create(dst)
            dst.exec_driver_sql("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
            dst.execute(sa.text("INSERT INTO alembic_version VALUES (:v)"), {"v": revision})
            for table in TABLES:
                result = src.execution_options(yield_per=CHUNK).execute(sa.select(table).order_by(table.c.id))
                for chunk in result.mappings().partitions():
                    dst.execute(table.insert(), [dict(row) for row in chunk])
    finally:
        out.dispose()


def _check_file(file: Path) -> tuple[str | None, int, int]:
    """Schema revision and counts of a backup file; BackupRefused, in German, if it is none or is damaged."""
    try:
        with file.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise BackupRefused(f"Die Sicherung „{file}“ ist nicht lesbar ({exc.strerror}).") from None
    if header != SQLITE_HEADER:
        raise BackupRefused(f"„{file}“ ist keine Sicherung des Lagebilds (keine SQLite-Datei).")
    conn = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    try:
        found = [row[0] for row in conn.execute("PRAGMA quick_check")]
        if found != ["ok"]:
            raise BackupRefused(
                f"Die Sicherung „{file}“ ist selbst beschädigt (SQLite quick_check: "
                f"„{str(found[0]).splitlines()[-1]}“). Bitte eine ältere Sicherung wählen."
            )
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"imports", "observations"} <= tables:
            raise BackupRefused(
                f"„{file}“ ist keine Sicherung des Lagebilds (Tabellen imports und observations fehlen)."
            )
        revision = (
            conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            if "alembic_version" in tables
            else None
        )
        counts = [conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in ("imports", "observations")]
    except sqlite3.DatabaseError as exc:
        raise BackupRefused(f"Die Sicherung „{file}“ ist beschädigt oder keine Datenbank ({exc}).") from None
    finally:
        conn.close()
    if revision is not None and revision not in known_revisions():
        raise BackupRefused(
            f"Die Sicherung „{file}“ hat den Schemastand {revision}, neuer als diese Version der App "
            f"({head_revision()}). Bitte mit der neueren Version wiederherstellen; nichts geändert."
        )
    return revision, counts[0], counts[1]


def backup(url: str | None = None, output: Path | None = None, user_name: str | None = None) -> Summary:
    """Writes the whole store to one new SQLite file; raises StoreUnavailable for a store that cannot be read."""
    url = normalise_url(url or settings.database_url())
    target = (output or default_file(url)).resolve()
    if target.exists():
        raise BackupRefused(
            f"„{target}“ gibt es schon; eine Sicherung überschreibt keine Datei. Bitte einen anderen Namen wählen."
        )
    store = Store(url)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target and renamed at the end: a half-written file must never look like a backup.
        partial = target.with_name(f".{target.name}.unvollstaendig")
        partial.unlink(missing_ok=True)
        try:
            # Logged before copying, so the backup holds its own entry and a restored store knows when it was saved.
            logged = store.record_backup(str(target), user_name)
        except WriteFailed:
            logged = None  # a read-only store can still be saved; the page then shows an older time
        try:
            if store.path is not None:
                _copy_sqlite(store.path, partial)
            else:
                _export_tables(store.engine, partial)
            revision, n_imports, n_obs = _check_file(partial)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            if logged is not None:
                store.forget_backup(logged)
            raise
    finally:
        store.engine.dispose()
    return Summary(target, n_imports, n_obs, revision)


def _move_aside(path: Path, kept: Path) -> None:
    """Moves a SQLite file and any journal beside it away: a stale journal would be replayed into the restored file."""
    kept.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-journal", "-wal", "-shm"):
        source = path.with_name(path.name + suffix)
        if source.exists():
            shutil.move(source, kept.with_name(kept.name + suffix))


def _load_into(store: Store, source: Store) -> None:
    """Replaces every row of `store` (PostgreSQL) by the rows of `source`, in one transaction."""
    with store.engine.begin() as dst, source.engine.connect() as src:
        dst.execute(sa.text(f"LOCK TABLE {', '.join(t.name for t in TABLES)} IN ACCESS EXCLUSIVE MODE"))
        for table in reversed(TABLES):
            dst.execute(table.delete())
        for table in TABLES:
            for chunk in (
                src.execution_options(yield_per=CHUNK)
                .execute(sa.select(table).order_by(table.c.id))
                .mappings()
                .partitions()
            ):
                dst.execute(table.insert(), [dict(row) for row in chunk])
            # Ids were copied as they were; the next import must continue after them.
            dst.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table.name}"
                )
            )


def restore(file: Path, url: str | None = None, now: datetime | None = None) -> tuple[Summary, Path | None]:
    """Replaces the store by a backup after checking it; the replaced store is kept as a backup file itself.

    Returns what was restored and where the replaced store now lies (None if there was none).
    """
    url = normalise_url(url or settings.database_url())
    file = file.resolve()
    revision, n_imports, n_obs = _check_file(file)
    now = now or datetime.now()
    kept = default_file(url, now, KEPT_PREFIX)
    path = sqlite_path(url)
    workdir = Path(tempfile.mkdtemp(prefix="lagebild-restore-", dir=path.resolve().parent if path else None))
    try:
        # A working copy is brought to the newest schema, so an older backup restores into this version of the app.
        staged = workdir / "wiederherstellung.sqlite"
        _copy_sqlite(file, staged)
        Store(f"sqlite:///{staged}").engine.dispose()
        if path is not None:
            path = path.resolve()
            if path.exists():
                _move_aside(path, kept)
            else:
                kept = None  # type: ignore[assignment]
            os.replace(staged, path)
        else:
            try:
                backup(url, kept)
            except StoreUnavailable as exc:
                raise BackupRefused(
                    f"Der jetzige Datenbestand lässt sich nicht sichern ({exc.problem}); ohne diese "
                    "Sicherung wird er nicht ersetzt. Nichts geändert."
                ) from None
            target, source = Store(url), Store(f"sqlite:///{staged}")
            try:
                _load_into(target, source)
            finally:
                target.engine.dispose()
                source.engine.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return Summary(file, n_imports, n_obs, revision), kept


def last_backup_text(store: Store) -> str:
    """The Daten page's line on backups."""
    last = store.last_backup()
    if last is None:
        return "Noch keine Sicherung des Datenbestands (`python -m lagebild backup`)."
    when, file = last
    return f"Letzte Sicherung des Datenbestands: {fmt.day(when.date())}, {when:%H:%M} UTC – {file}"

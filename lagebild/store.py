"""The store: observations, the import log and rollbacks, via SQLAlchemy (SQLite by default, or PostgreSQL)."""

from __future__ import annotations

import ast
import getpass
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import pandas as pd
import sqlalchemy as sa

from lagebild import settings
from lagebild.domain import access
from lagebild.domain.access import Action, Principal
from lagebild.domain.measures import TOTAL
from lagebild.present import fmt

metadata = sa.MetaData()

imports = sa.Table(
    "imports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("user_name", sa.String(200)),
    sa.Column("file_name", sa.String(500), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("row_count", sa.Integer, nullable=False),
    sa.Column("measure", sa.String(64), nullable=False),
    sa.Column("source", sa.String(500), nullable=False),
    sa.Column("is_demo", sa.Boolean, nullable=False, default=False),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    # What the file was read as, e.g. "GENESIS-Tabelle 12531-01-01-4"; NULL for imports before migration 0002.
    sa.Column("file_format", sa.String(200)),
    sa.Index("ix_imports_sha256", "sha256"),
)

observations = sa.Table(
    "observations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
    sa.Column("measure", sa.String(64), nullable=False),
    sa.Column("region", sa.String(12), nullable=False),
    # Stichtag for stocks, first day of the month for monthly flows.
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("grp", sa.String(32), nullable=False, default=TOTAL),
    # NULL with a status code ('.', 'x', '/', '...') means "not available", never zero.
    sa.Column("value", sa.Float),
    sa.Column("status", sa.String(8)),
    sa.Column("source", sa.String(500), nullable=False),
    sa.Index("ix_obs_lookup", "measure", "region", "date", "grp"),
)

# Every change of an import after it landed (so far only rollbacks): nothing is ever deleted.
import_events = sa.Table(
    "import_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("user_name", sa.String(200)),
)

# Each successful `python -m lagebild backup`: the Daten page shows the newest, the backup file holds its own row.
backups = sa.Table(
    "backups",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("file_name", sa.String(1000), nullable=False),
    sa.Column("user_name", sa.String(200)),
)

# Append-only: every sign-in, role change, import, rollback and refused attempt. The store never updates or deletes
# a row here; an import or rollback writes its row in its own transaction, so both land or neither.
audit = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("user_name", sa.String(200), nullable=False),
    # The role as the screen names it, with the Kreise of a Koordination: "Koordination Böblingen".
    sa.Column("role", sa.String(300), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    # What was acted on: a file name, "Import Nr. 7 (datei.csv)", a role.
    sa.Column("subject", sa.String(1000)),
    sa.Column("sha256", sa.String(64)),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("detail", sa.Text),
)

ROLLBACK = "rollback"
# Audit actions beside access.Action's import and rollback; outcomes.
SIGN_IN, SIGN_OUT, ROLE_CHANGE = "sign_in", "sign_out", "role_change"
DONE, REFUSED = "ok", "refused"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The schema as metadata.create_all wrote it before there were migrations; such files are stamped with it.
BASELINE_REVISION = "0001"
# Any constant shared by all instances; pg_advisory_xact_lock serialises their migrations.
MIGRATION_LOCK_KEY = 80_1_2017

# How long a write waits for another one on the same SQLite file (an import of 160,000 rows takes a few seconds on a
# slow disk) before it gives up with StoreBusy; SQLite's own default of 5 s failed two of four concurrent imports.
BUSY_TIMEOUT_S = 60.0

# What each text field holds at most: PostgreSQL enforces VARCHAR lengths, SQLite does not, so the store checks them
# itself before writing and both backends refuse the same values. Validation uses the same limits.
MAX_SOURCE_CHARS = 500
FIELD_LABELS = {
    "source": "Quelle",
    "file_name": "Dateiname",
    "file_format": "Format (GENESIS-Tabellenname und -code)",
    "user_name": "Benutzer",
    "measure": "Kennzahl",
    "region": "Regionalschlüssel",
    "grp": "Gruppe",
    "status": "Statuskennzeichen",
}

OBS_COLUMNS = ["measure", "region", "date", "grp", "value", "status", "source", "import_id", "is_demo"]


@dataclass(frozen=True)
class ImportMeta:
    file_name: str
    sha256: str
    measure: str
    source: str
    is_demo: bool = False
    file_format: str | None = None


@dataclass(frozen=True)
class AsOf:
    """A value with the Stand actually used for it."""

    value: float | None
    stand: date
    status: str | None
    source: str
    import_id: int


class RollbackRefused(Exception):
    """A rollback that cannot be done; the message is German and says why."""


class StoreUnavailable(Exception):
    """The store cannot be read (corrupt, missing, replaced, unreachable, newer schema); nothing was written.

    `problem` is German and says what is wrong; `location` is the store's URL without password.
    """

    CORRUPT, MISSING, REPLACED, UNREACHABLE, NEWER_SCHEMA = "corrupt", "missing", "replaced", "unreachable", "newer"

    def __init__(self, kind: str, problem: str, location: str):
        super().__init__(f"{problem} Datenbestand: {location}")
        self.kind, self.problem, self.location = kind, problem, location


class WriteFailed(Exception):
    """A write that did not happen (read-only, disk full, connection lost, busy, value too long); the store is as
    it was before. The message is German and says what happened."""


class StoreBusy(WriteFailed):
    """Another import held the SQLite file for longer than BUSY_TIMEOUT_S."""


class ValueTooLong(WriteFailed):
    """A text longer than its column allows; refused before anything is written, on every backend alike."""


@dataclass(frozen=True)
class Rollback:
    import_id: int
    file_name: str
    row_count: int
    measure: str


def file_subject(file_name: str) -> str:
    """A file as refusals and the audit trail name it."""
    return f"Die Datei „{file_name}“"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def current_user() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is a normal case in containers
        return None


def normalise_url(url: str) -> str:
    """postgres:// and postgresql:// mean psycopg 3 here; SQLAlchemy would otherwise look for psycopg2."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def display_url(url: str) -> str:
    """Where the store is, for messages: a SQLite file as its path, any other URL without its password."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return ":memory:" if parsed.database in (None, "", ":memory:") else str(Path(parsed.database).resolve())
    return parsed.render_as_string(hide_password=True)


def sqlite_path(url: str) -> Path | None:
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def check_lengths(rows: pd.DataFrame, meta: ImportMeta, user_name: str) -> None:
    """Refuses, in German, any text longer than its column: both backends then accept and refuse the same files."""
    problems = []
    checks: list[tuple[sa.Table, dict[str, list]]] = [
        (
            imports,
            {
                "source": [meta.source],
                "file_name": [meta.file_name],
                "file_format": [meta.file_format],
                "user_name": [user_name],
                "measure": [meta.measure],
            },
        ),
        (
            observations,
            {c: rows[c].tolist() for c in ("source", "region", "grp", "status", "measure") if c in rows.columns},
        ),
    ]
    for table, values in checks:
        for column, texts in values.items():
            limit = getattr(table.c[column].type, "length", None)
            longest = max((len(t) for t in texts if isinstance(t, str)), default=0)
            if limit and longest > limit:
                problems.append(f"{FIELD_LABELS[column]}: {longest} Zeichen, höchstens {limit} erlaubt")
    if problems:
        raise ValueTooLong(
            f"Nicht übernommen – zu lang: {'; '.join(dict.fromkeys(problems))}. Bitte in der Datei "
            "(oder im Feld „Quelle“) kürzen und erneut übernehmen. Der Datenbestand ist unverändert."
        )


def content_fingerprint(rows: pd.DataFrame) -> str:
    """What a file means, not its bytes: measure, key, Stichtag, group, value and status of every row, in any order."""
    lines = sorted(
        f"{r.measure}|{r.region}|{pd.Timestamp(r.date).date().isoformat()}|{r.grp}|"
        f"{'' if pd.isna(r.value) else repr(float(r.value))}|{'' if pd.isna(r.status) else r.status}"
        for r in rows.itertuples(index=False)
    )
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _alembic_config(connection: sa.Connection | None = None):  # noqa: ANN202 - alembic.config.Config
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


@lru_cache(maxsize=1)
def known_revisions() -> frozenset[str]:
    """The `revision` of every migration file, read from their text: every app start checks its store against these,
    and Alembic's ScriptDirectory would import Alembic and its dialects first (≈ 0.1 s of the first page)."""
    found: set[str] = set()
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8"), filename=str(path)).body:
            if (
                isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "revision" for t in node.targets)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                found.add(node.value.value)
    return frozenset(found)


def schema_revision(conn: sa.Connection) -> str | None:
    """The Alembic revision a store is at; None for an empty store or one from before migrations."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: sa.Engine) -> None:
    """Brings the schema to the newest migration; a store already there is only read."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        if MigrationContext.configure(conn).get_current_revision() == head_revision():
            return
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Several app instances may start at once on one database: one migrates, the others wait, then find head.
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        tables = set(sa.inspect(conn).get_table_names())
        config = _alembic_config(conn)
        if "imports" in tables and "alembic_version" not in tables:
            command.stamp(config, BASELINE_REVISION)
        command.upgrade(config, "head")


T = TypeVar("T")

# SQLite's wording of the faults a write meets, and what to tell the user about each.
SQLITE_WRITE_FAULTS = {
    "readonly": "Der Datenbestand ist schreibgeschützt (Datei oder Ordner nur lesbar).",
    "unable to open": "Der Datenbestand lässt sich nicht beschreiben: Der Ordner ist schreibgeschützt oder die Datei "
    "wurde entfernt.",
    "disk is full": "Auf dem Datenträger des Datenbestands ist kein Platz mehr.",
    "disk i/o error": "Beim Schreiben auf den Datenträger ist ein Ein-/Ausgabefehler aufgetreten.",
}
KEPT = "Nichts wurde geschrieben; der Datenbestand ist unverändert."


class Store:
    def __init__(self, url: str | None = None, busy_timeout_s: float = BUSY_TIMEOUT_S):
        self.url = normalise_url(url or settings.database_url())
        self.location = display_url(self.url)
        self.path = sqlite_path(self.url)
        self.busy_timeout_s = busy_timeout_s
        self._identity: tuple[int, int] | None = None
        existed = self.path is not None and self.path.exists()
        if self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreUnavailable(
                    StoreUnavailable.UNREACHABLE,
                    f"Der Ordner des Datenbestands lässt sich nicht anlegen ({exc.strerror}).",
                    self.location,
                ) from None
        # pre_ping: a PostgreSQL server restarted under a running app must not cost the user a traceback.
        # timeout: SQLite's busy timeout, how long a write waits for another writer to finish.
        connect_args = {"timeout": busy_timeout_s} if self.path is not None else {}
        self.engine = sa.create_engine(self.url, pool_pre_ping=True, connect_args=connect_args)
        try:
            # Checked before migrating, so that nothing, not even a migration, ever writes into a damaged store.
            if existed or self.path is None:
                self.health()
            migrate(self.engine)
        except StoreUnavailable:
            self.engine.dispose()
            raise
        except sa.exc.SQLAlchemyError as exc:
            self.engine.dispose()
            raise self.fault_from(exc) from None
        if self.path is not None:
            self._identity = self._file_identity()

    def _file_identity(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path)  # type: ignore[arg-type]
        except OSError:
            return None
        return st.st_dev, st.st_ino

    def fault_from(self, exc: BaseException) -> StoreUnavailable:
        if self.path is None:
            return StoreUnavailable(
                StoreUnavailable.UNREACHABLE,
                f"Der Datenbankserver ist nicht erreichbar oder hat die Verbindung abgelehnt ({_first_line(exc)}).",
                self.location,
            )
        return StoreUnavailable(
            StoreUnavailable.CORRUPT,
            f"Die Datenbankdatei ist beschädigt oder keine Datenbank des Lagebilds ({_first_line(exc)}).",
            self.location,
        )

    def health(self, thorough: bool = True) -> None:
        """Raises StoreUnavailable unless the store can be read and its schema is one this version knows.

        Cheap (a stat) without `thorough`; with it SQLite runs PRAGMA quick_check, PostgreSQL connects and reads
        the schema version. Run at start and before every write.
        """
        if self.path is not None:
            if not self.path.exists():
                raise StoreUnavailable(
                    StoreUnavailable.MISSING,
                    "Die Datenbankdatei fehlt: Sie wurde gelöscht oder verschoben, während die App lief.",
                    self.location,
                )
            if self._identity is not None and self._file_identity() != self._identity:
                raise StoreUnavailable(
                    StoreUnavailable.REPLACED,
                    "Die Datenbankdatei wurde ersetzt (z. B. durch eine Wiederherstellung), während die App lief.",
                    self.location,
                )
        if not thorough:
            return
        try:
            with self.engine.connect() as conn:
                if self.path is not None:
                    found = [row[0] for row in conn.exec_driver_sql("PRAGMA quick_check").all()]
                    if found != ["ok"]:
                        # One row may hold many lines ("*** in database main ***", then one per damaged page).
                        lines = [line for row in found for line in str(row).splitlines() if not line.startswith("***")]
                        more = f" und {len(lines) - 1} weitere Befunde" if len(lines) > 1 else ""
                        raise StoreUnavailable(
                            StoreUnavailable.CORRUPT,
                            "Die Datenbankdatei ist beschädigt (SQLite "
                            f"quick_check: „{lines[0] if lines else found[0]}“{more}).",
                            self.location,
                        )
                revision = schema_revision(conn)
        except sa.exc.SQLAlchemyError as exc:
            raise self.fault_from(exc) from None
        if revision is not None and revision not in known_revisions():
            raise StoreUnavailable(
                StoreUnavailable.NEWER_SCHEMA,
                f"Der Datenbestand hat den Schemastand {revision}, "
                f"neuer als diese Version der App ({head_revision()}) kennt.",
                self.location,
            )

    def _write(self, work: Callable[[sa.Connection], T]) -> T:
        """Runs `work` in one transaction after a health check; a failure becomes WriteFailed and leaves nothing.

        SQLite takes the write lock at BEGIN IMMEDIATE and waits up to the busy timeout for another writer. A
        PostgreSQL connection lost on the way is retried once on a fresh connection, then reported.
        """
        self.health()
        for attempt in (1, 2):
            try:
                with self.engine.begin() as conn:
                    if self.path is not None:
                        conn.exec_driver_sql("BEGIN IMMEDIATE")
                    return work(conn)
            except sa.exc.DBAPIError as exc:
                if self.path is None and (exc.connection_invalidated or isinstance(exc, sa.exc.OperationalError)):
                    self.engine.dispose()
                    if attempt == 1:
                        continue
                    raise WriteFailed(
                        f"Die Verbindung zum Datenbankserver ist abgebrochen, auch ein zweiter Versuch "
                        f"scheiterte ({_first_line(exc)}). {KEPT} Datenbestand: {self.location}"
                    ) from None
                if not isinstance(exc, sa.exc.OperationalError):
                    raise
                text = str(exc.orig).lower()
                if "locked" in text or "busy" in text:
                    raise StoreBusy(
                        "Gerade schreibt ein anderer Import in den Datenbestand; nach "
                        f"{fmt.number(self.busy_timeout_s)} Sekunden Warten wurde abgebrochen. {KEPT}"
                    ) from None
                if "malformed" in text or "not a database" in text:
                    raise self.fault_from(exc) from None
                what = next(
                    (m for k, m in SQLITE_WRITE_FAULTS.items() if k in text),
                    f"Schreiben in den Datenbestand ist fehlgeschlagen ({_first_line(exc)}).",
                )
                raise WriteFailed(f"{what} {KEPT} Datenbestand: {self.location}") from None
        raise AssertionError("unreachable")

    def is_empty(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(imports)).scalar_one() == 0

    def has_demo_data(self) -> bool:
        with self.engine.connect() as conn:
            q = sa.select(sa.func.count()).select_from(imports).where(imports.c.is_demo, imports.c.active)
            return conn.execute(q).scalar_one() > 0

    def revision(self) -> str:
        """Changes whenever what counts changes; the key for caches above the store."""
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(
                    sa.func.count(), sa.func.max(imports.c.id), sa.func.sum(sa.case((imports.c.active, 1), else_=0))
                )
            ).one()
            last_event = conn.execute(sa.select(sa.func.max(import_events.c.id))).scalar_one()
        return f"{row[0]}-{row[1]}-{row[2]}-{last_event}"

    def write_import(self, rows: pd.DataFrame, meta: ImportMeta, by: Principal) -> int:
        """All rows, the log entry and the audit row in one transaction: the import lands whole or not at all.

        Refused whole, with AccessDenied, when `by` may not write every region in the rows; the refusal is audited
        and nothing else is written.
        """
        self.refuse_unless_allowed(
            by, Action.IMPORT, rows["region"] if len(rows) else [], file_subject(meta.file_name), meta.sha256
        )
        check_lengths(rows, meta, by.name)
        now = datetime.now(UTC)

        def work(conn: sa.Connection) -> int:
            import_id = conn.execute(
                imports.insert().values(
                    created_at=now,
                    user_name=by.name,
                    file_name=meta.file_name,
                    sha256=meta.sha256,
                    row_count=len(rows),
                    measure=meta.measure,
                    source=meta.source,
                    is_demo=meta.is_demo,
                    active=True,
                    file_format=meta.file_format,
                )
            ).inserted_primary_key[0]  # type: ignore[index]
            records = [
                {
                    "import_id": import_id,
                    "measure": r.measure,
                    "region": r.region,
                    "date": r.date,
                    "grp": r.grp,
                    "value": None if pd.isna(r.value) else float(r.value),
                    "status": None if pd.isna(r.status) else r.status,
                    "source": r.source if isinstance(r.source, str) else meta.source,
                }
                for r in rows.itertuples(index=False)
            ]
            if records:
                conn.execute(observations.insert(), records)
            _audit(conn, by, Action.IMPORT.value, f"Import Nr. {import_id} ({meta.file_name})", DONE, meta.sha256)
            return int(import_id)

        return self._write(work)

    def refuse_unless_allowed(
        self, by: Principal, action: Action, region_keys: object, subject: str, sha256: str | None = None
    ) -> None:
        """Raises AccessDenied, after auditing the attempt, unless `by` may do `action` on every region given."""
        denied = access.refusal(by, action, region_keys, subject)  # type: ignore[arg-type]
        if denied is None:
            return
        self.record(by, action.value, subject, REFUSED, sha256, str(denied))
        raise denied

    def record(
        self,
        by: Principal,
        action: str,
        subject: str | None,
        outcome: str = DONE,
        sha256: str | None = None,
        detail: str | None = None,
    ) -> None:
        """Appends one row to the audit trail (sign-in, role change, a refused attempt)."""
        self._write(lambda conn: _audit(conn, by, action, subject, outcome, sha256, detail))

    def last_role(self, user_name: str) -> str | None:
        """The role this person had at their last successful sign-in, as the audit trail names it."""
        q = (
            sa.select(audit.c.role)
            .where(audit.c.user_name == user_name, audit.c.action == SIGN_IN, audit.c.outcome == DONE)
            .order_by(audit.c.id.desc())
            .limit(1)
        )
        with self.engine.connect() as conn:
            return conn.execute(q).scalar()

    def audit_trail(self) -> pd.DataFrame:
        """The audit trail, newest first, times as naive UTC."""
        with self.engine.connect() as conn:
            frame = pd.DataFrame(
                conn.execute(sa.select(audit).order_by(audit.c.id.desc())).mappings().all(), columns=audit.c.keys()
            )
        frame["created_at"] = utc_naive(frame["created_at"])
        return frame

    def history(self) -> pd.DataFrame:
        """Every import, oldest first, with its Stand range and, if rolled back, when and by whom (UTC, naive)."""
        q = (
            sa.select(
                imports,
                sa.func.min(observations.c.date).label("stand_from"),
                sa.func.max(observations.c.date).label("stand_to"),
            )
            .select_from(imports.outerjoin(observations))
            .group_by(imports.c.id)
            .order_by(imports.c.id)
        )
        events = sa.select(import_events).where(import_events.c.action == ROLLBACK).order_by(import_events.c.id)
        with self.engine.connect() as conn:
            frame = pd.DataFrame(
                conn.execute(q).mappings().all(), columns=[*imports.c.keys(), "stand_from", "stand_to"]
            )
            rollbacks = pd.DataFrame(conn.execute(events).mappings().all(), columns=import_events.c.keys())
        last = rollbacks.drop_duplicates("import_id", keep="last").set_index("import_id").reindex(frame["id"])
        frame["rolled_back_at"] = utc_naive(last["created_at"]).to_numpy()
        frame["rolled_back_by"] = last["user_name"].to_numpy()
        frame["created_at"] = utc_naive(frame["created_at"])
        return frame

    def imports_with_hash(self, sha256: str) -> pd.DataFrame:
        """Earlier imports of the very same bytes, active or rolled back."""
        hist = self.history()
        return hist[hist["sha256"] == sha256].reset_index(drop=True)

    def imports_with_same_values(self, rows: pd.DataFrame) -> pd.DataFrame:
        """Earlier imports, active or rolled back, that hold exactly these values: same measures, keys, Stichtage,
        groups and values, whatever the bytes, line endings or file format were."""
        # Only imports of as many rows can hold the same values: the history is read only when one of them does.
        none = pd.DataFrame(columns=[*imports.c.keys(), "stand_from", "stand_to", "rolled_back_at", "rolled_back_by"])
        if rows.empty:
            return none
        with self.engine.connect() as conn:
            candidates = list(conn.execute(sa.select(imports.c.id).where(imports.c.row_count == len(rows))).scalars())
            if not candidates:
                return none
            q = sa.select(
                *[observations.c[c] for c in ("import_id", "measure", "region", "date", "grp", "value", "status")]
            ).where(observations.c.import_id.in_(candidates))
            stored = pd.DataFrame(conn.execute(q).mappings().all())
        wanted = content_fingerprint(rows)
        same = [i for i, group in stored.groupby("import_id") if content_fingerprint(group) == wanted]
        if not same:
            return none
        hist = self.history()
        return hist[hist["id"].isin(same)].reset_index(drop=True)

    def record_backup(self, file_name: str, user_name: str | None) -> int:
        def work(conn: sa.Connection) -> int:
            inserted = conn.execute(
                backups.insert().values(created_at=datetime.now(UTC), file_name=file_name, user_name=user_name)
            )
            return int(inserted.inserted_primary_key[0])  # type: ignore[index]

        return self._write(work)

    def forget_backup(self, backup_id: int) -> None:
        self._write(lambda conn: conn.execute(backups.delete().where(backups.c.id == backup_id)))

    def last_backup(self) -> tuple[datetime, str] | None:
        """Time (naive UTC) and file of the newest backup taken with `python -m lagebild backup`."""
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(backups.c.created_at, backups.c.file_name).order_by(backups.c.id.desc())
            ).first()
        if row is None:
            return None
        return utc_naive(pd.Series([row[0]])).iloc[0].to_pydatetime(), row[1]

    def rollback(self, import_id: int, by: Principal) -> Rollback:
        """Its rows stop counting and older values show again; the rollback is logged and audited, nothing is deleted.

        Refused with AccessDenied (and audited) when `by` may not write every region the import holds.
        """
        self.health()
        try:
            with self.engine.connect() as conn:
                row = conn.execute(sa.select(imports).where(imports.c.id == import_id)).mappings().first()
                held = list(
                    conn.execute(
                        sa.select(observations.c.region).where(observations.c.import_id == import_id).distinct()
                    ).scalars()
                )
        except sa.exc.SQLAlchemyError as exc:
            raise self.fault_from(exc) from None
        if row is None:
            raise RollbackRefused(f"Import {import_id} gibt es nicht; „history“ zeigt alle Importe.")
        subject = f"Import Nr. {import_id} ({row['file_name']})"
        self.refuse_unless_allowed(by, Action.ROLLBACK, held, subject, row["sha256"])

        def work(conn: sa.Connection) -> Rollback:
            # The active guard in the UPDATE makes two simultaneous rollbacks of one import log only one.
            done = conn.execute(
                imports.update().where(imports.c.id == import_id, imports.c.active).values(active=False)
            ).rowcount
            if done != 1:
                raise RollbackRefused(f"Import {import_id} ({row['file_name']}) ist bereits zurückgenommen.")
            conn.execute(
                import_events.insert().values(
                    import_id=import_id, action=ROLLBACK, created_at=datetime.now(UTC), user_name=by.name
                )
            )
            _audit(conn, by, Action.ROLLBACK.value, subject, DONE, row["sha256"])
            return Rollback(import_id, row["file_name"], row["row_count"], row["measure"])

        return self._write(work)

    def observations(self) -> pd.DataFrame:
        """Every observation of active imports; where two imports cover the same cell, the newer wins."""
        q = (
            sa.select(*[observations.c[c] for c in OBS_COLUMNS if c != "is_demo"], imports.c.is_demo)
            .select_from(observations.join(imports))
            .where(imports.c.active)
            .order_by(observations.c.import_id)
        )
        with self.engine.connect() as conn:
            frame = pd.DataFrame(conn.execute(q).mappings().all(), columns=OBS_COLUMNS)
        if frame.empty:
            return frame.astype({"value": float})
        frame["date"] = pd.to_datetime(frame["date"]).dt.date
        frame["value"] = frame["value"].astype(float)
        return frame.drop_duplicates(["measure", "region", "date", "grp"], keep="last").reset_index(drop=True)

    def value_as_of(self, measure: str, region: str, as_of: date, group: str = TOTAL) -> AsOf | None:
        """Value of a measure for a region at the latest Stand on or before as_of, or None."""
        q = (
            sa.select(observations, imports.c.id.label("imp"))
            .select_from(observations.join(imports))
            .where(
                imports.c.active,
                observations.c.measure == measure,
                observations.c.region == region,
                observations.c.grp == group,
                observations.c.date <= as_of,
            )
            .order_by(observations.c.date.desc(), observations.c.import_id.desc())
            .limit(1)
        )
        with self.engine.connect() as conn:
            row = conn.execute(q).mappings().first()
        if row is None:
            return None
        return AsOf(row["value"], row["date"], row["status"], row["source"], row["import_id"])


def _audit(
    conn: sa.Connection,
    by: Principal,
    action: str,
    subject: str | None,
    outcome: str,
    sha256: str | None = None,
    detail: str | None = None,
) -> None:
    conn.execute(
        audit.insert().values(
            created_at=datetime.now(UTC),
            user_name=by.name[:200],
            role=by.role_label[:300],
            action=action,
            subject=None if subject is None else subject[:1000],
            sha256=sha256,
            outcome=outcome,
            detail=detail,
        )
    )


def _first_line(exc: BaseException) -> str:
    """The driver's own message without SQLAlchemy's SQL echo and its link to sqlalche.me."""
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__


def utc_naive(values: pd.Series) -> pd.Series:
    """SQLite hands back naive UTC, PostgreSQL aware times; both become naive UTC."""
    if values.empty:
        return pd.Series([], index=values.index, dtype="datetime64[us]")
    return pd.to_datetime(values, utc=True).dt.tz_convert(None)

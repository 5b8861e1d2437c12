"""The store: observations, the import log and rollbacks, via SQLAlchemy (SQLite by default, or PostgreSQL)."""

from __future__ import annotations

import getpass
import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from lagebild import settings
from lagebild.measures import TOTAL

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

ROLLBACK = "rollback"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The schema as metadata.create_all wrote it before there were migrations; such files are stamped with it.
BASELINE_REVISION = "0001"
# Any constant shared by all instances; pg_advisory_xact_lock serialises their migrations.
MIGRATION_LOCK_KEY = 80_1_2017

OBS_COLUMNS = ["measure", "region", "date", "grp", "value", "status", "source", "import_id", "is_demo"]


@dataclass(frozen=True)
class ImportMeta:
    file_name: str
    sha256: str
    measure: str
    source: str
    user_name: str | None = None
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


@dataclass(frozen=True)
class Rollback:
    import_id: int
    file_name: str
    row_count: int
    measure: str


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


class Store:
    def __init__(self, url: str | None = None):
        self.url = normalise_url(url or settings.database_url())
        if self.url.startswith("sqlite:///"):
            Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        # pre_ping: a PostgreSQL server restarted under a running app must not cost the user a traceback.
        self.engine = sa.create_engine(self.url, pool_pre_ping=True)
        migrate(self.engine)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

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
                sa.select(sa.func.count(), sa.func.max(imports.c.id), sa.func.sum(sa.case((imports.c.active, 1), else_=0)))
            ).one()
            last_event = conn.execute(sa.select(sa.func.max(import_events.c.id))).scalar_one()
        return f"{row[0]}-{row[1]}-{row[2]}-{last_event}"

    def write_import(self, rows: pd.DataFrame, meta: ImportMeta) -> int:
        """All rows and the log entry in one transaction: the import lands whole or not at all."""
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            import_id = conn.execute(
                imports.insert().values(
                    created_at=now,
                    user_name=meta.user_name,
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
        return int(import_id)

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
            frame = pd.DataFrame(conn.execute(q).mappings().all(), columns=[*imports.c.keys(), "stand_from", "stand_to"])
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

    def rollback(self, import_id: int, user_name: str | None = None) -> Rollback:
        """Its rows stop counting and older values show again; the rollback is logged and nothing is deleted."""
        with self.engine.begin() as conn:
            row = conn.execute(sa.select(imports).where(imports.c.id == import_id)).mappings().first()
            if row is None:
                raise RollbackRefused(f"Import {import_id} gibt es nicht; „history“ zeigt alle Importe.")
            # The active guard in the UPDATE makes two simultaneous rollbacks of one import log only one.
            done = conn.execute(
                imports.update().where(imports.c.id == import_id, imports.c.active).values(active=False)
            ).rowcount
            if done != 1:
                raise RollbackRefused(f"Import {import_id} ({row['file_name']}) ist bereits zurückgenommen.")
            conn.execute(import_events.insert().values(import_id=import_id, action=ROLLBACK,
                                                       created_at=datetime.now(UTC), user_name=user_name))  # fmt: skip
        return Rollback(import_id, row["file_name"], row["row_count"], row["measure"])

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


def utc_naive(values: pd.Series) -> pd.Series:
    """SQLite hands back naive UTC, PostgreSQL aware times; both become naive UTC."""
    if values.empty:
        return pd.Series([], index=values.index, dtype="datetime64[us]")
    return pd.to_datetime(values, utc=True).dt.tz_convert(None)


@lru_cache(maxsize=4)
def open_store(url: str | None = None) -> Store:
    return Store(url)

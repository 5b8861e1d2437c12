"""The embedded store: observations and the import log, via SQLAlchemy (SQLite by default)."""

from __future__ import annotations

import getpass
import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache

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

OBS_COLUMNS = ["measure", "region", "date", "grp", "value", "status", "source", "import_id", "is_demo"]


@dataclass(frozen=True)
class ImportMeta:
    file_name: str
    sha256: str
    measure: str
    source: str
    user_name: str | None = None
    is_demo: bool = False


@dataclass(frozen=True)
class AsOf:
    """A value with the Stand actually used for it."""

    value: float | None
    stand: date
    status: str | None
    source: str
    import_id: int


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def current_user() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is a normal case in containers
        return None


class Store:
    def __init__(self, url: str | None = None):
        self.url = url or settings.database_url()
        if self.url.startswith("sqlite:///"):
            from pathlib import Path

            Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine = sa.create_engine(self.url, future=True)
        metadata.create_all(self.engine, checkfirst=True)

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
        return f"{row[0]}-{row[1]}-{row[2]}"

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
                )
            ).inserted_primary_key[0]
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
        with self.engine.connect() as conn:
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
            return pd.DataFrame(conn.execute(q).mappings().all())

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


@lru_cache(maxsize=4)
def open_store(url: str | None = None) -> Store:
    return Store(url)

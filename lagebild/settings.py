"""Settings, defaults and paths: the one place for each."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
GEO_DIR = ROOT / "geo"
DEFAULT_DB_PATH = DATA_DIR / "lagebild.sqlite"

KREISE_CSV = DATA_DIR / "kreise.csv"
GEMEINDEN_CSV = DATA_DIR / "gemeinden.csv"
KREISE_GEOJSON = GEO_DIR / "bw_kreise.geojson"
GEMEINDEN_GEOJSON = GEO_DIR / "bw_gemeinden.geojson"
RB_GEOJSON = GEO_DIR / "bw_regierungsbezirke.geojson"
LAND_GEOJSON = GEO_DIR / "bw_land.geojson"
GEO_METADATA = GEO_DIR / "metadata.json"

# The 2017/18 funding rates imply 128-161 eligible persons per funded post
# (796.08 EUR per person for 24 months against 51,000-64,000 EUR per post and year);
# 150 sits inside that range. 64,000 EUR is the upper funding rate per post and year.
DEFAULT_TARGET_RATIO = 150.0
DEFAULT_ELEVATED_FACTOR = 1.25
DEFAULT_COST_PER_FTE = 64_000.0
# What the sidebar and an address accept; the same ranges for both.
TARGET_RANGE = (50.0, 400.0)
COST_RANGE = (10_000.0, 200_000.0)

# Meldestand: how often each measure is expected, in months (staff and care each quarter, arrivals each month).
CADENCE_MONTHS = {"counsellors_fte": 3, "counsellors_headcount": 3, "refugees_in_care": 3, "arrivals": 1}

# Imports must not predate the programme's forerunners; the Pakt für Integration began 2017.
EARLIEST_DATE_YEAR = 2015

# Geheimhaltung of Gemeinde figures (lagebild/domain/disclosure.py): counts above 0 and below this many persons are
# shown as "x"; persons are rounded to multiples of 5, as Destatis publishes Schutzsuchende (GENESIS 12531); staff
# figures of a Kreis with fewer than 3 persons are not shown per Gemeinde.
DEFAULT_DISCLOSURE_MIN_PERSONS = 3
DEFAULT_DISCLOSURE_ROUNDING = 5
DEFAULT_DISCLOSURE_MIN_STAFF = 3

DEMO_LABEL = "Beispieldaten – keine amtlichen Zahlen"
POPULATION_SOURCE = "Destatis, Gemeindeverzeichnis-Informationssystem GV-ISys (Stand 31.12.2018), CC BY 4.0"


@dataclass(frozen=True)
class Thresholds:
    """Target ratio (Geflüchtete je VZÄ) and the factor above which a Kreis is critical."""

    target: float = DEFAULT_TARGET_RATIO
    elevated_factor: float = DEFAULT_ELEVATED_FACTOR

    @property
    def critical_above(self) -> float:
        return self.target * self.elevated_factor


def database_url() -> str:
    """DATABASE_URL if set, else the SQLite file in data/."""
    url = os.environ.get("DATABASE_URL", "").strip()
    return url or f"sqlite:///{DEFAULT_DB_PATH}"


def backup_dir(url: str | None = None) -> Path:
    """LAGEBILD_BACKUP_DIR if set, else `sicherungen/` beside a SQLite store's file, else data/sicherungen/."""
    if chosen := os.environ.get("LAGEBILD_BACKUP_DIR", "").strip():
        return Path(chosen)
    url = url or database_url()
    if url.startswith("sqlite:///") and url.removeprefix("sqlite:///") not in ("", ":memory:"):
        return Path(url.removeprefix("sqlite:///")).resolve().parent / "sicherungen"
    return DATA_DIR / "sicherungen"


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip().replace(",", ".")
    try:
        return float(raw) if raw else default
    except ValueError:
        return default


def target_ratio() -> float:
    return env_float("LAGEBILD_TARGET_RATIO", DEFAULT_TARGET_RATIO)


def cost_per_fte() -> float:
    return env_float("LAGEBILD_COST_PER_FTE", DEFAULT_COST_PER_FTE)


def env_int(name: str, default: int, smallest: int = 1) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        return max(smallest, int(raw)) if raw else default
    except ValueError:
        return default


def disclosure_min_persons() -> int:
    return env_int("LAGEBILD_GEHEIMHALTUNG_SCHWELLE", DEFAULT_DISCLOSURE_MIN_PERSONS)


def disclosure_rounding() -> int:
    return env_int("LAGEBILD_GEHEIMHALTUNG_RUNDUNG", DEFAULT_DISCLOSURE_ROUNDING)


def disclosure_min_staff() -> int:
    return env_int("LAGEBILD_GEHEIMHALTUNG_PERSONAL", DEFAULT_DISCLOSURE_MIN_STAFF)


def tiles() -> tuple[str | None, str | None]:
    """Optional base tiles (URL template and attribution); off by default so the map needs no network."""
    url = os.environ.get("LAGEBILD_TILES", "").strip() or None
    return url, os.environ.get("LAGEBILD_TILES_ATTRIBUTION", "").strip() or None


def accessibility_contact() -> str | None:
    """LAGEBILD_KONTAKT_BARRIEREFREIHEIT: where users report accessibility problems (e-mail, telephone)."""
    return os.environ.get("LAGEBILD_KONTAKT_BARRIEREFREIHEIT", "").strip() or None


def roles_file() -> Path:
    """Who gets which role after sign-in: the group → role mapping (README „Betrieb mit Anmeldung“)."""
    chosen = os.environ.get("LAGEBILD_ROLLEN", "").strip()
    return Path(chosen) if chosen else ROOT / "rollen.toml"

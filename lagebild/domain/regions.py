"""Region model of Baden-Württemberg: Land, Regierungsbezirke, Kreise, Gemeinden, keyed by AGS."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import cached_property, lru_cache
from pathlib import Path

from lagebild import settings

LAND_KEY = "08"
LAND_NAME = "Baden-Württemberg"
RB_NAMES = {"081": "Stuttgart", "082": "Karlsruhe", "083": "Freiburg", "084": "Tübingen"}


class Level(str, Enum):
    LAND = "Land"
    RB = "Regierungsbezirk"
    KREIS = "Kreis"
    GEMEINDE = "Gemeinde"


LEVEL_BY_LENGTH = {2: Level.LAND, 3: Level.RB, 5: Level.KREIS, 8: Level.GEMEINDE}


@dataclass(frozen=True)
class Region:
    key: str
    level: Level
    name: str
    display_name: str
    kind: str  # "Stadtkreis", "Landkreis", "Gemeinde", "Regierungsbezirk", "Land"
    parent: str | None
    population: int | None = None
    population_date: date | None = None
    area_km2: float | None = None


@dataclass(frozen=True)
class UnknownRegion:
    """A key that names no region of BW; carries the German reason."""

    key: str
    message: str

    def __bool__(self) -> bool:
        return False


_DIGITS = re.compile(r"^\d+$")


def normalise_key(raw: object) -> str | UnknownRegion:
    """'8111' -> '08111'; a 12-digit Regionalschlüssel of a Gemeinde -> its 8-digit AGS."""
    text = str(raw).strip().replace(" ", "")
    if text.endswith(".0") and _DIGITS.match(text[:-2] or "x"):
        text = text[:-2]  # a key that went through a spreadsheet as a number
    if not _DIGITS.match(text):
        return UnknownRegion(text, f"„{text}“ ist kein Regionalschlüssel (nur Ziffern erwartet)")
    if len(text) in (1, 2, 4, 7, 11) and not text.startswith("0"):
        text = "0" + text
    if len(text) == 12:
        # Regionalschlüssel: Land(2) RB(1) Kreis(2) Gemeindeverband(4) Gemeinde(3).
        text = text[:5] + text[9:]
    if len(text) not in LEVEL_BY_LENGTH:
        return UnknownRegion(text, f"„{text}“ hat {len(text)} Stellen; erwartet 5 (Kreis) oder 8 (Gemeinde)")
    return text


class Regions:
    """All regions of BW with lookups; built once from the reference tables."""

    def __init__(self, kreise_csv: Path = settings.KREISE_CSV, gemeinden_csv: Path = settings.GEMEINDEN_CSV):
        self._by_key: dict[str, Region] = {}
        kreise = list(csv.DictReader(kreise_csv.open(encoding="utf-8")))
        total_pop = sum(int(k["bevoelkerung"]) for k in kreise)
        pop_date = date.fromisoformat(kreise[0]["bevoelkerung_stichtag"])
        self._add(
            Region(
                LAND_KEY,
                Level.LAND,
                LAND_NAME,
                LAND_NAME,
                "Land",
                None,
                total_pop,
                pop_date,
                sum(float(k["flaeche_km2"]) for k in kreise),
            )
        )
        for rb, name in RB_NAMES.items():
            members = [k for k in kreise if k["rb"] == rb]
            self._add(
                Region(
                    rb,
                    Level.RB,
                    name,
                    f"Regierungsbezirk {name}",
                    "Regierungsbezirk",
                    LAND_KEY,
                    sum(int(k["bevoelkerung"]) for k in members),
                    pop_date,
                    sum(float(k["flaeche_km2"]) for k in members),
                )
            )
        for k in kreise:
            self._add(
                Region(
                    k["ags"],
                    Level.KREIS,
                    k["name"],
                    k["anzeigename"],
                    k["typ"],
                    k["rb"],
                    int(k["bevoelkerung"]),
                    date.fromisoformat(k["bevoelkerung_stichtag"]),
                    float(k["flaeche_km2"]),
                )
            )
        if gemeinden_csv.exists():
            for g in csv.DictReader(gemeinden_csv.open(encoding="utf-8")):
                self._add(Region(g["ags"], Level.GEMEINDE, g["name"], g["name"], "Gemeinde", g["kreis"]))

    def _add(self, region: Region) -> None:
        self._by_key[region.key] = region

    def lookup(self, raw: object) -> Region | UnknownRegion:
        key = normalise_key(raw)
        if isinstance(key, UnknownRegion):
            return key
        if not key.startswith(LAND_KEY):
            return UnknownRegion(key, f"„{key}“ liegt nicht in Baden-Württemberg (Schlüssel beginnen mit 08)")
        region = self._by_key.get(key)
        if region is None:
            level = LEVEL_BY_LENGTH[len(key)].value
            return UnknownRegion(key, f"„{key}“ ist kein bekannter {level}schlüssel in Baden-Württemberg")
        return region

    def __getitem__(self, key: str) -> Region:
        region = self.lookup(key)
        if isinstance(region, UnknownRegion):
            raise KeyError(region.message)
        return region

    def __contains__(self, key: object) -> bool:
        return isinstance(self.lookup(key), Region)

    def of_level(self, level: Level) -> list[Region]:
        return [r for r in self._by_key.values() if r.level is level]

    @cached_property
    def kreise(self) -> list[Region]:
        return sorted(self.of_level(Level.KREIS), key=lambda r: r.key)

    @cached_property
    def kreis_keys(self) -> list[str]:
        return [r.key for r in self.kreise]

    @property
    def regierungsbezirke(self) -> list[Region]:
        return sorted(self.of_level(Level.RB), key=lambda r: r.key)

    def kreise_of(self, rb_key: str) -> list[Region]:
        return [k for k in self.kreise if k.parent == rb_key]

    def rb_of(self, kreis_key: str) -> Region:
        return self[self[kreis_key].parent or ""]

    def gemeinden_of(self, kreis_key: str) -> list[Region]:
        return sorted((r for r in self.of_level(Level.GEMEINDE) if r.parent == kreis_key), key=lambda r: r.key)

    def display_name(self, key: str) -> str:
        region = self.lookup(key)
        return region.display_name if isinstance(region, Region) else region.key

    def neighbours(self, kreis_key: str) -> list[Region]:
        """Kreise sharing a border of positive length with this one (from the committed geometry)."""
        return [self[k] for k in kreis_neighbours().get(self[kreis_key].key, ())]

    def peers(self, kreis_key: str) -> list[Region]:
        """Same type (Stadtkreis/Landkreis) in the same Regierungsbezirk, without the Kreis itself."""
        me = self[kreis_key]
        return [k for k in self.kreise if k.parent == me.parent and k.kind == me.kind and k.key != me.key]


@lru_cache(maxsize=1)
def regions() -> Regions:
    return Regions()


@lru_cache(maxsize=1)
def kreis_neighbours(path: Path = settings.KREISE_GEOJSON) -> dict[str, tuple[str, ...]]:
    """Adjacency by shared border; a touch at one point is not a neighbour."""
    from lagebild import geometry

    gdf = geometry.read(path).to_crs(25832)
    result: dict[str, tuple[str, ...]] = {}
    for key, geom in gdf.geometry.items():
        candidates = gdf.iloc[list(gdf.sindex.query(geom, predicate="intersects"))]
        shared = [
            other
            for other, og in candidates.geometry.items()
            if other != key and geom.boundary.intersection(og.boundary).length > 1.0
        ]
        result[str(key)] = tuple(sorted(shared))
    return result

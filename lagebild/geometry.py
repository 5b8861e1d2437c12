"""Boundary layers read once from the committed files in geo/."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import mapping

from lagebild import settings

# What the browser gets: 4 decimals are about 11 m at 48° N, well inside the 200 m
# simplification budget, and save a tenth of the map's bytes.
BROWSER_DECIMALS = 4


@dataclass(frozen=True)
class Layers:
    kreise: gpd.GeoDataFrame
    regierungsbezirke: gpd.GeoDataFrame
    land: gpd.GeoDataFrame
    kreise_geojson: dict  # as sent to the browser, properties reduced to the key
    rb_borders_geojson: dict  # every Regierungsbezirk border once, as lines
    bounds: tuple[float, float, float, float]  # minx, miny, maxx, maxy in WGS 84


@dataclass(frozen=True)
class GeoMeta:
    attribution: str
    vintage: str
    source: str


def read(path: Path) -> gpd.GeoDataFrame:
    """One of our GeoJSON files (RFC 7946, so WGS 84), indexed by its key. Read with json and shapely, not through
    GDAL: the first page of a process would otherwise wait for pyogrio and GDAL to load (≈ 0.1 s)."""
    collection = json.loads(path.read_text(encoding="utf-8"))
    frame = gpd.GeoDataFrame.from_features(collection["features"], crs="EPSG:4326")
    columns = [c for c in frame.columns if c != "geometry"] + ["geometry"]
    return frame[columns].set_index("ags", drop=False).sort_index()


def _rounded(geom: shapely.Geometry) -> dict:
    return mapping(shapely.set_precision(geom, 10**-BROWSER_DECIMALS, mode="pointwise"))


@lru_cache(maxsize=1)
def layers() -> Layers:
    kreise = read(settings.KREISE_GEOJSON)
    rb = read(settings.RB_GEOJSON)
    features = [
        {"type": "Feature", "id": key, "properties": {"ags": key}, "geometry": _rounded(geom)}
        for key, geom in kreise.geometry.items()
    ]
    # Shared borders of neighbouring RB would be drawn twice as polygon outlines.
    borders = shapely.line_merge(shapely.union_all(rb.geometry.boundary.values))
    return Layers(
        kreise=kreise,
        regierungsbezirke=rb,
        land=read(settings.LAND_GEOJSON),
        kreise_geojson={"type": "FeatureCollection", "features": features},
        rb_borders_geojson={"type": "Feature", "properties": {}, "geometry": _rounded(borders)},
        bounds=tuple(float(x) for x in kreise.total_bounds),  # type: ignore[arg-type]
    )


@lru_cache(maxsize=1)
def gemeinden() -> gpd.GeoDataFrame:
    return read(settings.GEMEINDEN_GEOJSON)


@lru_cache(maxsize=1)
def meta() -> GeoMeta:
    data = json.loads(settings.GEO_METADATA.read_text(encoding="utf-8"))
    return GeoMeta(data["attribution"], str(data["vintage"]), str(data["source"]))

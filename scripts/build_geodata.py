"""Derive the book's small geodata files from Natural Earth 1:10m as shipped by Debian.

Input: ``/usr/share/qgis/resources/data/world_map.gpkg`` from Debian's ``qgis-common`` package
(3.22.16+dfsg-1). Its README (``README_world_map.md`` in the same folder) says the layers come
from Natural Earth 1:10m Cultural Vectors v4.1.0 (Admin 1, Admin 0, Breakaway/Disputed boundary
lines); the polygon layers were generalised with GRASS ``v.generalize`` and the disputed lines
imported as they are. Natural Earth is in the public domain.

Output (all EPSG:4326 GeoJSON, committed so the book builds without the Debian package):

- ``data/geo/countries_region.geojson``: the countries of the region, clipped to a box;
- ``data/geo/countries_world.geojson``: all countries, simplified for a small world map;
- ``data/geo/admin1.geojson``: Azerbaijan's rayons and cities and Armenia's marzes, with the
  crosswalk's names (``data/admin1_crosswalk.csv``) joined on;
- ``data/geo/karabakh_lines.geojson``: Natural Earth's "Former USSR oblast in 1991" and
  "Ceasefire Line 1994" lines, each merged into one feature;
- ``data/geo/karabakh_areas.geojson``: two polygons built from those lines: the former
  Nagorno-Karabakh Autonomous Oblast (NKAO) and the area west of the 1994 ceasefire line (the
  area held by Armenian forces from 1994 to 2020).

Run: ``.venv/bin/python scripts/build_geodata.py`` (needs the Debian package; ``make geodata``).
The script is deterministic: running it twice gives byte-identical files.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, MultiLineString, Point, box
from shapely.ops import linemerge, nearest_points, polygonize, unary_union

ROOT = Path(__file__).resolve().parents[1]
GPKG = Path("/usr/share/qgis/resources/data/world_map.gpkg")
OUT = ROOT / "data" / "geo"
CROSSWALK = ROOT / "data" / "admin1_crosswalk.csv"
REGION_BOX = (38.0, 36.0, 52.5, 44.5)  # lon/lat box of the regional maps
REGION_COUNTRIES = ["Azerbaijan", "Armenia", "Georgia", "Turkey", "Iran", "Russia"]
SNAP_DEG = 0.005  # gaps between Natural Earth's line pieces are at most 0.0025 degrees
PRECISION = 5  # decimals kept in the output (about 1 m)


def _round(geom):
    from shapely import set_precision

    return set_precision(geom, 10**-PRECISION)


def _write(gdf: gpd.GeoDataFrame, name: str) -> None:
    gdf = gdf.copy()
    gdf["geometry"] = gdf.geometry.apply(_round)
    path = OUT / name
    text = gdf.to_json(drop_id=True, ensure_ascii=False, sort_keys=True)
    obj = json.loads(text)
    obj["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    path.write_text(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size / 1024:.0f} KiB, {len(gdf)} features)")


def _close_gaps(lines):
    """Join line pieces whose ends nearly meet (Natural Earth's pieces leave gaps of < 0.003 deg)."""
    parts = [ls for g in lines for ls in getattr(g, "geoms", [g])]
    ends = [Point(p) for ls in parts for p in (ls.coords[0], ls.coords[-1])]
    bridges = []
    for i, a in enumerate(ends):
        others = [b for j, b in enumerate(ends) if j != i and j // 2 != i // 2]
        if any(a.equals(b) for b in others):
            continue
        near = min(others, key=a.distance)
        if a.distance(near) <= SNAP_DEG:
            bridges.append(LineString([a, near]))
    return unary_union(parts + bridges)


def karabakh_polygons(disputed: gpd.GeoDataFrame, azerbaijan) -> gpd.GeoDataFrame:
    oblast_lines = disputed[disputed["name"] == "Former USSR oblast in 1991"].geometry
    oblast = [p for p in polygonize(_close_gaps(list(oblast_lines)))]
    if len(oblast) != 1:
        sys.exit(f"expected one NKAO polygon from the oblast lines, got {len(oblast)}")
    cease = linemerge(unary_union(list(disputed[disputed["name"] == "Ceasefire Line 1994"].geometry)))
    if not isinstance(cease, LineString):
        sys.exit(f"the ceasefire line does not merge into one line: {cease.geom_type}")
    # extend both ends of the ceasefire line to Azerbaijan's border, then split the country
    border = azerbaijan.boundary
    ext = [
        LineString([cease.coords[0], nearest_points(border, Point(cease.coords[0]))[0]]),
        cease,
        LineString([cease.coords[-1], nearest_points(border, Point(cease.coords[-1]))[0]]),
    ]
    pieces = list(polygonize(unary_union([border, *ext])))
    stepanakert = Point(46.7528, 39.8177)  # GeoNames 146970 (see data/gazetteer.csv)
    held = [p for p in pieces if p.contains(stepanakert)]
    if len(held) != 1:
        sys.exit("could not find the piece west of the ceasefire line holding Stepanakert")
    rows = [
        {
            "id": "nkao",
            "name": "Former Nagorno-Karabakh Autonomous Oblast (1991 boundary)",
            "derived_from": "Natural Earth 'Former USSR oblast in 1991' lines, gaps < 0.005 deg closed",
            "geometry": oblast[0],
        },
        {
            "id": "held_1994",
            "name": "West of the 1994 ceasefire line (held by Armenian forces 1994-2020)",
            "derived_from": "Natural Earth 'Ceasefire Line 1994', both ends extended to the nearest point of "
            "Azerbaijan's border, clipped to Azerbaijan",
            "geometry": held[0],
        },
    ]
    return gpd.GeoDataFrame(rows, crs="EPSG:4326")


def main() -> None:
    if not GPKG.is_file():
        sys.exit(f"{GPKG} not found: install Debian's qgis-common package (apt-get install qgis-common)")
    OUT.mkdir(parents=True, exist_ok=True)
    countries = gpd.read_file(GPKG, layer="countries")[["NAME", "ISO_A3", "geometry"]]
    countries = countries.rename(columns={"NAME": "name", "ISO_A3": "iso_a3"})
    nameless = countries["name"].isna()
    if nameless.any():  # two slivers without any attribute in the package; say so, do not keep them
        print(f"dropping {int(nameless.sum())} Natural Earth country polygons that have no name")
    countries = countries[~nameless].sort_values("name").reset_index(drop=True)

    region = countries[countries.intersects(box(*REGION_BOX))].copy()
    region["geometry"] = region.geometry.intersection(box(*REGION_BOX))
    missing = set(REGION_COUNTRIES) - set(region["name"])
    if missing:
        sys.exit(f"countries missing from the regional extract: {sorted(missing)}")
    _write(region, "countries_region.geojson")

    world = countries.copy()
    world["geometry"] = world.geometry.simplify(0.08, preserve_topology=True)
    world = world[~world.geometry.is_empty]
    _write(world, "countries_world.geojson")

    admin1 = gpd.read_file(GPKG, layer="states_provinces", where="admin IN ('Azerbaijan','Armenia')")
    admin1 = admin1[["admin", "name", "gn_name", "fips", "geometry"]].rename(
        columns={"admin": "country", "name": "ne_name", "gn_name": "ne_gn_name", "fips": "ne_fips"}
    )
    cw = pd.read_csv(CROSSWALK, dtype=str, keep_default_na=False)
    joined = admin1.merge(
        cw[["ne_gn_name", "name_en", "name_local", "kind"]], on="ne_gn_name", how="left", validate="one_to_one"
    )
    unmatched = joined[joined["name_en"].isna()]
    if len(unmatched):
        sys.exit(f"{CROSSWALK.name}: no row for Natural Earth units {sorted(unmatched['ne_gn_name'])}")
    if len(cw) != len(admin1):
        sys.exit(f"{CROSSWALK.name}: {len(cw)} rows but Natural Earth has {len(admin1)} units")
    joined = joined.sort_values(["country", "ne_gn_name"]).reset_index(drop=True)
    _write(joined, "admin1.geojson")

    disputed = gpd.read_file(GPKG, layer="disputed_borders")
    disputed = disputed[disputed["name"].isin(["Former USSR oblast in 1991", "Ceasefire Line 1994"])]
    lines = disputed.dissolve(by="name").reset_index()[["name", "geometry"]]
    lines["geometry"] = lines.geometry.apply(
        lambda g: g if isinstance(g, (LineString, MultiLineString)) else MultiLineString(list(g.geoms))
    )
    _write(lines, "karabakh_lines.geojson")

    azerbaijan = countries.loc[countries["name"] == "Azerbaijan", "geometry"].iloc[0]
    _write(karabakh_polygons(disputed, azerbaijan), "karabakh_areas.geojson")


if __name__ == "__main__":
    main()

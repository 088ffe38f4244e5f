"""Geodata and maps: validity, CRS, areas against official figures, the name crosswalk, and that
each map shows the features it names."""

import json

import pytest

from karabakh_book import data, mapbook, maps
from karabakh_book.data import DataError

GEO = [r["name"] for r in data.package()["resources"] if r.get("format") == "geojson"]


@pytest.mark.parametrize("name", GEO)
def test_geojson_layers_are_valid_lonlat_and_sourced(name):
    gdf = data.load_geo(name)  # validates geometry, properties, keys and source keys
    assert gdf.crs.to_epsg() == 4326
    assert gdf.geometry.is_valid.all() and not gdf.geometry.is_empty.any()
    x0, y0, x1, y1 = gdf.total_bounds
    assert -180 <= x0 < x1 <= 180 and -90 <= y0 < y1 <= 90


def test_a_broken_geometry_is_named_by_file_feature_and_property(tmp_path):
    import shutil

    dst = tmp_path / "data"
    shutil.copytree(data.paths.DATA, dst)
    path = dst / "geo" / "karabakh_areas.geojson"
    obj = json.loads(path.read_text(encoding="utf-8"))
    # a bow-tie polygon is invalid; and drop a required property from the first feature
    obj["features"][1]["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[46, 39], [47, 40], [47, 39], [46, 40], [46, 39]]],
    }
    del obj["features"][0]["properties"]["name"]
    path.write_text(json.dumps(obj), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        data.load_geo("karabakh_areas", package_path=dst / "datapackage.json")
    msg = str(exc.value)
    assert "data/geo/karabakh_areas.geojson: feature 2, geometry: invalid" in msg.replace(str(tmp_path) + "/", "")
    assert "feature 1, property 'name': a required value is missing" in msg


@pytest.mark.parametrize(
    "crs, ok",
    [
        ("EPSG:3857", False),
        ("urn:ogc:def:crs:EPSG::32638", False),
        ("EPSG:4326", True),
        ("urn:ogc:def:crs:EPSG::4326", True),
        (None, True),
    ],
)
def test_a_layer_not_in_longitude_latitude_is_refused(tmp_path, crs, ok):
    """The loader reads the file's CRS and refuses anything but WGS 84 longitude/latitude (no
    silent override); a file without a crs member is WGS 84 by RFC 7946."""
    import shutil

    dst = tmp_path / "data"
    shutil.copytree(data.paths.DATA, dst)
    path = dst / "geo" / "karabakh_lines.geojson"
    obj = json.loads(path.read_text(encoding="utf-8"))
    if crs is None:
        obj.pop("crs", None)
    else:
        obj["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(obj), encoding="utf-8")
    if ok:
        assert data.load_geo("karabakh_lines", package_path=dst / "datapackage.json").crs.to_epsg() == 4326
    else:
        with pytest.raises(DataError, match=r"data/geo/karabakh_lines.geojson: crs is .* expected OGC CRS84"):
            data.load_geo("karabakh_lines", package_path=dst / "datapackage.json")


def test_projection_is_equal_area():
    from pyproj import CRS

    crs = CRS.from_user_input(maps.CRS_REGION)
    assert crs.is_projected and "Lambert Azimuthal Equal Area" in crs.coordinate_operation.method_name
    assert "Equal Earth" in CRS.from_user_input(maps.CRS_WORLD).coordinate_operation.method_name


# Generalised 1:10m geometry: countries within 1 %, the former oblast and the held area within
# 5 %, single districts within 20 % of the official figures (the book says why).
TOLERANCE = {"azerbaijan": 1.0, "armenia": 1.0, "nkao": 5.0, "held_1994": 5.0}


def test_computed_areas_are_within_the_stated_tolerance_of_official_figures():
    t = mapbook.areas_table().set_index("unit_id")
    assert {"azerbaijan", "armenia", "nkao", "held_1994"} <= set(t.index)
    for uid, row in t.iterrows():
        tol = TOLERANCE.get(uid, 20.0)
        assert abs(row["diff_pct"]) <= tol, f"{uid}: computed {row['computed_km2']} km2 is {row['diff_pct']} % off"


def test_held_share_is_far_below_the_texts_20_to_24_percent():
    t = mapbook.areas_table().set_index("unit_id")
    share = 100 * t.loc["held_1994", "computed_km2"] / t.loc["azerbaijan", "computed_km2"]
    assert 12 < share < 16


def test_held_area_contains_the_former_oblasts_west_and_the_seven_districts_seats():
    held = maps.layer("karabakh_areas").query("id == 'held_1994'").geometry.iloc[0]
    nkao = maps.layer("karabakh_areas").query("id == 'nkao'").geometry.iloc[0]
    seats = maps.gazetteer(
        [
            "Kalbajar / Kelbajar",
            "Lachin / Berdzor",
            "Qubadli",
            "Zangilan",
            "Jabrayil",
            "Agdam",
            "Stepanakert / Khankendi",
            "Shusha / Shushi",
        ]
    )
    for name, pt in zip(seats["name_en"], seats.geometry):
        assert held.contains(pt), name
    assert nkao.contains(seats.geometry.iloc[-2])  # Stepanakert
    assert held.contains(maps.gazetteer(["Fuzuli"]).geometry.iloc[0])  # the ruined town was held until 2020
    assert not held.contains(maps.gazetteer(["Goris"]).geometry.iloc[0])  # Armenia is not part of it
    assert not held.contains(maps.gazetteer(["Baku"]).geometry.iloc[0])


def test_crosswalk_covers_every_unit_once_and_documents_every_correction():
    cw = data.load("admin1_crosswalk")
    adm = data.load_geo("admin1")
    assert sorted(cw["ne_gn_name"]) == sorted(adm["ne_gn_name"])
    bad = cw[cw["ne_name_status"] != "ok"]
    assert set(bad["name_en"]) >= {"Lachin", "Khojaly", "Khankendi"}
    assert bad["note"].str.len().gt(20).all()


def test_crosswalk_decisions_hold_against_the_gazetteer():
    """Each unit's seat lies in its polygon, or within 5 km of it where generalisation moved the line."""
    cw = data.load("admin1_crosswalk")
    adm = maps.layer("admin1")
    rows = cw[cw["seat"] != ""]
    assert len(rows) >= 15
    for _, r in rows.iterrows():
        poly = adm.loc[adm["ne_gn_name"] == r["ne_gn_name"], "geometry"].iloc[0]
        seat = maps.gazetteer([r["seat"]]).geometry.iloc[0]
        others = adm[adm["ne_gn_name"] != r["ne_gn_name"]]
        d = poly.distance(seat)
        assert d <= 5000, f"{r['seat']} is {d / 1000:.1f} km from {r['name_en']}"
        # and no other unit holds it outright when ours does not
        if d > 0:
            holder = others[others.contains(seat)]
            assert holder.empty or r["kind"] != "city", (r["name_en"], list(holder["name_en"]))


def test_natural_earths_wrong_names_are_really_wrong():
    """The crosswalk says NE's 'Stepanakert' polygon is the city and its 'Xocalı' polygon the district."""
    adm = maps.layer("admin1")
    city = adm[adm["ne_name"] == "Stepanakert"]
    district = adm[adm["ne_name"] == "Xocalı"]
    assert city["name_en"].iloc[0] == "Khankendi" and maps.area_km2(city).iloc[0] < 50
    assert district["name_en"].iloc[0] == "Khojaly" and maps.area_km2(district).iloc[0] > 500
    lachin = adm[adm["ne_gn_name"] == "Lacin Rayonu"]
    assert lachin["ne_name"].iloc[0] == "Lankaran" and lachin["name_en"].iloc[0] == "Lachin"


MAPS = ["region_map", "held_1994_map", "after_2020_map", "exodus_map", "russia_map", "blocs_map"]


@pytest.mark.parametrize("fn", MAPS)
def test_each_map_draws_its_features_sourced_and_without_label_collisions(fn):
    import matplotlib.pyplot as plt

    m = getattr(mapbook, fn)()
    fig, keys = m.fig, m.sources
    assert m.labels and m.collisions == 0
    assert set(maps.NE_KEYS) <= set(keys)
    from karabakh_book.cite import bib_keys

    assert set(keys) <= bib_keys()
    ax = fig.axes[0]
    assert ax.get_legend() is not None and ax.get_title()
    texts = " ".join(t.get_text() for t in ax.texts) + " ".join(t.get_text() for t in ax.get_legend().get_texts())
    expected = {
        "region_map": [
            "Nakhchivan",
            "Stepanakert",
            "Baku",
            "Yerevan",
            "AZERBAIJAN",
            "ARMENIA",
            "GEORGIA",
            "IRAN",
            "TURKEY",
            "RUSSIA",
        ],
        "held_1994_map": [
            "Kalbajar",
            "Lachin",
            "Qubadli",
            "Zangilan",
            "Jabrayil",
            "Fuzuli",
            "Aghdam",
            "Ceasefire line 1994",
        ],
        "after_2020_map": [
            "Aghdam",
            "Kalbajar",
            "Lachin",
            "Lachin corridor",
            "20 Nov 2020",
            "15 Nov 2020",
            "1 Dec 2020",
        ],
        "exodus_map": ["Yerevan", "Syunik", "Kotayk", "Goris", "Kornidzor", "Route out of Karabakh"],
        "russia_map": ["Army and air bases", "FSB border guards", "Peacekeepers"],
        "blocs_map": ["CSTO", "Eurasian Economic Union", "Minsk Group co-chair"],
    }[fn]
    for word in expected:
        assert word in texts, f"{fn} does not show {word!r}"
    plt.close(fig)


def test_bloc_membership_in_september_2023():
    mem = mapbook.bloc_membership()
    assert mem["Armenia"] >= {"CSTO", "EAEU"} and mem["Russia"] >= {"CSTO", "EAEU", "Minsk Group co-chair"}
    assert "CSTO" not in mem.get("Azerbaijan", set())
    assert mem["France"] == {"Minsk Group co-chair"} and mem["United States of America"] == {"Minsk Group co-chair"}


def test_overlapping_labels_are_counted():
    """The collision count is measured on the drawn figure: nine labels on one point cannot all
    find a free place among the eight around it, and two annotations typed on one spot overlap."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3, 3))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    labels = maps.place_labels(ax, [5] * 9, [5] * 9, [f"Label {i}" for i in range(9)])
    m = mapbook.Map(fig, [], [], labels)
    assert m.collisions >= 2  # the ninth label and the one it lands on
    fig2, ax2 = plt.subplots()
    same = [ax2.annotate("Armenia", (0.5, 0.5)), ax2.annotate("Azerbaijan", (0.5, 0.5))]
    assert mapbook.Map(fig2, [], [], same).collisions == 2
    assert mapbook.Map(fig2, [], [], same[:1]).collisions == 0
    plt.close("all")

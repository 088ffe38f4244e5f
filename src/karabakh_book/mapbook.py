"""The book's six maps, each a function that draws from ``data/`` with :mod:`karabakh_book.maps`
and returns a :class:`Map`: the figure, the source keys for its source line, the names of the
features it shows (the tests check them against the data), its place labels (the tests count their
overlaps) and, where the map has one, its key as a table."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
import shapely
from matplotlib.figure import Figure
from shapely.geometry import LineString

from . import data, maps
from .figures import PALETTE as P

KARABAKH_BOX = (45.35, 38.8, 47.75, 40.75)
ARMENIA_BOX = (43.3, 38.75, 47.5, 41.35)
NAKHCHIVAN = [
    "Babek Rayon",
    "Julfa Rayon",
    "Nakhchivan City",
    "Ordubad Rayon",
    "Sadarak Rayon",
    "Shahbuz Rayon",
    "Sharur Rayon",
    "Kangarli Rayon",
]
#: The seven districts around the former NKAO (Azerbaijani names as in the crosswalk).
SEVEN = ["Kalbajar", "Lachin", "Qubadli", "Zangilan", "Jabrayil", "Fuzuli", "Aghdam"]
RETURNED_2020 = {"Aghdam": "by 20 Nov 2020", "Kalbajar": "by 15 Nov 2020", "Lachin": "by 1 Dec 2020"}


@dataclass
class Map:
    """A drawn map and the facts the chapters publish and the tests check."""

    fig: Figure
    sources: list[str]
    features: list[str]
    labels: list = field(default_factory=list)
    table: pd.DataFrame | None = None

    @property
    def collisions(self) -> int:
        """How many of the map's labels overlap another label (0 on a good map)."""
        return maps.overlapping(self.labels)


def _map(fn):
    """Every map function: strip the axis labels geopandas adds, whatever was plotted last."""
    import functools

    @functools.wraps(fn)
    def wrapper(*a, **kw):
        m = fn(*a, **kw)
        for ax in m.fig.axes:
            maps.clean_axes(ax)
        return m

    return wrapper


def _admin1():
    return maps.layer("admin1")


def _area(id_):
    a = maps.layer("karabakh_areas")
    return a[a["id"] == id_]


def _line(name):
    lines = maps.layer("karabakh_lines")
    return lines[lines["name"] == name]


@_map
def region_map():
    """Map 1: the region."""
    fig, ax = maps.new_map((39.6, 37.2, 51.2, 43.9), 7.0, 4.6)
    maps.base(ax)
    adm = _admin1()
    nak = adm[adm["ne_gn_name"].isin(NAKHCHIVAN)].dissolve()
    nak.boundary.plot(ax=ax, color=P[0], lw=0.8, ls=":", zorder=3)
    pt = nak.geometry.iloc[0].representative_point()
    ax.annotate(
        "Nakhchivan\n(Azerbaijan)",
        (pt.x, pt.y),
        xytext=(-30, -18),
        textcoords="offset points",
        fontsize=7.5,
        ha="center",
        color=P[0],
        arrowprops=dict(arrowstyle="-", color=P[0], lw=0.6),
        zorder=25,
    )
    nkao = _area("nkao")
    nkao.plot(ax=ax, color=P[1], alpha=0.55, edgecolor=P[3], lw=0.8, zorder=4)
    for sea, (lon, lat) in {"Caspian\nSea": (50.4, 41.2), "Black Sea": (40.3, 42.9)}.items():
        xy = maps.gazetteer_point(lon, lat)
        ax.text(*xy, sea, fontsize=7.5, style="italic", color="#3a6f9a", ha="center", zorder=5)
    places = ["Baku", "Yerevan", "Stepanakert / Khankendi", "Gyumri (Russian 102nd military base)"]
    labels = maps.label_places(ax, places, fontsize=7.5)
    maps.scale_bar(ax, 200)
    maps.legend(
        ax,
        [
            ("Azerbaijan and Armenia", "patch", dict(facecolor=maps.LAND_FOCUS, edgecolor=maps.BORDER)),
            ("Former Nagorno-Karabakh AO", "patch", dict(facecolor=P[1], alpha=0.55, edgecolor=P[3])),
            ("Nakhchivan (exclave of Azerbaijan)", "line", dict(color=P[0], ls=":", lw=1)),
        ],
        loc="lower right",
    )
    ax.set_title("The South Caucasus and its neighbours")
    c = maps.layer("countries_region")
    return Map(
        fig,
        maps.NE_KEYS + ["geonames_cities500_pkg", "simplewiki_stepanakert"],
        list(c["name"]) + ["Nakhchivan", "NKAO"],
        labels,
    )


def _karabakh_frame(held_style: dict, nkao_lw: float, draw_between=None):
    """The frame maps 2 and 3 share: the region around Karabakh, the area held 1994-2020 drawn in
    ``held_style``, anything ``draw_between(ax, adm, held)`` adds above it, then Azerbaijan's district
    boundaries and the former oblast's outline on top."""
    fig, ax = maps.new_map(KARABAKH_BOX, 7.0, 5.6)
    maps.base(ax, label_countries=False)
    adm = _admin1()
    held = _area("held_1994")
    held.plot(ax=ax, zorder=2, **held_style)
    extra = draw_between(ax, adm, held) if draw_between else None
    adm[adm["country"] == "Azerbaijan"].boundary.plot(ax=ax, color="#8c8c8c", lw=0.4, zorder=4)
    _area("nkao").boundary.plot(ax=ax, color=P[0], lw=nkao_lw, zorder=5)
    return fig, ax, adm, extra


@_map
def held_1994_map():
    """Map 2: the former oblast, the surrounding districts and the 1994 ceasefire line."""
    fig, ax, adm, _ = _karabakh_frame(dict(color=P[1], alpha=0.45), nkao_lw=1.8)
    _line("Ceasefire Line 1994").plot(ax=ax, color=P[3], lw=2.0, ls="--", zorder=6)
    sel = adm[adm["name_en"].isin(SEVEN + ["Khojaly", "Shusha", "Khojavend", "Tartar"]) & (adm["kind"] == "district")]
    pts = sel.geometry.representative_point()
    labels = maps.place_labels(ax, pts.x, pts.y, sel["name_en"], fontsize=7.5, marker=False, color="#333333")
    ax.text(*maps.gazetteer_point(45.75, 39.55), "ARMENIA", fontsize=8, color="#555555", weight="bold", ha="center")
    ax.text(*maps.gazetteer_point(47.45, 40.55), "AZERBAIJAN", fontsize=8, color="#555555", weight="bold", ha="center")
    labels += maps.label_places(
        ax, ["Stepanakert / Khankendi"], fontsize=7.5, weight="bold", avoid=[lb.get_window_extent() for lb in labels]
    )
    maps.scale_bar(ax, 25, loc="lower right")
    maps.legend(
        ax,
        [
            (
                "Held by Armenian forces 1994-2020\n(west of the ceasefire line)",
                "patch",
                dict(facecolor=P[1], alpha=0.45),
            ),
            ("Former Nagorno-Karabakh AO (1991)", "line", dict(color=P[0], lw=1.8)),
            ("Ceasefire line 1994", "line", dict(color=P[3], lw=2.0, ls="--")),
            ("District boundary (Natural Earth)", "line", dict(color="#8c8c8c", lw=0.6)),
        ],
        loc="lower left",
    )
    ax.set_title("The former oblast and the districts held after the 1994 ceasefire")
    return Map(fig, maps.NE_KEYS, SEVEN + ["NKAO", "held_1994", "Ceasefire Line 1994"], labels, areas_table())


def areas_table():
    """Areas computed from the geometry set against the official and claimed figures."""
    adm = _admin1()
    comp = {
        "azerbaijan": float(maps.area_km2(maps.layer("countries_region").query("name == 'Azerbaijan'")).sum()),
        "armenia": float(maps.area_km2(maps.layer("countries_region").query("name == 'Armenia'")).sum()),
        "nkao": float(maps.area_km2(_area("nkao")).sum()),
        "held_1994": float(maps.area_km2(_area("held_1994")).sum()),
    }
    cw = data.load("admin1_crosswalk")
    for r in cw[cw["area_unit_id"] != ""].itertuples():
        comp[r.area_unit_id] = float(maps.area_km2(adm[(adm["name_en"] == r.name_en) & (adm["kind"] == r.kind)]).sum())
    off = data.load("official_areas")
    rows = []
    labels = {
        "azerbaijan": "Azerbaijan",
        "armenia": "Armenia",
        "nkao": "Former NKAO",
        "held_1994": "Held 1994-2020 (NKAO part + districts)",
    }
    for uid, km2 in comp.items():
        o = off[(off["unit_id"] == uid) & off["area_km2"].notna()]
        if o.empty:
            continue
        lo, hi = float(o["area_km2"].min()), float(o["area_km2"].max())
        mid = lo if lo == hi else None
        rows.append(
            {
                "unit": labels.get(
                    uid, uid.capitalize() + " district" + (" (whole)" if uid in ("agdam", "fuzuli") else "")
                ),
                "unit_id": uid,
                "computed_km2": round(km2),
                "official_low": lo,
                "official_high": hi,
                "parties": "; ".join(sorted(set(o["party"]))),
                "sources": ";".join(dict.fromkeys(o["source_key"])),
                "diff_pct": round(100 * (km2 - (mid if mid else (lo + hi) / 2)) / (mid if mid else (lo + hi) / 2), 1),
            }
        )
    return pd.DataFrame(rows)


@_map
def after_2020_map():
    """Map 3: what the statement of 10 November 2020 said about the districts and the corridor."""

    def returned(ax, adm, held):
        ret = adm[adm["name_en"].isin(list(RETURNED_2020)) & (adm["kind"] == "district")]
        ret = gpd.overlay(ret, held[["geometry"]], how="intersection")
        # the parts of these districts inside the former oblast were not handed back
        ret = gpd.overlay(ret, _area("nkao")[["geometry"]], how="difference")
        ret.plot(ax=ax, color=P[2], zorder=3)
        return ret

    fig, ax, adm, ret = _karabakh_frame(
        dict(facecolor="#dddddd", edgecolor="none", hatch="////"), nkao_lw=1.6, draw_between=returned
    )
    g = maps.gazetteer(["Stepanakert / Khankendi", "Lachin / Berdzor", "Kornidzor", "Goris"])
    corridor = LineString(list(zip(g.geometry.x, g.geometry.y)))
    gpd.GeoSeries([corridor], crs=maps.CRS_REGION).plot(ax=ax, color=P[4], lw=3, zorder=6)
    # label each district in its largest piece (clipping at the oblast line leaves slivers)
    pts = ret.geometry.map(lambda g: max(getattr(g, "geoms", [g]), key=lambda p: p.area).representative_point())
    pts = gpd.GeoSeries(pts, crs=ret.crs)
    labels = maps.place_labels(
        ax,
        pts.x,
        pts.y,
        [f"{n}\nreturn {RETURNED_2020[n]}" for n in ret["name_en"]],
        fontsize=7.5,
        marker=False,
        color="#1b4d3e",
        weight="bold",
    )
    labels += maps.label_places(
        ax,
        ["Stepanakert / Khankendi", "Lachin / Berdzor", "Goris"],
        fontsize=7.5,
        avoid=[lb.get_window_extent() for lb in labels],
    )
    maps.scale_bar(ax, 25)
    maps.legend(
        ax,
        [
            ("Handed back under the statement\n(art. 2 and 6; deadline shown)", "patch", dict(facecolor=P[2])),
            (
                "Rest of the area held 1994-2020: not named;\nthe parties 'stop at their current positions'\n(art. 1), a line not drawn here; much of it\n(four southern districts, Hadrut, Shusha) was\nretaken by Azerbaijan in the fighting (P2-29)",
                "patch",
                dict(facecolor="#dddddd", hatch="////", edgecolor="#999999"),
            ),
            (
                "Lachin corridor, 5 km wide (art. 6);\nschematic route through the places shown",
                "line",
                dict(color=P[4], lw=3),
            ),
            ("Former Nagorno-Karabakh AO", "line", dict(color=P[0], lw=1.6)),
        ],
        loc="lower right",
        fontsize=7.5,
    )
    ax.set_title("The trilateral statement of 10 November 2020")
    return Map(
        fig,
        ["armgov_2020_statement", "mfaaz_2020_statement", "geonames_cities500_pkg"] + maps.NE_KEYS,
        list(RETURNED_2020) + ["Lachin corridor", "NKAO"],
        labels,
    )


def displaced_latest():
    """UNHCR's count of refugees registered by province at the latest date the data hold."""
    d = data.load("displaced_by_province")
    d = d[d["measure"] == "total registered (Karabakh) by location"]
    d = d[d["as_of"] == d["as_of"].max()]
    return d[~d["province"].str.startswith("TOTAL")], d[d["province"].str.startswith("TOTAL")]


@_map
def exodus_map():
    """Map 4: the route out of Karabakh and where the refugees were registered a year later."""
    fig, ax = maps.new_map(ARMENIA_BOX, 7.0, 5.4)
    maps.base(ax, label_countries=False)
    adm = _admin1()
    arm = adm[adm["country"] == "Armenia"]
    prov, total = displaced_latest()
    arm = arm.merge(
        prov[["province", "people", "source_key"]],
        left_on="name_en",
        right_on="province",
        how="left",
        validate="one_to_one",
    )
    if arm["people"].isna().any():
        raise data.DataError(
            f"data/displaced_by_province.csv: no {total['as_of'].iloc[0]} row for {sorted(arm[arm['people'].isna()]['name_en'])}"
        )
    bins = [0, 3000, 6000, 12000, 20000, 50000]
    cls = pd.cut(arm["people"].astype(float), bins=bins, labels=False)
    arm.plot(ax=ax, color=[maps.BLUES[int(c)] for c in cls], edgecolor="white", lw=0.8, zorder=2)
    _area("nkao").plot(ax=ax, color=P[1], alpha=0.5, edgecolor=P[3], lw=0.8, zorder=3)
    g = maps.gazetteer(["Stepanakert / Khankendi", "Lachin / Berdzor", "Kornidzor", "Goris"])
    route = LineString(list(zip(g.geometry.x, g.geometry.y)))
    gpd.GeoSeries([route], crs=maps.CRS_REGION).plot(ax=ax, color=P[3], lw=2.2, zorder=6)
    x1, y1 = g.geometry.x.iloc[-1], g.geometry.y.iloc[-1]
    x0, y0 = g.geometry.x.iloc[-2], g.geometry.y.iloc[-2]
    ax.annotate("", (x1, y1), xytext=(x0, y0), arrowprops=dict(arrowstyle="-|>", color=P[3], lw=2.2), zorder=7)
    pts = arm.geometry.representative_point()
    labels = maps.place_labels(
        ax,
        pts.x,
        pts.y,
        [f"{n}\n{int(v):,}" for n, v in zip(arm["name_en"], arm["people"])],
        fontsize=7.5,
        marker=False,
        color="#111111",
    )
    labels += maps.label_places(
        ax,
        ["Stepanakert / Khankendi", "Kornidzor", "Goris"],
        fontsize=7.5,
        avoid=[lb.get_window_extent() for lb in labels],
    )
    maps.scale_bar(ax, 50, loc="lower right")
    items = [
        (f"{int(bins[i]):,}-{int(bins[i + 1]):,}", "patch", dict(facecolor=maps.BLUES[i], edgecolor="#999999"))
        for i in range(len(bins) - 1)
    ]
    items += [
        ("Route out of Karabakh (Lachin road,\nHakari bridge, Kornidzor)", "line", dict(color=P[3], lw=2.2)),
        ("Former Nagorno-Karabakh AO", "patch", dict(facecolor=P[1], alpha=0.5, edgecolor=P[3])),
    ]
    maps.legend(
        ax,
        items,
        loc="lower left",
        title=f"Refugees registered, {pd.Timestamp(total['as_of'].iloc[0]):%-d %b %Y}",
        fontsize=7.5,
    )
    ax.set_title("September 2023: the road out, and where the refugees were a year later")
    keys = list(dict.fromkeys(prov["source_key"])) + ["geonames_cities500_pkg"] + maps.NE_KEYS
    return Map(fig, keys, list(arm["name_en"]) + ["route", "NKAO"], labels, pd.concat([prov, total]))


@_map
def russia_map():
    """Map 5: Russia's military footprint in Armenia and the peacekeeping deployment."""
    fig, ax = maps.new_map(ARMENIA_BOX, 7.0, 5.4)
    maps.base(ax)
    _area("nkao").plot(ax=ax, facecolor="none", edgecolor=P[4], hatch="////", lw=1, zorder=3)
    m = data.load("russian_military_armenia")
    m = m[m["lat"].notna()].drop_duplicates("site")

    # the map's legend words for the data's categories (schema-enforced in datapackage.json)
    legend_words = {
        "army and air bases": "Army and air bases",
        "border guards": "FSB border guards",
        "peacekeepers": "Peacekeepers (2020-2024)",
    }
    m = m[m["category"] != "not a site"]
    m = m.assign(cat=m["category"].map(legend_words))
    pts = gpd.GeoDataFrame(
        m, geometry=gpd.points_from_xy(m["lon"].astype(float), m["lat"].astype(float)), crs="EPSG:4326"
    ).to_crs(maps.CRS_REGION)
    styles = {
        "Army and air bases": (P[3], "o"),
        "FSB border guards": (P[0], "s"),
        "Peacekeepers (2020-2024)": (P[4], "^"),
    }
    # sites sharing a town point are drawn side by side and get one number; the key is Map.table
    pts["town"] = list(zip(pts.geometry.x.round(-2), pts.geometry.y.round(-2)))
    towns = list(dict.fromkeys(pts["town"]))
    pts["n"] = pts["town"].map({t: i + 1 for i, t in enumerate(towns)})
    pts["dx"] = pts.groupby("town").cumcount() * 5000.0
    for c, (col, mk) in styles.items():
        s = pts[pts["cat"] == c]
        ax.scatter(
            s.geometry.x + s["dx"], s.geometry.y, s=34, color=col, marker=mk, edgecolor="white", lw=0.6, zorder=30
        )
    first = pts.drop_duplicates("n")
    labels = maps.place_labels(
        ax, first.geometry.x, first.geometry.y, [str(n) for n in first["n"]], fontsize=7.5, marker=False, weight="bold"
    )
    maps.scale_bar(ax, 50, loc="lower right")
    maps.legend(
        ax,
        [(c, "point", dict(color=col, marker=mk, markersize=6)) for c, (col, mk) in styles.items()]
        + [
            (
                "Peacekeepers' zone, approximate: inside the former\nNKAO (outline), along the line of contact and the\nLachin corridor; Shusha and Hadrut were held by\nAzerbaijan from 2020 and not part of it",
                "patch",
                dict(facecolor="none", hatch="////", edgecolor=P[4]),
            )
        ],
        loc="lower left",
        fontsize=7.5,
    )
    ax.set_title("Russia's military presence in Armenia, and its peacekeepers in Karabakh")
    keys = data.keys_in(m["source_key"]) + maps.NE_KEYS
    # the numbered key: sites sharing a town point share its number
    return Map(fig, keys, list(styles), labels, pts[["n", "site", "cat", "source_key"]].reset_index(drop=True))


CO_CHAIRS_1997 = ["Russia", "France", "United States of America"]


def in_period(day: str, start: str, end: str) -> bool:
    """Whether ``day`` (ISO) falls in [start, end): a blank end is open; a partial date (YYYY or
    YYYY-MM) stands for its first day (until '1999' ends the period before 1 January 1999)."""
    return (not start or start <= day) and (not end or day < end)


def bloc_membership(as_of: str = "2023-09-19"):
    """Membership in September 2023: country -> set of blocs (computed from data/blocs.csv)."""
    b = data.load("blocs")
    b = b[b["role"].isin(["member", "co-chair"])].copy()
    b["country"] = b["country"].replace({"United States": "United States of America"})
    names = {"CSTO": "CSTO", "EAEU": "EAEU", "OSCE Minsk Group co-chair": "Minsk Group co-chair"}
    out: dict[str, set] = {}
    for r in b.to_dict("records"):
        if r["bloc"] in names and in_period(as_of, r["from"], r["until"]):
            out.setdefault(r["country"], set()).add(names[r["bloc"]])
    return out


@_map
def blocs_map():
    """Map 6: CSTO, EAEU and the Minsk Group co-chairs in September 2023."""
    from . import figures

    w = maps.layer("countries_world", crs=maps.CRS_WORLD)
    mem = bloc_membership()

    def colour(n):
        s = mem.get(n, set())
        if {"CSTO", "EAEU"} <= s:
            return P[0]
        if "CSTO" in s:
            return P[5]
        if "EAEU" in s:
            return P[2]
        if n == "Azerbaijan":
            return P[3]
        return maps.LAND

    x0, y0, x1, y1 = maps.extent(-130, 15, 150, 75, crs=maps.CRS_WORLD)
    fig, ax = figures.new(7.0, 7.0 * (y1 - y0) / (x1 - x0) + 0.5)  # the figure takes the map's shape
    ax.set_facecolor(maps.WATER)
    w.plot(ax=ax, color=[colour(n) for n in w["name"]], edgecolor="#9a9a9a", lw=0.25)
    cc = w[w["name"].isin([n for n, s in mem.items() if "Minsk Group co-chair" in s])]
    cc.plot(ax=ax, facecolor="none", edgecolor="black", hatch="....", lw=0.9)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    maps.clean_axes(ax)
    # inset: the South Caucasus, where Armenia is too small to see on the world map
    ix0, iy0, ix1, iy1 = maps.extent(38.5, 36.5, 51.5, 44.5, crs=maps.CRS_WORLD)
    ins = ax.inset_axes([0.70, 0.02, 0.29, 0.62])
    ins.set_facecolor(maps.WATER)
    w.plot(ax=ins, color=[colour(n) for n in w["name"]], edgecolor="#777777", lw=0.4)
    cc.plot(ax=ins, facecolor="none", edgecolor="black", hatch="....", lw=0.6)
    labels = []
    for name, dx, ha in (("Armenia", -0.25, "right"), ("Azerbaijan", 0.25, "left")):
        c = (
            w[w["name"] == name]
            .geometry.iloc[0]
            .intersection(shapely.geometry.box(ix0, iy0, ix1, iy1))
            .representative_point()
        )
        labels.append(
            ins.annotate(
                name,
                (c.x, c.y),
                xytext=(c.x + dx * (ix1 - ix0), c.y - 0.25 * (iy1 - iy0)),
                fontsize=7.5,
                ha=ha,
                va="center",
                color="#222222",
                arrowprops=dict(arrowstyle="-", color="#333333", lw=0.5),
                bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.8),
            )
        )
    ins.set_xlim(ix0, ix1)
    ins.set_ylim(iy0, iy1)
    ins.set_xticks([])
    ins.set_yticks([])
    ins.set_xlabel("")
    ins.set_ylabel("")
    ax.indicate_inset_zoom(ins, edgecolor="#333333", lw=0.6)
    maps.legend(
        ax,
        [
            ("CSTO and Eurasian Economic Union", "patch", dict(facecolor=P[0])),
            ("CSTO only", "patch", dict(facecolor=P[5])),
            ("Azerbaijan (left the CSTO treaty in 1999)", "patch", dict(facecolor=P[3])),
            (
                "OSCE Minsk Group co-chairs (Russia from 1994;\nFrance and the United States from 1997)",
                "patch",
                dict(facecolor="white", hatch="....", edgecolor="black"),
            ),
        ],
        loc="lower left",
        fontsize=7.5,
    )
    ax.set_title("Alliances around the conflict, September 2023")
    b = data.load("blocs")
    keys = data.keys_in(b["source_key"]) + maps.NE_KEYS
    table = pd.DataFrame([{"country": c, "blocs (19 Sept 2023)": "; ".join(sorted(b))} for c, b in sorted(mem.items())])
    return Map(fig, keys, sorted(mem), labels, table)

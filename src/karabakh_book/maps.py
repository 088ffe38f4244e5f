"""One cartographic toolkit for every map in the book.

- Geodata come only from ``data/`` through :func:`karabakh_book.data.load_geo` (validated).
- Regional maps are drawn in a Lambert azimuthal *equal-area* projection centred on the South
  Caucasus (:data:`CRS_REGION`), so areas measured on the map are true areas; the world map uses
  Equal Earth (EPSG:8857), also equal-area.
- Every map has a legend, a scale bar (regional maps), labels placed so they do not collide, the
  Okabe-Ito colour-blind-safe palette of :mod:`karabakh_book.figures`, and a source line (added by
  :func:`karabakh_book.figures.publish`).
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import matplotlib.patches as mpatches
import pandas as pd
from matplotlib.lines import Line2D
from shapely.geometry import box

from . import data, figures

#: Lambert azimuthal equal-area, centred at 40 N 46 E (the middle of the South Caucasus).
CRS_REGION = "+proj=laea +lat_0=40 +lon_0=46 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
#: Equal Earth, for the world map.
CRS_WORLD = "EPSG:8857"

LAND = "#f2f0eb"
LAND_FOCUS = "#e3ded3"
BORDER = "#6b6b6b"
WATER = "#dbe9f4"
P = figures.PALETTE

#: Source keys of the Natural Earth layers (cited under every map).
NE_KEYS = ["naturalearth_10m_v410", "qgis_world_map_2023"]


@lru_cache(maxsize=None)
def _cached(name: str) -> gpd.GeoDataFrame:
    return data.load_geo(name)


def layer(name: str, crs: str | None = CRS_REGION) -> gpd.GeoDataFrame:
    """A validated geodata layer from ``data/``, projected to ``crs`` (None: keep lon/lat)."""
    gdf = _cached(name).copy()
    return gdf.to_crs(crs) if crs else gdf


def area_km2(gdf: gpd.GeoDataFrame) -> pd.Series:
    """Areas in km², measured in the equal-area :data:`CRS_REGION`."""
    return gdf.to_crs(CRS_REGION).area / 1e6


def gazetteer(names=None, crs: str = CRS_REGION) -> gpd.GeoDataFrame:
    """Gazetteer places (only those with coordinates) as points; ``names`` selects and orders."""
    g = data.load("gazetteer")
    if names is not None:
        unknown = set(names) - set(g["name_en"])
        if unknown:
            raise KeyError(f"not in data/gazetteer.csv: {sorted(unknown)}")
        g = g.set_index("name_en").loc[list(names)].reset_index()
    g = g[g["lat"].notna()]
    pts = gpd.GeoDataFrame(
        g, geometry=gpd.points_from_xy(g["lon"].astype(float), g["lat"].astype(float)), crs="EPSG:4326"
    )
    return pts.to_crs(crs)


def gazetteer_point(lon: float, lat: float, crs: str = CRS_REGION) -> tuple[float, float]:
    """A lon/lat position (for a sea or country label) in the map's projection."""
    p = gpd.GeoSeries(gpd.points_from_xy([lon], [lat]), crs="EPSG:4326").to_crs(crs).iloc[0]
    return p.x, p.y


def extent(lon0: float, lat0: float, lon1: float, lat1: float, crs: str = CRS_REGION):
    """The projected bounding box of a lon/lat box."""
    return gpd.GeoSeries([box(lon0, lat0, lon1, lat1)], crs="EPSG:4326").to_crs(crs).total_bounds


def new_map(lonlat_box, width: float = 7.0, height: float = 5.0):
    """A figure with one axis set to the projected extent of ``lonlat_box`` (lon0, lat0, lon1, lat1)."""
    fig, ax = figures.new(width, height)
    x0, y0, x1, y1 = extent(*lonlat_box)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_facecolor(WATER)
    ax.set_xticks([])
    ax.set_yticks([])
    for s in ax.spines.values():
        s.set_visible(True)
        s.set_color("#999999")
        s.set_linewidth(0.6)
    return fig, ax


def clean_axes(ax):
    """No axis labels or ticks on a map (geopandas adds 'Easting [metre]' for projected data)."""
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def base(ax, focus=("Azerbaijan", "Armenia"), label_countries: bool = True, zorder: int = 1):
    """Countries of the region; ``focus`` countries a shade darker."""
    c = layer("countries_region")
    c.plot(
        ax=ax,
        color=[LAND_FOCUS if n in focus else LAND for n in c["name"]],
        edgecolor=BORDER,
        linewidth=0.6,
        zorder=zorder,
    )
    clean_axes(ax)
    if label_countries:
        x0, x1 = ax.get_xlim()
        y0, y1 = ax.get_ylim()
        view = box(x0, y0, x1, y1)
        for _, r in c.iterrows():
            inside = r.geometry.intersection(view)
            if inside.is_empty or inside.area < 0.02 * view.area:
                continue
            pt = inside.representative_point()
            ax.text(
                pt.x,
                pt.y,
                r["name"].upper(),
                ha="center",
                va="center",
                fontsize=7.5,
                color="#555555",
                fontweight="bold",
                alpha=0.8,
                zorder=zorder + 5,
            )
    return ax


def scale_bar(ax, km: float, loc: str = "lower left"):
    """A scale bar of ``km`` kilometres (exact in the equal-area projection near its centre)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    w, h = x1 - x0, y1 - y0
    bx = x0 + 0.04 * w if "left" in loc else x1 - 0.04 * w - km * 1000
    by = y0 + 0.05 * h if "lower" in loc else y1 - 0.08 * h
    ax.add_patch(mpatches.Rectangle((bx, by), km * 1000, 0.008 * h, color="black", zorder=20))
    ax.add_patch(
        mpatches.Rectangle((bx + km * 500, by), km * 500, 0.008 * h, color="white", ec="black", lw=0.5, zorder=21)
    )
    ax.text(bx + km * 500, by + 0.018 * h, f"{km:g} km", ha="center", va="bottom", fontsize=7.5, zorder=21)
    return ax


def place_labels(
    ax,
    xs,
    ys,
    texts,
    fontsize: float = 7,
    color: str = "#222222",
    marker: bool = True,
    marker_color: str = "#222222",
    weight: str = "normal",
    avoid=(),
):
    """Label points without collisions: for each label try eight positions around its point and
    keep the first whose box overlaps no label placed before (nor the boxes in ``avoid``)."""
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    placed = list(avoid)
    offsets = [
        (5, 3, "left", "bottom"),
        (5, -3, "left", "top"),
        (-5, 3, "right", "bottom"),
        (-5, -3, "right", "top"),
        (0, 6, "center", "bottom"),
        (0, -6, "center", "top"),
        (8, 0, "left", "center"),
        (-8, 0, "right", "center"),
    ]
    out = []
    for x, y, t in zip(xs, ys, texts):
        if marker:
            ax.plot(x, y, "o", ms=3.2, color=marker_color, mec="white", mew=0.6, zorder=30)
        chosen = None
        for dx, dy, ha, va in offsets:
            a = ax.annotate(
                t,
                (x, y),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=fontsize,
                color=color,
                weight=weight,
                zorder=31,
                bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.65),
            )
            bb = a.get_window_extent(renderer).expanded(1.02, 1.08)
            if not any(bb.overlaps(p) for p in placed):
                chosen = a
                break
            a.remove()
        if chosen is None:  # every position collides: keep the first one (Map.collisions counts it)
            dx, dy, ha, va = offsets[0]
            chosen = ax.annotate(
                t,
                (x, y),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=fontsize,
                color=color,
                weight=weight,
                zorder=31,
            )
        placed.append(chosen.get_window_extent(renderer))
        out.append(chosen)
    return out


def overlapping(labels) -> int:
    """How many labels overlap another label, measured on the drawn figure (0 on a good map).
    Labels are compared within their own axes (an inset's labels with the inset's)."""
    if not labels:
        return 0
    fig = labels[0].figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [(a.axes, a.get_window_extent(renderer)) for a in labels]
    return sum(
        any(ax_i is ax_j and b_i.overlaps(b_j) for j, (ax_j, b_j) in enumerate(boxes) if j != i)
        for i, (ax_i, b_i) in enumerate(boxes)
    )


def label_places(ax, names, **kw):
    """Mark and label gazetteer places by their ``name_en``; long names are shortened at ' ('."""
    g = gazetteer(names)
    texts = [n.split(" (")[0] for n in g["name_en"]]
    return place_labels(ax, g.geometry.x, g.geometry.y, texts, **kw)


def legend(ax, items, loc: str = "upper right", title: str | None = None, fontsize: float = 7):
    """``items``: list of (label, kind, style) with kind 'patch', 'line' or 'point'."""
    handles = []
    for label, kind, style in items:
        if kind == "patch":
            handles.append(mpatches.Patch(label=label, **style))
        elif kind == "line":
            handles.append(Line2D([], [], label=label, **style))
        else:
            handles.append(Line2D([], [], label=label, ls="none", marker=style.pop("marker", "o"), **style))
    lg = ax.legend(
        handles=handles,
        loc=loc,
        fontsize=fontsize,
        title=title,
        title_fontsize=fontsize,
        frameon=True,
        framealpha=0.92,
        edgecolor="#999999",
    )
    lg.set_zorder(40)
    return lg


#: Sequential blues for choropleths (ColorBrewer Blues, colour-blind safe).
BLUES = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]

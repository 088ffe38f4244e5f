"""Load every file in ``data/`` through one door, validated against its schema.

The schemas live in ``data/datapackage.json`` (a Frictionless Data Package: one resource per
file, each with a Table Schema). :func:`load` validates the file before pandas reads it; any
problem stops with a :class:`DataError` that names the file, the line and the column. Nothing is
dropped or coerced silently: every cell is read as text first and converted only after it passed
the schema.

Beyond the Table Schema, a field may carry ``"x-bibkeys": true``: its cells hold bibliography keys
(one, or several separated by ``;``) and each must resolve in ``references.bib``.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import frictionless
import pandas as pd

from . import memo, paths


class DataError(ValueError):
    """A data file broke its schema. The message names the file, the line and the column."""


def _rel(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(path)


@lru_cache(maxsize=4)
def _package_descriptor(package_path: str) -> dict:
    with open(package_path, encoding="utf-8") as fh:
        return json.load(fh)


def package(package_path: Path | None = None) -> dict:
    """The data package descriptor (a dict)."""
    return _package_descriptor(str(package_path or paths.DATAPACKAGE))


def resource_names(package_path: Path | None = None) -> list[str]:
    return [r["name"] for r in package(package_path)["resources"]]


def resource(name: str, package_path: Path | None = None) -> dict:
    for res in package(package_path)["resources"]:
        if res["name"] == name:
            return res
    raise KeyError(f"no resource {name!r} in {_rel(package_path or paths.DATAPACKAGE)}")


def _format_error(file: str, err, schema: dict) -> str:
    row = getattr(err, "row_number", None)
    field = getattr(err, "field_name", None)
    kind = type(err).__name__
    if kind == "PrimaryKeyError":
        field = (
            "+".join(schema.get("primaryKey", []))
            if isinstance(schema.get("primaryKey"), list)
            else schema.get("primaryKey")
        )
        what = f"duplicate key ({err.note})"
    elif kind == "ConstraintError" and "enum" in err.note:
        allowed = next((f["constraints"]["enum"] for f in schema["fields"] if f["name"] == field), [])
        what = f"value {err.cell!r} is not one of the allowed categories {allowed}"
    elif kind == "ConstraintError" and "required" in err.note:
        what = "a required value is missing"
    elif kind == "TypeError":
        ftype = next((f.get("type") for f in schema["fields"] if f["name"] == field), "?")
        what = f"value {err.cell!r} is not of type {ftype}"
    else:
        what = err.message
    where = f"line {row}" if row else "header"
    col = f", column '{field}'" if field else ""
    return f"{file}: {where}{col}: {what}"


def validate_file(path: Path, schema: dict, bib_keys: set[str] | None = None) -> None:
    """Validate one CSV against a Table Schema; raise :class:`DataError` listing every problem.

    The file's encoding and shape (UTF-8, as many fields in every row as in the header) are checked
    first, by the book's own reader, so that no other reader meets a malformed file; then the Table
    Schema; then the book's own formats (``x-format``: figures, partial dates, spans, claimed
    values) and non-blank required text, on every row."""
    path = Path(path)
    file = _rel(path)
    if not path.is_file():
        raise DataError(f"{file}: file is missing")
    rows = _read_rows(path)
    res = frictionless.Resource(
        path=path.name,
        basepath=str(path.parent),
        schema=frictionless.Schema.from_descriptor(_table_schema(schema)),
        detector=frictionless.Detector(schema_sync=False),
    )
    report = res.validate(frictionless.Checklist())
    problems = []
    for task in report.tasks:
        for err in task.errors:
            problems.append(_format_error(file, err, schema))
    problems += _check_header(path, schema)
    problems += _check_formats(file, rows, schema)
    problems += _check_bib_keys(path, schema, bib_keys)
    if problems:
        raise DataError("\n".join(dict.fromkeys(problems)))


def _read_rows(path: Path) -> list[dict]:
    """The rows of a CSV as text, or a DataError naming the file and the line: not UTF-8, or a row
    with more or fewer fields than the header."""
    import csv

    file = _rel(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            f"{file}: line {line}: not UTF-8 text (byte {raw[exc.start]:#04x}); save the file as UTF-8"
        ) from None
    reader = csv.reader(text.splitlines())
    header = next(reader, [])
    rows, problems = [], []
    for i, cells in enumerate(reader, start=2):
        if len(cells) != len(header):
            problems.append(f"{file}: line {i}: {len(cells)} fields, but the header has {len(header)}")
            continue
        rows.append(dict(zip(header, cells)))
    if problems:
        raise DataError("\n".join(problems))
    return rows


_FIGURE = re.compile(r"-?\d+(\.\d+)?")
_PARTIAL_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _when_ok(v: str) -> bool:
    """A partial date (see :func:`_partial_date_ok`) or a real date with a real time, YYYY-MM-DDTHH:MM."""
    if "T" not in v:
        return _partial_date_ok(v)
    day, _, time = v.partition("T")
    m = re.fullmatch(r"(\d{2}):(\d{2})", time)
    return len(day) == 10 and _partial_date_ok(day) and bool(m) and int(m.group(1)) < 24 and int(m.group(2)) < 60


def _partial_date_ok(v: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a real calendar date."""
    if not _PARTIAL_DATE.fullmatch(v):
        return False
    import datetime as dt

    y, *rest = (int(x) for x in v.split("-"))
    try:
        dt.date(y, rest[0] if rest else 1, rest[1] if len(rest) > 1 else 1)
    except ValueError:
        return False
    return True


def _span_ok(v: str) -> bool:
    """A partial date, or two joined by '/' (or two years by '-'), the first not after the second."""
    if _partial_date_ok(v):
        return True
    for sep in ("/", "-"):
        parts = v.split(sep)
        if (
            len(parts) == 2
            and all(_partial_date_ok(p) for p in parts)
            and (sep == "/" or len(parts[0]) == 4 == len(parts[1]))
        ):
            return parts[0] <= parts[1]
    return False


#: The book's own cell formats (``x-format`` in a field of datapackage.json), each with what it
#: accepts, in words for the error message.
FORMATS = {
    "figure": (
        lambda v: bool(_FIGURE.fullmatch(v)),
        "a figure: digits with an optional '.' decimal, no thousands separators (100000, 13.8)",
    ),
    "partial-date": (_partial_date_ok, "a real date as YYYY, YYYY-MM or YYYY-MM-DD"),
    "when": (_when_ok, "a real date as YYYY, YYYY-MM or YYYY-MM-DD, or a date and time YYYY-MM-DDTHH:MM"),
    "date-span": (_span_ok, "a date (YYYY, YYYY-MM, YYYY-MM-DD) or a span of two (YYYY-MM-DD/YYYY-MM-DD, YYYY-YYYY)"),
    "figure-or-date": (
        lambda v: bool(_FIGURE.fullmatch(v)) or _partial_date_ok(v),
        "a figure (digits, optional '.' decimal) or a date YYYY[-MM[-DD]]",
    ),
    "claimed-value": (
        lambda v: (
            bool(_FIGURE.fullmatch(v))
            or _span_ok(v)
            or (v.count("-") == 1 and all(_FIGURE.fullmatch(p) for p in v.split("-")))
        ),
        "a figure, a range of two figures (20-24), or a date or span of dates",
    ),
}


def _check_formats(file: str, rows: list[dict], schema: dict) -> list[str]:
    """Every row, whatever its role: cells of a field with ``x-format`` have that form, and
    required text is not blank (a reason of three spaces is no reason)."""
    out = []
    for f in schema["fields"]:
        name, fmt = f["name"], f.get("x-format")
        required = f.get("constraints", {}).get("required")
        for i, row in enumerate(rows, start=2):
            v = row.get(name, "")
            if required and v and not v.strip():
                out.append(f"{file}: line {i}, column '{name}': blank text (only spaces) where a value is required")
                continue
            if fmt and v.strip():
                ok, what = FORMATS[fmt]
                if v != v.strip() or not ok(v):
                    out.append(f"{file}: line {i}, column '{name}': {v!r} is not {what}")
    return out


def _table_schema(schema: dict) -> dict:
    """The schema without this book's own ``x-`` properties (Frictionless rejects unknown ones)."""
    clean = {k: v for k, v in schema.items() if not k.startswith("x-")}
    clean["fields"] = [{k: v for k, v in f.items() if not k.startswith("x-")} for f in schema["fields"]]
    return clean


def _check_header(path: Path, schema: dict) -> list[str]:
    with open(path, encoding="utf-8", newline="") as fh:
        header = fh.readline().rstrip("\r\n").split(",")
    expected = [f["name"] for f in schema["fields"]]
    if header != expected:
        return [f"{_rel(path)}: line 1 (header): columns {header} differ from the schema's {expected}"]
    return []


def _check_bib_keys(path: Path, schema: dict, bib_keys: set[str] | None) -> list[str]:
    fields = [f["name"] for f in schema["fields"] if f.get("x-bibkeys")]
    if not fields:
        return []
    if bib_keys is None:
        from .cite import bib_keys as _keys

        bib_keys = _keys()
    raw = pd.DataFrame(_read_rows(path))
    out = []
    for i, row in raw.iterrows():
        for field in fields:
            for key in split_keys(row[field]):
                if key not in bib_keys:
                    out.append(
                        f"{_rel(path)}: line {i + 2}, column '{field}': "
                        f"source key {key!r} does not resolve in references.bib"
                    )
    return out


def split_keys(cell: str) -> list[str]:
    return [k.strip() for k in str(cell).split(";") if k.strip()]


def keys_in(cells) -> list[str]:
    """Every bibliography key in a column of ``;``-separated key cells, once each, in first-seen order."""
    return list(dict.fromkeys(k for cell in cells for k in split_keys(cell)))


_PANDAS_TYPES = {"integer": "Int64", "number": "Float64", "boolean": "boolean"}


def _convert(raw: pd.DataFrame, schema: dict) -> pd.DataFrame:
    out = raw.copy()
    for f in schema["fields"]:
        name, ftype = f["name"], f.get("type", "string")
        col = raw[name].replace("", pd.NA)
        if ftype in ("integer", "number"):
            out[name] = pd.to_numeric(col, errors="raise").astype(_PANDAS_TYPES[ftype])
        elif ftype == "boolean":
            out[name] = col.map({"true": True, "false": False}).astype("boolean")
        elif ftype == "date":
            out[name] = pd.to_datetime(col, format="%Y-%m-%d", errors="raise")
        else:
            out[name] = raw[name]
    return out


def stamp(*files: Path) -> tuple:
    """Where, how big and how recent each file is: a process reuses what it validated only while
    every file it was made from is unchanged."""
    out = []
    for f in files:
        try:
            st = Path(f).stat()
            out.append((str(Path(f).resolve()), st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((str(f), None, None))
    return tuple(out)


_LOADED: dict[tuple, pd.DataFrame] = {}


def load(name: str, *, package_path: Path | None = None, bib_keys: set[str] | None = None) -> pd.DataFrame:
    """Validate and load the data package resource ``name`` as a DataFrame. A process validates a
    file once: later calls get a copy, until the file, the package or the bibliography changes."""
    res = resource(name, package_path)
    base = Path(package_path).parent if package_path else paths.DATA
    path = base / res["path"]
    key = (
        name,
        frozenset(bib_keys) if bib_keys is not None else None,
        stamp(path, Path(package_path) if package_path else paths.DATAPACKAGE, paths.BIB_FILE),
    )
    if key in _LOADED:
        return _LOADED[key].copy()

    def validated() -> pd.DataFrame:
        validate_file(path, res["schema"], bib_keys)
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
        df = _convert(raw, res["schema"])
        df.attrs["source_file"] = _rel(path)
        df.attrs["title"] = res.get("title", name)
        return df

    if package_path is None and bib_keys is None:  # the book's own data: shared by a build's processes
        df = memo.cached(f"data-{name}", [path, paths.DATAPACKAGE, paths.BIB_FILE], validated)
    else:
        df = validated()
    _LOADED[key] = df
    return df.copy()


# --- geodata ---------------------------------------------------------------------------------
#
# GeoJSON resources carry ``"format": "geojson"`` and an ``x-geo`` block instead of a Table
# Schema: the geometry types allowed, the properties every feature must have (with their types),
# a ``key`` property that must be unique, and ``x-source-keys`` (resolved in references.bib).

_GEO_TYPES = {"string": str, "number": (int, float), "integer": int}


def _is_wgs84(name: str) -> bool:
    """Whether a GeoJSON ``crs`` name is WGS 84 longitude/latitude (CRS84, EPSG:4326 in any spelling)."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        return CRS.from_user_input(name).equals(CRS("EPSG:4326"), ignore_axis_order=True)
    except CRSError:
        return False


def validate_geo(path: Path, spec: dict, bib_keys: set[str] | None = None) -> None:
    """Check a GeoJSON file against its ``x-geo`` spec; raise :class:`DataError` naming the
    file, the feature (1-based, in file order) and the property."""
    import shapely.geometry
    from shapely.validation import explain_validity

    path = Path(path)
    file = _rel(path)
    if not path.is_file():
        raise DataError(f"{file}: file is missing")
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"{file}: line {exc.lineno}: not valid JSON ({exc.msg})") from None
    problems = []
    crs = (obj.get("crs") or {}).get("properties", {}).get("name", "urn:ogc:def:crs:OGC:1.3:CRS84")
    if not _is_wgs84(crs):
        problems.append(f"{file}: crs is {crs!r}, expected OGC CRS84 or EPSG:4326 (longitude/latitude, WGS 84)")
    if obj.get("type") != "FeatureCollection":
        problems.append(f"{file}: top level is {obj.get('type')!r}, expected 'FeatureCollection'")
    seen = {}
    key = spec.get("key")
    for n, feat in enumerate(obj.get("features", []), start=1):
        where = f"{file}: feature {n}"
        props = feat.get("properties") or {}
        for prop in spec.get("properties", []):
            name, ptype = prop["name"], prop.get("type", "string")
            value = props.get(name)
            if value is None or value == "":
                if prop.get("required", True):
                    problems.append(f"{where}, property '{name}': a required value is missing")
                continue
            if not isinstance(value, _GEO_TYPES[ptype]) or isinstance(value, bool):
                problems.append(f"{where}, property '{name}': value {value!r} is not of type {ptype}")
            if "enum" in prop and value not in prop["enum"]:
                problems.append(f"{where}, property '{name}': value {value!r} is not one of {prop['enum']}")
        if key:
            kv = props.get(key)
            if kv in seen:
                problems.append(f"{where}, property '{key}': duplicate key {kv!r} (also feature {seen[kv]})")
            seen[kv] = n
        try:
            geom = shapely.geometry.shape(feat.get("geometry"))
        except Exception as exc:  # noqa: BLE001 - any parse failure is a data error
            problems.append(f"{where}, geometry: cannot be read ({exc})")
            continue
        if geom.is_empty:
            problems.append(f"{where}, geometry: empty")
        elif geom.geom_type not in spec["geometry_types"]:
            problems.append(f"{where}, geometry: {geom.geom_type} is not one of {spec['geometry_types']}")
        elif not geom.is_valid:
            problems.append(f"{where}, geometry: invalid ({explain_validity(geom)})")
        else:
            x0, y0, x1, y1 = geom.bounds
            if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
                problems.append(f"{where}, geometry: coordinates outside longitude/latitude range")
    if not obj.get("features"):
        problems.append(f"{file}: no features")
    if bib_keys is None:
        from .cite import bib_keys as _keys

        bib_keys = _keys()
    for k in spec.get("x-source-keys", []):
        if k not in bib_keys:
            problems.append(f"{file}: source key {k!r} (datapackage.json) does not resolve in references.bib")
    if problems:
        raise DataError("\n".join(problems))


def load_geo(name: str, *, package_path: Path | None = None, bib_keys: set[str] | None = None):
    """Validate and load a GeoJSON resource as a GeoDataFrame in EPSG:4326."""
    import geopandas as gpd

    res = resource(name, package_path)
    if res.get("format") != "geojson":
        raise DataError(f"resource {name!r} is not a geojson resource")
    base = Path(package_path).parent if package_path else paths.DATA
    path = base / res["path"]

    def validated():
        validate_geo(path, {**res["x-geo"], "x-source-keys": res.get("x-source-keys", [])}, bib_keys)
        gdf = gpd.read_file(path)
        if gdf.crs is None:  # RFC 7946: a file without a crs member is WGS 84 longitude/latitude
            gdf = gdf.set_crs("EPSG:4326")
        elif gdf.crs.to_epsg() != 4326:
            raise DataError(f"{_rel(path)}: read as {gdf.crs.to_string()}, expected EPSG:4326 (longitude/latitude)")
        gdf.attrs["source_file"] = _rel(path)
        gdf.attrs["source_keys"] = list(res.get("x-source-keys", []))
        return gdf

    if package_path is None and bib_keys is None:  # the book's own map layers: shared by a build's processes
        return memo.cached(f"geo-{name}", [path, paths.DATAPACKAGE, paths.BIB_FILE], validated)
    return validated()

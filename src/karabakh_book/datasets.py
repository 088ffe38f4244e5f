"""The data package documented for readers: the "Datasets" and "Data dictionary" pages.

Both pages are generated from ``data/datapackage.json`` (and the files it describes), so they can
not drift from the data: a resource's title, description, provenance (source, retrieval date, the
script that made it), licence and fields are written once, in the package.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from IPython.display import Markdown

from . import data, paths
from .present import _escape

#: Every resource must say these (tested), so the Datasets page has no blanks.
PROVENANCE_FIELDS = ("title", "description", "x-source", "x-retrieved", "x-script")


def _licence(res: dict, pkg: dict, short: bool = False) -> str:
    lic = res.get("licenses") or pkg.get("licenses") or []
    pick = (lambda x: x.get("name")) if short else (lambda x: x.get("title") or x.get("name"))
    return "; ".join(pick(x) for x in lic) or "not stated"


def source_keys(name: str) -> list[str]:
    """Bibliography keys a resource draws on: its rows' source columns and ``x-source-keys``."""
    res = data.resource(name)
    keys = list(res.get("x-source-keys", []))
    if res.get("format") != "geojson":
        df = data.load(name)
        for f in res["schema"]["fields"]:
            if f.get("x-bibkeys"):
                keys += data.keys_in(df[f["name"]])
    return sorted(set(keys))


def size(name: str) -> tuple[int, int]:
    """(rows or features, fields or properties) of a resource."""
    res = data.resource(name)
    if res.get("format") == "geojson":
        gj = json.loads((paths.DATA / res["path"]).read_text(encoding="utf-8"))
        return len(gj["features"]), len(res["x-geo"]["properties"])
    df = data.load(name)
    return len(df), len(df.columns)


def overview() -> pd.DataFrame:
    pkg = data.package()
    rows = []
    for res in pkg["resources"]:
        n, k = size(res["name"])
        rows.append(
            {
                "name": res["name"],
                "file": "data/" + res["path"],
                "title": res["title"],
                "link": f"{{ref}}`{res['name']} <dataset-{res['name'].replace('_', '-')}>`",
                "rows": n,
                "fields": k,
                "licence": _licence(res, pkg, short=True),
                "retrieved": res["x-retrieved"],
                "script": res["x-script"],
                "sources": len(source_keys(res["name"])),
            }
        )
    return pd.DataFrame(rows)


def datasets_page() -> Markdown:
    """One section per dataset: what it is, where it came from, its licence, a download link."""
    pkg = data.package()
    out = []
    for res in pkg["resources"]:
        name = res["name"]
        n, k = size(name)
        unit = "features" if res.get("format") == "geojson" else "rows"
        keys = source_keys(name)
        # Every key is cited here, so every source a dataset uses is in the bibliography page even
        # when no chapter shows that row; long lists fold away in HTML.
        cite_all = "{cite:p}`" + ",".join(keys) + "`"
        cites = (
            cite_all
            if len(keys) <= 12
            else f"{len(keys)} sources, cited per row:\n\n  :::{{dropdown}} the {len(keys)} sources\n  "
            f"{cite_all}\n  :::\n"
        )
        out += [
            f"({'dataset-' + name.replace('_', '-')})=",
            f"### {res['title']}",
            "",
            _escape(res["description"]),
            "",
            f"- **File:** {{download}}`data/{res['path']} <../data/{res['path']}>` "
            f"({n} {unit}, {k} {'properties' if unit == 'features' else 'fields'}; "
            f"fields in {{ref}}`the data dictionary <dict-{name.replace('_', '-')}>`)",
            f"- **Source:** {_escape(res['x-source'])}",
            f"- **Sources cited:** {cites}"
            if keys
            else "- **Sources cited:** none (derived from the book's own files)",
            f"- **Retrieved / compiled:** {res['x-retrieved']}",
            f"- **Made by:** {_escape(res['x-script'])}",
            f"- **Licence:** {_licence(res, pkg)}",
            "",
        ]
    return Markdown("\n".join(out))


def _constraints(f: dict) -> str:
    c = f.get("constraints", {})
    out = []
    if c.get("required"):
        out.append("required")
    if c.get("unique"):
        out.append("unique")
    if "enum" in c:
        vals = [v for v in c["enum"] if v != ""]
        out.append("one of: " + ", ".join(f"`{v}`" for v in vals))
    if "pattern" in c:
        out.append(f"pattern `{c['pattern']}`")
    for k in ("minimum", "maximum"):
        if k in c:
            out.append(f"{k} {c[k]}")
    if f.get("x-bibkeys"):
        out.append("bibliography keys")
    return "; ".join(out)


def dictionary_page() -> Markdown:
    """Every field of every dataset: name, type, unit, meaning and constraints."""
    pkg = data.package()
    out = []
    for res in pkg["resources"]:
        name = res["name"]
        out += [
            f"({'dict-' + name.replace('_', '-')})=",
            f"### `{res['path']}`",
            "",
            f"{_escape(res['title'])} ({{ref}}`provenance <dataset-{name.replace('_', '-')}>`).",
            "",
        ]
        if res.get("format") == "geojson":
            geo = res["x-geo"]
            out += [
                f"GeoJSON, WGS 84; geometry {', '.join(geo['geometry_types'])}; "
                f"one feature per `{geo['key']}` (unique).",
                "",
                "```{tabularcolumns} L{0.3}L{0.7}",
                "```",
                "",
                "| property | constraints |",
                "|---|---|",
            ]
            for p in geo["properties"]:
                out.append(
                    f"| `{p['name']}` | {_constraints({'constraints': {'enum': p['enum']}} if 'enum' in p else {})} |"
                )
        else:
            pk = res["schema"].get("primaryKey")
            if pk:
                out += [f"Primary key: {', '.join(f'`{k}`' for k in ([pk] if isinstance(pk, str) else pk))}.", ""]
            # PDF: the field names and patterns are code, which does not break or hyphenate; their
            # columns are wide enough to hold the longest of them whole.
            out += [
                "```{tabularcolumns} L{0.22}L{0.09}L{0.09}L{0.26}L{0.34}",
                "```",
                "",
                "| field | type | unit | meaning | constraints |",
                "|---|---|---|---|---|",
            ]
            for f in res["schema"]["fields"]:
                out.append(
                    f"| `{f['name']}` | {f.get('type', 'string')} | {_escape(f.get('x-unit', ''))} | "
                    f"{_escape(f.get('description', ''))} | {_escape_pipes(_constraints(f))} |"
                )
        out.append("")
    return Markdown("\n".join(out))


def _escape_pipes(s: str) -> str:
    return s.replace("|", "\\|")


#: The name of the data package as one download (built into ``_generated/``).
ZIP_NAME = "karabakh-claims-data.zip"


def package_zip() -> bytes:
    """The data package as one zip: ``datapackage.json`` at the top with its resources under
    ``data/``, the bibliography their source keys resolve in, and the licence texts. Unzipped, it
    validates with ``frictionless validate datapackage.json``. Entries carry a fixed timestamp, so
    the same data give the same bytes."""
    import io
    import zipfile

    pkg = json.loads((paths.DATA / "datapackage.json").read_text(encoding="utf-8"))
    files = [
        ("references.bib", paths.ROOT / "references.bib"),
        ("LICENSE-CC-BY-4.0.txt", paths.ROOT / "LICENSE-CC-BY-4.0.txt"),
        ("LICENSES.md", paths.ROOT / "LICENSES.md"),
    ]
    for res in pkg["resources"]:
        files.append((f"data/{res['path']}", paths.DATA / res["path"]))
        res["path"] = f"data/{res['path']}"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:

        def add(name: str, payload: bytes):
            info = zipfile.ZipInfo(name, date_time=(2023, 9, 19, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, payload)

        add("datapackage.json", (json.dumps(pkg, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
        for name, path in files:
            add(name, path.read_bytes())
    return buf.getvalue()


def write_zip(folder) -> Path:
    """Write :func:`package_zip` into ``folder`` (only when its bytes change) and return its path."""
    target = Path(folder) / ZIP_NAME
    payload = package_zip()
    if not target.exists() or target.read_bytes() != payload:
        target.write_bytes(payload)
    return target

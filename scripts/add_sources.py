"""Append bibliography entries for source keys that data/ uses but references.bib lacks.

Usage: ``python scripts/add_sources.py SOURCES.csv [...]``. Each CSV has the research team's
source table columns: key, outlet, author, title, url, date_published (YYYY-MM-DD, YYYY or
blank), language, perspective, tier, note, and optionally accessed (YYYY-MM-DD, default today).
Only keys used somewhere in data/ (a ``source_key``/``sources`` column or a resource's
``x-source-keys``) or cited in a chapter and not yet in references.bib are added; nothing is overwritten. Every
entry gets the outlet as corporate author, the URL, the access date and either the publication
date or the note "No publication date shown on the stored page".
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()


def esc(s: str) -> str:
    s = s or ""
    return (
        s.replace("\\", "")
        .replace("{", "(")
        .replace("}", ")")
        .replace("%", "\\%")
        .replace("&", "\\&")
        .replace("#", "\\#")
        .replace("_", "\\_")
    )


def entry(key: str, r: dict) -> str:
    d = (r.get("date_published") or "").strip()
    acc = (r.get("accessed") or "").strip() or dt.date.today().isoformat()
    outlet = esc(r.get("outlet") or r.get("author") or "Unknown").strip()
    f = [
        ("author", "{{" + outlet + "}}"),
        ("title", "{" + esc(r["title"]) + "}"),
        ("organization", "{" + outlet + "}"),
        ("howpublished", "{" + outlet + "}"),
        ("url", "{" + r["url"].strip() + "}"),
        ("urldate", "{" + acc + "}"),
    ]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d):
        f += [("date", "{" + d + "}"), ("year", "{" + d[:4] + "}"), ("month", MONTHS[int(d[5:7]) - 1])]
        note = f"Published {d}; accessed {acc}"
    elif re.fullmatch(r"\d{4}", d):
        f += [("date", "{" + d + "}"), ("year", "{" + d + "}")]
        note = f"Published {d}; accessed {acc}"
    else:
        f += [("year", "{n.d.}")]
        note = f"No publication date shown on the stored page; accessed {acc}"
    if r.get("language", "").strip():
        f.append(("langid", "{" + r["language"].strip() + "}"))
    if r.get("perspective", "").strip():
        f.append(("keywords", "{" + r["perspective"].strip() + "}"))
    if r.get("tier", "").strip():
        f.append(("tier", "{" + r["tier"].strip() + "}"))
    if r.get("author", "").strip():
        note = "By " + esc(r["author"]).strip() + ". " + note
    if r.get("extra_note", "").strip():
        note += ". " + esc(r["extra_note"]).strip()
    f.append(("note", "{" + note + "}"))
    return "@misc{" + key + ",\n" + ",\n".join(f"  {a} = {b}" for a, b in f) + "\n}\n"


def used_keys() -> set[str]:
    used = set()
    for p in (ROOT / "data").glob("*.csv"):
        with open(p, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                for col in ("source_key", "sources"):
                    used |= {k.strip() for k in (row.get(col) or "").split(";") if k.strip()}
    pkg = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for res in pkg["resources"]:
        used |= set(res.get("x-source-keys", []))
    for md in (ROOT / "chapters").glob("*.md"):
        for m in re.finditer(r"\{cite:[pt]\}`([^`]+)`", md.read_text(encoding="utf-8")):
            used |= {k.strip() for k in m.group(1).split(",")}
    return used


def main(paths: list[str]) -> None:
    bib = ROOT / "references.bib"
    text = bib.read_text(encoding="utf-8")
    have = set(re.findall(r"@\w+\{([^,]+),", text))
    sources = {}
    for p in paths:
        with open(p, encoding="utf-8-sig", newline="") as fh:
            for r in csv.DictReader(fh):
                sources.setdefault(r["key"].strip(), r)
    need = sorted(used_keys() - have)
    added = [k for k in need if k in sources]
    missing = [k for k in need if k not in sources]
    if added:
        bib.write_text(text.rstrip("\n") + "\n\n" + "\n".join(entry(k, sources[k]) for k in added), encoding="utf-8")
    print(f"added {len(added)} entries: {added}")
    if missing:
        sys.exit(f"still unresolved (not in the given tables): {missing}")


if __name__ == "__main__":
    main(sys.argv[1:])

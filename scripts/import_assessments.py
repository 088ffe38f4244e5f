"""Import the assessments of the text's interpretive claims (reviews/assessments_2026-11-30/).

Each ``assess_*.json`` holds, per registry row: the assessment on the Method chapter's scale, a
one-sentence reason, the confidence, what was searched, the sources read (URL, outlet, title, date
shown, language, tier, perspective, the source's own words) and proposed premise rows. This script
writes them into ``data/claims.csv`` (verdict, reason, confidence, searched, sources), appends new
premise rows with the next free id of their point, records the sources' words in
``data/source_words.csv`` and appends bibliography entries for new URLs (an URL already in
``references.bib`` reuses its key). Run once per batch; it refuses to re-import a row already assessed.

Usage: ``python scripts/import_assessments.py reviews/assessments_2026-11-30/assess_A.json [...]``
"""

from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import add_sources  # noqa: E402

ASSESSMENTS = ["supported by the record", "partly supported", "unsupported", "contradicted by the record", "opinion"]
TIERS = ["primary", "wire", "news", "research", "reference", "copy"]


def read_csv(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, encoding="utf-8", newline="") as fh:
        r = csv.DictReader(fh)
        return list(r.fieldnames), list(r)


def write_csv(path: Path, fields: list[str], rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def slug(s: str, n: int = 2) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    words = [
        w
        for w in re.findall(r"[a-z0-9]+", s)
        if w not in {"the", "a", "of", "and", "in", "on", "to", "for", "la", "le", "de", "des", "du"}
    ]
    return "".join(words[:1]) if n == 1 else "".join(w for w in words[:n])


def unique_key(outlet: str, date: str, title: str, have: set[str]) -> str:
    """A new bibliography key ``outlet_year_titlewords``, with a letter where it is already taken;
    the key is added to ``have``."""
    base = f"{slug(outlet, 1) or 'source'}_{(date or '')[:4] or 'nd'}_{slug(title, 2) or 'page'}"
    k, i = base, 1
    while k in have:
        i += 1
        k = f"{base}{chr(ord('a') + i - 2)}"
    have.add(k)
    return k


def bib_urls() -> dict[str, str]:
    text = (ROOT / "references.bib").read_text(encoding="utf-8")
    out = {}
    for key, body in re.findall(r"@\w+\{([^,]+),(.*?)\n\}", text, re.S):
        m = re.search(r"\burl = \{([^}]*)\}", body)
        if m:
            out[m.group(1).strip()] = key
    return out


def main(files: list[str]) -> None:
    fields, reg = read_csv(ROOT / "data" / "claims.csv")
    by_id = {r["id"]: r for r in reg}
    urls = bib_urls()
    have = set(urls.values()) | set(
        re.findall(r"@\w+\{([^,]+),", (ROOT / "references.bib").read_text(encoding="utf-8"))
    )
    new_sources: dict[str, dict] = {}
    words_path = ROOT / "data" / "source_words.csv"
    wfields = ["claim_id", "source_key", "words", "words_en"]
    words = read_csv(words_path)[1] if words_path.exists() else []

    def key_for(s: dict) -> str:
        url = s["url"].strip()
        if url in urls:
            return urls[url]
        k = unique_key(s["outlet"], s.get("date") or "", s.get("title") or url, have)
        urls[url] = k
        if s.get("tier") not in TIERS:
            sys.exit(f"{s['url']}: unknown tier {s.get('tier')!r}")
        note = f"Copy of: {s['copy_of']}" if s.get("copy_of") else ""
        new_sources[k] = {
            "key": k,
            "outlet": s["outlet"],
            "author": "",
            "title": s.get("title") or url,
            "url": url,
            "date_published": s.get("date") or "",
            "language": s.get("language") or "",
            "perspective": s.get("perspective") or "",
            "tier": s["tier"],
            "extra_note": note,
        }
        return k

    def add_words(cid: str, sources: list[dict]) -> list[str]:
        keys = []
        for s in sources:
            k = key_for(s)
            keys.append(k)
            if s.get("words", "").strip():
                words.append(
                    {
                        "claim_id": cid,
                        "source_key": k,
                        "words": s["words"].strip(),
                        "words_en": (s.get("words_en") or "").strip(),
                    }
                )
        return keys

    def next_id(point_prefix: str) -> str:
        nums = [int(r["id"].split("-")[1]) for r in reg if r["id"].split("-")[0] == point_prefix]
        return f"{point_prefix}-{max(nums) + 1:02d}"

    for f in files:
        for a in json.loads(Path(f).read_text(encoding="utf-8")):
            row = by_id[a["id"]]
            if row["verdict"] != "interpretation":
                sys.exit(f"{f}: {a['id']} is already rated {row['verdict']!r}; not re-imported")
            if a["assessment"] not in ASSESSMENTS:
                sys.exit(f"{f}: {a['id']}: {a['assessment']!r} is not on the scale")
            keys = add_words(a["id"], a.get("sources", []))
            old = [k for k in row["sources"].split(";") if k.strip()]
            row.update(
                verdict=a["assessment"],
                reason=a["reason"].strip(),
                confidence=a["confidence"],
                sources=";".join(dict.fromkeys(old + keys)),
            )
            if a.get("searched", "").strip():
                row["searched"] = a["searched"].strip()
            for p in a.get("new_premises", []):
                prefix = a["id"].split("-")[0]
                nid = next_id(prefix)
                pkeys = add_words(nid, p.get("sources", []))
                new = {k: "" for k in fields}
                new.update(
                    id=nid,
                    point=row["point"],
                    quote_de=p["quote_de"],
                    claim_en=p["claim_en"],
                    type=p["type"],
                    verdict=p["verdict"],
                    reason=p["reason"],
                    sources=";".join(pkeys),
                    confidence=p.get("confidence", "medium"),
                    searched=p.get("searched", ""),
                )
                at = max(i for i, r in enumerate(reg) if r["id"].split("-")[0] == prefix)
                reg.insert(at + 1, new)
                by_id[nid] = new
                print(f"{a['id']}: new premise {nid}: {p['claim_en']}")
    write_csv(ROOT / "data" / "claims.csv", fields, reg)
    write_csv(words_path, wfields, words)
    table = ROOT / "_generated" / "new_sources.csv"
    table.parent.mkdir(exist_ok=True)
    write_csv(
        table,
        ["key", "outlet", "author", "title", "url", "date_published", "language", "perspective", "tier", "extra_note"],
        list(new_sources.values()),
    )
    add_sources.main([str(table)])


if __name__ == "__main__":
    main(sys.argv[1:])

"""Import the sources' own words for the evidence rows (reviews/source_words_2026-11-30/).

Each ``words_N.csv`` was written by a helper who re-opened the stored page of every evidence row of
a packet (``row`` is the line of ``data/evidence.csv`` when the packet was cut, so rows are matched
on claim, source key, value, date and party instead). For a found page this script writes the words
into ``source_words``/``source_words_en``; where the source was a copy and its original was found
stored, the row cites the original (a new bibliography entry, or the existing one with that URL)
and carries the original's words; where the page showed a publication date and the bibliography
entry had none, the entry gets it. Bibliography entries no longer used anywhere are removed.

Usage: ``python scripts/import_source_words.py PACKETS_DIR WORDS_DIR``
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import add_sources  # noqa: E402
import import_assessments as ia  # noqa: E402

MONTHS = add_sources.MONTHS
ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def set_date(bib: str, key: str, date: str) -> str:
    """Give an undated entry the publication date its page shows."""
    m = re.search(r"(@\w+\{" + re.escape(key) + r",.*?\n\})", bib, re.S)
    if not m or "year = {n.d.}" not in m.group(1):
        return bib
    body = m.group(1)
    new = body.replace(
        "  year = {n.d.}", f"  date = {{{date}}},\n  year = {{{date[:4]}}},\n  month = {MONTHS[int(date[5:7]) - 1]}"
    )
    new = new.replace("No publication date shown on the stored page", f"Published {date}")
    return bib.replace(body, new)


def drop_unused(bib: str) -> tuple[str, list[str]]:
    used = add_sources.used_keys()
    dropped = []
    for m in list(re.finditer(r"@\w+\{([^,]+),.*?\n\}\n*", bib, re.S))[::-1]:
        if m.group(1) not in used:
            dropped.append(m.group(1))
            bib = bib[: m.start()] + bib[m.end() :]
    return bib.rstrip("\n") + "\n", dropped


def main(packets: str, words_dir: str) -> None:
    efields, ev = ia.read_csv(ROOT / "data" / "evidence.csv")
    index = {(r["claim_id"], r["source_key"], r["value_low"], r["as_of"], r["party"]): r for r in ev}
    urls = ia.bib_urls()
    bib_path = ROOT / "references.bib"
    have = set(re.findall(r"@\w+\{([^,]+),", bib_path.read_text(encoding="utf-8")))
    new_sources, dates, n_words, n_orig = {}, {}, 0, 0
    for wf in sorted(Path(words_dir).glob("words_*.csv")):
        pk = {
            r["row"]: r
            for r in csv.DictReader(open(Path(packets) / wf.name.replace("words_", "evidence_"), encoding="utf-8"))
        }
        for w in csv.DictReader(open(wf, encoding="utf-8")):
            p = pk[w["row"]]
            row = index.get((p["claim_id"], p["source_key"], p["value_low"], p["as_of"], p["party"]))
            if row is None:
                sys.exit(f"{wf}: row {w['row']} ({p['claim_id']}, {p['source_key']}) no longer in data/evidence.csv")
            if w["original_url"].strip() and w["original_words"].strip():
                url = w["original_url"].strip()
                if url in urls:
                    key = urls[url]
                else:
                    date = w["original_date"].strip()
                    date = date if ISO.fullmatch(date) else ""
                    key = ia.unique_key(w["original_outlet"], date, w["original_title"] or url, have)
                    urls[url] = key
                    new_sources[key] = {
                        "key": key,
                        "outlet": w["original_outlet"],
                        "author": "",
                        "title": w["original_title"] or url,
                        "url": url,
                        "date_published": date,
                        "language": w["original_language"],
                        "perspective": "",
                        "tier": w["original_tier"],
                        "extra_note": f"Original of the copy formerly cited ({row['source_key']})",
                    }
                row["source_key"] = key
                row["source_words"], row["source_words_en"] = (
                    w["original_words"].strip(),
                    w["original_words_en"].strip(),
                )
                n_orig += 1
                n_words += 1
            elif w["status"] in ("found", "mismatch") and w["source_words"].strip():
                row["source_words"], row["source_words_en"] = w["source_words"].strip(), w["source_words_en"].strip()
                n_words += 1
                if ISO.fullmatch(w["page_date"].strip()):
                    dates[p["source_key"]] = w["page_date"].strip()
    ia.write_csv(ROOT / "data" / "evidence.csv", efields, ev)
    if new_sources:
        table = ROOT / "_generated" / "new_sources.csv"
        table.parent.mkdir(exist_ok=True)
        ia.write_csv(
            table,
            [
                "key",
                "outlet",
                "author",
                "title",
                "url",
                "date_published",
                "language",
                "perspective",
                "tier",
                "extra_note",
            ],
            list(new_sources.values()),
        )
        add_sources.main([str(table)])
    bib = bib_path.read_text(encoding="utf-8")
    for k, d in dates.items():
        bib = set_date(bib, k, d)
    bib, dropped = drop_unused(bib)
    bib_path.write_text(bib, encoding="utf-8")
    print(
        f"words: {n_words} rows; originals cited instead of copies: {n_orig}; dates from pages: {len(dates)}; "
        f"unused entries dropped: {dropped}"
    )


if __name__ == "__main__":
    main(*sys.argv[1:])

"""Give undated bibliography entries the date their stored page shows (a reviewer's date audit).

Usage: python scripts/import_dates.py reviews/sources_2026-11-30b/dates_out_*.csv

Each audit row has key, status (date_found | date_in_url_only | no_date_shown | not_stored),
page_date (ISO, or YYYY-MM / YYYY), date_words and note. A full or partial date is written as
``date``/``year``/``month``; a date read from the page's address says so in the entry's note; a
dateline without a year (``--MM-DD``) leaves the entry undated but quotes the dateline. Keys listed
in ``REFUSED`` keep "n.d." (the audit's note explains why their date is not a publication date).
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
#: Dates the audit found that are not the entry's publication date.
REFUSED = {
    "osmarks_unsc822": "the address carries the mirror's Wikipedia snapshot month, not a publication date",
    "moscow_nd_theyabandoned": "the same article is stored under three dates in its address",
}
UNDATED = "No publication date shown on the stored page"


def entry(bib: str, key: str) -> re.Match | None:
    return re.search(r"(@\w+\{" + re.escape(key) + r",.*?\n\})", bib, re.S)


def dated(body: str, date: str, how: str) -> str:
    fields = f"  date = {{{date}}},\n  year = {{{date[:4]}}}"
    if len(date) >= 7:
        fields += f",\n  month = {MONTHS[int(date[5:7]) - 1]}"
    body = body.replace("  year = {n.d.}", fields)
    return body.replace(UNDATED, f"Published {date} ({how})")


def main(files: list[str]) -> None:
    path = ROOT / "references.bib"
    bib = path.read_text(encoding="utf-8")
    counts = {"dated": 0, "dateline without year": 0, "refused": 0}
    for f in files:
        for r in csv.DictReader(open(f, encoding="utf-8")):
            m = entry(bib, r["key"])
            if not m or "year = {n.d.}" not in m.group(1):
                continue
            body, date, words = m.group(1), r["page_date"].strip(), r["date_words"].strip()
            if r["key"] in REFUSED:
                new = body.replace(UNDATED, f"{UNDATED} ({REFUSED[r['key']]})")
                counts["refused"] += 1
            elif re.fullmatch(r"\d{4}(-\d{2}){0,2}", date):
                how = (
                    "date from the page's address"
                    if r["status"] == "date_in_url_only"
                    else f"as the stored page shows it: {words[:60]!r}"
                )
                new = dated(body, date, how)
                counts["dated"] += 1
            elif date.startswith("--") or (
                r["status"] == "no_date_shown"
                and re.search(r"\b\d{1,2}\b", words)
                and re.search(r"[A-Za-z]", words)
                and len(words) < 60
            ):
                new = body.replace(UNDATED, f"{UNDATED}: its dateline gives no year ({words!r})")
                counts["dateline without year"] += 1
            else:
                continue
            bib = bib.replace(body, new)
    path.write_text(bib, encoding="utf-8")
    print(counts)


if __name__ == "__main__":
    main(sys.argv[1:])

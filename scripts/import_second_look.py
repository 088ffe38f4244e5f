"""Build data/second_look.csv from the independent reviewers' reports.

Usage: ``python scripts/import_second_look.py``

Reads every ``reviews/second_look_2026-11-25/g*_report.md`` (one Markdown table row per claim:
id | verdict | reason | sources) and the registry verdict each claim had when the reviewers
worked (git commit REVIEWED_AT). Writes one row per claim. The columns ``final_verdict`` and
``resolution`` are the maintainers' and are kept from the existing file when the script is re-run;
for a claim where reviewer and registry agreed they are filled in as agreed.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REVIEW_DIR = ROOT / "reviews" / "second_look_2026-11-25"
OUT = ROOT / "data" / "second_look.csv"
#: The commit whose registry the reviewers were checked against (their reports were filed on it).
REVIEWED_AT = "562cb1e"
FIELDS = [
    "claim_id",
    "reviewer",
    "registry_verdict",
    "reviewer_verdict",
    "reviewer_reason",
    "reviewer_sources",
    "final_verdict",
    "resolution",
]


def registry_at(commit: str) -> dict[str, str]:
    raw = subprocess.run(
        ["git", "show", f"{commit}:data/claims.csv"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    return {r["id"]: r["verdict"] for r in csv.DictReader(io.StringIO(raw))}


def report_rows(path: Path):
    for line in path.read_text(encoding="utf-8").splitlines():
        if not re.match(r"^\| P(Q|C|[1-7]|8[a-d])-\d\d ", line):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if len(cells) != 4:
            raise SystemExit(f"{path.name}: cannot split row into 4 cells: {line[:80]}")
        yield cells


SCALE = ["partly correct", "correct", "incorrect", "unverifiable", "interpretation"]


def split_verdict(cell: str) -> tuple[str, str]:
    """'partly correct (true only at PPP)' -> ('partly correct', 'true only at PPP')."""
    for v in SCALE:
        if cell.startswith(v):
            return v, cell[len(v) :].strip(" ;()")
    raise SystemExit(f"unknown reviewer verdict {cell!r}")


def main() -> None:
    before = registry_at(REVIEWED_AT)
    kept = {}
    if OUT.exists():
        with OUT.open(encoding="utf-8", newline="") as fh:
            kept = {r["claim_id"]: r for r in csv.DictReader(fh)}
    rows = []
    for report in sorted(REVIEW_DIR.glob("g*_report.md")):
        for cid, cell, reason, sources in report_rows(report):
            old = before[cid]
            verdict, qualifier = split_verdict(cell)
            if qualifier:
                reason = f"[{qualifier}] {reason}"
            row = {
                "claim_id": cid,
                "reviewer": report.stem.removesuffix("_report"),
                "registry_verdict": old,
                "reviewer_verdict": verdict,
                "reviewer_reason": reason,
                "reviewer_sources": "" if sources in ("—", "-") else sources,
                "final_verdict": "",
                "resolution": "",
            }
            if cid in kept and kept[cid]["final_verdict"]:
                row["final_verdict"], row["resolution"] = kept[cid]["final_verdict"], kept[cid]["resolution"]
            elif verdict == old:
                row["final_verdict"], row["resolution"] = old, "agreed"
            rows.append(row)
    order = list(before)
    rows.sort(key=lambda r: order.index(r["claim_id"]))
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    open_ = sum(1 for r in rows if not r["final_verdict"])
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} rows, {open_} disagreements without a resolution")


if __name__ == "__main__":
    main()

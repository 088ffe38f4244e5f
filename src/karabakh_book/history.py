"""The registry's history: every change to a verdict, read from git.

The corrections log is generated, never typed: :func:`verdict_changes` walks every committed version
of ``data/claims.csv`` (oldest first) and the working copy, and reports each claim whose verdict
differs from the version before. "First publication" is the first version in which every point of
the text (question, 1-8 with 8a-8d, closing) had claims; changes before it were drafting.
"""

from __future__ import annotations

import csv
import io
import subprocess

import pandas as pd

from . import claims, paths

REGISTRY = "data/claims.csv"


class NoHistory(RuntimeError):
    """The book was built from a copy without git history."""


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=paths.ROOT, check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise NoHistory(f"git history not available: {exc}") from exc


def versions() -> list[dict]:
    """Committed versions of the registry, oldest first, then the working copy if it differs."""
    if not (paths.ROOT / ".git").exists():
        raise NoHistory("no .git folder")
    if _git("rev-parse", "--is-shallow-repository").strip() == "true":
        # a shallow clone lacks the earlier versions: the log would wrongly show no change
        raise NoHistory("shallow clone: run `git fetch --unshallow` to build the corrections log")
    # --first-parent: the main line only, a merged branch as one step (walking a side branch's
    # commits between the main line's would report its changes undone and redone)
    log = _git("log", "--first-parent", "--reverse", "--format=%H%x09%ad%x09%s", "--date=short", "--", REGISTRY)
    out = []
    for line in log.splitlines():
        sha, date, subject = line.split("\t", 2)
        text = _git("show", f"{sha}:{REGISTRY}")
        out.append({"commit": sha[:7], "date": date, "subject": subject, "text": text})
    work = (paths.ROOT / REGISTRY).read_text(encoding="utf-8")
    if not out or work != out[-1]["text"]:
        out.append(
            {
                "commit": "uncommitted",
                "date": pd.Timestamp.today().date().isoformat(),
                "subject": "working copy",
                "text": work,
            }
        )
    return out


def _verdicts(text: str) -> dict[str, tuple[str, str, str, str, str]]:
    return {
        r["id"]: (
            r.get("verdict", ""),
            r.get("point", ""),
            r.get("type", ""),
            r.get("reason", ""),
            r.get("confidence", ""),
        )
        for r in csv.DictReader(io.StringIO(text))
    }


def first_publication(vs: list[dict] | None = None) -> dict:
    vs = versions() if vs is None else vs
    for v in vs:
        points = {vals[1] for vals in _verdicts(v["text"]).values()}
        if set(claims.POINTS) <= points:
            return v
    raise NoHistory("no version of the registry covers every point yet")


def verdict_changes() -> pd.DataFrame:
    """One row per change of a claim's verdict, type or confidence after first publication (added and
    removed claims included). ``why`` is the second look's resolution where that decided the change, else
    the registry's own reason for the new verdict (the commit column names the change)."""
    from . import data

    vs = versions()
    first = first_publication(vs)
    start = vs.index(first)
    sl = data.load("second_look")
    # a resolution explains a change when the reviewer's verdict was adopted against the registry's
    decided = sl[
        (sl["reviewer_verdict"] != sl["registry_verdict"])
        & (sl["reviewer_verdict"] == sl["final_verdict"])
        & ~sl["resolution"].isin(["", "agreed"])
    ]
    rows = []
    for prev, cur in zip(vs[start:], vs[start + 1 :]):
        a, b = _verdicts(prev["text"]), _verdicts(cur["text"])
        for cid in sorted(set(a) | set(b)):
            old = a.get(cid, ("(new claim)", "", "", "", ""))
            new = b.get(cid, ("(removed)", "", "", "", ""))
            if (old[0], old[2], old[4]) == (new[0], new[2], new[4]):
                continue
            why = new[3] or cur["subject"]
            match = decided[(decided["claim_id"] == cid) & (decided["final_verdict"] == new[0])]
            if not match.empty:
                why = match.iloc[-1]["resolution"]
            rows.append(
                {
                    "date": cur["date"],
                    "commit": cur["commit"],
                    "claim_id": cid,
                    "old_verdict": old[0],
                    "new_verdict": new[0],
                    "old_type": old[2],
                    "new_type": new[2],
                    "old_confidence": old[4],
                    "new_confidence": new[4],
                    "why": why,
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)


COLUMNS = [
    "date",
    "commit",
    "claim_id",
    "old_verdict",
    "new_verdict",
    "old_type",
    "new_type",
    "old_confidence",
    "new_confidence",
    "why",
]


def labels(row) -> tuple[str, str]:
    """How a change reads, before and after: the verdict, with the claim's type where that changed
    and, where only the confidence changed, the confidence ("correct (high confidence)" ->
    "correct (medium confidence)")."""

    def one(verdict, typ, conf):
        extra = []
        if row["old_type"] and row["old_type"] != row["new_type"]:
            extra.append(typ)
        if row["old_verdict"] == row["new_verdict"] and row["old_confidence"] != row["new_confidence"]:
            extra.append(f"{conf} confidence")
        return verdict + (f" ({', '.join(extra)})" if extra else "")

    return (
        one(row["old_verdict"], row["old_type"], row["old_confidence"]),
        one(row["new_verdict"], row["new_type"], row["new_confidence"]),
    )

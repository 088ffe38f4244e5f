"""The claim registry (``data/claims.csv``) and its verdicts.

Verdicts on quantities and dates are *computed* from the evidence rows in ``data/evidence.csv``
by :func:`compute_verdict`; the registry's typed verdict must agree, or :func:`check_registry`
stops the build. The rules and tolerances are stated once, here, and printed in the Method chapter.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import data, text

VERDICTS = ["correct", "partly correct", "incorrect", "unverifiable", "interpretation"]
CHECKABLE_TYPES = ["quantity", "date", "event", "attributed quote"]
INTERPRETIVE_TYPES = ["causal/interpretive", "prediction", "rhetoric"]
TYPES = CHECKABLE_TYPES + INTERPRETIVE_TYPES
COMPUTED_TYPES = ["quantity", "date"]
POINTS = ["question", "1", "2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "closing"]
SEGMENT_OF_POINT = {"question": ["question"], "closing": ["verse-ar", "verse-de", "date"],
                    "8a": ["p8a"], "8b": ["p8b"], "8c": ["p8c"], "8d": ["p8d"]}

#: Relative tolerance within which a figure counts as matching the evidence range.
TOL_CORRECT = 0.10
#: Relative tolerance within which a figure counts as partly correct.
TOL_PARTLY = 0.25
#: Days by which a date may miss the evidence and still count as partly correct.
DAYS_PARTLY = 3

#: A party's later figure replaces its earlier one only if given within this many days: a revision
#: of the same count (a first-night casualty toll), not a new count years later (IDPs in 1998).
REVISION_DAYS = 180


RULES = {
    "quantity": (
        f"The evidence range runs from the lowest to the highest figure that any cited source gives "
        f"(each party's own figure and independent ones). A figure stated as exact or approximate is "
        f"correct if it lies within that range widened by {TOL_CORRECT:.0%}, partly correct within "
        f"{TOL_PARTLY:.0%}, otherwise incorrect. Rows marked as context are shown but not compared. "
        f"Only figures in the claim's own unit count (a GDP in "
        f"purchasing-power dollars is not compared with one in current dollars). Where a party revised "
        f"its own count (a later figure from the same party, whichever outlet relayed it, within "
        f"{REVISION_DAYS} days), only the "
        f"revised figure enters the range; the earlier ones are shown, marked as superseded. "
        f"'More than X' is correct if the highest sourced figure "
        f"is at least X. A stated range (e.g. 20-24) is correct if it lies inside the widened evidence "
        f"range, partly correct if the two overlap. No evidence row: unverifiable."),
    "date": (
        f"Correct if the stated date (a day, or a whole month or year where the text gives only that) "
        f"falls on a sourced date or inside a sourced span; partly correct "
        f"if it misses by at most {DAYS_PARTLY} days; otherwise incorrect. Dates of later steps (a "
        f"ratification, a later statement) are shown as context and not compared. No evidence row: unverifiable."),
}


@dataclass
class Computed:
    verdict: str
    low: object
    high: object
    explanation: str


def _num(s: str) -> float:
    return float(str(s).replace("_", ""))


def _claimed_range(value: str) -> tuple[float, float]:
    v = str(value).strip()
    if "-" in v[1:]:
        a, b = v.split("-", 1) if not v.startswith("-") else ("-" + v[1:].split("-", 1)[0], v[1:].split("-", 1)[1])
        return _num(a), _num(b)
    return _num(v), _num(v)


def comparable(ctype: str, unit: str, evidence: pd.DataFrame) -> pd.DataFrame:
    """The evidence rows that enter a computed verdict: measured in the claim's unit (dates for date
    claims) and not marked as context."""
    want = "date" if ctype == "date" else str(unit).strip()
    if evidence.empty or not want:
        return evidence
    decisive = evidence["role"].fillna("") != "context" if "role" in evidence.columns else True
    return evidence[(evidence["unit"].str.strip() == want) & decisive]


def _when(v) -> pd.Timestamp | None:
    v = str(v).strip()[:10]
    try:
        return date_span(v)[0] if v else None
    except ValueError:
        return None


def party_key(party: str) -> str:
    """Who gave a figure, without the outlet that relayed it: "Azerbaijani MoD (Eyvazov) via
    Anadolu" and "Azerbaijani MoD (Eyvazov)" are one party."""
    import re
    return re.split(r"\s*\(via |\s+via ", str(party))[0].strip()


def superseded(evidence: pd.DataFrame) -> pd.Series:
    """True for a row whose party gave a later dated figure in the same unit within
    :data:`REVISION_DAYS` (the earlier count of the same thing)."""
    if evidence.empty or not {"party", "as_of"} <= set(evidence.columns):
        return pd.Series(False, dtype=bool, index=evidence.index)
    when = evidence["as_of"].map(_when)
    out = pd.Series(False, dtype=bool, index=evidence.index)
    for i in evidence.index:
        if when[i] is None:
            continue
        party = evidence["party"].map(party_key)
        same = (party == party[i]) & (evidence["unit"] == evidence.loc[i, "unit"])
        later = [when[j] for j in evidence.index[same] if when[j] is not None and
                 str(evidence.loc[j, "as_of"]) > str(evidence.loc[i, "as_of"]) and
                 (when[j] - when[i]).days <= REVISION_DAYS]
        out[i] = bool(later)
    return out


def compute_verdict(ctype: str, claimed: str, comparison: str, evidence: pd.DataFrame,
                    unit: str = "") -> Computed:
    """Derive the verdict of a quantity or date claim from its evidence rows (same unit only)."""
    evidence = comparable(ctype, unit, evidence)
    if evidence.empty:
        return Computed("unverifiable", None, None, "no sourced figure was found")
    if ctype == "quantity":
        earlier = superseded(evidence)
        n_earlier = int(earlier.sum())
        evidence = evidence[~earlier]
        lows = [_num(v) for v in evidence["value_low"]]
        highs = [_num(h if h not in ("", None) and not pd.isna(h) else l)
                 for l, h in zip(evidence["value_low"], evidence["value_high"])]
        lo, hi = min(lows), max(highs)
        c_lo, c_hi = _claimed_range(claimed)
        if comparison in ("more than", "at least"):
            if hi >= c_lo:
                v = "correct"
            elif hi >= c_lo * (1 - TOL_PARTLY):
                v = "partly correct"
            else:
                v = "incorrect"
            return Computed(v, lo, hi, f"text: {comparison} {c_lo:,.10g}; sourced figures {lo:,.10g}–{hi:,.10g}"
                            + _set_aside(n_earlier))
        w_lo, w_hi = lo * (1 - TOL_CORRECT), hi * (1 + TOL_CORRECT)
        p_lo, p_hi = lo * (1 - TOL_PARTLY), hi * (1 + TOL_PARTLY)
        if w_lo <= c_lo and c_hi <= w_hi:
            v = "correct"
        elif c_lo <= p_hi and c_hi >= p_lo:
            v = "partly correct"
        else:
            v = "incorrect"
        said = f"{c_lo:,.10g}" if c_lo == c_hi else f"{c_lo:,.10g}–{c_hi:,.10g}"
        return Computed(v, lo, hi, f"text: {said}; sourced figures {lo:,.10g}–{hi:,.10g}" + _set_aside(n_earlier))
    if ctype == "date":
        d0, d1 = date_span(claimed)
        spans = []
        for l, h in zip(evidence["value_low"], evidence["value_high"]):
            a = date_span(l)[0]
            b = date_span(h)[1] if h not in ("", None) and not pd.isna(h) else date_span(l)[1]
            spans.append((a, b))
        lo, hi = min(a for a, _ in spans), max(b for _, b in spans)
        gap = min(0 if (a <= d1 and d0 <= b) else min(abs((d0 - b).days), abs((a - d1).days)) for a, b in spans)
        v = "correct" if gap == 0 else "partly correct" if gap <= DAYS_PARTLY else "incorrect"
        return Computed(v, lo.date(), hi.date(),
                        f"text: {claimed}; sourced: {lo.date()}" + (f" to {hi.date()}" if hi != lo else "")
                        + ("" if gap == 0 else f" ({gap} days off)"))
    raise ValueError(f"verdicts are computed only for {COMPUTED_TYPES}, not {ctype!r}")


def _set_aside(n: int) -> str:
    return "" if not n else f" ({n} earlier count{'s' if n > 1 else ''} superseded by the same party's later figure)"


def date_span(value: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day meant by ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    v = str(value).strip()
    if "/" in v:
        a, b = v.split("/", 1)
        return date_span(a)[0], date_span(b)[1]
    if len(v) == 4:
        return pd.Timestamp(f"{v}-01-01"), pd.Timestamp(f"{v}-12-31")
    if len(v) == 7:
        a = pd.Timestamp(f"{v}-01")
        return a, a + pd.offsets.MonthEnd(0)
    a = pd.Timestamp(v)
    return a, a


class RegistryError(data.DataError):
    pass


def load_registry() -> pd.DataFrame:
    reg = data.load("claims")
    check_registry(reg, data.load("evidence"))
    return reg


def evidence_for(claim_id: str, evidence: pd.DataFrame | None = None) -> pd.DataFrame:
    ev = data.load("evidence") if evidence is None else evidence
    return ev[ev["claim_id"] == claim_id]


def check_registry(reg: pd.DataFrame, evidence: pd.DataFrame) -> None:
    """Cross-file rules the Table Schema cannot express; raise naming line and column."""
    f = reg.attrs.get("source_file", "data/claims.csv")
    segs = {s["id"]: s["text_de"] for s in text.split_segments()}
    problems = []
    for i, row in reg.reset_index(drop=True).iterrows():
        line = i + 2
        if not text.contains(row["quote_de"]):
            problems.append(f"{f}: line {line}, column 'quote_de': quote is not in the source text: "
                            f"{row['quote_de'][:60]!r}")
        else:
            seg_ids = SEGMENT_OF_POINT.get(row["point"], [f"p{row['point']}"])
            if not any(text.normalize(row["quote_de"]) in segs[s] for s in seg_ids):
                problems.append(f"{f}: line {line}, column 'point': quote is not in point {row['point']}")
        expected_prefix = {"question": "PQ", "closing": "PC"}.get(row["point"], f"P{row['point']}")
        if row["id"].split("-")[0] != expected_prefix:
            problems.append(f"{f}: line {line}, column 'id': id {row['id']!r} does not match point {row['point']!r}")
        if row["type"] in INTERPRETIVE_TYPES and row["verdict"] != "interpretation":
            problems.append(f"{f}: line {line}, column 'verdict': a {row['type']} claim takes the verdict "
                            f"'interpretation', not {row['verdict']!r}")
        if row["type"] in CHECKABLE_TYPES:
            if row["verdict"] == "interpretation":
                problems.append(f"{f}: line {line}, column 'verdict': a checkable ({row['type']}) claim "
                                f"cannot be 'interpretation'")
            if not data.split_keys(row["sources"]) and row["verdict"] != "unverifiable":
                problems.append(f"{f}: line {line}, column 'sources': a checkable claim needs a source")
            if row["verdict"] == "unverifiable" and not str(row["searched"]).strip():
                problems.append(f"{f}: line {line}, column 'searched': say what was searched for")
        if row["type"] in COMPUTED_TYPES:
            if not str(row["claimed_value"]).strip():
                problems.append(f"{f}: line {line}, column 'claimed_value': a {row['type']} claim needs the "
                                f"value the text gives")
                continue
            try:
                comp = compute_verdict(row["type"], row["claimed_value"], row["comparison"],
                                       evidence_for(row["id"], evidence), row["unit"])
            except (ValueError, TypeError) as exc:
                problems.append(f"{f}: line {line}, column 'claimed_value': claim {row['id']} ({row['type']}) "
                                f"and its evidence rows cannot be compared: {exc}")
                continue
            if comp.verdict != row["verdict"]:
                problems.append(f"{f}: line {line}, column 'verdict': typed {row['verdict']!r} but the "
                                f"evidence gives {comp.verdict!r} ({comp.explanation})")
    known = set(reg["id"])
    for i, cid in enumerate(evidence["claim_id"]):
        if cid not in known:
            problems.append(f"{evidence.attrs.get('source_file', 'data/evidence.csv')}: line {i + 2}, "
                            f"column 'claim_id': {cid!r} is not a claim in the registry")
    if problems:
        raise RegistryError("\n".join(problems))


def for_point(point: str, reg: pd.DataFrame | None = None) -> pd.DataFrame:
    reg = load_registry() if reg is None else reg
    return reg[reg["point"] == point]


def anchor(claim_id: str) -> str:
    """The HTML anchor (and Sphinx label) of a claim: stable across rebuilds."""
    return "claim-" + claim_id.lower()


def check_second_look(reg: pd.DataFrame, second_look: pd.DataFrame) -> None:
    """The second-look log agrees with the registry: every reviewed claim exists, every
    disagreement has a resolution, and each final verdict is the registry's current verdict."""
    f = second_look.attrs.get("source_file", "data/second_look.csv")
    current = dict(zip(reg["id"], reg["verdict"]))
    problems = []
    for i, r in second_look.reset_index(drop=True).iterrows():
        line = i + 2
        if r["claim_id"] not in current:
            problems.append(f"{f}: line {line}, column 'claim_id': {r['claim_id']!r} is not in the registry")
            continue
        if not r["final_verdict"]:
            problems.append(f"{f}: line {line}, column 'final_verdict': the disagreement on {r['claim_id']} "
                            f"has no resolution")
        elif r["final_verdict"] != current[r["claim_id"]]:
            problems.append(f"{f}: line {line}, column 'final_verdict': {r['final_verdict']!r} but the registry "
                            f"now says {current[r['claim_id']]!r}")
        if r["reviewer_verdict"] != r["registry_verdict"] and not str(r["resolution"]).strip():
            problems.append(f"{f}: line {line}, column 'resolution': say how the disagreement was resolved")
    if problems:
        raise RegistryError("\n".join(problems))

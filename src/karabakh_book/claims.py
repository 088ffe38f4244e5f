"""The claim registry (``data/claims.csv``) and its verdicts.

Verdicts on quantities and dates are *computed* from the evidence rows in ``data/evidence.csv``
by :func:`compute_verdict`; the registry's typed verdict must agree, or :func:`check_registry`
stops the build. The rules and tolerances are stated once, here, and printed in the Method chapter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from . import data, memo, paths, text

#: The fact scale: for figures, dates, events and attributed words.
FACT_VERDICTS = ["correct", "partly correct", "incorrect", "unverifiable"]
#: The assessment scale: for causal, motive and predictive claims and rhetoric, judged against the
#: record; "opinion" only where there is no checkable core (value judgements, rhetoric, forecasts).
ASSESSMENTS = ["supported by the record", "partly supported", "unsupported", "contradicted by the record", "opinion"]
VERDICTS = FACT_VERDICTS + ASSESSMENTS
#: Verdicts that record an error of the text, in whole or in part (counted as findings, not rows).
ERRORS = ["incorrect", "partly correct", "contradicted by the record"]
#: Of those, the ones where the text is wrong outright.
WRONG = ["incorrect", "contradicted by the record"]
#: Perspectives whose figures decide where they exist: independent reporting, international bodies
#: and the book's own measurements. Every other perspective is a party's (or a party-aligned) figure.
INDEPENDENT = ["international", "independent", "measured"]
PERSPECTIVE_NAME = {
    "armenia": "Armenia's",
    "azerbaijan": "Azerbaijan's",
    "karabakh-armenian": "the Karabakh Armenian authorities'",
    "russia": "Russia's",
    "turkey": "Turkey's",
    "western": "Western governments'",
    "other": "a third party's",
}
#: A registry id inside prose ("rated separately as P8b-04").
CLAIM_ID = re.compile(r"\bP(?:Q|C|[1-7]|8[a-d])-\d{2}\b")
CHECKABLE_TYPES = ["quantity", "date", "event", "attributed quote"]
INTERPRETIVE_TYPES = ["causal/interpretive", "prediction", "rhetoric"]
TYPES = CHECKABLE_TYPES + INTERPRETIVE_TYPES
COMPUTED_TYPES = ["quantity", "date"]
POINTS = ["question", "1", "2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "closing"]
SEGMENT_OF_POINT = {
    "question": ["question"],
    "closing": ["verse-ar", "verse-de", "date"],
    "8a": ["p8a"],
    "8b": ["p8b"],
    "8c": ["p8c"],
    "8d": ["p8d"],
}

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
        f"range, partly correct if the two overlap. No evidence row: unverifiable."
    ),
    "date": (
        f"Correct if the stated date (a day, or a whole month or year where the text gives only that) "
        f"falls on a sourced date or inside a sourced span; partly correct "
        f"if it misses by at most {DAYS_PARTLY} days; otherwise incorrect. Dates of later steps (a "
        f"ratification, a later statement) are shown as context and not compared. No evidence row: unverifiable."
    ),
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
    as_of = [str(v) for v in evidence["as_of"]]
    when = [_when(v) for v in evidence["as_of"]]
    party = [party_key(p) for p in evidence["party"]]
    unit = list(evidence["unit"])
    rows = range(len(evidence))
    out = [
        when[i] is not None
        and any(
            when[j] is not None
            and party[j] == party[i]
            and unit[j] == unit[i]
            and as_of[j] > as_of[i]
            and (when[j] - when[i]).days <= REVISION_DAYS
            for j in rows
        )
        for i in rows
    ]
    return pd.Series(out, dtype=bool, index=evidence.index)


def deciding(evidence: pd.DataFrame) -> pd.Series:
    """True for the compared rows that decide: the book's own measurement where there is one, else
    the independent rows (reporting, international bodies) where there are any, else every row. A
    row that does not decide is still shown and named."""
    if evidence.empty or "perspective" not in evidence.columns:
        return pd.Series(True, dtype=bool, index=evidence.index)
    for tier in (["measured"], INDEPENDENT):
        rows = evidence["perspective"].isin(tier)
        if rows.any():
            return rows
    return pd.Series(True, dtype=bool, index=evidence.index)


def qualify(verdict: str, qualifier: str) -> str:
    """The verdict on the whole statement: a figure or date whose qualifier (recipient, place,
    party, occasion) is wrong is not correct; a wrong figure with a wrong qualifier is incorrect."""
    if str(qualifier).strip() != "wrong" or verdict == "unverifiable":
        return verdict
    return "partly correct" if verdict == "correct" else "incorrect"


def matches_only(ctype: str, claimed: str, comparison: str, evidence: pd.DataFrame, unit: str = "") -> str:
    """Whose figure the text matches when it matches some perspectives' figures and not others:
    "Azerbaijan's" if the text's figure is correct against Azerbaijan's rows alone but not against
    any other side's; "" when it matches several sides, or none, or there is only one side."""
    ev = comparable(ctype, unit, evidence)
    if ev.empty or ctype not in COMPUTED_TYPES or "perspective" not in ev.columns:
        return ""
    sides = [p for p in dict.fromkeys(ev["perspective"])]
    if len(sides) < 2:
        return ""
    hits = [
        p for p in sides if _raw_verdict(ctype, claimed, comparison, ev[ev["perspective"] == p]).verdict == "correct"
    ]
    if len(hits) == 1 and hits[0] not in INDEPENDENT:
        return PERSPECTIVE_NAME.get(hits[0], hits[0])
    return ""


def figure(v) -> str:
    """A figure as a reader wants it: 4170000000 -> 4.17 bn (also trn, m); smaller numbers with
    thousands separators; anything that is not a number (a date) unchanged. The one formatter of
    the book's cards, tables and charts (never 5e+12)."""
    try:
        x = float(v)
    except (TypeError, ValueError):
        return str(v)
    for div, name in ((1e12, "trn"), (1e9, "bn"), (1e6, "m")):
        if abs(x) >= div:
            return f"{x / div:,.3g} {name}"
    return f"{x:,.10g}"


def sourced(lo: float, hi: float) -> str:
    """The sourced range in words: one figure, or the lowest and highest."""
    return f"sourced figure {figure(lo)}" if lo == hi else f"sourced figures {figure(lo)}–{figure(hi)}"


def compute_verdict(
    ctype: str, claimed: str, comparison: str, evidence: pd.DataFrame, unit: str = "", qualifier: str = ""
) -> Computed:
    """Derive the verdict of a quantity or date claim from its evidence rows (same unit only):
    independent or measured rows decide where they exist; a wrong qualifier caps the result."""
    evidence = comparable(ctype, unit, evidence)
    if evidence.empty:
        return Computed("unverifiable", None, None, "no sourced figure was found")
    dec = deciding(evidence)
    n_party = int((~dec).sum())
    comp = _raw_verdict(ctype, claimed, comparison, evidence[dec])
    if n_party:
        kind = (
            "the book's measurement"
            if evidence.loc[dec, "perspective"].eq("measured").all()
            else "independent evidence"
        )
        comp.explanation += f" ({kind} decides; {n_party} other figure{'s' if n_party > 1 else ''} shown but set aside)"
    final = qualify(comp.verdict, qualifier)
    if final != comp.verdict:
        comp.explanation += f"; the figure is {comp.verdict} but what it is attached to is wrong"
        comp.verdict = final
    return comp


def _raw_verdict(ctype: str, claimed: str, comparison: str, evidence: pd.DataFrame) -> Computed:
    if ctype == "quantity":
        earlier = superseded(evidence)
        n_earlier = int(earlier.sum())
        evidence = evidence[~earlier]
        lows = [_num(v) for v in evidence["value_low"]]
        highs = [
            _num(h if h not in ("", None) and not pd.isna(h) else lo)
            for lo, h in zip(evidence["value_low"], evidence["value_high"])
        ]
        lo, hi = min(lows), max(highs)
        c_lo, c_hi = _claimed_range(claimed)
        if comparison in ("more than", "at least"):
            if hi >= c_lo:
                v = "correct"
            elif hi >= c_lo * (1 - TOL_PARTLY):
                v = "partly correct"
            else:
                v = "incorrect"
            return Computed(
                v,
                lo,
                hi,
                f"text: {comparison} {figure(c_lo)}; {sourced(lo, hi)}" + _set_aside(n_earlier),
            )
        w_lo, w_hi = lo * (1 - TOL_CORRECT), hi * (1 + TOL_CORRECT)
        p_lo, p_hi = lo * (1 - TOL_PARTLY), hi * (1 + TOL_PARTLY)
        if w_lo <= c_lo and c_hi <= w_hi:
            v = "correct"
        elif c_lo <= p_hi and c_hi >= p_lo:
            v = "partly correct"
        else:
            v = "incorrect"
        said = figure(c_lo) if c_lo == c_hi else f"{figure(c_lo)}–{figure(c_hi)}"
        return Computed(v, lo, hi, f"text: {said}; {sourced(lo, hi)}" + _set_aside(n_earlier))
    if ctype == "date":
        d0, d1 = date_span(claimed)
        spans = []
        for lo, h in zip(evidence["value_low"], evidence["value_high"]):
            a = date_span(lo)[0]
            b = date_span(h)[1] if h not in ("", None) and not pd.isna(h) else date_span(lo)[1]
            spans.append((a, b))
        lo, hi = min(a for a, _ in spans), max(b for _, b in spans)
        gap = min(0 if (a <= d1 and d0 <= b) else min(abs((d0 - b).days), abs((a - d1).days)) for a, b in spans)
        v = "correct" if gap == 0 else "partly correct" if gap <= DAYS_PARTLY else "incorrect"
        return Computed(
            v,
            lo.date(),
            hi.date(),
            f"text: {claimed}; sourced: {lo.date()}"
            + (f" to {hi.date()}" if hi != lo else "")
            + ("" if gap == 0 else f" ({gap} day{'s' if gap > 1 else ''} off)"),
        )
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


_REGISTRY: dict[tuple, pd.DataFrame] = {}


def load_registry() -> pd.DataFrame:
    """The claim registry, checked against the evidence, the seed and the bibliography. A process
    checks it once: later calls get a copy, until one of those files changes."""
    key = data.stamp(
        *(paths.DATA / f for f in ("claims.csv", "evidence.csv", "source_words.csv")),
        paths.DATAPACKAGE,
        paths.BIB_FILE,
        paths.SEED_FILE,
    )
    if key not in _REGISTRY:  # and once per build: the first process stores it for the others
        _REGISTRY[key] = memo.cached("registry", [f for f, *_ in key], _load_registry)
    return _REGISTRY[key].copy()


def _load_registry() -> pd.DataFrame:
    from . import cite

    bib = [p for p in cite.problems() if "publication date" not in p]
    if bib:  # an entry without URL, access date or a known tier cannot carry a verdict
        raise RegistryError("\n".join(bib))
    reg = data.load("claims")
    check_registry(reg, data.load("evidence"))
    words = data.load("source_words")
    unknown = [
        f"{words.attrs.get('source_file', 'data/source_words.csv')}: line {i + 2}, column 'claim_id': "
        f"{c!r} is not a claim in the registry"
        for i, c in enumerate(words["claim_id"])
        if c not in set(reg["id"])
    ]
    if unknown:
        raise RegistryError("\n".join(unknown))
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
            problems.append(
                f"{f}: line {line}, column 'quote_de': quote is not in the source text: {row['quote_de'][:60]!r}"
            )
        else:
            seg_ids = SEGMENT_OF_POINT.get(row["point"], [f"p{row['point']}"])
            if not any(text.normalize(row["quote_de"]) in segs[s] for s in seg_ids):
                problems.append(f"{f}: line {line}, column 'point': quote is not in point {row['point']}")
        expected_prefix = {"question": "PQ", "closing": "PC"}.get(row["point"], f"P{row['point']}")
        if row["id"].split("-")[0] != expected_prefix:
            problems.append(f"{f}: line {line}, column 'id': id {row['id']!r} does not match point {row['point']!r}")
        for col in ("reason", "claim_en", "quote_de"):
            if not str(row[col]).strip():
                problems.append(f"{f}: line {line}, column '{col}': blank text")
        if row["type"] in INTERPRETIVE_TYPES and row["verdict"] not in ASSESSMENTS:
            problems.append(
                f"{f}: line {line}, column 'verdict': a {row['type']} claim is assessed on the "
                f"scale {ASSESSMENTS}, not rated {row['verdict']!r}"
            )
        if row["type"] in INTERPRETIVE_TYPES and row["verdict"] in ASSESSMENTS:
            if row["verdict"] not in ("opinion", "unsupported") and not data.split_keys(row["sources"]):
                problems.append(
                    f"{f}: line {line}, column 'sources': the assessment {row['verdict']!r} needs a dated source"
                )
            if row["verdict"] == "unsupported" and not str(row["searched"]).strip():
                problems.append(f"{f}: line {line}, column 'searched': say what was searched for")
            if row["verdict"] == "opinion" and any(ch.isdigit() for ch in CLAIM_ID.sub("", str(row["reason"]))):
                problems.append(
                    f"{f}: line {line}, column 'reason': an 'opinion' has no checkable core, but "
                    f"its reason states a figure or date: assess it against the record instead"
                )
        if row["type"] in CHECKABLE_TYPES:
            if row["verdict"] not in FACT_VERDICTS:
                problems.append(
                    f"{f}: line {line}, column 'verdict': a checkable ({row['type']}) claim is "
                    f"rated on the scale {FACT_VERDICTS}, not {row['verdict']!r}"
                )
            if not data.split_keys(row["sources"]) and row["verdict"] != "unverifiable":
                problems.append(f"{f}: line {line}, column 'sources': a checkable claim needs a source")
            if row["verdict"] == "unverifiable" and not str(row["searched"]).strip():
                problems.append(f"{f}: line {line}, column 'searched': say what was searched for")
        if row["confidence"] == "high" and row["verdict"] != "opinion" and rests_on_copies(row, evidence):
            problems.append(
                f"{f}: line {line}, column 'confidence': 'high', but every source is a copy or "
                f"a reference work: at most 'medium'"
            )
        if str(row.get("qualifier", "")).strip() and row["type"] not in COMPUTED_TYPES:
            problems.append(
                f"{f}: line {line}, column 'qualifier': only figures and dates have a qualifier "
                f"column; rate the whole statement of a {row['type']} claim in its verdict"
            )
        if row["type"] in COMPUTED_TYPES:
            if not str(row["claimed_value"]).strip():
                problems.append(
                    f"{f}: line {line}, column 'claimed_value': a {row['type']} claim needs the value the text gives"
                )
                continue
            try:
                comp = compute_verdict(
                    row["type"],
                    row["claimed_value"],
                    row["comparison"],
                    evidence_for(row["id"], evidence),
                    row["unit"],
                    row.get("qualifier", ""),
                )
            except (ValueError, TypeError) as exc:
                problems.append(
                    f"{f}: line {line}, column 'claimed_value': claim {row['id']} ({row['type']}) "
                    f"and its evidence rows cannot be compared: {exc}"
                )
                continue
            if comp.verdict != row["verdict"]:
                problems.append(
                    f"{f}: line {line}, column 'verdict': typed {row['verdict']!r} but the "
                    f"evidence gives {comp.verdict!r} ({comp.explanation})"
                )
    known = set(reg["id"])
    problems += value_problems(evidence, reg)
    problems += finding_problems(reg, f)
    for i, cid in enumerate(evidence["claim_id"]):
        if cid not in known:
            problems.append(
                f"{evidence.attrs.get('source_file', 'data/evidence.csv')}: line {i + 2}, "
                f"column 'claim_id': {cid!r} is not a claim in the registry"
            )
    if problems:
        raise RegistryError("\n".join(problems))


def rests_on_copies(row, evidence: pd.DataFrame) -> bool:
    """True if every source of a verdict (its own and its evidence rows') is a copy or a reference
    work: such a verdict is at most of medium confidence."""
    from . import cite

    keys = set(data.split_keys(row["sources"]))
    if not evidence.empty:
        keys |= set(evidence.loc[evidence["claim_id"] == row["id"], "source_key"])
    return bool(keys) and all(cite.tier(k) in cite.WEAK_TIERS for k in keys)


#: Units that count whole things: a figure in them has no decimals ("100.000 people" is a German
#: thousands separator, not one hundred).
COUNT_UNITS = (
    "people",
    "civilians",
    "soldiers",
    "aircraft",
    "positions",
    "districts",
    "armoured vehicles",
    "small arms",
    "days",
    "villages",
)


def value_problems(evidence: pd.DataFrame, reg: pd.DataFrame) -> list[str]:
    """Every figure and date in the claims and the evidence, whatever the row's role: a date where
    the unit is 'date', a figure otherwise, and a whole number where the unit counts things."""
    out = []
    fig = data.FORMATS["figure"][0]

    def check(f, line, col, v, unit):
        v = str(v).strip()
        if not v:
            return
        u = str(unit).strip().lower()
        if u == "date":
            if not (data.FORMATS["date-span"][0](v)):
                out.append(f"{f}: line {line}, column '{col}': {v!r} is not a date, but the unit is 'date'")
        elif not (fig(v) or (v.count("-") == 1 and not v.startswith("-") and all(fig(p) for p in v.split("-")))):
            out.append(f"{f}: line {line}, column '{col}': {v!r} is not a figure (unit {unit!r})")
        elif u.startswith(COUNT_UNITS) and "." in v:
            out.append(
                f"{f}: line {line}, column '{col}': {v!r} has decimals, but {unit!r} counts whole things "
                f"(write 100000, not 100.000)"
            )

    fe = evidence.attrs.get("source_file", "data/evidence.csv")
    for i, r in evidence.reset_index(drop=True).iterrows():
        for col in ("value_low", "value_high"):
            check(fe, i + 2, col, r[col], r["unit"])
    fc = reg.attrs.get("source_file", "data/claims.csv")
    for i, r in reg.reset_index(drop=True).iterrows():
        check(fc, i + 2, "claimed_value", r["claimed_value"], r["unit"])
    return out


def finding_problems(reg: pd.DataFrame, f: str = "data/claims.csv") -> list[str]:
    """A ``finding`` names the lead row of the same underlying error: that row exists, is itself a
    lead (no chains), and both rows record an error."""
    out = []
    verdict = dict(zip(reg["id"], reg["verdict"]))
    lead_of = dict(zip(reg["id"], reg["finding"].fillna("") if "finding" in reg.columns else [""] * len(reg)))
    for i, row in reg.reset_index(drop=True).iterrows():
        lead = str(row.get("finding", "") or "").strip()
        if not lead:
            continue
        where = f"{f}: line {i + 2}, column 'finding'"
        if lead not in verdict:
            out.append(f"{where}: {lead!r} is not a claim in the registry")
        elif lead == row["id"]:
            out.append(f"{where}: leave it blank for a row that is its own finding")
        elif str(lead_of[lead]).strip():
            out.append(f"{where}: {lead} is itself part of finding {lead_of[lead]}: name the lead row")
        elif row["verdict"] not in ERRORS or verdict[lead] not in ERRORS:
            out.append(
                f"{where}: only errors are findings, but {row['id']} is {row['verdict']!r} and "
                f"{lead} is {verdict[lead]!r}"
            )
    return out


def findings(reg: pd.DataFrame, verdicts: list[str] | None = None) -> pd.DataFrame:
    """One row per finding among the registry's errors (rows sharing a ``finding`` count once),
    with the lead claim's id, point and verdict and the ids of all its rows. The lead row's verdict
    is the finding's; ``verdicts`` filters on it (default: every error verdict)."""
    verdicts = ERRORS if verdicts is None else verdicts
    err = reg[reg["verdict"].isin(ERRORS)].copy()
    err["lead"] = [
        str(x).strip() or cid
        for x, cid in zip(err.get("finding", pd.Series("", index=err.index)).fillna(""), err["id"])
    ]
    lead = reg.set_index("id")
    groups = err.groupby("lead", sort=False)["id"].apply(list)
    out = pd.DataFrame({"lead": groups.index, "rows": groups.values})
    out["point"] = out["lead"].map(lead["point"])
    out["verdict"] = out["lead"].map(lead["verdict"])
    return out[out["verdict"].isin(verdicts)].reset_index(drop=True)


def for_point(point: str, reg: pd.DataFrame | None = None) -> pd.DataFrame:
    reg = load_registry() if reg is None else reg
    return reg[reg["point"] == point]


def anchor(claim_id: str) -> str:
    """The HTML anchor (and Sphinx label) of a claim: stable across rebuilds."""
    return "claim-" + claim_id.lower()


def check_second_look(reg: pd.DataFrame, second_look: pd.DataFrame) -> None:
    """The second-look log agrees with the registry: every reviewed claim exists, every
    disagreement has a resolution, and each claim's final verdict in its latest round is the
    registry's current verdict (earlier rounds are history)."""
    f = second_look.attrs.get("source_file", "data/second_look.csv")
    current = dict(zip(reg["id"], reg["verdict"]))
    sl = second_look.reset_index(drop=True)
    latest = sl.groupby("claim_id")["round"].transform("max") == sl["round"]
    problems = []
    for i, r in sl.iterrows():
        line = i + 2
        if r["claim_id"] not in current:
            problems.append(f"{f}: line {line}, column 'claim_id': {r['claim_id']!r} is not in the registry")
            continue
        if not r["final_verdict"]:
            problems.append(
                f"{f}: line {line}, column 'final_verdict': the disagreement on {r['claim_id']} has no resolution"
            )
        elif latest[i] and r["final_verdict"] != current[r["claim_id"]]:
            problems.append(
                f"{f}: line {line}, column 'final_verdict': {r['final_verdict']!r} but the registry "
                f"now says {current[r['claim_id']]!r} (review the claim again in a new round)"
            )
        if r["reviewer_verdict"] != r["registry_verdict"] and not str(r["resolution"]).strip():
            problems.append(f"{f}: line {line}, column 'resolution': say how the disagreement was resolved")
    if problems:
        raise RegistryError("\n".join(problems))

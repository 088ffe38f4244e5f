"""How registry rows appear on a page: claim cards, verdict tables, passages.

Everything here returns MyST Markdown (rendered by myst-nb in HTML and LaTeX alike), so the same
cell gives the same content in the web book and the PDF.
"""
from __future__ import annotations

import re

import pandas as pd
from IPython.display import Markdown

from . import claims as C
from . import cite, text

VERDICT_SYMBOL = {"correct": "✔", "partly correct": "◐", "incorrect": "✘",
                  "unverifiable": "?", "interpretation": "≈"}


def _cite(keys: str) -> str:
    from .data import split_keys
    ks = split_keys(keys)
    return "{cite:p}`" + ",".join(ks) + "`" if ks else "none"


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:,.10g}"
    return str(v)


def claim_card(row: pd.Series, evidence: pd.DataFrame) -> str:
    v = row["verdict"]
    lines = [
        f":::{{admonition}} {row['id']} · {row['type']} · verdict: {v}",
        f":name: {C.anchor(row['id'])}",
        f":class: claim verdict-{v.replace(' ', '-')}",
        "",
        f"**Text (German):** *„{row['quote_de']}“*",
        "",
        f"**Claim:** {row['claim_en']}",
        "",
        f"**Verdict: {v}.** {row['reason']}",
        "",
    ]
    if str(row["evidence"]).strip():
        lines += [f"**Evidence:** {row['evidence']}", ""]
    ev = C.evidence_for(row["id"], evidence)
    if row["type"] in C.COMPUTED_TYPES:
        comp = C.compute_verdict(row["type"], row["claimed_value"], row["comparison"], ev, row["unit"])
        lines += [f"**Computed:** {comp.explanation} → *{comp.verdict}* (rule: see {{ref}}`method-rules`).", ""]
    if not ev.empty:
        if True:
            lines += ["| whose figure | value | as of | source |", "|---|---|---|---|"]
            for _, e in ev.iterrows():
                val = _fmt(e["value_low"]) + (f"–{_fmt(e['value_high'])}" if str(e["value_high"]).strip() else "")
                lines.append(f"| {e['party']} | {val} {e['unit'] if e['unit'] != 'date' else ''} | "
                             f"{e['as_of'] or ''} | {_cite(e['source_key'])} |")
            lines.append("")
    if row["verdict"] == "unverifiable" and str(row["searched"]).strip():
        lines += [f"**Searched:** {row['searched']}", ""]
    if str(row["sources"]).strip():
        lines += [f"**Sources:** {_cite(row['sources'])}", ""]
    lines.append(":::")
    return "\n".join(lines)


def claim_cards(point: str) -> Markdown:
    reg = C.load_registry()
    from .data import load
    ev = load("evidence")
    rows = C.for_point(point, reg)
    if rows.empty:
        return Markdown(f"*No claims of point {point} are in the registry yet.*")
    return Markdown("\n\n".join(claim_card(r, ev) for _, r in rows.iterrows()))


def verdict_table(point: str | None = None) -> Markdown:
    reg = C.load_registry()
    rows = reg if point is None else C.for_point(point, reg)
    out = ["| id | type | claim | verdict |", "|---|---|---|---|"]
    for _, r in rows.iterrows():
        out.append(f"| [{r['id']}](#{C.anchor(r['id'])}) | {r['type']} | {r['claim_en']} | "
                   f"{VERDICT_SYMBOL[r['verdict']]} {r['verdict']} |")
    return Markdown("\n".join(out))


def passage(segment_ids: list[str]) -> Markdown:
    """The German passage and the English rendering, side by side in HTML, one after the other in PDF."""
    from .data import load
    seg = load("segments").set_index("id")
    parts = []
    for sid in segment_ids:
        de, en = seg.loc[sid, "text_de"], seg.loc[sid, "text_en"]
        de = "{arabic}`" + de + "`" if sid == "verse-ar" else _escape(de)
        parts.append(
            "::::{grid} 1 1 2 2\n:gutter: 2\n\n"
            f":::{{grid-item-card}} {'Original (Arabic)' if sid == 'verse-ar' else 'German original'}\n"
            f":class-card: passage-de\n\n{de}\n:::\n\n"
            f":::{{grid-item-card}} English rendering (ours)\n:class-card: passage-en\n\n{_escape(en)}\n:::\n"
            "::::")
    return Markdown("\n\n".join(parts))


def _escape(s: str) -> str:
    # Markdown would read "1." at a line start as a list and "*" as emphasis; keep the text literal.
    for ch in ("\\", "*", "_", "`", "[", "]", "<", ">", "#", "|"):
        s = s.replace(ch, "\\" + ch)
    return re.sub(r"^(\d+)\. ", r"\1\\. ", s)


def table(df: pd.DataFrame, columns: dict[str, str], sources: str | None = None, fmt: dict | None = None) -> Markdown:
    """A MyST table of ``df``: ``columns`` maps column -> header; ``sources`` names a column of
    bibliography keys rendered as citations; ``fmt`` maps column -> format string."""
    fmt = fmt or {}
    heads = list(columns.values()) + (["Source"] if sources else [])
    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    for _, r in df.iterrows():
        cells = []
        for c in columns:
            v = r[c]
            cells.append("" if pd.isna(v) else (fmt[c].format(v) if c in fmt else _escape(_fmt(v))))
        if sources:
            cells.append(_cite(r[sources]))
        lines.append("| " + " | ".join(x.replace("\n", " ") for x in cells) + " |")
    return Markdown("\n".join(lines))

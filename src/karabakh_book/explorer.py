"""The claim explorer: every claim of the registry in one table, with a text box that matches ids,
the text's words, the claims, figures and dates, and selects for point, verdict, type, whose claim
and confidence (``_static/explorer.js`` does the filtering, offline). In the PDF, where nothing can
be filtered, the same rows appear as a plain table."""

from __future__ import annotations

import html
import re

import pandas as pd

from . import argument
from . import claims as C
from .present import VERDICT_SYMBOL, _escape, _pdf_table, quote_marks

#: Whose claim a row is: the text's own words, or words it attributes to someone.
WHOSE = {"attributed quote": "words the text attributes to others"}


def _search_text(r: pd.Series) -> str:
    """What the text box matches: id, the German words, the claim, the value, the reason; dates also
    written as the text writes them (09.07.2023) and figures without separators (100000)."""
    parts = [r["id"], r["quote_de"], r["claim_en"], r["claimed_value"], r["reason"], r["verdict"], r["type"]]
    for d in re.findall(r"\d{4}-\d{2}-\d{2}", str(r["claimed_value"])):
        y, m, dd = d.split("-")
        parts.append(f"{dd}.{m}.{y} {int(dd)}.{int(m)}.{y}")
    text = " ".join(str(p) for p in parts)
    text += " " + re.sub(r"(?<=\d)[.,](?=\d{3}\b)", "", text)
    return html.escape(text.lower(), quote=True)


class Explorer:
    def __init__(self, reg: pd.DataFrame):
        self.reg = reg

    def _repr_html_(self) -> str:
        reg = self.reg
        opts = {
            "point": [p for p in C.POINTS if p in set(reg["point"])],
            "verdict": [v for v in C.VERDICTS if v in set(reg["verdict"])],
            "type": [t for t in C.TYPES if t in set(reg["type"])],
            "whose": ["the text's own", WHOSE["attributed quote"]],
            "confidence": ["high", "medium", "low"],
        }
        labels = {
            "point": "Point",
            "verdict": "Verdict",
            "type": "Kind of claim",
            "whose": "Whose claim",
            "confidence": "Confidence",
        }
        sel = "".join(
            f'<label>{labels[f]} <select data-field="{f}"><option value="">all</option>'
            + "".join(f'<option value="{html.escape(o)}">{html.escape(o)}</option>' for o in vals)
            + "</select></label>"
            for f, vals in opts.items()
        )
        rows = []
        for _, r in reg.iterrows():
            v = r["verdict"]
            whose = WHOSE.get(r["type"], "the text's own")
            link = argument.href(r["id"], r["point"])
            rows.append(
                f'<tr data-search="{_search_text(r)}" data-point="{html.escape(r["point"])}" '
                f'data-verdict="{html.escape(v)}" data-type="{html.escape(r["type"])}" data-whose="{html.escape(whose)}" '
                f'data-confidence="{html.escape(r["confidence"])}">'
                f'<td><a href="{link}">{r["id"]}</a></td>'
                f'<td class="verdict-cell verdict-{v.replace(" ", "-")}"><span aria-hidden="true">{VERDICT_SYMBOL[v]}</span> {html.escape(v)}</td>'
                f'<td>{html.escape(r["claim_en"])}<div class="explorer-quote" lang="de">{html.escape(quote_marks(r["quote_de"]))}</div></td>'
                f"<td>{html.escape(r['type'])}</td><td>{html.escape(r['confidence'])}</td></tr>"
            )
        return (
            '<div id="claims-explorer">'
            '<div class="explorer-controls"><label>Search <input type="search" name="q" '
            'placeholder="an id, a word, a figure or a date: P3-11, Peskov, 20-24, 09.07.2023" '
            'aria-label="Search the claims"></label>' + sel + "</div>"
            '<p class="explorer-count" aria-live="polite"></p>'
            '<table class="explorer-table"><thead><tr><th>id</th><th>verdict</th><th>claim (and the text\'s words)</th>'
            "<th>kind</th><th>confidence</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>"
        )

    def _repr_markdown_(self) -> str:
        out = ["| id | verdict | claim |", "|---|---|---|"]
        for _, r in self.reg.iterrows():
            out.append(
                f"| {{ref}}`{r['id']} <{C.anchor(r['id'])}>` | {VERDICT_SYMBOL[r['verdict']]} {r['verdict']} | "
                f"{_escape(r['claim_en'])} |"
            )
        return _pdf_table(out, len(self.reg), [10, 22, 68])

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self._repr_html_(), "text/markdown": self._repr_markdown_()}


def explorer() -> Explorer:
    return Explorer(C.load_registry())


#: The claims as the search page looks them up (written by the build as _static/claims-lookup.js).
LOOKUP_JS = "claims-lookup.js"


def lookup_js(reg: pd.DataFrame | None = None) -> str:
    """Every claim for the search page: id, link to its card (from the site's root), what the
    explorer's text box matches, and a label (id, verdict, claim). The search page jumps straight to
    a card when the query is a claim id, and lists the claims matching the query above the search
    results, with a link to the explorer."""
    import json

    reg = C.load_registry() if reg is None else reg
    rows = [
        [
            r["id"],
            "chapters/" + argument.href(r["id"], r["point"]),
            html.unescape(_search_text(r)),
            f"{r['id']} · {r['verdict']} · {r['claim_en']}",
        ]
        for _, r in reg.iterrows()
    ]
    return "window.KARABAKH_CLAIMS = " + json.dumps(rows, ensure_ascii=False, separators=(",", ":")) + ";\n"

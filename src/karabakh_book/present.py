"""How registry rows appear on a page: claim cards, verdict tables, passages.

Everything here returns MyST Markdown (rendered by myst-nb in HTML and LaTeX alike), so the same
cell gives the same content in the web book and the PDF.
"""

from __future__ import annotations

import re

import pandas as pd
from IPython.display import Markdown

from . import cite, text
from . import claims as C

VERDICT_SYMBOL = {
    "correct": "✔",
    "partly correct": "◐",
    "incorrect": "✘",
    "unverifiable": "?",
    "supported by the record": "✔",
    "partly supported": "◐",
    "unsupported": "○",
    "contradicted by the record": "✘",
    "opinion": "≈",
}


def _cite(keys: str) -> str:
    from .data import split_keys

    ks = split_keys(keys)
    return "{cite:p}`" + ",".join(ks) + "`" if ks else "none"


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:,.10g}"
    return str(v)


#: The one figure formatter (defined with the computed verdicts, which print figures too).
human_number = C.figure


def claim_card(
    row: pd.Series,
    evidence: pd.DataFrame,
    argument: pd.DataFrame | None = None,
    verdicts: dict | None = None,
    words: pd.DataFrame | None = None,
) -> str:
    v = row["verdict"]
    assessed = v in C.ASSESSMENTS
    lines = [
        # A bookmark in the PDF's outline for every claim, under its chapter's "every claim" section;
        # the box in its verdict's colour (the group opened here ends after the box); the room the
        # box needs is appended to this raw block once the card is complete
        "```{raw} latex",
        f"\\pdfbookmark[2]{{{row['id']}: {v}}}{{bm-{C.anchor(row['id'])}}}",
        pdf_card_colours(v),
        "```",
        "",
        # A target of its own before the box (not the box's :name:), so LaTeX emits a \label too and
        # the claim links work in the PDF as well as in HTML.
        f"({C.anchor(row['id'])})=",
        f":::{{admonition}} {row['id']} · {row['type']} · {VERDICT_SYMBOL[v]} {v}",
        f":class: claim verdict-{v.replace(' ', '-')}",
        "",
        f"**Text (German):** *{{de}}`„{row['quote_de']}“`*",
        "",
        f"**Claim:** {row['claim_en']}",
        "",
        f"**{'Assessment' if assessed else 'Verdict'}: {v}.** {row['reason']}",
        "",
    ]
    ev = C.evidence_for(row["id"], evidence)
    if row["type"] in C.COMPUTED_TYPES:
        only = C.matches_only(row["type"], row["claimed_value"], row["comparison"], ev, row["unit"])
        if only:
            lines += [f"**Whose figure:** the text's figure matches only {only} figure.", ""]
        if str(row.get("qualifier", "")).strip() == "wrong":
            lines += [
                "**Qualifier:** the figure or date is attached to the wrong recipient, place, party or "
                "occasion, so the statement is not correct as a whole (see the reason).",
                "",
            ]
    lead = str(row.get("finding", "") or "").strip()
    if lead:
        lines += [f"**Same finding as** {{ref}}`{lead} <{C.anchor(lead)}>`: one error, counted once.", ""]
    if argument is not None and verdicts is not None:
        prem = argument[argument["to_id"] == row["id"]]
        if not prem.empty:
            lines += [
                "**Rests on:** "
                + "; ".join(
                    f"{{ref}}`{p} <{C.anchor(p)}>`\u00a0{VERDICT_SYMBOL[verdicts[p]]} {verdicts[p]} ({k})"
                    for p, k in zip(prem["from_id"], prem["kind"])
                )
                + ".",
                "",
            ]
    if str(row["evidence"]).strip():
        lines += [f"**Evidence:** {row['evidence']}", ""]
    if row["type"] in C.COMPUTED_TYPES:
        comp = C.compute_verdict(
            row["type"], row["claimed_value"], row["comparison"], ev, row["unit"], row.get("qualifier", "")
        )
        lines += [f"**Computed:** {comp.explanation} → *{comp.verdict}* (rule: see {{ref}}`method-rules`).", ""]
    table: list[str] = []
    if not ev.empty:
        computed = row["type"] in C.COMPUTED_TYPES
        status = counted_status(row, ev) if computed else None
        head = "| whose figure | value | as of | source |" + (" in the verdict? |" if computed else "")
        # PDF: fixed, left-aligned column widths (LaTeX would otherwise squeeze the value column)
        widths = ["0.25", "0.16", "0.16", "0.25", "0.18"] if computed else ["0.3", "0.2", "0.16", "0.34"]
        table = [
            "```{tabularcolumns} " + "".join(f"L{{{w}}}" for w in widths),
            "```",
            "",
            head,
            "|---" * (5 if computed else 4) + "|",
        ]
        for i, e in ev.iterrows():
            lo, hi = str(e["value_low"]), str(e["value_high"]).strip()
            val = human_number(lo) + (f"–{human_number(hi)}" if hi and hi != lo else "")
            table.append(
                f"| {e['party']} | {val} {e['unit'] if e['unit'] != 'date' else ''} | "
                f"{e['as_of'] or ''} | {_cite(e['source_key'])} ({cite.tier(e['source_key'])}) |"
                + (f" {status[i]} |" if computed else "")
            )
        if len(ev) > 10:
            # a long evidence table continues on the next PDF page (longtable) instead of running
            # over the page foot; HTML is unaffected
            table = table[:3] + ["```{table}", ":class: longtable", ""] + table[3:] + ["```"]
        table.append("")
        ev_words = source_words(ev)
        if ev_words:
            table += ["*In the sources' own words:*", "", *ev_words, ""]
    own = words[words["claim_id"] == row["id"]] if words is not None else pd.DataFrame()
    if not own.empty:
        lines += ["**In the sources' own words:**", ""]
        lines += [
            f"- {_cite(w['source_key'])} ({cite.tier(w['source_key'])}): {_quoted(w['words'])}"
            + (f" (our rendering: {_escape(w['words_en'])})" if str(w["words_en"]).strip() else "")
            for _, w in own.iterrows()
        ]
        lines.append("")
    if str(row["searched"]).strip() and v in ("unverifiable", "unsupported"):
        lines += [f"**Searched:** {row['searched']}", ""]
    if str(row["sources"]).strip():
        lines += [f"**Sources:** {_cite(row['sources'])}. {tier_line(row['sources'])}", ""]
    lines += [
        f"**Confidence:** {row['confidence']}."
        + (
            " Every source of this verdict is a copy or a reference work, so it is at most medium."
            if C.rests_on_copies(row, ev)
            else ""
        ),
        "",
    ]
    lines.append(":::")
    lines += ["", "```{raw} latex", "\\endgroup", "```", ""]
    # PDF: keep the box on one page when it fits on one (it breaks only when it cannot fit)
    need = _card_lines(lines)
    lines[2] += f"\\Needspace*{{{need or 12}\\baselineskip}}" + ("% longer than a page" if need is None else "")
    if table:
        # The table follows the box rather than sitting in it: a table cannot break across a PDF
        # page inside a framed box, and would run over the page foot.
        lines += ["", f"*Figures and dates for {row['id']}:*", ""] + table
    return "\n".join(lines)


def pdf_card_colours(verdict: str) -> str:
    """LaTeX that sets the next claim box in its verdict's colour: the border in the colour of the
    HTML card and the charts, the title bar in a light tint of it (black text stays readable). It
    opens a group, so the colours end with the box."""
    from .figures import VERDICT_COLOURS, tint

    colour = VERDICT_COLOURS[verdict]
    hexa, light = colour.lstrip("#").upper(), tint(colour, 0.18).lstrip("#").upper()
    return (
        "\\begingroup\\sphinxsetup{"
        f"div.note_border-TeXcolor={{HTML}}{{{hexa}}},div.note_title-background-TeXcolor={{HTML}}{{{light}}},"
        "div.note_border-width=1.6pt}"
    )


def _plain(md: str) -> str:
    """About the text a line of MyST shows, for measuring it: a role's target dropped
    ({ref}`P1-06 <claim-p1-06>` -> P1-06), backticks, emphasis marks and escapes removed."""
    return re.sub(r"\{[a-z:]+\}`([^`<]*)[^`]*`|[`*\\]", r"\1", md)


def _card_lines(lines: list[str]) -> int | None:
    """About how many lines of the PDF page a card's box takes (some 100 characters to a line), so
    it starts on a new page when the rest of this one cannot hold it; None for a box longer than
    a page, which then asks only for room for its first lines (and may break)."""
    n = 4
    for ln in lines:
        if ln.startswith("```") or ln.startswith(":") or ln.startswith("(") and ln.endswith(")="):
            continue
        plain = _plain(ln)
        n += (len(plain) + 99) // 100 if plain.strip() else 0.4
    n = int(n)
    return n if n <= 56 else None


def source_words(ev: pd.DataFrame) -> list[str]:
    """The decisive words of each evidence row's source, verbatim, with our English rendering."""
    out = []
    if "source_words" not in ev.columns:
        return out
    seen = set()
    for _, e in ev.iterrows():
        w = str(e["source_words"]).strip()
        if not w or (e["source_key"], w) in seen:
            continue
        seen.add((e["source_key"], w))
        en = str(e.get("source_words_en", "")).strip()
        out.append(
            f"- {_cite(e['source_key'])} ({cite.tier(e['source_key'])}): {_quoted(w)}"
            + (f" (our rendering: {_escape(en)})" if en else "")
        )
    return out


def quote_marks(words: str) -> str:
    """Quoted words in German quotation marks, unless they already open with their own."""
    w = str(words).strip()
    return w if w[:1] in "\"“„«‚'(" else f"„{w}“"


def _quoted(words: str) -> str:
    """A source's words, quoted, as MyST text."""
    return _escape(quote_marks(words))


def tier_line(keys: str) -> str:
    """The tiers of a list of sources, in words: "Tiers: 2 primary, 1 news."."""
    from .data import split_keys

    counts = pd.Series([cite.tier(k) for k in split_keys(keys)]).value_counts()
    order = [t for t in cite.TIERS if t in counts.index]
    return "Tiers: " + ", ".join(f"{counts[t]} {t}" for t in order) + "."


def counted_status(row: pd.Series, ev: pd.DataFrame) -> pd.Series:
    """For each evidence row of a computed claim: does it enter the verdict, and if not, why."""
    same = ev.index.isin(C.comparable(row["type"], row["unit"], ev).index)
    earlier = (
        C.superseded(ev[same]).reindex(ev.index, fill_value=False)
        if row["type"] == "quantity"
        else pd.Series(False, index=ev.index)
    )
    context = ev["role"].fillna("").eq("context") if "role" in ev.columns else pd.Series(False, index=ev.index)
    decides = C.deciding(ev[same]).reindex(ev.index, fill_value=True)
    indep = "the book's measurement" if (ev.loc[same, "perspective"] == "measured").any() else "independent evidence"
    return pd.Series(
        [
            "no: context"
            if context[i]
            else "no: superseded by the party's later figure"
            if earlier[i]
            else f"no: {indep} decides"
            if same[k] and not decides[i]
            else "yes"
            if same[k]
            else f"no: other measure ({ev.loc[i, 'unit']})"
            for k, i in enumerate(ev.index)
        ],
        index=ev.index,
    )


def claim_cards(point: str) -> Markdown:
    reg = C.load_registry()
    from . import argument
    from .data import load

    ev = load("evidence")
    arg = argument.load()
    words = load("source_words")
    verdicts = dict(zip(reg["id"], reg["verdict"]))
    rows = C.for_point(point, reg)
    if rows.empty:
        return Markdown(f"*No claims of point {point} are in the registry yet.*")
    return Markdown("\n\n".join(claim_card(r, ev, arg, verdicts, words) for _, r in rows.iterrows()))


def verdict_table(point: str | None = None) -> Markdown:
    reg = C.load_registry()
    rows = reg if point is None else C.for_point(point, reg)
    out = ["| id | type | claim | verdict |", "|---|---|---|---|"]
    for _, r in rows.iterrows():
        out.append(
            f"| [{r['id']}](#{C.anchor(r['id'])}) | {r['type']} | {r['claim_en']} | {verdict_span(r['verdict'])} |"
        )
    # claims-table: on a phone each row is stacked (id and type, the claim, the verdict), so the
    # verdict is never scrolled out of view
    return Markdown(_pdf_table(out, len(rows), [9, 16, 58, 17], classes=["claims-table"]))


def verdict_span(verdict: str) -> str:
    """A verdict as symbol and word, marked with its class (HTML draws its colour beside it; the
    words alone carry it in the PDF and to a screen reader)."""
    slug = verdict.replace(" ", "-")
    return f"[{VERDICT_SYMBOL[verdict]} {verdict}]{{.verdict .verdict-{slug}}}"


def _pdf_table(lines: list[str], n_rows: int, widths: list[int] | None = None, classes: list[str] = ()) -> str:
    """Wrap a Markdown table for the PDF: fixed column shares (so no column falls off the page)
    and, for long tables, LaTeX's longtable (so rows continue on the next page instead of running
    off the bottom). HTML is unaffected but for the ``classes`` given."""
    opts = []
    if widths:
        opts.append(":widths: " + " ".join(str(w) for w in widths))
    cls = (["longtable"] if n_rows > 12 else []) + list(classes)
    if cls:
        opts.append(":class: " + " ".join(cls))
    if not opts:
        return "\n".join(lines)
    return "\n".join(["```{table}", *opts, "", *lines, "```"])


def claim_spans(segment_text: str, rows: pd.DataFrame) -> list[tuple[int, int, list[str]]]:
    """Where the registry's quotes sit in one segment: merged ``(start, end, claim ids)`` regions.

    Quotes of several claims may overlap (one sentence, several claims); overlapping or touching
    quotes become one region carrying all their ids, in registry order.
    """
    found = []
    for _, r in rows.iterrows():
        q = text.normalize(r["quote_de"])
        at = segment_text.find(q)
        if at >= 0:
            found.append((at, at + len(q), r["id"]))
    regions: list[tuple[int, int, list[str]]] = []
    for a, b, cid in sorted(found):
        if regions and a <= regions[-1][1]:
            ra, rb, ids = regions[-1]
            regions[-1] = (ra, max(rb, b), ids + [cid])
        else:
            regions.append((a, b, [cid]))
    return regions


def _marked(segment_text: str, rows: pd.DataFrame) -> str:
    """The German text with each claim's quote marked and followed by links to its claims."""
    verdict = dict(zip(rows["id"], rows["verdict"]))
    order = {cid: i for i, cid in enumerate(rows["id"])}
    out, pos = [], 0
    for a, b, ids in claim_spans(segment_text, rows):
        out.append(_escape(segment_text[pos:a]))
        # The symbol stays outside the link: LaTeX sets link text in italics, and FreeSerif Italic
        # has no ◐ or ✘.
        refs = " ".join(
            "{ref}`" + f"{cid} <{C.anchor(cid)}>" + "`" + f"\u00a0{VERDICT_SYMBOL[verdict[cid]]}"
            for cid in sorted(ids, key=order.get)
        )
        out.append("[" + _escape(segment_text[a:b]) + "]{.claimmark}" + " [\\[" + refs + "\\]]{.claimrefs}")
        pos = b
    out.append(_escape(segment_text[pos:]))
    return "".join(out)


def english_marks(de_text: str, rows: pd.DataFrame) -> str:
    """The claims marked in the German, listed under the English rendering in the same order, with
    the same links and verdict symbols (the rendering is not word for word, so the marks cannot sit
    on its words)."""
    verdict = dict(zip(rows["id"], rows["verdict"]))
    order = {cid: i for i, cid in enumerate(rows["id"])}
    ids = [cid for _, _, span in claim_spans(de_text, rows) for cid in sorted(span, key=order.get)]
    if not ids:
        return ""
    refs = " · ".join(
        "{ref}`" + f"{cid} <{C.anchor(cid)}>" + "`" + f"\u00a0{VERDICT_SYMBOL[verdict[cid]]}\u00a0{verdict[cid]}"
        for cid in dict.fromkeys(ids)
    )
    return "\n\n[Claims in this passage, in the order the German marks them: " + refs + "]{.claimrefs}"


def passage(segment_ids: list[str], marks: bool = True) -> Markdown:
    """The German passage and the English rendering, side by side in HTML, one after the other in PDF.

    With ``marks`` the words each registry claim quotes are marked in the German, followed by links
    to the claims (id and verdict symbol).
    """
    from .data import load

    seg = load("segments").set_index("id")
    reg = C.load_registry() if marks else None
    parts = []
    for sid in segment_ids:
        de, en = seg.loc[sid, "text_de"], seg.loc[sid, "text_en"]
        en = _escape(en)
        if sid == "verse-ar":
            de = "{arabic}`" + de + "`"
        elif marks:
            own = [pt for pt in C.POINTS if sid in C.SEGMENT_OF_POINT.get(pt, [f"p{pt}"])]
            rows = reg[reg["point"].isin(own)]
            en += english_marks(de, rows)
            de = _marked(de, rows)
        else:
            de = _escape(de)
        parts.append(
            "::::{grid} 1 1 2 2\n:gutter: 2\n\n"
            f":::{{grid-item-card}} {'Original (Arabic, garbled by the PDF extraction)' if sid == 'verse-ar' else 'German original'}\n"
            f":class-card: passage-de\n\n{de}\n:::\n\n"
            f":::{{grid-item-card}} English rendering (ours)\n:class-card: passage-en\n\n{en}\n:::\n"
            "::::"
        )
    return Markdown("\n\n".join(parts))


def _escape(s: str) -> str:
    # Markdown would read "1." at a line start as a list and "*" as emphasis; keep the text literal.
    for ch in ("\\", "*", "_", "`", "[", "]", "<", ">", "#", "|"):
        s = s.replace(ch, "\\" + ch)
    return re.sub(r"^(\d+)\. ", r"\1\\. ", s)


def table(
    df: pd.DataFrame,
    columns: dict[str, str],
    sources: str | None = None,
    fmt: dict | None = None,
    widths: list[int] | None = None,
    classes: list[str] = (),
) -> Markdown:
    """A MyST table of ``df``: ``columns`` maps column -> header; ``sources`` names a column of
    bibliography keys rendered as citations; ``fmt`` maps column -> format string; ``widths`` gives
    the columns' relative widths in the PDF (long tables also break across pages there);
    ``classes`` are HTML classes of the table (``stack-on-phone``: one labelled block per row on a
    phone)."""
    fmt = fmt or {}
    heads = list(columns.values()) + (["Source"] if sources else [])
    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    body = []
    for _, r in df.iterrows():
        cells = []
        for c in columns:
            v = r[c]
            cells.append("" if pd.isna(v) else (fmt[c].format(v) if c in fmt else _escape(_fmt(v))))
        if sources:
            cells.append(_cite(r[sources]))
        body.append([x.replace("\n", " ") for x in cells])
        lines.append("| " + " | ".join(body[-1]) + " |")
    if widths is None and len(heads) >= 4:
        widths = content_widths(heads, body, cited=len(heads) - 1 if sources else None)
    return Markdown(_pdf_table(lines, len(df), widths, classes))


def content_widths(heads: list[str], rows: list[list[str]], cited: int | None = None) -> list[int]:
    """PDF column shares from what the columns hold: each column gets at least its longest word
    (a word cannot break, and a name should not be hyphenated) and otherwise its mean text length,
    capped so one long column does not squeeze the others. ``cited`` is the index of a column of
    citations, whose Markdown is longer than the labels it becomes."""
    out = []
    for i, head in enumerate(heads):
        cells = [head] + [r[i] for r in rows]
        if i == cited:
            out.append(22)
            continue
        plain = [_plain(c) for c in cells]
        # headers are set in bold sans, wider than the body's serif; a header word longer than
        # seven letters may be hyphenated; each column also loses its gaps (about two letters)
        longest = max(
            [min(len(w), 7) * 1.5 for w in plain[0].split()] + [len(w) * 1.15 for c in plain[1:] for w in c.split()]
        )
        mean = sum(len(c) for c in plain[1:]) / max(len(plain) - 1, 1)
        out.append(round(max(longest, min(mean, 45), 4)) + 2)
    return out


def _glossary_block(items) -> Markdown:
    """A Sphinx glossary of (headword, definition) items: each headword is a term (and an index
    entry); its other spellings are named in the definition and, in the index, refer to it
    ("Fizuli, see Fuzuli (district)")."""
    lines, see = ["```{glossary}", ":sorted:", ""], []
    for w, definition in items:
        if w is None:
            continue
        also = f" Also written: {', '.join(w.written())}." if w.written() else ""
        lines += [w.name, "   " + definition.replace("\n", " ") + also, ""]
        see += [f"see: {s}; {w.name}" for s in w.see()]
    lines.append("```")
    for entry in see:
        lines += ["", "```{index} " + entry, "```"]
    return Markdown("\n".join(lines))


def glossary() -> Markdown:
    """People, organisations and terms from ``data/glossary.csv``."""
    from . import names
    from .data import split_keys

    items = []
    for w, r in names.sections()[0]:
        said = f" The text writes *{r['text_writes']}*." if r["text_writes"] else ""
        claims = ", ".join("{ref}`" + f"{c} <{C.anchor(c)}>" + "`" for c in split_keys(r["claims"]))
        items.append(
            (
                w,
                f"({r['kind']}) {r['description']}{said}"
                + (f" Claims: {claims}." if claims else "")
                + f" {_cite(r['source_key'])}",
            )
        )
    return _glossary_block(items)


def places() -> Markdown:
    """Places from the gazetteer and Azerbaijan's districts from the crosswalk."""
    from . import names

    items = []
    for w, r in names.sections()[1]:
        if "ne_name" in r:
            items.append(
                (
                    w,
                    f"({r['kind']} of Azerbaijan) Azerbaijani: {r['name_local']}; {r['name_variants']}. "
                    f"In Natural Earth: name {r['ne_name']}, gn_name {r['ne_gn_name']}"
                    + ("" if r["ne_name_status"] == "ok" else f" ({r['ne_name_status']})")
                    + ".",
                )
            )
            continue
        other = "; ".join(
            x
            for x in (
                f"Armenian: {r['name_hy_translit']}" if r["name_hy_translit"] else "",
                f"Azerbaijani: {r['name_az']}" if r["name_az"] else "",
            )
            if x
        )
        items.append((w, f"({r['kind']}) {other}. {_cite(r['source_key'])}"))
    return _glossary_block(items)


def _claim_ref(cid: str) -> str:
    return "{ref}`" + f"{cid} <{C.anchor(cid)}>" + "`"


def argument_summary(arg: pd.DataFrame, reg: pd.DataFrame, main: list[str]) -> Markdown:
    """For each main thesis, generated from the data: what it rests on and what is left of it."""
    from . import argument

    out = []
    for t in main:
        s = argument.standing(arg, reg, t)
        out.append(f"- **{_escape(arg.attrs['theses'][t])}.** {s.sentence(_claim_ref)}")
    return Markdown("\n".join(out))


def argument_maps(arg: pd.DataFrame, reg: pd.DataFrame, main: list[str]) -> None:
    """One map per main thesis, each under a line naming the thesis (display outputs in order)."""
    from IPython.display import display

    from . import argument

    claim = dict(zip(reg["id"], reg["claim_en"]))
    verdict = dict(zip(reg["id"], reg["verdict"]))
    for k, t in enumerate(main, 1):
        n = len(argument.thesis_support(arg, t))
        display(
            Markdown(
                f"**Map {k}. Thesis {_claim_ref(t)} ({VERDICT_SYMBOL[verdict[t]]} {verdict[t]}):** "
                f"{_escape(claim[t])} It rests on {n} claim{'s' if n != 1 else ''}."
            )
        )
        alt = (
            f"Argument map {k}: thesis {t} at the top and the {n} claims it rests on below, each box "
            f"coloured by its verdict, with arrows from each claim to the claim it supports."
        )
        display(argument.MapFigure(argument.draw(arg, reg, t), alt, t))


def point_sources(point: str, reg: pd.DataFrame, ev: pd.DataFrame, words: pd.DataFrame) -> set[str]:
    """Every source key a point's cards cite: the claims' own, their evidence rows', their words'."""
    from .data import keys_in

    rows = reg[reg["point"] == point]
    keys = set(keys_in(rows["sources"]))
    keys |= set(ev.loc[ev["claim_id"].isin(rows["id"]), "source_key"])
    keys |= set(words.loc[words["claim_id"].isin(rows["id"]), "source_key"])
    return keys


def tiers_by_point() -> Markdown:
    """A table: for each point, how many of its sources are of each tier."""
    from .data import load

    reg, ev, words = C.load_registry(), load("evidence"), load("source_words")
    rows, total = [], set()
    for p in C.POINTS:
        keys = point_sources(p, reg, ev, words)
        total |= keys
        rows.append({"point": p, **{t: sum(cite.tier(k) == t for k in keys) for t in cite.TIERS}, "sources": len(keys)})
    rows.append(
        {
            "point": "whole book (each source once)",
            **{t: sum(cite.tier(k) == t for k in total) for t in cite.TIERS},
            "sources": len(total),
        }
    )
    t = pd.DataFrame(rows)
    return table(t, {c: c for c in t.columns}, widths=[22] + [10] * len(cite.TIERS) + [8])

"""The text read as an argument: ``data/argument.csv``, one row per inference step.

A step runs from one registry claim to another: ``from_id`` is offered by the text in support of
``to_id``, as a *premise* (a statement the conclusion rests on), an *example* (an illustration
offered for it) or an *inference* (an intermediate conclusion the next one is drawn from). The
*theses* (``data/theses.csv``) are the claims the text argues for; each has its own map, which
stops at another thesis. Every node is a registry id, so each node carries
the verdict of its card; this module checks the steps, says what each thesis rests on, and draws
the map (inline SVG with links to the cards in HTML, vector PDF in the book's PDF).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import PurePosixPath

import pandas as pd

from . import claims as C
from . import data

KINDS = ["premise", "example", "inference"]
#: The text's main thesis, which the landing page and the conclusions report on.
MAIN_THESIS = "P8b-09"


class ArgumentError(data.DataError):
    pass


def load(reg: pd.DataFrame | None = None) -> pd.DataFrame:
    """The steps, validated against their schema and against the registry; the theses (from
    ``data/theses.csv``) are in ``arg.attrs["theses"]`` as an ordered dict id -> short title."""
    reg = C.load_registry() if reg is None else reg
    arg = data.load("argument")
    th = data.load("theses")
    check(arg, reg, th)
    arg.attrs["theses"] = dict(zip(th["claim_id"], th["thesis"]))
    return arg


def check(arg: pd.DataFrame, reg: pd.DataFrame, theses: pd.DataFrame | None = None) -> None:
    """Every node is a registry id; no step links a claim to itself; the map has no cycle; every
    thesis is a claim that the steps reach."""
    f = arg.attrs.get("source_file", "data/argument.csv")
    known = set(reg["id"])
    problems = []
    if theses is not None:
        tf = theses.attrs.get("source_file", "data/theses.csv")
        for i, t in enumerate(theses["claim_id"]):
            if t not in known:
                problems.append(f"{tf}: line {i + 2}, column 'claim_id': {t!r} is not a claim in the registry")
            elif t not in set(arg["to_id"]):
                problems.append(f"{tf}: line {i + 2}, column 'claim_id': no step of data/argument.csv leads to {t}")
    for i, r in arg.reset_index(drop=True).iterrows():
        for col in ("from_id", "to_id"):
            if r[col] not in known:
                problems.append(f"{f}: line {i + 2}, column '{col}': {r[col]!r} is not a claim in the registry")
        if r["from_id"] == r["to_id"]:
            problems.append(f"{f}: line {i + 2}, column 'to_id': a step from {r['from_id']} to itself")
    if not problems:
        cyc = _cycle(arg)
        if cyc:
            problems.append(f"{f}: the steps form a cycle: {' -> '.join(cyc)}")
    if problems:
        raise ArgumentError("\n".join(problems))


def _cycle(arg: pd.DataFrame) -> list[str]:
    succ: dict[str, list[str]] = {}
    for a, b in zip(arg["from_id"], arg["to_id"]):
        succ.setdefault(a, []).append(b)
    state: dict[str, int] = {}

    def visit(n, path):
        state[n] = 1
        for m in succ.get(n, []):
            if state.get(m) == 1:
                return path + [n, m]
            if not state.get(m):
                found = visit(m, path + [n])
                if found:
                    return found
        state[n] = 2
        return []

    for n in list(succ):
        if not state.get(n):
            found = visit(n, [])
            if found:
                return found
    return []


def support(arg: pd.DataFrame, node: str, stop: set[str] | frozenset = frozenset()) -> list[str]:
    """Every claim the node rests on, directly or through intermediate conclusions, breadth-first
    from the node. A claim in ``stop`` (another thesis, with its own map) is included but not
    expanded."""
    pred: dict[str, list[str]] = {}
    for a, b in zip(arg["from_id"], arg["to_id"]):
        pred.setdefault(b, []).append(a)
    out, todo = [], [node]
    while todo:
        n = todo.pop(0)
        for p in pred.get(n, []):
            if p not in out and p != node:
                out.append(p)
                if p not in stop:
                    todo.append(p)
    return out


def thesis_support(arg: pd.DataFrame, thesis: str) -> list[str]:
    """What a thesis rests on, up to (and including) the other theses it draws on."""
    return support(arg, thesis, set(arg.attrs.get("theses", {})) - {thesis})


@dataclass
class Standing:
    """What is left of a thesis once the premises that fail are taken away."""

    thesis: str
    verdict: str
    rests_on: list[str]
    failed: list[str]  # incorrect or contradicted by the record
    unsupported: list[str]  # unsupported or unverifiable
    partly: list[str]  # partly correct or partly supported
    standing: list[str]  # correct or supported by the record
    opinion: list[str]

    def sentence(self, link) -> str:
        def ids(xs):
            return ", ".join(link(x) for x in xs)

        n = len(self.rests_on)
        k = len(self.failed)
        s = (
            f"{link(self.thesis)} (assessed *{self.verdict}*) rests on {n} claim{'s' if n != 1 else ''} of the text; "
            + (
                f"{k} of them {'is' if k == 1 else 'are'} incorrect or contradicted by the record ({ids(self.failed)})"
                if k
                else "none of them is incorrect or contradicted by the record"
            )
        )
        if self.unsupported:
            s += f", {len(self.unsupported)} {'is' if len(self.unsupported) == 1 else 'are'} unsupported or unverifiable ({ids(self.unsupported)})"
        if self.partly:
            s += f", {len(self.partly)} only partly hold{'s' if len(self.partly) == 1 else ''} ({ids(self.partly)})"
        if self.opinion:
            s += f", {len(self.opinion)} {'is an opinion' if len(self.opinion) == 1 else 'are opinions'} ({ids(self.opinion)})"
        s += ". "
        if self.standing:
            s += (
                f"What stands when those are taken away: {len(self.standing)} claim"
                f"{'s' if len(self.standing) != 1 else ''} that the record supports ({ids(self.standing)})."
            )
        else:
            s += "None of the claims it rests on is supported by the record as stated."
        return s


def standing(arg: pd.DataFrame, reg: pd.DataFrame, thesis: str) -> Standing:
    v = dict(zip(reg["id"], reg["verdict"]))
    rests = thesis_support(arg, thesis)

    def pick(vs):
        return [x for x in rests if v[x] in vs]

    return Standing(
        thesis,
        v[thesis],
        rests,
        pick(C.WRONG),
        pick(["unsupported", "unverifiable"]),
        pick(["partly correct", "partly supported"]),
        pick(["correct", "supported by the record"]),
        pick(["opinion"]),
    )


def _levels(arg: pd.DataFrame, thesis: str) -> dict[str, int]:
    """Longest path from each supporting claim to the thesis (the thesis is level 0)."""
    nodes = set(thesis_support(arg, thesis)) | {thesis}
    succ: dict[str, list[str]] = {}
    for a, b in zip(arg["from_id"], arg["to_id"]):
        if a in nodes and b in nodes:
            succ.setdefault(a, []).append(b)
    memo: dict[str, int] = {thesis: 0}

    def depth(n):
        if n not in memo:
            memo[n] = 1 + max(depth(m) for m in succ[n])
        return memo[n]

    return {n: depth(n) for n in nodes}


def href(claim_id: str, point: str) -> str:
    """Link from a page in chapters/ to a claim's card."""
    from .claimreview import chapter_of_point

    return f"{PurePosixPath(chapter_of_point()[point]).name}.html#{C.anchor(claim_id)}"


#: The box header: claim id and verdict, bold, in points; a second header line takes HEAD_LINE inches.
HEAD_SIZE = 7.2
HEAD_LINE = 0.13


def box_header(cid: str, verdict: str, room: float) -> str:
    """A box's header, "P8d-03  ✘ contradicted by the record", on one line if it fits in ``room``
    inches, else with the verdict on a second line (it had run over the box's right edge)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    line = f"{cid}  {verdict}"
    prop = FontProperties(weight="bold", size=HEAD_SIZE)  # the book's font (figures sets it)
    width_pt, _, _ = TextToPath().get_text_width_height_descent(line, prop, ismath=False)
    return line if width_pt <= room * 72 else f"{cid}\n{verdict}"


def draw(arg: pd.DataFrame, reg: pd.DataFrame, thesis: str, per_row: int = 3):
    """One thesis and everything it rests on, top-down: boxes coloured by verdict (symbol and word
    in the box), arrows from what supports to what is supported (dashed: an example); each box
    links to its card. Within a level, boxes sit under the claims they support (fewer crossings)."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    from . import figures
    from .present import VERDICT_SYMBOL

    lv = _levels(arg, thesis)
    order = {cid: i for i, cid in enumerate(reg["id"])}
    succ: dict[str, list[str]] = {}
    for a, b in zip(arg["from_id"], arg["to_id"]):
        if a in lv and b in lv:
            succ.setdefault(a, []).append(b)
    box_w, gap_x, gap_y = 2.2, 0.18, 0.45
    width = per_row * box_w + (per_row - 1) * gap_x
    r = reg.set_index("id")
    body = {cid: textwrap.fill(r.loc[cid, "claim_en"], 37, max_lines=4, placeholder=" …") for cid in lv}
    xcentre: dict[str, float] = {}
    rows: list[list[str]] = []
    for level in range(max(lv.values()) + 1):
        ids = [n for n, x in lv.items() if x == level]
        # barycentre of the claims each supports (already placed), then the text's order
        ids.sort(
            key=lambda n: (
                sum(xcentre[m] for m in succ.get(n, [])) / max(len(succ.get(n, [])), 1) if succ.get(n) else width / 2,
                order[n],
            )
        )
        for i in range(0, len(ids), per_row):
            row = ids[i : i + per_row]
            x0 = (width - (len(row) * box_w + (len(row) - 1) * gap_x)) / 2
            for j, cid in enumerate(row):
                xcentre[cid] = x0 + j * (box_w + gap_x) + box_w / 2
            rows.append(row)
    verdict = r["verdict"]
    heads = {cid: box_header(cid, f"{VERDICT_SYMBOL[verdict[cid]]} {verdict[cid]}", box_w - 0.14) for cid in lv}
    # a header on two lines moves its box's text down one header line (HEAD_LINE)
    extra = {cid: HEAD_LINE * heads[cid].count("\n") for cid in lv}
    heights = [0.36 + max(0.15 * (body[c].count("\n") + 1) + extra[c] for c in row) for row in rows]
    total = sum(heights) + gap_y * len(rows)
    fig, ax = figures.new(width, total)
    ax.set_xlim(-0.08, width + 0.08)  # room for the boxes' rounded pad at both edges
    ax.set_ylim(0, total)
    ax.axis("off")
    pos = {}
    y_top = total
    for row, h in zip(rows, heights):
        y = y_top - h - gap_y / 2
        for cid in row:
            x = xcentre[cid] - box_w / 2
            pos[cid] = (x, y, h)
            v = r.loc[cid, "verdict"]
            colour = figures.VERDICT_COLOURS[v]
            url = href(cid, r.loc[cid, "point"])
            patch = FancyBboxPatch(
                (x, y),
                box_w,
                h,
                boxstyle="round,pad=0.02,rounding_size=0.06",
                fc=figures.tint(colour),
                ec=colour,
                lw=2.4 if cid == thesis else 1.2,
                zorder=3,
            )
            patch.set_url(url)
            ax.add_patch(patch)
            head = ax.text(
                x + 0.07,
                y + h - 0.06,
                heads[cid],
                ha="left",
                va="top",
                fontsize=HEAD_SIZE,
                fontweight="bold",
                linespacing=1.1,
                color="#000000",
                zorder=4,
            )
            head.set_url(url)
            t = ax.text(
                x + 0.07,
                y + h - 0.27 - extra[cid],
                body[cid],
                ha="left",
                va="top",
                fontsize=7,
                color="#222222",
                linespacing=1.15,
                zorder=4,
            )
            t.set_url(url)
        y_top -= h + gap_y
    for a, b, k in zip(arg["from_id"], arg["to_id"], arg["kind"]):
        if a in pos and b in pos:
            (xa, ya, ha), (xb, yb, _) = pos[a], pos[b]
            ax.add_patch(
                FancyArrowPatch(
                    (xa + box_w / 2, ya + ha),
                    (xb + box_w / 2, yb),
                    arrowstyle="-|>",
                    mutation_scale=9,
                    lw=0.8,
                    zorder=1,
                    color="#555555",
                    linestyle="--" if k == "example" else "-",
                    shrinkA=1,
                    shrinkB=1,
                )
            )
    return fig


#: The file name (without ".pdf") of a thesis's map in the PDF build; thesis ids are letters,
#: digits and hyphens.
PDF_NAME = "argument-map-{thesis}"


def latex_inclusion(thesis: str) -> str:
    """The LaTeX that includes a thesis's map PDF, as Sphinx includes a PDF image."""
    return "\\noindent\\sphinxincludegraphics{{" + PDF_NAME.format(thesis=thesis) + "}.pdf}"


def included_theses(tex: str) -> list[str]:
    """The theses whose maps a LaTeX source includes (:func:`latex_inclusion`), in its order."""
    import re

    name = re.escape(PDF_NAME).replace(re.escape("{thesis}"), "([A-Za-z0-9-]+)")
    return re.findall(r"\\sphinxincludegraphics\{\{" + name + r"\}\.pdf\}", tex)


class MapFigure:
    """A map for both builders: inline SVG (whose boxes link to the cards) for HTML, and for LaTeX
    the map's vector PDF, named by its thesis (``PDF_NAME``). The PDF is drawn by the PDF build
    (:func:`write_pdfs`, from the book's Sphinx extension), not here: the notebook serves both
    builders, and the HTML build has no use for fourteen PDFs (2.6 s of drawing). myst-nb picks
    ``text/html`` for HTML and, as LaTeX takes no HTML, ``text/markdown`` for LaTeX: a raw LaTeX
    block that includes the PDF as Sphinx includes a PDF image."""

    def __init__(self, fig, alt: str, thesis: str):
        import io

        import matplotlib.pyplot as plt

        svg = io.StringIO()
        with _laid_out(fig) as box:
            with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "karabakh"}):
                fig.savefig(svg, format="svg", bbox_inches=box, metadata={"Date": None})
        plt.close(fig)
        body = svg.getvalue()
        body = body[body.index("<svg") :]
        body = body.replace("<svg ", f'<svg role="img" aria-label="{alt}" ', 1)
        self.html = f'<div class="argument-map">{body}</div>'
        self.latex = "```{raw} latex\n" + latex_inclusion(thesis) + "\n```"

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.html, "text/markdown": self.latex}


def _laid_out(fig):
    """The map laid out once, at the resolution it is saved at, and its padded bounding box: the
    same layout for the SVG of the HTML build and the PDF of the PDF build."""
    import matplotlib.pyplot as plt

    from .figures import fixed_layout

    return fixed_layout(fig, plt.rcParams["savefig.pad_inches"])


def write_pdfs(outdir, theses: list[str]) -> list:
    """Draw the maps of ``theses`` as vector PDFs in ``outdir`` (``PDF_NAME``), from the same data
    and code as the notebook's SVG maps; the files written."""
    from pathlib import Path

    import matplotlib.pyplot as plt

    reg = C.load_registry()
    arg = load(reg)
    unknown = sorted(set(theses) - set(main_theses(arg)))
    if unknown:
        raise ArgumentError(f"argument maps asked for that are not theses of data/theses.csv: {', '.join(unknown)}")
    out = []
    for t in theses:
        fig = draw(arg, reg, t)
        path = Path(outdir) / (PDF_NAME.format(thesis=t) + ".pdf")
        with _laid_out(fig) as box:
            fig.savefig(path, format="pdf", bbox_inches=box, metadata={"CreationDate": None, "ModDate": None})
        plt.close(fig)
        out.append(path)
    return out


def main_theses(arg: pd.DataFrame) -> list[str]:
    """The theses of ``data/theses.csv``, in its order (the text's)."""
    return list(arg.attrs["theses"])

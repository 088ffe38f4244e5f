"""One chart style for the book: colour-blind-safe palette, a source line under every chart,
alt text, and publishing through myst-nb ``glue`` so prose and PDF pick the same figure up."""

from __future__ import annotations

import contextlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from . import cite  # noqa: E402
from .data import keys_in, split_keys  # noqa: E402
from .present import human_number  # noqa: E402

#: Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
#: One colour per verdict; an assessment takes the colour of the fact verdict it parallels (the word
#: and the symbol tell them apart), "unsupported" a grey of its own and "opinion" sky blue.
VERDICT_COLOURS = {
    "correct": "#009E73",
    "partly correct": "#E69F00",
    "incorrect": "#D55E00",
    "unverifiable": "#999999",
    "supported by the record": "#009E73",
    "partly supported": "#E69F00",
    "contradicted by the record": "#D55E00",
    "unsupported": "#7F7F7F",
    "opinion": "#56B4E9",
}

plt.rcParams.update(
    {
        "figure.dpi": 110,
        "savefig.dpi": 160,
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": plt.cycler(color=PALETTE),
        "axes.titlesize": 10,
        "axes.titleweight": "bold",
        "figure.constrained_layout.use": True,
    }
)


def agg_metrics_key(renderer, text, fontprop, ismath, dpi) -> tuple:
    """What an Agg renderer's text measurement depends on: the renderer's resolution (and the
    figure's, which matplotlib passes), the text, whether it is mathematics, and the font (a copy,
    as matplotlib keeps: later changes to ``fontprop`` do not reach the key)."""
    return (renderer.dpi, dpi, text, ismath, fontprop.copy())


def _text_metrics_shared_by_agg_renderers():
    """Let every Agg renderer at one resolution share matplotlib's text measurements.

    matplotlib caches a text's width, height and descent per renderer object. ``savefig(...,
    bbox_inches="tight")`` lays a chart out on one renderer and draws it, cropped, on a second of
    another size, so every text is laid out (hinted glyph by glyph) twice: 2707 measurements of
    1422 distinct texts for the book's charts. An Agg renderer's measurement depends only on the
    text, the font, whether it is mathematics and the renderer's resolution (``RendererAgg.
    get_text_width_height_descent``), so those are the key here (:func:`agg_metrics_key`); other
    renderers keep matplotlib's own cache. Installed once, when this module is imported."""
    import matplotlib.text as mtext
    from matplotlib.backends.backend_agg import RendererAgg

    own = mtext._get_text_metrics_with_cache
    if getattr(own, "shared_by_agg", False):
        return
    measured: dict = {}

    def metrics(renderer, text, fontprop, ismath, dpi):
        if type(renderer) is not RendererAgg:
            return own(renderer, text, fontprop, ismath, dpi)
        key = agg_metrics_key(renderer, text, fontprop, ismath, dpi)
        if key not in measured:
            measured[key] = renderer.get_text_width_height_descent(text, fontprop, ismath)
        return measured[key]

    metrics.shared_by_agg = True
    mtext._get_text_metrics_with_cache = metrics


_text_metrics_shared_by_agg_renderers()


def new(width: float = 7.0, height: float = 3.6, **kw):
    return subplots(figsize=(width, height), **kw)


def subplots(*a, **kw):
    """``plt.subplots`` for a chart that is only ever saved to a file. geopandas asks the canvas to
    redraw the whole figure after every layer it plots (``draw_idle``, meant for an interactive
    window); here that is wasted work (a second on a map), so the figure's canvas skips it.
    ``savefig`` draws the figure in full, as before."""
    fig, axes = plt.subplots(*a, **kw)
    fig.canvas.draw_idle = lambda *args, **kwargs: None
    return fig, axes


@contextlib.contextmanager
def fixed_layout(fig, pad: float):
    """For a figure saved in more than one format: lay it out once, at the resolution it is saved
    at (``savefig.dpi``), and keep that layout while the ``with`` block saves it; the block gets the
    figure's tight bounding box padded by ``pad`` inches, for ``savefig(bbox_inches=...)``.

    ``savefig(bbox_inches="tight")`` on a constrained-layout figure lays it out in a first, unseen
    drawing, then draws it, and a second format repeats both. Here every ``savefig`` in the block
    draws the figure once, with the same result (tested): for two formats, three drawings and one
    layout instead of four and two. Outside the block the figure takes constrained layout up again
    (``savefig`` restores the engine it found, and "no engine" means the rcParams default)."""
    with plt.rc_context({"figure.constrained_layout.use": False, "figure.autolayout": False}):
        if plt.rcParams["savefig.dpi"] != "figure":
            fig.set_dpi(plt.rcParams["savefig.dpi"])  # as savefig does before its own layout
        fig.draw_without_rendering()
        box = fig.get_tightbbox(fig.canvas.get_renderer()).padded(pad)
        fig.set_layout_engine(None)  # the axes stay where the one layout put them
        yield box


def tint(colour: str, share: float = 0.22) -> str:
    """An opaque light tint of a colour ("#rrggbb"): ``share`` of the colour on white."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * share):02x}" for c in (r, g, b))


#: More sources than this are not listed in the chart itself (they would take more room than the
#: chart): the chart names how many there are and where they are listed.
MAX_LISTED = 12


def source_line(keys) -> str:
    ks = split_keys(keys) if isinstance(keys, str) else list(keys)
    names = list(dict.fromkeys(cite.short(k) for k in ks))
    if len(names) > MAX_LISTED:
        return f"Sources: {len(names)} in all, each named on its row of the chart's data and listed under the chart"
    return "Source: " + "; ".join(names)


def break_words(words: list[str], too_wide) -> list[str]:
    """The lines matplotlib's ``Text._get_wrapped_text`` makes of one line of ``words``: each line
    takes words while they fit, and at least one word; ``too_wide(line)`` says a line does not fit.

    matplotlib measures every longer prefix in turn, which for a line of k words lays out about
    k²/2 words. The width of a prefix never shrinks as words are added (it is the bounding box of a
    superset of the same glyphs, at the same places), so the first prefix that is too wide can be
    found from a guess instead: the guess (as many words as fitted on the last line, at first the
    share of characters that fit) is moved one word at a time until it fits and one word more does
    not. That takes two or three layouts per line and gives matplotlib's lines exactly (tested
    against matplotlib's own on 27 source lines at three figure widths)."""
    lines: list[str] = []
    guess = 0
    while words:
        n = len(words)
        if n == 1:
            lines.append(words[0])
            break
        if not guess:  # the share of characters that fit, from the whole rest of the line
            whole = " ".join(words)
            guess = n if not too_wide(whole) else max(2, int(n * too_wide.share(whole)))
        # k words fit and k + 1 do not (k = n: all fit); matplotlib tries k + 1 from 2 up
        k = min(max(guess, 2), n)
        if too_wide(" ".join(words[:k])):
            k -= 1
            while k >= 2 and too_wide(" ".join(words[:k])):
                k -= 1
            k = max(k, 1)
        else:
            while k < n and not too_wide(" ".join(words[: k + 1])):
                k += 1
        lines.append(" ".join(words[:k]))
        words = words[k:]
        guess = k
    return lines


class _TooWide:
    """``too_wide(line)`` for :func:`break_words`: the line's width as matplotlib measures it for
    wrapping (``Text._get_rendered_text_width``, whole pixels) against the wrapping width ``limit``.
    Widths are kept in ``widths`` (the text's own, across drawings): a width depends only on the
    line, the font and the resolution, which are part of the key, and on the kind of renderer."""

    def __init__(self, text, limit: float, widths: dict):
        self.text, self.limit, self.widths = text, limit, widths
        self.at = (type(text._renderer), text.get_figure(root=True).dpi, text.get_fontproperties().copy())

    def width(self, line: str) -> int:
        key = (line, self.at)
        if key not in self.widths:
            self.widths[key] = self.text._get_rendered_text_width(line)
        return self.widths[key]

    def __call__(self, line: str) -> bool:
        return self.width(line) > self.limit

    def share(self, line: str) -> float:
        return self.limit / max(self.width(line), 1)


def _wrapped_text(text, widths: dict) -> str:
    """``Text._get_wrapped_text`` for a source line: the same lines, from fewer layouts
    (:func:`break_words`). Text that matplotlib would not wrap, or might read as mathematics
    (a ``$``: a prefix could then measure differently), is left to matplotlib."""
    s = text.get_text()
    if not text.get_wrap() or text.get_usetex() or "$" in s:
        return type(text)._get_wrapped_text(text)
    too_wide = _TooWide(text, text._get_wrap_line_width(), widths)
    return "\n".join(line for part in s.split("\n") for line in break_words(part.split(" "), too_wide))


def finish(fig, sources, note: str = ""):
    """Write the source line (and an optional note) under the chart, wrapped at the figure's width
    as matplotlib wraps it, with fewer text layouts (:func:`break_words`)."""
    import functools

    ks = split_keys(sources) if isinstance(sources, str) else list(sources)
    txt = source_line(ks) + (f". {note}" if note else "") if ks else f"Source: {note}"
    t = fig.text(
        0.0, -0.01, txt, ha="left", va="top", fontsize=7.5, color="#444444", wrap=True, transform=fig.transFigure
    )
    t._get_wrapped_text = functools.partial(_wrapped_text, t, {})
    return fig


FIGDATA = "_generated/figdata"


class Pixels:
    """A file for ``savefig(..., format="rgba")`` that keeps the drawing as a PIL image
    (``image``), so a chart is not encoded as PNG and decoded again before :func:`small_png`.
    matplotlib's Agg canvas writes its pixel buffer in one ``write``, a memoryview shaped
    (height, width, 4); anything else stops here."""

    image = None

    def write(self, buffer) -> None:
        from PIL import Image

        view = memoryview(buffer)
        if self.image is not None or view.ndim != 3 or view.shape[2] != 4:
            raise ValueError("savefig(format='rgba') did not write one RGBA buffer: the Agg canvas has changed")
        height, width, _ = view.shape
        self.image = Image.frombuffer("RGBA", (width, height), view.tobytes(), "raw", "RGBA", 0, 1)

    def seek(self, *args) -> None:  # matplotlib takes an object with ``seek`` for a file; it never seeks here
        raise OSError("the pixels of a chart cannot be sought")


def small_png(image) -> bytes:
    """The chart (a PIL image) as a 256-colour PNG: about a quarter of the bytes of the full-colour
    one, the same look (charts are flat colours and text)."""
    import io

    from PIL import Image

    small = image.convert("RGBA").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    out = io.BytesIO()
    # zlib level 8: 2 % more bytes than level 9 ("optimize") in a third of the time (30 charts:
    # 1.08 MB in 0.65 s of CPU against 1.06 MB in 1.7 s, measured 2026-12-01)
    small.save(out, format="png", compress_level=8)
    return out.getvalue()


FIGSIZES = "_generated/figsizes"


def record_size(name: str, fig, size: tuple[int, int], shown: bytes) -> dict:
    """Write what a page needs to know about a chart's legibility: the saved image's size in pixels,
    the resolution it was drawn at and the one the published file ``shown`` declares (LaTeX's
    natural size), and its
    smallest text in points as drawn, as ``_generated/figsizes/<name>.json``. The build tests turn
    them into the smallest text size on the printed page."""
    import io
    import json

    import matplotlib.text
    from PIL import Image as PILImage

    from . import paths

    sizes = [
        t.get_fontsize()
        for t in fig.findobj(matplotlib.text.Text)
        if t.get_visible() and t.get_text().strip() and t.get_figure() is fig
    ]
    w, h = size
    with PILImage.open(io.BytesIO(shown)) as im:
        shown_dpi = float((im.info.get("dpi") or (72, 72))[0])  # what LaTeX reads as its natural size
    dpi = plt.rcParams["savefig.dpi"]
    dpi = fig.dpi if dpi == "figure" else float(dpi)
    rec = {
        "name": name,
        "width_px": w,
        "height_px": h,
        "drawn_dpi": dpi,
        "file_dpi": round(shown_dpi, 2),
        "min_font_pt": min(sizes),
    }
    out = paths.ROOT / FIGSIZES / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rec, indent=1) + "\n", encoding="utf-8")
    return rec


def publish(name: str, fig, sources, data, note: str = ""):
    """Publish a chart: the source line under it, the figure glued as ``name``, its data written to
    ``_generated/figdata/<name>.csv`` and a reuse line glued as ``<name>_reuse`` (data download,
    sources, how to cite the chart) for a ``{glue:md}`` directive under the figure."""
    from IPython.display import Image, Markdown
    from myst_nb import glue

    from . import howtocite, paths

    if data is None or len(data) == 0:
        raise ValueError(f"chart {name!r}: publish needs the data behind the chart (a non-empty table)")
    finish(fig, sources, note)
    drawn = Pixels()  # the pixels as drawn: the PNG published is small_png's own
    fig.savefig(drawn, format="rgba", bbox_inches="tight", pad_inches=0.15)
    shown = small_png(drawn.image)
    record_size(name, fig, drawn.image.size, shown)
    plt.close(fig)
    glue(name, Image(data=shown, format="png"), display=False)
    out = paths.ROOT / FIGDATA / f"{name}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    data.to_csv(out, index=False, lineterminator="\n")
    ks = sorted(keys_in([sources] if isinstance(sources, str) else sources))
    cites = ("{cite:p}`" + ",".join(ks) + "`") if ks else (note or "the book's own data")
    m = howtocite.cff()
    glue(
        f"{name}_reuse",
        Markdown(
            f"Data: {{download}}`{name}.csv <../{FIGDATA}/{name}.csv>` ({len(data)} row{'s' if len(data) != 1 else ''}). "
            f"Data source: {cites}. Reuse: cite as {howtocite.authors_text()} ({howtocite.year()}), "
            f"*{m['title']}*, version {m['version']}, chart `{name}`."
        ),
        display=False,
    )


def scorecard(reg, points, verdicts):
    """Stacked horizontal bars: claims per point by verdict (from the registry)."""
    import pandas as pd

    t = (
        reg.assign(point=pd.Categorical(reg["point"], points, ordered=True))
        .pivot_table(index="point", columns="verdict", values="id", aggfunc="count", observed=False)
        .reindex(columns=verdicts)
        .fillna(0)
        .astype(int)
    )
    t = t[t.sum(axis=1) > 0].iloc[::-1]
    fig, ax = new(7.0, 4.2)
    left = pd.Series(0, index=t.index)
    from .claims import ASSESSMENTS

    for v in verdicts:
        # assessments share their parallel verdict's colour; white hatching tells them apart
        ax.barh(
            [f"point {p}" if p not in ("question", "closing") else p for p in t.index],
            t[v],
            left=left,
            color=VERDICT_COLOURS[v],
            label=v,
            edgecolor="white",
            lw=0.5,
            hatch="////" if v in ASSESSMENTS else None,
        )
        left += t[v]
    ax.set_xlabel("number of claims")
    ax.legend(
        ncol=5,
        fontsize=7.5,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        frameon=False,
        title="statements of fact (plain) and assessments of interpretive claims (hatched)",
        title_fontsize=7.5,
    )
    return fig, t.iloc[::-1]


def event_when(dates):
    """Where a date of ``data/events.csv`` is drawn: the day itself, a month alone at mid-month, a
    year alone at mid-year."""
    import pandas as pd

    full = dates.map(lambda d: d if len(d) == 10 else d + "-15" if len(d) == 7 else d + "-07-01")
    return pd.to_datetime(full, format="%Y-%m-%d", errors="raise")


def timeline(events, points_order, highlight=None, zoom=("2023-09-01", "2023-10-15")):
    """Every dated event as a dot on one time axis, one row per point of the text; a second panel
    zooms into ``zoom`` (September-October 2023, where most events fall). Rows differ in colour and
    marker, so no two rows look alike."""
    import matplotlib.dates as mdates
    import pandas as pd

    e = events.assign(when=event_when(events["date"]))
    rows = [p for p in points_order if p in set(e["point"])]
    markers = ["o", "s", "^", "D", "v", "P", "X"]
    fig, (ax, az) = subplots(
        1, 2, figsize=(7.0, 0.32 * len(rows) + 1.4), sharey=True, gridspec_kw={"width_ratios": [2, 1]}
    )
    z0, z1 = pd.Timestamp(zoom[0]), pd.Timestamp(zoom[1])
    for i, p in enumerate(rows):
        s = e[e["point"] == p]
        style = dict(
            s=16, color=PALETTE[i % 7], marker=markers[(i // 7) % len(markers)], alpha=0.85, edgecolor="white", lw=0.3
        )
        ax.scatter(s["when"], [i] * len(s), **style)
        sz = s[(s["when"] >= z0) & (s["when"] <= z1)]
        az.scatter(sz["when"], [i] * len(sz), **style)
    ax.set_yticks(range(len(rows)), [f"point {p}" if p not in ("question", "closing", "context") else p for p in rows])
    ax.axvspan(z0, z1, color="#cccccc", alpha=0.5, lw=0)
    az.set_xlim(z0, z1)
    az.xaxis.set_major_locator(mdates.DayLocator(bymonthday=[1, 15]))
    az.xaxis.set_major_formatter(mdates.DateFormatter("%-d %b"))
    az.set_title(f"zoom: {z0:%-d %b} - {z1:%-d %b %Y}", fontsize=8, loc="left")
    if highlight is not None:
        for a in (ax, az):
            a.axvline(highlight, color="#444444", lw=0.8, ls="--")
    ax.invert_yaxis()
    for a in (ax, az):
        a.tick_params(axis="x", labelsize=7.5)
    return fig, e


#: Whose figure a source gives, drawn in a palette of its own (Paul Tol's): none of these is a
#: verdict colour, so a dot's colour never reads as a verdict. Every colour has at least 3:1
#: contrast on white; a test keeps them apart from the verdict colours and from each other.
PERSPECTIVE_COLOURS = {
    "armenia": "#332288",
    "karabakh-armenian": "#AA4499",
    "azerbaijan": "#882255",
    "turkey": "#CC6677",
    "russia": "#777711",
    "western": "#4477AA",
    "international": "#228833",
    "independent": "#000000",
    "other": "#666666",
    "measured": "#333333",
}

#: The perspectives in words, for legends (the codes stay in the data).
PERSPECTIVE_WORDS = {
    "armenia": "Armenian side",
    "karabakh-armenian": "Karabakh Armenian side",
    "azerbaijan": "Azerbaijani side",
    "turkey": "Turkish side",
    "russia": "Russian side",
    "western": "Western governments and media",
    "international": "international bodies",
    "independent": "independent",
    "other": "other",
    "measured": "the book's measurement",
}


def panel_height(n_rows: int) -> float:
    """Inches for one claim's panel of :func:`text_vs_sources` with ``n_rows`` sources."""
    return 0.28 * n_rows + 0.75


def text_vs_sources(rows, evidence):
    """One panel per quantity claim: every source's figure (a dot, or a bar for a range) coloured by
    whose figure it is, the text's figure as a dashed line, and the computed rule's bands: the
    sourced range widened by the 'correct' tolerance (green) and by the 'partly' tolerance (amber).
    A party's superseded earlier count, and a party's figure set aside because independent or
    measured evidence decides, are drawn hollow and do not count. Returns the figure and the table
    it draws."""
    import textwrap

    import matplotlib.patches as mpatches
    import pandas as pd

    from . import claims as C

    panels, table = [], []
    for _, r in rows.iterrows():
        ev = C.comparable("quantity", r["unit"], C.evidence_for(r["id"], evidence))
        if ev.empty:
            continue
        ev = ev.assign(superseded=C.superseded(ev).values, decides=C.deciding(ev).values)
        comp = C.compute_verdict("quantity", r["claimed_value"], r["comparison"], ev, r["unit"], r.get("qualifier", ""))
        panels.append((r, ev, comp))
        for _, e in ev.iterrows():
            table.append(
                {
                    "claim_id": r["id"],
                    "text_says": f"{r['comparison']} {r['claimed_value']}".strip(),
                    "unit": r["unit"],
                    "party": e["party"],
                    "perspective": e["perspective"],
                    "value_low": e["value_low"],
                    "value_high": e["value_high"],
                    "as_of": e["as_of"],
                    "superseded": bool(e["superseded"]),
                    "decides": bool(e["decides"]),
                    "computed_verdict": comp.verdict,
                    "source_key": e["source_key"],
                }
            )
    if not panels:
        raise ValueError("no quantity claim with evidence rows in its unit")
    heights = [panel_height(len(ev)) for _, ev, _ in panels]
    fig, axes = subplots(
        len(panels), 1, figsize=(7.0, sum(heights) + 0.5), gridspec_kw={"height_ratios": heights}, squeeze=False
    )
    for ax, (r, ev, comp) in zip(axes[:, 0], panels):
        lo, hi = float(comp.low), float(comp.high)
        c_lo, c_hi = C._claimed_range(r["claimed_value"])
        if r["comparison"] in ("more than", "at least"):
            ax.axvspan(c_lo, max(hi, c_lo) * 1.6, color=VERDICT_COLOURS["correct"], alpha=0.10, lw=0)
        else:
            ax.axvspan(
                lo * (1 - C.TOL_PARTLY),
                hi * (1 + C.TOL_PARTLY),
                color=VERDICT_COLOURS["partly correct"],
                alpha=0.13,
                lw=0,
            )
            ax.axvspan(
                lo * (1 - C.TOL_CORRECT), hi * (1 + C.TOL_CORRECT), color=VERDICT_COLOURS["correct"], alpha=0.16, lw=0
            )
        labels = []
        for i, (_, e) in enumerate(ev.iterrows()):
            a = float(e["value_low"])
            b = float(e["value_high"]) if str(e["value_high"]).strip() not in ("", "nan", "<NA>") else a
            col = PERSPECTIVE_COLOURS.get(e["perspective"], "#777777")
            if b != a:
                ax.plot([a, b], [i, i], color=col, lw=3, solid_capstyle="butt")
            counts = not e["superseded"] and e["decides"]
            ax.scatter(
                [a, b] if b != a else [a],
                [i] * (2 if b != a else 1),
                s=26,
                zorder=3,
                facecolor=col if counts else "white",
                edgecolor=col,
                lw=1.2,
            )
            when = f", {e['as_of']}" if str(e["as_of"]).strip() else ""
            labels.append(
                (e["party"][:30] + ("…" if len(e["party"]) > 30 else ""))
                + when
                + (" (superseded)" if e["superseded"] else " (set aside)" if not e["decides"] else "")
            )
        for x in sorted({c_lo, c_hi}):
            ax.axvline(x, color="#222222", ls="--", lw=1.1)
        ax.set_yticks(range(len(labels)), labels, fontsize=7.5)
        ax.set_ylim(len(labels) - 0.4, -0.6)
        ax.xaxis.set_major_formatter(lambda v, _: human_number(v))
        said = f"{r['comparison']} " if r["comparison"] in ("more than", "at least", "approx") else ""
        unit = r["unit"][:-1] if c_hi == 1 and r["unit"].endswith("s") else r["unit"]  # "1 day", not "1 days"
        title = (
            f"{r['id']}: the text says {said}{human_number(c_lo)}"
            + (f"–{human_number(c_hi)}" if c_hi != c_lo else "")
            + f" {unit} → {comp.verdict}"
        )
        # wrapped to the panel's width: a title running past the figure would widen the image and
        # shrink every text in it on the printed page
        ax.set_title(textwrap.fill(title, 62), loc="left", fontsize=8.5)
        ax.tick_params(axis="x", labelsize=7.5)
    handles = [
        mpatches.Patch(color=PERSPECTIVE_COLOURS[k], label=PERSPECTIVE_WORDS[k])
        for k in dict.fromkeys(p for _, ev, _ in panels for p in ev["perspective"])
    ]
    handles += [
        mpatches.Patch(color=VERDICT_COLOURS["correct"], alpha=0.3, label="counts as correct"),
        mpatches.Patch(color=VERDICT_COLOURS["partly correct"], alpha=0.3, label="partly correct"),
    ]
    # at the top: the source line goes under the chart
    fig.legend(
        handles=handles,
        loc="outside upper center",
        ncol=4,
        fontsize=7.5,
        frameon=False,
        title="source's perspective; the rule's bands",
        title_fontsize=7.5,
    )
    return fig, pd.DataFrame(table)


#: The words every "text's figures against the sources" block uses (one place for all chapters).
TEXT_VS_SOURCES_INTRO = (
    "The text's figures are set against every figure the sources give for them, each party's own and "
    "the independent ones, and the verdict follows from the rule stated in the Method chapter."
)
TEXT_VS_SOURCES_CAPTION = (
    "Each figure the text gives (dashed line) against every sourced figure for it, coloured by the source's "
    "perspective; hollow: a party's earlier count, superseded by its later one. Green: the range within which "
    "the text's figure counts as correct under the book's rule ({ref}`method-rules`), amber: partly correct. "
    "Source: the evidence rows of each claim in `data/evidence.csv`."
)


def split_by_height(heights: list[float], parts: int) -> list[list[int]]:
    """Consecutive groups of items, ``parts`` of them, each about the same total height (the
    items keep their order; no group is empty)."""
    if not 1 <= parts <= len(heights):
        raise ValueError(f"cannot split {len(heights)} panels into {parts} figures")
    total, groups, acc = sum(heights), [[]], 0.0
    for i, h in enumerate(heights):
        left = len(heights) - i  # items not yet placed, this one included
        need = parts - len(groups)  # groups still to open after the current one
        if groups[-1] and need and (acc + h / 2 > total * len(groups) / parts or left == need):
            groups.append([])
        groups[-1].append(i)
        acc += h
    return groups


def publish_text_vs_sources(points: list[str], name: str, parts: int = 1):
    """The text-vs-sources block of a point chapter: the point's quantity claims drawn by
    :func:`text_vs_sources`, published as ``name`` (figure, data, reuse line), with the block's
    intro and caption glued as ``<name>_intro`` and ``<name>_caption`` (Markdown: place them with
    ``{glue:md}`<name>_caption:myst```).

    A point with many claims and sources is drawn as ``parts`` figures (``name``, ``name_2``, ...),
    each about the same height, so that on an A4 page each keeps its text at 6 pt or more."""
    from IPython.display import Markdown
    from myst_nb import glue

    from . import claims, data

    reg = claims.load_registry()
    ev = data.load("evidence")
    rows = reg[reg["point"].isin(points) & (reg["type"] == "quantity")]
    # each claim's height as drawn (text_vs_sources keeps the rows in the claim's own unit)
    heights = [
        panel_height(len(claims.comparable("quantity", r["unit"], claims.evidence_for(r["id"], ev))))
        for _, r in rows.iterrows()
    ]
    for k, group in enumerate(split_by_height(heights, parts), 1):
        fig, table = text_vs_sources(rows.iloc[group], ev)
        publish(name if k == 1 else f"{name}_{k}", fig, table["source_key"], table)
    glue(f"{name}_intro", Markdown(TEXT_VS_SOURCES_INTRO), display=False)
    glue(f"{name}_caption", Markdown(TEXT_VS_SOURCES_CAPTION), display=False)
    # nothing returned: the chapter's cell shows its code, and its data are published with the chart

"""One chart style for the book: colour-blind-safe palette, a source line under every chart,
alt text, and publishing through myst-nb ``glue`` so prose and PDF pick the same figure up."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from . import cite  # noqa: E402
from .data import split_keys  # noqa: E402

#: Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
VERDICT_COLOURS = {"correct": "#009E73", "partly correct": "#E69F00", "incorrect": "#D55E00",
                   "unverifiable": "#999999", "interpretation": "#56B4E9"}

plt.rcParams.update({
    "figure.dpi": 110, "savefig.dpi": 160, "font.family": "DejaVu Sans", "font.size": 9,
    "axes.spines.top": False, "axes.spines.right": False, "axes.prop_cycle": plt.cycler(color=PALETTE),
    "axes.titlesize": 10, "axes.titleweight": "bold", "figure.constrained_layout.use": True,
})


def new(width: float = 7.0, height: float = 3.6, **kw):
    return plt.subplots(figsize=(width, height), **kw)


def source_line(keys) -> str:
    ks = split_keys(keys) if isinstance(keys, str) else list(keys)
    return "Source: " + "; ".join(dict.fromkeys(cite.short(k) for k in ks))


def finish(fig, sources, note: str = ""):
    """Write the source line (and an optional note) under the chart."""
    txt = source_line(sources) + (f". {note}" if note else "")
    fig.text(0.0, -0.01, txt, ha="left", va="top", fontsize=7, color="#444444", wrap=True,
             transform=fig.transFigure)
    return fig


def publish(name: str, fig, sources, note: str = ""):
    """Add the source line and glue the figure under ``name`` for a ``{glue:figure}`` directive."""
    import io

    from IPython.display import Image
    from myst_nb import glue
    finish(fig, sources, note)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", pad_inches=0.15)
    plt.close(fig)
    glue(name, Image(data=buf.getvalue(), format="png"), display=False)

"""The point chapters' data charts, one function per chart.

Each function reads its dataset from ``data/`` (validated on load), draws in the book's one style
(:mod:`karabakh_book.figures`) and returns ``(figure, source keys, table drawn)``, so the chapter
can publish the chart with its source line and offer the table as CSV. Reference lines mark what
the text claims; the values come from the registry, never typed here.
"""

from __future__ import annotations

from functools import lru_cache

from . import claims, data
from .figures import PALETTE, PERSPECTIVE_COLOURS, event_when, new
from .present import human_number


@lru_cache(maxsize=None)
def _claimed(claim_id: str) -> float:
    """The figure the text gives for a claim (looked up once per kernel, not once per line drawn)."""
    reg = claims.load_registry().set_index("id")
    return claims._claimed_range(reg.loc[claim_id, "claimed_value"])[0]


def casualties():
    """Killed and wounded on each side, every report in time order (later reports at the right)."""
    c = data.load("casualties_2023")
    c = c[c["measure"].isin(["killed", "wounded"])].copy()
    # Drawn: the parties' own tolls of the operation; rows with a status (outside the operation,
    # unofficial) stay in the data but are not drawn.
    c = c[c["status"] == ""]
    c["when"] = c["as_of"].where(c["as_of"] != "", "later (date not shown)")
    c["order"] = c["as_of"].where(c["as_of"] != "", "9999")
    c = c.sort_values(["order", "side"])
    fig, axes = new(7.0, 4.6, nrows=2, sharex=False)
    colours = {
        "Karabakh Armenian": PERSPECTIVE_COLOURS["karabakh-armenian"],
        "Azerbaijani": PERSPECTIVE_COLOURS["azerbaijan"],
    }
    text = {
        "killed": [("P4-05", "Karabakh Armenian"), ("P4-11", "Azerbaijani")],
        "wounded": [("P4-06", "Karabakh Armenian"), ("P4-12", "Azerbaijani")],
    }
    for ax, measure in zip(axes, ["killed", "wounded"]):
        s = c[c["measure"] == measure]
        xs = list(dict.fromkeys(s["when"]))
        for side, g in s.groupby("side"):
            ax.plot([xs.index(w) for w in g["when"]], g["value"], "o", color=colours[side], label=side, ms=6)
        for j, (cid, side) in enumerate(text[measure]):
            ax.axhline(_claimed(cid), color=colours[side], ls="--", lw=0.9)
            ax.annotate(
                f"the text: {_claimed(cid):,.0f} {side} {measure} ({cid})",
                (0.5, _claimed(cid)),
                xycoords=("axes fraction", "data"),
                xytext=(0, 2 if j == 0 else -2),
                textcoords="offset points",
                ha="center",
                va="bottom" if j == 0 else "top",
                fontsize=7.5,
                color=colours[side],
            )
        ax.set_xticks(range(len(xs)), [w.replace("T", " ") for w in xs], rotation=30, ha="right", fontsize=7.5)
        ax.set_ylabel(f"people {measure}")
        ax.set_xlabel("reports in the order given (not to time scale)", fontsize=7.5)
        ax.set_title(f"{measure.capitalize()}: each party's figure as reported", loc="left")
    axes[0].legend(fontsize=7.5, frameon=False, loc="center left")
    cols = ["side", "measure", "value", "as_of", "party_reporting", "status", "source_key", "note"]
    return fig, sorted(set(c["source_key"])), c[cols]


def eaeu_gdp():
    """The union's GDP, nominal and at PPP, against the text's 'over 5 trillion dollars'."""
    g = data.load("eaeu_gdp")
    fig, ax = new(7.0, 3.4)
    style = {
        ("EAEU (total)", "nominal"): (PALETTE[0], "o", "EAEU, nominal (current USD)"),
        ("EAEU (total)", "ppp"): (PALETTE[1], "s", "EAEU, at PPP (international USD)"),
        ("Russia", "ppp"): (PALETTE[4], "^", "Russia alone, at PPP"),
    }
    # Russia's own PPP figure is drawn only where the same source gives the union's total for the
    # same year: PPP figures of different bases (IMF, World Bank vintages) are not comparable.
    union = g[g["economy"] == "EAEU (total)"]
    same_base = g["economy"].eq("Russia") & g.set_index(["year", "source_key"]).index.isin(
        union.set_index(["year", "source_key"]).index
    )
    shown = g[g["economy"].eq("EAEU (total)") | same_base]
    for (eco, m), s in shown.groupby(["economy", "measure"]):
        col, mk, lab = style[(eco, m)]
        ax.plot(s["year"], s["value_usd"] / 1e12, mk, color=col, label=lab, ms=7, ls="")
    five = _claimed("P2-20") / 1e12
    ax.axhline(five, color="#222222", ls="--", lw=1)
    ax.annotate(
        f"the text: over {five:g} trillion US dollars (P2-20)",
        (shown["year"].min(), five),
        xytext=(0, 3),
        textcoords="offset points",
        fontsize=7.5,
    )
    ax.set_ylabel("GDP, trillion dollars")
    ax.set_ylim(0, None)
    ax.legend(fontsize=7.5, frameon=False, loc="lower right")
    ax.set_title("Eurasian Economic Union: GDP at market rates and at purchasing-power parity", loc="left")
    return fig, sorted(set(shown["source_key"])), shown


def military_spending():
    """Armenia's and Azerbaijan's military spending, SIPRI's figures as relayed by news outlets."""
    cc = data.load("country_comparison")
    m = cc[cc["measure"] == "military expenditure"].copy()
    m["year"] = m["year"].astype(int)
    # one figure per country and year: a second one (another source, a revised release) is refused,
    # not silently left out of the chart
    twice = m[m.duplicated(["country", "year"], keep=False)]
    if len(twice):
        raise data.DataError(
            f"{cc.attrs.get('source_file', 'data/country_comparison.csv')}: more than one military expenditure "
            "figure for "
            + ", ".join(f"{c} {y}" for c, y in dict.fromkeys(zip(twice["country"], twice["year"])))
            + " (lines "
            + ", ".join(str(i + 2) for i in twice.index)
            + "): keep one per country and year"
        )
    m = m.sort_values(["country", "year"])
    fig, ax = new(7.0, 3.2)
    years = range(m["year"].min(), m["year"].max() + 1)
    for country, s in m.groupby("country"):
        col = PERSPECTIVE_COLOURS["armenia" if country == "Armenia" else "azerbaijan"]
        # a year without a figure breaks the line instead of being bridged
        series = s.set_index("year")["value_low"].reindex(years)
        ax.plot(list(years), series.values, "-o", color=col, label=country, ms=5)
    ratio = m.pivot(index="year", columns="country", values="value_low").dropna()
    for y, r in ratio.iterrows():
        ax.annotate(
            f"×{r['Azerbaijan'] / r['Armenia']:.1f}",
            (y, r["Azerbaijan"]),
            xytext=(0, 5),
            textcoords="offset points",
            ha="center",
            fontsize=7.5,
            color="#444444",
        )
    ax.set_ylabel("USD million (current)")
    ax.set_ylim(0, None)
    ax.legend(fontsize=7.5, frameon=False, loc="upper left")
    ax.set_title("Military expenditure (SIPRI); ×: Azerbaijan's spending as a multiple of Armenia's", loc="left")
    return fig, sorted(set(m["source_key"])), m


def gdp_per_capita():
    """GDP per head of Armenia and Azerbaijan, current USD and PPP, from the registry's evidence rows
    for P6-12 (each row names its source)."""
    ev = claims.evidence_for("P6-12", data.load("evidence")).copy()
    ev["country"] = ev["unit"].str.extract(r"\((Armenia|Azerbaijan)\)")[0]
    ev["measure"] = ev["unit"].map(lambda u: "PPP (international USD)" if "PPP" in u else "current USD")
    ev["year"] = ev["as_of"].str[:4].astype(int)
    ev["value"] = ev["value_low"].astype(float)
    fig, axes = new(7.0, 3.0, ncols=2)
    for ax, measure in zip(axes, ["current USD", "PPP (international USD)"]):
        s = ev[ev["measure"] == measure]
        for country, g in s.groupby("country"):
            col = PERSPECTIVE_COLOURS["armenia" if country == "Armenia" else "azerbaijan"]
            g = g.sort_values("year")
            ax.plot(g["year"], g["value"], "o", color=col, label=country, ms=6)
        ax.set_title(f"GDP per head, {measure}", loc="left", fontsize=9)
        ax.set_ylim(0, None)
        ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
        ax.set_xticks(sorted(set(s["year"])))
    axes[0].legend(fontsize=7.5, frameon=False, loc="upper left")
    cols = ["country", "measure", "year", "value", "party", "source_key", "note"]
    return fig, sorted(set(ev["source_key"])), ev[cols].sort_values(["measure", "year", "country"])


def aid_pledges():
    """Pledges to Armenia after the exodus: one bar per announcement, one panel per currency
    (amounts are not converted), coloured by what the money is for."""
    a = data.load("aid_pledges").sort_values(["currency", "date"])
    kinds = {"humanitarian": PALETTE[2], "budget support": PALETTE[1], "peacebuilding": PALETTE[4]}
    currencies = list(dict.fromkeys(a["currency"]))
    counts = [int((a["currency"] == c).sum()) for c in currencies]
    fig, axes = new(7.0, 0.3 * len(a) + 1.6, nrows=len(currencies), gridspec_kw={"height_ratios": counts})
    for ax, cur in zip(axes, currencies):
        s = a[a["currency"] == cur]
        labels = [f"{r['donor']}, {r['date']:%-d %b}" for _, r in s.iterrows()]
        ax.barh(range(len(s)), s["amount"] / 1e6, color=[kinds[k] for k in s["kind"]], height=0.6)
        for i, v in enumerate(s["amount"]):
            ax.annotate(
                f"{human_number(v)}", (v / 1e6, i), xytext=(3, 0), textcoords="offset points", va="center", fontsize=7.5
            )
        ax.set_yticks(range(len(s)), labels, fontsize=7.5)
        ax.set_ylim(len(s) - 0.5, -0.5)
        ax.set_xlabel(f"{cur} million", fontsize=7.5)
        ax.set_xlim(0, s["amount"].max() / 1e6 * 1.2)
    import matplotlib.patches as mpatches

    fig.legend(
        handles=[mpatches.Patch(color=c, label=k) for k, c in kinds.items()],
        loc="outside upper center",
        ncol=3,
        fontsize=7.5,
        frameon=False,
    )
    axes[0].set_title("Pledges to Armenia, September-October 2023, in the currency announced", loc="left")
    return fig, sorted(set(a["source_key"])), a


def ru_az_trade():
    """Russia-Azerbaijan trade by year and the investment stock as stated, against the text."""
    t = data.load("ru_az_trade")
    fig, axes = new(7.0, 3.2, ncols=2)
    for ax, col, cid, title in (
        (axes[0], "trade_usd", "P8a-05", "Trade turnover"),
        (axes[1], "investment_usd", "P8a-04", "Russian investment stock, as stated"),
    ):
        s = t.dropna(subset=[col])
        for party_side, colour in (
            ("Russian", PERSPECTIVE_COLOURS["russia"]),
            ("Azerbaijani", PERSPECTIVE_COLOURS["azerbaijan"]),
        ):
            g = s[s["party"].str.startswith(party_side)]
            ax.plot(g["year"], g[col] / 1e9, "o", color=colour, label=f"{party_side} officials and media", ms=6)
        v = _claimed(cid) / 1e9
        ax.axhline(v, color="#222222", ls="--", lw=1)
        ax.annotate(
            f"the text: {v:g} bn ({cid})", (s["year"].min(), v), xytext=(0, 3), textcoords="offset points", fontsize=7.5
        )
        ax.set_title(title + ", USD bn", loc="left", fontsize=9)
        ax.set_ylim(0, None)
        ax.set_xticks(sorted(set(s["year"])))
        ax.tick_params(axis="x", labelsize=7, rotation=45)
    axes[0].legend(fontsize=7.5, frameon=False, loc="lower right")
    return fig, sorted(set(t["source_key"])), t


def events_strip(points: list[str], start: str, end: str, title: str):
    """The dated events of some points between two dates, one labelled row each."""
    ev = data.load("events")
    e = ev[ev["point"].isin(points)].assign(when=event_when(ev.loc[ev["point"].isin(points), "date"]))
    # start and end may be a year, a month or a day (as in the data): from the first day of start
    # to the last day of end
    first, last = claims.date_span(start)[0], claims.date_span(end)[1]
    e = e[(e["when"] >= first) & (e["when"] <= last)].sort_values("when")
    import textwrap

    # sized for the page: on A4 the chart keeps its 7.5 pt labels at 6 pt or more
    fig, ax = new(7.0, 0.26 * len(e) + 0.8)
    ax.scatter(e["when"], range(len(e)), s=18, color=PALETTE[0], zorder=3)
    for i, (_, r) in enumerate(e.iterrows()):
        # the event's first clause, wrapped to two lines; the full text is in the chart's CSV
        lines = textwrap.wrap(r["event"].split(";")[0], 90)
        label = "\n".join(lines[:2]) + ("…" if len(lines) > 2 else "")
        span = f"–{r['end_date']}" if r["end_date"] else ""
        ax.annotate(
            f"{r['date']}{span}  {label}",
            (r["when"], i),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=7.5,
            linespacing=1.0,
        )
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_ylim(len(e) - 0.5, -0.7)
    lo, hi = e["when"].min(), e["when"].max()
    ax.set_xlim(lo - (hi - lo) * 0.03, hi + (hi - lo) * 1.1)  # room for the labels on the right
    import matplotlib.dates as mdates

    loc = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc, show_offset=False))
    fig.canvas.draw()
    for t, label in zip(ax.get_xticks(), ax.get_xticklabels()):  # no dates beyond the data
        label.set_visible(t <= mdates.date2num(hi) + 1)
    ax.set_title(title, loc="left")
    return fig, sorted(data.keys_in(e["source_key"])), e.drop(columns="when")

"""The point chapters' charts draw what the data say, and the data back the verdicts they illustrate."""

import matplotlib.pyplot as plt
import pytest

from karabakh_book import charts, claims, data, figures


@pytest.fixture(scope="module")
def reg():
    return claims.load_registry()


def test_text_vs_sources_draws_one_panel_per_quantity_claim_with_the_registry_verdict(reg):
    ev = data.load("evidence")
    for point in claims.POINTS:
        rows = reg[(reg["point"] == point) & (reg["type"] == "quantity")]
        with_ev = [
            r.id
            for r in rows.itertuples()
            if not claims.comparable("quantity", r.unit, claims.evidence_for(r.id, ev)).empty
        ]
        if not with_ev:
            continue
        fig, table = figures.text_vs_sources(rows, ev)
        assert len(fig.axes) == len(with_ev), point
        assert [a.get_title(loc="left").split(":")[0] for a in fig.axes] == with_ev
        verdicts = table.drop_duplicates("claim_id").set_index("claim_id")["computed_verdict"]
        assert (verdicts == reg.set_index("id").loc[verdicts.index, "verdict"]).all(), point
        plt.close(fig)


def test_superseded_counts_are_drawn_hollow():
    reg = claims.load_registry()
    fig, table = figures.text_vs_sources(reg[reg["id"] == "P4-05"], data.load("evidence"))
    ax = fig.axes[0]
    faces = [c.get_facecolor()[0][:3] for c in ax.collections if len(c.get_offsets())]
    hollow = sum(tuple(round(x, 3) for x in f) == (1.0, 1.0, 1.0) for f in faces)
    assert hollow == int(table["superseded"].sum()) > 0
    plt.close(fig)


def test_casualty_chart_draws_every_killed_and_wounded_figure_of_the_operation():
    fig, keys, table = charts.casualties()
    c = data.load("casualties_2023")
    c = c[c["measure"].isin(["killed", "wounded"])]
    left_out = c[~c.index.isin(table.index)]
    # only the deaths the party places outside the operation and the unofficial count are not drawn
    assert sorted(left_out["status"]) == ["outside the operation", "unofficial"]
    assert sorted(left_out["value"]) == [5, 6] and len(table) == len(c) - 2
    assert set(keys) == set(table["source_key"])
    plt.close(fig)


def test_eaeu_passes_five_trillion_only_at_purchasing_power_parity():
    fig, keys, g = charts.eaeu_gdp()
    five = claims._claimed_range(claims.load_registry().set_index("id").loc["P2-20", "claimed_value"])[0]
    union = g[g["economy"] == "EAEU (total)"]
    assert union.loc[union["measure"] == "nominal", "value_usd"].max() < five
    assert union.loc[union["measure"] == "ppp", "value_usd"].max() > five
    plt.close(fig)


def test_per_head_the_gap_is_moderate_in_dollars_and_large_at_ppp_as_p6_12_says():
    fig, keys, t = charts.gdp_per_capita()
    cur = t[t["measure"] == "current USD"].pivot_table(index="year", columns="country", values="value", aggfunc="max")
    ppp = t[t["measure"].str.startswith("PPP")].pivot_table(index="year", columns="country", values="value")
    assert (cur["Azerbaijan"] / cur["Armenia"]).max() < 1.3  # never 'many times' per head in dollars
    assert (ppp["Azerbaijan"] / ppp["Armenia"]).min() > 1.5  # but far ahead at PPP
    assert claims.load_registry().set_index("id").loc["P6-12", "verdict"] == "partly correct"
    plt.close(fig)


def test_military_spending_uses_one_figure_per_country_and_year(tmp_path, monkeypatch):
    import shutil

    from karabakh_book import paths

    fig, keys, m = charts.military_spending()
    assert not m.duplicated(["country", "year"]).any()
    assert set(m["country"]) == {"Armenia", "Azerbaijan"}
    plt.close(fig)
    # broken case: a second figure for one country and year is refused, naming the file and lines
    dst = tmp_path / "data"
    shutil.copytree(paths.DATA, dst)
    path = dst / "country_comparison.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    spent = next(ln for ln in lines if ",military expenditure," in ln)
    path.write_text("".join(lines + [spent]), encoding="utf-8")
    monkeypatch.setattr(paths, "DATA", dst)
    monkeypatch.setattr(paths, "DATAPACKAGE", dst / "datapackage.json")
    with pytest.raises(data.DataError, match=r"country_comparison.csv: more than one military expenditure figure for"):
        charts.military_spending()


def test_aid_chart_keeps_each_currency_apart():
    fig, keys, a = charts.aid_pledges()
    assert len(fig.axes) == a["currency"].nunique()
    assert [ax.get_xlabel() for ax in fig.axes] == [f"{c} million" for c in dict.fromkeys(a["currency"])]
    plt.close(fig)


def test_event_strips_hold_only_their_points_and_dates():
    fig, keys, e = charts.events_strip(["5"], "2023-09-01", "2024-01-31", "t")
    assert set(e["point"]) == {"5"} and e["date"].min() >= "2023-09-01" and e["date"].max() <= "2024-01-31~"
    plt.close(fig)


def test_charts_and_maps_select_rows_by_category_not_by_free_text(tmp_path, monkeypatch):
    """Reword every free-text column the charts and maps used to match on: what they select must
    not change (they read the schema-enforced category columns)."""
    import csv
    import io
    import shutil

    from karabakh_book import charts, mapbook, paths

    before = (
        charts.military_spending()[2].reset_index(drop=True),
        mapbook.bloc_membership(),
        mapbook.russia_map().table[["site", "cat"]].reset_index(drop=True),
    )
    dst = tmp_path / "data"
    shutil.copytree(paths.DATA, dst)
    for name, cols in {
        "country_comparison": ["indicator"],
        "blocs": ["joined", "left_or_status"],
        "russian_military_armenia": ["kind"],
    }.items():
        path = dst / f"{name}.csv"
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        for r in rows:
            for c in cols:
                r[c] = f"reworded: {r[c][::-1]}" if r[c] else r[c]
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")
    monkeypatch.setattr(paths, "DATA", dst)
    monkeypatch.setattr(paths, "DATAPACKAGE", dst / "datapackage.json")
    after_mil = charts.military_spending()[2].reset_index(drop=True)
    assert after_mil.drop(columns="indicator").equals(before[0].drop(columns="indicator"))
    assert mapbook.bloc_membership() == before[1]
    assert mapbook.russia_map().table[["site", "cat"]].reset_index(drop=True).equals(before[2])


def test_a_category_outside_the_schema_is_refused(broken_copy):
    import pytest

    from karabakh_book import data

    def bad(lines):
        lines[1] = lines[1].replace(",army and air bases,", ",army base,", 1)
        return lines

    with pytest.raises(data.DataError, match=r"russian_military_armenia.csv: line 2, column 'category'"):
        data.load("russian_military_armenia", package_path=broken_copy("russian_military_armenia", bad))


def palette_problems(perspective: dict, verdict: dict, apart: float = 40, contrast: float = 3.0) -> list[str]:
    """Where a perspective colour could be read as a verdict (closer than ``apart`` in RGB), is
    too close to another perspective, or has less than ``contrast``:1 against white."""

    def rgb(h):
        return [int(h[i : i + 2], 16) for i in (1, 3, 5)]

    def lum(h):
        c = [x / 255 for x in rgb(h)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    def dist(a, b):
        return sum((x - y) ** 2 for x, y in zip(rgb(a), rgb(b))) ** 0.5

    out = []
    for k, h in perspective.items():
        out += [f"{k} looks like verdict {v}" for v, c in verdict.items() if dist(h, c) < apart]
        out += [f"{k} looks like {j}" for j, c in perspective.items() if j < k and dist(h, c) < apart]
        if 1.05 / (lum(h) + 0.05) < contrast:
            out.append(f"{k} has too little contrast on white")
    return out


def test_source_perspectives_are_drawn_in_a_palette_of_their_own():
    import json

    from karabakh_book import figures, paths

    assert palette_problems(figures.PERSPECTIVE_COLOURS, figures.VERDICT_COLOURS) == []
    pkg = json.loads((paths.DATA / "datapackage.json").read_text(encoding="utf-8"))
    ev = next(r for r in pkg["resources"] if r["name"] == "evidence")
    enum = next(f for f in ev["schema"]["fields"] if f["name"] == "perspective")["constraints"]["enum"]
    assert set(enum) <= set(figures.PERSPECTIVE_COLOURS) and set(enum) <= set(figures.PERSPECTIVE_WORDS)
    broken = dict(figures.PERSPECTIVE_COLOURS, azerbaijan=figures.VERDICT_COLOURS["incorrect"], other="#EEEEEE")
    found = palette_problems(broken, figures.VERDICT_COLOURS)
    assert "azerbaijan looks like verdict incorrect" in found and "other has too little contrast on white" in found


def test_a_tall_figure_block_splits_into_parts_of_about_the_same_height():
    import pytest

    from karabakh_book.figures import split_by_height

    assert split_by_height([1, 1, 1, 1], 2) == [[0, 1], [2, 3]]
    assert split_by_height([5, 1, 1, 1, 1, 1], 2) == [[0], [1, 2, 3, 4, 5]]
    assert split_by_height([1, 1, 1], 3) == [[0], [1], [2]]
    with pytest.raises(ValueError):
        split_by_height([1, 1], 3)


def _overruns(fig) -> list[str]:
    """Texts of an argument map whose right end passes their box's right edge (the box whose top
    left corner is nearest the text's)."""
    from matplotlib.patches import FancyBboxPatch

    fig.set_dpi(160)
    fig.draw_without_rendering()
    rend = fig.canvas.get_renderer()
    ax = fig.axes[0]
    boxes = [p.get_window_extent(rend) for p in ax.patches if isinstance(p, FancyBboxPatch)]
    out = []
    for t in ax.texts:
        tb = t.get_window_extent(rend)
        bb = min(boxes, key=lambda b: abs(b.x0 - tb.x0) + abs(b.y1 - tb.y1))
        if tb.x1 > bb.x1 - 0.02 * 160:
            out.append(t.get_text())
    return out


def test_every_text_of_an_argument_map_stays_inside_its_box(reg, monkeypatch):
    """A box's header ("P8d-03  ✘ contradicted by the record") goes on two lines when one would
    run over the box's right edge; no header or body line passes the edge in any map."""
    from karabakh_book import argument

    arg = argument.load(reg)
    for thesis in argument.main_theses(arg):
        fig = argument.draw(arg, reg, thesis)
        assert _overruns(fig) == [], thesis
        plt.close(fig)
    # broken case: headers always on one line, as before
    monkeypatch.setattr(argument, "box_header", lambda cid, verdict, room: f"{cid}  {verdict}")
    fig = argument.draw(arg, reg, "P8d-08")
    assert any("P8d-03" in t for t in _overruns(fig))
    plt.close(fig)


def _source_lines():
    """Source lines as the charts write them: the 25 longest of the claims' evidence sources, the long
    form (more sources than listed) and a note of two lines."""
    ev = data.load("evidence")
    keys = [list(dict.fromkeys(g)) for _, g in ev.groupby("claim_id")["source_key"]]
    lines = sorted({figures.source_line(k) for k in keys if k}, key=len)[-25:]  # the longest wrap most
    lines.append(figures.source_line(sorted({k for ks in keys for k in ks})))  # more than MAX_LISTED
    lines.append(figures.source_line(keys[0]) + ". A note after the sources, as a chart adds one.\nAnd a second line.")
    return lines


def _wraps(wrapped, lines, widths=(2.3, 4.4, 7.0)):
    """Each line of ``lines`` wrapped by ``wrapped(text)`` under figures ``widths`` inches wide."""
    out = []
    for w in widths:
        fig = plt.figure(figsize=(w, 3), dpi=160)
        renderer = fig.canvas.get_renderer()
        for s in lines:
            t = fig.text(0.0, -0.01, s, ha="left", va="top", fontsize=7.5, wrap=True, transform=fig.transFigure)
            t._renderer = renderer
            out.append(wrapped(t))
        plt.close(fig)
    return out


def test_source_lines_break_where_matplotlib_breaks_them(monkeypatch):
    """A chart's source line is wrapped with fewer text layouts than matplotlib takes, into the same
    lines: 27 source lines at three figure widths."""
    import matplotlib.text

    lines = _source_lines()
    theirs = _wraps(matplotlib.text.Text._get_wrapped_text, lines)
    assert len(theirs) == 3 * len(lines) and sum(s.count("\n") >= 2 for s in theirs) > 20  # they do wrap
    assert _wraps(lambda t: figures._wrapped_text(t, {}), lines) == theirs

    # broken case: the guess is only ever moved down, never checked for one word more
    def downward_only(words, too_wide):
        lines, guess = [], 0
        while words:
            if len(words) == 1:
                return [*lines, words[0]]
            if not guess:
                guess = max(2, int(len(words) * too_wide.share(" ".join(words))))
            k = min(guess, len(words))
            while k >= 2 and too_wide(" ".join(words[:k])):
                k -= 1
            k = max(k, 1)
            lines.append(" ".join(words[:k]))
            words, guess = words[k:], k
        return lines

    monkeypatch.setattr(figures, "break_words", downward_only)
    assert _wraps(lambda t: figures._wrapped_text(t, {}), lines) != theirs


def test_a_chart_is_published_from_its_pixels_as_from_its_png(monkeypatch):
    """publish quantizes the pixels the canvas drew, not a PNG it writes and reads back: the same
    image either way. A second buffer, or one that is not RGBA, is refused."""
    import io

    from PIL import Image

    def chart():
        fig, ax = figures.new()
        ax.plot([1, 2, 3], [3, 1, 2], label="a line")
        ax.legend()
        figures.finish(fig, [], "a note")
        return fig

    png = io.BytesIO()
    chart().savefig(png, format="png", bbox_inches="tight", pad_inches=0.15)
    with Image.open(png) as im:
        via_png = figures.small_png(im.convert("RGBA"))

    def drawn_with(pixels):
        chart().savefig(pixels, format="rgba", bbox_inches="tight", pad_inches=0.15)
        return pixels

    drawn = drawn_with(figures.Pixels())
    assert figures.small_png(drawn.image) == via_png
    with pytest.raises(ValueError, match="one RGBA buffer"):
        drawn.write(memoryview(b"\0" * 8))
    with pytest.raises(ValueError, match="one RGBA buffer"):
        figures.Pixels().write(b"\0" * 12)

    # broken case: the buffer read with width and height the wrong way round
    class Swapped(figures.Pixels):
        def write(self, buffer):
            h, w, _ = memoryview(buffer).shape
            self.image = Image.frombuffer("RGBA", (h, w), bytes(buffer), "raw", "RGBA", 0, 1)

    assert figures.small_png(drawn_with(Swapped()).image) != via_png
    plt.close("all")


def test_agg_renderers_at_one_resolution_share_text_measurements(monkeypatch):
    """A text measured on one Agg renderer is not measured again on another at the same resolution
    (as savefig's second, cropped canvas), and gets what that renderer would measure; at another
    resolution it is measured anew."""
    import matplotlib.text as mtext
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    own = RendererAgg.get_text_width_height_descent
    calls = []
    monkeypatch.setattr(RendererAgg, "get_text_width_height_descent", lambda self, *a: calls.append(a) or own(self, *a))

    def measure():
        font = FontProperties(family="DejaVu Sans", size=7.31)  # a size no chart uses: not measured yet
        texts = [("Source: a test line (2026)", False), ("lp", False), (r"$x^2_{test}$", True)]
        first, cropped, other = RendererAgg(900, 500, 160), RendererAgg(700, 420, 160), RendererAgg(900, 500, 72)
        calls.clear()
        got = {
            name: [mtext._get_text_metrics_with_cache(r, t, font, m, r.dpi) for t, m in texts]
            for name, r in (("first", first), ("cropped", cropped), ("other", other))
        }
        fresh = [own(cropped, t, font, m) for t, m in texts], [own(other, t, font, m) for t, m in texts]
        return got, fresh, len(calls)

    got, (fresh_cropped, fresh_other), n = measure()
    assert got["cropped"] == got["first"] == fresh_cropped
    assert got["other"] == fresh_other != fresh_cropped
    assert n == 6  # three texts at 160 dpi, the same three at 72 dpi; none again on the cropped canvas
    # broken case: the key leaves out the resolution, and a 72 dpi canvas gets 160 dpi sizes
    monkeypatch.setattr(figures, "agg_metrics_key", lambda r, text, fp, ismath, dpi: (text, ismath, fp.copy()))
    got, (fresh_cropped, fresh_other), n = measure()
    assert got["other"] != fresh_other

"""Tests on the built book (run after `make book`; `make test` builds first)."""

import json
import subprocess
from pathlib import Path

import pytest
from conftest import HTML, PDF, ROOT, chapter_files, require_build

pytestmark = pytest.mark.build
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pages():
    return [HTML / (f + ".html") for f in chapter_files()]


@pytest.fixture(scope="module")
def browser():
    require_build(HTML / "index.html")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.mark.parametrize("page_file", pages(), ids=lambda p: p.stem)
def test_page_renders_offline_without_errors_and_with_its_figures(browser, page_file):
    require_build(page_file)
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    outside, errors = [], []
    book = HTML.resolve().as_uri()

    def route(r):
        if r.request.url.startswith(book) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_file.resolve().as_uri(), wait_until="load")
    page.wait_for_timeout(300)
    assert outside == [], f"{page_file.name} requested outside the book: {outside}"
    assert errors == [], f"{page_file.name} console errors: {errors}"
    imgs = page.eval_on_selector_all(
        "article img", "els => els.map(e => ({src: e.src, ok: e.complete && e.naturalWidth > 0, alt: e.alt}))"
    )
    assert all(i["ok"] for i in imgs), f"images not loaded: {[i['src'] for i in imgs if not i['ok']]}"
    figures = page.eval_on_selector_all(
        "article figure",
        "els => els.map(f => ({alt: (f.querySelector('img') || {}).alt || '', "
        "caption: (f.querySelector('figcaption') || {}).innerText || ''}))",
    )
    for f in figures:
        assert f["alt"].strip(), f"{page_file.name}: a figure without alt text"
        assert "Source" in f["caption"], f"{page_file.name}: a figure without a source line: {f['caption'][:80]}"
    assert page.inner_text("h1")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{page_file.stem}.png"), full_page=False)
    ctx.close()


def test_every_claim_id_has_its_anchor_in_its_chapter():
    from karabakh_book import claims

    reg = claims.load_registry()
    html = {p.stem: p.read_text(encoding="utf-8") for p in pages() if p.exists()}
    for r in reg.itertuples():
        anchor = f'id="{claims.anchor(r.id)}"'
        assert any(anchor in h for h in html.values()), f"claim {r.id} has no anchor in the book"


def test_pdf_contains_every_chapter_title_and_embeds_its_fonts():
    require_build(PDF)
    txt = subprocess.run(["pdftotext", "-layout", str(PDF), "-"], capture_output=True, text=True, check=True).stdout
    import re

    norm = re.sub(r"\W+", " ", txt)
    for f in chapter_files():
        if f.endswith("00_index"):
            continue
        md = (ROOT / (f + ".md")).read_text(encoding="utf-8")
        title = re.search(r"^# (.+)$", md, re.M).group(1)
        words = re.sub(r"\W+", " ", title).split()[:4]
        assert " ".join(words) in norm, f"PDF lacks chapter title {title!r}"
    fonts = subprocess.run(["pdffonts", str(PDF)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows, "no fonts in the PDF"
    assert all(r.split()[-5] == "yes" for r in rows), "a font is not embedded:\n" + fonts
    assert "Amiri" in fonts, "the Arabic font (Amiri) is not used in the PDF"


def test_latex_log_has_no_missing_characters_and_no_dead_links():
    log = PDF.with_suffix(".log")
    require_build(log)
    txt = log.read_text(errors="replace")
    assert "Missing character" not in txt
    assert "There were undefined references" not in txt and "undefined on input" not in txt, (
        "cross-references that do not resolve in the PDF (dead links)"
    )
    # a box taller than the page (a figure with its caption, a table) runs over the page foot
    assert "has occurred while \\output is active" not in txt, "content runs over a PDF page foot"


def test_claimreview_jsonld_parses_out_of_every_chapter_with_the_required_fields():
    """Parse the embedded JSON-LD with a structured-data library (extruct), not regexes."""
    import extruct

    from karabakh_book import claims

    reg = claims.load_registry()
    from karabakh_book.claimreview import NOT_REVIEWED

    checkable = reg[~reg["verdict"].isin(NOT_REVIEWED)].set_index("id")
    found = {}
    for page in pages():
        require_build(page)
        items = extruct.extract(
            page.read_text(encoding="utf-8"), base_url=page.as_uri(), syntaxes=["json-ld"], uniform=True
        )["json-ld"]
        flat = [x for it in items for x in (it if isinstance(it, list) else [it])]
        for rec in flat:
            if rec.get("@type") != "ClaimReview":
                continue
            cid = rec["identifier"]
            row = checkable.loc[cid]
            assert rec["claimReviewed"] == row["claim_en"]
            assert rec["url"].endswith(f"{page.stem}.html#{claims.anchor(cid)}"), rec["url"]
            rating = rec["reviewRating"]
            assert rating["alternateName"] == row["verdict"]
            assert (rating["bestRating"], rating["worstRating"]) == (5, 1)
            assert ("ratingValue" in rating) == (row["verdict"] not in ("unverifiable", "unsupported"))
            item = rec["itemReviewed"]
            assert item["@type"] == "Claim" and item["datePublished"] == "2023-10-04"
            assert item["author"]["name"] == "Hizb ut-Tahrir" and item["text"] == row["quote_de"]
            assert any("hizb-ut-tahrir.info/gr/" in a["url"] for a in item["appearance"])
            assert rating["name"] == row["verdict"]
            assert rec["author"]["name"] and rec["datePublished"]
            # the anchor the url points at exists on this page
            assert f'id="{claims.anchor(cid)}"' in page.read_text(encoding="utf-8")
            found[cid] = page.stem
    assert set(found) == set(checkable.index), sorted(set(checkable.index) - set(found))


def test_claimreview_download_holds_every_checkable_claim():
    from karabakh_book import claims

    files = list((HTML / "_downloads").rglob("claimreview.jsonld"))
    assert len(files) == 1, files
    recs = json.loads(files[0].read_text(encoding="utf-8"))
    reg = claims.load_registry()
    from karabakh_book.claimreview import NOT_REVIEWED

    assert sorted(r["identifier"] for r in recs) == sorted(reg.loc[~reg["verdict"].isin(NOT_REVIEWED), "id"])
    assert {r["reviewRating"]["alternateName"] for r in recs} >= {"contradicted by the record", "partly supported"}


def _soup(page: Path):
    from bs4 import BeautifulSoup

    require_build(page)
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def test_source_text_marks_every_claims_words_and_links_the_claim():
    from karabakh_book import claims, text

    reg = claims.load_registry()
    soup = _soup(HTML / "chapters" / "01_source_text.html")
    marks = [text.normalize(m.get_text()) for m in soup.select("span.claimmark")]
    links = {a["href"].split("#")[-1] for a in soup.select("span.claimrefs a[href]")}
    for r in reg.itertuples():
        assert claims.anchor(r.id) in links, f"claim {r.id} is not linked from the source text"
        q = text.normalize(r.quote_de)
        assert any(q in m for m in marks), f"the words of {r.id} are not marked: {q[:50]!r}"
    # every link lands on an anchor that exists in the book
    html = "".join(p.read_text(encoding="utf-8") for p in pages())
    for a in links:
        assert f'id="{a}"' in html, a


def test_every_dataset_is_downloadable_unchanged_from_the_datasets_page():
    from karabakh_book import data

    soup = _soup(HTML / "chapters" / "91_datasets.html")
    hrefs = [a["href"] for a in soup.select("a.download[href]")]
    got = {Path(h).name: (HTML / "chapters" / h).resolve() for h in hrefs}
    for res in data.package()["resources"] + [{"path": "datapackage.json"}]:
        name = Path(res["path"]).name
        assert name in got, f"{res['path']} has no download link on the Datasets page"
        assert got[name].read_bytes() == (ROOT / "data" / res["path"]).read_bytes(), name


def test_the_data_package_zip_downloads_unzips_and_validates(tmp_path):
    """The Datasets page links one zip; unzipped, frictionless finds every resource valid."""
    import zipfile

    from karabakh_book import data, datasets

    soup = _soup(HTML / "chapters" / "91_datasets.html")
    links = [a["href"] for a in soup.select("a.download[href]") if a["href"].endswith(datasets.ZIP_NAME)]
    assert links, f"the Datasets page does not link {datasets.ZIP_NAME}"
    with zipfile.ZipFile((HTML / "chapters" / links[0]).resolve()) as z:
        z.extractall(tmp_path)
    names = {r["name"] for r in data.package()["resources"]}
    report = _frictionless_validate(tmp_path / "datapackage.json")
    assert report["valid"], report["errors"]
    assert {t["name"] for t in report["tasks"]} == names
    assert (tmp_path / "references.bib").exists() and (tmp_path / "LICENSE-CC-BY-4.0.txt").exists()


def test_a_broken_data_package_zip_fails_validation(tmp_path):
    """The check above can fail: a zip whose CSV has a non-number in an integer column is invalid."""
    import zipfile

    from karabakh_book import datasets

    src = tmp_path / "p.zip"
    src.write_bytes(datasets.package_zip())
    with zipfile.ZipFile(src) as z:
        z.extractall(tmp_path / "x")
    f = tmp_path / "x" / "data" / "exodus_arrivals.csv"
    lines = f.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[1].split(",")
    cells[1] = "many"
    lines[1] = ",".join(cells)
    f.write_text("".join(lines), encoding="utf-8")
    report = _frictionless_validate(tmp_path / "x" / "datapackage.json")
    assert not report["valid"]
    assert any(t["name"] == "exodus_arrivals" and not t["valid"] for t in report["tasks"])


def _frictionless_validate(descriptor: Path) -> dict:
    """Run the frictionless command line, as a reader would, and read its JSON report."""
    import shutil
    import sys

    exe = shutil.which("frictionless", path=str(Path(sys.executable).parent))
    out = subprocess.run(
        [exe, "validate", "--json", descriptor.name], cwd=descriptor.parent, capture_output=True, text=True, timeout=600
    )
    report = json.loads(out.stdout)
    report["tasks"] = [{"name": t["name"], "valid": t["valid"]} for t in report["tasks"]]
    report["errors"] = [e for t in json.loads(out.stdout)["tasks"] for e in t.get("errors", [])][:5]
    return report


def test_every_chart_offers_its_data_as_csv_with_a_source_and_a_reuse_line():
    import pandas as pd

    n = 0
    for page in pages():
        soup = _soup(page)
        for fig in soup.select("figure"):
            if not fig.select("img"):
                continue
            n += 1
            after = fig.find_next(string=lambda s: s and "Data:" in s)
            assert after is not None, f"{page.name}: a chart without its data line"
            para = after.find_parent("p")
            link = para.select_one("a.download[href$='.csv']")
            assert link is not None, f"{page.name}: the data line has no CSV link"
            csv = (page.parent / link["href"]).resolve()
            assert len(pd.read_csv(csv)) > 0, csv
            assert "Data source:" in para.get_text() and "Reuse: cite as" in para.get_text()
    assert n >= 20


def test_bibliography_page_lists_every_entry_once():
    from karabakh_book import cite

    soup = _soup(HTML / "chapters" / "99_bibliography.html")
    entries = soup.select('div[role="doc-biblioentry"], div.citation')
    assert len(entries) == len(cite.bib_keys())


def test_how_to_cite_page_names_this_version_and_every_chapter():
    from karabakh_book import howtocite

    txt = _soup(HTML / "chapters" / "90_how_to_cite.html").get_text()
    m = howtocite.cff()
    assert f"version {m['version']}" in txt.lower() and str(m["date-released"]) in txt
    for ch in howtocite.chapters():
        assert f"@incollection{{{ch.key}," in txt, ch.key


def test_glossary_names_are_in_the_index_and_every_page_says_when_it_was_updated():
    idx = _soup(HTML / "genindex.html").get_text()
    for name in ("Stepanakert", "Khankendi", "Xankəndi", "Pashinyan, Nikol", "Artsakh", "Berdzor"):
        assert name in idx, f"{name} is not in the index"
    for page in pages():
        assert "Last updated on" in _soup(page).get_text(), page.name


def test_every_executable_chapter_says_how_to_rerun_it():
    for page in pages():
        md = ROOT / "chapters" / (page.stem + ".md")
        if not md.exists() or "```{code-cell}" not in md.read_text(encoding="utf-8"):
            continue
        txt = _soup(page).get_text()
        assert f"make chapter CH={page.stem}" in txt, f"{page.name} lacks its re-run command"


def test_every_executable_chapter_offers_its_executed_notebook():
    """The re-run box links the chapter's executed notebook; it is a valid notebook with outputs."""
    import nbformat

    for page in pages():
        md = ROOT / "chapters" / (page.stem + ".md")
        if not md.exists() or "```{code-cell}" not in md.read_text(encoding="utf-8"):
            continue
        links = [a["href"] for a in _soup(page).select("a.notebook-download[href]")]
        assert links == [f"../_notebooks/{page.stem}.ipynb"], f"{page.name}: {links}"
        nb = nbformat.read(str((page.parent / links[0]).resolve()), as_version=4)
        nbformat.validate(nb)
        assert any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), f"{page.stem}.ipynb has no outputs"


def test_every_page_links_the_books_pdf():
    assert (HTML / "karabakh-claims.pdf").read_bytes() == PDF.read_bytes()
    for page in pages():
        links = [a["href"] for a in _soup(page).select("a.book-pdf-link[href]")]
        assert links == ["../karabakh-claims.pdf"], f"{page.name} does not link the PDF: {links}"


def test_every_chapter_ends_with_a_one_line_citation_and_the_book_says_who_stands_behind_it():
    from karabakh_book import howtocite

    for ch in howtocite.chapters():
        box = _soup(HTML / ch.html).select_one("div.cite-chapter")
        assert box is not None and ch.title in box.get_text(), f"{ch.html} has no 'cite this chapter' line"
    for page in ("00_index", "90_how_to_cite"):
        txt = _soup(HTML / "chapters" / f"{page}.html").get_text()
        assert "Reporting an error" in txt and "Funding" in txt and "Corrections" in txt, page


def page_weight(page: Path) -> int:
    """Bytes a browser loads for a page: the page, its scripts, stylesheets, preloads and images
    (not the pages it links to, nor downloads)."""
    import re

    html = page.read_text(encoding="utf-8")
    refs = set(re.findall(r'<script[^>]*?src="([^"#?]+)', html)) | set(re.findall(r'<img[^>]*?src="([^"#?]+)', html))
    for tag in re.findall(r"<link[^>]*>", html):
        if re.search(r'rel="(stylesheet|preload|modulepreload|icon)"', tag):
            m = re.search(r'href="([^"#?]+)', tag)
            if m:
                refs.add(m.group(1))
    total = page.stat().st_size
    for r in refs:
        f = (page.parent / r).resolve()
        if not r.startswith(("http:", "https:")) and f.is_file():
            total += f.stat().st_size
    return total


def test_no_chapter_page_loads_more_than_1_5_mb():
    heavy = {p.name: round(page_weight(p) / 1e6, 2) for p in pages() if page_weight(p) > 1.5e6}
    assert heavy == {}


def test_the_weight_check_counts_what_a_page_loads(tmp_path):
    (tmp_path / "big.png").write_bytes(b"0" * 1_600_000)
    (tmp_path / "next.html").write_text("x" * 3_000_000)
    page = tmp_path / "p.html"
    page.write_text('<link rel="next" href="next.html"><img src="big.png">', encoding="utf-8")
    assert 1.6e6 < page_weight(page) < 1.7e6  # the image counts, the linked page does not


def test_the_icons_every_page_uses_are_in_the_small_icon_script():
    import re

    script = (HTML / "_static" / "scripts" / "fontawesome.js").read_text(encoding="utf-8")
    assert len(script) < 50_000, "the full Font Awesome bundle is back"
    icons = set(json.loads(re.search(r"var I=(\{.*?\});var NS", script).group(1)))
    used = set()
    for page in pages():
        used |= set(re.findall(r'class="fa-solid fa-([a-z0-9-]+)', page.read_text(encoding="utf-8")))
    assert used and used <= icons, sorted(used - icons)


def test_the_header_icons_are_drawn(browser):
    """The small icon script draws the header's icons, the theme switch's included (its icon
    carries data-mode, which the theme's CSS shows or hides)."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto((HTML / "chapters" / "13_point3_the_2023_opening.html").as_uri())
    page.wait_for_timeout(500)
    visible = page.evaluate(
        "() => [...document.querySelectorAll('.article-header-buttons svg.svg-inline--fa, "
        ".theme-switch-button svg.svg-inline--fa')].filter(s => s.getBoundingClientRect().width > 0).length"
    )
    theme = page.evaluate(
        "() => [...document.querySelectorAll('.theme-switch-button svg[data-mode]')]"
        ".filter(s => s.getBoundingClientRect().width > 0).length"
    )
    page.close()
    assert visible >= 3 and theme == 1


def _wider_than(browser, url: str, width: int = 390) -> int:
    page = browser.new_page(viewport={"width": width, "height": 844})
    page.goto(url)
    page.wait_for_timeout(200)
    w = page.evaluate("document.documentElement.scrollWidth")
    page.close()
    return w


def test_no_page_is_wider_than_a_phone(browser):
    wide = {p.name: w for p in pages() if (w := _wider_than(browser, p.as_uri())) > 390}
    assert wide == {}


def test_the_phone_width_check_catches_a_wide_page(browser, tmp_path):
    page = tmp_path / "wide.html"
    page.write_text('<html><body><p><code style="white-space:nowrap">' + "x" * 200 + "</code></p></body></html>")
    assert _wider_than(browser, page.as_uri()) > 390


_VERDICTS_OUT_OF_VIEW = """(width) => [...document.querySelectorAll('table.claims-table tbody tr')]
  .filter(tr => { const v = tr.querySelector('span.verdict'); if (!v) return true;
    const r = v.getBoundingClientRect(); return r.right > width + 1 || r.left < 0; })
  .map(tr => tr.querySelector('td').textContent.trim())"""


def _verdicts_out_of_view(browser, url: str, css: str = "", width: int = 390) -> list[str]:
    """Claim ids whose verdict, in a claims table, lies outside a phone's screen."""
    page = browser.new_page(viewport={"width": width, "height": 844})
    page.goto(url)
    if css:
        page.add_style_tag(content=css)
    page.wait_for_timeout(200)
    out = page.evaluate(_VERDICTS_OUT_OF_VIEW, width)
    page.close()
    return out


def test_every_claims_table_keeps_its_verdicts_in_view_on_a_phone(browser):
    tables = [p for p in pages() if _soup(p).select("table.claims-table")]
    assert len(tables) >= 9  # the eight points and the closing lines
    hidden = {p.name: ids for p in tables if (ids := _verdicts_out_of_view(browser, p.as_uri()))}
    assert hidden == {}


def test_the_verdict_view_check_catches_a_table_that_scrolls_its_verdicts_away(browser):
    page = HTML / "chapters" / "14_point4_the_one_day_operation.html"
    unstacked = (
        "table.claims-table { display: table !important; width: 1100px !important; }"
        "table.claims-table tbody { display: table-row-group !important; }"
        "table.claims-table tr { display: table-row !important; }"
        "table.claims-table td { display: table-cell !important; }"
    )
    assert _verdicts_out_of_view(browser, page.as_uri(), unstacked)


def bare_figures(soup) -> list[str]:
    """Figure images a reader cannot open at full size (no link to the image itself)."""
    out = []
    for img in soup.select("figure img"):
        a = img.find_parent("a")
        if a is None or a.get("href") != img.get("src"):
            out.append(img.get("src"))
    return out


def test_every_chart_opens_at_full_size():
    from bs4 import BeautifulSoup

    figs = 0
    for p in pages():
        soup = _soup(p)
        figs += len(soup.select("figure img"))
        assert bare_figures(soup) == [], p.name
    assert figs >= 28
    broken = BeautifulSoup('<figure><div><img src="../_images/a.png"/></div></figure>', "html.parser")
    assert bare_figures(broken) == ["../_images/a.png"]


def folded_computations(soup) -> list[str]:
    """The code a page shows folded (hide-input): the source of each folded cell."""
    return [d.get_text(" ") for d in soup.select("details.hide") if d.select("pre")]


def test_every_chart_shows_the_code_that_computes_it_folded():
    """Visible computation: the code that draws a chart or computes a glued number is shown folded
    under a "Show the code" toggle, not removed."""
    from bs4 import BeautifulSoup

    for stem in ("11_point1_first_war_and_exodus", "14_point4_the_one_day_operation", "21_conclusions"):
        code = folded_computations(_soup(HTML / "chapters" / f"{stem}.html"))
        assert any("publish" in c for c in code), stem
    # a folded cell shows its code, never a stray value (a DataFrame the call returned)
    stray = {p.name for p in pages() if _soup(p).select(".tag_hide-input .cell_output")}
    assert stray == set()
    bare = BeautifulSoup("<div class='cell tag_remove-cell'></div>", "html.parser")
    assert folded_computations(bare) == []


def serious_accessibility_violations(browser, url: str) -> list[str]:
    """axe-core's serious and critical findings on a page (rule id, count and first element)."""
    from pathlib import Path

    import axe_playwright_python

    axe = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(url)
    page.wait_for_timeout(200)
    page.evaluate(axe)
    res = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    page.close()
    return [
        f"{v['id']} ({len(v['nodes'])}): {v['nodes'][0]['target']}"
        for v in res["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_the_main_pages_have_no_serious_accessibility_violation(browser):
    """axe-core on the landing page, the explorer, a point chapter, the maps chapter and the glossary."""
    stems = ["00_index", "22_claim_explorer", "14_point4_the_one_day_operation", "03_the_region_on_maps", "94_glossary"]
    found = {
        s: v
        for s in stems
        if (v := serious_accessibility_violations(browser, (HTML / "chapters" / f"{s}.html").as_uri()))
    }
    assert found == {}


def test_the_accessibility_check_catches_a_heading_without_a_level(browser, tmp_path):
    page = tmp_path / "bad.html"
    page.write_text(
        '<html lang="en"><head><title>t</title></head><body><main><p role="heading">x</p></main></body></html>'
    )
    assert any(v.startswith("aria-required-attr") for v in serious_accessibility_violations(browser, page.as_uri()))


def search_for(browser, search_page, query: str) -> tuple[str, list[str]]:
    """Where the book's search page ends up for a query, and the claims it lists."""
    from urllib.parse import quote

    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(search_page.as_uri() + "?q=" + quote(query))
    page.wait_for_timeout(400)
    url = page.url
    listed = page.eval_on_selector_all("#claims-lookup li a", "els => els.map(e => e.textContent)")
    page.close()
    return url, listed


def test_search_opens_a_claim_by_its_id_and_lists_claims_by_figure_or_date(browser):
    url, _ = search_for(browser, HTML / "search.html", "P4-01")
    assert url.endswith("chapters/14_point4_the_one_day_operation.html#claim-p4-01"), url
    _, listed = search_for(browser, HTML / "search.html", "09.07.2023")
    assert any(t.startswith("P3-11 ") for t in listed), listed
    _, listed = search_for(browser, HTML / "search.html", "Peskov")
    assert len(listed) >= 3


def test_the_search_check_catches_a_search_page_without_the_claims(browser, tmp_path):
    page = tmp_path / "search.html"
    text = (HTML / "search.html").read_text(encoding="utf-8")
    page.write_text(text.replace('<script src="_static/claims-lookup.js"></script>', ""), encoding="utf-8")
    url, listed = search_for(browser, page, "P4-01")
    assert url.startswith(page.as_uri()) and listed == []


def unstable_notebook_parts(nb: dict) -> list[str]:
    """What would differ between two builds of one commit in an executed notebook: random cell ids
    and memory addresses in outputs."""
    import json
    import re

    out = [c["id"] for i, c in enumerate(nb["cells"]) if "id" in c and c["id"] != f"cell-{i:03d}"]
    return out + re.findall(r" at 0x[0-9a-f]+>", json.dumps(nb))


def test_the_executed_notebooks_are_the_same_in_every_build():
    import json

    nbs = sorted((HTML / "_notebooks").glob("*.ipynb"))
    assert len(nbs) >= 20
    unstable = {p.name: u for p in nbs if (u := unstable_notebook_parts(json.loads(p.read_text(encoding="utf-8"))))}
    assert unstable == {}
    broken = {"cells": [{"id": "1423f5eb", "outputs": [{"data": {"text/plain": "<X at 0x7f6bd43378d0>"}}]}]}
    assert len(unstable_notebook_parts(broken)) == 2


def fold_and_open(browser, url: str) -> tuple[int, int, int] | None:
    """On a phone: visible card paragraphs before folding, after folding, and after opening the
    first card by its title; None when the page offers no fold button."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(url)
    page.wait_for_timeout(300)
    count = (
        "() => [...document.querySelectorAll('div.admonition.claim > p:not(.admonition-title)')]"
        ".filter(p => p.getBoundingClientRect().height > 0).length"
    )
    if page.locator("button.fold-cards").count() == 0:
        page.close()
        return None
    before = page.evaluate(count)
    page.click("button.fold-cards")
    folded = page.evaluate(count)
    page.click("div.admonition.claim .admonition-title >> nth=0")
    opened = page.evaluate(count)
    page.close()
    return before, folded, opened


def test_a_long_chapters_claim_cards_fold_to_their_titles_on_a_phone(browser, tmp_path):
    page = HTML / "chapters" / "14_point4_the_one_day_operation.html"
    before, folded, opened = fold_and_open(browser, page.as_uri())
    assert before > 50 and folded == 0 and 0 < opened < 15
    copy = page.parent / "zz_no_fold_copy.html"
    copy.write_text(page.read_text(encoding="utf-8").replace("explorer.js", "no-such-script.js"), encoding="utf-8")
    try:
        assert fold_and_open(browser, copy.as_uri()) is None
    finally:
        copy.unlink()


def findings_problems(soup, n_claims: int) -> list[str]:
    """What the landing page's "What the book found" lacks: a link to a claim card, to the
    argument, the conclusions and the explorer, and the registry's count of claims."""
    sec = soup.select_one("section#what-the-book-found")
    if sec is None:
        return ["no 'What the book found' section"]
    hrefs = [a.get("href", "") for a in sec.select("a")]
    wanted = ("#claim-", "20_the_argument", "21_conclusions", "22_claim_explorer")
    out = [f"no link to {w}" for w in wanted if not any(w in h for h in hrefs)]
    if f"{n_claims} claims" not in " ".join(sec.get_text(" ").split()):
        out.append(f"does not give the registry's {n_claims} claims")
    return out


def test_the_landing_page_opens_with_its_findings_linked():
    from bs4 import BeautifulSoup

    from karabakh_book import claims

    n = len(claims.load_registry())
    assert findings_problems(_soup(HTML / "chapters" / "00_index.html"), n) == []
    bare = BeautifulSoup('<section id="what-the-book-found"><p>Of the text\'s 195 claims</p></section>', "html.parser")
    assert len(findings_problems(bare, n)) == 5


def test_german_passages_and_quotes_are_marked_as_german():
    """A screen reader reads the German in a German voice: the passage cards and the cards' quotes
    carry lang="de" (the Arabic line keeps lang="ar")."""
    soup = _soup(HTML / "chapters" / "11_point1_first_war_and_exodus.html")
    passages = soup.select("div.passage-de")
    assert passages and all(d.get("lang") == "de" for d in passages)
    quotes = soup.select("div.claim span.lang-de")
    assert len(quotes) >= 10 and all(q.get("lang") == "de" for q in quotes)
    closing = _soup(HTML / "chapters" / "19_closing_lines.html")
    assert closing.select_one("div.passage-de span.lang-ar[lang=ar]") is not None


def test_citation_labels_are_unambiguous():
    labels = [
        s.get_text()
        for s in _soup(HTML / "chapters" / "99_bibliography.html").select('div[role="doc-biblioentry"] span.label')
    ]
    assert len(labels) > 100 and len(labels) == len(set(labels))
    assert not [lb for lb in labels if "," in lb], "a comma inside a label would read as two citations"


def test_pdf_declares_title_author_subject_keywords_and_language():
    """The PDF's own metadata (its Info dictionary and catalog), as a library or an archive reads them."""
    import subprocess

    require_build(PDF)
    info = subprocess.run(["pdfinfo", str(PDF)], capture_output=True, text=True, check=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    for name in ("Title", "Author", "Subject", "Keywords"):
        assert fields.get(name, "").strip(), f"PDF has no {name}"
    assert "Karabakh" in fields["Title"] and "Karabakh" in fields["Keywords"]
    import re
    import zlib

    raw = PDF.read_bytes()
    streams = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", raw, re.S):  # the catalog sits in an object stream
        try:
            streams.append(zlib.decompress(m.group(1)))
        except zlib.error:
            pass
    assert any(re.search(rb"/Lang\s*\(en", s) for s in [raw, *streams]), "PDF declares no language"


def xmp_problems(pdf) -> list[str]:
    """What an archive would miss in a PDF's XMP metadata: title, creator, language, document and
    instance IDs, and a creation date that is the build's SOURCE_DATE_EPOCH (not the clock)."""
    import subprocess

    xmp = subprocess.run(["pdfinfo", "-meta", str(pdf)], capture_output=True, text=True, check=True).stdout
    out = []
    for tag in ("dc:title", "dc:creator", "dc:language", "xmpMM:DocumentID", "xmpMM:InstanceID", "xmp:CreateDate"):
        if f"<{tag}>" not in xmp:
            out.append(f"no {tag}")
    if "<dc:language>" in xmp and "en-GB" not in xmp:
        out.append("language is not en-GB")
    return out


def test_pdf_carries_xmp_metadata_and_the_xmp_check_catches_a_pdf_without():
    require_build(PDF)
    assert xmp_problems(PDF) == []
    chart = next(p for p in PDF.parent.glob("*.pdf") if p != PDF)  # a chart: matplotlib writes no XMP
    assert "no dc:title" in xmp_problems(chart)


def test_every_claim_has_a_bookmark_in_the_pdf_outline():
    """hyperref writes the outline to karabakh-claims.out: one entry per claim, under its chapter."""
    from karabakh_book import claims

    out = (PDF.parent / "karabakh-claims.out").read_text(encoding="latin-1")
    # hyperref names each entry <anchor>.<level>
    missing = [cid for cid in claims.load_registry()["id"] if "{bm-" + claims.anchor(cid) + ".2}" not in out]
    assert missing == []
    assert "\\BOOKMARK [2][-]{bm-claim-p1-06.2}{P1-06:\\040incorrect}" in out  # level 2: under its section


def overfull_boxes(log: str, limit: float = 5.0) -> list[str]:
    """Overfull boxes wider than ``limit`` pt in a LaTeX log, each with the line range and the text
    that runs over."""
    import re

    out = []
    for m in re.finditer(r"Overfull \\[hv]box \(([0-9.]+)pt too \w+\) (.*?)\n(.*?)\n", log):
        if float(m.group(1)) > limit:
            out.append(f"{m.group(1)} pt {m.group(2)}: {m.group(3)[:80]}")
    return out


def test_overfull_check_catches_a_box_over_the_margin():
    log = (
        "Overfull \\hbox (4.9pt too wide) in paragraph at lines 10--10\n[]\\TU/FreeSerif(0)/m/n/8 fine| \n"
        "Overfull \\hbox (151.1pt too wide) in alignment at lines 24277--24311\n [] [] [] \n"
    )
    found = overfull_boxes(log)
    assert len(found) == 1 and found[0].startswith("151.1 pt in alignment at lines 24277--24311")


def test_pdf_has_nothing_over_the_margin():
    """No line, table or figure runs more than 5 pt into the margin (the LaTeX log's overfull boxes)."""
    require_build(PDF)
    log = (PDF.parent / "karabakh-claims.log").read_text(encoding="utf-8", errors="replace")
    assert overfull_boxes(log) == []


def figure_numbers_disagree(html_captions: list[str], pdf_captions: list[str]) -> list[str]:
    """Figures whose number leads to a different caption in the two formats: both lists hold
    captions as read ("Fig. 7 What the statement..." / "Fig. 7: What the statement...")."""
    import re

    def parse(caps):
        out = {}
        for c in caps:
            m = re.match(r"Fig\. (\d+)[:.]?\s+(.*)", " ".join(c.split()))
            if m:
                out[int(m.group(1))] = " ".join(m.group(2).split()[:4])
        return out

    h, p = parse(html_captions), parse(pdf_captions)
    return [f"Fig. {n}: HTML {h.get(n)!r}, PDF {p.get(n)!r}" for n in sorted(set(h) | set(p)) if h.get(n) != p.get(n)]


def test_figure_check_catches_a_number_that_differs():
    assert figure_numbers_disagree(["Fig. 7 What the statement said"], ["Fig. 7: What the statement said"]) == []
    assert figure_numbers_disagree(["Fig. 7 What the statement said"], ["Fig. 5.1: What the statement said"])


def test_figures_have_the_same_number_in_html_and_pdf():
    """One numbering: chapters and sections unnumbered in both formats, figures numbered through
    the book, so "Fig. 7" is the same chart in the HTML and the PDF."""
    import subprocess

    import yaml

    require_build(PDF)
    toc, files = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8")), []

    def walk(x):
        if isinstance(x, dict):
            files.extend([x["file"]] if "file" in x else [])
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(toc)
    html = []
    for f in files:
        page = HTML / (f + ".html")
        if page.exists():
            html += [c.get_text(" ") for c in _soup(page).select("figcaption")]
    text = subprocess.run(["pdftotext", str(PDF), "-"], capture_output=True, text=True, check=True).stdout
    pdf = [ln for ln in text.splitlines() if ln.startswith("Fig. ")]
    assert len(html) == len(pdf) and figure_numbers_disagree(html, pdf) == []
    assert "Chapter 5" not in text  # chapters are named ("Point 2: ..."), not numbered


def printed_text_pt(rec: dict, linewidth_in: float, maxheight_in: float) -> float:
    """The smallest text of a chart as printed: LaTeX takes the image at its file's natural size
    and shrinks it to the line width and to the charts' height limit; the text shrinks with it."""
    nat_w, nat_h = rec["width_px"] / rec["file_dpi"], rec["height_px"] / rec["file_dpi"]
    shown_w = nat_w * min(1.0, linewidth_in / nat_w, maxheight_in / nat_h)
    return rec["min_font_pt"] * shown_w / (rec["width_px"] / rec["drawn_dpi"])


def test_printed_text_check_catches_a_chart_too_tall_for_the_page():
    rec = {"width_px": 1120, "height_px": 2100, "drawn_dpi": 160, "file_dpi": 72, "min_font_pt": 7.5}
    assert printed_text_pt(rec, 6.27, 6.59) < 6  # 7 x 13 in: shrunk by half
    rec["height_px"] = 800
    assert printed_text_pt(rec, 6.27, 6.59) >= 6


def test_every_chart_prints_its_text_at_6_pt_or_more():
    """Charts and maps sized for A4: their smallest text, as printed in the PDF, is at least 6 pt."""
    import json
    import re

    require_build(PDF)
    log = (PDF.parent / "karabakh-claims.log").read_text(encoding="utf-8", errors="replace")
    m = re.search(r"KARABAKH-PAGE linewidth=([0-9.]+)pt textheight=([0-9.]+)pt", log)
    lw, th = float(m.group(1)) / 72.27, float(m.group(2)) / 72.27
    cfg = (ROOT / "_config.yml").read_text(encoding="utf-8")
    share = float(re.search(r"spx@image@maxheight=([0-9.]+)\\textheight", cfg).group(1))
    recs = [
        json.loads(f.read_text(encoding="utf-8")) for f in sorted((ROOT / "_generated" / "figsizes").glob("*.json"))
    ]
    assert recs
    small = {r["name"]: round(printed_text_pt(r, lw, share * th), 2) for r in recs}
    assert {k: v for k, v in small.items() if v < 6.0} == {}


def cards_split_across_pages(pages: list[str], fits: set[str]) -> list[str]:
    """Claim cards that fit on a page (``fits``) but start on one page of the PDF's text and end
    (their "Confidence:" line) on another."""
    import re

    start, end, cur = {}, {}, None
    for i, page in enumerate(pages):
        for line in page.splitlines():
            m = re.match(r"^(P[QC0-9a-d]+-\d\d) · ", line)
            if m:
                cur, start[m.group(1)] = m.group(1), i
            if line.startswith("Confidence:") and cur:
                end[cur], cur = i, None
    return sorted(k for k in start if k in fits and end.get(k) != start[k])


def test_card_split_check_catches_a_card_running_onto_the_next_page():
    pages = ["P1-01 · event · ✔ correct\nConfidence: high.", "P1-02 · date · ✘ incorrect\nText", "Confidence: low."]
    assert cards_split_across_pages(pages, {"P1-01", "P1-02"}) == ["P1-02"]
    assert cards_split_across_pages(pages, {"P1-01"}) == []


def test_a_claim_card_that_fits_on_a_page_is_printed_on_one_page():
    """Each card asks LaTeX for the room it needs (\\Needspace); one longer than a page may break."""
    import re
    import subprocess

    from karabakh_book import claims, present

    require_build(PDF)
    fits = set()
    for point in claims.POINTS:
        md = str(present.claim_cards(point).data)
        for cid, note in re.findall(r"\\pdfbookmark\[2\]\{([^:]+):.*?\\Needspace\*\{\d+\\baselineskip\}(%?)", md, re.S):
            if not note:  # "% longer than a page": such a card asks only for room for its first lines
                fits.add(cid)
    assert len(fits) > 150
    text = subprocess.run(["pdftotext", str(PDF), "-"], capture_output=True, text=True, check=True).stdout
    assert cards_split_across_pages(text.split("\f"), fits) == []


def tables_with_a_lone_row(tex: str) -> int:
    """Long tables (four rows or more) whose last row may be pushed alone onto a new page: the row
    before it does not end with LaTeX's no-break row end."""
    import re

    n = 0
    for block in re.findall(r"\\endlastfoot(.*?)\\end\{longtable\}", tex, re.S):
        ends = re.findall(r"\\\\(\*?)\s*\n", block)
        if len(ends) >= 4 and ends[-2] != "*":
            n += 1
    return n


def test_lone_row_check_catches_a_table_that_can_leave_one_row_behind():
    row = "a & b\\\\\n\\sphinxhline\n"
    ok = "\\endlastfoot\n" + row * 2 + row.replace("\\\\", "\\\\*") + row + "\\end{longtable}"
    bad = "\\endlastfoot\n" + row * 4 + "\\end{longtable}"
    assert tables_with_a_lone_row(ok) == 0 and tables_with_a_lone_row(bad) == 1


def test_no_long_table_leaves_a_single_row_behind():
    require_build(PDF)
    tex = (PDF.parent / "karabakh-claims.tex").read_text(encoding="utf-8")
    assert "\\endlastfoot" in tex
    assert tables_with_a_lone_row(tex) == 0


def test_pdf_has_no_blank_page():
    """Chapters open on any page: no page carries only the running head."""
    import subprocess

    require_build(PDF)
    n = int(
        next(
            ln.split()[-1]
            for ln in subprocess.run(
                ["pdfinfo", str(PDF)], capture_output=True, text=True, check=True
            ).stdout.splitlines()
            if ln.startswith("Pages:")
        )
    )
    blank = []
    for page in range(1, n + 1):
        txt = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(PDF), "-"], capture_output=True, text=True, check=True
        ).stdout
        body = "".join(txt.replace("Karabakh 2023, claim by claim", "").split())
        images = (
            subprocess.run(
                ["pdfimages", "-f", str(page), "-l", str(page), "-list", str(PDF)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.count("\n")
            > 2
        )
        if len(body) < 12 and not images and page > 1:
            blank.append(page)
    assert blank == [], f"blank pages: {blank}"


def _visible_ids(page):
    return page.eval_on_selector_all(
        "#claims-explorer tbody tr:not([hidden]) td:first-child a", "els => els.map(e => e.textContent)"
    )


@pytest.mark.parametrize("width", [1366, 390])
def test_claim_explorer_filters_and_searches_offline(browser, width):
    from karabakh_book import claims

    reg = claims.load_registry()
    page_file = HTML / "chapters" / "22_claim_explorer.html"
    require_build(page_file)
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    page = ctx.new_page()
    page.goto(page_file.resolve().as_uri(), wait_until="load")
    assert len(_visible_ids(page)) == len(reg)
    box = page.locator("#claims-explorer input[name=q]")
    box.fill("09.07.2023")  # a date as the text writes it
    assert "P3-11" in _visible_ids(page)
    box.fill("Peskov")
    assert len(_visible_ids(page)) >= 3
    box.fill("20-24")  # a figure as the text writes it
    assert "P1-06" in _visible_ids(page)
    box.fill("")
    page.select_option("#claims-explorer select[data-field=verdict]", "incorrect")
    assert sorted(_visible_ids(page)) == sorted(reg.loc[reg["verdict"] == "incorrect", "id"])
    page.select_option("#claims-explorer select[data-field=point]", "6")
    assert sorted(_visible_ids(page)) == sorted(reg.loc[(reg["verdict"] == "incorrect") & (reg["point"] == "6"), "id"])
    assert "shown" in page.inner_text("#claims-explorer .explorer-count")
    # every row links to its card
    href = page.get_attribute("#claims-explorer tbody tr:not([hidden]) a", "href")
    assert "#claim-p6-" in href
    # no wider than the screen, and the verdict stays in view
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    box_v = page.locator("#claims-explorer tbody tr:not([hidden]) td.verdict-cell").first.bounding_box()
    assert box_v and box_v["x"] >= 0 and box_v["x"] + 10 <= width
    ctx.close()


def table_text_alignment(browser, url: str) -> str:
    """How the text of the first cell of a page's first plain table is aligned, as Chromium draws it."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(url)
    got = page.evaluate("() => getComputedStyle(document.querySelector('table.align-default td')).textAlign")
    page.close()
    return got


def test_tables_of_sentences_are_read_from_a_left_edge(browser):
    """The corrections log's reasons (and every plain table's cells) are set left, not centred as
    Sphinx's basic.css would have them; the log lists the newest change first."""
    page = HTML / "chapters" / "93_corrections.html"
    assert table_text_alignment(browser, page.as_uri()) in ("left", "start")
    dates = [td.get_text(strip=True) for td in _soup(page).select("table.align-default tbody tr td:first-child")]
    assert dates and dates == sorted(dates, reverse=True), "the corrections log is not newest first"
    copy = page.parent / "zz_no_book_css_copy.html"  # broken case: without the book's stylesheet
    copy.write_text(page.read_text(encoding="utf-8").replace("book.css", "no-such.css"), encoding="utf-8")
    try:
        assert table_text_alignment(browser, copy.as_uri()) == "center"
    finally:
        copy.unlink()


def stacked_row(browser, url: str) -> dict:
    """On a 390 px screen: how wide the corrections table is drawn and what its first reason cell
    is labelled with (the label printed before it)."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(url)
    got = page.evaluate(
        """() => { const t = document.querySelector('table.stack-on-phone');
                   const td = t.querySelector('tbody td:last-child');
                   return {width: t.scrollWidth, label: getComputedStyle(td, '::before').content}; }"""
    )
    page.close()
    return got


def test_the_corrections_log_reads_as_labelled_blocks_on_a_phone(browser):
    page = HTML / "chapters" / "93_corrections.html"
    got = stacked_row(browser, page.as_uri())
    assert got["width"] <= 390 and got["label"] == '"why: "', got
    copy = page.parent / "zz_unstacked_copy.html"  # broken case: the stylesheet's stacking missing
    copy.write_text(page.read_text(encoding="utf-8").replace("book.css", "no-such.css"), encoding="utf-8")
    try:
        bad = stacked_row(browser, copy.as_uri())
        assert bad["width"] > 390 or bad["label"] != '"why: "'
    finally:
        copy.unlink()


def test_the_html_build_draws_no_pdf_and_the_pdf_has_every_map_it_includes():
    """The argument maps' notebook outputs carry no PDF (the HTML build has no use for one); every
    map the LaTeX source includes was drawn beside it, one per thesis."""
    import json

    from karabakh_book import argument

    nb = json.loads((HTML / "_notebooks" / "20_the_argument.ipynb").read_text(encoding="utf-8"))
    kinds = {k for c in nb["cells"] for o in c.get("outputs", []) for k in o.get("data", {})}
    assert "text/html" in kinds and "application/pdf" not in kinds
    tex = (PDF.parent / "karabakh-claims.tex").read_text(encoding="utf-8")
    included = argument.included_theses(tex)
    assert len(included) == len(argument.main_theses(argument.load())) == len(set(included))
    assert all(
        (PDF.parent / f"{argument.PDF_NAME.format(thesis=t)}.pdf").read_bytes()[:5] == b"%PDF-" for t in included
    )

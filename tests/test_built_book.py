"""Tests on the built book (run after `make book`; `make test` builds first)."""
import json
import subprocess
from pathlib import Path

import pytest

from conftest import HTML, PDF, ROOT, chapter_files, require_build

pytestmark = pytest.mark.build
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


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
        "article img", "els => els.map(e => ({src: e.src, ok: e.complete && e.naturalWidth > 0, alt: e.alt}))")
    assert all(i["ok"] for i in imgs), f"images not loaded: {[i['src'] for i in imgs if not i['ok']]}"
    figures = page.eval_on_selector_all(
        "article figure", "els => els.map(f => ({alt: (f.querySelector('img') || {}).alt || '', "
        "caption: (f.querySelector('figcaption') || {}).innerText || ''}))")
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
    txt = subprocess.run(["pdftotext", "-layout", str(PDF), "-"], capture_output=True, text=True,
                         check=True).stdout
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


def test_latex_log_has_no_missing_characters():
    log = PDF.with_suffix(".log")
    require_build(log)
    assert "Missing character" not in log.read_text(errors="replace")


def test_claimreview_jsonld_parses_out_of_every_chapter_with_the_required_fields():
    """Parse the embedded JSON-LD with a structured-data library (extruct), not regexes."""
    import extruct

    from karabakh_book import claims
    reg = claims.load_registry()
    checkable = reg[reg["verdict"] != "interpretation"].set_index("id")
    found = {}
    for page in pages():
        require_build(page)
        items = extruct.extract(page.read_text(encoding="utf-8"), base_url=page.as_uri(),
                                syntaxes=["json-ld"], uniform=True)["json-ld"]
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
            assert ("ratingValue" in rating) == (row["verdict"] != "unverifiable")
            item = rec["itemReviewed"]
            assert item["@type"] == "Claim" and item["datePublished"] == "2023-10-04"
            assert item["author"]["name"] and item["text"] == row["quote_de"]
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
    assert sorted(r["identifier"] for r in recs) == sorted(reg.loc[reg["verdict"] != "interpretation", "id"])

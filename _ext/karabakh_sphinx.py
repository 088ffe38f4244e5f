"""Local Sphinx extension of the Karabakh claims book.

* ``{arabic}`` role: marks an Arabic span. HTML gets ``<span lang="ar" dir="rtl">`` so the
  browser shapes and orders it; LaTeX gets polyglossia's ``\\textarabic{}`` (Amiri, bidi), because
  FreeSerif would set the letters unjoined and left to right without any warning.
* ``{de}`` role: marks German text (``lang="de"`` in HTML, ``\\textgerman{}`` in LaTeX, for
  hyphenation).
"""

from __future__ import annotations

import html
import re

from docutils import nodes
from sphinx.transforms import SphinxTransform


class langspan(nodes.Inline, nodes.TextElement):
    """An inline span in another language."""


def _role(lang: str, rtl: bool = False):
    def role(name, rawtext, text, lineno, inliner, options=None, content=None):
        node = langspan(rawtext, text)
        node["lang"] = lang
        node["rtl"] = rtl
        return [node], []

    return role


def visit_html(self, node):
    attrs = {"lang": node["lang"], "CLASS": f"lang-{node['lang']}"}
    if node["rtl"]:
        attrs["dir"] = "rtl"
    self.body.append(self.starttag(node, "span", "", **attrs))


def depart_html(self, node):
    self.body.append("</span>")


_LATEX_CMD = {"ar": "\\textarabic{", "de": "\\textgerman{"}


def visit_latex(self, node):
    self.body.append(_LATEX_CMD[node["lang"]])


def depart_latex(self, node):
    self.body.append("}")


def visit_text(self, node):
    pass


def depart_text(self, node):
    pass


def _german_passages(app, pagename, templatename, context, doctree):
    """The German original's card in a passage (class ``passage-de``) is German: say so, so that a
    screen reader reads it in a German voice (the Arabic line inside keeps its own ``lang="ar"``)."""
    import re

    body = context.get("body")
    if body and "passage-de" in body:
        context["body"] = re.sub(r'<div class="([^"]*\bpassage-de\b[^"]*)"', r'<div lang="de" class="\1"', body)


def _drop_thebe(app, pagename, templatename, context, doctree):
    """Remove thebe's scripts: the book has no live-code buttons, and sphinx-thebe's inline config
    is emitted twice (a console error on every page) and names a CDN."""
    scripts = context.get("script_files")
    if scripts is None:
        return

    def is_thebe(js):
        return "thebe" in str(js).lower() or "THEBE" in getattr(js, "attributes", {}).get("body", "")

    context["script_files"] = [js for js in scripts if not is_thebe(js)]
    # An explicit light default: with none, the theme logs "Got invalid theme mode" on a fresh browser.
    context["default_mode"] = context.get("default_mode") or "light"


def _claimreview_jsonld(app, pagename, templatename, context, doctree):
    """Embed schema.org ClaimReview JSON-LD for the claims shown on this page."""
    from karabakh_book import claimreview

    if not hasattr(app, "_karabakh_registry"):  # loaded and checked once per build, not once per page
        from karabakh_book import claims

        app._karabakh_registry = claims.load_registry()
    recs = claimreview.for_doc(pagename, app.config.html_baseurl or "", reg=app._karabakh_registry)
    if recs:
        context["metatags"] = context.get("metatags", "") + (
            '\n<script type="application/ld+json">' + claimreview.dumps(recs) + "</script>\n"
        )


def _base_url(app, config):
    """One setting for absolute URLs: ``KARABAKH_BASE_URL`` (the address the book is published at)
    sets ``html_baseurl``, which makes ClaimReview URLs absolute, adds canonical links to every page
    and lets :func:`_sitemap` write ``sitemap.xml``. Unset, the build says so and stays relative."""
    import os

    from sphinx.util import logging

    base = os.environ.get("KARABAKH_BASE_URL", "").strip() or (config.html_baseurl or "").strip()
    if base:
        config.html_baseurl = base.rstrip("/") + "/"
    else:
        logging.getLogger(__name__).info(
            "KARABAKH_BASE_URL is not set: ClaimReview URLs stay relative, no canonical links, no sitemap.xml"
        )


def _pdf_version_metadata(app, config):
    """The PDF's XMP InstanceID and dates name this version of the book: a UUID made from the
    version in CITATION.cff and the build's SOURCE_DATE_EPOCH (the last commit that changed the
    book), and that commit's time as creation and modification date. Two builds of one commit then
    write the same bytes (hyperxmp would otherwise draw a random ID and take the clock's time)."""
    import datetime
    import os
    import uuid

    from karabakh_book import howtocite

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    iid = uuid.uuid5(uuid.NAMESPACE_URL, f"karabakh-claims:{howtocite.cff().get('version', '')}:{epoch}")
    keys = f"pdfinstanceid={{uuid:{iid}}}"
    if epoch.isdigit():
        when = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).strftime("D:%Y%m%d%H%M%SZ")
        keys += f",pdfcreationdate={{{when}}},pdfmoddate={{{when}}},pdfmetadate={{{when}}},pdfdate={{{when[2:6]}-{when[6:8]}-{when[8:10]}}}"
    elements = dict(config.latex_elements or {})
    elements["preamble"] = elements.get("preamble", "") + (
        "\n% XMP InstanceID and dates of this version (set by _ext/karabakh_sphinx.py)\n"
        f"\\AtBeginDocument{{\\hypersetup{{{keys}}}}}\n"
    )
    config.latex_elements = elements


def _executed_notebooks(app, exception):
    """Put every chapter's executed notebook (from the execution cache, as this build used it) in
    ``_notebooks/`` of the HTML output, where each chapter's re-run box links it."""
    from pathlib import Path

    if exception or app.builder.name != "html":
        return
    import nbformat
    from jupyter_cache import get_cache

    cache_dir = Path(app.srcdir) / "_build" / ".jupyter_cache"
    if not cache_dir.exists():
        return
    cache = get_cache(cache_dir)
    latest = {}
    for r in cache.list_cache_records():
        if r.uri not in latest or r.created > latest[r.uri].created:
            latest[r.uri] = r
    out = Path(app.outdir) / "_notebooks"
    out.mkdir(exist_ok=True)
    for uri, r in latest.items():
        nb = cache.get_cache_bundle(r.pk).nb
        _stable(nb)
        nbformat.write(nb, str(out / (Path(uri).stem + ".ipynb")))


def _argument_map_pdfs(app, exception):
    """Draw the argument maps that the LaTeX source includes (``argument-map-<thesis>.pdf``, see
    ``karabakh_book.argument.MapFigure``) as vector PDFs beside it, before LaTeX runs. The
    chapter's notebook gives the maps to HTML as inline SVG only, and to LaTeX as these
    inclusions: the HTML build does not draw PDFs it never uses."""
    from pathlib import Path

    if exception or app.builder.name != "latex":
        return
    from karabakh_book import argument

    out = Path(app.outdir)
    theses = sorted({t for tex in out.glob("*.tex") for t in argument.included_theses(tex.read_text(encoding="utf-8"))})
    argument.write_pdfs(out, theses)


_ADDRESS = re.compile(r" at 0x[0-9a-f]+>")


def _stable(nb) -> None:
    """Make an executed notebook the same bytes in every build of one commit: cell ids (drawn at
    random when the chapter is read) become their position, and an object's memory address in a
    plain-text output ("<... at 0x7f...>") is dropped."""
    for i, cell in enumerate(nb.cells):
        if "id" in cell:
            cell["id"] = f"cell-{i:03d}"
        for output in cell.get("outputs", []):
            plain = output.get("data", {}).get("text/plain")
            if isinstance(plain, str):
                output["data"]["text/plain"] = _ADDRESS.sub(">", plain)
            elif isinstance(plain, list):
                output["data"]["text/plain"] = [_ADDRESS.sub(">", line) for line in plain]


# --- Page weight: icons, search scripts and images -----------------------------------------------

ICON_SCRIPT = "_static/scripts/fontawesome.js"
ICON_MARK = "/* icons subset for this book */"
SEARCH_SCRIPTS = ("_static/searchtools.js", "_static/language_data.js", "searchindex.js")


def _icon_subset(out) -> None:
    """Replace the theme's Font Awesome bundle (1.5 MB, every icon) with the few icons the book's
    pages and the theme's scripts use, drawn as inline SVG by a few lines of script. The icons are
    Font Awesome Free's (CC BY 4.0), path data copied from the bundle itself."""
    import json
    import re

    fa = out / ICON_SCRIPT
    if not fa.exists():
        return
    text = fa.read_text(encoding="utf-8")
    if text.startswith(ICON_MARK):
        return
    defs = {}
    # names are quoted ("magnifying-glass") or bare where they are identifiers (bars)
    pattern = r'[{,](?:"([a-z0-9-]+)"|([a-z][a-z0-9]*)):\[(\d+),(\d+),\[[^\]]*\],"[0-9a-f]+","(M[^"]+)"\]'
    for m in re.finditer(pattern, text):
        # the last set in the bundle is the solid one, which the theme uses
        defs[m.group(1) or m.group(2)] = [int(m.group(3)), int(m.group(4)), m.group(5)]
    used = set()
    for f in list(out.rglob("*.html")) + [p for p in (out / "_static").rglob("*.js") if p != fa]:
        used |= set(re.findall(r"fa-([a-z0-9-]+)", f.read_text(encoding="utf-8", errors="ignore")))
    icons = {k: defs[k] for k in sorted(used) if k in defs}
    script = (
        ICON_MARK + "\n/* Font Awesome Free icons (CC BY 4.0, https://fontawesome.com/license/free) */\n"
        "(function(){var I=" + json.dumps(icons, separators=(",", ":")) + ";"
        'var NS="http://www.w3.org/2000/svg";'
        "function svg(n,keep){var d=I[n],s=document.createElementNS(NS,'svg'),p=document.createElementNS(NS,'path');"
        "s.setAttribute('viewBox','0 0 '+d[0]+' '+d[1]);s.setAttribute('aria-hidden','true');"
        "s.setAttribute('focusable','false');s.setAttribute('class','svg-inline--fa fa-'+n+(keep?' '+keep:''));"
        "s.style.height='1em';s.style.width=(d[0]/d[1])+'em';s.style.verticalAlign='-0.125em';"
        "s.style.overflow='visible';p.setAttribute('fill','currentColor');p.setAttribute('d',d[2]);"
        "s.appendChild(p);return s;}"
        "function draw(root){if(!root||!root.querySelectorAll)return;"
        'root.querySelectorAll(\'i[class*="fa-"],span[class*="fa-"]\').forEach(function(el){var n=null;'
        "el.classList.forEach(function(c){if(c.indexOf('fa-')===0&&I[c.slice(3)])n=c.slice(3);});if(!n)return;"
        "var keep=[].filter.call(el.classList,function(c){return c!=='fa-'+n;}).join(' ');"
        "var s=svg(n,keep);[].forEach.call(el.attributes,function(a){if(a.name!=='class')s.setAttribute(a.name,a.value);});"
        "el.replaceWith(s);});}"
        "function start(){draw(document);new MutationObserver(function(ms){ms.forEach(function(m){"
        "m.addedNodes.forEach(function(x){if(x.nodeType===1)draw(x.parentNode||x);});});})"
        ".observe(document.body,{childList:true,subtree:true});}"
        "if(document.readyState==='loading')document.addEventListener('DOMContentLoaded',start);else start();})();\n"
    )
    fa.write_text(script, encoding="utf-8")


def _drop_search_scripts(page, text: str) -> str:
    """The theme loads the search index (and its tools) on every page for a search-as-you-type
    box the book does not use (its search button opens search.html). Keep them on search.html."""
    if page.name == "search.html":
        return text
    for js in SEARCH_SCRIPTS:
        text = "\n".join(line for line in text.split("\n") if not (js in line and line.strip().startswith("<script")))
    return text


def _small_images(out) -> None:
    """Charts and maps as 256-colour PNGs: a third of the bytes, the same look (done once per file)."""
    from PIL import Image

    for f in (out / "_images").glob("*.png"):
        with Image.open(f) as im:
            if im.mode == "P":
                continue
            im.load()
            small = im.convert("RGBA").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
        tmp = f.with_suffix(".tmp.png")
        small.save(tmp, optimize=True)
        if tmp.stat().st_size < f.stat().st_size:
            tmp.replace(f)
        else:
            tmp.unlink()


def _slim_pages(app, exception):
    from pathlib import Path

    if exception or app.builder.name != "html":
        return
    out = Path(app.outdir)
    _icon_subset(out)
    _small_images(out)
    _claims_lookup(out)
    # every page read and written once, with each of these changes to its text
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = text
        for change in (
            _drop_search_scripts,
            _figures_open_full_size,
            _heading_levels,
            _search_page_claims,
            _stacked_table_labels,
        ):
            new = change(page, new)
        if new != text:
            page.write_text(new, encoding="utf-8")


def _claims_lookup(out) -> None:
    """The search page finds claims: the claims' lookup table is written next to the book's
    scripts, and :func:`_search_page_claims` loads it on search.html only (explorer.js uses it)."""
    from karabakh_book import explorer

    (out / "_static" / explorer.LOOKUP_JS).write_text(explorer.lookup_js(), encoding="utf-8")


def _search_page_claims(page, text: str) -> str:
    from karabakh_book import explorer

    tag = f'<script src="_static/{explorer.LOOKUP_JS}"></script>'
    if page.name != "search.html" or tag in text:
        return text
    return text.replace("</head>", tag + "\n</head>", 1)


def _heading_levels(page, text: str) -> str:
    """The theme marks the sidebar's part captions role="heading" without a level, which screen
    readers need (axe-core: aria-required-attr, critical): give them level 2."""
    return text.replace('<p class="caption" role="heading">', '<p class="caption" role="heading" aria-level="2">')


_STACKED = re.compile(r'<table class="[^"]*\bstack-on-phone\b[^"]*">.*?</table>', re.S)
_TH = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
_TR = re.compile(r"<tr\b[^>]*>.*?</tr>", re.S)
_TD = re.compile(r"<td\b")


def _stacked_table_labels(page, text: str) -> str:
    """A table of class ``stack-on-phone`` is shown on a phone as one block per row (book.css);
    each cell then carries its column's header as ``data-label``, which the stylesheet prints
    before it ("was: ...", "now: ...")."""

    def label(table):
        t = table.group(0)
        heads = [html.unescape(re.sub(r"<[^>]+>", "", h)).strip() for h in _TH.findall(t.split("</thead>")[0])]
        body_at = t.find("<tbody")
        if not heads or body_at < 0:
            return t

        def row(m):
            cells = iter(heads)
            return _TD.sub(lambda _: f'<td data-label="{html.escape(next(cells, ""))}"', m.group(0))

        return t[:body_at] + _TR.sub(row, t[body_at:])

    return _STACKED.sub(label, text) if "stack-on-phone" in text else text


_FIGURE = re.compile(r"<figure\b.*?</figure>", re.S)
_BARE_IMG = re.compile(r'(<a\b[^>]*>\s*)?(<img\b[^>]*\bsrc="([^"]+\.png)"[^>]*>)')


def _figures_open_full_size(page, text: str) -> str:
    """A chart or map on a phone is shrunk to the screen's width: each figure's image links to
    itself, so a tap opens it at full size (images already inside a link are left alone)."""

    def link(m):
        if m.group(1):
            return m.group(0)
        return f'<a class="figure-full" href="{m.group(3)}" title="Open at full size">{m.group(2)}</a>'

    return _FIGURE.sub(lambda f: _BARE_IMG.sub(link, f.group(0)), text)


def _sitemap(app, exception):
    """Write sitemap.xml (absolute URLs of every page) when a base URL is set."""
    from pathlib import Path
    from xml.sax.saxutils import escape

    if exception or app.builder.name != "html" or not app.config.html_baseurl:
        return
    base = app.config.html_baseurl
    urls = [base + app.builder.get_target_uri(doc) for doc in sorted(app.env.found_docs)]
    body = "".join(f"  <url><loc>{escape(u)}</loc></url>\n" for u in urls)
    (Path(app.outdir) / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + body + "</urlset>\n",
        encoding="utf-8",
    )


#: What the preflight checks and the generated downloads are made from.
STAMPED = [
    "data",
    "seeds",
    "references.bib",
    "CITATION.cff",
    "LICENSES.md",
    "LICENSE-CC-BY-4.0.txt",
    "src/karabakh_book",
    "_config.yml",
    "_toc.yml",
]


def _stamp(app) -> str:
    """A cheap fingerprint (path, size, mtime) of :data:`STAMPED`, plus the base URL."""
    from pathlib import Path

    root = Path(app.srcdir)
    parts = [app.config.html_baseurl or ""]
    for name in STAMPED:
        p = root / name
        for f in sorted([p] if p.is_file() else p.rglob("*") if p.is_dir() else []):
            if f.is_file() and "__pycache__" not in f.parts:
                st = f.stat()
                parts.append(f"{f.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(parts)


def _stamp_file(app):
    from pathlib import Path

    return Path(app.srcdir) / "_generated" / f".inputs-{app.builder.name}"


def _unchanged(app) -> bool:
    """True when the inputs are as they were at the end of the last successful build with this
    builder: the checks and downloads below are then skipped (they take seconds)."""
    if not hasattr(app, "_karabakh_stamp"):
        app._karabakh_stamp = _stamp(app)
    f = _stamp_file(app)
    return f.exists() and f.read_text(encoding="utf-8") == app._karabakh_stamp


def _save_stamp(app, exception):
    if exception is None and hasattr(app, "_karabakh_stamp"):
        _stamp_file(app).write_text(app._karabakh_stamp, encoding="utf-8")


def _preflight(app):
    """Stop before any notebook runs if the seed, the data package or the bibliography is wrong."""
    from sphinx.errors import ExtensionError

    from karabakh_book import preflight

    if _unchanged(app):
        return
    found = preflight.problems()
    if found:
        raise ExtensionError("the book's inputs are not fit to build:\n" + "\n".join(found))


def _write_downloads(app):
    """Generate the downloads before the sources are read: the registry as ClaimReview, and the
    data package as one zip."""
    from pathlib import Path

    from karabakh_book import claimreview

    out = Path(app.srcdir) / "_generated"
    out.mkdir(exist_ok=True)
    if _unchanged(app) and (out / "claimreview.jsonld").exists():
        return
    text = claimreview.dumps(claimreview.records(baseurl=app.config.html_baseurl or "")) + "\n"
    target = out / "claimreview.jsonld"
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    from karabakh_book import datasets

    datasets.write_zip(out)  # the data package as one download (Datasets page)


def _rerun_note(app, docname, source):
    """End every executable chapter with the exact command that re-runs it."""
    if not docname.startswith("chapters/") or "```{code-cell}" not in source[0]:
        return
    from karabakh_book import howtocite

    source[0] += howtocite.rerun_note(docname.split("/", 1)[1])


def _cite_note(app, docname, source):
    """End every chapter with a one-line citation of that chapter (the full entries are on How to
    cite)."""
    from karabakh_book import howtocite

    ch = next((c for c in howtocite.chapters() if c.doc == docname), None)
    if ch is None:
        return
    source[0] += (
        "\n\n:::{admonition} Cite this chapter\n:class: cite-chapter\n\n"
        + howtocite.formatted(ch)
        + " BibTeX and more: {ref}`how-to-cite`.\n:::\n"
    )


def _register_citation_labels():
    """Citation labels "Outlet year" with a letter where two entries would share one
    ("TASS n.d.-a", "TASS n.d.-b"): author-year citations alone were ambiguous for outlets that
    published several of our sources in one year or without a date. No comma inside a label, so
    the commas between citations separate them."""
    from collections import Counter

    from pybtex.plugin import register_plugin
    from pybtex.style.formatting.plain import Style as Plain
    from pybtex.style.labels import BaseLabelStyle

    def clean(v: str) -> str:
        return v.replace("{", "").replace("}", "").replace("\\&", "&").replace("\\_", "_").replace("\\%", "%").strip()

    class OutletYearLabels(BaseLabelStyle):
        def format_labels(self, sorted_entries):
            labels = [self.format_label(e) for e in sorted_entries]
            count, seen = Counter(labels), Counter()
            for label in labels:
                if count[label] == 1:
                    yield label
                else:
                    yield label + ("-" if label.endswith(".") else "") + chr(ord("a") + seen[label])
                    seen[label] += 1

        def format_label(self, entry):
            f = entry.fields
            who = f.get("organization") or f.get("journal") or f.get("publisher") or f.get("howpublished")
            if not who:
                people = entry.persons.get("author", [])
                who = " ".join(people[0].last_names) if people else "Anon."
            # a comma inside a label would read as the break between two citations
            return f"{clean(who).replace(', ', ' / ').replace(',', ' ')} {clean(f.get('year', '')) or 'n.d.'}"

    from pybtex.style.template import field, sentence

    class OutletYearStyle(Plain):
        default_label_style = "outletyear"

        def format_title(self, e, which_field, as_sentence=True):
            # keep the title's own capitals (pybtex's plain style lower-cases all but the first
            # letter: "Csto forces withdraw from kazakhstan")
            title = field(which_field)
            return sentence[title] if as_sentence else title

        #: (label, entry, result) of the last call: see format_entry
        _last = (None, None, None)

        def format_entry(self, label, entry, bib_data=None):
            # sphinxcontrib-bibtex formats every entry twice in a row with this style, once for the
            # bibliography and once for the tooltip of its citations (bibtex_tooltips_style is not
            # set); the second call gets the first one's result. That halves the formatting of the
            # 539 entries (LaTeX decoding of every field), which Sphinx does in its main process
            # between reading and writing (about 1.7 s of a cold HTML build, measured 2026-12-01).
            last_label, last_entry, result = OutletYearStyle._last
            if last_entry is entry and last_label == label:
                return result
            result = super().format_entry(label, entry, bib_data=bib_data)
            OutletYearStyle._last = (label, entry, result)
            return result

    register_plugin("pybtex.style.labels", "outletyear", OutletYearLabels)
    register_plugin("pybtex.style.formatting", "plainoutlet", OutletYearStyle)


#: An Arabic run: Arabic letters and marks, with the spaces and punctuation between Arabic words.
_AR = "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff"
_ARABIC_RUN = re.compile(f'[{_AR}]+(?:[\\s\u00a0:\u060c\u061b\u061f.\\-\u2013"«»]+[{_AR}]+)*')


def _arabic_runs_for_latex(app, doctree, docname):
    """In the PDF, every Arabic run outside the {arabic} role (bibliography titles, quoted titles in
    prose) is set with \\textarabic (Amiri, right to left): FreeSerif would set its letters
    unjoined, in the wrong order, without any warning. URLs and code are left alone."""
    if app.builder.format != "latex":
        return
    from docutils import nodes
    from sphinx.util.texescape import escape

    skip = (nodes.reference, nodes.literal, nodes.raw, nodes.FixedTextElement, langspan)
    for text in list(doctree.findall(nodes.Text)):
        parent = text.parent
        if parent is None or not _ARABIC_RUN.search(text.astext()):
            continue
        anc, skipped = parent, False
        while anc is not None:
            if isinstance(anc, skip):
                skipped = True
                break
            anc = anc.parent
        if skipped:
            continue
        new, pos, s = [], 0, text.astext()
        for m in _ARABIC_RUN.finditer(s):
            if m.start() > pos:
                new.append(nodes.Text(s[pos : m.start()]))
            new.append(nodes.raw("", "\\textarabic{" + escape(m.group(0)) + "}", format="latex"))
            pos = m.end()
        if pos < len(s):
            new.append(nodes.Text(s[pos:]))
        parent.replace(text, new[0])
        idx = parent.index(new[0])
        for k, n in enumerate(new[1:], 1):
            parent.insert(idx + k, n)


class _NameIndex(SphinxTransform):
    """Index entries where names occur: in every chapter (the glossary and bibliography aside), the
    first paragraph of each section that mentions a headword of the glossary, in any of its
    spellings, gets an index entry under that headword. The index then leads from "Pashinyan,
    Nikol" to the passages, cards and tables about him, not only to the glossary. Runs before
    Sphinx's domains collect the index entries (priority 850)."""

    default_priority = 840
    _skip_docs = ("94_glossary", "99_bibliography", "92_data_dictionary")

    def apply(self, **kwargs):
        if self.env.docname.rsplit("/", 1)[-1] in self._skip_docs:
            return
        from sphinx import addnodes

        skip = (
            nodes.literal,
            nodes.literal_block,
            nodes.raw,
            nodes.title,
            nodes.caption,
            nodes.table,
            nodes.footnote,
            nodes.citation,
            addnodes.pending_xref,
            nodes.reference,
        )
        done: set[tuple[int, str]] = set()
        for para in list(self.document.findall(nodes.paragraph)):
            anc, section, skipped = para.parent, None, False
            while anc is not None:
                if isinstance(anc, skip):
                    skipped = True
                    break
                if section is None and isinstance(anc, nodes.section):
                    section = anc
                anc = anc.parent
            if skipped or para.parent is None:
                continue
            words = " ".join(t.astext() for t in para.findall(nodes.Text) if not _inside(t, skip, para))
            pats, any_name = _name_patterns()
            if not any_name.search(words):  # most paragraphs name no headword: one search, not one per headword
                continue
            found = [h for h, pat in pats if (id(section), h) not in done and pat.search(words)]
            if not found:
                continue
            done.update((id(section), h) for h in found)
            tid = f"index-{self.env.new_serialno('index')}"
            target = nodes.target("", "", ids=[tid])
            index = addnodes.index(entries=[("single", h, tid, "", None) for h in found])
            at = para.parent.index(para)
            para.parent.insert(at, [index, target])


def _glossary_index_out_of_terms(app, doctree, docname):
    """PDF: a glossary term's index entry is written inside the term's LaTeX macro argument, where
    TeX turns "Combat Brotherhood\\sphinxhyphen{}2023" into "...\\sphinxhyphen {}2023"; the same
    name indexed in a chapter is written as typed, and makeindex would print two headings. Moving
    the term's entry to the start of its definition (the same page) writes both alike."""
    if app.builder.format != "latex":
        return
    from sphinx import addnodes

    for term in list(doctree.findall(nodes.term)):
        entries = [n for n in term.findall(addnodes.index)]
        item = term.parent
        definition = next((c for c in item.children if isinstance(c, nodes.definition)), None)
        if not entries or definition is None:
            continue
        para = next(iter(definition.findall(nodes.paragraph)), None)
        for n in entries:
            n.parent.remove(n)
            if para is not None:
                para.insert(0, n)
            else:
                definition.insert(0, n)


def _inside(node, kinds, stop) -> bool:
    anc = node.parent
    while anc is not None and anc is not stop:
        if isinstance(anc, kinds):
            return True
        anc = anc.parent
    return False


_PATTERNS: tuple | None = None


def _name_patterns():
    """The glossary's headwords with the patterns that find them, and the one pattern that finds
    any of them (karabakh_book.names), once per process."""
    global _PATTERNS
    if _PATTERNS is None:
        from karabakh_book import names

        pats = names.patterns(names.headwords())
        _PATTERNS = (pats, names.any_of(pats))
    return _PATTERNS


def _latex_translator():
    """Sphinx's LaTeX writer, with one change: in a table of four rows or more, the first row
    stays with the second and the last with the one before (their row ends forbid a page break),
    so a long table never leaves a single row at the foot of a page or alone atop the next."""
    from sphinx.writers.latex import CR, LaTeXTranslator

    class Translator(LaTeXTranslator):
        def depart_row(self, node):
            super().depart_row(node)
            body = node.parent
            if not isinstance(body, nodes.tbody):
                return
            rows = [c for c in body.children if isinstance(c, nodes.row)]
            at = next(i for i, r in enumerate(rows) if r is node)
            if len(rows) >= 4 and at in (0, len(rows) - 2):
                for k in range(len(self.body) - 1, -1, -1):
                    if self.body[k] == "\\\\" + CR:
                        self.body[k] = "\\\\*" + CR
                        break

    return Translator


def _cache_pybtex_plugins():
    """pybtex looks its plugins up in the installed packages' entry points on every call, and
    sphinxcontrib-bibtex calls it for every citation it resolves (about 25 s of a cold build here).
    The lookup's answer cannot change during a build: remember it."""
    import functools

    import pybtex.plugin

    if hasattr(pybtex.plugin.find_plugin, "cache_info"):
        return
    import sphinxcontrib.bibtex as bib
    import sphinxcontrib.bibtex.foot_roles as foot_roles
    import sphinxcontrib.bibtex.plugin as bib_plugin
    import sphinxcontrib.bibtex.roles as roles

    pybtex_cached = functools.lru_cache(maxsize=None)(pybtex.plugin.find_plugin)
    pybtex.plugin.find_plugin = pybtex_cached  # sphinxcontrib.bibtex.domain calls it by attribute
    roles.find_plugin = foot_roles.find_plugin = pybtex_cached  # imported by name
    bib_cached = functools.lru_cache(maxsize=None)(bib_plugin.find_plugin)  # sphinxcontrib's own lookup
    bib_plugin.find_plugin = bib.find_plugin = bib_cached


def _latex_special():
    """What makes a bibliography field more than plain text to pybtex's LaTeX decoding: a character
    LaTeX treats specially, whitespace other than single spaces inside the text, or a sequence of
    ordinary characters that latexcodec's table replaces (``--``, ``''``, ``,,``, ``~`` ...: read
    from the table itself, keeping those its decoder does change)."""
    import codecs
    import re

    import latexcodec.codec

    control = {"control_word", "control_symbol", "control_symbol_x", "control_symbol_x2"}
    table = latexcodec.codec._LATEX_UNICODE_TABLE.unicode_map
    replaced = {"".join(t.text for t in key) for key in table if not any(t.name in control for t in key)}
    replaced = {seq for seq in replaced if codecs.decode(seq, "ulatex") != seq}
    parts = [r"[\\{}$%&#_^~]", r"[^\S ]", "  ", "^ ", " $"]
    return re.compile("|".join(parts + [re.escape(seq) for seq in sorted(replaced, key=len, reverse=True)]))


def _plain_text(latex: str, special):
    """The rich text pybtex makes of ``latex`` when it is plain (``special`` finds nothing in it):
    what its LaTeX decoder and parser return for such text, unchanged; else None."""
    from pybtex.richtext import String, Text

    if special.search(latex):
        return None
    return Text(String(latex)) if latex else Text()


def _fast_plain_fields():
    """pybtex turns every field it formats into rich text through latexcodec's LaTeX decoder, which
    reads the text a token at a time: 70 % of the time it takes to format the bibliography (1.1 of
    1.6 s of CPU for the 539 entries, measured 2026-12-01), which Sphinx does in its main process
    between reading and writing, and again for the PDF. Most fields are plain text, which the
    decoder returns as it is: those are made rich text directly (1.6 s became 0.7 s). Any field
    that is not plain (:func:`_latex_special`) goes through pybtex as before. Every field and name
    in references.bib comes out the same either way (tested)."""
    from pybtex.richtext import Text

    if getattr(Text.from_latex, "plain_fast", False):
        return
    special = _latex_special()
    decoded = Text.from_latex.__func__

    def from_latex(cls, latex):
        plain = _plain_text(latex, special)
        return plain if plain is not None else decoded(cls, latex)

    from_latex.plain_fast = True
    Text.from_latex = classmethod(from_latex)


#: Extensions that keep no state of their own across documents but do not say so, which makes
#: Sphinx read one document after another (and, with -W, fail on its warning about them):
#: sphinx_multitoc_numbering replaces a method that runs in the main process on the merged
#: environment (it is loaded by sphinx_external_toc whether or not a toctree is numbered);
#: sphinx_jupyterbook_latex's transforms change only the document being read and set up its
#: settings in ``builder-inited``, before the reading processes are forked.
PARALLEL_SAFE = ("sphinx_multitoc_numbering", "sphinx_jupyterbook_latex")


def _declare_parallel_safe(app):
    """``builder-inited``: every extension is loaded by then (sphinx_jupyterbook_latex after this one)."""
    for name in PARALLEL_SAFE:
        ext = app.extensions.get(name)
        if ext is not None:
            ext.parallel_read_safe = ext.parallel_write_safe = True


#: The Sphinx release whose ``Builder._write_parallel`` :func:`_write_parallel_resolving` replaces
#: (the lock in requirements.txt pins it); with any other, Sphinx's own is kept.
WRITE_PARALLEL_FOR = (7, 4)
#: Pages per writing task: tasks of a few pages share the work out evenly between the processes
#: (the pages differ in size by a factor of twenty); one and two pages per task timed the same.
WRITE_CHUNK = 2


def _picklable_doctree(doctree) -> bytes:
    """A resolved doctree as bytes, without the references to the environment and the reporter
    that cannot cross a process boundary (as Sphinx's own ``write_doctree`` strips them)."""
    import pickle

    settings, reporter = doctree.settings, doctree.reporter
    doctree.settings = settings.copy()
    doctree.settings.env = None
    doctree.settings.warning_stream = None
    doctree.settings.record_dependencies = None
    doctree.reporter = None
    try:
        return pickle.dumps(doctree, pickle.HIGHEST_PROTOCOL)
    finally:
        doctree.settings, doctree.reporter = settings, reporter


def _write_parallel_resolving(builder, docnames, nproc):
    """Sphinx 7.4's parallel writing, with each page's references resolved in the process that
    writes it instead of in the main process.

    Sphinx resolves every page (its post-transforms: references, citations, the theme's and
    extensions' passes over the whole tree) in the main process, one after another, and gives the
    writing to ``parallel - 1`` forked processes: on two cores, one resolving process feeding one
    writing process, and on this book's large pages resolving is the larger half. Here ``parallel``
    forked processes each resolve and write a share of the pages and send every resolved doctree
    back; the main process takes them in Sphinx's order (sorted by name, so the search index comes
    out the same every time) and does with each what Sphinx does there, unchanged: the part of
    writing that must run in the main process (``write_doc_serialized``: the images to copy, the
    search index). The output is byte-identical to Sphinx's own (tested). Messages logged while a
    page is resolved or written are passed back and reported by the main process, as Sphinx does
    for its own parallel work (so ``-W`` counts them), and a failure stops the build with its
    traceback."""
    import multiprocessing
    import pickle
    import traceback

    from sphinx.errors import SphinxParallelError
    from sphinx.util import logging
    from sphinx.util.build_phase import BuildPhase
    from sphinx.util.display import status_iterator
    from sphinx.util.docutils import LoggingReporter

    env, app = builder.env, builder.app
    logger = logging.getLogger(__name__)

    def write_chunk(docs):
        builder.indexer = None  # this process's copy: the main process indexes the pages it gets back
        collector = logging.LogCollector()
        try:
            with collector.collect():
                done = []
                for docname in docs:
                    app.phase = BuildPhase.RESOLVING
                    doctree = env.get_and_resolve_doctree(docname, builder)
                    done.append((docname, _picklable_doctree(doctree)))
                    app.phase = BuildPhase.WRITING
                    builder.write_doc_serialized(docname, doctree)  # the images' paths, for write_doc
                    builder.write_doc(docname, doctree)
            failed = None
        except BaseException as err:
            failed = (traceback.format_exception_only(err.__class__, err)[0].strip(), traceback.format_exc())
            done = []
        logging.convert_serializable(collector.logs)
        return failed, collector.logs, done

    # as Sphinx: the first page in this process, to warm up its caches and templates for the rest
    firstname, docnames = docnames[0], docnames[1:]
    app.phase = BuildPhase.RESOLVING
    doctree = env.get_and_resolve_doctree(firstname, builder)
    app.phase = BuildPhase.WRITING
    builder.write_doc_serialized(firstname, doctree)
    builder.write_doc(firstname, doctree)

    chunks = [docnames[i : i + WRITE_CHUNK] for i in range(0, len(docnames), WRITE_CHUNK)]
    progress = status_iterator(chunks, "writing output... ", "darkgreen", len(chunks), app.verbosity)
    global _WRITE_CHUNK_FN
    _WRITE_CHUNK_FN = write_chunk  # the forked processes find it here (a closure cannot be pickled)
    with multiprocessing.get_context("fork").Pool(app.parallel) as pool:
        for failed, logs, done in pool.imap(_run_write_chunk, chunks):  # in order, whatever finishes first
            for record in logs:
                logger.handle(record)
            if failed:
                raise SphinxParallelError(*failed)
            for docname, blob in done:
                resolved = pickle.loads(blob)
                resolved.settings.env = env
                resolved.reporter = LoggingReporter(env.doc2path(docname))
                builder.write_doc_serialized(docname, resolved)
            next(progress)
    logger.info("")


_WRITE_CHUNK_FN = None


def _run_write_chunk(docs):
    return _WRITE_CHUNK_FN(docs)


def _resolve_where_written(app):
    """``builder-inited``: the HTML builder resolves each page in the process that writes it
    (:func:`_write_parallel_resolving`), on the Sphinx release that function follows."""
    import types

    import sphinx

    if app.builder.format == "html" and sphinx.version_info[:2] == WRITE_PARALLEL_FOR:
        app.builder._write_parallel = types.MethodType(_write_parallel_resolving, app.builder)


def setup(app):
    app.connect("builder-inited", _declare_parallel_safe)
    app.connect("builder-inited", _resolve_where_written)
    _cache_pybtex_plugins()
    _fast_plain_fields()
    _register_citation_labels()
    app.connect("doctree-resolved", _arabic_runs_for_latex)
    app.connect("doctree-resolved", _glossary_index_out_of_terms)
    app.connect("source-read", _rerun_note)
    app.connect("source-read", _cite_note)
    app.connect("html-page-context", _drop_thebe, priority=900)
    app.connect("html-page-context", _german_passages)
    app.connect("html-page-context", _claimreview_jsonld)
    app.connect("config-inited", _base_url)
    app.connect("config-inited", _pdf_version_metadata)
    app.connect("build-finished", _sitemap)
    app.connect("build-finished", _executed_notebooks)
    app.connect("build-finished", _argument_map_pdfs)
    app.connect("build-finished", _slim_pages)
    app.connect("build-finished", _save_stamp)
    app.connect("builder-inited", _preflight)
    app.connect("builder-inited", _write_downloads)
    app.add_node(
        langspan,
        html=(visit_html, depart_html),
        latex=(visit_latex, depart_latex),
        text=(visit_text, depart_text),
        man=(visit_text, depart_text),
        texinfo=(visit_text, depart_text),
    )
    app.add_role("arabic", _role("ar", rtl=True))
    app.add_role("de", _role("de"))
    app.add_transform(_NameIndex)
    app.set_translator("latex", _latex_translator(), override=True)

    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}

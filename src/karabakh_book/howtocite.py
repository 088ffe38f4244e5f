"""How to cite the book, a chapter or a claim: generated from ``CITATION.cff`` and ``_toc.yml``.

Nothing here is typed twice: the title, authors, version, date and licence come from
``CITATION.cff``; the chapters, their order and their titles from ``_toc.yml`` and each chapter's
first heading; the claim anchors from :func:`karabakh_book.claims.anchor`. Labels are derived from
file names and claim ids, so they stay the same across rebuilds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from . import paths

CFF = paths.ROOT / "CITATION.cff"
TOC = paths.ROOT / "_toc.yml"


@lru_cache(maxsize=1)
def cff() -> dict:
    meta = yaml.safe_load(CFF.read_text(encoding="utf-8"))
    for key in ("title", "authors", "version", "date-released", "license"):
        if not meta.get(key):
            raise ValueError(f"CITATION.cff: field {key!r} is missing or empty")
    return meta


def rerun_note(stem: str, meta: dict | None = None) -> str:
    """The box that ends every executable chapter: the command that re-runs it, the link to its
    executed notebook, and, when ``repository-code`` is set in CITATION.cff, where to clone from."""
    meta = cff() if meta is None else meta
    repo = str(meta.get("repository-code") or "").strip()
    clone = f"From a clone of the book's repository (<{repo}>)" if repo else "From a clone of the book's repository"
    return (
        "\n\n:::{admonition} Re-run this chapter\n:class: rerun\n\n"
        f"{clone}, `make chapter CH={stem}` executes this chapter's code "
        f"against the book's data and writes the executed notebook to `_build/rerun/{stem}.ipynb` "
        "(`make book` rebuilds everything).\n\n"
        f'<a href="../_notebooks/{stem}.ipynb" class="notebook-download" download>Download this chapter\'s '
        f"executed notebook ({stem}.ipynb)</a>, as this build ran it.\n:::\n"
    )


def authors() -> str:
    """Authors in BibTeX form (an organisation in braces so it is not split into names)."""
    out = []
    for a in cff()["authors"]:
        if "name" in a:
            out.append("{" + a["name"] + "}")
        else:
            out.append(f"{a['family-names']}, {a['given-names']}")
    return " and ".join(out)


def authors_text() -> str:
    out = []
    for a in cff()["authors"]:
        out.append(a["name"] if "name" in a else f"{a['family-names']}, {a['given-names']}")
    return "; ".join(out)


def year() -> str:
    return str(cff()["date-released"])[:4]


def url() -> str:
    """The book's address if CITATION.cff names one (empty until it is published at a fixed URL)."""
    return str(cff().get("url", "") or "")


@dataclass
class Chapter:
    doc: str  # e.g. chapters/11_point1_first_war_and_exodus
    title: str  # the chapter's first heading
    key: str  # BibTeX key, stable: derived from the file name

    @property
    def html(self) -> str:
        return self.doc + ".html"


def _title(doc: str) -> str:
    for line in (paths.ROOT / f"{doc}.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    raise ValueError(f"{doc}.md has no '# ' title")


def chapters() -> list[Chapter]:
    """Every chapter of ``_toc.yml`` in reading order (the root page included)."""
    toc = yaml.safe_load(TOC.read_text(encoding="utf-8"))
    docs = [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part["chapters"]]
    out = []
    for doc in docs:
        stem = doc.rsplit("/", 1)[-1]
        slug = re.sub(r"^\d+_", "", stem)
        out.append(Chapter(doc=doc, title=_title(doc), key=f"karabakhbook{year()}_{slug}"))
    return out


def _bib_escape(s: str) -> str:
    return s.replace("&", r"\&").replace("%", r"\%")


def _bibtex(kind: str, key: str, title: str, note: str, link: str, booktitle: str | None = None) -> str:
    """One BibTeX entry with the fields every citation of the book shares (from CITATION.cff)."""
    m = cff()
    fields = [("title", "{" + _bib_escape(title) + "}")]
    if booktitle:
        fields.append(("booktitle", "{" + _bib_escape(booktitle) + "}"))
    fields += [
        ("author", authors()),
        ("year", year()),
        ("date", str(m["date-released"])),
        ("version", str(m["version"])),
        ("note", note),
    ]
    if link:
        fields.append(("url", link))
    return "\n".join([f"@{kind}{{{key},"] + [f"  {k} = {{{v}}}," for k, v in fields] + ["}"])


#: CFF reference types and the BibTeX entry types How to cite gives for them.
BIBTEX_TYPE = {"book": "book", "report": "techreport", "dataset": "misc", "software": "software"}


def citation_type() -> str:
    """The BibTeX type of the book's entry, from CITATION.cff's ``preferred-citation``."""
    return BIBTEX_TYPE[cff().get("preferred-citation", {}).get("type", "book")]


def book_bibtex() -> str:
    m = cff()
    return _bibtex(
        citation_type(),
        f"karabakhbook{year()}",
        m["title"],
        f"Executable research book, version {m['version']}; licence {m['license']}",
        url(),
    )


def chapter_bibtex(ch: Chapter) -> str:
    link = f"{url().rstrip('/')}/{ch.html}" if url() else ""
    return _bibtex("incollection", ch.key, ch.title, f"Chapter file {ch.html}", link, booktitle=cff()["title"])


def formatted(ch: Chapter | None = None) -> str:
    """A citation in running text: authors (year). "Chapter". In: Book. Version, date."""
    m = cff()
    where = f" {url().rstrip('/')}/{ch.html}" if (ch and url()) else (f" {url()}" if url() else "")
    if ch is None:
        return f"{authors_text()} ({year()}). *{m['title']}*. Version {m['version']}, {m['date-released']}.{where}"
    return (
        f"{authors_text()} ({year()}). \u201c{ch.title}\u201d. In: *{m['title']}*. "
        f"Version {m['version']}, {m['date-released']}.{where}"
    )


def claim_citation(claim_id: str, chapter: Chapter) -> str:
    from .claims import anchor

    m = cff()
    return (
        f"{authors_text()} ({year()}). Claim {claim_id}, in \u201c{chapter.title}\u201d. "
        f"*{m['title']}*, version {m['version']}. Anchor: {chapter.html}#{anchor(claim_id)}"
    )


def accountability() -> str:
    """Who stands behind the book, how to report an error, how corrections are made, and funding:
    one text for the landing page and How to cite (MyST)."""
    m = cff()
    return (
        f"- **Who.** The book is written and maintained by {authors_text()}, the authors named in its "
        "`CITATION.cff`; every verdict, reason and source is theirs and is signed by the version number "
        f"(this is version {m['version']}, released {m['date-released']}).\n"
        "- **Reporting an error.** Open an issue in the book's repository, or send the claim's id "
        "(for example `P3-11`), what is wrong and the source that shows it to the maintainers named "
        "there. A report is checked against the sources like any claim.\n"
        "- **Corrections.** A verdict that changes keeps its claim id; the change, its date and its reason "
        "are listed in the {ref}`corrections`, generated from the registry's history, and the next version "
        "says so. Figures are corrected in `data/`, never in the prose, which takes its numbers from the "
        "data.\n"
        "- **Funding.** None: no grant, sponsor, party or client paid for this book or asked for it."
    )

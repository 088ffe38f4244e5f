"""schema.org ``ClaimReview`` records for the registry, for fact-checking tools to ingest.

One record per claim that the book rates or assesses: every claim except those assessed as
``opinion`` (a value judgement or rhetoric with no checkable core is not a fact-check). The rating
scale is the book's two scales (see the Method chapter), each verdict as its own ``alternateName``:

==========================  ===========  ==========================================
verdict or assessment       ratingValue  note
==========================  ===========  ==========================================
correct                     5            bestRating
supported by the record     5
partly correct              3
partly supported            3
incorrect                   1            worstRating
contradicted by the record  1
unverifiable                (none)       alternateName only: no rating was possible
unsupported                 (none)       alternateName only: nothing found either way
==========================  ===========  ==========================================

The claim's ``url`` is its anchor in the book. With a base URL (``KARABAKH_BASE_URL`` at build
time, which sets Sphinx's ``html_baseurl``) it is absolute. Without one it is relative: to the page
that embeds the record (JSON-LD resolves it against the page, wherever the book is served), and to
the book's root in the downloadable file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache

from . import claims as C
from . import paths

RATING = {
    "correct": 5,
    "partly correct": 3,
    "incorrect": 1,
    "supported by the record": 5,
    "partly supported": 3,
    "contradicted by the record": 1,
}
#: Assessed but not a fact-check: left out of the export.
NOT_REVIEWED = ["opinion"]
BEST, WORST = 5, 1
REVIEWER = {"@type": "Organization", "name": "The Karabakh Claims Book contributors"}
#: The text names no author; the stored pages identify the publisher (the source-text chapter,
#: "Who published it"): Hizb ut-Tahrir, in its series "Answer to Question". Its date is
#: 19 Rabi al-Awwal 1445 (see the closing-lines chapter).
SOURCE_AUTHOR = {
    "@type": "Organization",
    "name": "Hizb ut-Tahrir",
    "description": "Publisher of the 'Answer to Question' series (Antwort auf eine Frage); the pages "
    "read name no individual author for this answer",
}
#: Where the text appears, as the stored pages show it (bibliography keys): the German version the
#: book analyses, and the English version on the same site. Which appeared first is not known, so
#: no ``firstAppearance`` is claimed.
APPEARANCES = [("hut_de_2023_karabakh", "de"), ("hizb_2023_answer", "en")]


def appearances() -> list[dict]:
    from . import cite

    return [
        {
            "@type": "CreativeWork",
            "url": cite.field(k, "url"),
            "inLanguage": lang,
            "publisher": {"@type": "Organization", "name": "Hizb ut-Tahrir"},
        }
        for k, lang in APPEARANCES
    ]


def source_date() -> str:
    from . import text

    return text.gregorian_date().isoformat()


def review_date() -> str:
    """The release date in CITATION.cff (the date this version of the reviews was published)."""
    m = re.search(r'^date-released:\s*"?([0-9-]+)"?', (paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"), re.M)
    return m.group(1) if m else dt.date.today().isoformat()


@lru_cache(maxsize=1)
def chapter_of_point() -> dict[str, str]:
    """point -> docname of the chapter holding its claim cards (read from the chapters)."""
    out = {}
    for md in sorted((paths.ROOT / "chapters").glob("*.md")):
        for m in re.finditer(r'present\.claim_cards\("([^"]+)"\)', md.read_text(encoding="utf-8")):
            out[m.group(1)] = f"chapters/{md.stem}"
    return out


def claim_url(claim_id: str, point: str, baseurl: str = "", from_doc: str | None = None) -> str:
    """The claim's card: absolute under ``baseurl``; else relative to ``from_doc``'s page, or to
    the book's root when no page is given."""
    import posixpath

    doc = chapter_of_point()[point]
    target = f"{doc}.html#{C.anchor(claim_id)}"
    if baseurl:
        return baseurl.rstrip("/") + "/" + target
    if from_doc:
        return posixpath.relpath(f"{doc}.html", posixpath.dirname(from_doc) or ".") + f"#{C.anchor(claim_id)}"
    return target


def record(row, baseurl: str = "", from_doc: str | None = None) -> dict:
    rating = {
        "@type": "Rating",
        "name": row["verdict"],
        "alternateName": row["verdict"],
        "bestRating": BEST,
        "worstRating": WORST,
    }
    if row["verdict"] in RATING:
        rating["ratingValue"] = RATING[row["verdict"]]
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "identifier": row["id"],
        "url": claim_url(row["id"], row["point"], baseurl, from_doc),
        "claimReviewed": row["claim_en"],
        "reviewBody": row["reason"],
        "inLanguage": "en",
        "author": REVIEWER,
        "datePublished": review_date(),
        "reviewRating": rating,
        "itemReviewed": {
            "@type": "Claim",
            "text": row["quote_de"],
            "inLanguage": "de",
            "author": SOURCE_AUTHOR,
            "datePublished": source_date(),
            "appearance": appearances(),
        },
    }


def records(point: str | None = None, baseurl: str = "", from_doc: str | None = None, reg=None) -> list[dict]:
    """ClaimReview records of the registry (``reg``, loaded and checked if not given)."""
    reg = C.load_registry() if reg is None else reg
    reg = reg[~reg["verdict"].isin(NOT_REVIEWED)]
    if point is not None:
        reg = reg[reg["point"] == point]
    return [record(r, baseurl, from_doc) for _, r in reg.iterrows()]


def for_doc(docname: str, baseurl: str = "", reg=None) -> list[dict]:
    pts = [p for p, d in chapter_of_point().items() if d == docname]
    if pts and reg is None:
        reg = C.load_registry()
    return [r for p in pts for r in records(p, baseurl, from_doc=docname, reg=reg)]


def dumps(recs: list[dict]) -> str:
    # "</" must not appear inside a <script> element
    return json.dumps(recs, ensure_ascii=False, indent=1).replace("</", "<\\/")

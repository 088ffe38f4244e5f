"""The book's one bibliography, ``references.bib``.

Every source used anywhere (data rows, claim verdicts, prose) is an entry here, with the outlet or
author, title, publication date, URL and the date we read it (``urldate``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from pybtex.database import parse_file

from . import memo, paths

REQUIRED_FIELDS = ("title", "url", "urldate")

#: A source's tier, recorded in each entry's ``tier`` field: primary (the speaker's or institution's
#: own publication), wire (a news agency's own story), news, research (academic, NGO, think tank),
#: reference (encyclopaedias, factbooks, wikis), copy (a mirror, proxy, repost, machine translation
#: or pirated copy of another publication).
TIERS = ["primary", "wire", "news", "research", "reference", "copy"]
#: A copy is cited only where no original is stored; its note says so, after these words.
COPY_REASON = "Kept as a copy:"
#: At most this many entries may be copies (the sources' target: each one a labelled exception).
MAX_COPIES = 10
#: Tiers that cannot carry a high-confidence verdict alone.
WEAK_TIERS = ["copy", "reference"]


@lru_cache(maxsize=4)
def _entries(bib_file: str) -> dict:
    return memo.cached("bib", [bib_file], lambda: dict(parse_file(bib_file, bib_format="bibtex").entries))


def entries(bib_file: Path | None = None) -> dict:
    return _entries(str(bib_file or paths.BIB_FILE))


def bib_keys(bib_file: Path | None = None) -> set[str]:
    return set(entries(bib_file))


def field(key: str, name: str, bib_file: Path | None = None) -> str:
    entry = entries(bib_file)[key]
    if name == "author":
        people = entry.persons.get("author", [])
        return " and ".join(str(p) for p in people) or entry.fields.get("organization", "")
    return entry.fields.get(name, "")


def outlet(key: str) -> str:
    """Who published it: the organisation, journal or site."""
    e = entries()[key]
    for name in ("organization", "journal", "publisher", "howpublished"):
        if e.fields.get(name):
            return e.fields[name].strip("{}")
    return field(key, "author")


def published(key: str) -> str:
    """Publication date as ``YYYY-MM-DD`` (or as precise as the entry holds)."""
    e = entries()[key].fields
    return e.get("date") or "-".join(x for x in (e.get("year", ""),) if x)


def tier(key: str) -> str:
    """The entry's tier (see :data:`TIERS`); the loader has rejected an entry without a valid one."""
    return entries()[key].fields.get("tier", "").strip()


def short(key: str) -> str:
    """A short human label: outlet, date."""
    return f"{outlet(key)}, {published(key)}"


def copies(bib_file: Path | None = None) -> list[str]:
    """The entries whose tier is ``copy``."""
    return [k for k, e in entries(bib_file).items() if e.fields.get("tier", "").strip() == "copy"]


def url_key(url: str) -> str:
    """A URL as the bibliography compares it: without scheme (``http``/``https``), without a
    leading ``www.``, host in lower case and without a trailing ``/``, so that two addresses of
    one page count as the same."""
    rest = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip(), flags=re.I)
    host, sep, path = rest.partition("/")
    host = host.lower()
    host = host[4:] if host.startswith("www.") else host
    return (host + sep + path).rstrip("/")


def shared_urls(bib_file: Path | None = None) -> list[list[str]]:
    """Groups of entries (sorted keys) whose URLs are the same page by :func:`url_key`."""
    by_url: dict[str, list[str]] = defaultdict(list)
    for key, e in entries(bib_file).items():
        by_url[url_key(e.fields.get("url", ""))].append(key)
    return sorted(sorted(ks) for ks in by_url.values() if len(ks) > 1)


def problems(bib_file: Path | None = None) -> list[str]:
    """Entries that lack a title, URL, access date, publication date or a known tier, and copies
    whose note does not say why no original is cited."""
    out = []
    for key, e in entries(bib_file).items():
        for name in REQUIRED_FIELDS:
            if not e.fields.get(name):
                out.append(f"references.bib: entry {key!r} has no {name}")
        if not (e.fields.get("date") or e.fields.get("year")):
            out.append(f"references.bib: entry {key!r} has no publication date")
        t = e.fields.get("tier", "").strip()
        if not t:
            out.append(f"references.bib: entry {key!r} has no tier (one of {', '.join(TIERS)})")
        elif t not in TIERS:
            out.append(f"references.bib: entry {key!r} has the unknown tier {t!r} (one of {', '.join(TIERS)})")
        elif t == "copy" and COPY_REASON not in e.fields.get("note", ""):
            out.append(
                f"references.bib: entry {key!r} is a copy, but its note does not say why no original is cited "
                f"('{COPY_REASON} ...': what it is cited for, and that no stored page of the original or of an "
                "independent source gives it)"
            )
    return out

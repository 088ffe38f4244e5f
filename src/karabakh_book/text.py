"""The source text: exact bytes, one normalisation rule, and its segments.

Normalisation rule (applied to the seed and to every quote compared with it):

1. a hyphen at the end of a line is joined to the next line's first word without a space
   (in this text every such hyphen belongs to a compound: ``Latschin-`` + ``Korridor``);
2. every other run of white space (line breaks, page breaks, doubled spaces) becomes one space;
3. leading and trailing white space is removed.

Nothing else changes: quotation marks, ellipses and spelling stay exactly as printed.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from . import paths

# Where each segment begins in the normalised text, in reading order.
SEGMENT_MARKERS: list[tuple[str, str, str]] = [
    ("basmala", "header", "Im Namen Allahs"),
    ("title", "header", "Antwort auf eine Frage"),
    ("question", "question", "Frage:"),
    ("answer-intro", "answer", "Antwort: Damit"),
    ("p1", "1", "1. In einer Antwort"),
    ("p2", "2", "2. Die USA arbeiteten"),
    ("p3", "3", "3. Doch mit dem Krieg"),
    ("p4", "4", "4. In dieser Atmosphäre"),
    ("p5", "5", "5. Armenien selbst"),
    ("p6", "6", "6. Durch die fortgesetzte"),
    ("p7", "7", "7. Europa versuchte"),
    ("p8", "8", "8. Zusammenfassend"),
    ("p8a", "8a", "a) Die russische Regierung"),
    ("p8b", "8b", "b) Aus dem Verhalten"),
    ("p8c", "8c", "c) Die Versuche Europas"),
    ("p8d", "8d", "d) Man sieht"),
    ("verse-ar", "closing", "\u0627\u0644\u0652\u0639\u064e\u062f"),  # first word of the Arabic line
    ("verse-de", "closing", "Sie sind der Feind"),
    ("date", "closing", "19. Rab"),
]


def raw_seed() -> str:
    """The seed exactly as published (UTF-8)."""
    return paths.SEED_FILE.read_text(encoding="utf-8")


def seed_sha256() -> str:
    return hashlib.sha256(paths.SEED_FILE.read_bytes()).hexdigest()


def normalize(text: str) -> str:
    """Apply the book's one whitespace rule (see the module docstring)."""
    text = re.sub(r"-[ \t]*\n\s*", "-", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=1)
def normalized_seed() -> str:
    return normalize(raw_seed())


def contains(quote: str) -> bool:
    """True if the normalised quote is a substring of the normalised seed."""
    q = normalize(quote)
    return bool(q) and q in normalized_seed()


def split_segments(text: str | None = None) -> list[dict]:
    """Cut the normalised seed at :data:`SEGMENT_MARKERS`; every character lands in one segment."""
    text = normalized_seed() if text is None else text
    starts = []
    pos = 0
    for seg_id, point, marker in SEGMENT_MARKERS:
        i = text.find(marker, pos)
        if i < 0:
            raise ValueError(f"segment marker for {seg_id!r} ({marker!r}) not found after offset {pos}")
        starts.append((i, seg_id, point))
        pos = i + len(marker)
    if starts[0][0] != 0:
        raise ValueError("the first segment marker does not open the text")
    out = []
    for n, (i, seg_id, point) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(text)
        out.append({"id": seg_id, "point": point, "order": n + 1, "text_de": text[i:end].strip()})
    return out


def rebuild(segments) -> str:
    """Join segments (in order) back into the normalised text."""
    return " ".join(s for s in segments)


#: The Hijri months as the German text transliterates them (1 = Muharram ... 12 = Dhu al-Hijja).
HIJRI_MONTHS = {
    "muharram": 1,
    "safar": 2,
    "rabīʿ al-auwal": 3,
    "rabīʿ al-awwal": 3,
    "rabīʿ ath-thānī": 4,
    "rabīʿ al-āchir": 4,
    "dschumādā al-ūlā": 5,
    "dschumādā al-āchira": 6,
    "radschab": 7,
    "schaʿbān": 8,
    "ramadān": 9,
    "schauwāl": 10,
    "dhū l-qaʿda": 11,
    "dhū l-hiddscha": 12,
}


def hijri_dateline(line: str | None = None) -> tuple[int, int, int]:
    """The text's dateline as (year, month, day) in the Hijri calendar: ``19. Rabīʿ al-Auwal 1445
    n. H.`` gives (1445, 3, 19). ``line`` defaults to the seed's own dateline segment."""
    if line is None:
        line = next(s["text_de"] for s in split_segments() if s["id"] == "date")
    m = re.fullmatch(r"\s*(\d{1,2})\.\s+(.+?)\s+(\d{3,4})\s+n\.\s*H\.\s*", line)
    if not m:
        raise ValueError(f"not a Hijri dateline of the form '19. Rabīʿ al-Auwal 1445 n. H.': {line!r}")
    month = HIJRI_MONTHS.get(m.group(2).lower())
    if month is None:
        raise ValueError(f"unknown Hijri month {m.group(2)!r} in {line!r}")
    return int(m.group(3)), month, int(m.group(1))


def gregorian_date(line: str | None = None):
    """The dateline converted to the Gregorian calendar (Umm al-Qura, as implemented by
    ``hijridate``; sighting-based calendars can differ by a day)."""
    import hijridate

    return hijridate.Hijri(*hijri_dateline(line)).to_gregorian()

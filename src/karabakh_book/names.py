"""Names and their spellings: one headword per person, organisation, term and place, with the
spellings that lead to it.

The glossary page prints each headword once with its other spellings; the index (HTML and PDF)
lists the headword with every place in the chapters where one of its spellings occurs, and each
other spelling as a "see" reference to the headword. Both come from here, so they cannot disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class Headword:
    """One index heading: ``name`` as the book writes it, the ``spellings`` that lead to it (the
    name first) and the ``kind`` of thing it names."""

    name: str
    kind: str
    spellings: list[str] = field(default_factory=list)
    #: further forms searched for in the chapters but not listed (the German text's own spellings)
    mentions: list[str] = field(default_factory=list)

    def see(self) -> list[str]:
        """Other spellings that get a "see" reference: Latin-initial ones only (the PDF's index sorts
        by first byte and would print a broken group heading for Ə, Ş, Cyrillic or Armenian)."""
        return [s for s in self.spellings[1:] if s[0].isascii()]

    def written(self) -> list[str]:
        """The other spellings, for the glossary's "Also written"."""
        return self.spellings[1:]


def _unique(names) -> list[str]:
    out, seen = [], set()
    for n in names:
        n = str(n).strip()
        if n and n.lower() not in seen:
            seen.add(n.lower())
            out.append(n)
    return out


def _person_forms(term: str) -> list[str]:
    """'Pashinyan, Nikol' -> ['Pashinyan', 'Nikol Pashinyan']."""
    if ", " not in term:
        return [term]
    last, first = term.split(", ", 1)
    return [last, f"{first} {last}"]


def glossary_word(r) -> Headword:
    """A person, organisation or term of ``data/glossary.csv``."""
    spellings = [r["term"], *str(r["also_written"]).split(";")]
    return Headword(r["term"], r["kind"], _unique(spellings), _unique(str(r["text_writes"]).split(";")))


def place_word(r) -> Headword:
    """A place of ``data/gazetteer.csv``."""
    spellings = [r["name_en"], *r["name_en"].split(" / "), r["name_hy_translit"], r["name_az"]]
    return Headword(r["name_en"], r["kind"], _unique(spellings))


def district_word(r) -> Headword:
    """One of Azerbaijan's districts in ``data/admin1_crosswalk.csv``."""
    head = f"{r['name_en']} ({r['kind']})"
    variants = [v.split("(")[0].strip() for v in r["name_variants"].split(";")]
    return Headword(head, r["kind"], _unique([head, r["name_local"] + f" ({r['kind']})", *variants]))


def districts(cw):
    """The crosswalk rows that are glossary entries: Azerbaijan's units with name variants."""
    return cw[(cw["country"] == "Azerbaijan") & (cw["name_variants"] != "")]


def settle(words: list[Headword]) -> list[Headword | None]:
    """A spelling claimed by an earlier headword is dropped from later ones (one spelling leads to
    one place); a headword left without a Latin-initial name of its own becomes None."""
    seen: set[str] = set()
    out: list[Headword | None] = []
    for w in words:
        own = [s for s in w.spellings if s.lower() not in seen]
        seen.update(s.lower() for s in own)
        latin = [s for s in own if s[0].isascii()]
        if not latin:
            out.append(None)
            continue
        out.append(Headword(latin[0], w.kind, [latin[0]] + [s for s in own if s != latin[0]], w.mentions))
    return out


def sections() -> tuple[list[tuple[Headword | None, object]], list[tuple[Headword | None, object]]]:
    """The glossary page's two lists, each as (settled headword or None, data row): people,
    organisations and terms; then places and districts."""
    from .data import load

    terms = [(glossary_word(r), r) for _, r in load("glossary").iterrows()]
    places = [(place_word(r), r) for _, r in load("gazetteer").iterrows()]
    places += [(district_word(r), r) for _, r in districts(load("admin1_crosswalk")).iterrows()]
    settled = settle([w for w, _ in terms + places])
    both = [(w, r) for w, (_, r) in zip(settled, terms + places)]
    return both[: len(terms)], both[len(terms) :]


def headwords() -> list[Headword]:
    """Every headword of the glossary page, in its order."""
    terms, places = sections()
    return [w for w, _ in terms + places if w is not None]


def patterns(words: list[Headword]) -> list[tuple[str, re.Pattern]]:
    """(headword, pattern) pairs that find a headword's mentions in running text.

    A spelling is searched only if it is a proper name (starts with a capital; "district" is not
    searched for *rayon*) or is the headword itself, and only if it leads to one headword: a
    surname two people share ("Aliyev") is searched only as a full name. Kind suffixes such as
    "(district)" are not part of what is searched.
    """
    forms: dict[str, set[str]] = {}
    for w in words:
        for s in w.spellings + w.mentions:
            s = re.sub(r"\s*\([^)]*\)$", "", s)
            cands = _person_forms(s) if w.kind == "person" else [s, *s.split(" / ")]
            for c in cands:
                if len(c) >= 3 and (c[0].isupper() or c == w.name):
                    forms.setdefault(c, set()).add(w.name)
    out = []
    for w in words:
        mine = sorted((f for f, owners in forms.items() if owners == {w.name}), key=len, reverse=True)
        if mine:
            out.append((w.name, re.compile(_WHOLE.format("|".join(map(re.escape, mine))))))
    return out


#: A mention: one of the spellings, not inside a longer word.
_WHOLE = r"(?<!\w)(?:{})(?!\w)"


def any_of(pats: list[tuple[str, re.Pattern]]) -> re.Pattern:
    """One pattern that finds a mention of any headword of ``pats`` (made by :func:`patterns`): it
    matches a text exactly when one of theirs does (the same spellings between the same word
    bounds), with one search instead of one per headword. The index of names searches about 8,000
    paragraphs and finds a headword in one in eight: this tells it which to search headword by
    headword (1.07 s of searching became 0.04 s, measured 2026-12-01)."""
    head, tail = _WHOLE.split("{}")
    spellings = []
    for _, p in pats:
        if not (p.pattern.startswith(head) and p.pattern.endswith(tail)):
            raise ValueError(f"not a pattern of names.patterns: {p.pattern!r}")
        spellings.append(p.pattern[len(head) : -len(tail)])
    return re.compile(_WHOLE.format("|".join(spellings)))

"""Invalidate the execution cache per notebook, by what that notebook read.

myst-nb's jupyter-cache re-runs a notebook only when its code cells change, but the chapters also
read data/, the bibliography, the seed, the helper package, other chapters' titles and git history.
During a build every kernel records what it read (``karabakh_book.deps``, in ``_build/.deps/``).
Before the next build this script compares each chapter's record with the files as they are now and,
for each notebook whose inputs changed, drops its cached execution and touches its source (so Sphinx
re-reads that page too). Notebooks whose inputs did not change keep their cache: a commit that
changes none of a notebook's inputs re-runs nothing; only the corrections page reads git history,
and only the history of data/claims.csv.
"""

from __future__ import annotations

import json
import os
import shutil
import sys

from karabakh_book import deps, paths

BUILD = paths.ROOT / "_build"
CACHE = BUILD / ".jupyter_cache"
DOCTREES = BUILD / ".doctrees"
DEPS = BUILD / ".deps"
#: What Sphinx does not watch but every page depends on: the book's Sphinx extension (it edits
#: sources as they are read), the stylesheet and scripts in _static (Sphinx copies them only when
#: it writes a page) and the LaTeX preamble. A change clears the doctrees (every page is re-read
#: and written, notebooks still come from the cache).
SPHINX_INPUTS = ["_ext", "_static", "_latex", "_config.yml", "_toc.yml", "CITATION.cff"]
STAMP = BUILD / ".sphinx-inputs"
#: The libraries the notebooks run on (matplotlib draws every chart, pandas computes every table):
#: another version installed can change any output, so it clears the whole execution cache.
LIBRARIES = BUILD / ".libraries"
#: Validated data shared by one build's processes (karabakh_book.memo): made afresh by each build,
#: so results of inputs that have since changed do not pile up.
MEMO = BUILD / ".memo"


def library_fingerprint() -> str:
    """The installed distributions and their versions (what `make venv` installed from the lock)."""
    import hashlib
    from importlib.metadata import distributions

    found = sorted({f"{d.metadata['Name']}=={d.version}".lower() for d in distributions() if d.metadata["Name"]})
    return hashlib.sha256("\n".join(found).encode()).hexdigest()


def sphinx_fingerprint() -> str:
    return paths.fingerprint(*(paths.ROOT / name for name in SPHINX_INPUTS))


def chapter_cells(md) -> list[str]:
    """The code cells of a MyST notebook as myst-nb reads them (and sends them to the kernel)."""
    from myst_nb.core.read import read_myst_markdown_notebook

    nb = read_myst_markdown_notebook(md.read_text(encoding="utf-8"))
    return [c.source for c in nb.cells if c.cell_type == "code"]


def records() -> dict[str, dict]:
    out = {}
    for f in DEPS.glob("*.json"):
        try:
            rec = json.loads(f.read_text(encoding="utf-8"))
            out[rec["code"]] = rec
        except (OSError, ValueError, KeyError):
            f.unlink(missing_ok=True)  # a record cut short by an interrupted build: unknown inputs
    return out


def cached_uris() -> dict[str, list[int]]:
    if not CACHE.exists():
        return {}
    from jupyter_cache import get_cache

    out: dict[str, list[int]] = {}
    for r in get_cache(CACHE).list_cache_records():
        out.setdefault(r.uri, []).append(r.pk)
    return out


def invalidate(md, pks: list[int]) -> None:
    from jupyter_cache import get_cache

    cache = get_cache(CACHE)
    for pk in pks:
        cache.remove_cache(pk)
    os.utime(md)  # Sphinx re-reads a page whose source is newer than its doctree


def main() -> int:
    shutil.rmtree(MEMO, ignore_errors=True)
    now = sphinx_fingerprint()
    if not STAMP.exists() or STAMP.read_text() != now:
        shutil.rmtree(DOCTREES, ignore_errors=True)
        STAMP.parent.mkdir(parents=True, exist_ok=True)
        STAMP.write_text(now)
        print("cache guard: the Sphinx extension, configuration or LaTeX preamble changed; every page is re-read")
    libs = library_fingerprint()
    if LIBRARIES.exists() and LIBRARIES.read_text() != libs:
        shutil.rmtree(CACHE, ignore_errors=True)
        shutil.rmtree(DOCTREES, ignore_errors=True)
        print("cache guard: the installed libraries changed; execution cache and doctrees cleared")
    LIBRARIES.parent.mkdir(parents=True, exist_ok=True)
    LIBRARIES.write_text(libs)
    uris = cached_uris()
    if uris and not DEPS.exists():
        # a cache from a build that recorded no inputs: nothing tells which notebook read what
        shutil.rmtree(CACHE, ignore_errors=True)
        shutil.rmtree(DOCTREES, ignore_errors=True)
        print("cache guard: no record of the notebooks' inputs; execution cache and doctrees cleared")
        return 0
    recs = records()
    kept, rerun = 0, []
    for md in sorted((paths.ROOT / "chapters").glob("*.md")):
        pks = uris.get(str(md), [])
        if not pks:
            continue  # never executed, or already invalidated: it runs in this build anyway
        rec = recs.get(deps.code_hash(chapter_cells(md)))
        changed = deps.stale(rec) if rec else ["no record of its inputs"]
        if changed:
            invalidate(md, pks)
            shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
            rerun.append(f"{md.name} ({shown})")
        else:
            kept += 1
    for line in rerun:
        print(f"cache guard: re-run {line}")
    print(f"cache guard: {kept} notebook(s) kept from the cache, {len(rerun)} to re-run")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Clear the execution cache when data/, seeds/, references.bib or the helper package changed.

myst-nb's jupyter-cache re-runs a notebook only when its code cells change; our notebooks read
data/ and the helper package, so a change there must invalidate the cache or the book would show
stale numbers. The fingerprint of the last build is kept in _build/.data-fingerprint.
"""

import shutil

from karabakh_book import data, paths

stamp = paths.ROOT / "_build" / ".data-fingerprint"
cache = paths.ROOT / "_build" / ".jupyter_cache"
# Sphinx keeps each page's parsed doctree and re-reads a page only when its source file changes,
# so the doctrees must go too, or unchanged pages would keep the old outputs.
doctrees = paths.ROOT / "_build" / ".doctrees"


def git_head() -> str:
    """The commit checked out: the corrections log is read from git history, so a new commit
    (even one that leaves data/ as it was in the working copy) must re-run it."""
    import subprocess

    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=paths.ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "no-git"


now = data.fingerprint() + git_head()
if stamp.exists() and stamp.read_text() == now:
    print("cache guard: data unchanged, execution cache kept")
else:
    if cache.exists() or doctrees.exists():
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(doctrees, ignore_errors=True)
        print("cache guard: data, seeds, bibliography or helpers changed: execution cache and doctrees cleared")
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(now)

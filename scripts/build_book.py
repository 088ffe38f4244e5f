"""``jupyter-book`` (1.x) as its own command line, with Sphinx reading and writing the pages in
parallel on every core the build may use (``KARABAKH_JOBS`` sets another number; 1 is serial).

jupyter-book 1.x has no option for this, but its ``build_sphinx`` takes ``jobs`` (Sphinx's ``-j``)
and its CLI looks the function up when it builds: this sets the number, then runs the CLI with the
arguments given (``python scripts/build_book.py build . -W``). Every extension the book loads is
parallel-safe or declared so by ``_ext/karabakh_sphinx.py`` (``PARALLEL_SAFE``), so with ``-W`` a
build that fell back to serial reading would fail on Sphinx's warning, not pass slowly.

(Not named ``jupyter_book.py``: run as a script, that name would shadow the package it imports.)
"""

from __future__ import annotations

import functools
import os
import sys


def jobs() -> int:
    if os.environ.get("KARABAKH_JOBS"):
        n = int(os.environ["KARABAKH_JOBS"])
        if n < 1:
            sys.exit(f"KARABAKH_JOBS must be 1 or more, not {n}")
        return n
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def main() -> None:
    import jupyter_book.sphinx
    from jupyter_book.cli.main import main as cli

    jupyter_book.sphinx.build_sphinx = functools.partial(jupyter_book.sphinx.build_sphinx, jobs=jobs())
    sys.exit(cli())


if __name__ == "__main__":
    main()

"""Execute the chapters that have no cached execution, in parallel on every core, before the book
build reads them (myst-nb would run them one after another).

The notebooks are read with myst-nb's own reader, so the cache records match what the build looks
up: the build then takes every notebook from the cache. A notebook that fails here is left for the
build, which reports its traceback as usual (``make`` stops there).
"""

from __future__ import annotations

import logging
import sys
import time

from jupyter_cache import get_cache
from jupyter_cache.executors import load_executor

from karabakh_book import paths

CACHE = paths.ROOT / "_build" / ".jupyter_cache"
READER = {"name": "myst_nb_md", "type": "plugin"}
TIMEOUT = 300  # seconds per cell, as execution_timeout in _config.yml


def main() -> int:
    if "--guard" in sys.argv:  # run the cache guard first, in this process (one interpreter start, one set of imports)
        import importlib.util

        spec = importlib.util.spec_from_file_location("cache_guard", paths.ROOT / "scripts" / "cache_guard.py")
        guard = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(guard)
        guard.main()
    start = time.time()
    cache = get_cache(CACHE)
    chapters = [md for md in sorted((paths.ROOT / "chapters").glob("*.md")) if "```{code-cell}" in md.read_text()]
    for rec in cache.list_project_records():
        cache.remove_nb_from_project(rec.pk)
    todo = []
    for md in chapters:
        rec = cache.add_nb_to_project(str(md), read_data=READER)
        try:
            cache.match_cache_notebook(cache.get_project_notebook(rec.pk).nb)
        except KeyError:
            todo.append(rec.pk)
    if not todo:
        print(f"execute: all {len(chapters)} notebooks are in the cache")
        return 0
    logger = logging.getLogger("execute")
    logger.addHandler(logging.StreamHandler(sys.stdout))
    logger.setLevel(logging.WARNING)
    result = load_executor("local-parallel", cache, logger=logger).run_and_cache(filter_pks=todo, timeout=TIMEOUT)
    print(
        f"execute: {len(result.succeeded)} of {len(todo)} notebooks executed in parallel in {time.time() - start:.0f} s"
        + (f"; failed (the build will report why): {', '.join(result.errored)}" if result.errored else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

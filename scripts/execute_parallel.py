"""Execute the chapters that have no cached execution, in parallel on every core, before the book
build reads them (myst-nb would run them one after another).

The notebooks are read with myst-nb's own reader, so the cache records match what the build looks
up: the build then takes every notebook from the cache. A notebook that fails here is left for the
build, which reports its traceback as usual (``make`` stops there).

Each core takes the next notebook as soon as it is free (jupyter-cache's own parallel executor hands
them out in fixed chunks of three, so one core could be left with the slowest three), and the
slowest start first: their times at the last build (``_build/.deps/durations.json``), or on a fresh
clone the chapters known to be slow (``SLOW_FIRST``). Only the order of starting depends on either.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import sys
import time
from pathlib import Path

from jupyter_cache import get_cache
from jupyter_cache.cache.db import NbProjectRecord
from jupyter_cache.executors.basic import ExecutionWorkerLocalMProc, ProcessData

from karabakh_book import paths

CACHE = paths.ROOT / "_build" / ".jupyter_cache"
READER = {"name": "myst_nb_md", "type": "plugin"}
TIMEOUT = 300  # seconds per cell, as execution_timeout in _config.yml
DURATIONS = paths.ROOT / "_build" / ".deps" / "durations.json"
#: The chapters by their time in a cold build on 2026-12-01, slowest first (the maps, the argument
#: maps, the point chapters' figures; the corrections page, which reads the registry's git history,
#: took 2 to 5 s; the rest take about 2 s each): the start order of a build without recorded
#: times, such as a fresh clone's. (The corrections page used to start second to last, and once
#: ran alone for 2.3 s at the end of a build.)
SLOW_FIRST = [
    "12_point2_russia_and_armenia",
    "20_the_argument",
    "11_point1_first_war_and_exodus",
    "14_point4_the_one_day_operation",
    "18_point8_the_texts_conclusions",
    "21_conclusions",
    "16_point6_the_united_states",
    "03_the_region_on_maps",
    "17_point7_europe",
    "13_point3_the_2023_opening",
    "15_point5_armenia_and_the_dissolution",
    "01_source_text",
    "19_closing_lines",
    "93_corrections",
]


def start_order(records, durations: dict[str, float]) -> list:
    """Slowest first: by the recorded time when there is one, else by ``SLOW_FIRST``, else last."""

    def cost(rec):
        stem = Path(rec.uri).stem
        if stem in durations:
            return (0, -durations[stem])
        return (1, SLOW_FIRST.index(stem) if stem in SLOW_FIRST else len(SLOW_FIRST))

    return sorted(records, key=cost)


def in_pool(work, jobs: list, processes: int) -> list:
    """``work(job)`` for every job, one job at a time per process, results in the order they end.

    When the work is done the workers are told to stop through their task queue and exit on their
    own; they are not sent SIGTERM (what ``with Pool()`` does on leaving). nbclient catches SIGTERM
    while it runs a kernel, and when a kernel fails to start it leaves that handler in place: the
    worker then swallowed SIGTERM and the build waited for it forever (seen once, 2026-12-01, in a
    benchmark). Only a build that is itself interrupted stops its workers by signal."""
    pool = multiprocessing.Pool(processes)
    try:
        results = list(pool.imap_unordered(work, jobs, chunksize=1))
    except BaseException:
        pool.terminate()
        raise
    pool.close()
    pool.join()
    return results


def run(cache, pks: list[int]) -> list[tuple[int, str]]:
    """Execute and cache the notebooks ``pks``, one per core at a time, slowest first."""
    try:
        durations = json.loads(DURATIONS.read_text())
    except (OSError, ValueError):
        durations = {}
    records = start_order(cache.list_unexecuted(filter_pks=pks), durations)
    NbProjectRecord.remove_tracebacks([r.pk for r in records], cache.db)
    jobs = [ProcessData(r.pk, r.uri, cache, TIMEOUT, False) for r in records]
    results = in_pool(ExecutionWorkerLocalMProc(), jobs, min(len(jobs), os.cpu_count() or 1))
    for rec in cache.list_cache_records():
        durations[Path(rec.uri).stem] = float(rec.data.get("execution_seconds", 0) or 0)
    DURATIONS.parent.mkdir(parents=True, exist_ok=True)
    DURATIONS.write_text(json.dumps(durations, indent=1, sort_keys=True) + "\n")
    return results


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
    multiprocessing.log_to_stderr(logging.WARNING)  # a notebook's failure is reported as it happens
    results = run(cache, todo)
    ok = [uri for code, uri in results if code == 0]
    failed = [Path(uri).name for code, uri in results if code != 0]
    print(
        f"execute: {len(ok)} of {len(todo)} notebooks executed in parallel in {time.time() - start:.0f} s"
        + (f"; failed (the build will report why): {', '.join(failed)}" if failed else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Validated data shared by the processes of one build.

Every notebook kernel of a build, and Sphinx, loads and validates the same files: the claim registry
alone takes about two seconds per process, the bibliography and the map layers about one more. The
first process to make such a result stores it in ``_build/.memo/``; the others read it in
milliseconds. The key is the content of every file the result was made from plus the helper
package's code (its files' sizes and modification times), so a changed file is validated again and a
malformed one still stops the build naming file, row and column. Only results that passed their
checks are stored; a stored file is written whole or not at all (a temporary file, then a rename),
and one that cannot be read is made again, so an interrupted build leaves nothing that breaks the
next one.

The memo is used when ``KARABAKH_MEMO_DIR`` is set (the Makefile sets it for builds and tests);
without it every call computes, as before. ``scripts/cache_guard.py`` empties it when an HTML build
starts, so results of inputs that have since changed do not pile up.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path

from . import paths

ENV = "KARABAKH_MEMO_DIR"


@lru_cache(maxsize=1)
def _code_stamp() -> bytes:
    """The helper package's code, by its files' names, sizes and modification times (read with
    ``stat``, not opened, so no notebook is recorded as reading every module)."""
    h = hashlib.sha256()
    for f in sorted(Path(__file__).parent.glob("*.py")):
        st = f.stat()
        h.update(f"{f.name}\x00{st.st_size}\x00{st.st_mtime_ns}\x00".encode())
    return h.digest()


def folder() -> Path | None:
    d = os.environ.get(ENV)
    if not d:
        return None
    p = Path(d)
    return p if p.is_absolute() else paths.ROOT / p


def key(kind: str, files, extra: str = "") -> str:
    """The memo key of ``kind`` made from ``files`` (their content, read here) and ``extra``."""
    h = hashlib.sha256(f"{kind}\x00{extra}\x00".encode())
    h.update(_code_stamp())
    for f in files:
        f = Path(f)
        h.update(str(f.resolve()).encode() + b"\x00")
        try:
            h.update(hashlib.sha256(f.read_bytes()).digest())
        except OSError:
            h.update(b"missing")
    return h.hexdigest()[:32]


def cached(kind: str, files, compute, extra: str = ""):
    """``compute()``, or the result a process of this build already stored for the same inputs."""
    d = folder()
    if d is None:
        return compute()
    path = d / f"{kind}-{key(kind, files, extra)}.pickle"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except FileNotFoundError:
        pass
    except Exception:  # a truncated or stale file: made again below
        pass
    value = compute()
    d.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=d, prefix=f".{kind}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
    return value

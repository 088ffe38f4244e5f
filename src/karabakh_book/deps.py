"""What each chapter's notebook read, so the execution cache is invalidated per notebook.

jupyter-cache re-runs a notebook only when its code changes. The chapters also read ``data/``, the
bibliography, the seed, the helper package, other chapters' titles and git history, so a change
there must re-run exactly the notebooks that read it.

During a book build (``KARABAKH_DEPS_DIR`` set by the Makefile) every kernel that imports this
package records, after each cell: the book's files it opened (audit events), the book's modules it
imported, and the git commands it ran with a hash of their output. The record is written to
``<dir>/<hash of the executed code>.json``. Before the next build, :func:`stale` compares each
record with the files as they are now; ``scripts/cache_guard.py`` drops the cache of the notebooks
whose inputs changed (and only those) and touches their sources so Sphinx re-reads them.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from . import paths

ENV = "KARABAKH_DEPS_DIR"
#: Paths under the root that are outputs or tooling, never inputs of a chapter.
IGNORED = ("_build", ".venv", ".git", "_generated", ".pytest_cache", ".ruff_cache")


def code_hash(cells: list[str]) -> str:
    """The key of one notebook's record: its code cells as executed, in order."""
    return hashlib.sha256("\x00".join(c.rstrip() for c in cells).encode("utf-8")).hexdigest()[:32]


def file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def command_hash(args: list[str]) -> str:
    try:
        out = subprocess.run(args, cwd=paths.ROOT, capture_output=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        out = b"failed"
    return hashlib.sha256(out).hexdigest()


_ROOT = str(paths.ROOT) + os.sep


def _book_path(p) -> str | None:
    """``p`` relative to the book's root if it is one of the book's input files, else None."""
    try:
        s = os.fsdecode(p)
    except TypeError:
        return None
    if not os.path.isabs(s):
        s = os.path.join(os.getcwd(), s)
    if not s.startswith(_ROOT):  # cheap test first: most files a kernel opens are libraries
        return None
    path = Path(s)
    try:
        rel = path.resolve().relative_to(paths.ROOT)
    except (ValueError, OSError):
        return None
    if not rel.parts or rel.parts[0] in IGNORED or not path.is_file():
        return None
    return rel.as_posix()


class Recorder:
    """Collects a kernel's inputs; :meth:`write` saves them under the executed code's hash."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.files: set[str] = set()
        self.commands: set[tuple[str, ...]] = set()
        self._hashes: dict[tuple[str, int, int], str] = {}
        self._outputs: dict[tuple[str, ...], str] = {}
        self._modules: dict[str, str | None] = {}
        self._last: Path | None = None

    def _file_hash(self, rel: str) -> str:
        path = paths.ROOT / rel
        try:
            st = path.stat()
        except OSError:
            return "missing"
        key = (rel, st.st_mtime_ns, st.st_size)
        if key not in self._hashes:
            self._hashes[key] = file_hash(path)
        return self._hashes[key]

    def audit(self, event: str, args) -> None:
        if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
            mode = args[1] if len(args) > 1 and isinstance(args[1], str) else "r"
            if "r" in mode and "+" not in mode:
                rel = _book_path(args[0])
                if rel:
                    self.files.add(rel)
        elif event == "subprocess.Popen" and args and len(args) > 1:
            argv = args[1]
            if isinstance(argv, (list, tuple)) and argv and os.path.basename(str(argv[0])) == "git":
                self.commands.add(tuple(str(a) for a in argv))

    def _command_hash(self, argv: tuple[str, ...]) -> str:
        if argv not in self._outputs:
            self._outputs[argv] = command_hash(list(argv))
        return self._outputs[argv]

    def modules(self) -> set[str]:
        out = set()
        for name, m in list(sys.modules.items()):
            if name not in self._modules:
                f = getattr(m, "__file__", None)
                self._modules[name] = _book_path(f) if isinstance(f, str) else None
            if self._modules[name]:
                out.add(self._modules[name])
        return out

    def record(self, cells: list[str]) -> dict:
        files = sorted(self.files | self.modules())
        return {
            "code": code_hash(cells),
            "files": {f: self._file_hash(f) for f in files},
            "commands": {"\x1f".join(c): self._command_hash(c) for c in sorted(self.commands)},
        }

    def write(self, cells: list[str]) -> Path:
        rec = self.record(cells)
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{rec['code']}.json"
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(rec, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(target)
        if self._last is not None and self._last != target:
            self._last.unlink(missing_ok=True)  # the record of this kernel's cells so far, now superseded
        self._last = target
        return target


def install() -> None:
    """Start recording in a notebook kernel of a book build (a no-op anywhere else)."""
    folder = os.environ.get(ENV)
    if not folder or getattr(install, "done", False):
        return
    try:
        from IPython import get_ipython
    except ImportError:
        return
    ip = get_ipython()
    if ip is None:
        return
    rec = Recorder(Path(folder) if Path(folder).is_absolute() else paths.ROOT / folder)
    sys.addaudithook(rec.audit)

    def after(result) -> None:
        # every code cell run so far, exactly as the executor sent it (entry 0 is a placeholder)
        rec.write(list(ip.history_manager.input_hist_raw[1:]))

    ip.events.register("post_run_cell", after)
    install.done = True


def stale(record: dict) -> list[str]:
    """What changed since ``record`` was written: the files and git commands whose content differs."""
    out = [f for f, h in record["files"].items() if file_hash(paths.ROOT / f) != h]
    out += [
        "git " + " ".join(c.split("\x1f")[1:])
        for c, h in record.get("commands", {}).items()
        if command_hash(c.split("\x1f")) != h
    ]
    return out

"""Locations of the book's folders, found from this file or the working directory."""

from __future__ import annotations

import os
from pathlib import Path


def _find_root() -> Path:
    env = os.environ.get("KARABAKH_BOOK_ROOT")
    if env:
        return Path(env).resolve()
    for start in (Path.cwd(), Path(__file__).resolve()):
        for candidate in (start, *start.parents):
            if (candidate / "_config.yml").is_file() and (candidate / "data").is_dir():
                return candidate
    raise RuntimeError("cannot find the book's root (a folder holding _config.yml and data/)")


ROOT = _find_root()
DATA = ROOT / "data"
SEEDS = ROOT / "seeds"
SEED_FILE = SEEDS / "000_d4599bc4f16ea61e.txt"
SEED_SHA256 = "bd7d637966755ccfb62350b6acbebaefcbf9bf341d3aed155d51e69e05370c57"
BIB_FILE = ROOT / "references.bib"
DATAPACKAGE = DATA / "datapackage.json"


def fingerprint(*items: Path, root: Path | None = None) -> str:
    """SHA-256 over the files (and the files in the folders) given, each with its path relative to
    ``root`` (the book's root by default): what the build stamps compare."""
    import hashlib

    root = Path(root) if root is not None else ROOT
    h = hashlib.sha256()
    for item in items:
        item = Path(item)
        files = [item] if item.is_file() else sorted(item.rglob("*")) if item.is_dir() else []
        for f in files:
            if f.is_file() and "__pycache__" not in f.parts:
                h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes())
    return h.hexdigest()

"""Make an interrupted build harmless, and skip the PDF when nothing it is made from changed.

    python scripts/build_state.py begin html|pdf    before a builder runs
    python scripts/build_state.py done html|pdf     after it succeeded
    python scripts/build_state.py current pdf       exit 0 if the PDF is up to date

``done`` writes ``_build/<format>.inputs``: a fingerprint of everything the book is built from.
``begin`` removes that stamp first, so a build that is interrupted or fails leaves none; when a
builder's output folder exists without a stamp, the previous build of that format did not finish
(a truncated .aux or doctree, a half-written page), and ``begin`` removes the folder so the next
build starts clean. The execution cache is kept: jupyter-cache writes it transactionally.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
#: Every input of the book (the PDF is made from the same sources as the HTML).
INPUTS = [
    "chapters",
    "data",
    "src",
    "_ext",
    "_static",
    "_latex",
    "seeds",
    "references.bib",
    "_config.yml",
    "_toc.yml",
    "CITATION.cff",
    "requirements.txt",
]
OUTPUTS = {"html": [BUILD / "html", BUILD / ".doctrees"], "pdf": [BUILD / "latex"]}
PRODUCT = {"html": BUILD / "html" / "index.html", "pdf": BUILD / "latex" / "karabakh-claims.pdf"}


def fingerprint() -> str:
    from karabakh_book import paths  # the light module only (no pandas): this runs on every `make html`

    h = hashlib.sha256(paths.fingerprint(*(ROOT / name for name in INPUTS), root=ROOT).encode())
    # the corrections page reads the history of the registry
    try:
        log = subprocess.run(
            ["git", "log", "--format=%H", "--", "data/claims.csv"], cwd=ROOT, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        log = b"no-git"
    h.update(log)
    return h.hexdigest()


def stamp(fmt: str) -> Path:
    return BUILD / f"{fmt}.inputs"


def begin(fmt: str) -> None:
    s = stamp(fmt)
    unfinished = not s.exists() and any(p.exists() for p in OUTPUTS[fmt])
    s.unlink(missing_ok=True)
    if unfinished:
        for p in OUTPUTS[fmt]:
            shutil.rmtree(p, ignore_errors=True)
        print(f"build state: the last {fmt} build did not finish; its output was removed")


def done(fmt: str) -> None:
    BUILD.mkdir(exist_ok=True)
    stamp(fmt).write_text(fingerprint())


def current(fmt: str) -> bool:
    s = stamp(fmt)
    return s.exists() and PRODUCT[fmt].exists() and s.read_text() == fingerprint()


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("begin", "done", "current") or argv[1] not in OUTPUTS:
        print(__doc__, file=sys.stderr)
        return 2
    action, fmt = argv
    if action == "current":
        return 0 if current(fmt) else 1
    {"begin": begin, "done": done}[action](fmt)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

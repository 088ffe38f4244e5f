import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
PDF = ROOT / "_build" / "latex" / "karabakh-claims.pdf"


@pytest.fixture
def broken_copy(tmp_path):
    """Copy data/ to a temporary folder so a test can break one file and load it."""

    def make(name: str, edit):
        dst = tmp_path / "data"
        shutil.copytree(ROOT / "data", dst)
        path = dst / f"{name}.csv"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(edit(lines)), encoding="utf-8")
        return dst / "datapackage.json"

    return make


def sphinx_ext():
    """The book's Sphinx extension (_ext/karabakh_sphinx.py) as a module."""
    import sys

    if str(ROOT / "_ext") not in sys.path:
        sys.path.insert(0, str(ROOT / "_ext"))
    import karabakh_sphinx

    return karabakh_sphinx


def chapter_files():
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc["parts"]:
        files += [c["file"] for c in part["chapters"]]
    return files


def require_build(path: Path):
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make book` first (make test does)")

"""ruff is clean on the whole tree, and the checks can fail."""

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

RUFF = str(Path(sys.executable).parent / "ruff")
TREE = ["src", "scripts", "tests", "_ext"]


def _run(*args, cwd=ROOT):
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=300)


def test_ruff_lint_and_format_are_clean_on_the_code():
    lint = _run(RUFF, "check", *TREE)
    assert lint.returncode == 0, lint.stdout
    fmt = _run(RUFF, "format", "--check", *TREE)
    assert fmt.returncode == 0, fmt.stdout


def test_ruff_is_clean_on_the_chapters_code_cells():
    res = _run(sys.executable, "scripts/ruff_chapters.py")
    assert res.returncode == 0, res.stdout


def test_the_chapter_check_catches_an_unused_import_and_an_unformatted_cell(tmp_path):
    """A broken copy of a chapter: the report names the .md file and line."""
    src = (ROOT / "chapters" / "19_closing_lines.md").read_text(encoding="utf-8")
    bad = src.replace(
        "```{code-cell} ipython3\n:tags: [remove-input]\n",
        "```{code-cell} ipython3\n:tags: [remove-input]\nimport os\nx = {'a':1}\n",
        1,
    )
    assert bad != src
    chapters = ROOT / "chapters"
    broken = chapters / "zz_broken_copy_for_test.md"
    broken.write_text(bad, encoding="utf-8")
    try:
        res = _run(sys.executable, "scripts/ruff_chapters.py", str(broken))
    finally:
        broken.unlink()
    assert res.returncode == 1
    line = bad.splitlines().index("import os") + 1
    assert f"chapters/zz_broken_copy_for_test.md:{line}: F401" in res.stdout, res.stdout
    assert "cell is not formatted" in res.stdout


def test_ruff_catches_an_unused_import_in_a_module(tmp_path):
    f = tmp_path / "m.py"
    f.write_text("import os\n", encoding="utf-8")
    res = _run(RUFF, "check", "--config", str(ROOT / "pyproject.toml"), str(f))
    assert res.returncode == 1 and "F401" in res.stdout

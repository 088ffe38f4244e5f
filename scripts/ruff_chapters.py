"""ruff for the chapters' code cells (MyST notebooks): lint each chapter as one program, format
each cell in place.

    python scripts/ruff_chapters.py [--fix] [FILE.md ...]

Without --fix: exit 1 if a cell has a lint error (reported as ``chapters/X.md:LINE: CODE message``
with the line in the .md file) or is not formatted as ruff would format it. With --fix: format the
cells and apply ruff's safe fixes. Only the code between a ```{code-cell} fence (and its ``:tags:``
lines) and the closing fence is touched; the Markdown around it is left byte for byte.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FENCE = re.compile(r"^```\{code-cell\}[^\n]*\n((?::[^\n]*\n)*)(.*?)^```[ \t]*$", re.S | re.M)


def ruff() -> str:
    exe = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if not exe:
        sys.exit("ruff is not installed: pip install -r requirements.txt (it is in the test extra)")
    return exe


@dataclass
class Cell:
    start: int  # offset of the code in the file
    end: int
    line: int  # 1-based line of the code's first line in the .md file
    code: str


def cells(text: str) -> list[Cell]:
    out = []
    for m in FENCE.finditer(text):
        start = m.start(2)
        out.append(Cell(start, m.end(2), text.count("\n", 0, start) + 1, m.group(2)))
    return out


def run(args: list[str], stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run([ruff(), *args], input=stdin, capture_output=True, text=True, cwd=ROOT)


def lint(path: Path, fix: bool) -> list[str]:
    """Lint a chapter's cells as one program (names flow from cell to cell)."""
    text = path.read_text(encoding="utf-8")
    cs = cells(text)
    if not cs:
        return []
    program, where = "", []  # where[i] = (cell index, line within the cell) for program line i+1
    for i, c in enumerate(cs):
        for j, _ in enumerate(c.code.splitlines() or [""]):
            where.append((i, j))
        program += c.code if c.code.endswith("\n") else c.code + "\n"
    rel = path.relative_to(ROOT)
    if fix:
        res = run(["check", "--fix", "--stdin-filename", f"{rel}.py", "-"], program)
        fixed = res.stdout
        if fixed != program and fixed.count("\n") == program.count("\n"):
            # same number of lines: put each cell's lines back
            lines = fixed.splitlines(keepends=True)
            chunks, k = [], 0
            for c in cs:
                n = len(c.code.splitlines()) or 1
                chunks.append("".join(lines[k : k + n]))
                k += n
            new = text
            for c, code in sorted(zip(cs, chunks), key=lambda t: -t[0].start):
                new = new[: c.start] + code + new[c.end :]
            path.write_text(new, encoding="utf-8")
            text, cs = new, cells(new)
        program = "".join(c.code if c.code.endswith("\n") else c.code + "\n" for c in cs)
    res = run(["check", "--output-format", "json", "--stdin-filename", f"{rel}.py", "-"], program)
    problems = []
    for d in json.loads(res.stdout or "[]"):
        i, j = where[min(d["location"]["row"], len(where)) - 1]
        problems.append(f"{rel}:{cs[i].line + j}: {d['code']} {d['message']}")
    return problems


def format_cells(path: Path, fix: bool) -> list[str]:
    text = path.read_text(encoding="utf-8")
    rel = path.relative_to(ROOT)
    problems, new = [], text
    for c in sorted(cells(text), key=lambda c: -c.start):
        res = run(["format", "--stdin-filename", f"{rel}.py", "-"], c.code)
        if res.returncode != 0:
            problems.append(f"{rel}:{c.line}: ruff format failed: {res.stderr.strip()}")
            continue
        if res.stdout != c.code:
            problems.append(f"{rel}:{c.line}: cell is not formatted (run: make format)")
            new = new[: c.start] + res.stdout + new[c.end :]
    if fix and new != text:
        path.write_text(new, encoding="utf-8")
        return []
    return problems


def main(argv: list[str]) -> int:
    fix = "--fix" in argv
    files = [Path(a).resolve() for a in argv if a != "--fix"] or sorted((ROOT / "chapters").glob("*.md"))
    problems = []
    for f in files:
        if fix:
            format_cells(f, True)
            problems += lint(f, True)
        else:
            problems += lint(f, False) + format_cells(f, False)
    print("\n".join(problems) if problems else f"ruff: {len(files)} chapter(s) clean")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Benchmark the build on this machine (a benchmark, not a test).

Reports: cold HTML build (every notebook executed), no-change rebuild, PDF build after HTML,
each notebook's execution time (from the jupyter-cache), and the cold build of a bare skeleton
book with the same pages whose code cells only import what the book imports (the floor: kernel
starts, imports, Sphinx). Runs in temporary copies so the working tree's _build is untouched.
"""

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JB = [str(Path(sys.executable).with_name("jupyter-book"))]
COPY = [
    "_config.yml",
    "_toc.yml",
    "references.bib",
    "CITATION.cff",
    "chapters",
    "data",
    "seeds",
    "_ext",
    "_static",
    "_latex",
]


def tree(dst: Path, skeleton: bool = False) -> Path:
    for name in COPY:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, dst / name)
    if skeleton:
        for md in (dst / "chapters").glob("*.md"):
            text = md.read_text()
            # the ClaimReview export finds each point's chapter by its claim_cards call: keep it as a comment
            keep = "\n".join("# " + m for m in re.findall(r"present\.claim_cards\([^)]*\)", text))
            # a code cell runs from its ```{code-cell} line to the next line that is exactly ``` (as in
            # jupytext), so fences inside strings in the cell do not end it
            text = re.sub(
                r"^```\{code-cell\}[^\n]*\n.*?^```$",
                "```{code-cell} ipython3\nimport pandas, matplotlib, "
                "karabakh_book.present, karabakh_book.figures\n" + keep + "\n```",
                text,
                flags=re.S | re.M,
            )
            text = re.sub(r"\{glue:text\}`[^`]+`", "n", text)
            text = re.sub(r"```\{glue:(figure|md)\}.*?```", "", text, flags=re.S)
            md.write_text(text)
    return dst


def timed(cmd, cwd) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main():
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        book, bare = tree(Path(a)), tree(Path(b), skeleton=True)
        cold = timed(JB + ["build", ".", "-W", "-n"], book)
        again = timed(JB + ["build", ".", "-W", "-n"], book)
        pdf = timed(JB + ["build", ".", "--builder", "pdflatex", "-W", "-n"], book)
        floor = timed(JB + ["build", "."], bare)
        from jupyter_cache import get_cache

        records = get_cache(str(Path(a) / "_build" / ".jupyter_cache")).list_cache_records()
        print(f"cold HTML build (all notebooks executed): {cold:6.1f} s")
        print(f"no-change rebuild:                       {again:6.1f} s")
        print(f"PDF build after HTML:                    {pdf:6.1f} s")
        print(f"bare skeleton cold build (floor):        {floor:6.1f} s")
        print(f"book overhead over the floor:            {cold / floor:6.2f} x")
        for r in sorted(records, key=lambda r: r.uri):
            print(f"  {Path(r.uri).name:45s} {r.data.get('execution_seconds', float('nan')):6.2f} s")


if __name__ == "__main__":
    main()

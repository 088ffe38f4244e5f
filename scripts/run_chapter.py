"""Execute one chapter's code outside the book build and save the executed notebook.

Usage: ``python scripts/run_chapter.py chapters/11_point1_first_war_and_exodus.md``
(``make chapter CH=11_point1_first_war_and_exodus`` does this). The notebook runs in the book's
root folder, as in the build, and is written to ``_build/rerun/<name>.ipynb``; an error in any cell
stops with the cell's traceback.
"""

import sys
from pathlib import Path

import jupytext
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def main(path: str) -> None:
    src = ROOT / path
    nb = jupytext.read(src)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    out = ROOT / "_build" / "rerun" / (src.stem + ".ipynb")
    out.parent.mkdir(parents=True, exist_ok=True)
    jupytext.write(nb, out)
    print(f"{path}: {sum(c.cell_type == 'code' for c in nb.cells)} code cells executed -> {out.relative_to(ROOT)}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])

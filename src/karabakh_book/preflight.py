"""What the build checks before it executes anything, so that ``make book`` refuses what ``make
test`` refuses: the seed is the published file, every data file is described in the data package,
and every bibliography entry has a URL, an access date and a known tier."""

from __future__ import annotations

import hashlib
from pathlib import Path

from . import cite, data, paths


def problems(seed: Path | None = None, data_dir: Path | None = None, bib: Path | None = None) -> list[str]:
    out = []
    seed = seed or paths.SEED_FILE
    got = hashlib.sha256(seed.read_bytes()).hexdigest() if seed.is_file() else "missing"
    if got != paths.SEED_SHA256:
        out.append(
            f"{seed.relative_to(paths.ROOT) if seed.is_relative_to(paths.ROOT) else seed}: SHA-256 {got[:16]}… "
            f"is not the published text's {paths.SEED_SHA256[:16]}…: the seed must stay byte-identical"
        )
    data_dir = data_dir or paths.DATA
    described = {r["path"] for r in data.package(data_dir / "datapackage.json")["resources"]}
    for p in sorted(data_dir.rglob("*")):
        if p.suffix in (".csv", ".geojson") and str(p.relative_to(data_dir)) not in described:
            out.append(
                f"{p.relative_to(data_dir.parent)}: not described in data/datapackage.json (add a resource "
                f"with its schema)"
            )
    out += [p for p in cite.problems(bib) if "publication date" not in p]
    return out

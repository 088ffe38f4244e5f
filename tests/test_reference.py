"""Citing and reusing: CITATION.cff, the data package's provenance, the bibliography's use,
the second-look log, the corrections log and the glossary."""

import datetime as dt
import re

import pytest
from conftest import ROOT, chapter_files
from pybtex.database import parse_string

from karabakh_book import cite, claims, data, datasets, history, howtocite


def test_citation_cff_has_what_a_citation_needs_and_matches_the_book():
    m = howtocite.cff()
    dt.date.fromisoformat(str(m["date-released"]))
    assert re.fullmatch(r"\d+\.\d+\.\d+", str(m["version"]))
    import yaml

    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert m["title"].startswith(cfg["title"]), "CITATION.cff and _config.yml name different books"
    assert cfg["author"] in howtocite.authors_text()


def test_citation_cff_and_how_to_cite_agree_on_type_and_fields():
    """CITATION.cff's preferred citation is the entry How to cite gives: same type, title, authors,
    version and date."""
    m = howtocite.cff()
    pc = m["preferred-citation"]
    entry = next(iter(parse_string(howtocite.book_bibtex(), "bibtex").entries.values()))
    assert entry.type == howtocite.BIBTEX_TYPE[pc["type"]] == "book"
    assert entry.fields["title"].strip("{}") == pc["title"] == m["title"]
    assert [a["name"] for a in pc["authors"]] == [a["name"] for a in m["authors"]]
    assert str(pc["version"]) == str(m["version"]) and str(pc["date-released"]) == str(m["date-released"])
    assert str(pc["year"]) == howtocite.year()


def test_every_chapter_has_a_stable_parseable_bibtex_entry():
    chs = howtocite.chapters()
    assert [c.doc for c in chs] == chapter_files()
    keys = [c.key for c in chs]
    assert len(set(keys)) == len(keys)
    for c in chs:
        assert re.fullmatch(r"karabakhbook\d{4}_[a-z0-9_]+", c.key)
        entry = parse_string(howtocite.chapter_bibtex(c), "bibtex").entries[c.key]
        assert entry.fields["title"].strip("{}") == c.title
        assert entry.fields["version"] == str(howtocite.cff()["version"])
    book = parse_string(howtocite.book_bibtex(), "bibtex").entries
    assert len(book) == 1


def test_every_dataset_states_its_provenance():
    pkg = data.package()
    for res in pkg["resources"]:
        for f in datasets.PROVENANCE_FIELDS:
            assert str(res.get(f, "")).strip(), f"datapackage.json: resource {res['name']} lacks {f!r}"
        dt.date.fromisoformat(res["x-retrieved"])
        script = res["x-script"].split()[0]
        assert script == "none:" or (ROOT / script).is_file(), (
            f"{res['name']}: x-script names {script}, which is not in the repository"
        )
        assert res.get("licenses") or pkg.get("licenses"), f"{res['name']}: no licence"


def test_data_dictionary_covers_every_field_of_every_dataset():
    page = datasets.dictionary_page().data
    for res in data.package()["resources"]:
        assert f"`{res['path']}`" in page
        fields = (
            [f["name"] for f in res["schema"]["fields"]]
            if "schema" in res
            else [p["name"] for p in res["x-geo"]["properties"]]
        )
        section = page.split(f"`{res['path']}`", 1)[1].split("\n### ", 1)[0]
        for f in fields:
            assert f"| `{f}` |" in section, f"{res['name']}.{f} is missing from the data dictionary"


def _keys_used() -> set[str]:
    used = set()
    for res in data.package()["resources"]:
        used |= set(res.get("x-source-keys", []))
        if res.get("format") == "geojson":
            continue
        df = data.load(res["name"])
        for f in res["schema"]["fields"]:
            if f.get("x-bibkeys"):
                for cell in df[f["name"]]:
                    used |= set(data.split_keys(cell))
    for p in (ROOT / "chapters").glob("*.md"):
        for m in re.finditer(r"\{cite(?::[a-z]+)?\}`([^`]+)`", p.read_text(encoding="utf-8")):
            used |= {k.strip() for k in m.group(1).split(",")}
    return used


def test_every_bibliography_entry_is_cited_and_every_citation_resolves():
    used, bib = _keys_used(), cite.bib_keys()
    assert sorted(bib - used) == [], "entries in references.bib that nothing cites"
    assert sorted(used - bib) == [], "citations that do not resolve in references.bib"


def test_second_look_log_agrees_with_the_registry():
    reg, sl = claims.load_registry(), data.load("second_look")
    claims.check_second_look(reg, sl)
    assert len(sl) >= 180
    assert (sl["reviewer_verdict"] != sl["registry_verdict"]).sum() > 0, "a second look that never disagrees"


def test_second_look_check_stops_on_an_unresolved_or_stale_row():
    reg, sl = claims.load_registry(), data.load("second_look").copy()
    i = sl.index[sl["claim_id"] == "P6-12"][0]
    stale = sl.copy()
    stale.loc[i, "final_verdict"] = "correct"
    with pytest.raises(claims.RegistryError, match=r"line \d+, column 'final_verdict'.*'partly correct'"):
        claims.check_second_look(reg, stale)
    unresolved = sl.copy()
    unresolved.loc[i, "resolution"] = ""
    with pytest.raises(claims.RegistryError, match="column 'resolution'"):
        claims.check_second_look(reg, unresolved)


def test_corrections_log_is_read_from_git_history():
    if not (ROOT / ".git").exists():
        pytest.skip("no git history in this copy")
    log = history.verdict_changes()
    row = log[log["claim_id"] == "P6-12"]
    assert not row.empty, "the second look changed P6-12; the corrections log must show it"
    assert (row.iloc[0]["old_verdict"], row.iloc[0]["new_verdict"]) == ("partly correct", "incorrect")
    assert history.first_publication()["commit"] != "uncommitted"


def test_glossary_refers_to_real_claims_and_names_the_texts_spellings():
    g = data.load("glossary")
    ids = set(claims.load_registry()["id"])
    for _, r in g.iterrows():
        for c in data.split_keys(r["claims"]):
            assert c in ids, f"data/glossary.csv: {r['term']} refers to unknown claim {c}"
    from karabakh_book import text

    for spelling in g["text_writes"]:
        for s in data.split_keys(spelling):
            assert text.contains(s), f"the text does not write {s!r}"


def test_glossary_and_places_give_every_name_once():
    from karabakh_book import present

    for md in (present.glossary().data, present.places().data):
        terms = [ln for ln in md.splitlines()[3:] if ln and not ln.startswith(("   ", "```"))]
        assert len(terms) == len({t.lower() for t in terms}) and len(terms) > 10


def test_a_chapter_reruns_outside_the_build(tmp_path):
    import subprocess
    import sys

    r = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "run_chapter.py"), "chapters/92_data_dictionary.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    out = ROOT / "_build" / "rerun" / "92_data_dictionary.ipynb"
    import nbformat

    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert any("claims.csv" in str(o.get("data", {})) for o in outputs)


def test_no_two_bibliography_entries_share_a_url(tmp_path):
    """Two URLs that differ only by scheme (http/https), a leading 'www.' or a trailing '/' are
    one page: no two entries may have them."""
    assert cite.shared_urls() == []
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@misc{a_1, title={T}, url={http://www.Example.org/news/1/}, urldate={2026-01-01}, year={2020}, tier={news}}\n"
        "@misc{a_2, title={T}, url={https://example.org/news/1}, urldate={2026-01-01}, year={2020}, tier={news}}\n"
        "@misc{a_3, title={T}, url={https://example.org/news/2}, urldate={2026-01-01}, year={2020}, tier={news}}\n",
        encoding="utf-8",
    )
    assert cite.shared_urls(bib) == [["a_1", "a_2"]]


def test_the_build_refuses_a_changed_seed_an_undescribed_file_and_a_bib_entry_without_url(tmp_path):
    """make book stops on what make test stops on (the extension runs these checks first)."""
    import shutil

    from karabakh_book import paths, preflight

    assert preflight.problems() == []
    seed = tmp_path / "seed.txt"
    seed.write_bytes(paths.SEED_FILE.read_bytes() + b" ")
    assert any("SHA-256" in p for p in preflight.problems(seed=seed))
    d = tmp_path / "data"
    shutil.copytree(paths.DATA, d)
    (d / "stray.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert any("stray.csv: not described" in p for p in preflight.problems(data_dir=d))
    bib = tmp_path / "refs.bib"
    bib.write_text("@misc{x_1, title={T}, urldate={2026-01-01}, year={2020}, tier={news}}\n", encoding="utf-8")
    assert any("'x_1' has no url" in p for p in preflight.problems(bib=bib))


def test_a_lowered_confidence_is_a_correction_and_a_merged_branch_counts_once(tmp_path, monkeypatch):
    """The log reports a change of confidence alone, and walks the main line only: a branch merged
    beside other commits is one step, so its changes are not reported as undone and redone."""
    import csv
    import io
    import subprocess

    from karabakh_book import paths

    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(repo)]
    text = (ROOT / "data" / "claims.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))

    def write(edit=None):
        out = [dict(r) for r in rows]
        for r in out:
            if edit and r["id"] in edit:
                r.update(edit[r["id"]])
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(out)
        (repo / "data" / "claims.csv").write_text(buf.getvalue(), encoding="utf-8")

    a, b = rows[0]["id"], rows[-1]["id"]  # far apart: the merge has no conflict
    other = "low" if rows[0]["confidence"] != "low" else "medium"
    subprocess.run(git + ["init", "-q", "-b", "main"], check=True)
    write()
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-qm", "first publication"], check=True)
    subprocess.run(git + ["checkout", "-qb", "side"], check=True)
    write({a: {"confidence": other}})  # the branch lowers a's confidence
    subprocess.run(git + ["commit", "-qam", "side: confidence"], check=True)
    subprocess.run(git + ["checkout", "-q", "main"], check=True)
    write({b: {"reason": rows[-1]["reason"] + " (reworded)"}})  # main meanwhile rewords b
    subprocess.run(git + ["commit", "-qam", "main: reword"], check=True)
    subprocess.run(git + ["merge", "-q", "--no-edit", "side"], check=True)
    monkeypatch.setattr(paths, "ROOT", repo)
    log = history.verdict_changes()
    assert list(log["claim_id"]) == [a], log  # once, not "lowered, raised, lowered"
    was, now = history.labels(log.iloc[0])
    assert was == f"{rows[0]['verdict']} ({rows[0]['confidence']} confidence)"
    assert now == f"{rows[0]['verdict']} ({other} confidence)"
    # broken case: walking every commit (not only the main line) reports the branch's change three times
    monkeypatch.setattr(
        history,
        "_git",
        lambda *args: (
            subprocess.run(
                ["git", *[x for x in args if x != "--first-parent"]],
                cwd=repo,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        ),
    )
    assert len(history.verdict_changes()) > 1

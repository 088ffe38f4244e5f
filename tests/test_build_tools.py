"""The build's own tools: per-notebook dependency records, and recovery from interrupted builds."""

import importlib.util
import subprocess
import sys

import pytest
from conftest import ROOT

from karabakh_book import deps, paths


def _script(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_a_record_names_the_files_a_notebook_read_and_goes_stale_when_one_changes(tmp_path, monkeypatch):
    book = tmp_path / "book"
    (book / "data").mkdir(parents=True)
    (book / "data" / "a.csv").write_text("x\n1\n")
    (book / "data" / "b.csv").write_text("x\n2\n")
    monkeypatch.setattr(paths, "ROOT", book)
    monkeypatch.setattr(deps, "_ROOT", str(book) + "/")
    rec = deps.Recorder(tmp_path / "deps")
    rec.audit("open", (str(book / "data" / "a.csv"), "r", 0))
    rec.audit("open", (str(book / "data" / "b.csv"), "w", 0))  # written, not read: not an input
    rec.audit("open", ("/usr/lib/python3/os.py", "r", 0))  # outside the book: not an input
    path = rec.write(["import x", "x.load('a')"])
    record = __import__("json").loads(path.read_text())
    assert list(record["files"]) == ["data/a.csv"]
    assert record["code"] == deps.code_hash(["import x", "x.load('a')\n"])  # trailing space is not code
    assert deps.stale(record) == []
    (book / "data" / "b.csv").write_text("x\n3\n")
    assert deps.stale(record) == []  # a file it did not read
    (book / "data" / "a.csv").write_text("x\n4\n")
    assert deps.stale(record) == ["data/a.csv"]


def test_a_git_command_is_an_input_and_its_output_decides(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(repo)]
    subprocess.run(git + ["init", "-q"], check=True)
    (repo / "claims.csv").write_text("a\n")
    (repo / "other.txt").write_text("a\n")
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-qm", "one"], check=True)
    monkeypatch.setattr(paths, "ROOT", repo)
    rec = deps.Recorder(tmp_path / "deps")
    argv = ["git", "log", "--format=%H", "--", "claims.csv"]
    rec.audit("subprocess.Popen", ("git", argv, str(repo), None))
    record = rec.record(["history()"])
    assert deps.stale(record) == []
    (repo / "other.txt").write_text("b\n")
    subprocess.run(git + ["commit", "-qam", "a commit that leaves claims.csv alone"], check=True)
    assert deps.stale(record) == []  # the corrections page does not re-run
    (repo / "claims.csv").write_text("b\n")
    subprocess.run(git + ["commit", "-qam", "a verdict changes"], check=True)
    assert deps.stale(record) == ["git log --format=%H -- claims.csv"]


def test_an_interrupted_build_leaves_nothing_that_breaks_the_next(tmp_path, monkeypatch):
    bs = _script("build_state")
    monkeypatch.setattr(bs, "ROOT", tmp_path)
    monkeypatch.setattr(bs, "BUILD", tmp_path / "_build")
    monkeypatch.setattr(bs, "INPUTS", ["chapters"])
    monkeypatch.setattr(bs, "OUTPUTS", {"pdf": [tmp_path / "_build" / "latex"]})
    monkeypatch.setattr(bs, "PRODUCT", {"pdf": tmp_path / "_build" / "latex" / "book.pdf"})
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "a.md").write_text("# A\n")
    latex = tmp_path / "_build" / "latex"
    # a finished build
    bs.begin("pdf")
    latex.mkdir(parents=True)
    (latex / "book.pdf").write_bytes(b"%PDF")
    bs.done("pdf")
    assert bs.current("pdf")
    (tmp_path / "chapters" / "a.md").write_text("# A, changed\n")
    assert not bs.current("pdf")  # an input changed: the PDF is rebuilt
    # a build interrupted after it started: a truncated .aux, no stamp
    bs.begin("pdf")
    (latex / "book.aux").write_text("\\relax\n\\newlabel{x}{{1}")
    bs.begin("pdf")  # the next build
    assert not latex.exists()  # the broken output is gone before LaTeX runs again


def test_the_build_state_script_refuses_a_wrong_call():
    res = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_state.py"), "finish", "pdf"], capture_output=True, text=True
    )
    assert res.returncode == 2


@pytest.mark.parametrize("name", ["cache_guard", "execute_parallel"])
def test_the_build_scripts_import(name):
    assert hasattr(_script(name), "main")


def test_the_makefile_and_the_build_state_name_the_same_inputs():
    """SOURCE_DATE_EPOCH (Makefile) and the skip-when-current fingerprint (build_state.py) must
    watch the same files, or a change could leave the date or the output stale."""
    import re

    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    listed = re.search(r"^BOOK_INPUTS := (.+)$", make, re.M).group(1).split()
    assert listed == _script("build_state").INPUTS

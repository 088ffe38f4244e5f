"""The build's own tools: per-notebook dependency records, and recovery from interrupted builds."""

import importlib.util
import os
import subprocess
import sys

import pytest
from conftest import ROOT, sphinx_ext

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


# --- validated data shared by a build's processes (karabakh_book.memo) -----------------------


@pytest.fixture
def memo_copy(tmp_path, monkeypatch):
    """The book's data in a temporary folder, with the memo switched on in another one."""
    import shutil

    from karabakh_book import claims, data

    dst = tmp_path / "data"
    shutil.copytree(ROOT / "data", dst)
    monkeypatch.setattr(paths, "DATA", dst)
    monkeypatch.setattr(paths, "DATAPACKAGE", dst / "datapackage.json")
    monkeypatch.setenv("KARABAKH_MEMO_DIR", str(tmp_path / "memo"))
    monkeypatch.setattr(data, "_LOADED", {})  # as in a new process
    monkeypatch.setattr(claims, "_REGISTRY", {})
    return dst


def test_a_second_process_reads_the_registry_from_the_memo_until_an_input_changes(memo_copy, monkeypatch):
    from karabakh_book import claims

    first = claims.load_registry()
    assert list((memo_copy.parent / "memo").glob("registry-*.pickle"))
    monkeypatch.setattr(claims, "_REGISTRY", {})  # another process of the same build

    def not_again():
        raise AssertionError("validated again although no input changed")

    real = claims._load_registry
    monkeypatch.setattr(claims, "_load_registry", not_again)
    assert claims.load_registry().equals(first)
    # broken case: a changed evidence file must be validated again, not read from the memo
    import csv
    import io

    ev = memo_copy / "evidence.csv"
    rows = list(csv.reader(io.StringIO(ev.read_text(encoding="utf-8"))))
    rows[1][rows[0].index("note")] += " (edited)"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    ev.write_text(buf.getvalue(), encoding="utf-8")
    monkeypatch.setattr(claims, "_REGISTRY", {})
    with pytest.raises(AssertionError, match="validated again"):
        claims.load_registry()
    monkeypatch.setattr(claims, "_load_registry", real)
    assert claims.load_registry()["verdict"].equals(first["verdict"])


def test_a_malformed_file_stops_the_build_even_after_its_valid_version_was_memoised(memo_copy, monkeypatch):
    from karabakh_book import data

    data.load("events")
    path = memo_copy / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    head = lines[1].split(",", 1)
    path.write_text("".join([lines[0], "2023-19-39," + head[1], *lines[2:]]), encoding="utf-8")
    monkeypatch.setattr(data, "_LOADED", {})
    with pytest.raises(data.DataError, match="events.csv: line 2, column 'date'"):
        data.load("events")


def test_a_truncated_memo_file_is_made_again(memo_copy, monkeypatch):
    from karabakh_book import data

    first = data.load("events")
    (stored,) = (memo_copy.parent / "memo").glob("data-events-*.pickle")
    stored.write_bytes(
        stored.read_bytes()[:100]
    )  # an interrupted write (a rename makes it impossible; a crash may not)
    monkeypatch.setattr(data, "_LOADED", {})
    assert data.load("events").equals(first)
    assert stored.stat().st_size > 100


# --- parallel execution: each core takes the next notebook, the slowest first -----------------


def test_the_slowest_notebooks_start_first_and_the_fallback_names_real_chapters():
    from types import SimpleNamespace

    ex = _script("execute_parallel")
    recs = [
        SimpleNamespace(uri=str(ROOT / "chapters" / f"{s}.md")) for s in ("00_index", "94_glossary", "20_the_argument")
    ]
    assert [p.uri.split("/")[-1] for p in ex.start_order(recs, {})][0] == "20_the_argument.md"
    timed = ex.start_order(recs, {"00_index": 3.0, "94_glossary": 9.0})
    assert [r.uri.split("/")[-1] for r in timed] == ["94_glossary.md", "00_index.md", "20_the_argument.md"]
    stems = {p.stem for p in (ROOT / "chapters").glob("*.md")}
    missing = [s for s in ex.SLOW_FIRST if s not in stems]
    assert not missing, f"SLOW_FIRST names chapters that do not exist (renamed?): {missing}"
    # broken case: a renamed chapter is caught
    assert [s for s in [*ex.SLOW_FIRST, "13_renamed"] if s not in stems] == ["13_renamed"]


def test_a_chart_is_not_redrawn_after_every_map_layer():
    import geopandas as gpd
    from shapely.geometry import Point

    from karabakh_book import figures

    layer = gpd.GeoSeries([Point(0, 0).buffer(1)])

    def draws(fig, ax):
        n = 0
        real = fig.canvas.draw

        def counting(*a, **k):
            nonlocal n
            n += 1
            return real(*a, **k)

        fig.canvas.draw = counting
        for _ in range(3):
            layer.plot(ax=ax)
        return n

    assert draws(*figures.new()) == 0
    import matplotlib.pyplot as plt

    assert draws(*plt.subplots()) == 3  # broken case: a plain figure is redrawn after each layer
    plt.close("all")


def test_another_library_version_clears_the_execution_cache(tmp_path, monkeypatch):
    """Outputs depend on the libraries as much as on the book's files: when the installed versions
    change (a new lock, a pip install by hand), every notebook runs again."""
    guard = _script("cache_guard")
    real = guard.library_fingerprint()
    assert len(real) == 64 and real == guard.library_fingerprint()  # stable within one environment
    build = tmp_path / "_build"
    cache = build / ".jupyter_cache"
    for name, value in {
        "BUILD": build,
        "CACHE": cache,
        "DOCTREES": build / ".doctrees",
        "DEPS": build / ".deps",
    }.items():
        monkeypatch.setattr(guard, name, value)
    monkeypatch.setattr(guard, "STAMP", build / ".sphinx-inputs")
    monkeypatch.setattr(guard, "LIBRARIES", build / ".libraries")
    monkeypatch.setattr(guard, "MEMO", build / ".memo")
    monkeypatch.setattr(guard, "cached_uris", lambda: {})
    (build / ".memo").mkdir(parents=True)
    (build / ".memo" / "registry-old.pickle").write_bytes(b"from an earlier build")

    def run(fingerprint):
        cache.mkdir(parents=True, exist_ok=True)
        (cache / "marker").write_text("a cached execution")
        monkeypatch.setattr(guard, "library_fingerprint", lambda: fingerprint)
        guard.main()
        return (cache / "marker").exists()

    assert run("matplotlib==3.10.8") is True  # first build: nothing to compare with
    assert not (build / ".memo").exists()  # each build makes its own memo: old results do not pile up
    assert run("matplotlib==3.10.8") is True  # same libraries: the cache stays
    assert run("matplotlib==3.11.2") is False  # another version: cleared


def _undeclared(names):
    """The extensions among ``names`` (and those their setup loads) that do not say whether Sphinx
    may read documents in parallel with them; Sphinx reads one after another when any does not."""
    import importlib
    from unittest import mock

    seen, todo, undeclared = set(), list(names), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        app = mock.MagicMock()
        meta = importlib.import_module(name).setup(app) or {}
        if meta.get("parallel_read_safe") is None or meta.get("parallel_write_safe", True) is None:
            undeclared.add(name)
        todo += [c.args[0] for c in app.setup_extension.call_args_list]
    return undeclared


def test_sphinx_reads_in_parallel_with_every_extension_the_book_loads(monkeypatch):
    """scripts/build_book.py runs Sphinx on every core; one extension that does not declare itself
    parallel-safe makes Sphinx read serially (and warn, which -W makes fatal). The book's own
    extension declares the two that do not (having read them): exactly those, no more."""
    from jupyter_book.config import get_final_config

    ext = sphinx_ext()
    config, _ = get_final_config(
        user_yaml=ROOT / "_config.yml", sourcedir=ROOT, cli_config={"latex_individualpages": False}
    )
    assert _undeclared(config["extensions"]) == set(ext.PARALLEL_SAFE)

    # broken case: a module whose setup declares nothing is found
    fake = type(sys)("fake_undeclared_ext")
    fake.setup = lambda app: None
    monkeypatch.setitem(sys.modules, "fake_undeclared_ext", fake)
    assert _undeclared(["fake_undeclared_ext"]) == {"fake_undeclared_ext"}

    # the declaration itself: the named extensions become parallel-safe, any other is left alone
    import types

    exts = {n: types.SimpleNamespace(parallel_read_safe=None, parallel_write_safe=True) for n in ext.PARALLEL_SAFE}
    exts["other"] = types.SimpleNamespace(parallel_read_safe=None, parallel_write_safe=True)
    ext._declare_parallel_safe(types.SimpleNamespace(extensions=exts))
    assert all(exts[n].parallel_read_safe and exts[n].parallel_write_safe for n in ext.PARALLEL_SAFE)
    assert exts["other"].parallel_read_safe is None


def test_the_book_is_built_on_every_core_unless_told_otherwise(monkeypatch):
    build = _script("build_book")
    monkeypatch.delenv("KARABAKH_JOBS", raising=False)
    assert build.jobs() == len(os.sched_getaffinity(0))
    monkeypatch.setenv("KARABAKH_JOBS", "1")
    assert build.jobs() == 1
    monkeypatch.setenv("KARABAKH_JOBS", "0")  # broken case
    with pytest.raises(SystemExit):
        build.jobs()


def _thresholds_seen_by_the_build(build, monkeypatch) -> tuple:
    """The garbage collector's thresholds while ``build.main()`` runs jupyter-book's CLI (a stand-in
    that records them), put back as they were afterwards."""
    import gc

    import jupyter_book.cli.main

    seen = []
    monkeypatch.setattr(jupyter_book.cli.main, "main", lambda: seen.append(gc.get_threshold()) or 0)
    before = gc.get_threshold()
    try:
        with pytest.raises(SystemExit) as stop:
            build.main()
        seen.append(gc.get_freeze_count())
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
    assert stop.value.code == 0
    return seen[0], seen[1]


def test_sphinx_runs_with_the_collector_set_to_run_less_often(monkeypatch):
    """scripts/build_book.py raises the garbage collector's thresholds before Sphinx starts (the
    Sphinx step of a cold build is about a sixth faster)."""
    import types

    import jupyter_book.sphinx

    monkeypatch.setattr(jupyter_book.sphinx, "build_sphinx", jupyter_book.sphinx.build_sphinx)  # main() wraps it
    build = _script("build_book")
    assert build.GC_THRESHOLDS[0] >= 10_000
    assert _thresholds_seen_by_the_build(build, monkeypatch)[0] == build.GC_THRESHOLDS

    # broken copy: the script without the line that sets them runs Sphinx at the defaults
    source = (ROOT / "scripts" / "build_book.py").read_text()
    assert source.count("gc.set_threshold(*GC_THRESHOLDS)") == 1
    broken = types.ModuleType("build_book_broken")
    exec(
        compile(source.replace("gc.set_threshold(*GC_THRESHOLDS)", "pass"), "build_book_broken", "exec"),
        broken.__dict__,
    )
    assert _thresholds_seen_by_the_build(broken, monkeypatch)[0] != build.GC_THRESHOLDS


def test_the_build_exits_without_collecting_its_whole_heap_again(monkeypatch):
    """When jupyter-book's CLI is done, scripts/build_book.py freezes the heap, so Python's exit
    does not collect it once more (1.3 s after a cold build's last page)."""
    import gc
    import types

    import jupyter_book.sphinx

    monkeypatch.setattr(jupyter_book.sphinx, "build_sphinx", jupyter_book.sphinx.build_sphinx)  # main() wraps it
    gc.unfreeze()
    assert _thresholds_seen_by_the_build(_script("build_book"), monkeypatch)[1] > 0
    # broken copy: the script without the freeze leaves the heap to the collector at exit
    source = (ROOT / "scripts" / "build_book.py").read_text()
    assert source.count("        gc.freeze()") == 1
    broken = types.ModuleType("build_book_broken")
    exec(compile(source.replace("        gc.freeze()", "        pass"), "build_book_broken", "exec"), broken.__dict__)
    assert _thresholds_seen_by_the_build(broken, monkeypatch)[1] == 0


def test_a_bibliography_entry_is_formatted_once_for_the_list_and_its_tooltips():
    """sphinxcontrib-bibtex formats each entry twice in a row with the same style (list, then
    tooltip); the second call reuses the first's result, and only for the same entry and label."""
    import pybtex.plugin
    from pybtex.database import Entry, Person

    sphinx_ext()._register_citation_labels()
    style = pybtex.plugin.find_plugin("pybtex.style.formatting", "plainoutlet")()
    tooltip_style = pybtex.plugin.find_plugin("pybtex.style.formatting", "plainoutlet")()

    def entry(title):
        e = Entry("misc", fields={"title": title, "year": "2023", "howpublished": "Reuters"})
        e.key = title
        e.persons["author"] = [Person("Doe, Jane")]
        return e

    a, b = entry("First"), entry("Second")
    first = style.format_entry("Reuters 2023a", a)
    assert tooltip_style.format_entry("Reuters 2023a", a) is first
    # broken cases: another entry, or the same entry under another label, is formatted anew
    second = style.format_entry("Reuters 2023a", b)
    assert second is not first and "Second" in second.text.render_as("text")
    assert style.format_entry("Reuters 2023b", b) is not second
    assert "First" in first.text.render_as("text")


def test_a_figure_saved_in_two_formats_is_laid_out_once_and_drawn_once_per_format():
    """figures.fixed_layout (the argument maps: SVG and PDF): one layout, then one drawing per
    format, and the same picture as a 'tight' save, which lays the figure out again and draws it
    twice for each format."""
    import io

    import matplotlib.figure
    import matplotlib.pyplot as plt
    import numpy as np
    from PIL import Image

    from karabakh_book import figures

    def chart():
        fig, ax = figures.new(5, 3)
        ax.bar(["a", "b", "c"], [3, 1, 2])
        ax.set_title("A title long enough to need the layout")
        figures.finish(fig, [], "a note under the chart, wrapped to the figure's width if it must be")
        return fig

    calls = {"draw": 0, "layout": 0}
    real_draw = matplotlib.figure.Figure.draw
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    real_layout = ConstrainedLayoutEngine.execute

    def draw(self, renderer):
        calls["draw"] += 1
        return real_draw(self, renderer)

    def layout(self, fig):
        calls["layout"] += 1
        return real_layout(self, fig)

    def png(fig, **kw):
        buf = io.BytesIO()
        fig.savefig(buf, format="png", **kw)
        with Image.open(io.BytesIO(buf.getvalue())) as im:
            return np.asarray(im.convert("RGBA"))

    try:
        matplotlib.figure.Figure.draw, ConstrainedLayoutEngine.execute = draw, layout
        fig = chart()
        with figures.fixed_layout(fig, 0.15) as box:
            once = png(fig, bbox_inches=box)
            fig.savefig(io.BytesIO(), format="pdf", bbox_inches=box)
        assert calls == {"draw": 3, "layout": 1}
        # broken case: outside the block, the first save brings constrained layout back and the
        # second lays the figure out again (as when fixed_layout was a plain function)
        fig.savefig(io.BytesIO(), format="pdf", bbox_inches=box)
        fig.savefig(io.BytesIO(), format="pdf", bbox_inches=box)
        assert calls["layout"] == 2
        plt.close(fig)

        calls.update(draw=0, layout=0)
        fig = chart()
        tight = png(fig, bbox_inches="tight", pad_inches=0.15)
        fig.savefig(io.BytesIO(), format="pdf", bbox_inches="tight", pad_inches=0.15)
        assert calls == {"draw": 4, "layout": 2}  # what fixed_layout saves for two formats
        plt.close(fig)
    finally:
        matplotlib.figure.Figure.draw, ConstrainedLayoutEngine.execute = real_draw, real_layout
    assert once.shape == tight.shape and np.array_equal(once, tight)


def _tiny_sphinx_project(tmp_path, resolve_in_workers: bool):
    """An index page and seven pages with cross-references, an image, index entries and one
    undefined label, built by Sphinx on two processes, with or without the book's
    :func:`_write_parallel_resolving`. Returns the app, the output folder and the warnings."""
    import io
    import zlib

    from sphinx.application import Sphinx

    src = tmp_path / "src"
    src.mkdir(parents=True)
    (src / "conf.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT / '_ext')!r})\n"
        "def setup(app):\n"
        f"    if {resolve_in_workers}:\n"
        "        import karabakh_sphinx\n"
        "        app.connect('builder-inited', karabakh_sphinx._resolve_where_written)\n"
    )
    # a 1x1 PNG
    raw = b"\x00\xff\x00\x00"
    chunk = lambda kind, data: (  # noqa: E731
        len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    )
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0]))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    (src / "pic.png").write_bytes(png)
    pages = [f"p{i}" for i in range(7)]
    (src / "index.rst").write_text("Home\n====\n\n.. toctree::\n\n" + "".join(f"   {p}\n" for p in pages))
    for i, p in enumerate(pages):
        body = [f".. _{p}-label:\n\n{p.upper()} about Baku\n{'=' * 20}\n", ".. index:: Baku, Yerevan\n"]
        body.append(f"See :ref:`{pages[(i + 1) % 7]}-label` and :doc:`{pages[(i + 3) % 7]}`. Word{i} Lachin.\n")
        if i % 3 == 0:
            body.append(".. image:: pic.png\n")
        if i == 4:
            body.append("A broken link: :ref:`no-such-label`.\n")
        (src / f"{p}.rst").write_text("\n".join(body))
    warnings = io.StringIO()
    app = Sphinx(
        str(src), str(src), str(tmp_path / "html"), str(tmp_path / "doctrees"), "html",
        status=None, warning=warnings, freshenv=True, parallel=2,
    )  # fmt: skip
    app.build()
    return app, tmp_path / "html", warnings.getvalue()


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_pages_resolved_where_they_are_written_come_out_as_sphinx_writes_them(tmp_path, monkeypatch):
    """_ext/karabakh_sphinx.py resolves each page in the process that writes it (Sphinx resolves
    them all in the main process): the same files byte for byte (pages, search index, images), and
    a warning raised while a page is resolved is still reported, naming the page."""
    import pickle

    import sphinx.util.logging
    from sphinx.util.docutils import new_document

    ext = sphinx_ext()
    stock_app, stock, stock_warnings = _tiny_sphinx_project(tmp_path / "stock", False)
    app, ours, warnings = _tiny_sphinx_project(tmp_path / "ours", True)
    assert stock_app.parallel == app.parallel == 2 and app.builder.parallel_ok
    assert app.builder._write_parallel.__func__ is ext._write_parallel_resolving
    assert stock_app.builder._write_parallel.__func__ is not ext._write_parallel_resolving
    assert _files(ours) == _files(stock)
    assert "_images/pic.png" in _files(ours) and '"lachin"' in _files(ours)["searchindex.js"].decode()
    assert "p4.rst" in warnings and "undefined label: 'no-such-label'" in warnings

    def label_warnings(text, project):
        return [w.replace(str(tmp_path / project), "") for w in text.splitlines() if "no-such-label" in w]

    assert label_warnings(warnings, "ours") == label_warnings(stock_warnings, "stock")

    # broken copy: the main process gets empty pages back (its search index and images lose them)
    empty = pickle.dumps(new_document("empty"))
    monkeypatch.setattr(ext, "_picklable_doctree", lambda doctree: empty)
    _, broken, _ = _tiny_sphinx_project(tmp_path / "broken1", True)
    assert _files(broken) != _files(stock)
    monkeypatch.undo()

    # broken copy: the writing processes' messages are dropped on the way back
    monkeypatch.setattr(sphinx.util.logging, "convert_serializable", lambda records: records.clear())
    _, _, lost = _tiny_sphinx_project(tmp_path / "broken2", True)
    assert "no-such-label" not in lost


def test_plain_bibliography_fields_become_rich_text_without_the_latex_decoder():
    """The book's extension skips latexcodec's slow decoder for plain fields: every field and name
    in references.bib gives the same rich text as pybtex's own way, most take the fast way, and
    whatever LaTeX or latexcodec's table treats specially still goes through pybtex."""
    import codecs
    import re

    from pybtex.database import parse_file
    from pybtex.markup import LaTeXParser
    from pybtex.richtext import Text

    ext = sphinx_ext()
    special = ext._latex_special()

    def pybtex_own(latex):
        return LaTeXParser(codecs.decode(latex, "ulatex")).parse()

    texts = set()
    for entry in parse_file(ROOT / "references.bib").entries.values():
        texts |= set(entry.fields.values())
        for people in entry.persons.values():
            for p in people:
                texts |= set(p.first_names + p.middle_names + p.prelast_names + p.last_names + p.lineage_names)
    fast = {t: ext._plain_text(t, special) for t in texts}
    assert sum(v is not None for v in fast.values()) > 0.6 * len(texts)  # most take the fast way
    for t, v in fast.items():
        if v is not None:
            assert repr(v) == repr(pybtex_own(t)), t

    special_cases = ["a,,b", "a--b", "a---b", "a''b", "a``b", "a~b", "a!`b", "a?`b", "\\'e", "{NATO}", "a  b"]
    special_cases += ["a\nb", "a\tb", " a", "a ", "$x$", "50%", "R&D", "a_b", "x^2", "#1"]
    for t in special_cases:
        assert ext._plain_text(t, special) is None, t

    ext._fast_plain_fields()
    ext._fast_plain_fields()  # once only
    for t in ["Baku, 2023", "Jerusalem Post", "a--b", "{NATO} summit", ""]:
        assert repr(Text.from_latex(t)) == repr(pybtex_own(t))

    # broken copy: a test for "plain" without the sequences latexcodec's table replaces
    broken = re.compile(r"[\\{}$%&#_^~]|[^\S ]|  |^ | $")
    text = "Quotes ,,so'' -- and more"
    assert repr(ext._plain_text(text, broken)) != repr(pybtex_own(text))


def test_the_pdf_build_draws_exactly_the_argument_maps_its_latex_includes(tmp_path, monkeypatch):
    """A map's notebook output gives HTML its SVG and LaTeX an inclusion of
    argument-map-<thesis>.pdf; the LaTeX build draws exactly the maps its source includes, as
    vector PDFs beside it, and nothing for HTML. A map asked for that is not a thesis stops it."""
    import types

    from karabakh_book import argument, claims

    ext = sphinx_ext()
    reg = claims.load_registry()
    arg = argument.load(reg)
    wanted = argument.main_theses(arg)[:2]
    raw = []
    for t in wanted:
        bundle = argument.MapFigure(argument.draw(arg, reg, t), "alt", t)._repr_mimebundle_()
        assert set(bundle) == {"text/html", "text/markdown"} and "<svg" in bundle["text/html"]
        raw.append(bundle["text/markdown"].splitlines()[1])  # the line inside the raw LaTeX block
    (tmp_path / "book.tex").write_text("\\sphinxincludegraphics{{other}.pdf}\n" + "\n\n".join(raw) + "\n")

    def built(builder):
        ext._argument_map_pdfs(
            types.SimpleNamespace(builder=types.SimpleNamespace(name=builder), outdir=tmp_path), None
        )
        return sorted(p.name for p in tmp_path.glob("*.pdf"))

    assert built("html") == []
    assert built("latex") == sorted(f"argument-map-{t}.pdf" for t in wanted)
    assert all(p.read_bytes()[:5] == b"%PDF-" for p in tmp_path.glob("*.pdf"))
    (tmp_path / "book.tex").write_text("\\sphinxincludegraphics{{argument-map-P0-99}.pdf}\n")
    with pytest.raises(argument.ArgumentError, match="P0-99"):
        built("latex")
    # broken case: the notebook and the extension disagree on the file name, and no map is drawn
    for p in tmp_path.glob("*.pdf"):
        p.unlink()
    (tmp_path / "book.tex").write_text("\n".join(raw))
    monkeypatch.setattr(argument, "PDF_NAME", "map-{thesis}")
    assert built("latex") == []


_POOL_SCRIPT = """
import importlib.util, multiprocessing, multiprocessing.util, signal, sys, time
spec = importlib.util.spec_from_file_location("execute_parallel", sys.argv[1])
ep = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ep)


def work(job):
    # as nbclient leaves the worker whose kernel failed to start (here the last job's): SIGTERM
    # caught and ignored
    if job == 4:
        signal.signal(signal.SIGTERM, lambda *args: None)
    # a worker that takes a moment to exit (as one that shuts a kernel down): still there when
    # the pool is left
    multiprocessing.util.Finalize(None, time.sleep, args=(1,), exitpriority=10)
    return job * 2


def old_way(work, jobs, processes):
    with multiprocessing.Pool(processes) as pool:
        return list(pool.imap_unordered(work, jobs, chunksize=1))


sent = []  # the signals the main process sends (multiprocessing signals a worker with os.kill)
kill = ep.os.kill
ep.os.kill = lambda pid, sig: sent.append(sig) or kill(pid, sig)
run = old_way if sys.argv[2] == "old" else ep.in_pool
print(sorted(run(work, [1, 2, 3, 4], 2)), sent, flush=True)
"""


def test_the_notebook_workers_stop_even_when_they_ignore_sigterm(tmp_path):
    import signal

    """The parallel execution ends when its work is done although a worker catches SIGTERM (nbclient
    leaves such a handler when a kernel fails to start): the workers are told to stop, not
    signalled. The former ``with Pool()`` signalled them, and waited forever for such a worker."""
    script = tmp_path / "pool.py"
    script.write_text(_POOL_SCRIPT)
    target = str(ROOT / "scripts" / "execute_parallel.py")
    done = subprocess.run([sys.executable, str(script), target, "new"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "[2, 4, 6, 8] []", done.stderr[-2000:]
    # broken copy: leaving ``with Pool()`` signals the workers (and, when the worker that ignores
    # the signal waits for a lock that a killed one held, never ends)
    try:
        old = subprocess.run([sys.executable, str(script), target, "old"], capture_output=True, text=True, timeout=10)
        assert f"<Signals.SIGTERM: {int(signal.SIGTERM)}>" in old.stdout, old.stdout + old.stderr[-2000:]
    except subprocess.TimeoutExpired:
        pass


def test_one_search_finds_a_headword_exactly_where_the_headwords_own_patterns_do():
    """The index of names asks one pattern (names.any_of) whether a paragraph names any headword,
    before it searches headword by headword: it must say yes exactly when one of theirs matches,
    on every line of the chapters and on each spelling alone, inside a longer word and bracketed."""
    import re

    from karabakh_book import names

    pats = names.patterns(names.headwords())
    spellings = {
        s for _, p in pats for s in re.findall(r"(?:[^|\\]|\\.)+", p.pattern[len(r"(?<!\w)(?:") : -len(r")(?!\w)")])
    }
    assert len(spellings) > 100
    texts = [
        line for md in sorted((ROOT / "chapters").glob("*.md")) for line in md.read_text(encoding="utf-8").splitlines()
    ]
    for s in spellings:
        plain = re.sub(r"\\(.)", r"\1", s)
        texts += [plain, plain + "x", "x" + plain, f"({plain}).", plain.lower()]

    def agrees(any_name):
        return all(bool(any_name.search(t)) == any(p.search(t) for _, p in pats) for t in texts)

    assert agrees(names.any_of(pats))
    assert sum(bool(names.any_of(pats).search(t)) for t in texts) > 200
    with pytest.raises(ValueError, match="not a pattern"):
        names.any_of([("x", re.compile("Shusha"))])
    # broken copy: one pattern of the same spellings without the word bounds (a headword inside a
    # longer word would count)
    assert not agrees(re.compile("|".join(sorted(spellings, key=len, reverse=True))))

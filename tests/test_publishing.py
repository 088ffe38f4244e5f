"""The base-URL setting, the sitemap and the data package zip (no build needed)."""

import types
import zipfile
from io import BytesIO
from pathlib import Path

from conftest import sphinx_ext

from karabakh_book import claimreview, datasets


def test_claim_urls_are_absolute_with_a_base_and_relative_without():
    page = "chapters/12_point2_russia_and_armenia"
    assert (
        claimreview.claim_url("P2-01", "2", "https://example.org/k")
        == "https://example.org/k/chapters/12_point2_russia_and_armenia.html#claim-p2-01"
    )
    assert claimreview.claim_url("P2-01", "2", from_doc=page) == "12_point2_russia_and_armenia.html#claim-p2-01"
    assert claimreview.claim_url("P2-01", "2") == "chapters/12_point2_russia_and_armenia.html#claim-p2-01"
    assert not claimreview.claim_url("P2-01", "2").startswith("/")  # root-relative breaks under a sub-path


def test_the_base_url_comes_from_the_environment_and_the_sitemap_lists_every_page(tmp_path, monkeypatch):
    ext = sphinx_ext()
    config = types.SimpleNamespace(html_baseurl="")
    monkeypatch.setenv("KARABAKH_BASE_URL", "https://example.org/karabakh")
    ext._base_url(None, config)
    assert config.html_baseurl == "https://example.org/karabakh/"
    app = types.SimpleNamespace(
        config=config,
        outdir=str(tmp_path),
        builder=types.SimpleNamespace(name="html", get_target_uri=lambda d: d + ".html"),
        env=types.SimpleNamespace(found_docs={"chapters/00_index", "chapters/01_source_text"}),
    )
    ext._sitemap(app, None)
    xml = (tmp_path / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/karabakh/chapters/01_source_text.html</loc>" in xml
    assert xml.count("<url>") == 2


def test_without_a_base_url_there_is_no_sitemap(tmp_path, monkeypatch):
    ext = sphinx_ext()
    config = types.SimpleNamespace(html_baseurl="")
    monkeypatch.delenv("KARABAKH_BASE_URL", raising=False)
    ext._base_url(None, config)
    assert config.html_baseurl == ""
    app = types.SimpleNamespace(
        config=config, outdir=str(tmp_path), builder=types.SimpleNamespace(name="html"), env=None
    )
    ext._sitemap(app, None)
    assert not (tmp_path / "sitemap.xml").exists()


def test_the_data_package_zip_is_reproducible_and_has_the_package_at_its_top():
    a, b = datasets.package_zip(), datasets.package_zip()
    assert a == b
    with zipfile.ZipFile(BytesIO(a)) as z:
        names = set(z.namelist())
        pkg = __import__("json").loads(z.read("datapackage.json"))
    assert "datapackage.json" in names and "references.bib" in names
    for res in pkg["resources"]:
        assert res["path"].startswith("data/") and res["path"] in names, res["path"]
    assert Path(datasets.ZIP_NAME).suffix == ".zip"


def test_the_rerun_box_names_the_repository_when_citation_cff_sets_it():
    from karabakh_book import howtocite

    meta = dict(howtocite.cff())
    meta.pop("repository-code", None)
    plain = howtocite.rerun_note("13_point3_the_2023_opening", meta)
    assert "make chapter CH=13_point3_the_2023_opening" in plain and "<http" not in plain
    meta["repository-code"] = "https://example.org/karabakh-claims"
    assert "(<https://example.org/karabakh-claims>)" in howtocite.rerun_note("13_point3_the_2023_opening", meta)

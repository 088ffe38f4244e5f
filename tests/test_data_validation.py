import pytest

from karabakh_book import data


@pytest.mark.parametrize("name", data.resource_names())
def test_every_data_file_obeys_its_schema(name):
    geo = data.resource(name).get("format") == "geojson"
    df = data.load_geo(name) if geo else data.load(name)
    assert len(df) > 0


def test_every_file_in_data_is_described_in_the_package():
    described = {r["path"] for r in data.package()["resources"]}
    on_disk = {str(p.relative_to(data.paths.DATA)) for p in data.paths.DATA.rglob("*")
               if p.suffix in (".csv", ".geojson")}
    assert on_disk == described


def _replace_cell(lines, line_no, col, value):
    import csv, io
    row = next(csv.reader([lines[line_no - 1]]))
    row[col] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(row)
    lines[line_no - 1] = buf.getvalue()
    return lines


def test_wrong_type_names_file_line_and_column(broken_copy):
    pkg = broken_copy("segments", lambda ls: _replace_cell(ls, 3, 2, "two"))
    with pytest.raises(data.DataError, match=r"data/segments.csv: line 3, column 'order': value 'two' is not of type integer"):
        data.load("segments", package_path=pkg)


def test_missing_required_value_is_named(broken_copy):
    pkg = broken_copy("claims", lambda ls: _replace_cell(ls, 5, 9, ""))
    with pytest.raises(data.DataError, match=r"claims.csv: line 5, column 'reason': a required value is missing"):
        data.load("claims", package_path=pkg)


def test_duplicate_key_is_named(broken_copy):
    pkg = broken_copy("claims", lambda ls: ls + [ls[1]])
    with pytest.raises(data.DataError, match=r"claims.csv: line \d+, column 'id': duplicate key"):
        data.load("claims", package_path=pkg)


def test_unknown_category_is_named(broken_copy):
    pkg = broken_copy("claims", lambda ls: _replace_cell(ls, 2, 8, "mostly true"))
    with pytest.raises(data.DataError, match=r"claims.csv: line 2, column 'verdict': value 'mostly true' is not one of"):
        data.load("claims", package_path=pkg)


def test_unresolvable_source_key_is_named(broken_copy):
    pkg = broken_copy("claims", lambda ls: _replace_cell(ls, 2, 10, "no_such_source_2099"))
    with pytest.raises(data.DataError, match=r"line 2, column 'sources': source key 'no_such_source_2099' does not resolve"):
        data.load("claims", package_path=pkg)


def test_wrong_header_is_named(broken_copy):
    pkg = broken_copy("events", lambda ls: ["date,end,event,point,source_key\n"] + ls[1:])
    with pytest.raises(data.DataError, match=r"events.csv: (line 1 \(header\)|header)"):
        data.load("events", package_path=pkg)

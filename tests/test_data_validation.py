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


BROKEN = {
    # id: (dataset, how to break it, the message expected: file, line and column named)
    "wrong type": ("segments", lambda ls: _replace_cell(ls, 3, 2, "two"),
                   r"data/segments.csv: line 3, column 'order': value 'two' is not of type integer"),
    "missing required value": ("claims", lambda ls: _replace_cell(ls, 5, 11, ""),
                               r"claims.csv: line 5, column 'reason': a required value is missing"),
    "duplicate key": ("claims", lambda ls: ls + [ls[1]], r"claims.csv: line \d+, column 'id': duplicate key"),
    "unknown category": ("claims", lambda ls: _replace_cell(ls, 2, 8, "mostly true"),
                         r"claims.csv: line 2, column 'verdict': value 'mostly true' is not one of"),
    "unresolvable source key": ("claims", lambda ls: _replace_cell(ls, 2, 12, "no_such_source_2099"),
                                r"line 2, column 'sources': source key 'no_such_source_2099' does not resolve"),
    "wrong header": ("events", lambda ls: ["date,end,event,point,source_key\n"] + ls[1:],
                     r"events.csv: (line 1 \(header\)|header)"),
    "negative count": ("casualties_2023", lambda ls: _replace_cell(ls, 2, 2, "-25"),
                       r"casualties_2023.csv: line 2, column 'value'"),
    "currency not allowed": ("aid_pledges", lambda ls: _replace_cell(ls, 2, 2, "AMD"),
                             r"aid_pledges.csv: line 2, column 'currency': value 'AMD' is not one of"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_broken_file_stops_with_file_line_and_column(broken_copy, case):
    name, edit, message = BROKEN[case]
    pkg = broken_copy(name, edit)
    with pytest.raises(data.DataError, match=message):
        data.load(name, package_path=pkg)


def test_cumulative_arrivals_never_fall():
    """A cumulative count that fell from one day to the next would be a wrong or misdated row."""
    arr = data.load("exodus_arrivals")
    daily = arr[arr["basis"] == "arrivals"].sort_values("date")
    assert len(daily) >= 8 and daily["cumulative_arrivals"].is_monotonic_increasing

import pytest

from karabakh_book import data


@pytest.mark.parametrize("name", data.resource_names())
def test_every_data_file_obeys_its_schema(name):
    geo = data.resource(name).get("format") == "geojson"
    df = data.load_geo(name) if geo else data.load(name)
    assert len(df) > 0


def test_every_file_in_data_is_described_in_the_package():
    described = {r["path"] for r in data.package()["resources"]}
    on_disk = {
        str(p.relative_to(data.paths.DATA)) for p in data.paths.DATA.rglob("*") if p.suffix in (".csv", ".geojson")
    }
    assert on_disk == described


def _replace_cell(lines, line_no, col, value):
    import csv
    import io

    row = next(csv.reader([lines[line_no - 1]]))
    row[col] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(row)
    lines[line_no - 1] = buf.getvalue()
    return lines


BROKEN = {
    # id: (dataset, how to break it, the message expected: file, line and column named)
    "wrong type": (
        "segments",
        lambda ls: _replace_cell(ls, 3, 2, "two"),
        r"data/segments.csv: line 3, column 'order': value 'two' is not of type integer",
    ),
    "missing required value": (
        "claims",
        lambda ls: _replace_cell(ls, 5, 11, ""),
        r"claims.csv: line 5, column 'reason': a required value is missing",
    ),
    "duplicate key": ("claims", lambda ls: ls + [ls[1]], r"claims.csv: line \d+, column 'id': duplicate key"),
    "unknown category": (
        "claims",
        lambda ls: _replace_cell(ls, 2, 8, "mostly true"),
        r"claims.csv: line 2, column 'verdict': value 'mostly true' is not one of",
    ),
    "unresolvable source key": (
        "claims",
        lambda ls: _replace_cell(ls, 2, 12, "no_such_source_2099"),
        r"line 2, column 'sources': source key 'no_such_source_2099' does not resolve",
    ),
    "wrong header": (
        "events",
        lambda ls: ["date,end,event,point,source_key\n"] + ls[1:],
        r"events.csv: (line 1 \(header\)|header)",
    ),
    "negative count": (
        "casualties_2023",
        lambda ls: _replace_cell(ls, 2, 2, "-25"),
        r"casualties_2023.csv: line 2, column 'value'",
    ),
    "currency not allowed": (
        "aid_pledges",
        lambda ls: _replace_cell(ls, 2, 2, "AMD"),
        r"aid_pledges.csv: line 2, column 'currency': value 'AMD' is not one of",
    ),
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


# --- Typed data: figures and dates parsed strictly, on every row (issue 17) ----------------------

STRICT = {
    "German thousands separator in a count": (
        "evidence",
        lambda ls: _replace_cell(ls, 2, 3, "100.000"),
        r"evidence.csv: line 2, column 'value_low': '100.000' has decimals",
    ),
    "thousands comma in a figure": (
        "evidence",
        lambda ls: _replace_cell(ls, 2, 3, "100,417"),
        r"evidence.csv: line 2, column 'value_low': '100,417' is not a figure",
    ),
    "infinite figure": (
        "evidence",
        lambda ls: _replace_cell(ls, 2, 3, "INF"),
        r"evidence.csv: line 2, column 'value_low': 'INF' is not a figure",
    ),
    "impossible as_of date": (
        "evidence",
        lambda ls: _replace_cell(ls, 2, 6, "2023-09-31"),
        r"evidence.csv: line 2, column 'as_of': '2023-09-31' is not a date",
    ),
    "German date in as_of": (
        "evidence",
        lambda ls: _replace_cell(ls, 2, 6, "30.09.2023"),
        r"evidence.csv: line 2, column 'as_of': '30.09.2023' is not a date",
    ),
    "impossible event date": (
        "events",
        lambda ls: _replace_cell(ls, 2, 0, "2023-19-39"),
        r"events.csv: line 2, column 'date': '2023-19-39' is not a real date",
    ),
    "German claimed date": (
        "claims",
        lambda ls: _replace_cell(ls, 12, 5, "05.10.2020"),
        r"claims.csv: line 12, column 'claimed_value': '05.10.2020' is not a figure",
    ),
    "blank reason": (
        "claims",
        lambda ls: _replace_cell(ls, 2, 11, "   "),
        r"claims.csv: line 2, column 'reason': blank text",
    ),
    "impossible date in a province count": (
        "displaced_by_province",
        lambda ls: _replace_cell(ls, 2, 2, "2023-09-31"),
        r"displaced_by_province.csv: line 2, column 'as_of': '2023-09-31' is not a real date",
    ),
    "described date in a province count": (
        "displaced_by_province",
        lambda ls: _replace_cell(ls, 2, 2, "c. 2023-12"),
        r"displaced_by_province.csv: line 2, column 'as_of': 'c. 2023-12' is not a real date",
    ),
    "impossible time of a casualty count": (
        "casualties_2023",
        lambda ls: _replace_cell(ls, 2, 3, "2023-09-19T25:00"),
        r"casualties_2023.csv: line 2, column 'as_of': '2023-09-19T25:00' is not a real date",
    ),
    "row with too many fields": (
        "events",
        lambda ls: ls[:1] + [ls[1].rstrip("\n") + ",extra\n"] + ls[2:],
        r"events.csv: line 2: \d+ fields, but the header has \d+",
    ),
}


@pytest.mark.parametrize("case", STRICT, ids=list(STRICT))
def test_a_loose_figure_or_date_stops_the_build_with_file_line_and_column(broken_copy, case):
    """Each mutation was once accepted (or read wrongly: 100.000 as 100); now each stops the build."""
    from karabakh_book import claims

    name, edit, message = STRICT[case]
    pkg = broken_copy(name, edit)
    with pytest.raises(data.DataError, match=message):
        df = data.load(name, package_path=pkg)
        other = {"claims": "evidence", "evidence": "claims"}.get(name)
        if other:  # cross-file rules (the unit decides between a figure and a date)
            pair = {name: df, other: data.load(other, package_path=pkg)}
            claims.check_registry(pair["claims"], pair["evidence"])


def test_a_file_that_is_not_utf8_is_named(broken_copy):
    pkg = broken_copy("events", lambda ls: ls)
    path = pkg.parent / "events.csv"
    path.write_bytes(path.read_bytes().replace("Khojaly".encode(), "Khöjaly".encode("latin-1"), 1))
    with pytest.raises(data.DataError, match=r"events.csv: line \d+: not UTF-8"):
        data.load("events", package_path=pkg)


def test_a_file_is_validated_once_per_process_but_a_change_is_seen(broken_copy):
    """data.load keeps what it validated; a changed file is read and validated again."""
    pkg = broken_copy("events", lambda ls: ls)
    first = data.load("events", package_path=pkg)
    first.loc[first.index[0], "event"] = "changed by the caller"  # a copy: the next load is unaffected
    assert data.load("events", package_path=pkg).iloc[0]["event"] != "changed by the caller"
    path = pkg.parent / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")  # one row fewer
    assert len(data.load("events", package_path=pkg)) == len(first) - 1
    path.write_text("".join(_replace_cell(lines, 2, 0, "2023-19-39")), encoding="utf-8")
    with pytest.raises(data.DataError, match="events.csv: line 2, column 'date'"):
        data.load("events", package_path=pkg)

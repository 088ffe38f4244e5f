import pandas as pd
import pytest

from karabakh_book import cite, claims, data


@pytest.fixture(scope="module")
def reg():
    return claims.load_registry()


def ev(rows, unit="people"):
    return pd.DataFrame(
        [{"value_low": str(a), "value_high": str(b) if b is not None else "", "unit": unit} for a, b in rows]
    )


def test_quantity_rule():
    assert claims.compute_verdict("quantity", "100", "exact", ev([(95, None), (105, None)])).verdict == "correct"
    assert claims.compute_verdict("quantity", "120", "exact", ev([(100, None)])).verdict == "partly correct"
    assert claims.compute_verdict("quantity", "200", "exact", ev([(100, None)])).verdict == "incorrect"
    assert claims.compute_verdict("quantity", "100000", "more than", ev([(100417, None)])).verdict == "correct"
    assert claims.compute_verdict("quantity", "5000", "more than", ev([(2500, None)])).verdict == "incorrect"
    assert (
        claims.compute_verdict("quantity", "20-24", "range", ev([(13.3, 20)], "percent"), "percent").verdict
        == "partly correct"
    )
    assert claims.compute_verdict("quantity", "1", "exact", ev([]), "x").verdict == "unverifiable"


def test_quantity_rule_ignores_other_units():
    mixed = pd.concat([ev([(2.5e12, None)], "USD"), ev([(5.7e12, None)], "USD PPP")])
    assert claims.compute_verdict("quantity", "5e12", "more than", mixed, "USD").verdict == "incorrect"


def test_a_partys_earlier_count_is_superseded_by_its_later_one():
    rows = pd.DataFrame(
        [
            {"party": "A", "as_of": "2023-09-19T20:00", "value_low": "25", "value_high": "", "unit": "people"},
            {"party": "A", "as_of": "2023-09-27", "value_low": "213", "value_high": "", "unit": "people"},
            {"party": "B", "as_of": "2023-09-21", "value_low": "200", "value_high": "", "unit": "people"},
        ]
    )
    assert list(claims.superseded(rows)) == [True, False, False]
    # With the first-night count of 25 in the range, 50 would pass as correct; without it, not.
    got = claims.compute_verdict("quantity", "50", "exact", rows, "people")
    assert got.verdict == "incorrect" and "1 earlier count superseded" in got.explanation
    assert claims.compute_verdict("quantity", "213", "exact", rows, "people").verdict == "correct"


def test_date_rule():
    def d(*rows):
        return ev(rows, "date")

    assert claims.compute_verdict("date", "2023-09-19", "", d(("2023-09-19", None))).verdict == "correct"
    assert claims.compute_verdict("date", "2022-09-20", "", d(("2022-09-19", None))).verdict == "partly correct"
    assert claims.compute_verdict("date", "2023-07-09", "", d(("2023-09-07", None))).verdict == "incorrect"
    assert claims.compute_verdict("date", "2009", "", d(("2009-10-10", None))).verdict == "correct"
    assert claims.compute_verdict("date", "2023-09-12", "", d(("2023-09-11", "2023-09-20"))).verdict == "correct"


def test_a_duplicate_claim_id_is_refused(broken_copy):
    """The registry's ids are its primary key: a repeated id stops the loader, naming line and column."""

    def dup(lines):
        lines[2] = lines[1].split(",", 1)[0] + "," + lines[2].split(",", 1)[1]
        return lines

    with pytest.raises(data.DataError, match=r"claims.csv: line 3, column 'id': duplicate key"):
        data.load("claims", package_path=broken_copy("claims", dup))


def test_every_point_has_claims(reg):
    assert set(claims.POINTS) <= set(reg["point"])


def test_a_checkable_claim_without_a_source_or_a_search_note_is_refused(reg):
    """A checkable claim needs a source, or, if unverifiable, a note of what was searched."""
    ev = data.load("evidence")
    i = reg.index[(reg["type"] == "event") & (reg["verdict"] == "correct")][0]
    line = list(reg.index).index(i) + 2
    bad = reg.copy()
    bad.loc[i, "sources"] = ""
    with pytest.raises(claims.RegistryError, match=rf"line {line}, column 'sources': a checkable claim needs a source"):
        claims.check_registry(bad, ev)
    bad.loc[i, ["verdict", "searched"]] = ["unverifiable", " "]
    with pytest.raises(claims.RegistryError, match=rf"line {line}, column 'searched': say what was searched for"):
        claims.check_registry(bad, ev)


def test_registry_rejects_a_quote_not_in_the_text(reg):
    bad = reg.copy()
    bad.loc[bad.index[0], "quote_de"] = "Armenien hat den Krieg gewonnen."
    with pytest.raises(claims.RegistryError, match=r"line 2, column 'quote_de': quote is not in the source text"):
        claims.check_registry(bad, data.load("evidence"))


def test_registry_rejects_a_typed_verdict_that_the_evidence_contradicts(reg):
    bad = reg.copy()
    i = bad.index[bad["type"] == "date"][0]
    line = list(bad.index).index(i) + 2
    bad.loc[i, "verdict"] = "correct" if bad.loc[i, "verdict"] != "correct" else "incorrect"
    with pytest.raises(claims.RegistryError, match=rf"line {line}, column 'verdict': typed"):
        claims.check_registry(bad, data.load("evidence"))


def test_known_errors_of_the_text_are_found(reg):
    """Spot checks that the registry catches what the sources show (would fail if data regressed)."""
    v = reg.set_index("id")["verdict"]
    # Blinken met both foreign ministers on 19 Sept 2022 in New York, not 20 Sept.
    assert v["P6-21"] == "partly correct"
    # EAEU nominal GDP is about 2-2.6 trillion USD, not "over 5 trillion".
    assert v["P2-20"] == "incorrect"


def test_bibliography_entries_have_title_url_and_access_date():
    # A missing publication date is allowed only where the stored page showed none (noted in the entry).
    hard = [p for p in cite.problems() if "publication date" not in p]
    assert hard == []
    for key, e in cite.entries().items():
        if not e.fields.get("date"):
            assert "No publication date shown" in e.fields.get("note", ""), key


def test_evidence_perspective_is_the_side_of_the_party_named():
    """A figure keeps its party's side whichever outlet relayed it (the charts colour by it)."""
    import re

    ev = data.load("evidence")
    expect = [
        (r"^(Azerbaijani|Azerbaijan )", "azerbaijan"),
        (r"^Armenian (government|PM|MoD|MFA|Investigative|Statistical|presidency|National)", "armenia"),
        (r"^(Russian|Kremlin)", "russia"),
        (r"^(Karabakh|NKR)", "karabakh-armenian"),
        (r"^(US |French|German Federal)", "western"),
        (r"^(UNHCR|IMF|World Bank|SIPRI)", "international"),
    ]
    wrong = [
        (r.claim_id, r.party, r.perspective)
        for r in ev.itertuples()
        for rx, side in expect
        if re.match(rx, r.party) and r.perspective != side
    ]
    assert wrong == []


def test_context_rows_are_shown_but_not_compared():
    rows = pd.DataFrame(
        [
            {"party": "A", "as_of": "", "value_low": "2015-12-23", "value_high": "", "unit": "date", "role": ""},
            {"party": "B", "as_of": "", "value_low": "2016-06-30", "value_high": "", "unit": "date", "role": "context"},
        ]
    )
    # without the role, "June 2016" would pass as correct for a signing in December 2015
    assert claims.compute_verdict("date", "2016-06", "", rows).verdict == "incorrect"
    assert claims.compute_verdict("date", "2015-12", "", rows).verdict == "correct"


# --- The strict rule (issue 13): synthetic rows for each change ---------------------------------


def _rows(*rows, unit="people"):
    return pd.DataFrame(
        [
            {
                "party": p,
                "perspective": persp,
                "value_low": str(v),
                "value_high": "",
                "unit": unit,
                "as_of": "",
                "role": "",
            }
            for p, persp, v in rows
        ]
    )


def test_independent_evidence_decides_over_the_parties_figures():
    rows = _rows(("Azerbaijani MoD", "azerbaijan", 20), ("Armenian MFA", "armenia", 13), ("Reuters", "independent", 14))
    # Over every party's figure 20 would be correct; the independent figure alone makes it incorrect.
    got = claims.compute_verdict("quantity", "20", "exact", rows, "people")
    assert got.verdict == "incorrect" and "independent evidence decides" in got.explanation
    assert claims.compute_verdict("quantity", "20", "exact", rows.iloc[:2], "people").verdict == "correct"


def test_the_books_measurement_decides_over_independent_estimates():
    rows = _rows(
        ("journalist", "independent", 40),
        ("academic", "independent", 16),
        ("the book", "measured", 13.8),
        unit="percent",
    )
    got = claims.compute_verdict("quantity", "20-24", "range", rows, "percent")
    assert got.verdict == "incorrect" and "the book's measurement decides" in got.explanation


def test_a_figure_matching_only_one_sides_count_is_named_on_the_card():
    rows = _rows(("Azerbaijani MoD", "azerbaijan", 192), ("Armenian MoD", "armenia", 500))
    assert claims.matches_only("quantity", "192", "exact", rows, "people") == "Azerbaijan's"
    both = _rows(("Azerbaijani MoD", "azerbaijan", 192), ("Armenian MoD", "armenia", 195))
    assert claims.matches_only("quantity", "192", "exact", both, "people") == ""


def test_a_wrong_qualifier_caps_the_verdict():
    rows = _rows(("US State Dept", "western", 100))
    assert claims.compute_verdict("quantity", "100", "exact", rows, "people", "wrong").verdict == "partly correct"
    assert claims.compute_verdict("quantity", "120", "exact", rows, "people", "wrong").verdict == "incorrect"
    assert claims.compute_verdict("quantity", "100", "exact", rows, "people", "right").verdict == "correct"


def _reg_with(reg, **changes):
    bad = reg.copy()
    for col, (cid, value) in changes.items():
        bad.loc[bad["id"] == cid, col] = value
    return bad


def test_a_finding_groups_rows_of_one_error_and_counts_once(reg):
    wrong = reg[reg["verdict"] == "incorrect"]["id"].tolist()
    a, b = wrong[0], wrong[1]
    grouped = _reg_with(reg, finding=(b, a))
    assert claims.finding_problems(grouped) == []
    assert len(claims.findings(grouped)) == len(claims.findings(reg)) - 1
    # broken copies: an unknown lead, a lead that is not an error, a chain of findings
    assert "not a claim" in claims.finding_problems(_reg_with(reg, finding=(b, "P1-99")))[0]
    ok = reg[reg["verdict"] == "correct"]["id"].iloc[0]
    assert "only errors are findings" in claims.finding_problems(_reg_with(reg, finding=(b, ok)))[0]
    chained = _reg_with(grouped, finding=(wrong[2], b))
    assert "is itself part of finding" in claims.finding_problems(chained)[0]


def test_interpretive_claims_are_assessed_not_shelved(reg):
    assert set(reg.loc[reg["type"].isin(claims.INTERPRETIVE_TYPES), "verdict"]) <= set(claims.ASSESSMENTS)
    ev = data.load("evidence")
    cid = reg.loc[reg["type"] == "causal/interpretive", "id"].iloc[0]
    with pytest.raises(claims.RegistryError, match="assessed on the scale"):
        claims.check_registry(_reg_with(reg, verdict=(cid, "correct")), ev)
    fact = reg.loc[reg["type"] == "event", "id"].iloc[0]
    with pytest.raises(claims.RegistryError, match="rated on the scale"):
        claims.check_registry(_reg_with(reg, verdict=(fact, "supported by the record")), ev)


def test_an_opinion_whose_reason_states_a_finding_is_refused(reg):
    op = reg.loc[reg["verdict"] == "opinion", "id"].iloc[0]
    ev = data.load("evidence")
    with pytest.raises(claims.RegistryError, match="no checkable core"):
        claims.check_registry(_reg_with(reg, reason=(op, "Trade doubled to 62 bn dollars in 2022.")), ev)
    # a claim id in the reason is not a finding
    claims.check_registry(_reg_with(reg, reason=(op, "Rhetoric; its premise is rated in P8b-04.")), ev)


def test_unsupported_needs_what_was_searched_and_blank_reasons_are_refused(reg):
    ev = data.load("evidence")
    un = reg.loc[reg["verdict"] == "unsupported", "id"].iloc[0]
    with pytest.raises(claims.RegistryError, match="say what was searched"):
        claims.check_registry(_reg_with(reg, searched=(un, "")), ev)
    with pytest.raises(claims.RegistryError, match="blank text"):
        claims.check_registry(_reg_with(reg, reason=(un, "   ")), ev)


def test_high_confidence_cannot_rest_on_copies_alone(reg):
    ev = data.load("evidence")
    row = reg[reg["confidence"] == "medium"].iloc[0]
    if claims.rests_on_copies(row, ev):
        with pytest.raises(claims.RegistryError, match="copy or a reference work"):
            claims.check_registry(_reg_with(reg, confidence=(row["id"], "high")), ev)
    copies = cite.copies()
    fake = _reg_with(reg, sources=(row["id"], copies[0]))
    fake = _reg_with(fake, confidence=(row["id"], "high"))
    ev2 = ev[ev["claim_id"] != row["id"]]
    with pytest.raises(claims.RegistryError, match="copy or a reference work"):
        claims.check_registry(fake, ev2)


def test_every_bib_entry_has_a_known_tier(tmp_path):
    assert [p for p in cite.problems() if "tier" in p] == []
    bad = tmp_path / "refs.bib"
    bad.write_text(
        "@misc{x_1, title={T}, url={https://e.org}, urldate={2026-01-01}, year={2020}, tier={blog}}\n"
        "@misc{x_2, title={T}, url={https://e.org/2}, urldate={2026-01-01}, year={2020}}\n"
    )
    got = cite.problems(bad)
    assert any("'x_1' has the unknown tier 'blog'" in p for p in got)
    assert any("'x_2' has no tier" in p for p in got)


def test_evidence_rows_carry_their_sources_own_words():
    """At least 95 % of the evidence rows that come from a source (the book's own measurements
    aside) quote the source's decisive words; the rows without are named."""
    ev = data.load("evidence")
    sourced = ev[ev["perspective"] != "measured"]
    missing = sourced[sourced["source_words"].str.strip() == ""]
    share = 1 - len(missing) / len(sourced)
    assert share >= 0.95, f"{share:.1%} carry words; without: " + ", ".join(
        f"{r.claim_id}/{r.source_key}" for r in missing.itertuples()
    )


def test_the_dateline_row_is_the_books_own_conversion(reg):
    from karabakh_book.claimreview import source_date

    assert reg.set_index("id").loc["PC-04", "claimed_value"] == source_date()


# --- The argument map -----------------------------------------------------------------------------


def test_every_step_of_the_argument_joins_two_registry_claims(reg):
    from karabakh_book import argument

    arg = argument.load(reg)
    assert set(arg["from_id"]) | set(arg["to_id"]) <= set(reg["id"])
    assert len(argument.main_theses(arg)) >= 8


def test_a_step_naming_an_unknown_claim_or_closing_a_cycle_is_refused(reg):
    from karabakh_book import argument

    arg = data.load("argument")
    bad = arg.copy()
    bad.loc[bad.index[0], "to_id"] = "P4-99"
    with pytest.raises(argument.ArgumentError, match=r"argument.csv: line 2, column 'to_id': 'P4-99' is not a claim"):
        argument.check(bad, reg)
    a, b = arg.iloc[0]["from_id"], arg.iloc[0]["to_id"]
    loop = pd.concat(
        [arg, pd.DataFrame([{"step": "S999", "from_id": b, "to_id": a, "kind": "inference", "note": ""}])],
        ignore_index=True,
    )
    with pytest.raises(argument.ArgumentError, match="cycle"):
        argument.check(loop, reg)
    theses = data.load("theses").copy()
    theses.loc[theses.index[0], "claim_id"] = "P1-01"  # a claim no step leads to
    with pytest.raises(argument.ArgumentError, match="no step of data/argument.csv leads to P1-01"):
        argument.check(arg, reg, theses)


def test_what_is_left_of_a_thesis_counts_its_failing_premises(reg):
    from karabakh_book import argument

    arg = argument.load(reg)
    st = argument.standing(arg, reg, "P8b-09")
    v = dict(zip(reg["id"], reg["verdict"]))
    assert set(st.failed) == {c for c in st.rests_on if v[c] in claims.WRONG}
    assert "P4-01" in st.rests_on and "P8b-04" in st.failed
    # another thesis (P4-01) is a node of the map but is not expanded: what it rests on (P3-02)
    # belongs to its own map
    assert "P3-02" in argument.support(arg, "P8b-09") and "P3-02" not in st.rests_on
    assert "rests on" in st.sentence(lambda c: c)


def test_the_computed_line_writes_figures_as_a_reader_would():
    """No exponent notation (5e+12) and no range of one figure (192–192) reach a card."""
    big = claims.compute_verdict("quantity", "5000000000000", "more than", ev([(1.9e12, 2.573e12)], "USD"), "USD")
    assert (
        "more than 5 trn" in big.explanation and "1.9 trn–2.57 trn" in big.explanation
    )  # the book's one formatter: 3 digits
    assert "e+" not in big.explanation
    one = claims.compute_verdict("quantity", "192", "exact", ev([(192, None)]), "people")
    assert "sourced figure 192" in one.explanation and "192–192" not in one.explanation
    assert "100,417" in claims.compute_verdict("quantity", "100000", "more than", ev([(100417, None)])).explanation


def test_copies_are_few_and_each_says_why_no_original_is_cited(tmp_path):
    """At most cite.MAX_COPIES entries are copies, and each one's note says what it is kept for
    (the build refuses a copy without that note: cite.problems)."""
    assert len(cite.copies()) <= cite.MAX_COPIES, f"{len(cite.copies())} copies: {', '.join(cite.copies())}"
    assert [p for p in cite.problems() if "is a copy" in p] == []
    many = tmp_path / "many.bib"  # broken case: one copy too many is counted
    many.write_text(
        "".join(
            f"@misc{{m_{i}, title={{T}}, url={{https://m.org/{i}}}, urldate={{2026-01-01}}, year={{2020}},"
            f" tier={{copy}}, note={{Kept as a copy: figure {i}}}}}\n"
            for i in range(cite.MAX_COPIES + 1)
        )
    )
    assert len(cite.copies(many)) == cite.MAX_COPIES + 1
    bad = tmp_path / "refs.bib"
    bad.write_text(
        "@misc{c_1, title={T}, url={https://m.org/1}, urldate={2026-01-01}, year={2020}, tier={copy},"
        " note={A mirror}}\n"
        "@misc{c_2, title={T}, url={https://m.org/2}, urldate={2026-01-01}, year={2020}, tier={copy},"
        " note={A mirror. Kept as a copy: the only stored page with the 1994 count}}\n"
    )
    got = [p for p in cite.problems(bad) if "is a copy" in p]
    assert len(got) == 1 and "'c_1'" in got[0]  # broken case: a copy that does not say why

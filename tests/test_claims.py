import pandas as pd
import pytest

from karabakh_book import cite, claims, data, text


@pytest.fixture(scope="module")
def reg():
    return claims.load_registry()


def ev(rows, unit="people"):
    return pd.DataFrame([{"value_low": str(a), "value_high": str(b) if b is not None else "", "unit": unit}
                         for a, b in rows])


def test_quantity_rule():
    assert claims.compute_verdict("quantity", "100", "exact", ev([(95, None), (105, None)])).verdict == "correct"
    assert claims.compute_verdict("quantity", "120", "exact", ev([(100, None)])).verdict == "partly correct"
    assert claims.compute_verdict("quantity", "200", "exact", ev([(100, None)])).verdict == "incorrect"
    assert claims.compute_verdict("quantity", "100000", "more than", ev([(100417, None)])).verdict == "correct"
    assert claims.compute_verdict("quantity", "5000", "more than", ev([(2500, None)])).verdict == "incorrect"
    assert claims.compute_verdict("quantity", "20-24", "range", ev([(13.3, 20)], "percent"), "percent").verdict == "partly correct"
    assert claims.compute_verdict("quantity", "1", "exact", ev([]), "x").verdict == "unverifiable"


def test_quantity_rule_ignores_other_units():
    mixed = pd.concat([ev([(2.5e12, None)], "USD"), ev([(5.7e12, None)], "USD PPP")])
    assert claims.compute_verdict("quantity", "5e12", "more than", mixed, "USD").verdict == "incorrect"


def test_a_partys_earlier_count_is_superseded_by_its_later_one():
    rows = pd.DataFrame([
        {"party": "A", "as_of": "2023-09-19T20:00", "value_low": "25", "value_high": "", "unit": "people"},
        {"party": "A", "as_of": "2023-09-27", "value_low": "213", "value_high": "", "unit": "people"},
        {"party": "B", "as_of": "2023-09-21", "value_low": "200", "value_high": "", "unit": "people"}])
    assert list(claims.superseded(rows)) == [True, False, False]
    # With the first-night count of 25 in the range, 50 would pass as correct; without it, not.
    got = claims.compute_verdict("quantity", "50", "exact", rows, "people")
    assert got.verdict == "incorrect" and "1 earlier count superseded" in got.explanation
    assert claims.compute_verdict("quantity", "213", "exact", rows, "people").verdict == "correct"


def test_date_rule():
    d = lambda *rows: ev(rows, "date")
    assert claims.compute_verdict("date", "2023-09-19", "", d(("2023-09-19", None))).verdict == "correct"
    assert claims.compute_verdict("date", "2022-09-20", "", d(("2022-09-19", None))).verdict == "partly correct"
    assert claims.compute_verdict("date", "2023-07-09", "", d(("2023-09-07", None))).verdict == "incorrect"
    assert claims.compute_verdict("date", "2009", "", d(("2009-10-10", None))).verdict == "correct"
    assert claims.compute_verdict("date", "2023-09-12", "", d(("2023-09-11", "2023-09-20"))).verdict == "correct"


def test_every_quote_is_the_seeds_own_words(reg):
    bad = [r.id for r in reg.itertuples() if not text.contains(r.quote_de)]
    assert bad == []


def test_ids_are_unique(reg):
    assert reg["id"].is_unique


def test_every_point_has_claims(reg):
    assert set(claims.POINTS) <= set(reg["point"])


def test_every_checkable_claim_has_a_resolving_source_or_says_what_was_searched(reg):
    keys = cite.bib_keys()
    for r in reg.itertuples():
        if r.type in claims.CHECKABLE_TYPES:
            srcs = data.split_keys(r.sources)
            assert srcs or (r.verdict == "unverifiable" and r.searched.strip()), r.id
            assert set(srcs) <= keys, r.id


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
    expect = [(r"^(Azerbaijani|Azerbaijan )", "azerbaijan"), (r"^Armenian (government|PM|MoD|MFA|Investigative|Statistical|presidency|National)", "armenia"),
              (r"^(Russian|Kremlin)", "russia"), (r"^(Karabakh|NKR)", "karabakh-armenian"),
              (r"^(US |French|German Federal)", "western"), (r"^(UNHCR|IMF|World Bank|SIPRI)", "international")]
    wrong = [(r.claim_id, r.party, r.perspective) for r in ev.itertuples() for rx, side in expect
             if re.match(rx, r.party) and r.perspective != side]
    assert wrong == []


def test_context_rows_are_shown_but_not_compared():
    rows = pd.DataFrame([
        {"party": "A", "as_of": "", "value_low": "2015-12-23", "value_high": "", "unit": "date", "role": ""},
        {"party": "B", "as_of": "", "value_low": "2016-06-30", "value_high": "", "unit": "date", "role": "context"}])
    # without the role, "June 2016" would pass as correct for a signing in December 2015
    assert claims.compute_verdict("date", "2016-06", "", rows).verdict == "incorrect"
    assert claims.compute_verdict("date", "2015-12", "", rows).verdict == "correct"

"""Replace copies with the originals or same-fact alternatives the audit found (originals_out_*.csv).

Run once from the repository root: python reviews/sources_2026-11-30b/apply_originals.py
Only swaps where the new source states the same fact and figure are made; each is listed here.
After the run, two new entries that duplicated existing ones (same URL) were merged into them.
"""
import csv
import io
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

# old key -> new entry
NEW = {
    "askerov_2020_16pct": dict(key="uscr_2002_wrs_azerbaijan", author="U.S. Committee for Refugees",
        title="World Refugee Survey 2002 - Azerbaijan", outlet="U.S. Committee for Refugees (on UNHCR Refworld)",
        url="https://www.refworld.org/reference/annualreport/uscri/2002/en/80028", date="", lang="en", tier="research",
        kw="independent"),
    "einpresswire_2022_trilateral_sep": dict(key="aljazeera_2022_blinken_fms", author="Al Jazeera",
        title="Blinken urges diplomacy as Armenia, Azerbaijan FMs meet", outlet="Al Jazeera",
        url="https://www.aljazeera.com/news/2022/9/19/blinken-urges-diplomacy-as-armenia-azerbaijan-fms-meet",
        date="2022-09-19", how="date from the page's address", lang="en", tier="news", kw="independent"),
    "einpresswire_2023_eu5m": dict(key="armradio_2023_eu5m", author="Public Radio of Armenia",
        title="EU provides €5 million in humanitarian aid to crisis-affected people of Nagorno-Karabakh",
        outlet="Public Radio of Armenia (en.armradio.am)",
        url="https://en.armradio.am/2023/09/26/eu-provides-e5-million-in-humanitarian-aid-to-crisis-affected-people-of-nagorno-karabakh/",
        date="2023-09-26", lang="en", tier="news", kw="armenia"),
    "ukpol_2023_osce": dict(key="armradio_2023_ukgallagher", author="Public Radio of Armenia",
        title="UK Ambassador to Armenia meets international organizations and displaced people in Goris",
        outlet="Public Radio of Armenia (en.armradio.am)",
        url="https://en.armradio.am/2023/10/04/uk-ambassador-to-armenia-meets-international-organizations-and-displaced-people-in-goris/",
        date="2023-10-04", lang="en", tier="news", kw="armenia"),
    "massispost_2016_duma": dict(key="rbth_2016_duma_airdefense", author="Russia Beyond the Headlines (TASS)",
        title="State Duma ratifies deal with Armenia on regional air defense in Caucasus",
        outlet="Russia Beyond the Headlines (source: TASS)",
        url="http://rbth.com/news/2016/12/14/state-duma-ratifies-deal-with-armenia-on-regional-air-defense-in-caucasus_657823",
        date="2016-12-14", lang="en", tier="news", kw="russia"),
    "hyetert_2024_goris_sisian": dict(key="armradio_2024_goris_sisian", author="Public Radio of Armenia",
        title="Russian peacekeepers head to Goris and Sisian to organize closure of temporary deployment sites, Armenia's top security official says",
        outlet="Public Radio of Armenia (en.armradio.am)",
        url="https://en.armradio.am/2024/04/22/russian-peacekeepers-head-to-goris-and-sisian-to-organize-closure-of-temporary-deployment-sites-armenias-top-security-official-says/",
        date="2024-04-22", lang="en", tier="news", kw="armenia"),
    "hyetert_2020_1960": dict(key="reuters_2020_peacekeepers_1960", author="Reuters (Vladimir Soldatkin)",
        title="Russian army says it starts sending peace keepers to Nagorno-Karabakh -RIA",
        outlet="Reuters, on National Post's wire page",
        url="https://nationalpost.com/pmn/news-pmn/russian-army-says-it-starts-sending-peace-keepers-to-nagorno-karabakh-ria",
        date="2020-11-09", how="as the stored page shows it, 'Nov 09, 2020', North American time; the Moscow 'Tuesday' it reports is 10 November",
        lang="en", tier="wire", kw="independent"),
    "armgov_2023_0929_report": dict(key="factor_2023_98625", author="Factor.am",
        title="Արցախից Հայաստան եկածների թիվը մոտենում է 100 հազարի [The number of arrivals from Artsakh in Armenia approaches 100,000]",
        outlet="Factor.am", url="https://factor.am/695519.html", date="", lang="hy", tier="news", kw="armenia",
        extra="reports the Armenian prime minister's press secretary's briefing of 29 September 2023, 20:00"),
    "pledgetimes_2023_6650": dict(key="lurer_2023_6650", author="Public Television of Armenia (1lurer.am)",
        title="As of 17:00, 6,650 forcibly displaced persons entered Armenia from Nagorno-Karabakh",
        outlet="1lurer.am (Public Television of Armenia)",
        url="https://1lurer.am/hy/2023/09/25/As-of-17-00-6-650-forcibly-displaced-persons-entered-Armenia-from-Nagorno-Karabakh/1002069",
        date="2023-09-25", how="date from the page's address", lang="hy", tier="news", kw="armenia"),
    "ria_2010_hold": dict(key="a1plus_2018_sargsyandeclares", author="A1+",
        title="Sargsyan declares Armenian-Turkish protocols null and void", outlet="A1+ (en.a1plus.am)",
        url="http://en.a1plus.am/1270591.html", date="2018-03-02", lang="en", tier="news", kw="armenia"),
    "liquisearch_geo_azerbaijan": dict(key="mfaaz_general", author="Ministry of Foreign Affairs of the Republic of Azerbaijan",
        title="Ümumi [General information]", outlet="Ministry of Foreign Affairs of the Republic of Azerbaijan",
        url="https://mfa.gov.az/az/category/umumi", date="", lang="az", tier="primary", kw="azerbaijan"),
    "kiwix_jabrayil_district": dict(key="aktualinfo_2020_jabrayil", author="Aktualinfo.org",
        title="Cəbrayıl və Füzuli rayonlarının işğalından 27 il ötür [27 years since the occupation of Jabrayil and Fuzuli]",
        outlet="Aktualinfo.org", url="https://aktualinfo.org/2020/08/23/c%c9%99brayil-v%c9%99-fuzuli-rayonlarinin-isgalindan-27-il-otur",
        date="2020-08-23", how="date from the page's address", lang="az", tier="news", kw="azerbaijan"),
    "goodnames_agdam_district": dict(key="mynews_agdam_liberated", author="MyNews.az",
        title="Ağdam rayonu işğaldan azad olundu [Agdam district liberated from occupation]", outlet="MyNews.az",
        url="https://mynews.az/news/social/58060-agdam-rayonu-isgaldan-azad-olundu", date="", lang="az", tier="news",
        kw="azerbaijan"),
    "liquisearch_geo_armenia": dict(key="fip_armenia_area", author="Fact Investigation Platform (FIP.am)",
        title="Armenia's area in school textbooks (fact-check)", outlet="Fact Investigation Platform (fip.am)",
        url="https://fip.am/24995", date="", lang="hy", tier="research", kw="armenia"),
    "osmarks_unsc822": dict(key="enwiki_unsc822", author="Wikipedia contributors",
        title="United Nations Security Council Resolution 822", outlet="Wikipedia (English)",
        url="https://en.wikipedia.org/wiki/United_Nations_Security_Council_Resolution_822", date="", lang="en",
        tier="reference", kw="international",
        extra="the UN's own text of S/RES/822 (1993) is not among the stored pages; the resolution demands the withdrawal of 'all occupying forces' where this page writes 'Armenian occupying forces'"),
}

# evidence rows rewritten: (claim_id, old key) -> new values
EVIDENCE = {
    ("P1-06", "askerov_2020_16pct"): dict(party="U.S. Committee for Refugees (World Refugee Survey 2002)", as_of="2002",
        note="Nagorno-Karabakh and surrounding provinces: 'about 16 percent'",
        source_words="Because Armenian forces continue to control Nagorno-Karabakh and surrounding provinces that make up about 16 percent of Azerbaijan's territory, the vast majority of the displaced cannot return to their home regions.",
        source_words_en=""),
    ("P6-21", "einpresswire_2022_trilateral_sep"): dict(party="Al Jazeera (independent)", perspective="independent",
        note="'on Monday', i.e. 19 Sept 2022, in New York (the State Department's readout itself is not among the stored pages)",
        source_words="Blinken hosted Armenian Foreign Minister Ararat Mirzoyan and Azerbaijani Foreign Minister Jeyhun Bayramov at a New York City hotel on Monday on the sidelines of the annual United Nations General Assembly.",
        source_words_en="", as_of="2022-09-19"),
    ("P2-12", "massispost_2016_duma"): dict(party="Russian State Duma (via RBTH/TASS)", as_of="2016-12-14",
        note="Duma ratification reported 14 Dec 2016",
        source_words="The State Duma, the lower house of Russia’s parliament, has ratified an agreement between Russia and Armenia on creating the regional united air defense system in the Caucasian collective security region.",
        source_words_en=""),
    ("P2-03", "ria_2010_hold"): dict(party="Armenian presidency (as A1+ recalled it in 2018)",
        note="Decree suspending ratification; not a parliamentary rejection",
        source_words="on April 22, 2010 the President of the Republic of Armenia signed a decree on the suspension of the process of ratifications of the Protocols.",
        source_words_en=""),
}
# other files: (file, old key) -> {column: (old, new)} edits on the rows that carry the key
OTHER = {
    ("events.csv", "massispost_2016_duma"): {"date": ("2016-12-15", "2016-12-14")},
    ("exodus_arrivals.csv", "pledgetimes_2023_6650"): {"note": ("as of afternoon", "as of 17:00")},
    ("official_areas.csv", "liquisearch_geo_azerbaijan"): {"party": ("Wikipedia (via LiquiSearch)", "Ministry of Foreign Affairs of Azerbaijan")},
    ("official_areas.csv", "liquisearch_geo_armenia"): {"party": ("Wikipedia (via LiquiSearch)", "FIP.am (fact-check of textbook figures)"),
                                                        "note": ("land 28,454; water 1,289 (older split)", "the figure printed in Armenia's school textbooks")},
    ("official_areas.csv", "kiwix_jabrayil_district"): {"party": ("Wikipedia (kiwix 2020-06)", "Aktualinfo.org (Azerbaijani news), 2020")},
    ("official_areas.csv", "goodnames_agdam_district"): {"party": ("Wikipedia (IPFS mirror)", "MyNews.az (Azerbaijani news)"),
                                                         "note": ("increased from 1,093 km2 after USSR dissolution", "")},
}


def bib_entry(e):
    date = e.get("date", "")
    lines = [f"@misc{{{e['key']},", f"  author = {{{{{e['author']}}}}},", f"  title = {{{e['title']}}},",
             f"  organization = {{{e['outlet']}}},", f"  howpublished = {{{e['outlet']}}},", f"  url = {{{e['url']}}},",
             "  urldate = {2026-11-30},"]
    if date:
        lines += [f"  date = {{{date}}},", f"  year = {{{date[:4]}}},", f"  month = {MONTHS[int(date[5:7]) - 1]},"]
        when = f"Published {date}" + (f" ({e['how']})" if e.get("how") else "")
    else:
        lines.append("  year = {n.d.},")
        when = "No publication date shown on the stored page"
    extra = f"; {e['extra']}" if e.get("extra") else ""
    lines += [f"  langid = {{{e['lang']}}},", f"  keywords = {{{e['kw']}}},",
              f"  note = {{{when}{extra}; accessed 2026-11-30}},", f"  tier = {{{e['tier']}}}", "}"]
    return "\n".join(lines) + "\n\n"


def rewrite_csv(path, fn):
    text = path.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    out = [header] + [fn(dict(zip(header, r)), header) for r in body]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(out)
    path.write_text(buf.getvalue(), encoding="utf-8")


def main():
    data = ROOT / "data"
    for path in sorted(data.glob("*.csv")):
        def fn(row, header, name=path.name):
            keycols = [c for c in header if c in ("source_key", "sources", "source_keys")]
            for c in keycols:
                for old, e in NEW.items():
                    if old in re.split(r"[;,\s]+", row[c]):
                        if name == "evidence.csv" and (row["claim_id"], old) in EVIDENCE:
                            row.update(EVIDENCE[(row["claim_id"], old)])
                        for col, (a, b) in OTHER.get((name, old), {}).items():
                            assert row[col] == a or a in row[col], (name, old, col, row[col])
                            row[col] = row[col].replace(a, b)
                        row[c] = re.sub(rf"\b{re.escape(old)}\b", e["key"], row[c])
            return [row[h] for h in header]
        rewrite_csv(path, fn)
    bib_path = ROOT / "references.bib"
    bib = bib_path.read_text(encoding="utf-8")
    for old, e in NEW.items():
        m = re.search(r"@\w+\{" + re.escape(old) + r",.*?\n\}\n*", bib, re.S)
        assert m, old
        bib = bib[:m.start()] + bib_entry(e) + bib[m.end():]
    bib_path.write_text(bib.rstrip("\n") + "\n", encoding="utf-8")
    for ch in (ROOT / "chapters").glob("*.md"):
        t = ch.read_text(encoding="utf-8")
        for old, e in NEW.items():
            t = re.sub(rf"\b{re.escape(old)}\b", e["key"], t)
        ch.write_text(t, encoding="utf-8")


if __name__ == "__main__":
    main()

"""Third source round: replace copies with the pages of copies3_out_*.csv that state the same fact
(or are the original), drop copies a claim's other sources make redundant, and re-tier the party's
own sites. Decisions were taken by reading each row against the claim it serves (see README.md).

Run once from the repository root: python reviews/sources_2026-12-01/apply_copies3.py
"""
import csv
import io
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
# copy key -> (start of the replacement's URL, new key)
REPLACE = {
    "a1plus_2023_mfa_statement": ("https://www.hetq.am/en/article/160205", "hetq_2023_mfa_statement"),
    "plqaz_qubadli_district": ("https://hr.wikipedia.org/wiki/Kubatlinski", "hrwiki_qubadli_district"),
    "armenian_2011_medvedevapproves": ("https://www.unian.ua/economics/other/392634", "unian_2010_gyumri2044"),
    "rambler_nd_page": ("https://news.am/eng/news/774020", "newsam_2023_gonchar_trade"),
    "aa_2023_cstoindestructible": ("https://osnmedia.ru/?p=1055131", "osn_2023_nine_exercises"),
    "mirrorspectator_2018_annulled": ("http://en.a1plus.am/1270591", "a1plus_2018_protocols_void"),
    "newspravda_2026_sumgait": ("https://abcmedia.am/norutyunner/238478", "abcmedia_2026_sumgait"),
    "osmarks_wp2020_martakert": ("https://lt.m.wikipedia.org/wiki/Mardakertas", "ltwiki_martakert"),
    "einpresswire_2023_eu17m": ("https://evangelisch.de/inhalte/222621", "epd_2023_eu_aid"),
    "moheet_reuters_mig29": ("https://massispost.com/2015/12/russia-deploys", "massispost_2015_erebuni"),
    "xocali_unsc874": ("https://en.wikipedia.org/wiki/United_Nations_Security_Council_Resolution_874", "enwiki_unsc874"),
    "docslib_bloodymemory": ("https://m.sputnik.az/20220120", "sputnikaz_2022_january20"),
    "alwakeel_2023_aawsat_peskov": ("https://az.sputniknews.ru/20230907", "sputnikaz_2023_peskov_drills"),
    "ksaplayers_2023_aa_arabic": ("https://www.anews.com.tr/world/2023/09/22", None),
    "nkse_1988_resolution": ("https://panarmenian.net/m/eng/news/28675", "panarmenian_2009_karabakh21"),
    "lexetius_2006_bverwg": ("http://www.hamburg.de/innenbehoerde", "hamburg_2003_hut_ban"),
    "lawglobalhub_unsc853": ("https://insightkarabakh.com/2020/10/30", "insightkarabakh_2020_unsc853"),
    "ipfs_wp_hadrut": ("http://de.wikipedia.org/wiki/Hadrut", "dewiki_hadrut"),
    "piglix_nagorno_karabakh": ("https://is.wikipedia.org/wiki/Nagorno-Karabakh", "iswiki_nagorno_karabakh"),
    "armenianclub_2008_gul": ("https://www.vesti.ru/article/2197435", "vesti_2009_gul_thaw"),
    "einpresswire_2022_blairhouse": ("https://turan.az/en/politics/blinken-hosts", "turan_2022_blairhouse"),
    "hyetert_2023_tassdemand": ("https://zagreb.mfa.gov.az/en/news/no50323", "azmfa_2023_no503"),
    "pavlodar_cst_text": ("https://novayagazeta.eu/amp/articles/2024/06/14", "novayagazeta_2024_csto_art4"),
    "alwakeel_2023_kremlin_noted": ("https://www.thenationalnews.com/world/europe/2023/09/28", "thenational_2023_kremlin_noted"),
    "blackgarden_dewaal": ("http://articles.chicagotribune.com/1988-07-19", "chicagotribune_1988_reject"),
    "lebaneseforces_2023_colonna": ("https://epochtimes.fr/karabakh-paris-demande", "epochtimesfr_2023_colonna"),
}
# The amnesty.org Russian page is the original, but its stored text stops before the "up to
# 800,000" the evidence row records: the copy stays until a checker reads the full page.
# evidence rows whose party named the copy: (claim, old key) -> (party, perspective)
PARTY = {
    ("P1-02", "nkse_1988_resolution"): ("NKAO regional soviet (as reported by PanARMENIAN.Net)", "karabakh-armenian"),
    ("P2-13", "moheet_reuters_mig29"): ("Russian MoD (via Massis Post)", "russia"),
    ("P3-03", "armenianclub_2008_gul"): ("Vesti.ru (VGTRK)", "russia"),
    ("P3-13", "alwakeel_2023_aawsat_peskov"): ("Kremlin (Peskov) via Sputnik Azerbaijan", "russia"),
    ("P3-14", "aa_2023_cstoindestructible"): ("Russian MoD (via OSN)", "russia"),
}
# copy key -> claims from whose source list it is dropped (their other sources state the fact)
DROP = {
    "almontasaf_2023_60positions": ["P4-04"],
    "thenational_2023_kremlin_noted": ["P5-14"],
}
# the party's own regional sites publish its answers: the speaker's own publication
RETIER = {"tahririraq_2023_karabakh_ar": "primary", "attahrir_2020_conflict_ar": "primary"}
# the perspective keyword of each new entry (as for every entry of references.bib)
PERSPECTIVE = {
    "hetq_2023_mfa_statement": "armenia", "hrwiki_qubadli_district": "other", "unian_2010_gyumri2044": "other",
    "newsam_2023_gonchar_trade": "armenia", "osn_2023_nine_exercises": "russia", "a1plus_2018_protocols_void": "armenia",
    "abcmedia_2026_sumgait": "armenia", "ltwiki_martakert": "other", "epd_2023_eu_aid": "western",
    "massispost_2015_erebuni": "armenia", "enwiki_unsc874": "other", "sputnikaz_2022_january20": "russia",
    "sputnikaz_2023_peskov_drills": "russia", "panarmenian_2009_karabakh21": "armenia", "hamburg_2003_hut_ban": "western",
    "insightkarabakh_2020_unsc853": "azerbaijan", "dewiki_hadrut": "other", "iswiki_nagorno_karabakh": "other",
    "vesti_2009_gul_thaw": "russia", "turan_2022_blairhouse": "azerbaijan", "azmfa_2023_no503": "azerbaijan",
    "novayagazeta_2024_csto_art4": "independent", "thenational_2023_kremlin_noted": "other",
    "chicagotribune_1988_reject": "western", "amnesty_2023_statement_ru": "international",
    "epochtimesfr_2023_colonna": "western",
}
LANG = {"en", "ru", "fr", "de", "hy", "az", "ar", "tr", "uk", "hr", "lt", "is", "pt"}


def rows():
    out = {}
    for f in sorted(HERE.glob("copies3_out_*.csv")):
        for r in csv.DictReader(open(f, encoding="utf-8")):
            for old, (url, _) in REPLACE.items():
                if r["key"] == old and r["url"].strip().startswith(url) and r["status"] in ("same_fact_found", "original_found"):
                    out[old] = r
    missing = set(REPLACE) - set(out)
    assert not missing, missing
    return out


def bib_entry(key, r, old):
    url = r["url"].strip()
    date = r["date"].strip() if re.fullmatch(r"\d{4}(-\d{2}){0,2}", r["date"].strip()) else ""
    title = r["title"].strip()
    if not title or title.startswith("("):
        title = f"(untitled page at {url.split('/')[2]})"
    lines = [f"@misc{{{key},", f"  author = {{{{{r['outlet']}}}}},", f"  title = {{{title}}},",
             f"  organization = {{{r['outlet']}}},", f"  howpublished = {{{r['outlet']}}},", f"  url = {{{url}}},",
             "  urldate = {2026-12-01},"]
    if date:
        lines += [f"  date = {{{date}}},", f"  year = {{{date[:4]}}},"]
        if len(date) >= 7:
            lines.append(f"  month = {MONTHS[int(date[5:7]) - 1]},")
        when = f"Published {date}"
    else:
        lines.append("  year = {n.d.},")
        when = "No publication date shown on the stored page"
    lang = r["language"].strip()[:2]
    lines += [f"  langid = {{{lang if lang in LANG else 'en'}}},", f"  keywords = {{{PERSPECTIVE[key]}}},",
              f"  note = {{{when}; replaces a copy ({old.replace('_', chr(92) + '_')}); accessed 2026-12-01}},",
              f"  tier = {{{r['tier'].strip()}}}", "}"]
    return "\n".join(lines) + "\n\n"


def main():
    found = rows()
    bib_path = ROOT / "references.bib"
    bib = bib_path.read_text(encoding="utf-8")
    url_key = {m.group(2).strip(): m.group(1) for m in re.finditer(r"@\w+\{([^,]+),.*?url = \{([^}]*)\}", bib, re.S)}
    new_key, entries = {}, {}
    for old, r in found.items():
        url = r["url"].strip()
        if url in url_key:
            new_key[old] = url_key[url]
            continue
        key = REPLACE[old][1]
        assert key not in url_key.values(), key
        new_key[old] = key
        entries[key] = bib_entry(key, r, old)
    for path in sorted((ROOT / "data").glob("*.csv")):
        text = path.read_text(encoding="utf-8")
        table = list(csv.reader(io.StringIO(text)))
        header = table[0]
        changed = False
        for row in table[1:]:
            d = dict(zip(header, row))
            for old, key in new_key.items():
                if not any(old == v or old in re.split(r"[;,\s]+", v) for v in row):
                    continue
                r = found[old]
                if path.name == "evidence.csv" and d["source_key"] == old:
                    d["source_words"], d["source_words_en"] = r["words"], r["words_en"]
                    d["party"], d["perspective"] = PARTY.get((d["claim_id"], old), (d["party"], d["perspective"]))
                if path.name == "source_words.csv" and d["source_key"] == old:
                    d["words"], d["words_en"] = r["words"], r["words_en"]
                for c in header:
                    d[c] = re.sub(rf"\b{re.escape(old)}\b", key, d[c])
                    if c in ("sources", "source_key") and ";" in d[c]:  # one key once
                        d[c] = ";".join(dict.fromkeys(d[c].split(";")))
                changed = True
            if path.name == "claims.csv":
                for gone, ids in DROP.items():
                    if d["id"] in ids:
                        keys = [k for k in d["sources"].split(";") if k != gone]
                        assert keys, d["id"]
                        d["sources"] = ";".join(keys)
                        changed = True
            row[:] = [d[c] for c in header]
        if changed:
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerows(table)
            path.write_text(buf.getvalue(), encoding="utf-8")
    for old in new_key:
        m = re.search(r"@\w+\{" + re.escape(old) + r",.*?\n\}\n*", bib, re.S)
        bib = bib[: m.start()] + bib[m.end():]
    for gone in DROP:  # a dropped copy that nothing else cites leaves the bibliography
        m = re.search(r"@\w+\{" + re.escape(gone) + r",.*?\n\}\n*", bib, re.S)
        if m and gone not in new_key.values():
            bib = bib[: m.start()] + bib[m.end():]
    for key, tier in RETIER.items():
        m = re.search(r"(@\w+\{" + re.escape(key) + r",.*?tier = \{)copy(\})", bib, re.S)
        bib = bib[: m.start()] + m.group(1) + tier + m.group(2) + bib[m.end():]
    bib = bib.rstrip("\n") + "\n\n" + "".join(entries.values())
    bib_path.write_text(bib.rstrip("\n") + "\n", encoding="utf-8")
    for ch in (ROOT / "chapters").glob("*.md"):
        t = ch.read_text(encoding="utf-8")
        for old, key in new_key.items():
            t = re.sub(rf"\b{re.escape(old)}\b", key, t)
        ch.write_text(t, encoding="utf-8")
    print(len(new_key), "copies replaced;", len(entries), "new entries;", len(RETIER), "re-tiered")


if __name__ == "__main__":
    main()

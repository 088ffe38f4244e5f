"""Replace copies with the non-copy pages of the second audit (alternatives_out_*.csv) where they
state the same fact and figure in full (rows the audit marked partial are left for later).

Run once from the repository root: python reviews/sources_2026-11-30b/apply_alternatives.py
After the run, six generated keys were renamed to readable ones and each new entry's perspective
keyword set by hand (see the commit).
"""
import csv
import io
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
ACCEPTED = """arabkhabar_2023_peskov eurasiareview_2023_decree_void koreanewsdigest_2016_ratify massispost_2018_scraps
newsintl_2010_halts researcherlife_csto voa_2009_clinton armenianclub_2017_cavusoglu washingtontimes_1997_arms
francais_2023_francedemande moscow_2023_page aa_2023_90positions arabkhabar_2023_baerbock arabkhabar_2023_peskovconcern
armradio_2023_200dead djazairess_2023_obrien govmemo_2023_francemfa icg_2012_idp newspravda_2025_minskclosed
azmfa_2021_khojaly armenian_nd_armeniaturkey sauress_nd_armeniaazerbaijan tehelka_nd_armeniaazerbaijan
tut_nd_turkischebanken""".split()
PARTY = {("P4-04", "aa_2023_90positions"): "Azerbaijani MoD (Eyvazov) via News.ru"}
LANG = {"en": "en", "ru": "ru", "fr": "fr", "de": "de", "hy": "hy", "az": "az", "ar": "ar", "mk": "mk", "uk": "uk"}


def slug(s):
    return re.sub(r"[^a-z0-9]+", "", s.lower())[:14] or "page"


def main():
    alts = {}
    for f in sorted(HERE.glob("alternatives_out_*.csv")):
        for r in csv.DictReader(open(f, encoding="utf-8")):
            if r["key"] in ACCEPTED:
                alts[r["key"]] = r
    bib_path = ROOT / "references.bib"
    bib = bib_path.read_text(encoding="utf-8")
    url_key = {m.group(2).strip(): m.group(1) for m in re.finditer(r"@\w+\{([^,]+),.*?url = \{([^}]*)\}", bib, re.S)}
    new_key, entries = {}, {}
    for old, r in alts.items():
        url = r["url"].strip()
        if url in url_key:
            new_key[old] = url_key[url]
            continue
        date = r["date"].strip() if re.fullmatch(r"\d{4}(-\d{2}){0,2}", r["date"].strip()) else ""
        key = f"{slug(r['outlet'])}_{date[:4] or 'nd'}_{slug(r['title'] or url.rsplit('/', 1)[-1])}"
        while key in url_key.values() or key in entries:
            key += "x"
        url_key[url] = key
        new_key[old] = key
        lines = [f"@misc{{{key},", f"  author = {{{{{r['outlet']}}}}},",
                 f"  title = {{{r['title'] or '(untitled page at ' + url.split('/')[2] + ')'}}},",
                 f"  organization = {{{r['outlet']}}},", f"  howpublished = {{{r['outlet']}}},", f"  url = {{{url}}}",
                 ]
        lines[-1] += ","
        lines.append("  urldate = {2026-11-30},")
        if date:
            lines += [f"  date = {{{date}}},", f"  year = {{{date[:4]}}},"]
            if len(date) >= 7:
                lines.append(f"  month = {MONTHS[int(date[5:7]) - 1]},")
            how = " (date from the page's address)" if "address" in r["note"] or "URL" in r["note"] else ""
            when = f"Published {date}{how}"
        else:
            lines.append("  year = {n.d.},")
            when = "No publication date shown on the stored page"
        lines += [f"  langid = {{{LANG.get(r['language'].strip()[:2], 'en')}}},", "  keywords = {independent},",
                  f"  note = {{{when}; replaces a copy ({old.replace('_', chr(92) + '_')}); accessed 2026-11-30}},",
                  f"  tier = {{{r['tier']}}}", "}"]
        entries[key] = "\n".join(lines) + "\n\n"
    # data: swap keys; words from the new page where a row quotes the copy
    for path in sorted((ROOT / "data").glob("*.csv")):
        text = path.read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(text)))
        header = rows[0]
        changed = False
        for row in rows[1:]:
            d = dict(zip(header, row))
            for old, key in new_key.items():
                hit = any(old == v or old in re.split(r"[;,\s]+", v) for v in row)
                if not hit:
                    continue
                r = alts[old]
                if path.name == "evidence.csv" and d["source_key"] == old:
                    d["source_words"], d["source_words_en"] = r["words"], r["words_en"]
                    d["party"] = PARTY.get((d["claim_id"], old), d["party"])
                if path.name == "source_words.csv" and d["source_key"] == old:
                    d["words"], d["words_en"] = r["words"], r["words_en"]
                for c in header:
                    d[c] = re.sub(rf"\b{re.escape(old)}\b", key, d[c])
                row[:] = [d[c] for c in header]
                changed = True
        if changed:
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerows(rows)
            path.write_text(buf.getvalue(), encoding="utf-8")
    for old in new_key:
        m = re.search(r"@\w+\{" + re.escape(old) + r",.*?\n\}\n*", bib, re.S)
        if m:
            bib = bib[:m.start()] + bib[m.end():]
    bib = bib.rstrip("\n") + "\n\n" + "".join(entries.values())
    bib_path.write_text(bib.rstrip("\n") + "\n", encoding="utf-8")
    for ch in (ROOT / "chapters").glob("*.md"):
        t = ch.read_text(encoding="utf-8")
        for old, key in new_key.items():
            t = re.sub(rf"\b{re.escape(old)}\b", key, t)
        ch.write_text(t, encoding="utf-8")
    print(len(new_key), "copies replaced;", len(entries), "new entries")


if __name__ == "__main__":
    main()

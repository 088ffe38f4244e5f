"""Fourth source round: per-row decisions of copies4_out_*.csv for the twelve copies whose every use
is covered by a non-copy page (replace) or by a source the row already cites (redundant).

Run once from the repository root: python reviews/sources_2026-12-01/apply_copies4.py
The cards' evidence texts that named the copies were then edited by hand (see the commit).
"""
import csv
import io
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
KEYS = """einpresswire_2023_brussels hrw_1993_bombing kavkazuzel_2013_memorial knowledgr_fuzuli liquisearch_102
liquisearch_nkr_divisions mirrorspectator_2023_repubblica perceptioes_kalbajar ria_2024_consul_turkey
topwar_erebuni xinhua_2018_iskander""".split()
# replacement page (start of URL) -> (new key, perspective keyword)
PAGES = {
    "https://ansa.it/amp/europa/notizie/rubriche/altrenews/2023/09/26": ("ansa_2023_brussels", "western"),
    "https://sco.wikipedia.org/wiki/Fuzuli_Rayon": ("scowiki_fuzuli", "other"),
    "https://minval.biz/news/60150": ("minval_fuzuli", "azerbaijan"),
    "http://www.panarmenian.net/eng/world/news/65584": ("panarmenian_102base", "armenia"),
    "https://en.wikipedia.org/wiki/Armenian-occupied_territories": ("enwiki_occupied_territories", "other"),
    "https://1news.az/news/20070823102633936": ("onenews_2007_fizuli", "azerbaijan"),
    "http://az.wikipedia.org/wiki/K%C9%99lb%C9%99c%C9%99r_rayonu": ("azwiki_kalbajar", "other"),
    "https://en.vestikavkaza.ru/material/166407": ("vestnikkavkaza_2024_buravov", "russia"),
    "https://massispost.com/2015/12/russia-deploys": ("massispost_2015_erebuni", "armenia"),
    "https://ko.wikipedia.org/wiki/": ("kowiki_102base", "other"),
    "https://sputniknews.com/russia/201704161052686011": ("sputnik_2017_iskander", "russia"),
    "https://beta.vietnamplus.vn/nga-se-duoc-trang-bi": ("vietnamplus_iskander", "other"),
    "https://expresso.pt/internacional/2023-09-03": ("expresso_2023_pashinyan", "western"),
    "https://tass.com/politics/1669525": ("tass_2023_pushrussia", "russia"),
    "https://ostro.org/news/prem-yer-virmeniyi": ("ostro_2023_pashinyan", "other"),
}
# rows with one source (evidence, quoted words): which of two pages carries the quoted words
ONE = {("data/evidence.csv", "xinhua_2018_iskander"): "vietnamplus_iskander"}
# evidence rows whose party named the copy
PARTY = {
    ("P7-08", "einpresswire_2023_brussels"): "European Council (as reported by ANSA)",
    ("P8a-03", "ria_2024_consul_turkey"): "Russian government (Consul General in Istanbul, via Vestnik Kavkaza)",
    ("P2-16", "xinhua_2018_iskander"): "Xinhua (via Vietnam News Agency; Iskander-M range)",
}
LANGS = {"en", "ru", "fr", "de", "hy", "az", "ar", "tr", "uk", "it", "pt", "ko", "vi", "sco"}


def page_key(url):
    for start, (key, _) in PAGES.items():
        if url.startswith(start):
            return key
    raise KeyError(url)


def bib_entry(key, r, old):
    url = r["url"].strip()
    date = r["date"].strip() if re.fullmatch(r"\d{4}(-\d{2}){0,2}", r["date"].strip()) else ""
    title = r["title"].strip()
    if not title or title.startswith("("):
        title = f"(untitled page at {url.split('/')[2]})"
    persp = next(p for s, (k, p) in PAGES.items() if k == key)
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
    lang = r["language"].strip()
    lines += [f"  langid = {{{lang if lang in LANGS else 'en'}}},", f"  keywords = {{{persp}}},",
              f"  note = {{{when}; replaces a copy ({old.replace('_', chr(92) + '_')}); accessed 2026-12-01}},",
              f"  tier = {{{r['tier'].strip()}}}", "}"]
    return "\n".join(lines) + "\n\n"


def main():
    rows = []
    for f in sorted(HERE.glob("copies4_out_*.csv")):
        rows += [r for r in csv.DictReader(open(f, encoding="utf-8")) if r["key"] in KEYS]
    bib_path = ROOT / "references.bib"
    bib = bib_path.read_text(encoding="utf-8")
    url_key = {m.group(2).strip(): m.group(1) for m in re.finditer(r"@\w+\{([^,]+),.*?url = \{([^}]*)\}", bib, re.S)}
    known = set(url_key.values())
    entries, plan = {}, {}
    for r in rows:
        if r["use"] == "all" or ":" not in r["use"]:
            continue
        path, line = r["use"].rsplit(":", 1)
        item = plan.setdefault((path, int(line), r["key"]), {"decision": r["decision"], "pages": []})
        if r["decision"] == "replace":
            url = r["url"].strip()
            key = url_key.get(url) or page_key(url)
            if key not in known and key not in entries:
                entries[key] = bib_entry(key, r, r["key"])
            item["pages"].append((key, r))
    for path in sorted({p for p, _, _ in plan}):
        if not path.startswith("data/"):
            continue
        text = (ROOT / path).read_text(encoding="utf-8")
        table = list(csv.reader(io.StringIO(text)))
        header = table[0]
        col = "sources" if path.endswith("claims.csv") else "source_key"
        for (p, line, old), item in plan.items():
            if p != path:
                continue
            d = dict(zip(header, table[line - 1]))
            keys = [k for k in d[col].split(";") if k]
            assert old in keys, (path, line, old)
            new = [k for k, _ in item["pages"]]
            if path.endswith(("evidence.csv", "source_words.csv")):
                assert item["decision"] == "replace", (path, line)
                key = ONE.get((path, old), new[0])
                r = dict(item["pages"])[key]
                d["source_key"] = key
                if path.endswith("evidence.csv"):
                    d["source_words"], d["source_words_en"] = r["words"], r["words_en"]
                    d["party"] = PARTY.get((d["claim_id"], old), d["party"])
                else:
                    d["words"], d["words_en"] = r["words"], r["words_en"]
            else:
                at = keys.index(old)
                keys[at : at + 1] = [k for k in dict.fromkeys(new) if k not in keys]
                assert keys, (path, line)
                d[col] = ";".join(keys)
            table[line - 1] = [d[c] for c in header]
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(table)
        (ROOT / path).write_text(buf.getvalue(), encoding="utf-8")
    # a quoted-words row's source is among its claim's sources
    claims_path = ROOT / "data/claims.csv"
    claims = list(csv.reader(io.StringIO(claims_path.read_text(encoding="utf-8"))))
    h = claims[0]
    words = list(csv.DictReader(open(ROOT / "data/source_words.csv", encoding="utf-8")))
    for row in claims[1:]:
        d = dict(zip(h, row))
        keys = [k for k in d["sources"].split(";") if k]
        for w in words:
            if w["claim_id"] == d["id"] and w["source_key"] not in keys:
                keys.append(w["source_key"])
        d["sources"] = ";".join(keys)
        row[:] = [d[c] for c in h]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(claims)
    claims_path.write_text(buf.getvalue(), encoding="utf-8")
    used = "\n".join(p.read_text(encoding="utf-8") for p in [*(ROOT / "data").glob("*.csv"), *(ROOT / "chapters").glob("*.md")])
    gone = []
    for old in KEYS:
        if not re.search(rf"\b{re.escape(old)}\b", used):
            m = re.search(r"@\w+\{" + re.escape(old) + r",.*?\n\}\n*", bib, re.S)
            bib = bib[: m.start()] + bib[m.end():]
            gone.append(old)
    bib = bib.rstrip("\n") + "\n\n" + "".join(entries.values())
    bib_path.write_text(bib.rstrip("\n") + "\n", encoding="utf-8")
    print(len(gone), "copies gone:", gone, "|", len(entries), "new entries")


if __name__ == "__main__":
    main()

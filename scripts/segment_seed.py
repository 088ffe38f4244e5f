"""Cut the seed into segments and write data/segments.csv.

The German column is derived from seeds/ by karabakh_book.text.split_segments (one documented
normalisation rule); the English column is our own rendering and is kept from the existing file
(or read from a JSON list of {"id", "text_en"} given as the first argument).
"""

import csv
import json
import sys

from karabakh_book import paths, text

out = paths.DATA / "segments.csv"
english = {}
if len(sys.argv) > 1:
    english = {d["id"]: d["text_en"] for d in json.load(open(sys.argv[1], encoding="utf-8"))}
elif out.exists():
    english = {r["id"]: r["text_en"] for r in csv.DictReader(open(out, encoding="utf-8"))}
with open(out, "w", encoding="utf-8", newline="") as fh:
    w = csv.DictWriter(fh, fieldnames=["id", "point", "order", "text_de", "text_en"], lineterminator="\n")
    w.writeheader()
    for seg in text.split_segments():
        w.writerow({**seg, "text_en": english.get(seg["id"], "")})
print(f"wrote {out}")

"""Snowball stemming versus the spaCy lemma lookup table for Danish word forms.

Usage:  python bench/wordforms_bench.py [PATH/da_lemma_lookup.json.gz]

The lookup table ships inside the spacy-lookups-data wheel (about 98 MB for all
languages); pass its Danish file to compare. Measures, on hand-made inflection groups of
words from the codebook's domain: how many groups are kept together (all forms give the
same key), how many different words are wrongly merged, and the time per word.
"""

from __future__ import annotations

import gzip
import json
import sys
import time

from effektspor.text.wordforms import _STEMMER

GROUPS = [
    ["råd", "rådet", "rådene", "råds"], ["vejledning", "vejledningen", "vejledninger"],
    ["tage", "tager", "tog", "taget"], ["aflyse", "aflyser", "aflyste", "aflyst"],
    ["trøste", "trøster", "trøstede", "trøstet"], ["hjælpe", "hjælper", "hjalp", "hjulpet"],
    ["tvivl", "tvivlen"], ["tvivle", "tvivler", "tvivlede"], ["usikker", "usikre", "usikkert"],
    ["overveje", "overvejer", "overvejede"], ["kontakt", "kontakten"],
    ["øjenkontakt", "øjenkontakten"], ["ændre", "ændrer", "ændrede", "ændret", "ændres"],
    ["justere", "justerer", "justerede", "justeret", "justeres"],
    ["samtale", "samtalen", "samtaler", "samtalerne"], ["mor", "moren", "mors"],
    ["frustreret", "frustrerede"], ["vred", "vredt", "vrede"], ["møde", "mødet", "møder"],
    ["forældre", "forældrene"], ["barn", "barnet", "børn", "børnene"],
    ["stemning", "stemningen"], ["reaktion", "reaktionen", "reaktioner"],
    ["give", "giver", "gav", "givet"], ["se", "ser", "så", "set"],
]
DIFFERENT = [("råd", "rådgiver"), ("mor", "mord"), ("far", "fare"), ("tage", "tag"),
             ("møde", "mod"), ("kontakt", "kontakte"), ("vred", "vrede"), ("tvivl", "tvivle")]


def evaluate(name: str, key) -> None:
    kept = sum(1 for group in GROUPS if len({key(w) for w in group}) == 1)
    merged = sum(1 for a, b in DIFFERENT if key(a) == key(b))
    words = [w for group in GROUPS for w in group] * 2000
    started = time.perf_counter()
    for word in words:
        key(word)
    per_word = (time.perf_counter() - started) / len(words) * 1e6
    print(f"{name:30s} grupper samlet {kept}/{len(GROUPS)}, "
          f"forskellige ord slået sammen {merged}/{len(DIFFERENT)}, {per_word:.2f} µs/ord "
          "(uden cache)")


def main() -> None:
    evaluate("Snowball (snowballstemmer)", _STEMMER.stemWord)
    if len(sys.argv) > 1:
        with gzip.open(sys.argv[1], "rt", encoding="utf-8") as handle:
            table = json.load(handle)
        print(f"opslagstabel: {len(table)} ordformer")
        evaluate("spaCy-opslag (lemma)", lambda w: table.get(w, w))


if __name__ == "__main__":
    main()

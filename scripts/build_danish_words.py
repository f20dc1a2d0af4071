"""Build ``effektspor/data/privacy/da_ord_stavekontrolden.txt`` from the Danish hunspell dictionary.

    apt-get install hunspell-da        # Debian's package of Stavekontrolden (da_DK)
    python scripts/build_danish_words.py /usr/share/hunspell/da_DK.dic /usr/share/hunspell/da_DK.aff

The dictionary is Stavekontrolden (Foreningen for frit tilgængelige sprogværktøjer,
stavekontrolden.dk), licensed GPL 2.0 / LGPL 2.1 / MPL 1.1 (tri-licence). effektspor uses it
under the MPL 1.1 option (MPL 2.0 is its successor; the file keeps its own licence header and
attribution, see NOTICE). The output keeps what the name recogniser needs:

* ``[endelser]``: the suffix rules (flag, stripped, added, condition) of the affix file;
* ``[ord]``: every lower-case entry (and capitalised common nouns, lower-cased) with the
  suffix flags it takes, so that an inflected form ("huset", "stolenes") is recognised as
  an ordinary word by stripping a suffix at look-up time (no expanded list to load);
* ``[steder]``: proper nouns marked as places (flag 54: "Zagreb", "Jugoslavien", "Foulum");
* ``[egennavne]``: other proper nouns (flag 9: mostly first names and surnames from many
  languages, some firms and products).

Nothing in it is derived from any other source.
"""

from __future__ import annotations

import sys
from pathlib import Path

OUTPUT = (Path(__file__).resolve().parents[1] / "src" / "effektspor" / "data" / "privacy"
          / "da_ord_stavekontrolden.txt")
PROPER_NOUN = "9"
PLACE = "54"
FORBIDDEN = "6"

HEADER = """\
# Danske ord, stednavne og egennavne fra Stavekontrolden (da_DK, version {version}).
# Copyright (C) Foreningen for frit tilgængelige sprogværktøjer, www.stavekontrolden.dk.
# Licens: GPL 2.0 / LGPL 2.1 / MPL 1.1 (tri-licens); effektspor bruger filen under MPL 1.1.
# Udtrukket med scripts/build_danish_words.py af Debians pakke hunspell-da (ikke redigeret).
"""


def _suffix_rules(aff: list[str]) -> tuple[list[str], set[str]]:
    rules: list[str] = []
    flags: set[str] = set()
    for line in aff:
        parts = line.split()
        if len(parts) < 5 or parts[0] != "SFX":
            continue
        flag, strip, add, condition = parts[1], parts[2], parts[3], parts[4]
        add, _, continuation = add.partition("/")
        strip = "" if strip == "0" else strip
        add = "" if add == "0" else add
        if not add and not strip:
            continue  # compounding markers only
        flags.add(flag)
        rules.append(f"{flag}\t{strip}\t{add}\t{condition}\t{continuation}")
    return rules, flags


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    dic = Path(argv[0]).read_text(encoding="utf-8").splitlines()
    aff = Path(argv[1]).read_text(encoding="utf-8").splitlines()
    version = next((line.split()[-1] for line in aff if "Stavekontrolden version" in line), "?")
    rules, suffix_flags = _suffix_rules(aff)
    words: dict[str, set[str]] = {}
    places: set[str] = set()
    proper: set[str] = set()
    for line in dic[1:]:
        entry = line.split(" ")[0].split("\t")[0]
        word, _, flag_text = entry.partition("/")
        flags = set(flag_text.split(",")) if flag_text else set()
        if not word or FORBIDDEN in flags:
            continue
        if word[:1].isupper() and (PLACE in flags or PROPER_NOUN in flags):
            (places if PLACE in flags else proper).add(word)
            continue
        words.setdefault(word.casefold(), set()).update(flags & suffix_flags)
    lines = [HEADER.format(version=version), "[endelser]", *rules, "[ord]"]
    for word in sorted(words):
        flags = words[word]
        lines.append(f"{word}/{','.join(sorted(flags, key=int))}" if flags else word)
    lines.append("[steder]")
    lines.extend(sorted(places))
    lines.append("[egennavne]")
    lines.extend(sorted(proper - places))
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUTPUT}: {len(rules)} endelser, {len(words)} ord, {len(places)} steder, "
          f"{len(proper)} egennavne")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

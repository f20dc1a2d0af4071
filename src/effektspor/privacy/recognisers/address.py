"""Addresses: street name + house number (+ floor/side) + optional postcode and town.

A street is a capitalised word (or up to four) found in the shipped street-name list or
ending like a Danish street (-vej, -gade, -allé ...). With a house number it is an address;
a street with a typical ending but no number is a weaker candidate ("bor på Vestergade").
A postcode followed by a known town ("8900 Randers C") is an address on its own.
"""

from __future__ import annotations

import re

from effektspor.privacy.lexicon import Lexicon
from effektspor.privacy.spans import _UPPER, Candidate, TextView

STREET_ENDINGS = ("vej", "gade", "allé", "alle", "stræde", "boulevard", "plads", "torv",
                  "vænge", "vænget", "parken", "bakken", "toften", "stien", "engen", "marken",
                  "vangen", "lunden", "haven", "kvarteret", "skrænten", "hegnet", "gyden")
#: Street words written apart from the name ("Jens Baggesens Vej").
STREET_WORDS = frozenset({"vej", "gade", "allé", "alle", "plads", "boulevard", "stræde", "torv",
                          "vænge", "sti", "park", "have"})
#: Endings strong enough to call a street without a house number an address.
STRONG_ENDINGS = ("vej", "gade", "allé", "stræde", "boulevard")

_TAIL = re.compile(
    r"[ \t]+(?P<nr>\d{1,4}(?:[A-Za-z](?![\w]))?)(?![\d.,:]\d|\d)"
    r"(?P<floor>,?[ \t]*(?:(?:st|kl|kld)\b\.?|\d{1,2}(?:\.|[ \t]*sal\b))(?:[ \t]*sal\b\.?)?"
    r"(?:,?[ \t]*(?:th|tv|mf|t\.h|t\.v)\b\.?)?"
    r"|,?[ \t]*(?:th|tv|mf)\b\.?)?"
    rf"(?P<town>,?[ \t]*\d{{4}}[ \t]+[{_UPPER}][^\W\d_]*(?:[ \t][{_UPPER}][^\W\d_]*){{0,2}})?")
_POSTCODE_TOWN = re.compile(
    rf"(?<![\d\w])([1-9]\d{{3}})[ \t]+([{_UPPER}][^\W\d_]+(?:[ \t][{_UPPER}][^\W\d_]*)?)")

class AddressRecogniser:
    """Street addresses and postcode + town."""

    name = "adresse"
    labels = ("ADRESSE",)

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    def find(self, view: TextView) -> list[Candidate]:
        """Every address-like span."""
        found = self._streets(view)
        found.extend(self._postcodes(view))
        return found

    def _is_street(self, view: TextView, index: int) -> tuple[int, bool, bool]:
        """(start token index, in list, has ending) of the longest street ending at ``index``."""
        tokens = view.tokens
        word = tokens[index].word.casefold()
        has_ending = word.endswith(STREET_ENDINGS) and len(word) > 5
        for first in range(max(0, index - 3), index + 1):
            if tokens[first].word.casefold() not in self.lexicon.street_first_words:
                continue
            gap = view.text[tokens[first].start:tokens[index].end]
            if "\n" in gap:
                continue
            if gap.casefold() in self.lexicon.street_names:
                return first, True, has_ending
        if word in STREET_WORDS and index > 0:
            previous = tokens[index - 1]  # "Jens Baggesens Vej", "Sankt Hans Torv"
            if tokens[index].start == previous.end + 1:
                return index - 1, False, True
        return index, False, has_ending

    def _streets(self, view: TextView) -> list[Candidate]:
        """Streets before a house number, and bare strong streets (one pass over the words).

        A word is followed by a house number when ``_TAIL`` matches right after it; a
        hyphenated word ("Anne-Marie 2") is never taken as a street before a number.
        """
        text = view.text
        tokens = view.tokens
        numbered: list[Candidate] = []
        bare: list[Candidate] = []
        for index, token in enumerate(tokens):
            word = token.word
            end = token.end
            following = text[end:end + 1]
            if following == " " or following == "\t":
                second = text[end + 1:end + 2]
                # (isdigit() accepts every character that \d matches, so this only skips misses)
                if "-" not in word and (second.isdigit() or second == " " or second == "\t"):
                    tail = _TAIL.match(text, end)
                    if tail is not None:
                        first, listed, has_ending = self._is_street(view, index)
                        if listed or has_ending:
                            start = tokens[first].start
                            confidence = 0.9 if listed else 0.8
                            if tail.group("floor") or tail.group("town"):
                                confidence += 0.08
                            numbered.append(Candidate(start, _trim(text, start, tail.end()),
                                                      "ADRESSE", min(1.0, confidence),
                                                      self.name))
                if text[end + 1:end + 2].isdigit():
                    continue  # has a house number: handled above
            elif following == "-":
                continue  # a compound: "Vestergade-kvarteret"
            if not word.endswith(STRONG_ENDINGS) or len(word) < 7:
                continue
            confidence = 0.6 if not view.is_sentence_start(token.start) else 0.5
            bare.append(Candidate(token.start, end, "ADRESSE", confidence, self.name,
                                  priority_shift=-2))
        numbered.extend(bare)
        return numbered

    def _postcodes(self, view: TextView) -> list[Candidate]:
        text = view.text
        found = []
        for run_start, run_end in view.numbers:
            if run_end - run_start != 4 or text[run_end:run_end + 1] != " ":
                continue
            match = _POSTCODE_TOWN.match(text, run_start)
            if match is None:
                continue
            code, town = match.group(1), match.group(2)
            town_words = town.split()
            base = town_words[0].casefold()
            known_code = code in self.lexicon.postcodes
            known_town = base in self.lexicon.town_first_words
            if not (known_code or known_town):
                continue
            end = match.end()
            if len(town_words) == 2 and not (town_words[1].isupper() and len(town_words[1]) <= 2):
                two = " ".join(town_words).casefold()
                if two not in self.lexicon.towns:
                    end = match.start(2) + len(town_words[0])
            confidence = 0.9 if known_code and known_town else 0.7
            found.append(Candidate(match.start(), end, "ADRESSE", confidence, self.name))
        return found


def _trim(text: str, start: int, end: int) -> int:
    """Drop trailing spaces and a sentence-ending full stop or comma from an address."""
    while end > start and text[end - 1] in " \t,":
        end -= 1
    if text[end - 1] == "." and not re.search(r"(?:st|th|tv|mf|kl|sal)\.$", text[start:end]):
        end -= 1
    return end

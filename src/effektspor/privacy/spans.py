"""Candidate spans and a cheap, shared view of a text's capitalised words.

Offsets are Unicode code points into the text as given (Python ``str`` indices).
Every recogniser sees the same :class:`TextView`, so the text is tokenised once: only
words that start with a capital letter are ever looked at for names, places and streets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: The labels the pseudonymiser produces (the CLI contract needs at least the first six).
LABELS: tuple[str, ...] = ("CPR", "NAVN", "ADRESSE", "TELEFON", "EMAIL", "STED", "URL")

#: When two candidates overlap, the higher priority wins (then the longer, then the surer).
PRIORITY: dict[str, int] = {"CPR": 7, "EMAIL": 6, "URL": 6, "TELEFON": 5, "ADRESSE": 4,
                            "STED": 3, "NAVN": 2}

_UPPER = "A-ZÀ-ÖØ-ÞŁŚŠŽŻĆČŞĞİŃŘĎŤ"
_LETTER = r"[^\W\d_]"
#: A word that starts with a capital letter; hyphenated parts belong to the word. (No
#: look-behind: it would stop the regex engine's fast scan; the character before is
#: checked in Python for the few matches instead.)
CAPITALISED_WORD = re.compile(rf"[{_UPPER}]{_LETTER}*(?:-{_LETTER}+)*")
#: A run of two or more digits, possibly spaced or hyphenated, possibly after '+': phone,
#: CPR, postcode. (House numbers are found from the street before them.)
#: (Written as two branches rather than r"\+?\d…": the same matches, but the regex engine
#: can then skip ahead to the next '+' or digit instead of trying every position.)
NUMBER_RUN = re.compile(r"\+\d[\d \t\-–—]*\d|\d[\d \t\-–—]*\d")
_WORD_BEFORE = re.compile(rf"({_LETTER}+)[^\w]*$")
_WORD_AFTER = re.compile(rf"^[\s]*({_LETTER}+|\(\s*\d)")

#: Abbreviations after whose full stop a sentence does not end.
ABBREVIATIONS = frozenset({
    "bl", "a", "f", "eks", "fx", "ca", "kl", "evt", "nr", "tlf", "d", "jf", "ang", "vedr",
    "mht", "pga", "iflg", "inkl", "ekskl", "mv", "dvs", "st", "tv", "th", "mf", "stk",
    "pkt", "ift", "hhv", "ml", "m", "v", "s", "h", "sml", "ny", "bl.a", "f.eks", "mobil",
})


@dataclass(slots=True)
class Candidate:
    """A possible identifier: where it is, its label, how sure we are, who found it."""

    start: int
    end: int
    label: str
    confidence: float
    source: str
    possessive: bool = False
    #: Added to the label's priority: a street without a house number is weaker (-2), so
    #: that "Lægehuset Middelgade" stays one place.
    priority_shift: int = 0


@dataclass(slots=True)
class Token:
    """A capitalised word of the text."""

    start: int
    end: int
    word: str


class _computed_once:
    """Like functools.cached_property, without its per-access lock (one view, one thread)."""

    def __init__(self, function):
        self.function = function
        self.name = function.__name__
        self.__doc__ = function.__doc__

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.function(instance)
        return value


@dataclass
class TextView:
    """The text with its capitalised words, and helpers for looking around a position."""

    text: str
    known: list[tuple[str, str]] = field(default_factory=list)
    #: Capitalised words no recogniser needs ("Han", "Vi", "Der" ...): not tokenised.
    skip: frozenset[str] = frozenset()

    @_computed_once
    def tokens(self) -> list[Token]:
        """Every capitalised word, in order (not those glued to a letter: 'iPad')."""
        text = self.text
        skip = self.skip
        tokens: list[Token] = []
        append = tokens.append
        for match in CAPITALISED_WORD.finditer(text):
            word = match[0]
            if word in skip:
                continue
            start = match.start()
            if start:
                before = text[start - 1]
                if before != " " and before != "\n" and (
                        before.isalnum() or before in "'’_"):
                    continue
            append(Token(start, start + len(word), word))
        return tokens

    @_computed_once
    def numbers(self) -> list[tuple[int, int]]:
        """Spans of every run of digits (with spaces/hyphens inside, '+' in front)."""
        return [m.span() for m in NUMBER_RUN.finditer(self.text)]

    def word_before(self, position: int, window: int = 40) -> str:
        """The nearest word (lower case) before ``position``, skipping punctuation.

        Only letters make the word; a digit or '_' between it and ``position`` means there
        is none (""). Same result as ``_WORD_BEFORE.search`` on the window, but walking
        back from ``position`` costs a few characters instead of a regex try at every
        position of the window.
        """
        text = self.text
        low = max(0, position - window)
        end = position
        while end > low:
            char = text[end - 1]
            if char.isalnum() or char == "_":  # a \w character
                break
            end -= 1
        begin = end
        while begin > low:
            char = text[begin - 1]
            if not char.isalnum() or char.isdecimal():  # not a letter ([^\W\d_])
                break
            begin -= 1
        return text[begin:end].casefold()

    def words_before(self, position: int, count: int = 3, window: int = 40) -> list[str]:
        """Up to ``count`` words (lower case) before ``position``, nearest first."""
        chunk = self.text[max(0, position - window):position]
        words = re.findall(rf"{_LETTER}+", chunk)
        return [w.casefold() for w in reversed(words[-count:])]

    def word_after(self, position: int) -> str:
        """The next word after ``position`` ('(1' when an age in brackets follows)."""
        match = _WORD_AFTER.match(self.text[position:position + 40])
        return match.group(1) if match else ""

    def is_sentence_start(self, position: int) -> bool:
        """True when ``position`` starts a sentence, a line, a quote or a list item."""
        text = self.text
        if position > 1 and text[position - 1] == " ":
            previous = text[position - 2]
            if previous.isalnum() or previous == ",":
                return False  # the usual case: a word in the middle of a sentence
        i = position - 1
        while i >= 0 and text[i] in " \t\"“”»«'‘(":
            if text[i] in "\"“”»«":
                return True
            i -= 1
        if i < 0:
            return True
        char = text[i]
        if char in "\n!?:;•*–":
            return True
        if char == "-":
            return i == 0 or text[i - 1] in " \n"
        if char == ".":
            # the letters right before the full stop; usually a whole word after a space
            space = text.rfind(" ", max(0, i - 30), i)
            before = text[space + 1:i]
            if space < 0 or not before.isalpha():
                j = i - 1
                while j >= 0 and text[j].isalpha():
                    j -= 1
                before = text[j + 1:i]
            if not before or before.isupper():  # "… 8900 Randers C. Lejligheden"
                return True
            return before.casefold() not in ABBREVIATIONS and len(before) > 1
        return False

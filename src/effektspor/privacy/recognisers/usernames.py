"""User names with digits ("MJensen87", "sofie_h2009", "anne.k12"): the whole name is NAVN.

Only the runs of digits that the text view has found anyway are looked at: a run glued to
letters before it is the end (or the middle) of a user name. The letters must hold a first
name or surname from the name lists that is no ordinary word ("uge38", "covid19" stay),
possibly after one initial ("MJensen", "kpedersen").
"""

from __future__ import annotations

from effektspor.privacy.lexicon import COMMON_NAME_RANK, Lexicon
from effektspor.privacy.spans import Candidate, TextView

_JOINERS = "._-"


class UserNameRecogniser:
    """User names made of a name and digits."""

    name = "brugernavn"
    labels = ("NAVN",)

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self._known: dict[str, bool] = {}

    def find(self, view: TextView) -> list[Candidate]:
        """Every user name around a run of digits glued to letters."""
        text = view.text
        found: list[Candidate] = []
        for run_start, run_end in view.numbers:
            if not run_start or not (text[run_start - 1].isalpha()
                                     or text[run_start - 1] == "_"):
                continue
            start = run_start
            while start and (text[start - 1].isalnum() or text[start - 1] in "_."):
                start -= 1
            while start < run_start and not text[start].isalpha():
                start += 1  # never start on a joiner or a digit
            if start and text[start - 1] in "@/":
                continue  # part of an e-mail address or a path
            end = run_end
            size = len(text)
            while end < size and (text[end].isalnum() or text[end] == "_"):
                end += 1
            if " " in text[start:end] or "\t" in text[start:end]:
                continue  # a spaced number run ("nr 12 34"): not one word
            if self._has_name(text[start:run_start]):
                found.append(Candidate(start, end, "NAVN", 0.7, self.name))
        return found

    def _has_name(self, letters: str) -> bool:
        known = self._known.get(letters)
        if known is None:
            known = self._known[letters] = self._names_in(letters)
            if len(self._known) > 50_000:
                self._known.clear()
        return known

    def _names_in(self, letters: str) -> bool:
        lex = self.lexicon
        parts = [p for p in "".join(" " if c in _JOINERS or c.isdigit() else c
                                    for c in letters).split() if p]
        for part in parts:
            key = part.casefold()
            for candidate in (key, key[1:]) if len(key) > 4 else (key,):
                rank = lex.name_rank(candidate)
                if (len(candidate) > 2 and rank is not None and rank <= COMMON_NAME_RANK
                        and candidate not in lex.common_words):
                    return True
        return False

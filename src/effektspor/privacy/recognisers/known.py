"""Identifiers known in advance (persons of the case, or the ``known`` field of the CLI).

Each known text is found wherever it occurs as a whole word, also with a possessive -s or
apostrophe; for a known person each part of the name is found on its own as well (the
name recogniser treats those words as certain names).
"""

from __future__ import annotations

import re
from functools import lru_cache

from effektspor.privacy.spans import Candidate, TextView


class KnownRecogniser:
    """Finds the known identifiers of a text, with confidence 1."""

    name = "kendt"
    labels = ("NAVN", "CPR", "ADRESSE", "TELEFON", "EMAIL", "STED")

    def find(self, view: TextView) -> list[Candidate]:
        """Every occurrence of every known text (whole words only)."""
        found = []
        for text, label in view.known:
            text = text.strip()
            if len(text) < 2:
                continue
            for match in _pattern(text).finditer(view.text):
                found.append(Candidate(match.start(), match.end(), label, 1.0, self.name,
                                       possessive=bool(match.group(1))))
        return found


@lru_cache(maxsize=8192)
def _pattern(text: str) -> re.Pattern:
    """The pattern of one known text, compiled once (the same persons are known in every
    text of a case, more than the regex module's own cache of 512 patterns holds)."""
    return re.compile(rf"(?<![\w]){re.escape(text)}(s\b|['’](?!\w))?(?!\w)")

"""Identifiers known in advance (persons of the case, or the ``known`` field of the CLI).

Each known text is found wherever it occurs as a whole word, also with a possessive -s or
apostrophe; for a known person each part of the name is found on its own as well (the
name recogniser treats those words as certain names).
"""

from __future__ import annotations

import re

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
            pattern = re.compile(rf"(?<![\w]){re.escape(text)}(s\b|['’](?!\w))?(?!\w)")
            for match in pattern.finditer(view.text):
                found.append(Candidate(match.start(), match.end(), label, 1.0, self.name,
                                       possessive=bool(match.group(1))))
        return found

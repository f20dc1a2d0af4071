"""Find identifiers in a text, resolve overlaps, and replace them by consistent pseudonyms.

Candidates at or above the threshold are replaced (missing an identifier is worse than
replacing a word too many, so the default threshold is low); candidates close to the
threshold, on either side, go to the review list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from effektspor.privacy.lexicon import load_lexicon
from effektspor.privacy.pseudonyms import ProjectPseudonyms, PseudonymScope
from effektspor.privacy.registry import RecogniserRegistry, default_registry
from effektspor.privacy.spans import PRIORITY, Candidate, TextView

DEFAULT_THRESHOLD = 0.5
REVIEW_BAND = 0.2


class Replacement(NamedTuple):
    """One replaced span: offsets into the original text, label and pseudonym.

    (A named tuple rather than a frozen dataclass: equally immutable, and about three
    times cheaper to create, which counts at several replacements per note.)
    """

    start: int
    end: int
    label: str
    replacement: str
    confidence: float


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """A decision close to the threshold, for the analyst to look at."""

    start: int
    end: int
    label: str
    confidence: float
    replaced: bool
    source: str


@dataclass(frozen=True, slots=True)
class PseudonymisedText:
    """The result for one text: the new text, what was replaced, what to review."""

    text: str
    replacements: tuple[Replacement, ...]
    review: tuple[ReviewItem, ...]


def resolve_overlaps(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Keep non-overlapping candidates: higher priority, then longer, then surer first."""
    by_start = sorted(candidates, key=_start)
    previous_end = -1
    previous_start = -1
    for candidate in by_start:
        if (candidate.start <= previous_start or candidate.start < previous_end
                or candidate.end <= candidate.start):
            break
        previous_start, previous_end = candidate.start, candidate.end
    else:
        return by_start  # the usual case: nothing overlaps, so every candidate is kept
    ordered = sorted(by_start, key=lambda c: (-PRIORITY.get(c.label, 0) - c.priority_shift,
                                                -(c.end - c.start),
                                                -c.confidence, c.start))
    kept: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for candidate in ordered:
        if any(candidate.start < end and start < candidate.end for start, end in taken):
            continue
        kept.append(candidate)
        taken.append((candidate.start, candidate.end))
    kept.sort(key=lambda c: c.start)
    return kept


def _start(candidate: Candidate) -> int:
    return candidate.start


class Pseudonymiser:
    """Finds identifiers with a registry of recognisers and replaces them."""

    def __init__(self, registry: RecogniserRegistry | None = None, *,
                 threshold: float = DEFAULT_THRESHOLD, review_band: float = REVIEW_BAND):
        if not 0.0 <= threshold <= 1.0:
            raise ValueError("tærsklen skal ligge mellem 0 og 1")
        self.registry = registry or default_registry()
        self.skip_words = load_lexicon().skip_words
        self.threshold = threshold
        self.review_band = review_band

    def analyse(self, text: str, known: Sequence[tuple[str, str]] = ()
                ) -> tuple[list[Candidate], list[Candidate]]:
        """(accepted spans without overlaps, candidates near the threshold) of ``text``."""
        view = TextView(text, list(known), self.skip_words)
        candidates = self.registry.find_all(view)
        accepted = resolve_overlaps(c for c in candidates if c.confidence >= self.threshold)
        low = self.threshold - self.review_band
        high = self.threshold + self.review_band
        near = [c for c in candidates if low <= c.confidence < high]
        near = [c for c in near if c in accepted or not any(
            c.start < a.end and a.start < c.end for a in accepted)]
        return accepted, near

    def pseudonymise(self, text: str, scope: PseudonymScope | None = None,
                     known: Sequence[tuple[str, str]] = ()) -> PseudonymisedText:
        """Replace every accepted identifier of ``text`` by its pseudonym in ``scope``."""
        scope = scope or PseudonymScope("tekst", ProjectPseudonyms())
        accepted, near = self.analyse(text, known)
        parts: list[str] = []
        replacements: list[Replacement] = []
        pseudonym_for = scope.pseudonym_for
        position = 0
        for candidate in accepted:
            start, end, label = candidate.start, candidate.end, candidate.label
            pseudonym = pseudonym_for(label, text[start:end], candidate.possessive)
            parts.append(text[position:start])
            parts.append(pseudonym)
            position = end
            replacements.append(Replacement(start, end, label, pseudonym, candidate.confidence))
        parts.append(text[position:])
        review = tuple(ReviewItem(c.start, c.end, c.label, c.confidence,
                                  c.confidence >= self.threshold, c.source) for c in near)
        return PseudonymisedText("".join(parts), tuple(replacements), review)


def propagate_names(pseudonymiser: Pseudonymiser, texts: Iterable[str],
                    known: Sequence[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """Known names plus the names found with high confidence in any of ``texts``.

    Used per case, so that a name found in one note ("hvor Liv græd") is also found where
    the text alone would leave it ambiguous ("Liv var glad" as the first words of a note).
    """
    names = {text for text, label in known if label == "NAVN"}
    for text in texts:
        accepted, _ = pseudonymiser.analyse(text, known)
        for candidate in accepted:
            if candidate.label == "NAVN" and candidate.confidence >= 0.85:
                value = text[candidate.start:candidate.end]
                if candidate.possessive:
                    value = value[:-1]
                names.add(value)
    return list(known) + [(name, "NAVN") for name in sorted(names)
                          if (name, "NAVN") not in set(known)]

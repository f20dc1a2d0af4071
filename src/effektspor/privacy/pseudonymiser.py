"""Find identifiers in a text, resolve overlaps, and replace them by consistent pseudonyms.

Candidates at or above the threshold are replaced (missing an identifier is worse than
replacing a word too many, so the default threshold is low); candidates close to the
threshold, on either side, go to the review list.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from effektspor.privacy.lexicon import load_lexicon
from effektspor.privacy.pseudonyms import ProjectPseudonyms, PseudonymScope
from effektspor.privacy.registry import RecogniserRegistry, default_registry
from effektspor.privacy.spans import PRIORITY, Candidate, TextView

DEFAULT_THRESHOLD = 0.5
REVIEW_BAND = 0.2
#: The shortest part of a candidate kept when a winner covers the rest (one letter is no
#: identifier).
_MIN_PIECE = 2


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


def resolve_overlaps(candidates: Iterable[Candidate], text: str | None = None) -> list[Candidate]:
    """Keep non-overlapping candidates: higher priority, then longer, then surer first.

    With ``text``, a candidate that loses only part of its span keeps the rest: it is
    trimmed to the parts no winner covers (without leading or trailing spaces and
    punctuation, at least two characters each), so that an identifier is not lost because
    another one overlaps it ("Trine Lesemann Berg Fredericiavej 88B": the address wins
    "Fredericiavej 88B", the name keeps "Trine Lesemann Berg"). Without ``text`` a
    candidate that overlaps a winner is dropped whole. Empty candidates are dropped.

    Linear in the number of candidates (after sorting them by start): the candidates are
    swept by start into clusters of mutually overlapping ones, and only within a cluster
    are they ranked; a candidate's fate depends only on its own cluster, so the result is
    that of ranking all candidates at once.
    """
    return _resolve(candidates, text)[0]


def _resolve(candidates: Iterable[Candidate], text: str | None
             ) -> tuple[list[Candidate], list[Candidate]]:
    """(the kept candidates sorted by start, those of them that are trimmed parts)."""
    by_start = sorted(candidates, key=_start)
    kept: list[Candidate] = []
    trimmed: list[Candidate] = []
    cluster: list[Candidate] = []
    cluster_end = -1
    for candidate in by_start:
        if candidate.end <= candidate.start:
            continue
        if candidate.start < cluster_end:
            cluster.append(candidate)
            if candidate.end > cluster_end:
                cluster_end = candidate.end
            continue
        if len(cluster) == 1:
            kept.append(cluster[0])
        elif cluster:
            kept.extend(_resolve_cluster(cluster, text, trimmed))
        cluster = [candidate]
        cluster_end = candidate.end
    if len(cluster) == 1:
        kept.append(cluster[0])
    elif cluster:
        kept.extend(_resolve_cluster(cluster, text, trimmed))
    return kept, trimmed


def _rank(candidate: Candidate) -> tuple[int, int, float, int]:
    return (-PRIORITY.get(candidate.label, 0) - candidate.priority_shift,
            -(candidate.end - candidate.start), -candidate.confidence, candidate.start)


def _resolve_cluster(cluster: list[Candidate], text: str | None,
                     trimmed: list[Candidate]) -> list[Candidate]:
    """Resolve one cluster of overlapping candidates (given sorted by start).

    Trimmed parts are also added to ``trimmed``.
    """
    starts: list[int] = []  # the kept spans, disjoint and sorted by start
    ends: list[int] = []
    chosen: list[Candidate] = []
    for candidate in sorted(cluster, key=_rank):
        start, end = candidate.start, candidate.end
        first = bisect_right(starts, start) - 1
        if first < 0 or ends[first] <= start:
            first += 1
        last = first
        while last < len(starts) and starts[last] < end:
            last += 1
        if first == last:
            pieces = [candidate]
        elif text is None:
            continue
        else:
            pieces = _uncovered_pieces(candidate, text, starts[first:last], ends[first:last])
            trimmed.extend(pieces)
        for piece in pieces:
            at = bisect_right(starts, piece.start)
            starts.insert(at, piece.start)
            ends.insert(at, piece.end)
            chosen.insert(at, piece)
    return chosen


def _uncovered_pieces(candidate: Candidate, text: str, starts: list[int],
                      ends: list[int]) -> list[Candidate]:
    """The parts of ``candidate`` outside the spans ``starts``/``ends``, trimmed."""
    pieces: list[Candidate] = []
    gaps: list[tuple[int, int]] = []
    position = candidate.start
    for start, end in zip(starts, ends, strict=True):
        if start > position:
            gaps.append((position, start))
        position = max(position, end)
    if position < candidate.end:
        gaps.append((position, candidate.end))
    for start, end in gaps:
        while start < end and not text[start].isalnum():
            start += 1
        while end > start and not text[end - 1].isalnum() and not (
                candidate.possessive and end == candidate.end and text[end - 1] == "'"):
            end -= 1
        if end - start >= _MIN_PIECE:
            pieces.append(Candidate(start, end, candidate.label, candidate.confidence,
                                    candidate.source,
                                    candidate.possessive and end == candidate.end,
                                    candidate.priority_shift))
    return pieces


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
        accepted, trimmed = _resolve((c for c in candidates if c.confidence >= self.threshold),
                                     text)
        low = self.threshold - self.review_band
        high = self.threshold + self.review_band
        near = [c for c in candidates if low <= c.confidence < high]
        if not near:
            return accepted, near
        # Near the threshold: the candidates kept whole, those overlapping no accepted
        # span, and the trimmed parts of those that lost part of their span.
        starts = [a.start for a in accepted]
        ends = [a.end for a in accepted]  # sorted too: the accepted spans are disjoint

        def kept_or_free(c: Candidate) -> bool:
            before = bisect_left(starts, c.end) - 1
            # the only accepted span that can equal c is the last one starting before its end
            return before < 0 or ends[before] <= c.start or accepted[before] == c

        near = [c for c in near if kept_or_free(c)]
        if trimmed:
            near.extend(a for a in trimmed if low <= a.confidence < high)
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


def pseudonymise_keeping(pseudonymiser: Pseudonymiser, text: str, scope: PseudonymScope,
                         known: Sequence[tuple[str, str]] = (),
                         keep: Iterable[str] = ()) -> PseudonymisedText:
    """Like :meth:`Pseudonymiser.pseudonymise`, but the words of ``keep`` (pseudonyms
    already in the text, e.g. "Barn 1" or a substitute name) are left as they are: they
    are hidden from the recognisers (same length, so offsets hold) and put back. A text
    that has been through the pseudonymiser can thus go through it again unchanged."""
    words = sorted({word for word in keep if word and word.strip()}, key=len, reverse=True)
    if not words:
        return pseudonymiser.pseudonymise(text, scope, known)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)")
    masked = pattern.sub(lambda m: re.sub(r"\S", "x", m.group()), text)
    if masked == text:
        return pseudonymiser.pseudonymise(text, scope, known)
    result = pseudonymiser.pseudonymise(masked, scope, known)
    parts: list[str] = []
    position = 0
    for item in result.replacements:
        parts += [text[position:item.start], item.replacement]
        position = item.end
    parts.append(text[position:])
    return PseudonymisedText("".join(parts), result.replacements, result.review)

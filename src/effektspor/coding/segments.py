"""Split a text into segments at the boundaries of (possibly overlapping) coded spans.

The case view renders each segment once, highlighted with every coding that covers it,
so overlapping codings never duplicate or reorder text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Segment:
    """``text[start:end]`` and the ids of the spans covering it (in the given order)."""

    start: int
    end: int
    text: str
    covered_by: tuple[int, ...]


def segment_text(text: str, spans: Sequence[tuple[int, int, int]]) -> list[Segment]:
    """Segments of ``text`` for ``(id, start, end)`` spans (code-point offsets).

    Spans are clipped to the text; empty or inverted spans are ignored. The segments
    cover the whole text, in order, and adjacent segments differ in their covering ids.
    """
    length = len(text)
    clipped = [(span_id, max(0, start), min(length, end)) for span_id, start, end in spans]
    clipped = [span for span in clipped if span[1] < span[2]]
    opening: dict[int, list[int]] = defaultdict(list)
    closing: dict[int, list[int]] = defaultdict(list)
    for index, (_span_id, start, end) in enumerate(clipped):
        opening[start].append(index)
        closing[end].append(index)
    cuts = sorted({0, length, *opening, *closing})
    active: set[int] = set()  # indexes into clipped, swept from left to right
    segments: list[Segment] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        active.difference_update(closing.get(start, ()))
        active.update(opening.get(start, ()))
        covering = tuple(clipped[index][0] for index in sorted(active))
        if segments and segments[-1].covered_by == covering:
            start = segments.pop().start
        segments.append(Segment(start, end, text[start:end], covering))
    return segments

"""Danish tokenising: words with code-point offsets, sentences and clauses.

Offsets are Unicode code points into the (NFC-normalised) text, as everywhere in
effektspor. Tokenising is a single compiled regular expression, so it is fast enough
to run on the sentences around candidate matches of the auto-coder.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_WORD = re.compile(r"\w+(?:[-']\w+)*")
_GAP_AND_WORD = re.compile(r"(\W*)(\w+(?:[-']\w+)*)")
# A sentence ends at . ! ? followed by white space and an upper-case letter, at a line
# break, or at the end. "kl. 10", "pga. sygdom" and "14. dag" therefore do not end one.
_SENTENCE_END = re.compile(r"[.!?]+[\"'”)]*(?=\s+[A-ZÆØÅ\"'„“(])|\n+")
_CLAUSE_PUNCTUATION = frozenset(",;:–—()[]\"„“”")


class Token(NamedTuple):
    """A word: its offsets, lower-case form, and whether it starts with a capital."""

    start: int
    end: int
    lower: str
    capitalised: bool
    clause_break_before: bool


def lower_same_length(text: str) -> str:
    """``text.lower()`` with the same length (so offsets stay valid for every character)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def tokenize(text: str, start: int = 0, end: int | None = None,
             lowered: str | None = None) -> list[Token]:
    """The words of ``text[start:end]`` with offsets into ``text``.

    ``clause_break_before`` is true when punctuation that separates clauses (comma,
    semicolon, colon, dash, brackets, quotes) stands between a word and the previous one.
    """
    if end is None:
        end = len(text)
    if lowered is None:
        lowered = lower_same_length(text)
    tokens: list[Token] = []
    append = tokens.append
    disjoint = _CLAUSE_PUNCTUATION.isdisjoint
    for match in _GAP_AND_WORD.finditer(text, start, end):
        s, e = match.span(2)
        gap = match.group(1)
        append(Token(s, e, lowered[s:e], text[s].isupper(),
                     bool(gap) and bool(tokens) and not disjoint(gap)))
    return tokens


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text[start:end]``, without outer spaces."""
    if end is None:
        end = len(text)
    spans = []
    position = start
    for match in _SENTENCE_END.finditer(text, start, end):
        stop = match.end() if match.group(0)[0] != "\n" else match.start()
        _append_stripped(text, position, stop, spans)
        position = match.end()
    _append_stripped(text, position, end, spans)
    return spans


def _append_stripped(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def words(text: str) -> list[str]:
    """The lower-case words of ``text`` (a convenience for counting and search)."""
    return _WORD.findall(lower_same_length(text))

"""Sentences, clauses and negation windows in Danish text, with character offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ0-9\"«(])|\n+")
_CLAUSE_BREAK = re.compile(r"[,;:()]|\s(?:men|mens|selvom|og|dog|derimod)\s", re.IGNORECASE)
_WORD = re.compile(r"\w+", re.UNICODE)

NEGATIONS = frozenset({"ikke", "ingen", "intet", "aldrig", "ej", "hverken", "næppe", "uden"})


@dataclass(frozen=True, slots=True)
class Evidence:
    """A quote from a text with its start/end offsets (Unicode code points, end exclusive)."""

    quote: str
    start: int
    end: int


def sentence_around(text: str, start: int, end: int) -> Evidence:
    """The sentence (or line) of ``text`` that contains the span ``start``–``end``."""
    sentence_start = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        sentence_start = match.end()
    following = _SENTENCE_END.search(text, end)
    sentence_end = following.start() if following else len(text)
    quote = text[sentence_start:sentence_end]
    stripped = quote.strip()
    offset = sentence_start + (len(quote) - len(quote.lstrip()))
    return Evidence(stripped, offset, offset + len(stripped))


def sentences(text: str) -> list[Evidence]:
    """Split ``text`` into sentences/lines with their offsets (empty ones left out)."""
    result: list[Evidence] = []
    position = 0
    for match in _SENTENCE_END.finditer(text):
        _append(result, text, position, match.start())
        position = match.end()
    _append(result, text, position, len(text))
    return result


def _append(result: list[Evidence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        offset = start + (len(chunk) - len(chunk.lstrip()))
        result.append(Evidence(stripped, offset, offset + len(stripped)))


def words_before(text: str, position: int, *, limit: int = 5) -> list[str]:
    """Up to ``limit`` lower-case words before ``position`` within the same clause."""
    window_start = max(0, position - 80)
    window = text[window_start:position]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    sentence_break = max(window.rfind("."), window.rfind("\n"), window.rfind("!"),
                         window.rfind("?"))
    cut = max([sentence_break + 1] + [b.end() for b in breaks])
    return [w.lower() for w in _WORD.findall(window[cut:])][-limit:]


def words_in(text: str) -> list[str]:
    """The lower-case words of ``text``."""
    return [w.lower() for w in _WORD.findall(text)]


_NEGATING_PHRASES = ("ikke tale om", "ikke tegn på", "ingen tegn på", "ikke noget om",
                     "ikke vurderet som", "ikke vurderes som")


def is_negated(text: str, start: int, *, limit: int = 3) -> bool:
    """True when one of the ``limit`` words before ``start`` (same clause) is a negation,
    or the clause says "ikke tale om" / "ingen tegn på" before it (a negated noun phrase)."""
    if any(word in NEGATIONS for word in words_before(text, start, limit=limit)):
        return True
    clause = " ".join(words_before(text, start, limit=12))
    return any(phrase in clause for phrase in _NEGATING_PHRASES)

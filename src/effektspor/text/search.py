"""Keyword-in-context (KWIC) search and word frequencies with Danish word forms.

A query is one or more words; each word matches every form with the same Snowball stem
(``råd`` finds råd, rådet, rådene), a word ending in ``*`` is a prefix, and several
words must follow each other (a phrase).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from effektspor.text.stopwords import danish_stopwords
from effektspor.text.tokens import lower_same_length, tokenize
from effektspor.text.wordforms import stem


@dataclass(frozen=True, slots=True)
class QueryWord:
    """One word of a query: a stem, or a prefix when ``prefix`` is true."""

    key: str
    prefix: bool

    def matches(self, word: str) -> bool:
        """True when the lower-case ``word`` is a form of this query word."""
        return word.startswith(self.key) if self.prefix else stem(word) == self.key


@dataclass(frozen=True, slots=True)
class KwicHit:
    """A hit with its offsets and the text to its left and right."""

    start: int
    end: int
    left: str
    match: str
    right: str


def parse_query(query: str) -> list[QueryWord]:
    """Parse a search query; ``ValueError`` (Danish) when it holds no word."""
    words = []
    for part in lower_same_length(query).split():
        part = part.strip(".,;:!?\"'()")
        if not part:
            continue
        if part.endswith("*") and len(part) > 2:
            words.append(QueryWord(part[:-1], True))
        else:
            words.append(QueryWord(stem(part.rstrip("*")), False))
    if not words:
        raise ValueError("søgningen indeholder intet ord")
    return words


def kwic(text: str, query: list[QueryWord], *, window: int = 40) -> list[KwicHit]:
    """Every place in ``text`` where the query occurs, with ``window`` characters around."""
    tokens = tokenize(text)
    hits = []
    for index in range(len(tokens) - len(query) + 1):
        if all(query[k].matches(tokens[index + k].lower) for k in range(len(query))):
            start, end = tokens[index].start, tokens[index + len(query) - 1].end
            left = text[max(0, start - window):start].replace("\n", " ")
            right = text[end:end + window].replace("\n", " ")
            hits.append(KwicHit(start, end, left, text[start:end], right))
    return hits


@dataclass(frozen=True, slots=True)
class WordCount:
    """A word form group: its most frequent spelling, count and number of texts."""

    word: str
    count: int
    documents: int


def word_frequencies(texts: Iterable[str], *, top: int = 50,
                     skip_stopwords: bool = True, min_length: int = 2) -> list[WordCount]:
    """The most frequent words, grouped by stem and shown in their most frequent form."""
    counts: Counter[str] = Counter()
    documents: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    stopwords = danish_stopwords() if skip_stopwords else frozenset()
    for text in texts:
        seen = set()
        for token in tokenize(text):
            word = token.lower
            if len(word) < min_length or word in stopwords or word.isdigit():
                continue
            key = stem(word)
            counts[key] += 1
            forms[key][word] += 1
            seen.add(key)
        documents.update(seen)
    return [WordCount(forms[key].most_common(1)[0][0], count, documents[key])
            for key, count in counts.most_common(top)]

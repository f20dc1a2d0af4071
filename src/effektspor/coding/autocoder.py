"""The rule auto-coder: Aho–Corasick anchors, then sentence-scoped rule checks.

One automaton holds an anchor key (a stem, exact form or prefix) of every pattern of
every rule. A note is lower-cased once and scanned once; only where an anchor is found
is the sentence tokenised and the whole pattern, negation, perspective, required
context and exceptions checked. No rule is tried by itself on the whole text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from operator import itemgetter

import ahocorasick

from effektspor.coding.codebook import Codebook, Rule
from effektspor.coding.context import (
    DEFAULT_CLAUSE_WORDS,
    DEFAULT_NEGATION_CANCELLERS,
    DEFAULT_NEGATORS,
    POST_NEGATORS,
    ClauseIndex,
    ContextSettings,
    is_negated,
    perspective,
)
from effektspor.coding.patterns import Pattern, parse_pattern
from effektspor.text.stopwords import danish_stopwords
from effektspor.text.tokens import Token, lower_same_length, sentence_spans, tokenize
from effektspor.text.wordforms import cached_stem, stem

_WORD_TAIL = re.compile(r"\w*(?:[-']\w+)*")
SENTENCE_CACHE_LIMIT = 200_000
_token_start = itemgetter(0)  # Token.start


@dataclass(frozen=True, slots=True)
class Segment:
    """A coded passage: code id, code-point offsets into the note, and the rule."""

    code: str
    start: int
    end: int
    rule: str


@dataclass(frozen=True, slots=True)
class _CompiledRule:
    rule: Rule
    exceptions: tuple[Pattern, ...]
    requires: tuple[Pattern, ...]
    attention_points: frozenset[str]
    document_types: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Anchor:
    compiled: _CompiledRule
    pattern: Pattern
    term_index: int
    kind: str
    key: str
    # Groups of substrings (numbered, so a sentence tests each group once); a sentence
    # can match only if it holds one substring of each group.
    prefilter: tuple[tuple[int, tuple[str, ...], re.Pattern[str] | None], ...] = ()


class RuleAutocoder:
    """Codes texts with the rules of a codebook (see docs/brugervejledning/kodebog.md)."""

    def __init__(self, codebook: Codebook, *, sentence_cache_size: int = SENTENCE_CACHE_LIMIT):
        self.codebook = codebook
        self.sentence_cache_size = sentence_cache_size
        lists = codebook.word_lists

        def word_class(name: str, default: tuple[str, ...]) -> object:
            return parse_pattern("|".join(lists.get(name) or default), lists).terms[0]

        self.context = ContextSettings(
            negators=word_class("negation", DEFAULT_NEGATORS),
            cancellers=frozenset(lists.get("negation_ophævet") or DEFAULT_NEGATION_CANCELLERS),
            clause_words=frozenset(lists.get("sætningsgrænser") or DEFAULT_CLAUSE_WORDS),
            professional=word_class("professionel", ("jeg", "vi")),
            citizen=word_class("borger", ("mor", "far", "@navn")),
            other=word_class("anden", ("skole",)),
        )
        self._ancestors = {code.id: codebook.ancestors(code.id) for code in codebook.codes}
        self._order = {code_id: i for i, code_id in enumerate(codebook.code_ids)}
        self._automaton = ahocorasick.Automaton()
        self._prefilter_groups: dict[tuple[str, ...], int] = {}
        entries: dict[str, list[_Anchor]] = {}
        for rule in codebook.rules():
            compiled = _CompiledRule(
                rule,
                tuple(parse_pattern(p, lists) for p in rule.exceptions),
                tuple(parse_pattern(p, lists) for p in rule.requires),
                frozenset(_norm(a) for a in rule.attention_points),
                frozenset(_norm(d) for d in rule.document_types))
            for source in rule.patterns:
                pattern = parse_pattern(source, lists)
                term_index, keys = _choose_anchor(pattern)
                prefilter = self._prefilter(compiled, pattern, term_index)
                for key, kind in keys:
                    entries.setdefault(key, []).append(
                        _Anchor(compiled, pattern, term_index, kind, key, prefilter))
        for key, anchors in entries.items():
            # Consecutive anchors of the same kind share one word test; order is kept.
            runs: list[tuple[str, list[_Anchor]]] = []
            for anchor in anchors:
                if runs and runs[-1][0] == anchor.kind:
                    runs[-1][1].append(anchor)
                else:
                    runs.append((anchor.kind, [anchor]))
            self._automaton.add_word(key, (len(key), key, tuple(
                (kind, tuple(run)) for kind, run in runs)))
        if entries:
            self._automaton.make_automaton()
        self._empty = not entries
        self._sentence_cache: dict[str | tuple[str, str | None, str | None], tuple] = {}

    def _prefilter(self, compiled: _CompiledRule, pattern: Pattern,
                   term_index: int) -> tuple[tuple[int, tuple[str, ...],
                                                   re.Pattern[str] | None], ...]:
        # A stem is a prefix of every form it matches, so each of a pattern's other terms
        # (and a required negation or context) must appear as a substring of the
        # lower-cased sentence. Checking that first spares tokenising most sentences.
        groups = []
        for index, term in enumerate(pattern.terms):
            keys = term.anchor_keys()
            if index != term_index and keys:
                groups.append(tuple(key for key, _ in keys))
        if compiled.rule.negation == "påkrævet":
            groups.append(tuple(key for key, _ in self.context.negators.anchor_keys() or ())
                          + tuple(POST_NEGATORS))
        required = [p.terms[0].anchor_keys() for p in compiled.requires]
        if required and all(required):
            groups.append(tuple(key for keys in required for key, _ in keys))
        return tuple(self._prefilter_group(group) for group in groups)

    def _prefilter_group(self, keys: tuple[str, ...]) -> tuple[int, tuple[str, ...],
                                                                re.Pattern[str] | None]:
        # A key that contains another key of its group adds nothing to "one of them is a
        # substring"; short keys first (they are found most often, so any() stops early).
        # Large groups are searched with one alternation instead of many ``in`` tests.
        minimal = tuple(sorted({key for key in keys
                                if not any(other != key and other in key for other in keys)},
                               key=lambda key: (len(key), key)))
        number = self._prefilter_groups.setdefault(minimal, len(self._prefilter_groups))
        pattern = re.compile("|".join(map(re.escape, minimal))) if len(minimal) > 4 else None
        return number, minimal, pattern

    # -- public API --------------------------------------------------------------------

    def code_text(self, text: str, *, attention_point: str | None = None,
                  document_type: str | None = None) -> list[Segment]:
        """The segments the rules find in ``text`` (offsets in code points)."""
        if self._empty or not text:
            return []
        point = _norm(attention_point) if attention_point else None
        doc_type = _norm(document_type) if document_type else None
        cache = self._sentence_cache
        cache_size = self.sentence_cache_size
        # (code, start, end) -> rule id; the first rule found for a passage is kept.
        found: dict[tuple[str, int, int], str] = {}
        plain = point is None and doc_type is None
        for s_start, s_end in sentence_spans(text):
            sentence = text[s_start:s_end]
            # Every check is confined to the sentence, so the result depends only on the
            # sentence and the note's attention point / document type: memoise it (the
            # sentence alone is the key when there are neither; a str never equals a tuple).
            key = sentence if plain else (sentence, point, doc_type)
            result = cache.pop(key, None)
            if result is None:
                result = self._code_sentence(sentence, point, doc_type)
                if cache_size and len(cache) >= cache_size:
                    # Bounded, least recently used out first: memory stays flat.
                    for old in list(islice(cache, len(cache) // 4 + 1)):
                        del cache[old]
            if cache_size:
                cache[key] = result  # (re-)inserted last = most recently used
            for code, rel_start, rel_end, rule_id in result:
                found.setdefault((code, s_start + rel_start, s_start + rel_end), rule_id)
        if not found:
            return []
        return [Segment(code, start, end, found[code, start, end])
                for code, start, end in sorted(found, key=lambda k: (k[1], k[2], k[0]))]

    def _code_sentence(self, sentence: str, point: str | None,
                       doc_type: str | None) -> tuple[tuple[str, int, int, str], ...]:
        lowered = lower_same_length(sentence)
        tokens: list[Token] | None = None
        clauses: list[ClauseIndex] = []  # built once, on the first check that needs it
        groups_seen: dict[int, bool] = {}  # prefilter group number -> found in sentence
        result = []
        word_tail = _WORD_TAIL.match
        for end_index, (key_length, key, runs) in self._automaton.iter(lowered):
            start = end_index - key_length + 1
            if start > 0 and (lowered[start - 1].isalnum() or lowered[start - 1] == "_"):
                continue
            word = None
            for kind, anchors in runs:
                if kind != "prefix":
                    if word is None:
                        word = lowered[start:word_tail(lowered, end_index + 1).end()]
                    if kind == "exact":
                        if word != key:
                            continue
                    elif (cached_stem(word) or stem(word)) != key:
                        continue
                for anchor in anchors:
                    compiled = anchor.compiled
                    if compiled.attention_points and point not in compiled.attention_points:
                        continue
                    if compiled.document_types and doc_type not in compiled.document_types:
                        continue
                    if anchor.prefilter and not _groups_present(anchor.prefilter, lowered,
                                                                groups_seen):
                        continue
                    if tokens is None:
                        tokens = tokenize(sentence, 0, len(sentence), lowered)
                    segment = self._check(anchor, tokens, start, clauses)
                    if segment is not None:
                        result.append((segment.code, segment.start, segment.end, segment.rule))
        return tuple(result)

    def code_many(self, items: Iterable[tuple[str, str | None]]) -> Iterable[list[Segment]]:
        """Code (text, attention point) pairs one after the other, lazily."""
        for text, attention_point in items:
            yield self.code_text(text, attention_point=attention_point)

    def codes_present(self, segments: Iterable[Segment]) -> list[str]:
        """The codes of the segments plus their ancestors, in codebook order."""
        present: set[str] = set()
        for segment in segments:
            present.add(segment.code)
            present.update(self._ancestors.get(segment.code, ()))
        return sorted(present, key=lambda c: self._order.get(c, len(self._order)))

    # -- checks ------------------------------------------------------------------------

    def _check(self, anchor: _Anchor, tokens: list[Token], start: int,
               clauses: list[ClauseIndex]) -> Segment | None:
        anchor_token = _token_at(tokens, start)
        if anchor_token is None:
            return None
        rule = anchor.compiled.rule
        span = match_at(anchor.pattern, tokens, anchor.term_index, anchor_token,
                        rule.max_gap, rule.ordered)
        if span is None:
            return None
        first, last = span
        check_negation = rule.negation != "ligegyldig"
        check_perspective = len(rule.perspectives) < 4
        if (check_negation or check_perspective) and not clauses:
            clauses.append(ClauseIndex(tokens, self.context))
        if check_negation:
            negated = is_negated(tokens, first, last, self.context, clauses[0])
            if negated != (rule.negation == "påkrævet"):
                return None
        if check_perspective and perspective(tokens, first, last, self.context,
                                             clauses[0]) not in rule.perspectives:
            return None
        compiled = anchor.compiled
        if compiled.requires and not any(find(p, tokens, rule.max_gap + 4)
                                         for p in compiled.requires):
            return None
        if any(find(p, tokens, rule.max_gap) for p in compiled.exceptions):
            return None
        return Segment(rule.code_id, tokens[first].start, tokens[last].end, rule.id)


def match_at(pattern: Pattern, tokens: list[Token], term_index: int, anchor: int,
             max_gap: int, ordered: bool) -> tuple[int, int] | None:
    """Match ``pattern`` with its term ``term_index`` at token ``anchor``: (first, last)."""
    terms = pattern.terms
    if len(terms) == 1:
        return anchor, anchor
    if not ordered:
        window = (max_gap + 1) * (len(terms) - 1)
        used = {anchor}
        for index, term in enumerate(terms):
            if index == term_index:
                continue
            candidates = sorted(range(max(0, anchor - window),
                                      min(len(tokens), anchor + window + 1)),
                                key=lambda j: abs(j - anchor))
            hit = next((j for j in candidates if j not in used
                        and term.matches(tokens[j], j == 0)), None)
            if hit is None:
                return None
            used.add(hit)
        return min(used), max(used)
    last = anchor
    for term in terms[term_index + 1:]:
        hit = next((j for j in range(last + 1, min(len(tokens), last + 2 + max_gap))
                    if term.matches(tokens[j], j == 0)), None)
        if hit is None:
            return None
        last = hit
    first = anchor
    for term in reversed(terms[:term_index]):
        hit = next((j for j in range(first - 1, max(-1, first - 2 - max_gap), -1)
                    if term.matches(tokens[j], j == 0)), None)
        if hit is None:
            return None
        first = hit
    return first, last


def find(pattern: Pattern, tokens: list[Token], max_gap: int) -> bool:
    """True when ``pattern`` occurs anywhere in ``tokens`` (in order, within ``max_gap``)."""
    head = pattern.terms[0]
    matches = head.matches
    if len(pattern.terms) == 1:  # match_at of a single term always succeeds
        return head.occurs_in(tokens)
    for index, token in enumerate(tokens):
        if matches(token, index == 0) and \
                match_at(pattern, tokens, 0, index, max_gap, True) is not None:
            return True
    return False


def _choose_anchor(pattern: Pattern) -> tuple[int, list[tuple[str, str]]]:
    best: tuple[int, list[tuple[str, str]]] | None = None
    best_score = float("-inf")
    for index, term in enumerate(pattern.terms):
        keys = term.anchor_keys()
        if not keys:
            continue
        score = min(_key_score(key) for key, _ in keys) - len(keys)
        if score > best_score:
            best, best_score = (index, keys), score
    if best is None:
        raise ValueError(f"mønsteret '{pattern.source}' har intet ord at søge efter "
                         "(kun @navn)")
    return best


# Frequent Danish words: a key that starts one of them makes a poor anchor.
_COMMON_WORDS = ("tage", "tager", "tale", "taler", "komme", "kommer", "gå", "går", "give",
                 "giver", "sige", "siger", "se", "ser", "få", "får", "gøre", "gør", "blive",
                 "bliver", "møde", "mødet", "vise", "viser", "ved", "vil", "kan", "skal")


def _key_score(key: str) -> int:
    """Prefer long, rare anchor keys: stop words and short keys would fire everywhere."""
    stopwords = danish_stopwords()
    score = len(key) * 10
    if key in stopwords or key in _stopword_stems():
        score -= 100
    elif any(word.startswith(key) for word in _COMMON_WORDS):
        score -= 30
    return score


@lru_cache(maxsize=1)
def _stopword_stems() -> frozenset[str]:
    return frozenset(stem(word) for word in danish_stopwords())


def _groups_present(groups: tuple[tuple[int, tuple[str, ...], re.Pattern[str] | None], ...],
                    lowered: str, seen: dict[int, bool]) -> bool:
    """True when ``lowered`` holds a substring of every group (memoised per sentence)."""
    for number, keys, pattern in groups:
        present = seen.get(number)
        if present is None:
            if pattern is not None:
                present = pattern.search(lowered) is not None
            else:
                present = any(key in lowered for key in keys)
            seen[number] = present
        if not present:
            return False
    return True


def _token_at(tokens: list[Token], start: int) -> int | None:
    low = bisect_left(tokens, start, key=_token_start)
    if low < len(tokens) and tokens[low].start <= start < tokens[low].end:
        return low
    return None


def _norm(value: str) -> str:
    return " ".join(value.split()).casefold()

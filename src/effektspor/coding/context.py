"""Context of a match inside its sentence: clause, negation scope and perspective.

Danish places the negation before the verb in subordinate clauses ("at hun ikke tager
imod") and after the finite verb in main clauses ("hun tager ikke imod", "hun aflyser
ikke"), so the scope of a negation is the clause up to the match plus the first words
after it. Perspective is read from the nearest person reference, looking first back
within the clause, then back within the sentence, then forward within the clause.
"""

from __future__ import annotations

from dataclasses import dataclass

from effektspor.coding.patterns import Term
from effektspor.text.tokens import Token

DEFAULT_NEGATORS = ("ikke", "ej", "aldrig", "ingen", "intet", "ingenting", "hverken",
                    "næppe", "nægte*", "undla*", "svært", "=uden", "mangle*")
#: Only these negate when they stand after the match ("hun aflyser ikke").
POST_NEGATORS = frozenset({"ikke", "aldrig", "ej"})
DEFAULT_NEGATION_CANCELLERS = ("kun", "bare", "blot", "alene", "mindst", "desto", "helt")
DEFAULT_CLAUSE_WORDS = ("men", "fordi", "da", "når", "selvom", "skønt", "hvis", "mens", "og",
                        "eller", "hvorvidt", "som", "der", "hvor", "hvad", "siden")
NEGATION_AFTER_WINDOW = 2
SUBJECT_WINDOW = 3
SUBJECT_CONJUNCTIONS = frozenset({"at", "om"})
SUBORDINATORS = frozenset({"da", "når", "fordi", "hvis", "mens", "selvom", "skønt", "som", "der",
                           "hvor", "hvad", "hvorvidt", "siden", "at", "om"})


@dataclass(frozen=True, slots=True)
class ContextSettings:
    """Word classes that decide clause, negation and perspective."""

    negators: Term
    cancellers: frozenset[str]
    clause_words: frozenset[str]
    professional: Term
    citizen: Term
    other: Term


def clause_bounds(tokens: list[Token], first: int, last: int,
                  clause_words: frozenset[str],
                  settings: ContextSettings | None = None) -> tuple[int, int]:
    """Indexes of the first and last token of the clause around tokens first..last.

    Clauses break at separating punctuation and at conjunctions; "at" and "om" break
    only when a person follows ("siger at hun ...", not "forsøger at trøste").
    """

    def breaks_before(j: int) -> bool:
        if tokens[j].clause_break_before or tokens[j - 1].lower in clause_words:
            return True
        return (settings is not None and tokens[j - 1].lower in SUBJECT_CONJUNCTIONS
                and _person_class(tokens[j], False, settings) is not None)

    start = first
    while start > 0 and not breaks_before(start):
        start -= 1
    end = last
    while end + 1 < len(tokens) and not breaks_before(end + 1):
        end += 1
    return start, end


class ClauseIndex:
    """Clause bounds of every token of one sentence, computed once in one pass.

    ``starts[i]`` and ``ends[i]`` are what :func:`clause_bounds` gives for token ``i``
    (with settings); the auto-coder checks several rules per sentence, so this spares
    walking the clause again for each check.
    """

    __slots__ = ("starts", "ends")

    def __init__(self, tokens: list[Token], settings: ContextSettings):
        count = len(tokens)
        clause_words = settings.clause_words
        breaks = [False] * count
        for j in range(1, count):
            token = tokens[j]
            previous = tokens[j - 1].lower
            breaks[j] = (token.clause_break_before or previous in clause_words
                         or (previous in SUBJECT_CONJUNCTIONS
                             and _person_class(token, False, settings) is not None))
        starts = [0] * count
        current = 0
        for j in range(1, count):
            if breaks[j]:
                current = j
            starts[j] = current
        ends = [0] * count
        current = count - 1
        for j in range(count - 1, -1, -1):
            ends[j] = current
            if breaks[j]:
                current = j - 1
        self.starts = starts
        self.ends = ends

    def bounds(self, first: int, last: int) -> tuple[int, int]:
        """The same as ``clause_bounds(tokens, first, last, ..., settings)``."""
        return self.starts[first], self.ends[last]


def is_negated(tokens: list[Token], first: int, last: int, settings: ContextSettings,
               clauses: ClauseIndex | None = None) -> bool:
    """True when a negation word governs the match tokens[first..last]."""
    if clauses is not None:
        start, end = clauses.starts[first], clauses.ends[last]
    else:
        start, end = clause_bounds(tokens, first, last, settings.clause_words, settings)
    for index in range(start, last + 1):
        if index in (first, last):  # the pattern's own words ("nægter") do not count
            continue
        if settings.negators.matches(tokens[index], index == 0):
            following = tokens[index + 1].lower if index + 1 < len(tokens) else ""
            if following not in settings.cancellers:
                return True
    stop = min(end, last + NEGATION_AFTER_WINDOW)
    return any(tokens[index].lower in POST_NEGATORS for index in range(last + 1, stop + 1))


def perspective(tokens: list[Token], first: int, last: int, settings: ContextSettings,
                clauses: ClauseIndex | None = None) -> str:
    """Whose words or acts the match describes: professionel, borger, anden or ukendt.

    The subject usually comes first in a Danish clause, so the first person reference of
    the clause before the match decides. A clause without one ("... og trøster hende")
    shares the subject of the nearest main clause before it (subordinate clauses such as
    "da far nævnes" are skipped); failing that, a person after the match in the clause.
    """
    if clauses is None:
        clauses = ClauseIndex(tokens, settings)
    start, end = clauses.starts[first], clauses.ends[last]
    found = _first_person(tokens, range(start, first), settings)
    if found:
        return found
    clause_start = start
    while clause_start > 0:
        previous_start = clauses.starts[clause_start - 1]
        subordinate = previous_start > 0 and tokens[previous_start - 1].lower in SUBORDINATORS
        if not subordinate:
            # Only the subject position of that clause (its first words) counts: in
            # "... og tegner med Noa" Noa is an object, not the subject.
            subject_end = min(clause_start, previous_start + SUBJECT_WINDOW)
            found = _first_person(tokens, range(previous_start, subject_end), settings)
            if found:
                return found
        clause_start = previous_start
    return _first_person(tokens, range(last + 1, end + 1), settings) or "ukendt"


def _first_person(tokens: list[Token], indexes: range, settings: ContextSettings) -> str | None:
    for index in indexes:
        found = _person_class(tokens[index], index == 0, settings)
        if found:
            return found
    return None


def _person_class(token: Token, sentence_initial: bool, settings: ContextSettings) -> str | None:
    if settings.professional.matches(token, sentence_initial):
        return "professionel"
    if settings.other.matches(token, sentence_initial):
        return "anden"
    if settings.citizen.matches(token, sentence_initial):
        return "borger"
    return None

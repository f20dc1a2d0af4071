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


def is_negated(tokens: list[Token], first: int, last: int, settings: ContextSettings) -> bool:
    """True when a negation word governs the match tokens[first..last]."""
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


def perspective(tokens: list[Token], first: int, last: int, settings: ContextSettings) -> str:
    """Whose words or acts the match describes: professionel, borger, anden or ukendt.

    The subject usually comes first in a Danish clause, so the first person reference of
    the clause before the match decides. A clause without one ("... og trøster hende")
    shares the subject of the nearest main clause before it (subordinate clauses such as
    "da far nævnes" are skipped); failing that, a person after the match in the clause.
    """
    start, end = clause_bounds(tokens, first, last, settings.clause_words, settings)
    found = _first_person(tokens, range(start, first), settings)
    if found:
        return found
    clause_start = start
    while clause_start > 0:
        previous_start, _ = clause_bounds(tokens, clause_start - 1, clause_start - 1,
                                          settings.clause_words, settings)
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

"""Phrase patterns over Danish word forms.

A pattern is a sequence of terms separated by spaces. A term is one or more
alternatives separated by ``|``; an alternative is

* a word, matched on its Snowball stem (``råd`` matches råd, rådet, rådene),
* a prefix ending in ``*`` (``aflys*`` matches aflyse, aflyste, aflysning),
* ``=word``, matched only in exactly that form,
* ``@list``, any entry of a named word list of the codebook, or ``@navn`` for a word
  that looks like a person's name (capitalised, not a common word).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from effektspor.text.stopwords import danish_stopwords
from effektspor.text.tokens import Token
from effektspor.text.wordforms import stem

NAME_CLASS = "@navn"
_FORMS_LIMIT = 50_000
_ALTERNATIVE = re.compile(r"^(?:=?\w+(?:[-']\w+)*\*?|@\w+)$")

# Capitalised words that start sentences but are not names (besides the stop words).
_NOT_NAMES = frozenset(
    ["vedr", "ift", "ca", "kl", "pga", "mor", "far", "forældrene", "familien", "barnet", "drengen", "pigen", "samtale", "kontakt", "dialog", "møde", "aftale", "aftalt", "ny", "nyt", "nye", "status", "referat", "opfølgning", "netværksmøde", "hjemmebesøg", "besøg", "telefonsamtale", "telefonisk"])
_DEFINITE_ENDINGS = ("et", "ene", "erne", "ingen", "heden", "ningen", "elsen", "else")


@dataclass(frozen=True, slots=True)
class Term:
    """One position of a pattern: stems, exact forms, prefixes and the name class."""

    stems: frozenset[str]
    exact: frozenset[str]
    prefixes: tuple[str, ...]
    names: bool
    # Whether a lower-case word is one of the forms (stem, exact, prefix): a pure function
    # of the word, remembered because the same words are tested again and again.
    _forms: dict[str, bool] = field(default_factory=dict, compare=False, hash=False,
                                    repr=False)

    def matches(self, token: Token, sentence_initial: bool) -> bool:
        """True when ``token`` is one of this term's word forms."""
        word = token.lower
        found = self._forms.get(word)
        if found is None:
            found = self._word_matches(word)
        if found:
            return True
        return self.names and looks_like_name(token, sentence_initial)

    def occurs_in(self, tokens: list[Token]) -> bool:
        """True when any of ``tokens`` matches (the same as ``matches`` on each in turn)."""
        forms = self._forms
        for index, token in enumerate(tokens):
            found = forms.get(token.lower)
            if found is None:
                found = self._word_matches(token.lower)
            if found or (self.names and looks_like_name(token, index == 0)):
                return True
        return False

    def _word_matches(self, word: str) -> bool:
        forms = self._forms
        if len(forms) >= _FORMS_LIMIT:  # bounded: memory stays flat on huge corpora
            forms.clear()
        found = (word in self.exact or bool(self.prefixes and word.startswith(self.prefixes))
                 or bool(self.stems and stem(word) in self.stems))
        forms[word] = found
        return found

    def anchor_keys(self) -> list[tuple[str, str]] | None:
        """(key, kind) pairs for the multi-pattern automaton, None if not anchorable."""
        if self.names:
            return None
        keys = [(s, "stem") for s in self.stems]
        keys += [(e, "exact") for e in self.exact]
        keys += [(p, "prefix") for p in self.prefixes]
        return keys


@dataclass(frozen=True, slots=True)
class Pattern:
    """A parsed pattern: its source text and terms."""

    source: str
    terms: tuple[Term, ...]


def looks_like_name(token: Token, sentence_initial: bool) -> bool:
    """A capitalised word that is probably a person's name.

    Inside a sentence every capitalised word that is not a common word counts; at the
    start of a sentence only short words without a definite noun ending (Storm, Liv,
    Mathias, but not Stemningen, Målet).
    """
    word = token.lower
    if not token.capitalised or word in _NOT_NAMES or word in danish_stopwords() \
            or word.isdigit():
        return False
    if not sentence_initial:
        return True
    return len(word) <= 8 and not word.endswith(_DEFINITE_ENDINGS)


def parse_pattern(text: str, word_lists: dict[str, tuple[str, ...]]) -> Pattern:
    """Parse a pattern; ``ValueError`` with a Danish message if it is not valid."""
    parts = text.split()
    if not parts:
        raise ValueError("mønsteret er tomt")
    terms = []
    for part in parts:
        terms.append(_parse_term(part, word_lists))
    return Pattern(text, tuple(terms))


def _parse_term(part: str, word_lists: dict[str, tuple[str, ...]]) -> Term:
    stems: set[str] = set()
    exact: set[str] = set()
    prefixes: list[str] = []
    names = False
    for alternative in part.lower().split("|"):
        if not alternative or not _ALTERNATIVE.match(alternative):
            raise ValueError(f"'{alternative or part}' er ikke et gyldigt ord, præfiks (ord*) "
                             "eller ordliste (@navn)")
        if alternative == NAME_CLASS:
            names = True
        elif alternative.startswith("@"):
            listed = word_lists.get(alternative[1:])
            if listed is None:
                raise ValueError(f"ordlisten '{alternative}' findes ikke under 'ordlister'")
            term = _parse_term("|".join(listed), {k: v for k, v in word_lists.items()
                                                  if k != alternative[1:]})
            stems |= term.stems
            exact |= term.exact
            prefixes += term.prefixes
            names = names or term.names
        elif alternative.endswith("*"):
            if len(alternative) < 3:
                raise ValueError(f"præfikset '{alternative}' er for kort (mindst to bogstaver)")
            prefixes.append(alternative[:-1])
        elif alternative.startswith("="):
            exact.add(alternative[1:])
        else:
            stems.add(stem(alternative))
    return Term(frozenset(stems), frozenset(exact), tuple(sorted(set(prefixes))), names)

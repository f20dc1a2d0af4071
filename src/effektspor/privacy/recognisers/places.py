"""Places (STED): schools, day care, clubs, other institutions, workplaces, and towns.

Institutions are found by their shape: one word ending in -skolen ("Vestervangsskolen"), a
lead word before a name ("Børnehuset Mælkebøtten", "SFO Regnbuen") or a name before a
trailing word ("Tirsdalens Skole", "Ry Efterskole"). Towns come from the postcode list;
a town that is also an ordinary word or a name ("Ringe", "Flemming") needs a preposition.
"""

from __future__ import annotations

from effektspor.privacy.lexicon import WORD_INFO_CACHE, Lexicon, load_danish_words
from effektspor.privacy.spans import Candidate, TextView

#: Words after which an unknown capitalised word is probably a place ("bor i Vorup").
_PLACE_WORDS = frozenset({"i", "fra", "til", "ved", "nær", "omkring", "udenfor", "mod"})
#: Endings of Danish place names ("Fussingø", "Vorup", "Hammel"): such words stay places.
_PLACE_ENDINGS = ("ø", "øre", "by", "rup", "strup", "trup", "lund", "skov", "borg", "holm",
                  "bjerg", "sø", "dal", "havn", "inge", "sted", "lev", "løse", "bæk", "vig",
                  "næs", "ager", "mose", "hede", "hus", "toft", "tved", "rød", "bro", "mark",
                  "gård", "gaard", "mølle", "bølle", "købing", "ør", "um", "el")
_PLACE_PREPOSITIONS = frozenset({"i", "fra", "til", "på", "ved", "nær", "mod", "omkring",
                                 "udenfor", "syd", "nord", "øst", "vest"})


class PlaceRecogniser:
    """Institutions, workplaces and towns."""

    name = "sted"
    labels = ("STED",)

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self._proper_nouns: frozenset[str] | None = None  # loaded on first use

    def find(self, view: TextView) -> list[Candidate]:
        """Every place-like span."""
        lex = self.lexicon
        text = view.text
        tokens = view.tokens
        found: list[Candidate] = []
        info = lex.info
        cached = WORD_INFO_CACHE.get
        for index, token in enumerate(tokens):
            facts = cached(token.word) or info(token.word)
            if not facts.place:
                if (facts.rank is None and not facts.common and not facts.acronym
                        and not facts.not_person and len(facts.key) > 2):
                    candidate = self._after_place_preposition(view, index)
                    if candidate is not None:
                        found.append(candidate)
                continue
            word = token.word.casefold()
            base = word[:-1] if word.endswith("s") else word
            # 1. one word ending like a school: Vestervangsskolen, Rismølleskolen
            if (word.endswith(lex.institution_endings) and len(word) > 8
                    and word not in lex.generic_institution_words):
                found.append(Candidate(token.start, token.end, "STED", 0.85, self.name))
                continue
            # 2. a lead word before capitalised names: Børnehuset Mælkebøtten, SFO Regnbuen
            if word in lex.institution_prefixes:
                end = _following_names(view, index)
                if end is not None:
                    start = token.start if token.word[0].isupper() and not (
                        view.is_sentence_start(token.start) and word in lex.common_words
                    ) else tokens[index + 1].start
                    found.append(Candidate(start, end, "STED", 0.85, self.name))
                continue
            # 3. a name before a trailing word: Tirsdalens Skole, Aalborg Universitetshospital
            if word in lex.institution_suffixes and index > 0:
                previous = tokens[index - 1]
                if (text[previous.end:token.start] == " "
                        and previous.word.casefold() not in lex.common_words):
                    found.append(Candidate(previous.start, token.end, "STED", 0.8, self.name))
            # 4. workplaces and chains
            if word in lex.workplace_first_words:
                for size in (3, 2, 1):
                    if index + size <= len(tokens):
                        phrase = text[token.start:tokens[index + size - 1].end].casefold()
                        if phrase in lex.workplaces:
                            found.append(Candidate(token.start, tokens[index + size - 1].end,
                                                   "STED", 0.7, self.name))
                            break
            # 5. towns
            if word in lex.town_first_words or base in lex.town_first_words:
                candidate = self._town(view, index)
                if candidate is not None:
                    found.append(candidate)
        return found

    def _after_place_preposition(self, view: TextView, index: int) -> Candidate | None:
        """An unknown capitalised word after 'i', 'fra', 'til' ... mid-sentence ("i Vorup")."""
        token = view.tokens[index]
        if view.text[token.start - 1:token.start] != " ":
            return None
        before = view.word_before(token.start)
        if before in self.lexicon.institution_prefixes:  # "i børnehaven Troldehøj"
            return Candidate(token.start, token.end, "STED", 0.7, self.name)
        if before not in _PLACE_WORDS or view.is_sentence_start(token.start):
            return None
        key = token.word.casefold()
        if self._proper_nouns is None:
            self._proper_nouns = load_danish_words().proper_nouns
        if key in self._proper_nouns and not key.endswith(_PLACE_ENDINGS):
            return None  # a person's name in the word list ("til Hemingway")
        return Candidate(token.start, token.end, "STED", 0.55, self.name)

    def _town(self, view: TextView, index: int) -> Candidate | None:
        lex = self.lexicon
        tokens = view.tokens
        token = tokens[index]
        end = token.end
        if index + 1 < len(tokens) and view.text[token.end:tokens[index + 1].start] == " ":
            two = f"{token.word} {tokens[index + 1].word}".casefold()
            if two in lex.towns:
                end = tokens[index + 1].end
        name = view.text[token.start:end].casefold()
        if name not in lex.towns:
            if name.endswith("s") and name[:-1] in lex.towns:
                name = name[:-1]
            else:
                return None
        if index and view.text[tokens[index - 1].end:token.start] == " ":
            previous = tokens[index - 1].word.casefold()
            if (lex.first_name_rank(previous) is not None and previous not in lex.common_words
                    and previous not in lex.towns):
                return None  # "Birgit Karup", "Georg Brandes": a surname after a first name
        ambiguous = (name in lex.common_words or lex.name_rank(name) is not None
                     or len(name) <= 3)
        if ambiguous:
            if view.word_before(token.start) not in _PLACE_PREPOSITIONS:
                return None
            return Candidate(token.start, end, "STED", 0.6, self.name)
        return Candidate(token.start, end, "STED", 0.8, self.name)


def _following_names(view: TextView, index: int) -> int | None:
    """End of the capitalised words right after token ``index`` (same line), or None."""
    tokens = view.tokens
    end = None
    position = index + 1
    previous_end = tokens[index].end
    while position < len(tokens):
        gap = view.text[previous_end:tokens[position].start]
        if gap != " ":
            break
        end = tokens[position].end
        previous_end = end
        position += 1
    return end

"""Person names from the name lists, the position in the sentence and the context.

Only capitalised words are looked at. In the middle of a sentence a capitalised word from
the name lists is a name (Danish nouns are lower case); at the start of a sentence a word
that is also an ordinary word ("Liv", "Storm", "Sol") needs a cue: a verb right after it
("Liv græd"), a surname after it, or the same name used elsewhere in the text. Frequent
function words ("Han", "Den", "Som" are in the lists too) are names only next to another
name. Role words before a word ("mor (Jannie Holm)", "hedder") make unknown words names.
Adjacent name words form one name ("Anne Sofie Holm Jensen"); a trailing -s or an
apostrophe is kept as a possessive ("Frejas", "Mads'").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from effektspor.privacy.lexicon import (
    COMMON_NAME_RANK,
    WORD_INFO_CACHE,
    Lexicon,
    WordInfo,
    load_danish_words,
)
from effektspor.privacy.spans import Candidate, TextView, Token

_MISSING = object()
ROLE_WORDS = frozenset(["mor", "far", "mors", "fars", "mormor", "morfar", "farmor", "farfar", "moster", "faster", "morbror", "farbror", "onkel", "tante", "søster", "bror", "storesøster", "lillesøster", "storebror", "lillebror", "søn", "sønnen", "datter", "datteren", "barn", "barnet", "pigen", "drengen", "kæreste", "kæresten", "ven", "veninde", "vennen", "veninden", "kammerat", "klassekammerat", "nabo", "naboen", "plejemor", "plejefar", "stedmor", "stedfar", "bonusmor", "bonusfar", "fætter", "kusine", "lærer", "læreren", "klasselærer", "klasselæreren", "pædagog", "pædagogen", "kontaktpædagog", "sagsbehandler", "sagsbehandleren", "socialrådgiver", "socialrådgiveren", "psykolog", "psykologen", "skolepsykolog", "læge", "lægen", "sundhedsplejerske", "sundhedsplejersken", "advokat", "advokaten", "tolk", "tolken", "familiebehandler", "kollega", "chef", "hedder", "hed", "kaldet", "kaldes", "navnet", "navn", "fru", "hr", "plejebarn", "lillebroren", "storebroren", "søsteren", "broren", "kontaktperson"])
NAMING_WORDS = frozenset({"hedder", "hed", "kaldet", "kaldes", "navnet", "navn"})
VERB_CUES = frozenset(["er", "var", "har", "havde", "blev", "bliver", "kan", "kunne", "vil", "ville", "skal", "skulle", "må", "måtte", "får", "fik", "går", "gik", "kom", "kommer", "sagde", "siger", "fortalte", "fortæller", "græd", "græder", "sov", "sover", "spiste", "spiser", "legede", "leger", "løb", "løber", "sad", "sidder", "står", "stod", "virker", "virkede", "smilede", "smiler", "råbte", "råber", "ønsker", "ønskede", "mener", "mente", "synes", "syntes", "bor", "boede", "skriver", "skrev", "tog", "tager", "gav", "giver", "spurgte", "spørger", "svarede", "svarer", "fandt", "finder", "lå", "ligger", "lo", "griner", "grinede", "viste", "viser", "ringede", "ringer", "kigger", "kiggede", "trives", "trivedes", "reagerede", "reagerer", "begyndte", "begynder", "slog", "slår", "glæder", "glædede", "elsker", "hader"])
SURNAME_ENDINGS = ("sen", "søn", "son", "strup", "gaard", "gård", "borg", "mann", "ski",
                   "ska", "vić", "vic", "oglu", "oğlu")


@dataclass(slots=True)
class _Word:
    token: Token
    key: str
    end: int
    rank: int | None
    confidence: float
    possessive: bool
    blocked: bool = False
    foreign: bool = False


class NameRecogniser:
    """Finds person names; see the module docstring for the rules."""

    name = "navn"
    labels = ("NAVN",)

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        #: the word-list facts of an all-caps word's capitalised form (None: no name)
        self._caps: dict[str, WordInfo | None] = {}
        #: whether a first name may be found in lower case (no Danish word)
        self._lower: dict[str, bool] = {}

    def find(self, view: TextView) -> list[Candidate]:
        """Every name (one candidate per run of adjacent name words)."""
        known = _known_name_keys(view)
        info = self.lexicon.info
        cached = WORD_INFO_CACHE.get
        words: list[_Word] = []
        append = words.append
        score = self._score
        word_names = self.lexicon.word_first_names
        names_before = initials = False
        text = view.text
        apostrophes = "'" in text or "’" in text
        for token in view.tokens:
            facts = cached(token.word) or info(token.word)
            if facts.common and not facts.name_like and facts.key not in known:
                # "Han", "Den", "Mor" ...: never a name on their own; "Hans", "Sine" may
                # join the name after them (see _widen)
                if facts.key in word_names:
                    names_before = True
                continue
            if facts.length < 5 and (facts.length == 1 or facts.key in _NAME_ABBREVIATIONS):
                initials = True  # an initial ("P.") or an abbreviated name ("Chr.")?
            append(score(view, token, known, facts, apostrophes))
        if not words:
            return []
        self._block_phrases(view, words)
        # every name word found with confidence counts for the rest of the text, also
        # inflected: "Villads Krogholm … Krogholm sagde … Krogholms bil"; a surer word
        # (≥ 0.7) also makes an ambiguous one certain ("Liv græd … Liv var glad")
        confident = {w.key for w in words if w.confidence >= 0.7 and not w.blocked}
        low = [w for w in words if w.confidence < 0.7 and not w.blocked]
        if low:
            sure = {w.key for w in low if w.confidence >= 0.5}
            for word in low:
                key = word.key
                if key in confident or (word.confidence < 0.5 and key in sure):
                    word.confidence = 0.8
                elif key[-1] == "s" and (key[:-1] in confident or key[:-1] in sure):
                    word.key, word.possessive, word.confidence = key[:-1], True, 0.8
        found = self._group(view, words, names_before, initials)
        if confident:
            # a first name found with a capital is found in lower case too (see _lower_case)
            text = view.text
            lower = self._lower
            for key in confident:
                known = lower.get(key)
                if known is None:
                    known = self._lower_case_name(key)
                if known and key in text:
                    return self._lower_case(view, confident, found)
        return found

    def _lower_case(self, view: TextView, confident: set[str],
                    found: list[Candidate]) -> list[Candidate]:
        """A first name found with a capital is found in lower case too ("skrev anne").

        Only names that are no Danish word, and only in the same text: in informal notes
        and messages names are often written in lower case.
        """
        text = view.text
        size = len(text)
        extra: list[Candidate] = []
        lower = self._lower
        for key in confident:
            known = lower.get(key)
            if known is None:
                known = self._lower_case_name(key)
            if not known:
                continue
            position = text.find(key)
            while position >= 0:
                end = position + len(key)
                possessive = text[end:end + 1] == "s"
                after = end + 1 if possessive else end
                if (not (position and text[position - 1].isalnum())
                        and not (after < size and text[after].isalnum())):
                    extra.append(Candidate(position, after, "NAVN", 0.7, self.name,
                                           possessive=possessive))
                position = text.find(key, end)
        if not extra:
            return found
        return sorted(found + extra, key=lambda c: c.start)

    def _lower_case_name(self, key: str) -> bool:
        known = self._lower.get(key)
        if known is None:
            lex = self.lexicon
            rank = lex.first_name_rank(key)
            known = (rank is not None and rank <= COMMON_NAME_RANK and len(key) > 2
                     and key not in lex.common_words and key not in lex.towns
                     and key not in load_danish_words().words)  # a dictionary entry
            if len(self._lower) > 50_000:
                self._lower.clear()
            self._lower[key] = known
        return known

    def _score(self, view: TextView, token: Token, known: set[str], info,
               apostrophes: bool = True) -> _Word:
        lex = self.lexicon
        end = token.start + info.length
        key = info.key
        if info.acronym:
            if key not in known and len(token.word) > 1 and token.word.isupper():
                caps = self._all_caps(view, token)
                if caps is not None:
                    return caps
            return _Word(token, key, end, None, 0.0, False, blocked=key not in known)
        possessive = info.possessive
        rank = info.rank
        if not possessive and apostrophes and view.text[end:end + 1] in ("'", "’"):
            text = view.text
            if key[-1] in "sxz" and not text[end + 1:end + 2].isalpha():
                possessive = True  # "Mads'"
                end += 1
            elif text[end + 1:end + 2] == "s" and not text[end + 2:end + 3].isalpha():
                possessive = True  # "Vance's", "Aikin's"
                end += 2
        if known and (key in known):
            return _Word(token, key, end, rank or 1, 1.0, possessive)
        if info.not_person:
            return _Word(token, key, end, rank, 0.0, possessive, blocked=True)
        if info.geographic:  # "Paris", "Kina": may only continue a name
            return _Word(token, key, end, None, 0.0, possessive)
        common = info.common
        function_word = common and not info.name_like
        if function_word:
            # "Han", "Den", "Der" ...: never a name on their own, and never joined to one
            return _Word(token, key, end, rank, 0.1, possessive)
        if rank is None:
            if common or key in lex.town_first_words:
                return _Word(token, key, end, None, 0.0, possessive)
            before = view.word_before(token.start)
            confidence = 0.0
            if before in NAMING_WORDS:
                confidence = 0.8
            elif (before in ROLE_WORDS or info.foreign or (
                    key.endswith(SURNAME_ENDINGS) and len(key) > 4)
                  ) and not _sentence_start(view, token.start):
                # after a role word, not a Danish word, or shaped like a surname: only in
                # mid-sentence (where Danish writes only proper nouns with a capital)
                confidence = 0.6 if before in ROLE_WORDS or info.foreign else 0.55
            elif info.foreign and _foreign_name_at_start(view, token, end):
                confidence = 0.55  # "Pulatov ser …", "Tweedies dagbog …"
            return _Word(token, key, end, None, confidence, possessive,
                         foreign=info.foreign)
        position = token.start
        text = view.text
        if position > 1 and text[position - 1] == " " and (
                text[position - 2].isalnum() or text[position - 2] == ","):
            start = False  # the usual case, as in TextView.is_sentence_start
        else:
            start = view.is_sentence_start(position)
        if start:
            if common and rank > COMMON_NAME_RANK:
                confidence = 0.15
            elif common:
                cue = possessive or _verb_cue(view, end) or view.text[end:end + 1] == ","
                confidence = 0.65 if cue else 0.35
            else:
                confidence = 0.85 if rank <= COMMON_NAME_RANK else 0.45
        else:
            confidence = 0.9 if rank <= COMMON_NAME_RANK else 0.7
        if confidence < 0.85 and view.word_before(token.start) in ROLE_WORDS:
            confidence = 0.85
        return _Word(token, key, end, rank, confidence, possessive)

    def _all_caps(self, view: TextView, token: Token) -> _Word | None:
        """An all-caps word read as its capitalised form ("HOPKINS", "JENS-PETER").

        A frequent first name or surname of four letters or more is a name (0.6); a rarer
        name, a foreign-looking word or a short one only joins a name next to it (0.35).
        """
        facts = self._caps.get(token.word, _MISSING)
        if facts is _MISSING:
            word = "-".join(part.capitalize() for part in token.word.split("-"))
            facts = self.lexicon.info(word)
            if (facts.common or facts.not_person or facts.place or facts.acronym
                    or facts.geographic):
                facts = None
            if len(self._caps) > 100_000:
                self._caps.clear()
            self._caps[token.word] = facts
        if facts is None:
            return None
        word = token.word
        if facts.rank is not None and facts.rank <= COMMON_NAME_RANK and len(word) > 3:
            confidence = 0.6
        elif facts.foreign and len(word) > 4 and not _sentence_start(view, token.start) and (
                view.text[token.start - 2:token.start - 1].islower()):
            confidence = 0.55  # "satte SPIELBERG selv": after a word in lower case
        elif facts.rank is not None or facts.foreign:
            confidence = 0.35
        else:
            return None
        return _Word(token, facts.key, token.start + facts.length, facts.rank, confidence,
                     facts.possessive)

    def _block_phrases(self, view: TextView, words: list[_Word]) -> None:
        """Mark words inside phrases that are not persons ("Marte Meo", "Barnets Lov")."""
        starts = self.lexicon.not_person_phrase_starts
        text = None
        for phrases_index, word in enumerate(words):
            if word.key not in starts:
                continue
            if text is None:
                text = view.text.casefold()
            for phrase in self.lexicon.not_person_phrases:
                if phrase[0] != word.key:
                    continue
                joined = " ".join(phrase)
                if text.startswith(joined, word.token.start):
                    stop = word.token.start + len(joined)
                    for other in words[phrases_index:]:
                        if other.token.start >= stop:
                            break
                        other.blocked = True

    def _group(self, view: TextView, words: list[_Word], names_before: bool = False,
               initials: bool = False) -> list[Candidate]:
        found = []
        lex = self.lexicon
        text = view.text
        count = len(words)
        index = 0
        while index < count:
            word = words[index]
            if word.blocked or word.confidence < 0.3:
                index += 1
                continue
            first = last = index
            # extend right over adjacent words that can be part of a name
            while last + 1 < count and not words[last].possessive:
                nxt = words[last + 1]
                end = words[last].end
                if nxt.token.start != end + 1 or text[end] != " " or nxt.blocked:
                    break
                if not (nxt.confidence >= 0.3 or _can_join(nxt, lex)):
                    break
                last += 1
            # extend left over one preceding word that can be part of a name
            if first > 0:
                prev = words[first - 1]
                if ((prev.rank is not None or prev.foreign) and not prev.blocked
                        and not prev.possessive
                        and word.token.start == prev.end + 1 and text[prev.end] == " "
                        and (prev.key not in lex.common_words
                             or prev.key in lex.name_like_words)):
                    first -= 1
            if first == last:
                confidence = word.confidence
            else:
                group = words[first:last + 1]
                confidence = max(w.confidence for w in group)
                if sum(1 for w in group if w.rank is not None) > 1:
                    confidence = min(1.0, max(confidence, 0.6) + 0.1)
            if confidence >= 0.3:
                found.append(Candidate(words[first].token.start, words[last].end, "NAVN",
                                       confidence, self.name, possessive=words[last].possessive))
            index = last + 1
        if not found:
            return found
        return _widen(view, found, lex, initials, names_before)


#: Initials right before a name ("P. E. ", "H.L.", "J. P. "), at the end of the text before it.
_INITIALS_BEFORE = re.compile(r"(?:^|(?<=[\s(\"“»]))((?:[A-ZÆØÅ]\.[ -]?)+)$")


#: A lower-case particle inside a name and the capitalised word after it.
_PARTICLE_AFTER = re.compile(r" (?:van der|van den|van|von|de|da|di|del|della|du|la|le|al|el"
                             r"|bin|ibn|ten|ter|dos|das)[ -]([A-ZÆØÅ][^\W\d_]+)")
#: Abbreviated first names and titles that belong to the name after them.
_NAME_ABBREVIATIONS = frozenset({"chr", "fr", "th", "jac", "joh", "kr", "mich", "wm", "vald",
                                 "mr", "mrs", "ms", "dr"})
_PARTICLE_PREFIXES = tuple(f" {word}{gap}" for word in (
    "van", "von", "de", "da", "di", "del", "della", "du", "la", "le", "al", "el", "bin", "ibn",
    "ten", "ter", "dos", "das") for gap in " -")
_CAPITALISED_AFTER = re.compile(r" ([A-ZÆØÅ][a-zæøåéü]+)(?=[\s,.;:!?)\"”»]|$)")
#: Words that never continue a name, even with a capital letter.
_NEVER_SURNAME = frozenset({"og", "eller", "men", "at", "som", "der", "den", "det", "de", "en",
                            "et", "i", "på", "til", "fra", "med", "om", "for", "af", "har",
                            "er", "var", "kan", "vil", "skal", "han", "hun", "jeg", "du",
                            "vi", "mor", "far"})


def _surname_after(text: str, candidate: Candidate, end: int, lex: Lexicon) -> int:
    """End of a surname that is also a word or a town, right after a first name.

    "Torben Vest", "Ulf Stark", "Birgit Karup": with a capital in mid-sentence after a
    first name, the word is the surname, not the noun or the town.
    """
    match = _CAPITALISED_AFTER.match(text, end)
    if not match:
        return end
    last = text[candidate.start:candidate.end].rsplit(" ", 1)[-1].casefold()
    if lex.first_name_rank(last) is None or last in lex.common_words:
        return end
    key = match.group(1).casefold()
    if key in _NEVER_SURNAME or key in lex.not_person or key in lex.institution_suffixes:
        return end
    if (key in lex.common_words or key in lex.towns or key in lex.town_first_words
            or lex.name_rank(key) is not None):
        return match.end()
    return end


def _widen(view: TextView, found: list[Candidate], lex: Lexicon, initials: bool,
           names_before: bool) -> list[Candidate]:
    """Names widened over their initials, particles and parts that are also words.

    "P. E. Pedersen", "Holger K. Nielsen" (two names joined over the initial), "Inger P.",
    "Marco van Basten", "Hans Engell" or "Sine Diemar" (a first name that is also a
    function word, which is no name on its own) and "Torben Vest" are one name each.
    ``initials``/``names_before``: whether the text has one-letter capitals or such first
    names at all (the usual text has neither, and only the cheap checks run).
    """
    text = view.text
    changed = False
    left = initials or names_before
    startswith = text.startswith
    for index, candidate in enumerate(found):
        end = candidate.end
        if not left and not startswith(" ", end):
            continue  # the usual case: punctuation after the name, nothing before it
        start = candidate.start
        if initials and start > 2:
            dot = start - 1 if text[start - 1] == "." else start - 2
            if text[dot] == "." and text[dot - 1].isupper() and (
                    dot < 2 or not text[dot - 2].isalpha()):  # "P. Hansen", "H.L.Hansen"
                match = _INITIALS_BEFORE.search(text, start - 14 if start > 14 else 0, start)
                if match:
                    start = match.start(1)
            elif text[dot] == ".":  # "Chr. Petersen", "Mr. Jay"
                space = text.rfind(" ", start - 8 if start > 8 else 0, dot)
                if text[space + 1:dot].casefold() in _NAME_ABBREVIATIONS:
                    start = space + 1
        if names_before and start > 2 and text[start - 1] == " ":
            space = text.rfind(" ", start - 20 if start > 20 else 0, start - 1)
            key = text[space + 1:start - 1].casefold()
            if key in lex.word_first_names and text[space + 1].isupper():
                start = space + 1
        if not candidate.possessive and startswith(" ", end):
            following = text[end + 1:end + 2]
            if following.isupper():
                if text[end + 2:end + 3] == "." and not text[end + 3:end + 4].isalpha():
                    end += 3  # "Inger P."
                else:
                    end = _surname_after(text, candidate, end, lex)
            elif startswith(_PARTICLE_PREFIXES, end):
                match = _PARTICLE_AFTER.match(text, end)
                if match:  # "Marco van Basten", "Peter de Neef"
                    end = match.end()
        if start != candidate.start or end != candidate.end:
            found[index] = Candidate(start, end, "NAVN", candidate.confidence,
                                     candidate.source, candidate.possessive)
            changed = True
    if not changed:
        return found
    widened: list[Candidate] = []
    for candidate in found:
        if widened and not widened[-1].possessive and (
                candidate.start < widened[-1].end
                or text[widened[-1].end:candidate.start] == " "):
            last = widened[-1]
            confidence = (last.confidence if last.confidence > candidate.confidence
                          else candidate.confidence)
            widened[-1] = Candidate(last.start, candidate.end, "NAVN", confidence, last.source,
                                    candidate.possessive)
            continue
        widened.append(candidate)
    return widened


def _sentence_start(view: TextView, position: int) -> bool:
    """``view.is_sentence_start`` with its usual case (after a word and a space) inlined."""
    text = view.text
    if position > 1 and text[position - 1] == " ":
        previous = text[position - 2]
        if previous.isalnum() or previous == ",":
            return False
    return view.is_sentence_start(position)


def _can_join(word: _Word, lex: Lexicon) -> bool:
    """A word that may continue a name (a surname, or an unknown capitalised word)."""
    if word.blocked or word.key in lex.common_words and word.key not in lex.name_like_words:
        return False
    return not (word.key in lex.town_first_words or word.key in lex.institution_suffixes)


def _foreign_name_at_start(view: TextView, token: Token, end: int) -> bool:
    """A foreign-looking word first in a sentence, read as a name by what follows it.

    A verb after it ("Pulatov ser", "Mewa hørte"), or, for a word ending in -s, a noun in
    lower case ("Tweedies dagbog"): a name or its genitive; not after a quote mark.
    """
    if view.text[token.start - 1:token.start] in ("\"", "“", "»", "'"):
        return False
    if _verb_cue(view, end):
        return True
    after = view.word_after(end)
    return token.word.endswith("s") and len(token.word) > 4 and after[:1].islower() and (
        after not in VERB_CUES)


def _verb_cue(view: TextView, end: int) -> bool:
    after = view.word_after(end)
    if not after:
        return False
    if after.startswith("("):
        return True
    if after == "og":  # "Liv og Storm kom": two names joined
        rest = view.text[end:end + 40].lstrip()[2:].lstrip()
        return rest[:1].isupper()
    return after in VERB_CUES or (after.islower() and after.endswith(("ede", "te", "er")))


def _known_name_keys(view: TextView) -> set[str]:
    keys: set[str] = set()
    for text, label in view.known:
        if label == "NAVN":
            for part in text.replace("-", " ").split():
                keys.add(part.casefold())
            for part in text.split():
                keys.add(part.casefold())
    return keys

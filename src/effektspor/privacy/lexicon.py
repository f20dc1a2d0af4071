"""Word lists the recognisers use, loaded once from ``effektspor/data/privacy``.

Names come from Danmarks Statistik (via OS2datascanner, MPL-2.0, see NOTICE there) and are
stored upper case, most frequent first; we keep each name's rank so that rare "names" (the
lists hold every name with at least one bearer, so also words like DET or HOLDE) count as
names only where the position in the sentence says so. All lookups are by casefolded word.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

DATA_PACKAGE = "effektspor.data.privacy"

#: Names more frequent than this rank count as names even where the sentence position is
#: ambiguous (the first word of a sentence); rarer ones only in the middle of a sentence.
COMMON_NAME_RANK = 6000


@dataclass(frozen=True, slots=True)
class WordInfo:
    """What the word lists say about one capitalised word (cached per spelling)."""

    key: str
    length: int
    rank: int | None
    possessive: bool
    common: bool
    name_like: bool
    not_person: bool
    acronym: bool
    place: bool = False
    #: Not in the name lists and not an ordinary Danish word, place or known non-person
    #: (Stavekontrolden): in mid-sentence almost always a name ("Waigel", "Funar").
    foreign: bool = False
    #: A place name of Stavekontrolden that is no frequent name ("Paris", "Kina"): not a
    #: name on its own.
    geographic: bool = False


#: ``Lexicon.info`` per spelling, shared by the (one) lexicon of the process; hot loops
#: read it directly (``WORD_INFO_CACHE.get(word) or lexicon.info(word)``) to save a call.
WORD_INFO_CACHE: dict[str, WordInfo] = {}


class DanishWords:
    """Stavekontrolden's Danish words (with suffix rules), place names and proper nouns.

    ``is_word`` answers whether a casefolded word is an ordinary Danish word in any
    inflected form, by stripping the dictionary's suffixes (two levels) at look-up time, so
    that no expanded list of a million forms has to be loaded.
    """

    def __init__(self, text: str):
        self.words: dict[str, frozenset[str]] = {}
        places: set[str] = set()
        proper: set[str] = set()
        #: suffix rules by the added ending: (flag, strip, add, condition as letter sets,
        #: continuation flags)
        self.rules: dict[str, list[tuple[str, str, str, tuple, frozenset[str]]]] = {}
        section = ""
        empty: frozenset[str] = frozenset()
        flag_sets: dict[str, frozenset[str]] = {}
        words = self.words
        for line in text.splitlines():
            if not line or line[0] == "#":
                continue
            if line[0] == "[":
                section = line
                continue
            if section == "[ord]":
                word, _, flags = line.partition("/")
                if flags:
                    found = flag_sets.get(flags)
                    if found is None:
                        found = flag_sets[flags] = frozenset(flags.split(","))
                    words[word] = found
                else:
                    words[word] = empty
            elif section == "[endelser]":
                flag, strip, add, condition, continuation = line.split("\t")
                rule = (flag, strip, add, _condition(condition),
                        frozenset(continuation.split(",")) if continuation else empty)
                self.rules.setdefault(add, []).append(rule)
            elif section == "[steder]":
                places.add(line.casefold())
            elif section == "[egennavne]":
                proper.add(line.casefold())
        self.longest = max((len(add) for add in self.rules), default=0)
        #: the rules grouped by (added ending, stripped ending): one stem per group
        self.groups: dict[str, list[tuple[str, list[tuple[str, tuple, frozenset[str]]]]]] = {}
        for add, rules in self.rules.items():
            by_strip: dict[str, list[tuple[str, tuple, frozenset[str]]]] = {}
            for flag, strip, _add, condition, continuation in rules:
                by_strip.setdefault(strip, []).append((flag, condition, continuation))
            self.groups[add] = list(by_strip.items())
        suffix_flags = {rule[0] for rules in self.rules.values() for rule in rules}
        #: flags of suffixes that may follow another suffix, and the rules they may follow
        self.outer_flags = frozenset(flag for rules in self.rules.values() for rule in rules
                                     for flag in rule[4] if flag in suffix_flags)
        self.inner_groups: dict[str, list] = {}
        for add, groups in self.groups.items():
            kept = [(strip, inner) for strip, rules in groups
                    if (inner := [rule for rule in rules if rule[2] & self.outer_flags])]
            if kept:
                self.inner_groups[add] = kept
        self.places = frozenset(places)
        self.proper_nouns = frozenset(proper - places)

    def is_word(self, key: str) -> bool:
        """True when ``key`` (casefolded) is a Danish word in some inflected form."""
        words = self.words
        if key in words:
            return True
        middles: list[tuple[str, list[tuple[str, tuple, frozenset[str]]]]] = []
        for stem, rules in self._stems(key):
            flags = words.get(stem)
            if flags is not None:
                for flag, condition, _ in rules:
                    if flag in flags and _matches(stem, condition):
                        return True
            outer = [rule for rule in rules if rule[0] in self.outer_flags]
            if outer:
                middles.append((stem, outer))
        # two levels: the stem is itself a suffixed form ("ringede" + "s") whose rule
        # allows the outer suffix after it
        for middle, outer_rules in middles:
            for inner, inner_rules in self._stems(middle, self.inner_groups):
                flags = words.get(inner)
                if flags is None:
                    continue
                for inner_flag, inner_condition, continuation in inner_rules:
                    if (inner_flag in flags and continuation
                            and _matches(inner, inner_condition)
                            and any(flag in continuation and _matches(middle, condition)
                                    for flag, condition, _ in outer_rules)):
                        return True
        return False

    def _stems(self, key: str, groups: dict | None = None):
        """(stem, rules) for every suffix group whose ending ``key`` has."""
        groups = self.groups if groups is None else groups
        for size in range(min(self.longest, len(key) - 2) + 1):
            found = groups.get(key[len(key) - size:] if size else "")
            if found:
                base = key[:len(key) - size]
                for strip, rules in found:
                    yield base + strip, rules

    def is_compound(self, key: str, depth: int = 2) -> bool:
        """True when ``key`` is two (or three) Danish words joined, the last inflected.

        "trafikchefen", "billetprisen", "studieaktivitetskontrollen": Danish writes
        compounds as one word, and most are in no dictionary. A part has three letters or
        more; a joining -s- or -e- between the parts is allowed.
        """
        words = self.words
        for split in range(3, len(key) - 2):
            head = key[:split]
            if head not in words and not (head[-1] in "se" and head[:-1] in words):
                continue
            tail = key[split:]
            if self.is_word(tail) or (depth > 1 and self.is_compound(tail, depth - 1)):
                return True
        return False


def _condition(condition: str) -> tuple:
    """A hunspell condition ('.', 'e', '[^e]', '[sxz]', 'ig') as a list of letter sets."""
    parts: list[tuple[frozenset[str], bool]] = []
    index = 0
    while index < len(condition):
        char = condition[index]
        if char == "[":
            close = condition.index("]", index)
            body = condition[index + 1:close]
            negated = body.startswith("^")
            parts.append((frozenset(body.lstrip("^").casefold()), negated))
            index = close + 1
        elif char == ".":
            parts.append((frozenset(), True))
            index += 1
        else:
            parts.append((frozenset(char.casefold()), False))
            index += 1
    return tuple(parts)


def _matches(stem: str, condition: tuple) -> bool:
    if len(stem) < len(condition):
        return False
    tail = stem[len(stem) - len(condition):]
    return all((char in letters) != negated
               for char, (letters, negated) in zip(tail, condition, strict=True))


@lru_cache(maxsize=1)
def load_danish_words() -> DanishWords:
    """Stavekontrolden's word list (loaded on first use, cached)."""
    return DanishWords(_read("da_ord_stavekontrolden.txt"))


@dataclass(frozen=True)
class Lexicon:
    """All word lists, as casefolded sets and dicts (built once per process)."""

    female_rank: dict[str, int]
    male_rank: dict[str, int]
    surname_rank: dict[str, int]
    common_words: frozenset[str]
    name_like_words: frozenset[str]
    not_person: frozenset[str]
    not_person_phrases: tuple[tuple[str, ...], ...]
    not_person_phrase_starts: frozenset[str]
    street_names: frozenset[str]
    street_first_words: frozenset[str]
    towns: dict[str, str]
    town_first_words: frozenset[str]
    postcodes: dict[str, str]
    institution_prefixes: frozenset[str]
    institution_suffixes: frozenset[str]
    institution_endings: tuple[str, ...]
    generic_institution_words: frozenset[str]
    workplaces: frozenset[str]
    workplace_first_words: frozenset[str]
    skip_words: frozenset[str] = frozenset()
    #: Frequent words that are also frequent first names ("hans", "sine", "tage"): kept
    #: as tokens, so that "Hans Engell" in mid-sentence can be one name.
    word_first_names: frozenset[str] = frozenset()

    def info(self, word: str) -> WordInfo:
        """The word-list facts about ``word`` as written (cached, bounded)."""
        found = WORD_INFO_CACHE.get(word)
        if found is None:
            if len(WORD_INFO_CACHE) > 300_000:
                WORD_INFO_CACHE.clear()
            found = WORD_INFO_CACHE[word] = self._make_info(word)
        return found

    def _make_info(self, word: str) -> WordInfo:
        full = word.casefold()
        place = (full.endswith(self.institution_endings) or full in self.institution_prefixes
                 or full in self.institution_suffixes or full in self.workplace_first_words
                 or full in self.town_first_words or full[:-1] in self.town_first_words)
        info = self._name_info(word)
        if place:
            return WordInfo(info.key, info.length, info.rank, info.possessive, info.common,
                            info.name_like, info.not_person, info.acronym, True)
        if info.acronym or info.common or info.not_person or info.length < 2:
            return info
        if info.rank is None or info.rank > COMMON_NAME_RANK or info.possessive:
            places = load_danish_words().places
            rank = self._compound_rank(full)
            if (full in places and (rank is None or rank > COMMON_NAME_RANK)) or (
                    info.key in places and (info.rank is None or info.rank > COMMON_NAME_RANK)):
                return dataclasses.replace(info, geographic=True)
            if info.rank is None and _foreign(info.key, self):
                return dataclasses.replace(info, foreign=True)
        return info

    def _name_info(self, word: str) -> WordInfo:
        length = len(word)
        if "-" in word:
            head, _, rest = word.partition("-")
            if rest and any(part[:1].islower() for part in rest.split("-")):
                word, length = head, len(head)
        key = word.casefold()
        if (word.isupper() and len(word) > 1) or len(word) < 2:
            return WordInfo(key, length, None, False, False, False, False, True)
        rank = self._compound_rank(key)
        possessive = False
        if (rank is None or rank > COMMON_NAME_RANK) and key.endswith("s") and len(key) > 2:
            stem_rank = self._compound_rank(key[:-1])
            if (stem_rank is not None and key not in self.common_words
                    and (rank is None or stem_rank <= COMMON_NAME_RANK)):
                key, rank, possessive = key[:-1], stem_rank, True
        not_person = key in self.not_person or (key[-1:] == "s" and key[:-1] in self.not_person)
        return WordInfo(key, length, rank, possessive, key in self.common_words,
                        key in self.name_like_words, not_person, False)

    def _compound_rank(self, key: str) -> int | None:
        if "-" in key:
            ranks = [self.name_rank(part) for part in key.split("-")]
            return None if None in ranks else max(ranks)  # type: ignore[type-var]
        return self.name_rank(key)

    def first_name_rank(self, word: str) -> int | None:
        """The best rank of ``word`` (casefolded) among female and male first names."""
        ranks = [r for r in (self.female_rank.get(word), self.male_rank.get(word)) if r]
        return min(ranks) if ranks else None

    def name_rank(self, word: str) -> int | None:
        """The best rank of ``word`` as a first name or surname, or None."""
        ranks = [r for r in (self.female_rank.get(word), self.male_rank.get(word),
                             self.surname_rank.get(word)) if r]
        return min(ranks) if ranks else None

    def is_female(self, word: str) -> bool:
        """True when ``word`` ranks better as a female than as a male first name."""
        female = self.female_rank.get(word)
        male = self.male_rank.get(word)
        return female is not None and (male is None or female < male)


def _foreign(key: str, lexicon: Lexicon) -> bool:
    """True when ``key`` is no Danish word, place, street or town (see WordInfo.foreign)."""
    if key in lexicon.towns or key in lexicon.street_names or not key.replace("-", "").isalpha():
        return False
    words = load_danish_words()
    if key in words.proper_nouns:
        return True
    parts = key.split("-")
    for part in parts:
        stem = part[:-1] if part.endswith("s") and len(part) > 3 else part
        if part in words.places or stem in words.places or stem in lexicon.towns:
            return False
        if words.is_word(part) or lexicon.name_rank(part) is not None and (
                part in lexicon.common_words):
            return False
    return key.endswith(_SURNAME_PARTS) or not (len(key) > 7 and words.is_compound(key))


#: Last parts of Danish surnames made of words ("Krogholm", "Lundbæk", "Appelgren"): such a
#: compound is taken for a name, other compounds ("Trafikchefen") for words.
_SURNAME_PARTS = ("holm", "bæk", "bek", "gren", "berg", "bjerg", "gaard", "gård", "lund",
                  "skov", "dal", "dahl", "høj", "by", "rup", "strup", "trup", "toft", "hede",
                  "mose", "vig", "næs", "feldt", "felt", "stein", "sten", "kær", "kjær",
                  "ager", "borg", "bro", "kilde", "torp", "thorp", "vad", "bøl", "løv", "lev",
                  "mann", "man", "sen", "son", "søn", "ström", "strøm", "qvist", "kvist",
                  "ling", "rod", "rød", "wald", "hoff", "hof")


def _read(name: str) -> str:
    return resources.files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")


def _ranked_names(name: str) -> dict[str, int]:
    ranks: dict[str, int] = {}
    for rank, line in enumerate(_read(name).splitlines(), start=1):
        word = json.loads(line).casefold() if line.strip() else ""
        if len(word) >= 2 and word.replace("-", "").isalpha() and not word.endswith("-"):
            ranks.setdefault(word, rank)
    return ranks


def _common_words() -> tuple[frozenset[str], frozenset[str]]:
    """All common words, and those that only appear in the 'also names' section."""
    strong: set[str] = set()
    name_like: set[str] = set()
    section = ""
    for line in _read("almindelige_ord.txt").splitlines():
        if line.startswith("##"):
            section = line
            continue
        if line.startswith("#"):
            continue
        target = name_like if "også er navne" in section else strong
        target.update(word.casefold() for word in line.split())
    return frozenset(strong | name_like), frozenset(name_like)


def _institution_sections() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for line in _read("institutioner.txt").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith("["):
            current = line.strip("[] ")
            sections[current] = []
            continue
        if current == "arbejdspladser":
            sections[current].append(line.strip())
        else:
            sections[current].extend(line.split())
    return sections


def _postcodes() -> dict[str, str]:
    codes: dict[str, str] = {}
    for line in _read("postnumre.tsv").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, town = line.split("\t")
        codes[code] = town
    return codes


def _town_base(town: str) -> str:
    """'Randers NØ' → 'randers', 'Viby J' → 'viby', 'Kongens Lyngby' → 'kongens lyngby'."""
    words = town.split()
    while len(words) > 1 and (words[-1].isupper() or words[-1] in {"St", "Sj", "Fyn", "Jyll"}):
        words.pop()
    return " ".join(words).casefold()


def _skip_words(lexicon: Lexicon) -> frozenset[str]:
    """Capitalised spellings of function words that no recogniser has a use for."""
    needed = (lexicon.institution_prefixes | lexicon.institution_suffixes
              | lexicon.street_first_words | lexicon.town_first_words
              | lexicon.workplace_first_words | lexicon.not_person_phrase_starts
              | lexicon.name_like_words)
    words = [w for w in lexicon.common_words if w not in needed and w.isalpha()]
    return frozenset(w.capitalize() for w in words if w not in lexicon.word_first_names
                     ) | frozenset(w.upper() for w in words if len(w) > 1)


#: How frequent a first name must be for a word that is also a first name to join a name.
WORD_FIRST_NAME_RANK = 3000


def _word_first_names(lexicon: Lexicon) -> frozenset[str]:
    return frozenset(w for w in lexicon.common_words if w.isalpha() and w not in
                     lexicon.name_like_words and (lexicon.first_name_rank(w) or
                                                  WORD_FIRST_NAME_RANK + 1)
                     <= WORD_FIRST_NAME_RANK)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Load every word list (cached: the first call takes about a second)."""
    common, name_like = _common_words()
    not_person_lines = [line.strip() for line in _read("proprier_ikke_personer.txt").splitlines()
                        if line.strip() and not line.startswith("#")]
    phrases = tuple(tuple(w.casefold() for w in line.split()) for line in not_person_lines
                    if " " in line)
    singles = frozenset(line.casefold() for line in not_person_lines if " " not in line)
    streets: set[str] = set()
    for line in _read("da_street_names.jsonl").splitlines():
        if line.strip():
            streets.add(json.loads(line).casefold())
    postcodes = _postcodes()
    towns = {_town_base(town): town for town in postcodes.values()}
    sections = _institution_sections()
    lexicon = Lexicon(
        female_rank=_ranked_names("da_20140101_dst_fornavne-kvinder.jsonl"),
        male_rank=_ranked_names("da_20140101_dst_fornavne-maend.jsonl"),
        surname_rank=_ranked_names("da_20140101_dst_efternavne.jsonl"),
        common_words=common,
        name_like_words=name_like,
        not_person=singles,
        not_person_phrases=phrases,
        not_person_phrase_starts=frozenset(phrase[0] for phrase in phrases),
        street_names=frozenset(streets),
        street_first_words=frozenset(s.split()[0] for s in streets if s),
        towns=towns,
        town_first_words=frozenset(t.split()[0] for t in towns),
        postcodes=postcodes,
        institution_prefixes=frozenset(w.casefold() for w in sections.get("foran", [])),
        institution_suffixes=frozenset(w.casefold() for w in sections.get("efter", [])),
        institution_endings=tuple(w.casefold() for w in sections.get("endelser", [])),
        generic_institution_words=frozenset(w.casefold() for w in sections.get("generiske", [])),
        workplaces=frozenset(w.casefold() for w in sections.get("arbejdspladser", [])),
        workplace_first_words=frozenset(w.split()[0].casefold()
                                        for w in sections.get("arbejdspladser", [])),
    )
    lexicon = dataclasses.replace(lexicon, word_first_names=_word_first_names(lexicon))
    return dataclasses.replace(lexicon, skip_words=_skip_words(lexicon))

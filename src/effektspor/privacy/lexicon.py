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


#: ``Lexicon.info`` per spelling, shared by the (one) lexicon of the process; hot loops
#: read it directly (``WORD_INFO_CACHE.get(word) or lexicon.info(word)``) to save a call.
WORD_INFO_CACHE: dict[str, WordInfo] = {}


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
    return frozenset(w.capitalize() for w in words) | frozenset(w.upper() for w in words
                                                               if len(w) > 1)


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
    return dataclasses.replace(lexicon, skip_words=_skip_words(lexicon))

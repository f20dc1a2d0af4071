"""Consistent pseudonyms: the same person is the same pseudonym throughout a case.

Two styles: ``roller`` ("Barn 1", "Mor", "Person 2") and ``navne`` (realistic substitute
names drawn from the name lists, never one of the case's real names). A :class:`ProjectPseudonyms`
holds what is shared by the cases of a project (full names seen in several cases get the
same pseudonym); a :class:`PseudonymScope` is one case (or one input file).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field

from effektspor.privacy.lexicon import Lexicon, load_lexicon

STYLES = ("roller", "navne")
_PLACEHOLDER = {"CPR": "cpr", "TELEFON": "telefon", "EMAIL": "e-mail", "ADRESSE": "adresse",
                "STED": "sted", "URL": "url"}
_ROLE_LABEL = {"barn": "Barn", "søskende": "Søskende", "mor": "Mor", "far": "Far",
               "plejemor": "Plejemor", "plejefar": "Plejefar", "plejeforælder": "Plejeforælder",
               "stedmor": "Stedmor", "stedfar": "Stedfar", "bedstemor": "Bedstemor",
               "bedstefar": "Bedstefar", "værge": "Værge", "anden": "Person"}
_NUMBERED_ROLES = {"Barn", "Søskende", "Person"}


@dataclass
class Entity:
    """One identified thing (a person, a phone number ...) and its pseudonym."""

    label: str
    pseudonym: str
    originals: set[str] = field(default_factory=set)
    tokens: tuple[str, ...] = ()
    role: str | None = None


def name_key(text: str) -> tuple[str, ...]:
    """Casefolded words of a name, possessive endings removed ('Frejas' is not stripped)."""
    return tuple(part.strip("'’").casefold() for part in text.split())


def value_key(label: str, text: str) -> str:
    """The key under which a non-name identifier is the same (digits for numbers)."""
    if label in ("CPR", "TELEFON"):
        digits = "".join(ch for ch in text if ch.isdigit())
        return digits[-8:] if label == "TELEFON" else digits
    return " ".join(text.casefold().split()).rstrip(".,")


def possessive_form(name: str) -> str:
    """The Danish genitive of a pseudonym: 'Mor' → 'Mors', 'Barn 1' → "Barn 1's"."""
    if name[-1:].isdigit():
        return f"{name}'s"
    if name[-1:].lower() in "sxz":
        return f"{name}'"
    return f"{name}s"


class ProjectPseudonyms:
    """What the cases of one project share: used pseudonyms, full names, counters."""

    def __init__(self, style: str = "roller", salt: bytes | None = None,
                 lexicon: Lexicon | None = None):
        if style not in STYLES:
            raise ValueError(f"ukendt stil '{style}' (brug {' eller '.join(STYLES)})")
        self.style = style
        # A secret salt: without it anyone with the code could map substitutes back to names.
        self.salt = os.urandom(16) if salt is None else salt
        self.lexicon = lexicon or load_lexicon()
        self.full_names: dict[tuple[str, ...], str] = {}
        self.used: set[str] = set()
        self.person_counter = 0
        self.real_name_words: set[str] = set()
        self._pools: tuple[list[str], list[str], list[str]] | None = None

    def next_person(self) -> str:
        """The next 'Person N' of the project."""
        self.person_counter += 1
        return f"Person {self.person_counter}"

    def substitute_name(self, original: tuple[str, ...]) -> str:
        """A realistic substitute for a name, stable for the same name and salt."""
        female, male, surnames = self._name_pools()
        first = original[0] if original else ""
        pool = female if self.lexicon.is_female(first) else male
        digest = hashlib.blake2b(self.salt + " ".join(original).encode(), digest_size=8)
        seed = int.from_bytes(digest.digest(), "little")
        for attempt in range(len(pool)):
            given = pool[(seed + attempt) % len(pool)]
            if len(original) > 1:
                family = surnames[(seed // 7 + attempt) % len(surnames)]
                candidate = f"{given} {family}"
            else:
                candidate = given
            words = {w.casefold() for w in candidate.split()}
            if candidate not in self.used and not words & self.real_name_words:
                return candidate
        return self.next_person()

    def _name_pools(self) -> tuple[list[str], list[str], list[str]]:
        if self._pools is None:
            lex = self.lexicon

            def top(ranks: dict[str, int], count: int) -> list[str]:
                ordered = sorted(ranks, key=ranks.get)  # type: ignore[arg-type]
                return [w.capitalize() for w in ordered
                        if w not in lex.common_words and "-" not in w][:count]

            self._pools = (top(lex.female_rank, 400), top(lex.male_rank, 400),
                           top(lex.surname_rank, 200))
        return self._pools


class PseudonymScope:
    """The pseudonyms of one case: persons, numbers, addresses and places."""

    def __init__(self, name: str, project: ProjectPseudonyms):
        self.name = name
        self.project = project
        self.entities: list[Entity] = []
        self._persons: list[Entity] = []
        self._by_tokens: dict[tuple[str, ...], Entity] = {}
        self._by_first: dict[str, Entity] = {}
        self._by_last: dict[str, Entity] = {}
        self._by_word: dict[str, Entity] = {}
        self._by_value: dict[tuple[str, str], Entity] = {}
        self._mentions: dict[tuple[str, bool], str] = {}
        self._role_counts: dict[str, int] = {}
        self._label_counts: dict[str, int] = {}

    # -- persons -------------------------------------------------------------------------
    def add_person(self, name: str, role: str | None = None, cpr: str | None = None,
                   pseudonym: str | None = None) -> Entity:
        """Register a known person (from the persons table) before any text is read."""
        tokens = name_key(name)
        self.project.real_name_words.update(tokens)
        entity = self._find_person(tokens)
        if entity is None:
            entity = self._new_person(Entity(
                "NAVN", pseudonym or self._person_pseudonym(tokens, role), {name}, tokens, role))
        if cpr:
            key = ("CPR", value_key("CPR", cpr))
            if key not in self._by_value:
                cpr_entity = Entity("CPR", f"[cpr {entity.pseudonym}]", {cpr})
                self.entities.append(cpr_entity)
                self._by_value[key] = cpr_entity
        return entity

    def _person_pseudonym(self, tokens: tuple[str, ...], role: str | None) -> str:
        project = self.project
        if len(tokens) > 1 and tokens in project.full_names:
            return project.full_names[tokens]
        if project.style == "navne":
            pseudonym = project.substitute_name(tokens)
        elif role:
            label = _ROLE_LABEL.get(role.casefold(), role.capitalize())
            count = self._role_counts.get(label, 0) + 1
            self._role_counts[label] = count
            pseudonym = f"{label} {count}" if label in _NUMBERED_ROLES or count > 1 else label
            if label == "Person":
                pseudonym = project.next_person()
        else:
            pseudonym = project.next_person()
        if len(tokens) > 1:
            project.full_names[tokens] = pseudonym
        return pseudonym

    def _find_person(self, tokens: tuple[str, ...]) -> Entity | None:
        """The person a mention refers to: same words, or one word of a known full name."""
        found = self._by_tokens.get(tokens)
        if found is not None:
            return found
        if len(tokens) == 1:
            word = tokens[0]
            found = self._by_first.get(word) or self._by_last.get(word) or \
                self._by_word.get(word)
            return self._remember(tokens, found) if found is not None else None
        found = self._by_first.get(tokens[0])
        if found is not None and (len(found.tokens) == 1 or found.tokens[-1] == tokens[-1]):
            if len(found.tokens) == 1:
                found.tokens = tokens
                self._index(found)
            return self._remember(tokens, found)
        return None

    def _index(self, entity: Entity) -> None:
        if entity.tokens:
            self._by_first.setdefault(entity.tokens[0], entity)
            self._by_last.setdefault(entity.tokens[-1], entity)
            for word in entity.tokens:
                self._by_word.setdefault(word, entity)

    def _remember(self, tokens: tuple[str, ...], entity: Entity) -> Entity:
        self._by_tokens[tokens] = entity
        return entity

    def _new_person(self, entity: Entity) -> Entity:
        self.entities.append(entity)
        self._persons.append(entity)
        self._by_tokens[entity.tokens] = entity
        self._index(entity)
        self.project.used.add(entity.pseudonym)
        return entity

    # -- any label ------------------------------------------------------------------------
    def pseudonym_for(self, label: str, original: str, possessive: bool = False) -> str:
        """The pseudonym of ``original`` (registering it when new)."""
        if label == "NAVN":
            cached = self._mentions.get((original, possessive))
            return cached if cached is not None else self._person_mention(original, possessive)
        key = (label, value_key(label, original))
        entity = self._by_value.get(key)
        if entity is None:
            count = self._label_counts.get(label, 0) + 1
            self._label_counts[label] = count
            entity = Entity(label, f"[{_PLACEHOLDER.get(label, label.lower())} {count}]")
            self.entities.append(entity)
            self._by_value[key] = entity
        entity.originals.add(original)
        return entity.pseudonym

    def _person_mention(self, original: str, possessive: bool) -> str:
        cached = self._mentions.get((original, possessive))
        if cached is not None:
            return cached
        pseudonym = self._resolve_mention(original, possessive)
        self._mentions[(original, possessive)] = pseudonym
        return pseudonym

    def _resolve_mention(self, original: str, possessive: bool) -> str:
        bare = original
        if possessive:
            bare = original[:-1] if original[-1:] in "s'’" else original
        tokens = name_key(bare)
        entity = self._find_person(tokens)
        if entity is None:
            entity = self._new_person(
                Entity("NAVN", self._person_pseudonym(tokens, None), set(), tokens))
        entity.originals.add(original)
        pseudonym = entity.pseudonym
        if self.project.style == "navne" and len(tokens) == 1 and " " in pseudonym:
            parts = pseudonym.split()
            pseudonym = parts[-1] if entity.tokens and tokens[0] == entity.tokens[-1] and \
                len(entity.tokens) > 1 else parts[0]
        return possessive_form(pseudonym) if possessive else pseudonym

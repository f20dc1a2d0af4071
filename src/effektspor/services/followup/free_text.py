"""Free text of the follow-up through the pseudonymiser: when it is saved, and by the
project's pseudonymisation run.

**When saved** (:class:`SaveCheck`), without the key file or its passphrase: the
recognisers (names, CPR numbers, phone numbers, e-mail, addresses …) and what the
database holds about the case in clear (its persons not yet pseudonymised, with role and
CPR number) find the identifiers, and each is replaced at once, so the original is never
stored. A person of the case becomes a placeholder that names the person by role and
rank, "[barn 1]" (the case's first person with the role barn, by id), which the run
later turns into that person's pseudonym; any other name becomes "[navn 1]", other
identifiers "[cpr 1]", "[telefon 1]" …. The case's pseudonyms already in the text
("Barn 1", a substitute name) are left alone. The row keeps ``pseudonymised`` False:
only the run knows the names in the key file (a name the recognisers missed), so it
checks the row again.

**The run** (``services.privacy.project_run``) fills in the person placeholders
(:func:`fill_placeholders`), pseudonymises each field in the case's scope with the names
known from the case's notes, persons and key file, and sets the flag.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from effektspor.domain.followup import Replacement
from effektspor.privacy.pseudonymiser import Pseudonymiser, pseudonymise_keeping
from effektspor.privacy.pseudonyms import ProjectPseudonyms, PseudonymScope, possessive_form
from effektspor.services.followup.shared import case_free_texts
from effektspor.store import tables as t

#: Placeholder words that are no role of a person: they are never filled in.
GENERIC = frozenset({"navn", "cpr", "telefon", "e-mail", "adresse", "sted", "url"})
_PLACEHOLDER = re.compile(r"\[([^\[\]\d]+) (\d+)\](s?)")
_NAME_NUMBER = re.compile(r"\[navn (\d+)\]")


@lru_cache(maxsize=1)
def save_pseudonymiser() -> Pseudonymiser:
    """One pseudonymiser per process (the recognisers and name lists load once)."""
    return Pseudonymiser()


def _role_key(role: str | None) -> str:
    key = " ".join((role or "").casefold().split()) or "person"
    return "person" if key in GENERIC else key


def case_persons(session: Session, case_id: int) -> list[tuple[str, t.Person]]:
    """The case's persons in id order, each with its placeholder ("[barn 1]")."""
    counts: dict[str, int] = {}
    out = []
    for person in session.scalars(select(t.Person).where(t.Person.case_id == case_id)
                                  .order_by(t.Person.id)):
        key = _role_key(person.role)
        counts[key] = counts.get(key, 0) + 1
        out.append((f"[{key} {counts[key]}]", person))
    return out


def fill_placeholders(text: str, names: dict[str, str]) -> str:
    """``text`` with each person placeholder of ``names`` ("[barn 1]" → its pseudonym,
    "[barn 1]s" → the genitive); other placeholders are left as they are."""
    def fill(match: re.Match) -> str:
        name = names.get(f"[{match.group(1)} {match.group(2)}]")
        if name is None:
            return match.group()
        return possessive_form(name) if match.group(3) else name
    return _PLACEHOLDER.sub(fill, text)


class _Placeholders(ProjectPseudonyms):
    """Pseudonyms at save time: a name of no known person is "[navn N]", counting on
    from ``highest()`` (asked the first time it is needed)."""

    def __init__(self, highest: Callable[[], int]) -> None:
        super().__init__("roller", salt=bytes(16))
        self.highest: Callable[[], int] | None = highest

    def next_person(self) -> str:
        if self.highest is not None:
            self.person_counter, self.highest = self.highest(), None
        self.person_counter += 1
        return f"[navn {self.person_counter}]"


class SaveCheck:
    """The pseudonymiser for the free text of one case in one use case (no key file).

    A name of no known person gets the next "[navn N]" of the case (after those already
    in its follow-up text), so that two placeholders never claim to be the same person
    when nothing says they are."""

    def __init__(self, session: Session, case_id: int) -> None:
        def highest() -> int:
            project_id = session.get(t.Case, case_id).project_id
            return max((int(number) for text in case_free_texts(session, project_id, case_id)
                        for number in _NAME_NUMBER.findall(text)), default=0)

        self.scope = PseudonymScope("gem", _Placeholders(highest))
        self.known: list[tuple[str, str]] = []
        self.keep: list[str] = []
        for placeholder, person in case_persons(session, case_id):
            if person.pseudonymised:  # its name is its pseudonym: leave it in the text
                self.keep.append(person.name)
                continue
            self.scope.add_person(person.name, person.role, pseudonym=placeholder)
            self.known.append((person.name, "NAVN"))
            if person.cpr:
                self.known.append((person.cpr, "CPR"))
        self.replacements: list[Replacement] = []

    def clean(self, field: str, text: str | None) -> str | None:
        """``text`` with its identifiers replaced; what was replaced is remembered."""
        if not text:
            return text
        result = pseudonymise_keeping(save_pseudonymiser(), text, self.scope, self.known,
                                      self.keep)
        self.replacements += [Replacement(field, r.label, text[r.start:r.end], r.replacement)
                               for r in result.replacements]
        return result.text

    def clean_all(self, field: str, texts: Iterable[str]) -> list[str]:
        return [self.clean(field, text) or "" for text in texts]


def wording_matcher(session: Session, case_id: int, typed: str) -> Callable[[str], bool]:
    """Whether a stored text is ``typed`` as it was saved before the next run: as typed,
    or with the same replacements (the number of a "[navn N]" aside). An import uses it
    to recognise a row it has already stored. (After a run the names are only in the key
    file, so wording with names is not recognised then.)"""
    saved = _NAME_NUMBER.sub("[navn]", SaveCheck(session, case_id).clean("", typed) or "")
    return lambda stored: stored == typed or _NAME_NUMBER.sub("[navn]", stored) == saved

"""A gold set of personal data in the synthetic notes, for evaluating pseudonymisation.

The generator knows every identifier it put into a case (names, CPR numbers, phones,
e-mails, the address, the school or day care), so the spans are found by searching for
exactly those strings, case-sensitively and on word boundaries: "Storm" the child is a
name, "storm i nat" is not; "Sol" is a name, "Solen skinner" is not. A possessive "s"
("Theos") stays outside the span. Overlaps keep the longest span ("Karin Sand" over
"Karin"; an address over a street that contains a first name).

One JSON line per note: ``{"id", "text", "spans": [{"start", "end", "label"}], "known":
[{"text", "label"}]}`` with labels CPR, NAVN, ADRESSE, TELEFON, EMAIL, STED; ``known`` holds
what ``personer.csv`` tells the pseudonymiser (names and CPR numbers of the case persons).
"""

from __future__ import annotations

import re
from functools import lru_cache

from effektspor.synthetic.model import CaseTruth


def identifiers(truth: CaseTruth, extra_phones: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """Every identifier the generator may have written for the case, with its label."""
    household = truth.household
    assert household is not None
    values: list[tuple[str, str]] = []
    for person in household.persons:
        values += [(person.name, "NAVN"), (person.first_name, "NAVN"), (person.cpr, "CPR")]
        if person.phone:
            values.append((person.phone, "TELEFON"))
        if person.email:
            values.append((person.email, "EMAIL"))
    for role, name in household.professionals.items():
        values.append((name, "NAVN"))
        if role == "kollega":
            values.append((f"{name.lower()}@familiecentret.example.dk", "EMAIL"))
    values += [(household.address, "ADRESSE"), (household.institution, "STED")]
    values += [(phone, "TELEFON") for phone in extra_phones]
    return values


@lru_cache(maxsize=4096)
def _pattern(value: str, label: str) -> re.Pattern:
    tail = r"(?=s?(?!\w))" if label == "NAVN" else r"(?![\w@])"
    return re.compile(r"(?<![\w@.])" + re.escape(value) + tail)


def find_spans(text: str, values: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """Spans of ``values`` in ``text``; longest first where they overlap, in text order."""
    found = []
    for value, label in values:
        if value:
            found += [(m.start(), m.end(), label) for m in _pattern(value, label).finditer(text)]
    chosen: list[tuple[int, int, str]] = []
    for span in sorted(found, key=lambda s: (s[0] - s[1], s[0])):
        if all(span[1] <= other[0] or span[0] >= other[1] for other in chosen):
            chosen.append(span)
    return sorted(chosen)


def known_identifiers(truth: CaseTruth) -> list[dict[str, str]]:
    """What ``personer.csv`` gives the pseudonymiser: names and CPR numbers."""
    assert truth.household is not None
    known = []
    for person in truth.household.persons:
        known += [{"text": person.name, "label": "NAVN"}, {"text": person.cpr, "label": "CPR"}]
    return known


def gold_record(note_id: str, text: str, values: list[tuple[str, str]],
                known: list[dict[str, str]]) -> dict:
    """One gold line for a note."""
    return {"id": note_id, "text": text,
            "spans": [{"start": s, "end": e, "label": label}
                      for s, e, label in find_spans(text, values)],
            "known": known}

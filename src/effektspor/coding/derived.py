"""Derived case-level codes, e.g. reflekteret indsatsjustering.

"Professional doubt followed in time by an intervention adjustment in the same case,
within a window of days." Order is by note date, then note order, then position in
the note, so doubt and adjustment in one note count only in that order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from effektspor.coding.codebook import DerivedCode


@dataclass(frozen=True, slots=True)
class CodeOccurrence:
    """One coded passage placed in time: case, note date, note order, offset, code."""

    case: str
    when: date
    note_order: int
    position: int
    code: str

    @property
    def order_key(self) -> tuple[date, int, int]:
        """Sort key in time (date, note, position)."""
        return (self.when, self.note_order, self.position)


@dataclass(frozen=True, slots=True)
class DerivedMatch:
    """Evidence for a derived code in a case: the first and the following occurrence."""

    case: str
    first: CodeOccurrence
    then: CodeOccurrence

    @property
    def days(self) -> int:
        """Days from the first occurrence to the following one."""
        return (self.then.when - self.first.when).days


def find_derived(occurrences: Iterable[CodeOccurrence],
                 derived: DerivedCode) -> dict[str, DerivedMatch]:
    """Per case, the earliest pair (first → then) that satisfies the derived code."""
    firsts: dict[str, list[CodeOccurrence]] = defaultdict(list)
    thens: dict[str, list[CodeOccurrence]] = defaultdict(list)
    for occurrence in occurrences:
        if occurrence.code == derived.first:
            firsts[occurrence.case].append(occurrence)
        if occurrence.code == derived.then:
            thens[occurrence.case].append(occurrence)
    result: dict[str, DerivedMatch] = {}
    for case, first_list in firsts.items():
        candidates = sorted(thens.get(case, ()), key=lambda o: o.order_key)
        for first in sorted(first_list, key=lambda o: o.order_key):
            follower = next((then for then in candidates
                             if then.order_key > first.order_key
                             and (then.when - first.when).days <= derived.window_days), None)
            if follower is not None:
                result[case] = DerivedMatch(case, first, follower)
                break
    return result

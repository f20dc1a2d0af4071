"""The derived case-level code reflekteret_indsatsjustering: order in time and window."""

from __future__ import annotations

from datetime import date

from effektspor.coding.codebook import DerivedCode
from effektspor.coding.derived import CodeOccurrence, find_derived

RULE = DerivedCode("reflekteret_indsatsjustering", "Reflekteret indsatsjustering",
                   "professionel_tvivl", "indsatsjustering", window_days=30)


def occ(case, day, note, position, code):
    return CodeOccurrence(case, date(2019, 1, day), note, position, code)


def test_doubt_then_adjustment_within_window():
    found = find_derived([occ("A", 1, 1, 0, "professionel_tvivl"),
                          occ("A", 20, 2, 5, "indsatsjustering")], RULE)
    assert found["A"].days == 19


def test_adjustment_before_doubt_is_not_reflected():
    assert find_derived([occ("A", 1, 1, 0, "indsatsjustering"),
                         occ("A", 20, 2, 0, "professionel_tvivl")], RULE) == {}


def test_window_is_inclusive_and_configurable():
    pair = [occ("A", 1, 1, 0, "professionel_tvivl"), occ("A", 31, 2, 0, "indsatsjustering")]
    assert "A" in find_derived(pair, RULE)                        # exactly 30 days
    late = [pair[0], occ("A", 31, 2, 0, "indsatsjustering")]
    short = DerivedCode(RULE.id, RULE.name, RULE.first, RULE.then, window_days=29)
    assert find_derived(late, short) == {}


def test_same_note_counts_only_in_text_order_and_cases_are_separate():
    same_note = [occ("A", 5, 1, 0, "professionel_tvivl"), occ("A", 5, 1, 40, "indsatsjustering")]
    assert "A" in find_derived(same_note, RULE)
    reversed_note = [occ("A", 5, 1, 40, "professionel_tvivl"),
                     occ("A", 5, 1, 0, "indsatsjustering")]
    assert find_derived(reversed_note, RULE) == {}
    other_case = [occ("A", 1, 1, 0, "professionel_tvivl"), occ("B", 2, 2, 0, "indsatsjustering")]
    assert find_derived(other_case, RULE) == {}


def test_a_later_doubt_can_still_be_followed():
    found = find_derived([occ("A", 1, 1, 0, "professionel_tvivl"),
                          occ("A", 2, 2, 0, "indsatsjustering"),
                          occ("A", 3, 3, 0, "professionel_tvivl")], RULE)
    assert found["A"].first.note_order == 1 and found["A"].then.note_order == 2

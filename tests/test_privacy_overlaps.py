"""Overlapping candidates: resolved in one sweep, and no identifier lost (issues 17 and 11).

The sweep is checked against simple reference implementations on random candidates: the
former resolution (every candidate against every kept one) and, with the text, the same
greedy ranking with a losing candidate trimmed to the characters no winner covers.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from effektspor.privacy.pseudonymiser import Pseudonymiser, resolve_overlaps
from effektspor.privacy.spans import PRIORITY, Candidate


def _rank(c: Candidate):
    return (-PRIORITY.get(c.label, 0) - c.priority_shift, -(c.end - c.start),
            -c.confidence, c.start)


def _reference_drop(candidates: list[Candidate]) -> list[Candidate]:
    """The former resolution: rank all, keep each that overlaps no kept one."""
    ordered = sorted(sorted(candidates, key=lambda c: c.start), key=_rank)
    kept: list[Candidate] = []
    for c in ordered:
        if c.end <= c.start:
            continue
        if any(c.start < k.end and k.start < c.end for k in kept):
            continue
        kept.append(c)
    return sorted(kept, key=lambda c: c.start)


def _reference_trim(candidates: list[Candidate], text: str) -> list[Candidate]:
    """The same ranking; a loser keeps its uncovered characters (by a character mask)."""
    ordered = sorted(sorted(candidates, key=lambda c: c.start), key=_rank)
    covered = [False] * len(text)
    kept: list[Candidate] = []
    for c in ordered:
        if c.end <= c.start:
            continue
        if not any(covered[c.start:c.end]):
            kept.append(c)
            covered[c.start:c.end] = [True] * (c.end - c.start)
            continue
        runs: list[list[int]] = []
        for i in range(c.start, c.end):
            if covered[i]:
                continue
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        for run in runs:
            start, end = run[0], run[-1] + 1
            while start < end and not text[start].isalnum():
                start += 1
            keep_apostrophe = c.possessive and end == c.end and text[end - 1] == "'"
            while end > start and not text[end - 1].isalnum() and not keep_apostrophe:
                end -= 1
            if end - start < 2:
                continue
            kept.append(Candidate(start, end, c.label, c.confidence, c.source,
                                  c.possessive and end == c.end, c.priority_shift))
            covered[start:end] = [True] * (end - start)
    return sorted(kept, key=lambda c: c.start)


@st.composite
def _texts_and_candidates(draw):
    text = draw(st.text(alphabet="ab ',.-", min_size=1, max_size=40))
    n = len(text)
    candidates = []
    for _ in range(draw(st.integers(0, 14))):
        start = draw(st.integers(0, n - 1))
        end = draw(st.integers(start, n))
        candidates.append(Candidate(
            start, end, draw(st.sampled_from(["NAVN", "ADRESSE", "STED", "CPR", "TELEFON",
                                              "ANDET"])),
            draw(st.sampled_from([0.5, 0.7, 0.9])), draw(st.sampled_from(["x", "y"])),
            draw(st.booleans()), draw(st.sampled_from([0, 0, -2]))))
    return text, candidates


@settings(max_examples=400, deadline=None)
@given(_texts_and_candidates())
def test_sweep_equals_the_former_resolution_without_text(case):
    _, candidates = case
    assert resolve_overlaps(candidates) == _reference_drop(candidates)


@settings(max_examples=400, deadline=None)
@given(_texts_and_candidates())
def test_sweep_equals_the_trimming_reference_with_text(case):
    text, candidates = case
    kept = resolve_overlaps(candidates, text)
    assert kept == _reference_trim(candidates, text)
    for before, after in zip(kept, kept[1:], strict=False):
        assert before.end <= after.start


def test_a_name_before_an_address_is_not_swallowed():
    text = "V/ Trine Lesemann Berg Fredericiavej 88B"
    result = Pseudonymiser().pseudonymise(text)
    assert [(r.label, text[r.start:r.end]) for r in result.replacements] == [
        ("NAVN", "Trine Lesemann Berg"), ("ADRESSE", "Fredericiavej 88B")]
    for word in ("Trine", "Lesemann", "Berg", "Fredericiavej", "88B"):
        assert word not in result.text


def test_a_name_found_after_trimming_is_propagated_in_the_case():
    p = Pseudonymiser()
    accepted, _ = p.analyse("V/ Trine Lesemann Berg Fredericiavej 88B")
    assert [(c.label, c.start, c.end) for c in accepted] == [("NAVN", 3, 22),
                                                              ("ADRESSE", 23, 40)]


def test_many_overlapping_candidates_in_one_long_text():
    """A long text of many overlapping pairs: each pair resolved on its own."""
    unit = "V/ Trine Lesemann Berg Fredericiavej 88B. "
    text = unit * 2000
    result = Pseudonymiser().pseudonymise(text)
    assert len(result.replacements) == 4000
    assert "Trine" not in result.text and "Fredericiavej" not in result.text

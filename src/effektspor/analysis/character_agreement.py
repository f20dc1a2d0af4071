"""NVivo-style coding comparison: agreement and kappa per code per document, counted in
characters (Unicode code points) of the document, as NVivo's "Coding Comparison" query does."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from effektspor.analysis.two_coders import kappas


def _merged(spans: Sequence[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """Overlapping or touching spans merged and clipped to the document."""
    result: list[tuple[int, int]] = []
    for start, end in sorted((max(0, s), min(length, e)) for s, e in spans):
        if end <= start:
            continue
        if result and start <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], end))
        else:
            result.append((start, end))
    return result


def _covered(spans: list[tuple[int, int]]) -> int:
    return sum(end - start for start, end in spans)


def _intersection(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    total, i, j = 0, 0, 0
    while i < len(a) and j < len(b):
        low, high = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        total += max(0, high - low)
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


@dataclass(frozen=True)
class CharacterAgreement:
    """Characters coded by both, by A only, by B only and by neither; agreement and kappa."""

    document_length: int
    both: int
    only_a: int
    only_b: int
    neither: int
    agreement: float
    kappa: float


def character_agreement(document_length: int, spans_a: Sequence[tuple[int, int]],
                        spans_b: Sequence[tuple[int, int]]) -> CharacterAgreement:
    """Agreement of two coders' spans (start, end) for one code in one document.

    Kappa is computed from the 2×2 character table. When the expected agreement is 1 (neither
    coder used the code, or both coded everything) kappa is 1, as NVivo reports it."""
    if document_length <= 0:
        raise ValueError("document_length must be positive")
    a, b = _merged(spans_a, document_length), _merged(spans_b, document_length)
    both = _intersection(a, b)
    coded_a, coded_b = _covered(a), _covered(b)
    only_a, only_b = coded_a - both, coded_b - both
    neither = document_length - both - only_a - only_b
    n = document_length
    table = np.array([[[both, only_a], [only_b, neither]]], dtype=float)
    kappa = float(kappas(table)["kappa"][0])  # 1.0 when chance agreement is 1
    return CharacterAgreement(n, both, only_a, only_b, neither, (both + neither) / n, kappa)


@dataclass(frozen=True)
class CodingComparisonRow:
    """One code in one document: the character agreement of the two coders."""

    code: str
    document: str
    result: CharacterAgreement


def coding_comparison(document_lengths: Mapping[str, int],
                      spans_a: Iterable[tuple[str, str, int, int]],
                      spans_b: Iterable[tuple[str, str, int, int]], *,
                      include_uncoded: bool = False) -> list[CodingComparisonRow]:
    """NVivo's coding comparison: agreement and kappa per code per document.

    Spans are (document, code, start, end) in code points. Pairs that neither coder used are
    left out unless ``include_uncoded`` (NVivo lists them with kappa 1)."""
    by_pair_a: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    by_pair_b: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for spans, target in ((spans_a, by_pair_a), (spans_b, by_pair_b)):
        for document, code, start, end in spans:
            if document not in document_lengths:
                raise KeyError(f"unknown document {document!r}")
            target[(code, document)].append((start, end))
    codes = sorted({code for code, _ in by_pair_a} | {code for code, _ in by_pair_b})
    rows = []
    for code in codes:
        for document, length in document_lengths.items():
            pair = (code, document)
            if not include_uncoded and pair not in by_pair_a and pair not in by_pair_b:
                continue
            rows.append(CodingComparisonRow(code, document, character_agreement(
                length, by_pair_a.get(pair, []), by_pair_b.get(pair, []))))
    return rows


def summarise_by_code(rows: Iterable[CodingComparisonRow]) -> dict[str, tuple[float, float]]:
    """Per code, agreement and kappa averaged over documents weighted by document length."""
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for row in rows:
        weight = row.result.document_length
        totals[row.code][0] += weight * row.result.agreement
        totals[row.code][1] += weight * row.result.kappa
        totals[row.code][2] += weight
    return {code: (a / w, k / w) for code, (a, k, w) in totals.items()}

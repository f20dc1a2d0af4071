"""Fisher–Freeman–Halton exact test for r×c tables, by a network algorithm.

The p-value is the total probability (under fixed margins) of every table that is no more
probable than the observed one, as R's ``fisher.test`` computes it (relative tolerance 1e-7).

Tables are built column by column. A node of the network is the multiset of row sums still
to fill (sorted, since rows are exchangeable for what remains); paths arriving at the same
node with the same past weight are merged. At each node, bounds on the weight of every
completion decide whether all completions count (added in closed form), none count (dropped),
or the node must be expanded (Mehta & Patel's idea). When the work exceeds a budget, the
caller falls back to a Monte-Carlo p-value and says so.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from functools import lru_cache

import numpy as np

RELATIVE_TOLERANCE = 1e-7


class ExactTooLarge(Exception):
    """The exact computation would exceed its work budget."""


def _lf(x: int) -> float:
    return math.lgamma(x + 1)


def table_log_weight(table: Sequence[Sequence[int]]) -> float:
    """Log of prod 1/x_ij! (the part of a table's probability that varies with its cells)."""
    return -sum(_lf(int(x)) for row in table for x in row)


def _column_fillings(total: int, caps: tuple[int, ...]) -> Iterator[tuple[int, ...]]:
    """Every way to put ``total`` into len(caps) rows with row i taking at most caps[i]."""
    if len(caps) == 1:
        if total <= caps[0]:
            yield (total,)
        return
    rest_cap = sum(caps[1:])
    for first in range(max(0, total - rest_cap), min(caps[0], total) + 1):
        for tail in _column_fillings(total - first, caps[1:]):
            yield (first, *tail)


@lru_cache(maxsize=50_000)
def _fillings_array(total: int, caps: tuple[int, ...]) -> np.ndarray:
    """All fillings of one column as an integer array (one filling per row)."""
    return np.array(list(_column_fillings(total, caps)), dtype=np.int64).reshape(-1, len(caps))


@lru_cache(maxsize=200_000)
def _column_max(total: int, caps: tuple[int, ...]) -> float:
    """Upper bound of -sum lgamma(x+1) for one column: spread as evenly as the caps allow."""
    filled = [0] * len(caps)
    order = sorted(range(len(caps)), key=lambda i: caps[i])
    remaining = total
    for position, i in enumerate(order):
        share = remaining // (len(caps) - position)
        take = min(caps[i], share)
        filled[i] = take
        remaining -= take
    # distribute the remainder one by one to the least-filled rows with spare capacity
    while remaining > 0:
        i = min((i for i in range(len(caps)) if filled[i] < caps[i]), key=lambda i: filled[i])
        filled[i] += 1
        remaining -= 1
    return -sum(_lf(x) for x in filled)


@lru_cache(maxsize=200_000)
def _column_min(total: int, caps: tuple[int, ...]) -> float:
    """Lower bound of -sum lgamma(x+1) for one column: concentrate in the largest rows."""
    remaining = total
    value = 0.0
    for cap in sorted(caps, reverse=True):
        take = min(cap, remaining)
        value -= _lf(take)
        remaining -= take
    return value


def _bounds(rows: tuple[int, ...], cols: tuple[int, ...]) -> tuple[float, float]:
    """(lower, upper) bounds of the log weight of every completion with these margins."""
    if len(cols) == 1:
        exact = -sum(_lf(r) for r in rows)
        return exact, exact
    low = sum(_column_min(c, rows) for c in cols)
    high = sum(_column_max(c, rows) for c in cols)
    return low, high


def _log_total(rows: tuple[int, ...], cols: tuple[int, ...]) -> float:
    """Log of the sum of prod 1/x! over every table with these margins: N!/(prod r! prod c!)."""
    return _lf(sum(rows)) - sum(_lf(r) for r in rows) - sum(_lf(c) for c in cols)


def _merge(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Merge paths that reach the same node with the same past weight (to 1e-9 in logs)."""
    keys = np.concatenate([part[0] for part in parts])
    weights = np.concatenate([part[1] for part in parts])
    unique, inverse = np.unique(np.round(keys, 9), return_inverse=True)
    return unique, np.bincount(inverse, weights=weights, minlength=len(unique))


def fisher_exact_rxc(table: Sequence[Sequence[int]], max_work: int = 3_000_000) -> float:
    """Exact Fisher–Freeman–Halton p-value of an r×c table of counts.

    Raises ExactTooLarge when more than ``max_work`` network steps would be needed.
    """
    matrix = np.asarray(table, dtype=np.int64)
    if matrix.ndim != 2 or (matrix < 0).any():
        raise ValueError("the table must be a 2-D array of non-negative counts")
    matrix = matrix[matrix.sum(axis=1) > 0][:, matrix.sum(axis=0) > 0]
    if matrix.shape[0] < 2 or matrix.shape[1] < 2:
        return 1.0
    if matrix.shape[0] > matrix.shape[1]:
        matrix = matrix.T  # fewer rows -> fewer distinct nodes
    rows = tuple(sorted(int(x) for x in matrix.sum(axis=1)))
    cols = tuple(sorted((int(x) for x in matrix.sum(axis=0)), reverse=True))
    n = sum(rows)
    log_constant = sum(_lf(r) for r in rows) + sum(_lf(c) for c in cols) - _lf(n)
    observed = table_log_weight(matrix.tolist())
    threshold = observed + math.log1p(RELATIVE_TOLERANCE)
    lf = np.array([_lf(i) for i in range(n + 1)])
    p_value = 0.0
    work = 0
    stage: dict[tuple[int, ...], tuple[np.ndarray, np.ndarray]] = {
        rows: (np.zeros(1), np.ones(1))}
    for index in range(len(cols)):
        remaining_cols = cols[index:]
        gathered: dict[tuple[int, ...], list[tuple[np.ndarray, np.ndarray]]] = {}
        for node, (pasts, multiplicities) in stage.items():
            low, high = _bounds(node, remaining_cols)
            all_count = pasts + high <= threshold
            if all_count.any():
                log_total = _log_total(node, remaining_cols) + log_constant
                p_value += float(np.sum(multiplicities[all_count]
                                        * np.exp(pasts[all_count] + log_total)))
            open_paths = ~all_count & (pasts + low <= threshold)
            if not open_paths.any():
                continue
            pasts, multiplicities = pasts[open_paths], multiplicities[open_paths]
            fillings = _fillings_array(remaining_cols[0], node)
            steps = -lf[fillings].sum(axis=1)
            rests = np.asarray(node) - fillings
            work += len(pasts) * len(fillings)
            if work > max_work:
                raise ExactTooLarge(f"more than {max_work} steps")
            if len(remaining_cols) == 2:  # the last column is forced: finish the tables here
                totals = pasts[:, None] + (steps - lf[rests].sum(axis=1))[None, :]
                chosen = totals <= threshold
                p_value += float(np.sum((multiplicities[:, None]
                                         * np.exp(totals + log_constant))[chosen]))
                continue
            children, inverse = np.unique(np.sort(rests, axis=1), axis=0, return_inverse=True)
            inverse = inverse.ravel()
            order = np.argsort(inverse, kind="stable")
            bounds = np.searchsorted(inverse[order], np.arange(len(children) + 1))
            for child_index, child in enumerate(children.tolist()):
                child_steps = steps[order[bounds[child_index]:bounds[child_index + 1]]]
                gathered.setdefault(tuple(child), []).append(
                    ((pasts[:, None] + child_steps[None, :]).ravel(),
                     np.repeat(multiplicities, len(child_steps))))
        stage = {child: _merge(parts) for child, parts in gathered.items()}
    return min(1.0, p_value)


def fisher_monte_carlo(table: Sequence[Sequence[int]], replicates: int = 10_000,
                       seed: int = 20190101) -> float:
    """Monte-Carlo p-value of the Fisher–Freeman–Halton test: (1 + #as-extreme) / (B + 1)."""
    from scipy.stats import random_table

    matrix = np.asarray(table, dtype=np.int64)
    matrix = matrix[matrix.sum(axis=1) > 0][:, matrix.sum(axis=0) > 0]
    if matrix.shape[0] < 2 or matrix.shape[1] < 2:
        return 1.0
    sampler = random_table(matrix.sum(axis=1), matrix.sum(axis=0), seed=seed)
    samples = sampler.rvs(size=replicates)
    from scipy.special import gammaln

    weights = -gammaln(samples + 1).sum(axis=(1, 2))
    observed = table_log_weight(matrix.tolist()) + math.log1p(RELATIVE_TOLERANCE)
    extreme = int(np.count_nonzero(weights <= observed))
    return (1 + extreme) / (replicates + 1)

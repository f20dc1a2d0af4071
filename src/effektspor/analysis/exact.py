"""Fisher–Freeman–Halton exact test for r×c tables, by a network algorithm.

The p-value is the total probability (under fixed margins) of every table that is no more
probable than the observed one, as R's ``fisher.test`` computes it (relative tolerance 1e-7).

Tables are built column by column. A node of the network is the multiset of row sums still
to fill (sorted, since rows are exchangeable for what remains); paths arriving at the same
node with the same past weight are merged. At each node, bounds on the weight of every
completion decide whether all completions count (added in closed form), none count (dropped),
or the node must be expanded (Mehta & Patel's idea).

The p-value is computed by ``fisher-rxc`` in a child process with a real time budget
(:data:`DEFAULT_TIME_BUDGET` seconds); our own algorithm is the fallback when that package
reports an error, with a budget of work. When either budget is spent, the caller falls
back to a Monte-Carlo p-value and says so, with the budget, the number of simulations and
the standard error.
"""

from __future__ import annotations

import atexit
import itertools
import math
import multiprocessing
import threading
from collections.abc import Iterator, Sequence
from functools import lru_cache

import numpy as np

RELATIVE_TOLERANCE = 1e-7
VECTOR_STEPS_PER_UNIT = 50  # numpy path updates costing about as much as one Python step
NODE_COST = 100  # bounds, merging and bookkeeping of one network node, in the same units
PRESCREEN_FACTOR = 10  # the node bound is loose; only clearly hopeless tables skip the try
DEFAULT_MAX_WORK = 1_000_000  # about twice what the 4×4 Job table needs (~1 s unloaded)
DEFAULT_TIME_BUDGET = 10.0  # seconds of wall time for fisher-rxc before Monte Carlo


class ExactTooLarge(Exception):
    """The exact computation would exceed its budget; ``reason`` says which, in Danish."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


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
def _count_fillings(total: int, caps: tuple[int, ...]) -> int:
    """Number of fillings of one column (counted without listing them)."""
    ways = [1] + [0] * total
    for cap in caps:
        prefix = list(itertools.accumulate(ways))
        ways = [prefix[s] - (prefix[s - cap - 1] if s - cap - 1 >= 0 else 0)
                for s in range(total + 1)]
    return ways[total]


@lru_cache(maxsize=50_000)
def _fillings_array(total: int, caps: tuple[int, ...]) -> np.ndarray:
    """All fillings of one column as an integer array (one filling per row), built row by row
    with numpy instead of a Python generator."""
    partial = np.zeros((1, 0), dtype=np.int64)
    sums = np.zeros(1, dtype=np.int64)
    for index, cap in enumerate(caps):
        rest_cap = sum(caps[index + 1:])
        if index == len(caps) - 1:
            last = total - sums
            keep = (last >= 0) & (last <= cap)
            return np.column_stack([partial[keep], last[keep]])
        values = np.arange(cap + 1)
        new_sums = sums[:, None] + values[None, :]
        keep = (new_sums <= total) & (new_sums + rest_cap >= total)
        rows_index, value_index = np.nonzero(keep)
        partial = np.column_stack([partial[rows_index], values[value_index]])
        sums = new_sums[rows_index, value_index]
    return partial.reshape(0, len(caps))


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


def _node_bound(matrix: np.ndarray) -> int:
    """Upper bound of the network's nodes when the table is built column by column: a stage
    holds at most prod(r + 1) remainders over every row sum but the largest."""
    rows = sorted(int(x) for x in matrix.sum(axis=1))
    return math.prod(r + 1 for r in rows[:-1]) * (matrix.shape[1] - 1)


def fisher_exact_rxc(table: Sequence[Sequence[int]], max_work: int = DEFAULT_MAX_WORK, *,
                     time_budget: float = DEFAULT_TIME_BUDGET) -> float:
    """Exact Fisher–Freeman–Halton p-value of an r×c table of counts.

    Computed by the ``fisher-rxc`` package (Mehta & Patel's network algorithm in Rust,
    MIT; 12–60 times faster than our own) in a child process that is stopped after
    ``time_budget`` seconds, falling back to our own network algorithm
    (:func:`fisher_exact_rxc_own`, the reference in the tests) if it reports an error.
    Raises ExactTooLarge when the time budget is spent, or, on the fallback, when
    ``max_work`` units of work (see the cost model below) are not enough.
    """
    matrix = _prepared(table)
    if isinstance(matrix, float):
        return matrix
    p_value = _fisher_rxc(matrix, time_budget)
    if p_value is not None:
        return p_value
    return fisher_exact_rxc_own(matrix, max_work)


def _prepared(table: Sequence[Sequence[int]]) -> np.ndarray | float:
    """The table without empty rows and columns, or its p-value when that is immediate
    (one row or column: 1; 2×2: the hypergeometric closed form)."""
    matrix = np.asarray(table, dtype=np.int64)
    if matrix.ndim != 2 or (matrix < 0).any():
        raise ValueError("the table must be a 2-D array of non-negative counts")
    matrix = matrix[matrix.sum(axis=1) > 0][:, matrix.sum(axis=0) > 0]
    if matrix.shape[0] < 2 or matrix.shape[1] < 2:
        return 1.0
    if matrix.shape == (2, 2):  # the hypergeometric case: same test, closed form
        from scipy.stats import fisher_exact

        return float(fisher_exact(matrix)[1])
    return matrix


class _FisherProcess:
    """One child process running ``fisher-rxc`` (see :mod:`.fisher_worker`), started on
    first use and stopped when a computation runs past its budget. Calls are serialised:
    the budget of a call starts when the child is free for it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool = None

    def p_value(self, table: list[list[int]], budget: float) -> float | None:
        from effektspor.analysis import fisher_worker

        with self._lock:
            if self._pool is None:
                context = multiprocessing.get_context("spawn")
                self._pool = context.Pool(1, initializer=fisher_worker.silence_stdout)
            pending = self._pool.apply_async(fisher_worker.exact_p_value, (table,))
            try:
                return pending.get(timeout=budget)
            except multiprocessing.TimeoutError:
                self._stop()
                raise ExactTooLarge(
                    f"den eksakte beregning blev stoppet efter {_seconds(budget)} s"
                ) from None

    def _stop(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def close(self) -> None:
        with self._lock:
            self._stop()


_FISHER = _FisherProcess()
atexit.register(_FISHER.close)


def _seconds(budget: float) -> str:
    """A budget in seconds, Danish style (``10``, ``0,5``)."""
    return f"{budget:g}".replace(".", ",")


def _fisher_rxc(matrix: np.ndarray, budget: float) -> float | None:
    """The p-value from ``fisher-rxc`` within ``budget`` seconds; None when it reports an
    error (a negative value)."""
    value = _FISHER.p_value(matrix.tolist(), budget)
    if value is None or math.isnan(value) or not 0.0 <= value <= 1.0 + 1e-9:
        return None
    return min(1.0, value)


def fisher_exact_rxc_own(table: Sequence[Sequence[int]],
                         max_work: int = DEFAULT_MAX_WORK) -> float:
    """Our own network algorithm (the fallback, and the reference in the tests).

    Raises ExactTooLarge when more than ``max_work`` units of work (see the cost model
    below) would be needed; the default allows about a second of work.
    """
    matrix = _prepared(table)
    if isinstance(matrix, float):
        return matrix
    if matrix.shape[0] > matrix.shape[1]:
        matrix = matrix.T  # fewer rows -> fewer distinct nodes
    rows = tuple(sorted(int(x) for x in matrix.sum(axis=1)))
    cols = tuple(sorted((int(x) for x in matrix.sum(axis=0)), reverse=True))
    n = sum(rows)
    log_constant = sum(_lf(r) for r in rows) + sum(_lf(c) for c in cols) - _lf(n)
    observed = table_log_weight(matrix.tolist())
    threshold = observed + math.log1p(RELATIVE_TOLERANCE)
    if _node_bound(matrix) * NODE_COST > PRESCREEN_FACTOR * max_work:  # hopeless: skip
        raise ExactTooLarge("tabellen har for mange mulige rækkerester til en eksakt beregning")
    lf = np.array([_lf(i) for i in range(n + 1)])
    p_value = 0.0
    work = 0
    stage: dict[tuple[int, ...], tuple[np.ndarray, np.ndarray]] = {
        rows: (np.zeros(1), np.ones(1))}
    for index in range(len(cols)):
        remaining_cols = cols[index:]
        gathered: dict[tuple[int, ...], list[tuple[np.ndarray, np.ndarray]]] = {}
        for node, (pasts, multiplicities) in stage.items():
            work += NODE_COST + len(node) * remaining_cols[0] // 4
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
            # cost model: a Python step per filling, plus the vectorised path updates
            count = _count_fillings(remaining_cols[0], node)
            work += count + len(pasts) * count // VECTOR_STEPS_PER_UNIT
            if work > max_work:
                raise ExactTooLarge(f"den eksakte beregning krævede mere end {max_work:,} skridt"
                                    .replace(",", "."))
            fillings = _fillings_array(remaining_cols[0], node)
            steps = -lf[fillings].sum(axis=1)
            rests = np.asarray(node) - fillings
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


def monte_carlo_standard_error(p_value: float, replicates: int) -> float:
    """Standard error of a Monte-Carlo p-value from ``replicates`` simulated tables."""
    return math.sqrt(p_value * (1.0 - p_value) / replicates)


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

"""Tests and intervals for small n: the r×c test chooser, chi-square, Cramér's V, proportions,
and corrections for multiple tests. Every result carries its method and a Danish wording."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from effektspor.analysis.exact import (
    DEFAULT_MAX_WORK,
    DEFAULT_TIME_BUDGET,
    ExactTooLarge,
    fisher_exact_rxc,
    fisher_monte_carlo,
    monte_carlo_standard_error,
)
from effektspor.analysis.wording import significance_statement
from effektspor.domain.formatting import format_number

METHOD_EXACT = "Fisher–Freeman–Halton (eksakt)"
METHOD_MONTE_CARLO = ("Fisher–Freeman–Halton (Monte Carlo, {replicates} simuleringer, "
                      "standardfejl {error})")
METHOD_CHI_SQUARE = "Pearsons chi-i-anden"


def _stats():
    """scipy.stats, imported on first use: it takes most of a second, and the CLI starts
    for every command."""
    from scipy import stats

    return stats


@dataclass(frozen=True)
class TestResult:
    """A test of independence: method, statistic, p-value, Danish wording and warnings."""

    __test__ = False  # not a pytest test class, despite the name

    method: str
    p_value: float | None
    statistic: float | None = None
    degrees_of_freedom: int | None = None
    effect_size: float | None = None
    wording: str = ""
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """The JSON form used by the CLI contract (method and p-value first)."""
        return {"method": self.method, "p_value": self.p_value}


@dataclass(frozen=True)
class ChiSquare:
    """Pearson's chi-square test with its expected counts."""

    statistic: float
    degrees_of_freedom: int
    p_value: float
    expected: np.ndarray
    warnings: list[str]


def chi_square(table: Sequence[Sequence[int]]) -> ChiSquare:
    """Pearson's chi-square test of independence, warning when expected counts are small."""
    observed = _trimmed(table)
    if observed.shape[0] < 2 or observed.shape[1] < 2:
        return ChiSquare(0.0, 0, 1.0, observed.astype(float), ["tabellen har kun én række "
                                                               "eller kolonne med sager"])
    total = observed.sum()
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / total
    statistic = float(((observed - expected) ** 2 / expected).sum())
    dof = (observed.shape[0] - 1) * (observed.shape[1] - 1)
    p_value = float(_stats().chi2.sf(statistic, dof))
    warnings = []
    small = int((expected < 5).sum())
    if small:
        warnings.append(f"{small} af {expected.size} celler har forventet antal under 5 "
                        f"(mindste {format_number(float(expected.min()), 1)}); "
                        "chi-i-anden-testen er upålidelig – brug den eksakte test")
    return ChiSquare(statistic, dof, p_value, expected, warnings)


def cramers_v(table: Sequence[Sequence[int]], bias_corrected: bool = True) -> float | None:
    """Cramér's V; with bias correction (Bergsma 2013) by default. None for degenerate tables."""
    observed = _trimmed(table)
    rows, cols = observed.shape
    n = int(observed.sum())
    if rows < 2 or cols < 2 or n < 2:
        return None
    phi2 = chi_square(observed).statistic / n
    if not bias_corrected:
        return math.sqrt(phi2 / min(rows - 1, cols - 1))
    phi2_corrected = max(0.0, phi2 - (rows - 1) * (cols - 1) / (n - 1))
    rows_corrected = rows - (rows - 1) ** 2 / (n - 1)
    cols_corrected = cols - (cols - 1) ** 2 / (n - 1)
    denominator = min(rows_corrected - 1, cols_corrected - 1)
    return math.sqrt(phi2_corrected / denominator) if denominator > 0 else None


def independence_test(table: Sequence[Sequence[int]], alpha: float = 0.05,
                      max_exact_work: int = DEFAULT_MAX_WORK, replicates: int = 10_000,
                      seed: int = 20190101,
                      exact_time_budget: float = DEFAULT_TIME_BUDGET) -> TestResult:
    """Test independence in an r×c table: exact Fisher–Freeman–Halton when it finishes
    within ``exact_time_budget`` seconds, otherwise a seeded Monte-Carlo p-value of the
    same test, named with its number of simulations and standard error, and a warning
    saying why the exact test was given up."""
    observed = _trimmed(table)
    chi = chi_square(observed)
    if observed.shape[0] < 2 or observed.shape[1] < 2:
        return TestResult(method="ingen test", p_value=None,
                          wording="ingen test: tabellen har kun én række eller kolonne med sager",
                          warnings=chi.warnings)
    warnings: list[str] = []
    try:
        p_value = fisher_exact_rxc(observed, max_work=max_exact_work,
                                   time_budget=exact_time_budget)
        method = METHOD_EXACT
    except ExactTooLarge as too_large:
        p_value = fisher_monte_carlo(observed, replicates=replicates, seed=seed)
        error = monte_carlo_standard_error(p_value, replicates)
        method = METHOD_MONTE_CARLO.format(replicates=format_number(replicates, 0),
                                           error=format_number(error, 4))
        warnings.append(f"Eksakt test opgivet: {too_large.reason}; p-værdien er simuleret.")
    effect = cramers_v(observed)
    wording = f"Sammenhængen er {significance_statement(p_value, alpha)}, {method}"
    if effect is not None:
        wording += f"; Cramérs V = {format_number(effect, 2)}"
    # the exact test does not rest on expected counts, so chi-square's warning does not apply
    return TestResult(method=method, p_value=p_value, statistic=chi.statistic,
                      degrees_of_freedom=chi.degrees_of_freedom, effect_size=effect,
                      wording=wording + ".", warnings=warnings)


def wilson_interval(successes: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion (scipy's ``binomtest(...).proportion_ci``,
    which gives the hand-written formula's numbers to 3e-16); (0, 1) when there are no
    units."""
    if n == 0:
        return (0.0, 1.0)
    interval = _stats().binomtest(successes, n).proportion_ci(level, method="wilson")
    return (float(interval.low), float(interval.high))


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values (family-wise error rate)."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


def _trimmed(table: Sequence[Sequence[int]]) -> np.ndarray:
    """The table without empty rows and columns (they carry no information)."""
    matrix = np.asarray(table, dtype=np.int64)
    if matrix.size == 0:
        return matrix.reshape(0, 0)
    return matrix[matrix.sum(axis=1) > 0][:, matrix.sum(axis=0) > 0]

"""Exact Fisher–Freeman–Halton test, chi-square, Cramér's V, intervals and corrections."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import stats

from effektspor.analysis.exact import (
    ExactTooLarge,
    fisher_exact_rxc,
    fisher_exact_rxc_own,
    fisher_monte_carlo,
    monte_carlo_standard_error,
)
from effektspor.analysis.inference import (
    chi_square,
    cramers_v,
    holm,
    independence_test,
    wilson_interval,
)
from effektspor.domain.formatting import format_number

# R: Job <- matrix(c(1,2,1,0, 3,3,6,1, 10,10,14,9, 6,7,12,11), 4, 4) (filled by column)
JOB = np.array([1, 2, 1, 0, 3, 3, 6, 1, 10, 10, 14, 9, 6, 7, 12, 11]).reshape(4, 4).T


def brute_force_p(table) -> float:
    """Enumerate every table with the same margins (only feasible for tiny tables)."""
    table = np.asarray(table)
    rows, cols = table.sum(axis=1), table.sum(axis=0)
    n = table.sum()

    def log_p(t):
        return (sum(math.lgamma(x + 1) for x in rows) + sum(math.lgamma(x + 1) for x in cols)
                - math.lgamma(n + 1) - sum(math.lgamma(x + 1) for x in t.ravel()))

    observed = log_p(table)
    total = 0.0
    r, c = table.shape
    free = [range(min(rows[i], cols[j]) + 1) for i in range(r - 1) for j in range(c - 1)]
    for values in itertools.product(*free):
        t = np.zeros((r, c), dtype=int)
        t[:-1, :-1] = np.array(values).reshape(r - 1, c - 1)
        t[:-1, -1] = rows[:-1] - t[:-1, :-1].sum(axis=1)
        t[-1, :] = cols - t[:-1, :].sum(axis=0)
        if (t < 0).any():
            continue
        value = log_p(t)
        if value <= observed + 1e-7:
            total += math.exp(value)
    return total


@pytest.mark.parametrize("exact", [fisher_exact_rxc, fisher_exact_rxc_own])
def test_job_satisfaction_table_matches_r(exact):
    assert round(exact(JOB), 4) == 0.7827


@pytest.mark.parametrize("exact", [fisher_exact_rxc, fisher_exact_rxc_own])
def test_matrix_1_to_9_matches_r(exact):
    assert round(exact(np.arange(1, 10).reshape(3, 3).T), 4) == 0.9888


@pytest.mark.parametrize("seed", range(4))
def test_fisher_rxc_equals_our_own_network_algorithm(seed):
    """fisher-rxc (the fast path) against our own implementation, the reference."""
    rng = np.random.default_rng(100 + seed)
    for shape in [(2, 3), (3, 3), (3, 4), (4, 4), (2, 6), (5, 3)]:
        table = rng.integers(0, 7, size=shape)
        table[0, 0] += 1
        assert fisher_exact_rxc(table) == pytest.approx(fisher_exact_rxc_own(table),
                                                        rel=1e-8, abs=1e-12)


def test_two_by_two_published_values():
    assert round(fisher_exact_rxc([[3, 1], [1, 3]]), 4) == 0.4857  # R: TeaTasting
    assert round(fisher_exact_rxc([[1, 9], [11, 3]]), 6) == 0.002759


@pytest.mark.parametrize("seed", range(6))
def test_network_algorithm_equals_full_enumeration(seed):
    rng = np.random.default_rng(seed)
    shape = [(2, 3), (3, 3), (3, 2), (2, 4), (3, 3), (4, 2)][seed]
    table = rng.integers(0, 5, size=shape)
    table[0, 0] += 1
    assert fisher_exact_rxc(table) == pytest.approx(brute_force_p(table), rel=1e-9, abs=1e-12)


#: A table fisher-rxc takes minutes on (5×5, n = 225): only a time budget stops it.
SLOW = [[6 + (3 * i + 5 * j) % 7 for j in range(5)] for i in range(5)]


def test_work_budget_of_the_own_algorithm_raises_and_monte_carlo_is_close():
    big = [[40, 35, 30], [30, 45, 38], [25, 33, 50], [20, 30, 44]]
    with pytest.raises(ExactTooLarge, match="skridt|rækkerester"):
        fisher_exact_rxc_own(big, max_work=1000)
    exact = fisher_exact_rxc(JOB)
    simulated = fisher_monte_carlo(JOB, replicates=4000, seed=1)
    assert abs(simulated - exact) < 0.03


def test_time_budget_stops_the_exact_computation_and_the_next_call_still_works():
    with pytest.raises(ExactTooLarge, match="stoppet efter 0,5 s"):
        fisher_exact_rxc(SLOW, time_budget=0.5)
    # the stopped child process is replaced: the next table is computed exactly
    assert round(fisher_exact_rxc(JOB), 4) == 0.7827


def test_fisher_rxc_solves_tables_the_own_algorithm_refuses():
    """4×5, n = 120 (the issue's example size): our own algorithm gives up, fisher-rxc
    solves it exactly within the default budget."""
    table = [[8, 5, 7, 4, 6], [5, 9, 4, 6, 7], [6, 4, 8, 5, 6], [7, 6, 5, 7, 5]]
    with pytest.raises(ExactTooLarge):
        fisher_exact_rxc_own(table, max_work=100_000)
    p_value = fisher_exact_rxc(table)
    assert 0.0 < p_value <= 1.0
    simulated = fisher_monte_carlo(table, replicates=4000, seed=2)
    assert abs(simulated - p_value) < 4 * monte_carlo_standard_error(p_value, 4000) + 0.005


def test_independence_test_names_the_fallback_method_its_samples_and_error():
    result = independence_test(SLOW, replicates=2000, exact_time_budget=0.5)
    assert result.method.startswith("Fisher–Freeman–Halton (Monte Carlo, 2.000 simuleringer, "
                                    "standardfejl ")
    expected_error = monte_carlo_standard_error(result.p_value, 2000)
    assert format_number(expected_error, 4) in result.method
    assert any("stoppet efter 0,5 s" in warning and "simuleret" in warning
               for warning in result.warnings)


def test_monte_carlo_standard_error():
    assert monte_carlo_standard_error(0.5, 10_000) == pytest.approx(0.005)
    assert monte_carlo_standard_error(0.0, 100) == 0.0


def test_chi_square_matches_scipy_and_warns_for_small_expected_counts():
    table = [[6, 5, 7], [4, 8, 7], [10, 1, 3]]
    ours = chi_square(table)
    theirs = stats.chi2_contingency(table, correction=False)
    assert ours.statistic == pytest.approx(theirs.statistic)
    assert ours.p_value == pytest.approx(theirs.pvalue)
    assert ours.degrees_of_freedom == 4
    assert ours.warnings and "under 5" in ours.warnings[0]
    assert chi_square([[50, 60], [55, 45]]).warnings == []


def test_cramers_v_plain_matches_scipy_and_bias_correction_shrinks_it():
    table = [[6, 5, 7], [4, 8, 7], [10, 1, 3]]
    plain = cramers_v(table, bias_corrected=False)
    assert plain == pytest.approx(stats.contingency.association(table, method="cramer"))
    corrected = cramers_v(table)
    n, chi2 = 51, chi_square(table).statistic
    phi2 = max(0, chi2 / n - 4 / 50)
    k = 3 - 4 / 50
    assert corrected == pytest.approx(math.sqrt(phi2 / (k - 1)))
    assert corrected < plain


def test_wilson_matches_newcombe_1998():
    low, high = wilson_interval(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    assert wilson_interval(0, 10)[0] == 0.0 and wilson_interval(10, 10)[1] == 1.0
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_holm():
    p = [0.01, 0.04, 0.03, 0.005]
    assert holm(p) == pytest.approx([0.03, 0.06, 0.06, 0.02])

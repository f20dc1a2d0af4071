"""Year-over-year comparisons and the Danish wording of results."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import stats

from effektspor.analysis.comparison import compare_durations, compare_proportions, newcombe_interval
from effektspor.analysis.wording import significance_statement


def test_newcombe_interval_matches_newcombe_1998_example():
    # Newcombe (1998), method 10, 56/70 vs 48/80: difference 0.1000, interval 0.0524 to 0.3339
    low, high = newcombe_interval(48, 80, 56, 70)
    assert (round(low, 4), round(high, 4)) == (0.0524, 0.3339)


def test_compare_proportions_wording_is_plain_danish():
    result = compare_proportions(25, 63, 20, 51, label="andelen i mål", first_name="2018",
                                 second_name="2019")
    assert result.difference == pytest.approx(20 / 51 - 25 / 63)
    assert result.p_value == pytest.approx(stats.fisher_exact([[25, 38], [20, 31]])[1])
    assert "ikke statistisk signifikant" in result.wording
    assert result.wording.startswith("Andelen i mål var 40 % i 2018 og 39 % i 2019")


def test_mann_whitney_exact_small_sample():
    result = compare_durations([1, 2], [3, 4, 5])
    assert result.method == "Mann–Whitney U (eksakt)"
    assert result.p_value == pytest.approx(0.2)  # 2 of the 10 splits are as extreme


def test_mann_whitney_with_ties_uses_permutations_equal_to_full_enumeration():
    a, b = [1, 2, 2, 3], [2, 3, 4, 4, 5]
    result = compare_durations(a, b, permutations=1000)
    assert "permutation" in result.method
    pooled = np.array(a + b)
    observed = stats.mannwhitneyu(a, b, method="asymptotic").statistic
    values = []
    for chosen in itertools.combinations(range(9), 4):
        x = pooled[list(chosen)]
        y = np.delete(pooled, list(chosen))
        values.append(stats.mannwhitneyu(x, y, method="asymptotic").statistic)
    values = np.array(values)
    expected = min(1.0, 2 * min(np.mean(values >= observed), np.mean(values <= observed)))
    assert result.p_value == pytest.approx(expected)


def test_wording_uses_decimal_comma():
    assert significance_statement(0.41) == "ikke statistisk signifikant (p = 0,41)"
    assert significance_statement(0.012) == "statistisk signifikant (p = 0,012)"
    assert significance_statement(None) == "testen kunne ikke beregnes"


def test_compare_two_years_of_case_tables():
    from effektspor.analysis.caseframe import parse_case_csv
    from effektspor.analysis.comparison import compare_duration_columns, compare_outcome_shares
    from effektspor.domain.errors import ValidationError

    first = parse_case_csv("sag_id;målopnåelse;dage\n1;I mål;100\n2;På vej;200\n3;I mål;150\n"
                           "4;Ikke i mål;90\n", source="2018.csv")
    second = parse_case_csv("sag_id;målopnåelse;dage\n1;Ikke i mål;300\n2;På vej;400\n"
                            "3;I mål;350\n4;;\n", source="2019.csv")
    shares = compare_outcome_shares(first, second, outcome="målopnåelse",
                                    first_name="2018", second_name="2019")
    assert list(shares) == ["I mål", "På vej", "Ikke i mål"]
    assert shares["I mål"].first == 0.5 and shares["I mål"].second == pytest.approx(1 / 3)
    durations = compare_duration_columns(first, second, column="dage")
    assert durations.median_first == 125 and durations.median_second == 350
    assert durations.p_value == pytest.approx(2 / 35)  # exact: 1 of 35 splits each tail
    bad = parse_case_csv("sag_id;dage\n1;lang\n", source="2020.csv")
    with pytest.raises(ValidationError) as error:
        compare_duration_columns(first, bad, column="dage")
    assert "2020.csv, linje 2, felt 'dage'" in str(error.value.problems[0])


def test_vectorised_permutation_test_gives_the_p_value_of_one_call_per_resample():
    """The U statistic is computed for all resamples at once; the p-value is that of the
    former statistic called once per resample, with the same seed and resamples."""
    rng = np.random.default_rng(7)
    a = rng.integers(20, 400, size=70).tolist()
    b = (rng.integers(20, 400, size=60) + 30).tolist()
    result = compare_durations(a, b, permutations=3000, seed=11)
    assert "permutation" in result.method
    former = stats.permutation_test(
        (np.asarray(a, dtype=float), np.asarray(b, dtype=float)),
        lambda x, y: stats.mannwhitneyu(x, y, method="asymptotic").statistic,
        permutation_type="independent", alternative="two-sided", n_resamples=3000,
        random_state=np.random.default_rng(11))
    assert result.p_value == float(former.pvalue)
    assert 0 < result.p_value < 1

"""Tests of the pure documentation-analysis functions ("Trin 3")."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from effektspor.analysis.documentation import (
    CaseFacts,
    NoteFact,
    analyse_documentation,
    note_gaps,
    spearman,
)
from effektspor.analysis.inference import wilson_interval


def test_note_gaps_include_start_and_end():
    dates = [date(2019, 3, 1), date(2019, 3, 20), date(2019, 6, 1)]
    gaps = note_gaps(dates, date(2019, 1, 1), date(2019, 9, 1), threshold_days=60)
    assert [(g.kind, g.days) for g in gaps] == [("mellem notater", 73), ("til slut", 92)]
    assert note_gaps([], date(2019, 1, 1), date(2019, 2, 1)) == []
    assert note_gaps([], date(2019, 1, 1), date(2019, 6, 1))[0].kind == "uden notater"


def test_wilson_interval_matches_known_values():
    low, high = wilson_interval(51, 146)
    # Worked by hand: centre 0.35318, half-width 0.07643.
    assert low == pytest.approx(0.2767, abs=2e-4) and high == pytest.approx(0.4296, abs=2e-4)
    assert wilson_interval(0, 10)[0] == 0.0
    assert wilson_interval(10, 10)[1] == pytest.approx(1.0)
    assert wilson_interval(10, 10)[0] == pytest.approx(0.7225, abs=2e-4)
    assert wilson_interval(0, 0) == (0.0, 1.0)  # no cases: nothing known


def test_spearman_undefined_cases_and_value():
    assert spearman([1, 2], [3, 4]) is None
    assert spearman([1, 1, 1], [3, 4, 5]) is None
    result = spearman([1, 2, 3, 4], [10, 20, 30, 35])
    assert result.rho == pytest.approx(1.0) and result.n == 4


def _facts(case_id, team, grants, days, closed=True, discharge=None, notes=()):
    """``discharge``: the assessment of each discharge report (None: one without)."""
    start = date(2019, 1, 1)
    from datetime import timedelta

    return CaseFacts(case_id, team, start, start + timedelta(days=days), closed, grants,
                     Counter({"bevilling": grants, **({"udskrivningsrapport": 1} if discharge
                                                      is not None else {})}),
                     list(discharge or ()),
                     [NoteFact(start + timedelta(days=d), p, "2019") for d, p in notes])


def test_analyse_documentation_across_cases():
    facts = [
        _facts("A", "Sandplay", 1, 100, discharge=["I mål"],
               notes=[(5, "Samvær"), (40, "Samvær"), (90, "Generelle notater")]),
        _facts("B", "Sandplay", 3, 300, discharge=[None],
               notes=[(5, "Samvær"), (250, "Samvær")]),
        _facts("C", "Familier massiv", 5, 500),
        _facts("D", "Familier massiv", 2, 200, closed=False, notes=[(10, "Netværk")]),
    ]
    result = analyse_documentation(facts)
    assert result.n_closed == 3 and result.n_usable_discharge == 1
    assert result.assessments == Counter({"I mål": 1})
    assert result.n_closed_without_discharge == 1 and result.n_discharge_without_assessment == 1
    assert result.n_without_notes == 1 and result.n_with_gaps == 2  # B (245 days), D (190 to end)
    assert result.grant_distribution == Counter({1: 1, 3: 1, 5: 1, 2: 1})
    assert result.grants_vs_enrollment.rho == pytest.approx(1.0)
    assert result.points_by_team["Sandplay"] == Counter({"Samvær": 4, "Generelle notater": 1})
    assert result.points_by_scheme["2019"]["Netværk"] == 1
    assert result.document_type_cases["bevilling"] == {"Sandplay": 2, "Familier massiv": 2}
    sandplay = next(t for t in result.teams if t.team == "Sandplay")
    assert (sandplay.n_cases, sandplay.n_usable_discharge, sandplay.median_grants) == (2, 1, 2.0)

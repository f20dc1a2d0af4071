"""The thin analysis services: files in, analysis results out."""

from __future__ import annotations

from pathlib import Path

import pytest

from effektspor.services import analysis

FIXTURE = Path(__file__).parent / "fixtures" / "analysis" / "randers_2019_51_sager.csv"


def test_crosstab_and_hypothesis_of_file():
    table = analysis.crosstab_of_file(FIXTURE, rows="problemgrad", cols="målopnåelse")
    assert table.counts[2] == [10, 1, 3]
    hypothesis = analysis.hypothesis_of_file(
        FIXTURE, condition="reflekteret_indsatsjustering", outcome="målopnåelse",
        outcome_positive=["I mål"], moderator="problemgrad")
    assert hypothesis.cells["C"].n == 4


def test_cases_from_records_feed_the_same_functions():
    records = [{"sag_id": "a", "målopnåelse": "I mål", "problemgrad": "Let"},
               {"sag_id": "b", "målopnåelse": "Ikke i mål", "problemgrad": "Svær"},
               {"sag_id": "c", "målopnåelse": "I mål", "problemgrad": None}]
    cases = analysis.cases_from_records(records)
    assert cases.case_ids == ["a", "b", "c"]
    assert cases.column("problemgrad") == ["Let", "Svær", ""]


def test_compare_years_of_files(tmp_path):
    last = tmp_path / "2018.csv"
    last.write_text("sag_id;målopnåelse;dage\n" + "".join(
        f"{i};{'I mål' if i % 2 else 'På vej'};{100 + i}\n" for i in range(20)), "utf-8")
    shares, durations = analysis.compare_years_of_files(last, FIXTURE, outcome="målopnåelse")
    assert shares["I mål"].first == 0.5
    assert shares["I mål"].second == pytest.approx(20 / 51)
    assert durations is None

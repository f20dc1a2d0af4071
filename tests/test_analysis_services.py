"""The thin analysis services: files in, analysis results out."""

from __future__ import annotations

from pathlib import Path

from effektspor.services.analysis import files as analysis

FIXTURE = Path(__file__).parent / "fixtures" / "analysis" / "randers_2019_51_sager.csv"


def test_crosstab_and_hypothesis_of_file():
    table = analysis.crosstab_of_file(FIXTURE, rows="problemgrad", cols="målopnåelse")
    assert table.counts[2] == [10, 1, 3]
    hypothesis = analysis.hypothesis_of_file(
        FIXTURE, condition="reflekteret_indsatsjustering", outcome="målopnåelse",
        outcome_positive=["I mål"], moderator="problemgrad")
    assert hypothesis.cells["C"].n == 4

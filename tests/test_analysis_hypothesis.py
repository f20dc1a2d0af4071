"""The hypothesis table reproduces Tabel 5 (cells 8, 8, 4, 22; 9 unplaced)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from effektspor.analysis.caseframe import read_case_csv
from effektspor.analysis.hypothesis import hypothesis_table
from effektspor.cli.common import console
from effektspor.cli.main import cli

FIXTURE = Path(__file__).parent / "fixtures" / "analysis" / "randers_2019_51_sager.csv"

@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    """Print CLI tables at a fixed, wide width whatever the terminal (COLUMNS) says."""
    monkeypatch.setattr(console, "width", 200)


def flat(text: str) -> str:
    """CLI output with line wrapping undone (rich wraps at the console width)."""
    return " ".join(text.split())



def tabel_5():
    return hypothesis_table(read_case_csv(FIXTURE), condition="reflekteret_indsatsjustering",
                            outcome="målopnåelse", outcome_positive=["I mål"],
                            moderator="problemgrad")


def test_tabel_5_cells_and_unplaced_cases():
    table = tabel_5()
    assert [table.cells[x].n for x in "ABCD"] == [8, 8, 4, 22]
    assert len(table.unplaced) == 9
    assert len({*table.unplaced, *(c for cell in table.cells.values() for c in cell.cases)}) == 51


def test_moderator_explains_the_off_diagonal_cells():
    table = tabel_5()
    assert table.cells["B"].moderator_counts == {"Svær": 0, "Mellem": 0, "Let": 8}
    assert table.cells["C"].moderator_counts == {"Svær": 4, "Mellem": 0, "Let": 0}
    assert table.cells["B"].moderator_summary() == "alle Let"
    assert table.cells["C"].moderator_summary() == "alle Svær"
    assert all(v > 0 for v in table.cells["A"].moderator_counts.values())
    assert all(v > 0 for v in table.cells["D"].moderator_counts.values())
    assert "B (udfald opnået uden betingelsen): 8 sager, alle Let." in table.readings
    assert table.sufficiency == 8 / 12 and table.necessity == 8 / 16


def test_hypotese_cli_json():
    result = CliRunner().invoke(cli, ["hypotese", str(FIXTURE), "--betingelse",
                                      "reflekteret_indsatsjustering", "--udfald", "målopnåelse",
                                      "--moderator", "problemgrad", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [data["celler"][x]["antal"] for x in "ABCD"] == [8, 8, 4, 22]
    assert len(data["ikke_placeret"]) == 9
    assert data["test"]["method"] == "Fisher–Freeman–Halton (eksakt)"


def test_hypotese_cli_text_in_danish():
    result = CliRunner().invoke(cli, ["hypotese", str(FIXTURE), "--betingelse",
                                      "reflekteret_indsatsjustering", "--udfald", "målopnåelse",
                                      "--moderator", "problemgrad"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "C: 4 (alle Svær)" in flat(result.output) and "B: 8 (alle Let)" in flat(result.output)
    assert "42 af 51 sager kan placeres; 9 kunne ikke placeres." in flat(result.output)

"""Crosstabs reproduce the published tables (Tabel 2, 3, 4, 10) from a 51-case fixture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from effektspor.analysis.caseframe import parse_case_csv, read_case_csv
from effektspor.analysis.crosstab import crosstab, crosstab_from_values, multi_response_crosstab
from effektspor.cli.common import console
from effektspor.cli.main import cli

FIXTURE = Path(__file__).parent / "fixtures" / "analysis" / "randers_2019_51_sager.csv"
OUTCOMES = ["I mål", "På vej", "Ikke i mål"]
ALLIANCE = ["negativ_alliance", "positiv_alliance", "professionel_tvivl", "relationsarbejde"]

@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    """Print CLI tables at a fixed, wide width whatever the terminal (COLUMNS) says."""
    monkeypatch.setattr(console, "width", 200)


def flat(text: str) -> str:
    """CLI output with line wrapping undone (rich wraps at the console width)."""
    return " ".join(text.split())



def run_json(*args: str) -> dict:
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_tabel_2_outcome_distribution():
    data = run_json("krydstabel", str(FIXTURE), "--rækker", "målopnåelse")
    assert data["rows"] == OUTCOMES
    assert data["counts"] == [[20], [14], [17]]
    assert data["percent"] == [[39], [27], [33]]
    assert data["total"] == 51
    assert data["col_totals"] == [51]


def test_tabel_3_severity_by_outcome():
    data = run_json("krydstabel", str(FIXTURE), "--rækker", "problemgrad",
                    "--kolonner", "målopnåelse")
    assert data["rows"] == ["Svær", "Mellem", "Let"]
    assert data["cols"] == OUTCOMES
    assert data["counts"] == [[6, 5, 7], [4, 8, 7], [10, 1, 3]]
    assert data["percent"] == [[30, 36, 41], [20, 57, 41], [50, 7, 18]]
    assert data["row_totals"] == [18, 19, 14]
    assert data["row_totals_percent"] == [35, 37, 27]
    assert data["col_totals"] == [20, 14, 17]
    assert data["total"] == 51
    assert data["test"]["method"] == "Fisher–Freeman–Halton (eksakt)"
    assert data["test"]["p_value"] == pytest.approx(0.0515, abs=5e-4)
    assert set(data) == {"rows", "cols", "counts", "percent", "row_totals",
                         "row_totals_percent", "col_totals", "total", "test"}


def test_tabel_4_alliance_dimensions_multi_response():
    data = run_json("krydstabel", str(FIXTURE), "--flersvar", ",".join(ALLIANCE),
                    "--kolonner", "målopnåelse")
    assert data["rows"] == ALLIANCE
    assert data["counts"] == [[18, 10, 13], [13, 11, 9], [15, 7, 8], [14, 9, 13]]
    assert data["percent"] == [[90, 71, 76], [65, 79, 53], [75, 50, 47], [70, 64, 76]]
    assert data["col_totals"] == [20, 14, 17]
    assert data["total"] == 51
    assert "Holm" in data["test"]["method"]


def test_tabel_10_problem_category_by_outcome_in_first_seen_order():
    data = run_json("krydstabel", str(FIXTURE), "--rækker", "problemstilling",
                    "--kolonner", "målopnåelse")
    assert data["rows"] == ["Forældrekonflikt", "Forældrestruktur", "Forældreregulering",
                            "Barneregulering", "Barnestruktur", "Barnekonflikt"]
    assert data["counts"] == [[3, 1, 1], [7, 3, 0], [6, 4, 6], [3, 3, 8], [0, 0, 1], [1, 3, 1]]
    assert data["row_totals"] == [5, 10, 16, 14, 1, 5]
    assert data["col_totals"] == [20, 14, 17]


def test_cell_cases_trace_every_count_back_to_cases():
    table = crosstab(read_case_csv(FIXTURE), "problemgrad", "målopnåelse")
    for i in range(len(table.rows)):
        for j in range(len(table.cols)):
            assert len(table.cell_cases[i][j]) == table.counts[i][j]
    light_reached = table.cell_cases[table.rows.index("Let")][table.cols.index("I mål")]
    assert len(light_reached) == 10 and len(set(light_reached)) == 10
    assert table.note.startswith("Celleindhold:")


def test_declared_order_beats_first_appearance_and_missing_values_are_left_out():
    table = crosstab_from_values(["Let", "Svær", "", "Mellem"], ["På vej", "I mål", "I mål",
                                                                 "Ikke i mål"],
                                 ["a", "b", "c", "d"])
    assert table.rows == ["Svær", "Mellem", "Let"]
    assert table.cols == ["I mål", "På vej", "Ikke i mål"]
    assert table.excluded_cases == ["c"]
    assert table.total == 3
    assert "1 sag(er) uden værdi er udeladt" in table.note


def test_multi_response_rejects_non_binary_values_in_danish():
    cases = parse_case_csv("sag_id;gruppe;tvivl\n1;a;1\n2;b;måske\n", source="sager.csv")
    with pytest.raises(Exception) as error:
        multi_response_crosstab(cases, ["tvivl"], "gruppe")
    text = " ".join(str(p) for p in error.value.problems)
    assert "sager.csv, linje 3, felt 'tvivl'" in text and "måske" in text


def test_text_output_has_counts_percentages_note_and_plain_danish_test():
    result = CliRunner().invoke(cli, ["krydstabel", str(FIXTURE), "--rækker", "problemgrad",
                                      "--kolonner", "målopnåelse"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "10 (50%)" in flat(result.output) and "1 (7%)" in flat(result.output)
    assert "Celleindhold" in flat(result.output)
    assert "ikke statistisk signifikant (p = 0,052)" in flat(result.output)


def test_cli_errors_are_danish_and_name_the_variable():
    result = CliRunner().invoke(cli, ["krydstabel", str(FIXTURE), "--rækker", "alder",
                                      "--kolonner", "målopnåelse"], terminal_width=200)
    assert result.exit_code == 1
    assert "Variablen 'alder' findes ikke" in flat(result.output)
    result = CliRunner().invoke(cli, ["krydstabel", str(FIXTURE), "--flersvar", "x"])
    assert result.exit_code == 1 and "kræver --kolonner" in flat(result.output)


def test_malformed_csv_is_rejected_by_the_cli_with_file_and_line(tmp_path):
    path = tmp_path / "sager.csv"
    path.write_text("sag_id;målopnåelse;problemgrad\nS1;I mål;Let\nS2;På vej\n", "utf-8")
    result = CliRunner().invoke(cli, ["krydstabel", str(path), "--rækker", "problemgrad",
                                      "--kolonner", "målopnåelse"], terminal_width=200)
    assert result.exit_code == 1
    assert "sager.csv, linje 3" in flat(result.output)
    assert "Traceback" not in result.output

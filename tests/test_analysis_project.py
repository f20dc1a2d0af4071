"""The analysis commands on a project's case table instead of a CSV file."""

from __future__ import annotations

import json

from click.testing import CliRunner

from classification_helpers import add_cases, classify
from effektspor.cli.main import cli
from effektspor.services.analysis.crosstabs import analyse_crosstab
from effektspor.services.contract import local_actor, unit_of_work

CASES = {"S1": ("I mål", "Let"), "S2": ("I mål", "Let"), "S3": ("Ikke i mål", "Svær"),
         "S4": ("På vej", "Mellem"), "S5": ("Ikke i mål", "Let")}


def classified_project(project):
    add_cases(project, {case: "Familieværkstedet" for case in CASES})
    for case, (outcome, severity) in CASES.items():
        classify(project, case, "maalopnaaelse", outcome, coder="leder")
        classify(project, case, "problemgrad", severity, coder="leder")
    return project


def test_the_project_case_table_feeds_the_crosstab(project):
    classified_project(project)
    with unit_of_work(project) as session:
        table = analyse_crosstab(session=session, actor=local_actor(project),
                                 project_id=project.project_id, rows="problemgrad",
                                 cols="maalopnaaelse").table
    assert sorted(c for row in table.cell_cases for cell in row for c in cell) == sorted(CASES)
    assert table.rows == ["Svær", "Mellem", "Let"]
    assert table.cols == ["I mål", "På vej", "Ikke i mål"]
    assert table.counts == [[0, 0, 1], [0, 1, 0], [2, 0, 1]]


def test_krydstabel_cli_without_file_uses_the_project(project):
    classified_project(project)
    result = CliRunner().invoke(cli, ["krydstabel", "--rækker", "problemgrad", "--kolonner",
                                      "maalopnaaelse", "--format", "json", "--projekt",
                                      str(project.folder)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total"] == 5 and data["col_totals"] == [2, 1, 2]
    assert data["percent"][2] == [100, 0, 50]

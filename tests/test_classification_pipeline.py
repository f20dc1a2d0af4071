"""From a synthetic export through import, suggestions, confirmation and the yearly report.

The synthetic corpus is written by another area with its own truth file, so this checks the
suggestions against text the rules were not written from, and that the pieces fit together.
"""

from __future__ import annotations

import json

import docx

from effektspor.services.classification import case_table, case_table_with_codings
from effektspor.services.classification_suggest import (
    confirm_suggestions,
    suggest_classifications,
)
from effektspor.services.coding import autocode_project
from effektspor.services.importing import import_paths
from effektspor.services.yearly_report import project_code_presence, write_yearly_report
from effektspor.synthetic import write_export


def test_synthetic_export_to_yearly_report(project, tmp_path):
    export = write_export(tmp_path / "eksport", seed=11, n_cases=40,
                          truth_file=tmp_path / "facit.jsonl")
    summary = import_paths(project, [export.folder], actor="test")
    assert not summary.problems
    suggested = suggest_classifications(project, actor="analytiker")
    assert suggested.cases == 40
    assert confirm_suggestions(project, actor="leder") == suggested.created
    truth = {r["sag_id"]: r for r in map(json.loads, export.truth_file.read_text(
        encoding="utf-8").splitlines())}
    table = {row["sag"]: row for row in case_table(project)}
    usable = [c for c, r in truth.items() if r["udskrivningsrapport"] == "brugbar"]
    assert usable and all(table[c]["maalopnaaelse"] == truth[c]["maalopnaaelse"]
                          for c in usable)
    assert all(table[c]["maalopnaaelse"] is None for c in truth if c not in usable)
    graded = [c for c in truth if table[c]["problemgrad"] is not None]
    assert len(graded) >= 36
    agree = sum(table[c]["problemgrad"] == truth[c]["problemgrad"] for c in graded)
    assert agree / len(graded) >= 0.9
    assert project_code_presence(project) is None  # nothing coded yet
    autocode_project(project, actor="analytiker")
    presence = project_code_presence(project)
    derived = {row["sag"]: row for row in case_table_with_codings(project)}
    assert all(derived[c]["negativ_alliance"] == ("ja" if "negativ_alliance" in presence[c]
                                                  else "nej") for c in truth)
    written = write_yearly_report(project, tmp_path / "rapport", actor="analytiker",
                                  formats=("docx",), code_presence=presence)
    tables = docx.Document(written["docx"]).tables
    assert len(tables) == 6
    outcome = [[cell.text for cell in row.cells] for row in tables[1].rows]
    assert outcome[-1] == ["Total", f"{len(usable)} (100%)"]
    alliance = [[cell.text for cell in row.cells] for row in tables[4].rows]
    assert alliance[1][0] == "Negative alliancebeskrivelser"
    negative_in_goal = sum(1 for c in usable if truth[c]["maalopnaaelse"] == "I mål"
                           and "negativ_alliance" in presence[c])
    assert alliance[1][1].startswith(f"{negative_in_goal} (")

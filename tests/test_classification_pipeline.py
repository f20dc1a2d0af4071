"""From a synthetic export through import, suggestions, confirmation and the yearly report.

The synthetic corpus is written by another area with its own truth file, so this checks the
suggestions against text the rules were not written from, and that the pieces fit together.
"""

from __future__ import annotations

import json

import docx
import pytest

from classification_helpers import call
from coding_factories import autocode
from effektspor.services.authorization import Actor, Role
from effektspor.services.classification import case_table
from effektspor.services.classification import tables as case_tables
from effektspor.services.classification.suggestions import (
    confirm_suggestions,
    suggest_classifications,
)
from effektspor.services.contract import unit_of_work
from effektspor.services.importing.imports import import_paths
from effektspor.services.reports.yearly import project_code_presence, write_yearly_report
from effektspor.synthetic import write_export

#: Accuracy floors of the suggestions on the synthetic corpus (share of the suggestions
#: that match the truth file). The rules are not written from the generator's templates, so
#: a floor, not perfection, is what they promise; bench/classification_eval.py measures.
OUTCOME_FLOOR = 0.95
CATEGORY_FLOOR = 0.90
SEVERITY_FLOOR = 0.90


def _suggest_and_confirm(project, tmp_path, *, hard_wording):
    export = write_export(tmp_path / "eksport", seed=11, n_cases=40,
                          truth_file=tmp_path / "facit.jsonl", hard_wording=hard_wording)
    summary = import_paths(project, [export.folder], actor="test")
    assert not summary.problems
    suggested = call(project, suggest_classifications, actor="analytiker")
    assert suggested.cases == 40
    assert call(project, confirm_suggestions, actor="leder") == suggested.created
    truth = {r["sag_id"]: r for r in map(json.loads, export.truth_file.read_text(
        encoding="utf-8").splitlines())}
    return truth, {row["sag"]: row for row in case_table(project)}


def _accuracy(table, truth, variable, cases):
    suggested = [c for c in cases if table[c][variable] is not None]
    correct = sum(table[c][variable] == truth[c][variable] for c in suggested)
    return len(suggested), correct / len(suggested) if suggested else 0.0


@pytest.mark.parametrize("hard_wording", [False, True], ids=["standard", "svær_formulering"])
def test_suggestion_accuracy_on_synthetic_corpus(project, tmp_path, hard_wording):
    truth, table = _suggest_and_confirm(project, tmp_path, hard_wording=hard_wording)
    usable = [c for c, r in truth.items() if r["udskrivningsrapport"] == "brugbar"]
    assert len(usable) >= 10
    n_outcome, outcome = _accuracy(table, truth, "maalopnaaelse", usable)
    assert n_outcome >= 0.95 * len(usable)
    assert outcome >= OUTCOME_FLOOR
    # Without a usable effect assessment the method classifies nothing.
    assert all(table[c]["maalopnaaelse"] is None for c in truth if c not in usable)
    for variable, floor in (("problemstilling", CATEGORY_FLOOR),
                            ("problemgrad", SEVERITY_FLOOR)):
        n_suggested, accuracy = _accuracy(table, truth, variable, list(truth))
        assert n_suggested >= 0.9 * len(truth), variable
        assert accuracy >= floor, (variable, accuracy)


def _table_with_row(tables, first_cell, *, columns):
    """The rows of the first table with ``columns`` columns and a row named ``first_cell``."""
    for table in tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if len(rows[0]) == columns and any(row[0] == first_cell for row in rows):
            return rows
    raise AssertionError(f"ingen tabel med {first_cell!r}")


def test_synthetic_export_to_yearly_report(project, tmp_path):
    truth, table = _suggest_and_confirm(project, tmp_path, hard_wording=False)
    usable = [c for c, r in truth.items() if r["udskrivningsrapport"] == "brugbar"]
    with project.sessions() as session:
        assert project_code_presence(session, project.project_id) is None  # nothing coded yet
    autocode(project)
    with project.sessions() as session:
        presence = project_code_presence(session, project.project_id)
    derived = {row["sag"]: row for row in call(project, case_tables.case_table, derived=True)}
    assert all(derived[c]["negativ_alliance"] == ("ja" if "negativ_alliance" in presence[c]
                                                  else "nej") for c in truth)
    with unit_of_work(project) as session:
        written = write_yearly_report(session=session, actor=Actor("analytiker", Role.ANALYST),
                                      project_id=project.project_id,
                                      folder=tmp_path / "rapport", formats=("docx",),
                                      code_presence=presence)
    tables = docx.Document(written["docx"]).tables
    confirmed_outcomes = [c for c in truth if table[c]["maalopnaaelse"] is not None]
    assert len(confirmed_outcomes) == len(usable)
    outcome = _table_with_row(tables, "Ikke i mål", columns=2)  # Tabel 2, one-way
    assert outcome[-1] == ["Total", f"{len(usable)} (100%)"]
    alliance = _table_with_row(tables, "Negative alliancebeskrivelser", columns=5)
    row = next(r for r in alliance if r[0] == "Negative alliancebeskrivelser")
    negative_in_goal = sum(1 for c in usable if table[c]["maalopnaaelse"] == "I mål"
                           and "negativ_alliance" in presence[c])
    assert row[1].startswith(f"{negative_in_goal} (")

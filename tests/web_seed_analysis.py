"""A small, realistic analysis project for the analysis tests: a synthetic export (invented
cases only) imported, auto-coded with the built-in codebook, and classified from the
documents' suggestions, all through the ordinary services. Deterministic (fixed seed).

The full demo corpus (146 cases) takes about 25 s to seed this way; 30 cases take about 4 s.
"""

from __future__ import annotations

from classification_helpers import call
from coding_factories import autocode
from effektspor.services.classification.suggestions import (
    confirm_suggestions,
    suggest_classifications,
)
from effektspor.services.importing.imports import import_paths
from effektspor.synthetic import write_export

SEED = 2019
CASES = 30


def seed_analysis(project, *, n_cases: int = CASES, seed: int = SEED) -> None:
    """Import ``n_cases`` synthetic cases into ``project``, auto-code and classify them."""
    folder = project.folder.parent / "eksport-analyse"
    write_export(folder, seed=seed, n_cases=n_cases, truth_file=folder.parent / "facit.jsonl")
    summary = import_paths(project, [folder], actor="test")
    assert not summary.problems, summary.problems[:3]
    autocode(project)
    call(project, suggest_classifications, actor="test")
    call(project, confirm_suggestions, actor="test (forslag godkendt)")

"""The analyses of a CSV of cases (no project, no database): the CLI's ``krydstabel``,
``hypotese`` and ``qca`` with a file, and ``enighed`` of two coders' files. On a project the
same commands call ``crosstabs``, ``hypotheses`` and ``configurations``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from effektspor.analysis.agreement import AgreementReport, agreement_between_tables
from effektspor.analysis.caseframe import CaseTable, read_case_csv
from effektspor.analysis.crosstab import Crosstab, crosstab, multi_response_crosstab
from effektspor.analysis.hypothesis import HypothesisTable, hypothesis_table
from effektspor.analysis.qca import NecessityResult, QcaResult, necessity, qca_from_table

__all__ = ["load_cases", "crosstab_of_file", "hypothesis_of_file", "qca_of_file",
           "necessity_of_file", "agreement_of_files"]


CaseSource = str | Path | CaseTable


def load_cases(source: CaseSource) -> CaseTable:
    """A CSV of cases (";" or "," separated, UTF-8 or cp1252; Danish errors on bad input), or
    a case table already loaded, passed through."""
    return source if isinstance(source, CaseTable) else read_case_csv(source)


def crosstab_of_file(path: CaseSource, *, rows: str | None = None, cols: str | None = None,
                     multi_response: Sequence[str] | None = None) -> Crosstab:
    """Crosstab (or multi-response table when ``multi_response`` names binary variables)."""
    cases = load_cases(path)
    if multi_response:
        if not cols:
            raise ValueError("a multi-response table needs a column variable")
        return multi_response_crosstab(cases, list(multi_response), cols)
    if not rows:
        raise ValueError("a crosstab needs a row variable")
    return crosstab(cases, rows, cols)


def hypothesis_of_file(path: CaseSource, *, condition: str, outcome: str,
                       outcome_positive: Sequence[str], moderator: str | None = None
                       ) -> HypothesisTable:
    """Tabel 5-style hypothesis table of a condition, an outcome and a moderator."""
    return hypothesis_table(load_cases(path), condition=condition, outcome=outcome,
                            outcome_positive=outcome_positive, moderator=moderator)


def qca_of_file(path: CaseSource, *, outcome: str, conditions: Sequence[str],
                solution: str = "kompleks", negate_outcome: bool = False,
                inclusion_cut: float = 1.0, n_cut: int = 1) -> QcaResult:
    """Crisp-set QCA of the cases in a CSV file."""
    return qca_from_table(load_cases(path), outcome=outcome, conditions=list(conditions),
                          solution=solution, negate_outcome=negate_outcome,
                          inclusion_cut=inclusion_cut, n_cut=n_cut)


def necessity_of_file(path: CaseSource, *, outcome: str, conditions: Sequence[str],
                      negate_outcome: bool = False) -> list[NecessityResult]:
    """Necessity analysis (inclN, RoN, covN) of every condition and its negation."""
    cases = load_cases(path)
    return necessity(cases, outcome=outcome, conditions=list(conditions),
                     negate_outcome=negate_outcome)


def agreement_of_files(path_a: str | Path, path_b: str | Path, *, variable: str,
                       id_column: str = "sag_id", seed: int = 20190101,
                       bootstrap: int = 2000) -> AgreementReport:
    """Agreement between two coders' CSV files for one variable of the same cases."""
    return agreement_between_tables(load_cases(path_a), load_cases(path_b), variable=variable,
                                    id_column=id_column, seed=seed, bootstrap=bootstrap)

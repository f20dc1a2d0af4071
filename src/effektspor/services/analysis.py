"""Analysis use cases: read a table of cases (a CSV now, a project's case table later) and
run the pure analysis functions of ``effektspor.analysis`` on it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from effektspor.analysis.agreement import AgreementReport, agreement_between_tables
from effektspor.analysis.caseframe import CaseTable, read_case_csv, table_from_records
from effektspor.analysis.comparison import (
    DurationComparison,
    ProportionComparison,
    compare_duration_columns,
    compare_outcome_shares,
)
from effektspor.analysis.crosstab import Crosstab, crosstab, multi_response_crosstab
from effektspor.analysis.hypothesis import HypothesisTable, hypothesis_table
from effektspor.analysis.qca import NecessityResult, QcaResult, necessity, qca_from_table

__all__ = [
    "load_cases", "project_cases", "cases_from_records", "compare_years_of_files", "crosstab_of_file", "hypothesis_of_file", "qca_of_file",
    "necessity_of_file", "agreement_of_files",
]


CaseSource = str | Path | CaseTable


def load_cases(source: CaseSource) -> CaseTable:
    """A CSV of cases (";" or "," separated, UTF-8 or cp1252; Danish errors on bad input), or
    a case table already loaded (e.g. by ``project_cases``), passed through."""
    return source if isinstance(source, CaseTable) else read_case_csv(source)


def project_cases(project_dir: str | Path) -> CaseTable:
    """A project's cases with their confirmed classifications, enrollment days and, when the
    journals are coded, the derived yes/no variables (the table the yearly report uses)."""
    from effektspor.classification.derived import STANDARD_DERIVED
    from effektspor.services.classification import CASE_COLUMN, case_table
    from effektspor.services.project import open_project
    from effektspor.services.yearly_report import project_code_presence

    with open_project(Path(project_dir)) as project:
        presence = project_code_presence(project)
        rows = case_table(project, code_presence=presence,
                          derived=list(STANDARD_DERIVED) if presence is not None else None,
                          with_enrollment=True)
        return table_from_records(rows, source=project.name, id_column=CASE_COLUMN)


def cases_from_records(records: Sequence[dict[str, object]], *, source: str = "<sager>",
                       id_column: str = "sag_id") -> CaseTable:
    """A case table from dictionaries, e.g. a project's case classifications."""
    return table_from_records(records, source=source, id_column=id_column)


def compare_years_of_files(first: str | Path, second: str | Path, *, outcome: str,
                           duration: str | None = None, first_name: str = "sidste år",
                           second_name: str = "i år"
                           ) -> tuple[dict[str, ProportionComparison], DurationComparison | None]:
    """Year-over-year comparison of two case files: outcome shares and, when given, a
    duration column (e.g. enrollment days)."""
    cases_first, cases_second = load_cases(first), load_cases(second)
    shares = compare_outcome_shares(cases_first, cases_second, outcome=outcome,
                                    first_name=first_name, second_name=second_name)
    durations = (compare_duration_columns(cases_first, cases_second, column=duration,
                                          first_name=first_name, second_name=second_name)
                 if duration else None)
    return shares, durations


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

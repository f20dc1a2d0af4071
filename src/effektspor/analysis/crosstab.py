"""Crosstabs the way the published report shows them: counts with column percentages rounded
half up, totals, the cases behind every cell, a test, and the "Celleindhold" note."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from effektspor.analysis.caseframe import CaseTable, value_order
from effektspor.analysis.inference import TestResult, holm, independence_test
from effektspor.domain.formatting import format_p, percent_half_up

CELL_NOTE = ("Celleindhold: antal sager og kolonneprocent (procenterne er afrundet fra første "
             "decimal og summer derfor ikke nødvendigvis til 100).")
CELL_NOTE_MULTI = ("Celleindhold: antal sager med mindst én kodning og andel af kolonnens sager "
                   "(flersvar: en sag kan tælle i flere rækker, så procenterne summer ikke til "
                   "100).")
ONE_WAY_COLUMN = "I alt"


@dataclass(frozen=True)
class Crosstab:
    """A table of cases: counts, column percentages (half up), totals and cases per cell."""

    rows: list[str]
    cols: list[str]
    counts: list[list[int]]
    percent: list[list[int | None]]
    row_totals: list[int]
    row_totals_percent: list[int | None]
    col_totals: list[int]
    total: int
    cell_cases: list[list[list[str]]]
    test: TestResult | None
    note: str
    row_variable: str = ""
    col_variable: str = ""
    multi_response: bool = False
    excluded_cases: list[str] = field(default_factory=list)
    row_tests: list[TestResult] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """The JSON form of the ``krydstabel`` CLI contract."""
        test = self.test.as_dict() if self.test else {"method": "ingen test", "p_value": None}
        return {"rows": self.rows, "cols": self.cols, "counts": self.counts,
                "percent": self.percent, "row_totals": self.row_totals,
                "row_totals_percent": self.row_totals_percent, "col_totals": self.col_totals,
                "total": self.total, "test": test}



def crosstab_from_values(row_values: Sequence[str], col_values: Sequence[str] | None,
                         case_ids: Sequence[str], *, row_order: Sequence[str] | None = None,
                         col_order: Sequence[str] | None = None, row_variable: str = "",
                         col_variable: str = "", with_test: bool = True) -> Crosstab:
    """Cross two variables of the same cases; empty values leave the case out (listed).

    Without ``col_values`` the result is a one-way table with the single column "I alt".
    """
    one_way = col_values is None
    columns_in = [ONE_WAY_COLUMN] * len(row_values) if one_way else list(col_values)
    rows = list(row_order) if row_order else value_order(row_values)
    cols = [ONE_WAY_COLUMN] if one_way else (list(col_order) if col_order
                                             else value_order(columns_in))
    cell_cases: list[list[list[str]]] = [[[] for _ in cols] for _ in rows]
    excluded: list[str] = []
    for case_id, row_value, col_value in zip(case_ids, row_values, columns_in, strict=True):
        if row_value in rows and col_value in cols:
            cell_cases[rows.index(row_value)][cols.index(col_value)].append(case_id)
        else:
            excluded.append(case_id)
    counts = [[len(cell) for cell in row] for row in cell_cases]
    col_totals = [sum(counts[i][j] for i in range(len(rows))) for j in range(len(cols))]
    row_totals = [sum(row) for row in counts]
    total = sum(row_totals)
    test = independence_test(counts) if with_test and not one_way else None
    note = CELL_NOTE + (f" {len(excluded)} sag(er) uden værdi er udeladt." if excluded else "")
    return Crosstab(
        rows=rows, cols=cols, counts=counts,
        percent=[[percent_half_up(counts[i][j], col_totals[j]) for j in range(len(cols))]
                 for i in range(len(rows))],
        row_totals=row_totals,
        row_totals_percent=[percent_half_up(x, total) for x in row_totals],
        col_totals=col_totals, total=total, cell_cases=cell_cases, test=test, note=note,
        row_variable=row_variable, col_variable=col_variable, excluded_cases=excluded)


def crosstab(cases: CaseTable, rows: str, cols: str | None = None, *,
             row_order: Sequence[str] | None = None, col_order: Sequence[str] | None = None,
             with_test: bool = True) -> Crosstab:
    """Crosstab of two variables of a case table (one-way table when ``cols`` is None)."""
    row_values = cases.column(rows)
    col_values = cases.column(cols) if cols else None
    return crosstab_from_values(row_values, col_values, cases.case_ids, row_order=row_order,
                                col_order=col_order, row_variable=rows,
                                col_variable=cols or "", with_test=with_test)


def multi_response_crosstab(cases: CaseTable, row_variables: Sequence[str], cols: str, *,
                            col_order: Sequence[str] | None = None,
                            with_test: bool = True) -> Crosstab:
    """Multi-response table: one row per binary variable, counting the column's cases where it
    is true; percentages are shares of the column's cases. Each row is tested (2×c exact) and
    the table's p-value is the smallest Holm-adjusted one (a test of "no row differs")."""
    col_values = cases.column(cols)
    columns = list(col_order) if col_order else value_order(col_values)
    flags = {name: cases.booleans(name) for name in row_variables}
    in_table = [i for i, value in enumerate(col_values) if value in columns]
    placed = set(in_table)
    excluded = [cases.case_ids[i] for i in range(len(cases)) if i not in placed]
    col_totals = [sum(1 for i in in_table if col_values[i] == c) for c in columns]
    total = sum(col_totals)
    cell_cases = [[[cases.case_ids[i] for i in in_table
                    if col_values[i] == column and flags[name][i]] for column in columns]
                  for name in row_variables]
    counts = [[len(cell) for cell in row] for row in cell_cases]
    row_totals = [sum(row) for row in counts]
    row_tests: list[TestResult] = []
    test = None
    if with_test and len(columns) > 1:
        row_tests = [independence_test([row, [t - x for t, x in zip(col_totals, row,
                                                                        strict=True)]])
                     for row in counts]
        valid = [t.p_value for t in row_tests if t.p_value is not None]
        if valid:
            adjusted = holm(valid)
            smallest = min(adjusted)
            test = TestResult(
                method="Fisher–Freeman–Halton pr. række, Holm-korrigeret",
                p_value=smallest,
                wording=(f"Mindste Holm-korrigerede p-værdi over {len(valid)} rækker: "
                         f"{format_p(smallest)}."))
    note = CELL_NOTE_MULTI + (f" {len(excluded)} sag(er) uden værdi er udeladt."
                              if excluded else "")
    return Crosstab(
        rows=list(row_variables), cols=columns, counts=counts,
        percent=[[percent_half_up(row[j], col_totals[j]) for j in range(len(columns))]
                 for row in counts],
        row_totals=row_totals, row_totals_percent=[percent_half_up(x, total) for x in row_totals],
        col_totals=col_totals, total=total, cell_cases=cell_cases, test=test, note=note,
        row_variable=",".join(row_variables), col_variable=cols, multi_response=True,
        excluded_cases=excluded, row_tests=row_tests)

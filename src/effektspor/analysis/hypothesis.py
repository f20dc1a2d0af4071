"""Hypothesis tables like Tabel 5 of the Randers report: a condition (e.g. reflected
intervention adjustment) against an outcome, with a moderator (e.g. severity) that explains
the off-diagonal cells. Configurational reasoning on small n, with every case listed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from effektspor.analysis.caseframe import CaseTable, value_order
from effektspor.analysis.inference import TestResult, independence_test
from effektspor.analysis.wording import significance_statement

CELL_MEANINGS = {
    "A": "udfald opnået med betingelsen",
    "B": "udfald opnået uden betingelsen",
    "C": "udfald ikke opnået trods betingelsen",
    "D": "udfald ikke opnået og betingelsen fraværende",
}


@dataclass(frozen=True)
class HypothesisCell:
    """One cell (A–D): its cases and the moderator's distribution among them."""

    label: str
    meaning: str
    cases: list[str]
    moderator_counts: dict[str, int]

    @property
    def n(self) -> int:
        """Number of cases in the cell."""
        return len(self.cases)

    def moderator_summary(self) -> str:
        """Danish summary: "alle Let" or "3 Svær, 2 Mellem"."""
        if not self.cases:
            return "ingen sager"
        present = {k: v for k, v in self.moderator_counts.items() if v}
        if len(present) == 1:
            return f"alle {next(iter(present))}"
        return ", ".join(f"{v} {k}" for k, v in present.items())


@dataclass(frozen=True)
class HypothesisTable:
    """Cells A (outcome+, condition+), B (outcome+, condition−), C (outcome−, condition+),
    D (outcome−, condition−), the cases that could not be placed, and readings in Danish."""

    condition: str
    outcome: str
    moderator: str | None
    cells: dict[str, HypothesisCell]
    unplaced: list[str]
    test: TestResult
    sufficiency: float | None  # A / (A + C): share of cases with the condition reaching the goal
    necessity: float | None  # A / (A + B): share of goal-reaching cases having the condition
    readings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """JSON form with the cells, their cases and the moderator distributions."""
        return {"betingelse": self.condition, "udfald": self.outcome,
                "moderator": self.moderator,
                "celler": {k: {"antal": c.n, "sager": c.cases, "betydning": c.meaning,
                               "moderator": c.moderator_counts}
                           for k, c in self.cells.items()},
                "ikke_placeret": self.unplaced, "test": self.test.as_dict(),
                "læsning": self.readings}


def hypothesis_table(cases: CaseTable, *, condition: str, outcome: str,
                     outcome_positive: Sequence[str], moderator: str | None = None
                     ) -> HypothesisTable:
    """Place each case in cell A–D by its outcome (positive values given) and its binary
    condition; cases missing either value are listed as unplaced."""
    present = cases.booleans(condition)
    outcomes = cases.column(outcome)
    moderators = cases.column(moderator) if moderator else [""] * len(cases)
    order = value_order(moderators) if moderator else []
    members: dict[str, list[int]] = {label: [] for label in "ABCD"}
    unplaced = []
    for i, case_id in enumerate(cases.case_ids):
        if present[i] is None or outcomes[i] == "":
            unplaced.append(case_id)
            continue
        reached = outcomes[i] in outcome_positive
        label = ("A" if present[i] else "B") if reached else ("C" if present[i] else "D")
        members[label].append(i)
    cells = {}
    for label, indexes in members.items():
        counter = Counter(moderators[i] for i in indexes)
        cells[label] = HypothesisCell(label, CELL_MEANINGS[label],
                                      [cases.case_ids[i] for i in indexes],
                                      {value: counter.get(value, 0) for value in order})
    a, b, c, d = (cells[x].n for x in "ABCD")
    test = independence_test([[a, b], [c, d]])
    readings = [f"{a + b + c + d} af {len(cases)} sager kan placeres; "
                f"{len(unplaced)} kunne ikke placeres."]
    if moderator:
        readings.append(f"B ({CELL_MEANINGS['B']}): {b} sager, {cells['B'].moderator_summary()}.")
        readings.append(f"C ({CELL_MEANINGS['C']}): {c} sager, {cells['C'].moderator_summary()}.")
    readings.append(f"Sammenhængen mellem {condition} og {outcome} er "
                    f"{significance_statement(test.p_value)}; {test.method}."
                    if test.p_value is not None else "Ingen test: for få sager.")
    return HypothesisTable(condition, outcome, moderator, cells, unplaced, test,
                           a / (a + c) if a + c else None, a / (a + b) if a + b else None,
                           readings)

"""Classification and code filters of the case list, as SQL conditions on ``cases``.

Each filter is an EXISTS subquery correlated with the case row, so the list stays one
query however many cases there are. A variable's value is the current confirmed value,
or, when there is none, the open suggestion (shown marked as a suggestion).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, false, not_, or_, select, true
from sqlalchemy.orm import Session

from effektspor.coding.codebook import Codebook
from effektspor.domain.errors import EffektsporError
from effektspor.domain.variables import OUTCOME, STANDARD_VARIABLES
from effektspor.store import tables as t
from effektspor.store.tables_analysis import CONFIRMED, SUGGESTED, CaseVariable
from effektspor.store.tables_analysis import ClassificationValue as Value
from effektspor.store.tables_coding import Coding

#: The choice "no value" of a variable filter (neither confirmed nor suggested).
NO_VALUE = "-"
#: The variables the case list can filter on, in order (their names are the URL keys).
FILTER_VARIABLES = tuple(v.name for v in STANDARD_VARIABLES)


@dataclass(frozen=True)
class VariableChoice:
    """A variable filter of the case list: URL key, label and allowed values."""

    name: str
    label: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class CodeChoice:
    """A code of the codebook, indented by its depth in the code tree."""

    key: str
    name: str
    depth: int


def variable_rows(session: Session, project_id: int) -> dict[str, CaseVariable]:
    """The stored rows of the filterable variables (missing before first classification)."""
    return {row.name: row for row in session.scalars(select(CaseVariable).where(
        CaseVariable.project_id == project_id, CaseVariable.name.in_(FILTER_VARIABLES)))}


def variable_choices(rows: dict[str, CaseVariable]) -> list[VariableChoice]:
    """The filter choices of the standard variables (stored labels and values win)."""
    choices = []
    for variable in STANDARD_VARIABLES:
        row = rows.get(variable.name)
        choices.append(VariableChoice(variable.name, row.label if row else variable.label,
                                      tuple(row.allowed_values) if row else variable.values))
    return choices


def _current(variable_id: int, status: str, value: str | None = None):
    conditions = [Value.case_id == t.Case.id, Value.variable_id == variable_id,
                  Value.status == status, Value.superseded_at.is_(None)]
    if value is not None:
        conditions.append(Value.value == value)
    return exists().where(*conditions)


def value_condition(row: CaseVariable | None, value: str):
    """Cases whose current value (confirmed, else suggested) of ``row`` is ``value``.

    ``NO_VALUE`` selects the cases with neither a confirmed nor a suggested value.
    """
    if row is None:  # not created yet: no case has a value
        return true() if value == NO_VALUE else false()
    if value == NO_VALUE:
        return and_(not_(_current(row.id, CONFIRMED)), not_(_current(row.id, SUGGESTED)))
    return or_(_current(row.id, CONFIRMED, value),
               and_(not_(_current(row.id, CONFIRMED)), _current(row.id, SUGGESTED, value)))


def code_choices(codebook: Codebook) -> list[CodeChoice]:
    """The codebook's codes in tree order (children under their parent)."""
    children: dict[str | None, list] = {}
    for code in codebook.codes:
        children.setdefault(code.parent, []).append(code)
    result: list[CodeChoice] = []

    def walk(parent: str | None, depth: int) -> None:
        for code in children.get(parent, []):
            result.append(CodeChoice(code.id, code.name, depth))
            walk(code.id, depth + 1)

    walk(None, 0)
    return result


def code_condition(codebook: Codebook, project_id: int, key: str):
    """Cases with a coding (in a note or a document) of code ``key`` or any code below it."""
    if key not in codebook.code_ids:
        raise EffektsporError(f"Koden '{key}' findes ikke i projektets kodebog.")
    keys = [key, *(c.id for c in codebook.codes if key in codebook.ancestors(c.id))]
    in_notes = exists().where(Coding.project_id == project_id, Coding.code_key.in_(keys),
                              Coding.note_id == t.Note.id, t.Note.case_id == t.Case.id)
    in_documents = exists().where(Coding.project_id == project_id, Coding.code_key.in_(keys),
                                  Coding.document_id == t.Document.id,
                                  t.Document.case_id == t.Case.id)
    return or_(in_notes, in_documents)


def shown_outcomes(session: Session, rows: dict[str, CaseVariable],
                   case_ids: list[int]) -> dict[int, tuple[str, bool]]:
    """Per case id: (målopnåelse, True if it is only a suggestion) for the listed cases."""
    row = rows.get(OUTCOME.name)
    if row is None or not case_ids:
        return {}
    result: dict[int, tuple[str, bool]] = {}
    for case_id, value, status in session.execute(
            select(Value.case_id, Value.value, Value.status).where(
                Value.case_id.in_(case_ids), Value.variable_id == row.id,
                Value.superseded_at.is_(None), Value.status.in_((CONFIRMED, SUGGESTED)))):
        if status == CONFIRMED or case_id not in result:
            result[case_id] = (value, status == SUGGESTED)
    return result

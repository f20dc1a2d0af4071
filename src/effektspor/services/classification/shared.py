"""Building blocks of classification that the area's use cases, and other areas' services
inside their own use case (re-coding, analysis, reports), call with the caller's session.

Values are never overwritten: a new confirmed value supersedes the current one. Nothing
here checks a role or commits; the use case that calls it does the first, its front end
the second. The last section keeps two functions with a project (their own transaction)
for the areas that have not moved to the one contract yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from effektspor.classification.derived import DerivedVariable, derive_values
from effektspor.domain import events
from effektspor.domain.errors import EffektsporError
from effektspor.domain.variables import STANDARD_VARIABLES, Variable, VariableKind
from effektspor.services.cases.case_view import CaseNotFound
from effektspor.services.events import record_event
from effektspor.services.project import ProjectContext
from effektspor.store import tables as t
from effektspor.store.tables_analysis import (
    CONFIRMED,
    SUGGESTED,
    CaseVariable,
    ClassificationValue,
)

CASE_COLUMN = "sag"
TEAM_COLUMN = "team"
ENROLLMENT_COLUMN = "indskrivningsdage"


#: The document types whose effect assessment gives the outcome (målopnåelse).
DISCHARGE_TYPES = ("udskrivningsrapport",)


@dataclass(frozen=True, slots=True)
class ValueChange:
    """The result of writing one value: old and new value (old None if there was none)."""

    case_external_id: str
    variable: str
    old_value: str | None
    new_value: str
    changed: bool


def now() -> datetime:
    """The time stored on a decision (UTC)."""
    return datetime.now(UTC)


def to_variable(row: CaseVariable) -> Variable:
    """The domain variable of a stored row."""
    return Variable(name=row.name, label=row.label, kind=VariableKind(row.kind),
                    values=tuple(row.allowed_values), criteria=dict(row.criteria),
                    description=row.description)


def ensure_variables(session: Session, project_id: int, *, actor: str) -> dict[str, CaseVariable]:
    """The project's variables by name; the standard ones are created on first use
    (logged as "variabler_oprettet" in ``actor``'s name)."""
    rows = {row.name: row for row in session.scalars(
        select(CaseVariable).where(CaseVariable.project_id == project_id)
        .order_by(CaseVariable.position, CaseVariable.id))}
    missing = [v for v in STANDARD_VARIABLES if v.name not in rows]
    for variable in missing:
        row = row_from_variable(project_id, variable, builtin=True,
                                position=STANDARD_VARIABLES.index(variable))
        session.add(row)
        rows[variable.name] = row
    if missing:
        session.flush()
        record_event(session, events.variables_created(names=[v.name for v in missing]),
                     actor=actor, project_id=project_id)
    return rows


def ordered(rows: dict[str, CaseVariable]) -> list[CaseVariable]:
    """The variables in their order (the three standard ones first)."""
    return sorted(rows.values(), key=lambda r: (r.position, r.id))


def row_from_variable(project_id: int, variable: Variable, *, builtin: bool,
                      position: int) -> CaseVariable:
    """A new stored row for ``variable``."""
    return CaseVariable(project_id=project_id, name=variable.name, label=variable.label,
                        kind=variable.kind.value, allowed_values=list(variable.values),
                        criteria=dict(variable.criteria), description=variable.description,
                        builtin=builtin, position=position)


def variable_row(rows: dict[str, CaseVariable], name: str) -> CaseVariable:
    """The variable named ``name`` (its name or label, any case); Danish error otherwise."""
    key = name.strip().casefold()
    for row in rows.values():
        if row.name.casefold() == key or row.label.casefold() == key:
            return row
    raise EffektsporError(f"Ukendt variabel '{name}'. Kendte variable: "
                          f"{', '.join(rows)}.")


def case_ids(session: Session, project_id: int) -> dict[str, t.Case]:
    """The project's cases by external id."""
    return {c.external_id: c for c in session.scalars(
        select(t.Case).where(t.Case.project_id == project_id))}


def case_of_project(session: Session, project_id: int, *, case_id: int | None = None,
                    case_external_id: str | None = None, lock: bool = False) -> t.Case:
    """A case of the project by id or by case number (:class:`CaseNotFound` otherwise);
    ``lock`` takes a row lock, which serialises concurrent changes of the case."""
    query = select(t.Case).where(t.Case.project_id == project_id)
    if case_id is not None:
        query = query.where(t.Case.id == case_id)
        missing = f"Sagen med id {case_id} findes ikke i projektet."
    else:
        query = query.where(t.Case.external_id == (case_external_id or "").strip())
        missing = f"Sagen '{case_external_id}' findes ikke i projektet."
    found = session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise CaseNotFound(missing)
    return found


def current_value(session: Session, case_id: int,
                  variable_id: int) -> ClassificationValue | None:
    """The confirmed, not superseded value of a case's variable, if any."""
    return session.scalar(select(ClassificationValue).where(
        ClassificationValue.case_id == case_id, ClassificationValue.variable_id == variable_id,
        ClassificationValue.status == CONFIRMED, ClassificationValue.superseded_at.is_(None)))


def current_values(session: Session,
                   project_id: int) -> dict[tuple[int, int], ClassificationValue]:
    """All confirmed, not superseded values of a project by (case id, variable id)."""
    query = select(ClassificationValue).where(
        ClassificationValue.project_id == project_id, ClassificationValue.status == CONFIRMED,
        ClassificationValue.superseded_at.is_(None))
    return {(v.case_id, v.variable_id): v for v in session.scalars(query)}


def write_confirmed_value(session: Session, *, project_id: int, case: t.Case,
                          variable: CaseVariable, value: str, coder: str, actor: str,
                          origin: str, explanation: str | None = None) -> ValueChange:
    """Store ``value`` as the case's confirmed value, superseding the current one.

    Pending suggestions for the same case and variable are superseded too. No event is
    written here; callers log the change (one event per use case).
    """
    old = current_value(session, case.id, variable.id)
    if old is not None and old.value == value:
        return ValueChange(case.external_id, variable.name, old.value, value, False)
    decided = now()
    new = ClassificationValue(project_id=project_id, case_id=case.id, variable_id=variable.id,
                              value=value, coder=coder, status=CONFIRMED, origin=origin,
                              explanation=explanation, created_by=actor, decided_by=coder,
                              decided_at=decided)
    session.add(new)
    session.flush()
    pending = session.scalars(select(ClassificationValue).where(
        ClassificationValue.case_id == case.id, ClassificationValue.variable_id == variable.id,
        ClassificationValue.status == SUGGESTED, ClassificationValue.superseded_at.is_(None)))
    for row in [*pending, *([old] if old is not None else [])]:
        row.superseded_at, row.superseded_by_id = decided, new.id
    return ValueChange(case.external_id, variable.name, old.value if old else None, value, True)


def validated_value(variable: CaseVariable, value: str) -> str:
    """The canonical spelling of ``value`` for ``variable`` (Danish error if not allowed)."""
    try:
        return to_variable(variable).validate(value)
    except ValueError as error:
        raise EffektsporError(f"Ugyldig værdi: {error}.") from None


def case_value_rows(session: Session, project_id: int, chosen: list[CaseVariable]
                    ) -> tuple[list[t.Case], list[dict]]:
    """The project's cases (by case number) and one row per case: ``sag``, ``team`` and the
    confirmed value (or None) of each variable in ``chosen``. Reads only."""
    by_id = {r.id: r.name for r in chosen}
    cases = sorted(case_ids(session, project_id).values(), key=lambda c: c.external_id)
    values: dict[tuple[int, str], str] = {}
    query = select(ClassificationValue.case_id, ClassificationValue.variable_id,
                   ClassificationValue.value).where(
        ClassificationValue.project_id == project_id,
        ClassificationValue.status == CONFIRMED,
        ClassificationValue.superseded_at.is_(None),
        ClassificationValue.variable_id.in_(list(by_id)))
    for case_id, variable_id, value in session.execute(query):
        values[(case_id, by_id[variable_id])] = value
    table = [{CASE_COLUMN: c.external_id, TEAM_COLUMN: c.team,
              **{r.name: values.get((c.id, r.name)) for r in chosen}} for c in cases]
    return cases, table


def case_rows(session: Session, project_id: int, *, actor: str,
              variables: list[str] | None = None,
              code_presence: dict[str, set[str]] | None = None,
              derived: list[DerivedVariable] | None = None,
              with_enrollment: bool = False) -> list[dict]:
    """The case table: one row per case with ``sag``, ``team`` and the confirmed value of
    each variable (None without one). This is the table the analysis functions take.

    With ``code_presence`` (case number → code ids, from the coding area) and ``derived``
    definitions, derived yes/no variables are added; ``with_enrollment`` adds
    ``indskrivningsdage`` (start to end, None if unknown).
    """
    rows = ensure_variables(session, project_id, actor=actor)
    chosen = [variable_row(rows, name) for name in variables] if variables else ordered(rows)
    cases, table = case_value_rows(session, project_id, chosen)
    if with_enrollment:
        for row, case in zip(table, cases, strict=True):
            row[ENROLLMENT_COLUMN] = ((case.end_date - case.start_date).days
                                      if case.start_date and case.end_date else None)
    if code_presence is not None and derived:
        extra = derive_values(code_presence, derived, case_ids=[r[CASE_COLUMN] for r in table])
        for row in table:
            row.update(extra[row[CASE_COLUMN]])
    return table


def value_evidence(session: Session, project_id: int, variable: str, *,
                   actor: str) -> dict[str, str]:
    """For each case with a confirmed value of ``variable``: where the value comes from.

    The evidence quote of a confirmed suggestion (case text), otherwise who set the value
    and how, so every number of a report can be traced to a person or a passage.
    """
    row = variable_row(ensure_variables(session, project_id, actor=actor), variable)
    query = (select(t.Case.external_id, ClassificationValue)
             .join(t.Case, t.Case.id == ClassificationValue.case_id)
             .where(ClassificationValue.variable_id == row.id,
                    ClassificationValue.status == CONFIRMED,
                    ClassificationValue.superseded_at.is_(None)))
    result = {}
    for external_id, value in session.execute(query):
        if value.evidence_quote:
            result[external_id] = f"«{value.evidence_quote}» ({value.value}, bekræftet af " \
                                  f"{value.coder})"
        else:
            result[external_id] = f"{value.value} – sat af {value.coder} ({value.origin})"
    return result


# -- for the areas not yet in the one contract (reports, analysis) ----------------------
# They open their own transaction with a project; when they move, they call
# ``case_rows`` and ``value_evidence`` in their own unit of work and these two go.

def case_table(project: ProjectContext, *, variables: list[str] | None = None,
               code_presence: dict[str, set[str]] | None = None,
               derived: list[DerivedVariable] | None = None,
               with_enrollment: bool = False) -> list[dict]:
    """:func:`case_rows` of ``project`` in a transaction of its own."""
    with project.transaction() as session:
        return case_rows(session, project.project_id, actor="system", variables=variables,
                         code_presence=code_presence, derived=derived,
                         with_enrollment=with_enrollment)

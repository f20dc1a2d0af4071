"""Use cases of case classification: variables, values by a coder, imports, the case table.

Values are never overwritten: a new confirmed value supersedes the current one and every
change is written to the event log. Suggestions from text live in
``effektspor.services.classification_suggest``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from effektspor.classification.derived import STANDARD_DERIVED, DerivedVariable, derive_values
from effektspor.domain.errors import EffektsporError, Problem, ValidationError
from effektspor.domain.variables import (
    STANDARD_VARIABLES,
    Variable,
    VariableKind,
    variables_from_mapping,
)
from effektspor.services.coding.shared import case_code_presence
from effektspor.services.events import log_event
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


@dataclass(frozen=True, slots=True)
class ValueChange:
    """The result of setting one value: old and new value (old None if there was none)."""

    case_external_id: str
    variable: str
    old_value: str | None
    new_value: str
    changed: bool


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import of values did."""

    file: str
    rows: int
    changed: int
    unchanged: int


def _now() -> datetime:
    return datetime.now(UTC)


def to_variable(row: CaseVariable) -> Variable:
    """The domain variable of a stored row."""
    return Variable(name=row.name, label=row.label, kind=VariableKind(row.kind),
                    values=tuple(row.allowed_values), criteria=dict(row.criteria),
                    description=row.description)


def ensure_variables(session: Session, project_id: int, *, actor: str) -> dict[str, CaseVariable]:
    """The project's variables by name; the standard ones are created on first use."""
    rows = {row.name: row for row in session.scalars(
        select(CaseVariable).where(CaseVariable.project_id == project_id)
        .order_by(CaseVariable.position, CaseVariable.id))}
    missing = [v for v in STANDARD_VARIABLES if v.name not in rows]
    for variable in missing:
        row = _row_from_variable(project_id, variable, builtin=True,
                                 position=STANDARD_VARIABLES.index(variable))
        session.add(row)
        rows[variable.name] = row
    if missing:
        session.flush()
        log_event(session, actor=actor, action="variabler_oprettet", project_id=project_id,
                  object_type="variabel",
                  details={"variabler": [v.name for v in missing], "standard": True})
    return rows


def _row_from_variable(project_id: int, variable: Variable, *, builtin: bool,
                       position: int) -> CaseVariable:
    return CaseVariable(project_id=project_id, name=variable.name, label=variable.label,
                        kind=variable.kind.value, allowed_values=list(variable.values),
                        criteria=dict(variable.criteria), description=variable.description,
                        builtin=builtin, position=position)


def list_variables(project: ProjectContext, *, actor: str = "system") -> list[Variable]:
    """The project's declared variables in order (the three standard ones first)."""
    with project.transaction() as session:
        rows = ensure_variables(session, project.project_id, actor=actor)
        return [to_variable(r) for r in sorted(rows.values(), key=lambda r: (r.position, r.id))]


def define_variables(project: ProjectContext, path: Path, *, actor: str) -> list[Variable]:
    """Declare (or update) the municipality's own variables from a YAML file.

    Standard variables cannot be redefined; an update must keep every stored value valid.
    Everything is checked before anything is written.
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise EffektsporError(f"{path.name}: kan ikke læses som YAML ({error}).") from None
    variables = variables_from_mapping(data, source=path.name)
    with project.transaction() as session:
        rows = ensure_variables(session, project.project_id, actor=actor)
        problems = []
        for variable in variables:
            row = rows.get(variable.name)
            if row is not None and row.builtin:
                problems.append(Problem(f"'{variable.name}' er en standardvariabel og kan "
                                        "ikke ændres", file=path.name, field="navn"))
            elif row is not None:
                problems.extend(_values_invalid_under(session, row, variable, path.name))
        if problems:
            raise ValidationError(problems)
        position = max((r.position for r in rows.values()), default=0) + 1
        for variable in variables:
            row = rows.get(variable.name)
            if row is None:
                session.add(_row_from_variable(project.project_id, variable, builtin=False,
                                               position=position))
                position += 1
            else:
                row.label, row.kind = variable.label, variable.kind.value
                row.allowed_values, row.criteria = list(variable.values), dict(variable.criteria)
                row.description = variable.description
        log_event(session, actor=actor, action="variabler_defineret",
                  project_id=project.project_id, object_type="variabel",
                  details={"fil": path.name, "variabler": [v.name for v in variables]})
    return variables


def _values_invalid_under(session: Session, row: CaseVariable, variable: Variable,
                          file: str) -> list[Problem]:
    stored = session.scalars(select(ClassificationValue.value).where(
        ClassificationValue.variable_id == row.id).distinct())
    problems = []
    for value in stored:
        try:
            variable.validate(value)
        except ValueError:
            problems.append(Problem(f"'{variable.name}': den gemte værdi '{value}' ville ikke "
                                    "længere være tilladt", file=file, field="værdier"))
    return problems


def case_ids(session: Session, project_id: int) -> dict[str, t.Case]:
    """The project's cases by external id."""
    return {c.external_id: c for c in session.scalars(
        select(t.Case).where(t.Case.project_id == project_id))}


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
    now = _now()
    new = ClassificationValue(project_id=project_id, case_id=case.id, variable_id=variable.id,
                              value=value, coder=coder, status=CONFIRMED, origin=origin,
                              explanation=explanation, created_by=actor, decided_by=coder,
                              decided_at=now)
    session.add(new)
    session.flush()
    pending = session.scalars(select(ClassificationValue).where(
        ClassificationValue.case_id == case.id, ClassificationValue.variable_id == variable.id,
        ClassificationValue.status == SUGGESTED, ClassificationValue.superseded_at.is_(None)))
    for row in [*pending, *([old] if old is not None else [])]:
        row.superseded_at, row.superseded_by_id = now, new.id
    return ValueChange(case.external_id, variable.name, old.value if old else None, value, True)


def validated_value(variable: CaseVariable, value: str) -> str:
    """The canonical spelling of ``value`` for ``variable`` (Danish error if not allowed)."""
    try:
        return to_variable(variable).validate(value)
    except ValueError as error:
        raise EffektsporError(f"Ugyldig værdi: {error}.") from None


def record_value(session: Session, *, project_id: int, case: t.Case, variable: CaseVariable,
                 value: str, coder: str, actor: str, reason: str | None = None) -> ValueChange:
    """Validate ``value`` and store it as the case's confirmed value, decided by ``coder``.

    Logs "klassifikation_sat" (with the reason, if one is given) when the value changed.
    Runs in the caller's transaction.
    """
    canonical = validated_value(variable, value)
    change = write_confirmed_value(session, project_id=project_id, case=case, variable=variable,
                                   value=canonical, coder=coder, actor=actor, origin="manuel",
                                   explanation=reason)
    if change.changed:
        details = {"variabel": variable.name, "før": change.old_value, "efter": canonical,
                   "koder": coder}
        if reason:
            details["begrundelse"] = reason
        log_event(session, actor=actor, action="klassifikation_sat", project_id=project_id,
                  object_type="sag", object_id=case.external_id, details=details)
    return change


def set_value(project: ProjectContext, *, case_external_id: str, variable: str, value: str,
              coder: str, actor: str) -> ValueChange:
    """Set one case's value of one variable as decided by ``coder`` (validated, logged)."""
    if not coder.strip():
        raise EffektsporError("Angiv hvem der har kodet værdien (--koder NAVN).")
    with project.transaction() as session:
        rows = ensure_variables(session, project.project_id, actor=actor)
        row = _variable_row(rows, variable)
        case = case_ids(session, project.project_id).get(case_external_id)
        if case is None:
            raise EffektsporError(f"Sagen '{case_external_id}' findes ikke i projektet.")
        return record_value(session, project_id=project.project_id, case=case, variable=row,
                            value=value, coder=coder.strip(), actor=actor)


def _variable_row(rows: dict[str, CaseVariable], name: str) -> CaseVariable:
    key = name.strip().casefold()
    for row in rows.values():
        if row.name.casefold() == key or row.label.casefold() == key:
            return row
    raise EffektsporError(f"Ukendt variabel '{name}'. Kendte variable: "
                          f"{', '.join(rows)}.")


def import_values(project: ProjectContext, path: Path, *, coder: str,
                  actor: str) -> ImportSummary:
    """Import many values from CSV/XLSX (long or wide layout) in one transaction.

    Every row is validated first (Danish errors with file, line and field); if any row
    is wrong, nothing is stored.
    """
    from effektspor.classification.sheets import read_value_table  # openpyxl: on use only

    path = Path(path)
    if not coder.strip():
        raise EffektsporError("Angiv hvem der har kodet værdierne (--koder NAVN).")
    with project.transaction() as session:
        rows = ensure_variables(session, project.project_id, actor=actor)
        cases = case_ids(session, project.project_id)
        values = read_value_table(path, [to_variable(r) for r in rows.values()],
                                  known_cases=cases)
        changes = [write_confirmed_value(session, project_id=project.project_id,
                                         case=cases[v.case_external_id],
                                         variable=rows[v.variable], value=v.value,
                                         coder=coder.strip(), actor=actor, origin="import")
                   for v in values]
        changed = [c for c in changes if c.changed]
        log_event(session, actor=actor, action="klassifikationer_importeret",
                  project_id=project.project_id, object_type="fil", object_id=path.name,
                  details={"koder": coder.strip(), "rækker": len(values),
                           "ændringer": [[c.case_external_id, c.variable, c.old_value,
                                          c.new_value] for c in changed]})
    return ImportSummary(path.name, len(values), len(changed), len(changes) - len(changed))


def value_history(project: ProjectContext, *, case_external_id: str,
                  variable: str) -> list[dict]:
    """Every value ever given to a case's variable, oldest first (status, coder, evidence)."""
    with project.transaction() as session:
        rows = ensure_variables(session, project.project_id, actor="system")
        row = _variable_row(rows, variable)
        case = case_ids(session, project.project_id).get(case_external_id)
        if case is None:
            raise EffektsporError(f"Sagen '{case_external_id}' findes ikke i projektet.")
        history = session.scalars(select(ClassificationValue).where(
            ClassificationValue.case_id == case.id, ClassificationValue.variable_id == row.id)
            .order_by(ClassificationValue.id))
        return [{"værdi": h.value, "status": h.status, "koder": h.coder, "oprindelse": h.origin,
                 "oprettet": h.created_at, "afgjort_af": h.decided_by,
                 "erstattet": h.superseded_at is not None, "citat": h.evidence_quote}
                for h in history]


def case_value_rows(session: Session, project_id: int, chosen: list[CaseVariable]
                    ) -> tuple[list[t.Case], list[dict]]:
    """The project's cases (by case number) and one row per case: ``sag``, ``team`` and the
    confirmed value (or None) of each variable in ``chosen``. Reads only; the caller's
    session (the web app's request) or ``case_table``'s own transaction."""
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


def case_table(project: ProjectContext, *, variables: list[str] | None = None,
               code_presence: dict[str, set[str]] | None = None,
               derived: list[DerivedVariable] | None = None,
               with_enrollment: bool = False) -> list[dict]:
    """One row per case: ``sag``, ``team`` and the confirmed value of each variable.

    Cases without a confirmed value get None. With ``code_presence`` (case id → code ids,
    from the coding services) and ``derived`` definitions, derived yes/no variables are
    added. ``with_enrollment`` adds ``indskrivningsdage`` (start to end, None if unknown).
    This is the table the analysis functions take.
    """
    with project.transaction() as session:
        rows = ensure_variables(session, project.project_id, actor="system")
        chosen = [_variable_row(rows, name) for name in variables] if variables else \
            sorted(rows.values(), key=lambda r: (r.position, r.id))
        cases, table = case_value_rows(session, project.project_id, chosen)
    if with_enrollment:
        for row, case in zip(table, cases, strict=True):
            row[ENROLLMENT_COLUMN] = ((case.end_date - case.start_date).days
                                      if case.start_date and case.end_date else None)
    if code_presence is not None and derived:
        extra = derive_values(code_presence, derived, case_ids=[r[CASE_COLUMN] for r in table])
        for row in table:
            row.update(extra[row[CASE_COLUMN]])
    return table


def evidence_by_case(project: ProjectContext, variable: str) -> dict[str, str]:
    """For each case with a confirmed value of ``variable``: where the value comes from.

    The evidence quote of a confirmed suggestion, otherwise who set the value and how (so
    every number of the report can be traced to a person or a passage of text).
    """
    with project.transaction() as session:
        rows = ensure_variables(session, project.project_id, actor="system")
        row = _variable_row(rows, variable)
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


def case_table_with_codings(project: ProjectContext, *, variables: list[str] | None = None,
                            with_enrollment: bool = False) -> list[dict]:
    """``case_table`` plus the standard derived yes/no variables from the project's codings."""
    with project.sessions() as session:
        presence = case_code_presence(session, project.project_id)
    return case_table(project, variables=variables, code_presence=presence,
                      derived=list(STANDARD_DERIVED), with_enrollment=with_enrollment)

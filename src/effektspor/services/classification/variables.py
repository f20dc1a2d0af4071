"""The project's variables: list them, and define the municipality's own from YAML.

The three standard variables (målopnåelse, problemstilling, problemgrad) are created on
first use and cannot be redefined.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import select

from effektspor.domain import events
from effektspor.domain.errors import EffektsporError, Problem, ValidationError
from effektspor.domain.variables import Variable, variables_from_mapping
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.classification.shared import (
    ensure_variables,
    ordered,
    row_from_variable,
    to_variable,
)
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.store.tables_analysis import CaseVariable, ClassificationValue


def list_variables(*, session: UnitOfWork, actor: Actor, project_id: int) -> list[Variable]:
    """The project's declared variables in order (the three standard ones first)."""
    require(actor, Action.VIEW_OVERVIEW)
    return [to_variable(r) for r in ordered(ensure_variables(session, project_id,
                                                             actor=actor.name))]


def define_variables(*, session: UnitOfWork, actor: Actor, project_id: int,
                     path: Path) -> list[Variable]:
    """Declare (or update) the municipality's own variables from a YAML file.

    Standard variables cannot be redefined; an update must keep every stored value valid.
    Everything is checked before anything is written.
    """
    require(actor, Action.CLASSIFY_CASES)
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise EffektsporError(f"{path.name}: kan ikke læses som YAML ({error}).") from None
    variables = variables_from_mapping(data, source=path.name)
    rows = ensure_variables(session, project_id, actor=actor.name)
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
            session.add(row_from_variable(project_id, variable, builtin=False,
                                          position=position))
            position += 1
        else:
            row.label, row.kind = variable.label, variable.kind.value
            row.allowed_values, row.criteria = list(variable.values), dict(variable.criteria)
            row.description = variable.description
    record_event(session, events.variables_defined(file_name=path.name,
                                                   names=[v.name for v in variables]),
                 actor=actor.name, project_id=project_id)
    session.flush()
    return variables


def _values_invalid_under(session: UnitOfWork, row: CaseVariable, variable: Variable,
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

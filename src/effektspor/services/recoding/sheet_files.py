"""A recoding round's blind sheet as a file (XLSX or CSV): written for the second coder
with case ids and criteria only, and read back when they have filled it in.

For the one who assigns rounds and for the round's own coder
(``permissions.sheet_round``). The web app's form of the same sheet is ``blind_sheet``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from effektspor.domain import events
from effektspor.domain.errors import Problem, ValidationError
from effektspor.services.authorization import Actor
from effektspor.services.classification import case_ids, ensure_variables, to_variable
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.services.recoding.permissions import sheet_round
from effektspor.services.recoding.state import own_first_codings
from effektspor.store.tables_analysis import RecodingValue


def export_blind_sheet(*, session: UnitOfWork, actor: Actor, project_id: int, round_id: int,
                       path: Path) -> Path:
    """Write the round's blind sheet to ``path`` (.xlsx or .csv): case ids, criteria and
    empty value columns, never the first coder's values."""
    from effektspor.classification.sheets import write_blind_sheet  # openpyxl: on use only

    row = sheet_round(session, actor, project_id, round_id)
    variables = ensure_variables(session, project_id, actor=actor.name)
    chosen = [to_variable(variables[name]) for name in row.variables]
    title = f"Rekodning, runde {row.id} – koder: {row.coder}"
    written = write_blind_sheet(Path(path), row.case_ids, chosen, title=title)
    record_event(session, events.recoding_exported(
        round_id=row.id, file_name=Path(path).name, cases=len(row.case_ids)),
        actor=actor.name, project_id=project_id)
    return written


def import_sheet(*, session: UnitOfWork, actor: Actor, project_id: int, round_id: int,
                 path: Path) -> int:
    """Read the second coder's filled-in sheet back; returns the number of values stored.

    Only cases of the round's sample and the round's variables are accepted. A value
    whose first coding was made by the round's own coder is refused (not a recoding).
    A sheet read again supersedes the round's earlier values. Nothing is stored on error
    (:class:`ValidationError` naming file, line and field).
    """
    from effektspor.classification.sheets import read_value_table  # openpyxl: on use only

    path = Path(path)
    row = sheet_round(session, actor, project_id, round_id)
    variables = ensure_variables(session, project_id, actor=actor.name)
    chosen = {name: variables[name] for name in row.variables}
    cases = case_ids(session, project_id)
    values = read_value_table(path, [to_variable(v) for v in chosen.values()],
                              known_cases=row.case_ids,
                              unknown_case_message="sagen er ikke med i stikprøven")
    own = own_first_codings(session, row, [
        (cases[v.case_external_id], chosen[v.variable]) for v in values])
    problems = [Problem(f"sag '{v.case_external_id}' er første gang kodet af {row.coder} "
                        "selv; en rekodning skal laves af en anden koder", file=v.file,
                        line=v.line, field=v.variable)
                for v in values if (v.case_external_id, v.variable) in own]
    if problems:
        raise ValidationError(problems)
    now = datetime.now(UTC)
    for old in session.scalars(select(RecodingValue).where(
            RecodingValue.round_id == row.id, RecodingValue.superseded_at.is_(None))):
        old.superseded_at = now
    for value in values:
        session.add(RecodingValue(round_id=row.id, case_id=cases[value.case_external_id].id,
                                  variable_id=chosen[value.variable].id, value=value.value,
                                  coder=row.coder, source_file=value.file,
                                  source_line=value.line))
    record_event(session, events.recoding_imported(
        round_id=row.id, file_name=path.name, values=len(values), coder=row.coder),
        actor=actor.name, project_id=project_id)
    session.flush()
    return len(values)

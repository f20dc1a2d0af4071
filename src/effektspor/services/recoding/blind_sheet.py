"""The blind sheet of a recoding round: what the round's coder sees and saves per case.

Only the round's assigned coder opens or saves its sheets (``permissions.assigned_round``),
and a sheet shows the case text and the criteria only: never the first coder's values,
the machine's suggestions or their evidence. The same sheet as a file (for the CLI, or a
coder without the web app) is in ``sheet_files``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from effektspor.domain import events
from effektspor.domain.errors import EffektsporError, Problem, ValidationError
from effektspor.domain.variables import Variable
from effektspor.services.authorization import Actor
from effektspor.services.cases.case_view import CaseNotFound, CaseView, TimelineEntry, view_case
from effektspor.services.classification import DISCHARGE_TYPES, ensure_variables, to_variable
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.services.recoding.permissions import assigned_round
from effektspor.services.recoding.rounds import WorkList, sample_items
from effektspor.services.recoding.state import (
    RecodingConflict,
    own_first_codings,
    progress_of_rounds,
)
from effektspor.store import tables as t
from effektspor.store.tables_analysis import RecodingResolution, RecodingRound, RecodingValue


@dataclass
class BlindSheet:
    """What the second coder sees: case text and criteria, and only their own values."""

    work: WorkList
    case: CaseView
    discharge_reports: list[TimelineEntry]
    variables: list[Variable]
    values: dict[str, str]
    locked: bool

    @property
    def position(self) -> int:
        """The case's number in the sample (1-based)."""
        return next(n for n, i in enumerate(self.work.items, 1) if i.case_id == self.case.id)

    @property
    def next_case_id(self) -> int | None:
        """The next case not done after this one (wrapping round), None if none is left."""
        items = self.work.items
        start = self.position % len(items)
        for item in items[start:] + items[:start]:
            if not item.done and item.case_id != self.case.id:
                return item.case_id
        return None


def _sample_case(session: UnitOfWork, project_id: int, row: RecodingRound, case_id: int) -> t.Case:
    case = session.get(t.Case, case_id)
    if case is None or case.project_id != project_id or case.external_id not in row.case_ids:
        raise CaseNotFound(f"Sagen med id {case_id} er ikke med i rekodningsrunde {row.id}.")
    return case


def _own_values(session: UnitOfWork, row: RecodingRound, case_id: int) -> dict[int, RecodingValue]:
    return {v.variable_id: v for v in session.scalars(select(RecodingValue).where(
        RecodingValue.round_id == row.id, RecodingValue.case_id == case_id,
        RecodingValue.superseded_at.is_(None)))}


def _settled(session: UnitOfWork, row: RecodingRound, case_id: int) -> bool:
    return session.scalar(select(func.count(RecodingResolution.id)).where(
        RecodingResolution.round_id == row.id, RecodingResolution.case_id == case_id)) > 0


def _discharge_reports(session: UnitOfWork, project_id: int, case_id: int) -> list[TimelineEntry]:
    labels = dict(session.execute(select(t.DocumentType.code, t.DocumentType.label)
                                  .where(t.DocumentType.project_id == project_id)).all())
    documents = session.scalars(select(t.Document).where(
        t.Document.case_id == case_id, t.Document.doc_type.in_(DISCHARGE_TYPES)))
    return [TimelineEntry("dokument", d.id, d.doc_date, d.title or labels.get(d.doc_type,
                                                                              d.doc_type),
                          None, None, d.text, d.pseudonymised)
            for d in sorted(documents, key=lambda d: (d.doc_date or date.min, d.id),
                            reverse=True)]


def blind_sheet(*, session: UnitOfWork, actor: Actor, project_id: int, round_id: int,
                case_id: int, page: int = 1) -> BlindSheet:
    """The blind sheet of one sample case for the round's coder; the view is logged.

    The discharge report(s) come first, then the case's timeline (one page); per
    variable the allowed values with their criteria, and the coder's own saved values.
    """
    row = assigned_round(session, actor, project_id, round_id)
    case = _sample_case(session, project_id, row, case_id)
    view = view_case(session=session, actor=actor, project_id=project_id, case_id=case.id, page=page)
    rows = ensure_variables(session, project_id, actor=actor.name)
    names = {r.id: name for name, r in rows.items()}
    (progress,) = progress_of_rounds(session, [row])
    return BlindSheet(
        work=WorkList(progress, sample_items(session, project_id, row), True), case=view,
        discharge_reports=_discharge_reports(session, project_id, case.id),
        variables=[to_variable(rows[name]) for name in row.variables],
        values={names[i]: v.value for i, v in _own_values(session, row, case.id).items()},
        locked=_settled(session, row, case.id))


@dataclass(frozen=True)
class SavedSheet:
    """The result of saving a blind sheet: how many values changed, and the next case."""

    changed: int
    next_case_id: int | None


def save_blind_values(*, session: UnitOfWork, actor: Actor, project_id: int, round_id: int,
                      case_id: int, values: dict[str, str],
                      seen: dict[str, str]) -> SavedSheet:
    """Save the coder's values for one case; a changed value supersedes the earlier one.

    ``values`` maps variable names to the chosen value ("" = not decided); ``seen`` to the
    value the form showed. If the stored values differ from ``seen`` (saved in another tab
    meanwhile) nothing is saved: :class:`RecodingConflict`. Invalid values, and values of
    a case the coder classified first themselves, give a ValidationError (nothing saved).
    Once a disagreement of the case is settled, its values can no longer change.
    """
    row = assigned_round(session, actor, project_id, round_id, for_update=True)
    case = _sample_case(session, project_id, row, case_id)
    if _settled(session, row, case.id):
        raise EffektsporError(f"Uenighederne i sag {case.external_id} er afgjort, så "
                              "rekodningen af sagen kan ikke ændres længere.")
    rows = ensure_variables(session, project_id, actor=actor.name)
    current = _own_values(session, row, case.id)
    changed_meanwhile = [rows[n].label for n in row.variables
                         if (current[rows[n].id].value if rows[n].id in current else "")
                         != seen.get(n, "").strip()]
    if changed_meanwhile:
        raise RecodingConflict(
            f"Sag {case.external_id} er gemt et andet sted (fx i en anden fane), efter du "
            f"åbnede skemaet ({', '.join(changed_meanwhile)}). Dine valg er ikke gemt; "
            "skemaet viser nu de gemte værdier. Vælg igen, og gem.")
    problems, chosen = [], {}
    for name in row.variables:
        raw = values.get(name, "").strip()
        if raw:
            try:
                chosen[name] = to_variable(rows[name]).validate(raw)
            except ValueError as error:
                problems.append(Problem(str(error), field=rows[name].label))
    for _, name in sorted(own_first_codings(session, row, [(case, rows[n]) for n in chosen])):
        problems.append(Problem("du har selv givet sagen dens første værdi; en rekodning "
                                "skal laves af en anden koder", field=rows[name].label))
    if problems:
        raise ValidationError(problems, "Intet er gemt.")
    now, changes = datetime.now(UTC), {}
    for name in row.variables:
        old, new = current.get(rows[name].id), chosen.get(name)
        if (old.value if old else None) == new:
            continue
        if old is not None:
            old.superseded_at = now
        if new is not None:
            session.add(RecodingValue(round_id=row.id, case_id=case.id,
                                      variable_id=rows[name].id, value=new, coder=row.coder))
        changes[name] = {"før": old.value if old else None, "efter": new}
    session.flush()
    if changes:
        record_event(session, events.recoding_saved(
            round_id=row.id, case_external_id=case.external_id, changes=changes),
            actor=actor.name, project_id=project_id)
    items = sample_items(session, project_id, row)
    position = next(n for n, i in enumerate(items) if i.case_id == case.id)
    following = items[position + 1:] + items[:position]
    return SavedSheet(len(changes), next((i.case_id for i in following if not i.done), None))

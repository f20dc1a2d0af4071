"""A case's measures (indsatser): register one, list them.

A measure belongs to a case of the project by its case number; a case the journal
import has not brought yet is added as an open case. The measure's id in the
municipality's system (``measure``) is unique within the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from effektspor.domain import events
from effektspor.domain.errors import Problem, ValidationError
from effektspor.domain.followup import RISK_LEVELS
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.services.followup.shared import case_by_number, measure_kinds
from effektspor.services.followup.validation import Checker
from effektspor.store import tables as t
from effektspor.store.tables_followup import Measure


@dataclass(frozen=True, slots=True)
class MeasureView:
    """A measure as the front ends show it."""

    id: int
    case: str
    measure: str
    kind: str
    legal_paragraph: str
    provider: str | None
    start: date
    planned_end: date | None
    actual_end: date | None
    investigation_end: date | None
    caseworker: str | None
    team: str | None
    risk_level: str | None

    def open_on(self, day: date) -> bool:
        """True when the measure has started and not ended on ``day``."""
        return self.start <= day and (self.actual_end is None or self.actual_end > day)


def _view(measure: Measure, case_number: str) -> MeasureView:
    """The plain view of a stored measure."""
    return MeasureView(measure.id, case_number, measure.external_id, measure.kind,
                       measure.legal_paragraph, measure.provider, measure.start_date,
                       measure.planned_end, measure.actual_end, measure.investigation_end,
                       measure.caseworker, measure.team, measure.risk_level)


def create_measure(*, session: UnitOfWork, actor: Actor, project_id: int, case: str,
                   measure: str, kind: str, start: date | str,
                   legal_paragraph: str | None = None, provider: str | None = None,
                   planned_end: date | str | None = None,
                   actual_end: date | str | None = None,
                   investigation_end: date | str | None = None,
                   caseworker: str | None = None, team: str | None = None,
                   risk_level: str | None = None) -> MeasureView:
    """Register a measure on case ``case`` (added as an open case if the project has no
    case by that number). Every problem is listed and nothing is written
    (:class:`ValidationError`) when the input is wrong."""
    require(actor, Action.RECORD_FOLLOW_UP)
    kinds = measure_kinds(session, project_id)
    check = Checker()
    case_number = check.text(case, "sag", limit=100)
    measure_id = check.text(measure, "indsats", limit=100)
    kind_key = check.choice(kind, kinds, "type")
    start_day = check.day(start, "start")
    planned = check.day(planned_end, "planlagt_slut", required=False)
    actual = check.day(actual_end, "slut", required=False)
    investigation = check.day(investigation_end, "undersøgelse_slut", required=False)
    for day, field in ((planned, "planlagt_slut"), (actual, "slut"),
                       (investigation, "undersøgelse_slut")):
        check.not_before(day, start_day, field, "indsatsens start")
    risk = check.choice(risk_level, RISK_LEVELS, "risiko", required=False)
    paragraph = check.text(legal_paragraph, "paragraf", required=False, limit=120)
    provider_text = check.text(provider, "leverandør", required=False, limit=200)
    worker = check.text(caseworker, "rådgiver", required=False, limit=120)
    team_name = check.text(team, "team", required=False, limit=120)
    check.done()
    row_case = case_by_number(session, project_id, case_number, team=team_name, create=True)
    exists = session.scalar(select(Measure.id).where(Measure.case_id == row_case.id,
                                                     Measure.external_id == measure_id))
    if exists is not None:
        raise ValidationError([Problem(f"sag {case_number} har allerede indsatsen "
                                       f"'{measure_id}'", field="indsats")])
    row = Measure(project_id=project_id, case_id=row_case.id, external_id=measure_id,
                  kind=kind_key, legal_paragraph=paragraph or kinds[kind_key],
                  provider=provider_text, start_date=start_day, planned_end=planned,
                  actual_end=actual, investigation_end=investigation, caseworker=worker,
                  team=team_name, risk_level=risk, created_by=actor.name)
    session.add(row)
    session.flush()
    record_event(session, events.measure_created(
        measure_id=row.id, case=case_number, measure=measure_id, kind=kind_key,
        start=start_day.isoformat()), actor=actor.name, project_id=project_id)
    return _view(row, case_number)


def list_measures(*, session: UnitOfWork, actor: Actor, project_id: int,
                  case: str | None = None, caseworker: str | None = None,
                  team: str | None = None, open_on: date | None = None) -> list[MeasureView]:
    """The project's measures (optionally of one case, caseworker or team, or open on a
    day), by case number and start."""
    require(actor, Action.VIEW_FOLLOW_UP)
    return _measures(session, project_id, case=case, caseworker=caseworker, team=team,
                     open_on=open_on)


def _measures(session: UnitOfWork, project_id: int, *, case: str | None = None,
              caseworker: str | None = None, team: str | None = None,
              open_on: date | None = None) -> list[MeasureView]:
    query = (select(Measure, t.Case.external_id).join(t.Case, t.Case.id == Measure.case_id)
             .where(Measure.project_id == project_id))
    if case is not None:
        query = query.where(t.Case.external_id == case)
    if caseworker is not None:
        query = query.where(Measure.caseworker == caseworker)
    if team is not None:
        query = query.where(Measure.team == team)
    if open_on is not None:
        query = query.where(Measure.start_date <= open_on,
                            (Measure.actual_end.is_(None)) | (Measure.actual_end > open_on))
    query = query.order_by(t.Case.external_id, Measure.start_date, Measure.id)
    return [_view(row, number) for row, number in session.execute(query)]

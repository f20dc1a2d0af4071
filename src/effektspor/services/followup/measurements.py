"""Measurements (målinger) of a case over time: record one, list a case's series.

A measurement is a score on an instrument's scale by an informant on a date, optionally
with the level expected at the next follow-up (seed 004: expectation against the actual
measurement) and the goal it documents. The built-in instruments are a 0–10 scaling
question and a 1–5 well-being scale (``domain.followup.BUILTIN_INSTRUMENTS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from effektspor.domain import events
from effektspor.domain.followup import BUILTIN_INSTRUMENTS, Instrument
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.services.followup.shared import case_by_number
from effektspor.services.followup.validation import Checker
from effektspor.store.tables_followup import Goal, Measurement

TOTAL = "total"


@dataclass(frozen=True, slots=True)
class MeasurementView:
    """One measurement as the lists and charts use it."""

    id: int
    case: str
    instrument: str
    instrument_version: str
    day: date
    informant: str
    scores: dict
    total: float | None
    expected_next: float | None
    goal_id: int | None


def _score(check: Checker, value: object, instrument: Instrument, field: str) -> float | None:
    try:
        number = float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        check.problem(f"'{value}' er ikke et tal", field)
        return None
    if not instrument.minimum <= number <= instrument.maximum:
        check.problem(f"{str(value)} ligger uden for skalaen "
                      f"{instrument.minimum:g}–{instrument.maximum:g}", field)
        return None
    return number


def record_measurement(*, session: UnitOfWork, actor: Actor, project_id: int, case: str,
                       instrument: str, day: date | str, informant: str, score: object,
                       expected_next: object = None, goal_id: int | None = None
                       ) -> MeasurementView:
    """Record ``score`` on ``instrument`` for case ``case`` by ``informant`` on ``day``.
    Nothing is written when the input is wrong (every problem listed)."""
    require(actor, Action.RECORD_FOLLOW_UP)
    check = Checker()
    key = check.choice(instrument, BUILTIN_INSTRUMENTS, "instrument")
    when = check.day(day, "dato")
    row_case = case_by_number(session, project_id, str(case).strip())
    if row_case is None:
        check.problem(f"sagen '{case}' findes ikke i projektet", "sag")
    value = expected = None
    if key is not None:
        definition = BUILTIN_INSTRUMENTS[key]
        check.choice(informant, definition.informants, "informant")
        value = _score(check, score, definition, "score")
        if expected_next not in (None, ""):
            expected = _score(check, expected_next, definition, "forventet")
    if goal_id is not None and row_case is not None:
        goal_case = session.scalar(select(Goal.case_id).where(Goal.id == goal_id))
        if goal_case != row_case.id:
            check.problem(f"mål {goal_id} hører ikke til sagen", "mål")
    if when is not None and when > date.today():
        check.problem("en måling kan ikke ligge i fremtiden", "dato")
    check.done()
    definition = BUILTIN_INSTRUMENTS[key]
    row = Measurement(project_id=project_id, case_id=row_case.id, goal_id=goal_id,
                      instrument=key, instrument_version=definition.version,
                      measured_on=when, informant=informant.strip(), scores={TOTAL: value},
                      total=value, expected_next=expected, created_by=actor.name)
    session.add(row)
    session.flush()
    record_event(session, events.measurement_recorded(
        measurement_id=row.id, case=row_case.external_id, instrument=key,
        day=when.isoformat(), informant=row.informant), actor=actor.name,
        project_id=project_id)
    return _view(row, row_case.external_id)


def list_measurements(*, session: UnitOfWork, actor: Actor, project_id: int, case: str,
                      instrument: str | None = None) -> list[MeasurementView]:
    """A case's measurements in date order (optionally with one instrument)."""
    require(actor, Action.VIEW_FOLLOW_UP)
    row_case = case_by_number(session, project_id, case)
    if row_case is None:
        return []
    query = select(Measurement).where(Measurement.case_id == row_case.id)
    if instrument is not None:
        query = query.where(Measurement.instrument == instrument)
    rows = session.scalars(query.order_by(Measurement.measured_on, Measurement.id))
    return [_view(row, case) for row in rows]


def _view(row: Measurement, case_number: str) -> MeasurementView:
    return MeasurementView(row.id, case_number, row.instrument, row.instrument_version,
                           row.measured_on, row.informant, dict(row.scores or {}), row.total,
                           row.expected_next, row.goal_id)

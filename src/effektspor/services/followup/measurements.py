"""Measurements (målinger) of a case over time: record one, list a case's series.

A measurement is a score on an instrument's scale by an informant on a date, optionally
with the level expected at the next follow-up (seed 004: expectation against the actual
measurement) and the goal it documents. The built-in instruments are a 0–10 scaling
question and a 1–5 well-being scale; a project adds its own definitions (YAML, validated
like the codebook) with :func:`add_instrument` — a licensed instrument as scores only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from effektspor.domain import events
from effektspor.domain.errors import EffektsporError
from effektspor.domain.followup import Instrument
from effektspor.followup.instruments import BUILTIN, read_instrument
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.services.followup.shared import (
    INSTRUMENTS_SETTING,
    case_by_number,
    project_instruments,
)
from effektspor.services.followup.validation import Checker
from effektspor.store import tables as t
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


def _score(check: Checker, value: object, low: float, high: float,
           field: str) -> float | None:
    try:
        number = float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        check.problem(f"'{value}' er ikke et tal", field)
        return None
    if not low <= number <= high:
        check.problem(f"{value} ligger uden for skalaen {low:g}–{high:g}", field)
        return None
    return number


def _scores(check: Checker, definition: Instrument, score: object,
            scores: dict[str, object] | None) -> dict[str, float] | None:
    """The scores per subscale (``{"total": x}`` for an instrument without subscales)."""
    if not definition.subscales:
        if score in (None, ""):
            check.problem("skal udfyldes", "score")
            return None
        value = _score(check, score, definition.minimum, definition.maximum, "score")
        return None if value is None else {TOTAL: value}
    given = dict(scores or {})
    out = {}
    for sub in definition.subscales:
        if given.get(sub.key) in (None, ""):
            check.problem(f"delskalaen '{sub.key}' mangler", "score")
            continue
        value = _score(check, given.pop(sub.key), sub.minimum, sub.maximum,
                       f"score.{sub.key}")
        if value is not None:
            out[sub.key] = value
    for key in given:
        check.problem(f"instrumentet har ingen delskala '{key}'", "score")
    return out if len(out) == len(definition.subscales) else None


def record_measurement(*, session: UnitOfWork, actor: Actor, project_id: int, case: str,
                       instrument: str, day: date | str, informant: str,
                       score: object = None, scores: dict[str, object] | None = None,
                       expected_next: object = None, goal_id: int | None = None
                       ) -> MeasurementView:
    """Record a measurement on ``instrument`` for case ``case`` by ``informant`` on
    ``day``: ``score`` on a one-scale instrument, ``scores`` per subscale otherwise (the
    total is formed as the definition says). Nothing is written when the input is wrong
    (every problem listed)."""
    require(actor, Action.RECORD_FOLLOW_UP)
    instruments = project_instruments(session, project_id)
    check = Checker()
    key = check.choice(instrument, instruments, "instrument")
    when = check.day(day, "dato")
    row_case = case_by_number(session, project_id, str(case).strip())
    if row_case is None:
        check.problem(f"sagen '{case}' findes ikke i projektet", "sag")
    values = expected = None
    if key is not None:
        definition = instruments[key]
        check.choice(informant, definition.informants, "informant")
        values = _scores(check, definition, score, scores)
        if expected_next not in (None, ""):
            expected = _score(check, expected_next, definition.minimum, definition.maximum,
                              "forventet")
    if goal_id is not None and row_case is not None:
        goal_case = session.scalar(select(Goal.case_id).where(Goal.id == goal_id))
        if goal_case != row_case.id:
            check.problem(f"mål {goal_id} hører ikke til sagen", "mål")
    if when is not None and when > date.today():
        check.problem("en måling kan ikke ligge i fremtiden", "dato")
    check.done()
    definition = instruments[key]
    row = Measurement(project_id=project_id, case_id=row_case.id, goal_id=goal_id,
                      instrument=key, instrument_version=definition.version,
                      measured_on=when, informant=informant.strip(), scores=values,
                      total=definition.total(values), expected_next=expected,
                      created_by=actor.name)
    session.add(row)
    session.flush()
    record_event(session, events.measurement_recorded(
        measurement_id=row.id, case=row_case.external_id, instrument=key,
        day=when.isoformat(), informant=row.informant), actor=actor.name,
        project_id=project_id)
    return _view(row, row_case.external_id)


def add_instrument(*, session: UnitOfWork, actor: Actor, project_id: int, text: str,
                   source: str = "instrument.yaml") -> Instrument:
    """Add (or replace, with a new version) the project's own instrument defined by the
    YAML ``text``; :class:`ValidationError` with file, line and field when it is wrong.
    A built-in instrument cannot be replaced."""
    require(actor, Action.IMPORT_DATA)
    definition = read_instrument(text, source=source)
    if definition.key in BUILTIN:
        raise EffektsporError(f"'{definition.key}' er et indbygget instrument; giv din "
                              "definition et andet id.")
    project = session.get(t.Project, project_id)
    settings = dict(project.settings or {})
    own = dict(settings.get(INSTRUMENTS_SETTING) or {})
    own[definition.key] = text
    settings[INSTRUMENTS_SETTING] = own
    project.settings = settings
    session.flush()
    record_event(session, events.instrument_added(key=definition.key, name=definition.name,
                                                  version=definition.version),
                 actor=actor.name, project_id=project_id)
    return definition


def list_instruments(*, session: UnitOfWork, actor: Actor,
                     project_id: int) -> list[Instrument]:
    """The project's instruments (built-in first, then its own, by id)."""
    require(actor, Action.VIEW_FOLLOW_UP)
    instruments = project_instruments(session, project_id)
    return [instruments[key] for key in BUILTIN] + [
        instruments[key] for key in sorted(instruments) if key not in BUILTIN]


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

"""The child's page as data: a case's measures with their calendars, goals with their
latest assessment, the held follow-ups, and the measurement series per instrument and
informant with the expected levels (what the web page and "Vis for familien" draw).

What leaves the machine (a printed or exported page: ``for_export``) never shows free
text that has not been through the project's pseudonymisation run: it is withheld with a
Danish note (``WITHHELD_TEXT``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from effektspor.domain import events
from effektspor.domain.errors import EffektsporError
from effektspor.domain.followup import WITHHELD_TEXT
from effektspor.followup.dates import add_months
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.services.followup import due, follow_ups, goals, measurements, measures
from effektspor.services.followup.follow_ups import Assessment, FollowUpView
from effektspor.services.followup.goals import GoalVersion, GoalView
from effektspor.services.followup.measurements import MeasurementView
from effektspor.services.followup.measures import MeasureView
from effektspor.services.followup.shared import case_by_number, project_instruments


@dataclass(frozen=True, slots=True)
class Series:
    """One instrument's measurements by one informant, in date order, with the scale."""

    instrument: str
    instrument_name: str
    informant: str
    minimum: float
    maximum: float
    higher_is_better: bool
    points: tuple[MeasurementView, ...]

    @property
    def change(self) -> float | None:
        """Latest minus first total (None with fewer than two points)."""
        totals = [p.total for p in self.points if p.total is not None]
        return totals[-1] - totals[0] if len(totals) >= 2 else None


@dataclass(frozen=True, slots=True)
class GoalStatus:
    """A goal with its latest assessment at a held follow-up (None if never assessed)."""

    goal: GoalView
    latest: Assessment | None
    assessed_on: date | None


@dataclass(frozen=True, slots=True)
class CaseOverview:
    """Everything the child's page shows."""

    case: str
    measures: tuple[MeasureView, ...]
    goals: tuple[GoalStatus, ...]
    follow_ups: tuple[FollowUpView, ...]
    series: tuple[Series, ...]
    calendar: due.CaseCalendar


def case_overview(*, session: UnitOfWork, actor: Actor, project_id: int, case: str,
                  day: date, rule_set: str | Path | None = None,
                  for_export: bool = False) -> CaseOverview:
    """The child's page of case ``case`` on ``day`` (calendar a year ahead). The view is
    logged once (as the case's follow-up page). ``for_export`` (a page printed or sent
    off the machine, e.g. "Vis for familien"): free text not yet through the project's
    pseudonymisation run is withheld."""
    require(actor, Action.VIEW_FOLLOW_UP)
    if case_by_number(session, project_id, case) is None:
        raise EffektsporError(f"Sagen '{case}' findes ikke i projektet.")
    base = {"session": session, "actor": actor, "project_id": project_id, "case": case}
    held = tuple(follow_ups.list_follow_ups(**base))
    if for_export:
        held = tuple(_withheld_follow_up(row) for row in held)
    latest: dict[int, tuple[Assessment, date]] = {}
    for row in sorted(held, key=lambda item: (item.held, item.number)):
        for assessment in row.assessments:
            latest[assessment.goal_id] = (assessment, row.held)
    listed = goals.list_goals(**base)
    if for_export:
        listed = [_withheld_goal(goal) for goal in listed]
    goal_rows = tuple(GoalStatus(goal, *latest.get(goal.id, (None, None))) for goal in listed)
    instruments = project_instruments(session, project_id)
    grouped: dict[tuple[str, str], list[MeasurementView]] = {}
    for point in measurements.list_measurements(**base):
        grouped.setdefault((point.instrument, point.informant), []).append(point)
    series = []
    for (key, informant), points in sorted(grouped.items()):
        definition = instruments.get(key)
        series.append(Series(key, definition.name if definition else key, informant,
                             definition.minimum if definition else 0.0,
                             definition.maximum if definition else 0.0,
                             definition.higher_is_better if definition else True,
                             tuple(points)))
    calendar = due.case_calendar(**base, until=add_months(day, 12), rule_set=rule_set,
                                 log_view=False, for_export=for_export)
    record_event(session, events.follow_up_case_viewed(case=case), actor=actor.name,
                 project_id=project_id)
    return CaseOverview(case, tuple(measures.list_measures(session=session, actor=actor,
                                                           project_id=project_id, case=case)),
                        goal_rows, held, tuple(series), calendar)


def _withheld(text: str | None) -> str | None:
    return WITHHELD_TEXT if text else text


def _withheld_version(version: GoalVersion) -> GoalVersion:
    return replace(version, text=WITHHELD_TEXT, evidence=_withheld(version.evidence),
                   reason=_withheld(version.reason))


def _withheld_goal(goal: GoalView) -> GoalView:
    """``goal`` with its free text withheld while any of it is pending."""
    if not goal.pending:
        return goal
    return replace(goal, current=_withheld_version(goal.current),
                   history=tuple(_withheld_version(v) for v in goal.history))


def _withheld_follow_up(row: FollowUpView) -> FollowUpView:
    """``row`` with its free text withheld while any of it is pending."""
    if not row.pending:
        return row
    return replace(row, participants=(WITHHELD_TEXT,) if row.participants else (),
                   justification=_withheld(row.justification),
                   schedule_justification=_withheld(row.schedule_justification),
                   assessments=tuple(replace(a, sentence=_withheld(a.sentence))
                                     for a in row.assessments))

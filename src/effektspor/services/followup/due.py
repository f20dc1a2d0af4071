"""The due list ("Mine frister"): for each open measure its next follow-up not yet held,
overdue (red), due within 14 days, or next; and the measures waiting for a decided
schedule (§95, stk. 3). Mine (a caseworker's), a team's, or all. Each date carries the
rule behind it and its Danish justification.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select

from effektspor.domain import events
from effektspor.followup.calendar import DueFollowUp, SideDeadline, side_deadlines
from effektspor.followup.dates import add_months
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.services.followup.files import due_json
from effektspor.services.followup.shared import (
    measure_facts,
    project_rule_set,
    stored_calendar,
)
from effektspor.store import tables as t
from effektspor.store.tables_followup import Measure

#: "Due soon": within this many days from today.
SOON_DAYS = 14
OVERDUE, SOON, NEXT = "overskredet", "inden for 14 dage", "senere"


@dataclass(frozen=True, slots=True)
class DueItem:
    """A measure's next follow-up not yet held, with its status on the day."""

    follow_up: DueFollowUp
    status: str  # OVERDUE, SOON or NEXT
    days: int    # days until the due date (negative: days overdue)
    caseworker: str | None
    team: str | None
    kind: str


@dataclass(frozen=True, slots=True)
class WaitingDecision:
    """A measure whose next follow-up is a decision the caseworker must record."""

    case: str
    measure: str
    caseworker: str | None
    team: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class DueList:
    """The due list on ``day`` for a scope, overdue first, then by date."""

    day: date
    scope: str
    rule_set: str
    items: tuple[DueItem, ...]
    waiting: tuple[WaitingDecision, ...] = field(default_factory=tuple)

    def with_status(self, status: str) -> tuple[DueItem, ...]:
        """The items with ``status``."""
        return tuple(item for item in self.items if item.status == status)


def _scope(caseworker: str | None, team: str | None) -> str:
    if caseworker:
        return f"rådgiver {caseworker}"
    if team:
        return f"team {team}"
    return "alle"


def due_list(*, session: UnitOfWork, actor: Actor, project_id: int, day: date,
             caseworker: str | None = None, team: str | None = None,
             rule_set: str | Path | None = None) -> DueList:
    """The due list on ``day`` of the open measures of ``caseworker`` (mine), ``team``,
    or all, by the project's rule set (or ``rule_set``). The view is logged."""
    require(actor, Action.VIEW_FOLLOW_UP)
    rules = project_rule_set(session, project_id, rule_set)
    query = (select(Measure, t.Case.external_id).join(t.Case, t.Case.id == Measure.case_id)
             .where(Measure.project_id == project_id, Measure.start_date <= day,
                    Measure.actual_end.is_(None) | (Measure.actual_end > day)))
    if caseworker:
        query = query.where(Measure.caseworker == caseworker)
    if team:
        query = query.where(Measure.team == team)
    items: list[DueItem] = []
    waiting: list[WaitingDecision] = []
    for measure, case_number in session.execute(query.order_by(t.Case.external_id,
                                                               Measure.external_id)):
        calendar = stored_calendar(session, measure, case_number, rules,
                                   until=max(day, add_months(day, 12)))
        pending = calendar.not_held
        if pending:
            first = pending[0]
            days = (first.due - day).days
            status = OVERDUE if days < 0 else SOON if days <= SOON_DAYS else NEXT
            items.append(DueItem(first, status, days, measure.caseworker, measure.team,
                                 measure.kind))
        elif calendar.open_decision:
            waiting.append(WaitingDecision(case_number, measure.external_id,
                                           measure.caseworker, measure.team,
                                           calendar.open_decision))
    order = {OVERDUE: 0, SOON: 1, NEXT: 2}
    items.sort(key=lambda item: (order[item.status], item.follow_up.due,
                                 item.follow_up.case, item.follow_up.measure))
    scope = _scope(caseworker, team)
    record_event(session, events.due_list_viewed(scope=scope, count=len(items)),
                 actor=actor.name, project_id=project_id)
    return DueList(day, scope, rules.name, tuple(items), tuple(waiting))


@dataclass(frozen=True, slots=True)
class CaseCalendar:
    """A case's measures with their follow-up calendars and the side deadlines."""

    case: str
    follow_ups: tuple[DueFollowUp, ...]
    side_deadlines: tuple[SideDeadline, ...]
    open_decisions: tuple[tuple[str, str], ...]  # (measure, reason)


def case_calendar(*, session: UnitOfWork, actor: Actor, project_id: int, case: str,
                  until: date, rule_set: str | Path | None = None,
                  log_view: bool = True, for_export: bool = False) -> CaseCalendar:
    """Every follow-up of a case's measures up to ``until`` (held and due), the law's
    side deadlines (barnets plan, supervision), and the schedules still to decide. The
    view is logged (``log_view`` False: the caller logs the page it is part of).
    ``for_export``: free text not yet pseudonymised by the run is withheld."""
    require(actor, Action.VIEW_FOLLOW_UP)
    rules = project_rule_set(session, project_id, rule_set)
    rows = session.scalars(select(Measure).join(t.Case, t.Case.id == Measure.case_id).where(
        Measure.project_id == project_id, t.Case.external_id == case)
        .order_by(Measure.start_date, Measure.id))
    follow_ups, sides, decisions = [], [], []
    for measure in rows:
        calendar = stored_calendar(session, measure, case, rules, until=until,
                                   withhold_pending=for_export)
        follow_ups.extend(calendar.follow_ups)
        sides.extend(side_deadlines(measure_facts(measure, case)))
        if calendar.open_decision:
            decisions.append((measure.external_id, calendar.open_decision))
    if log_view:
        record_event(session, events.follow_up_case_viewed(case=case), actor=actor.name,
                     project_id=project_id)
    return CaseCalendar(case, tuple(follow_ups), tuple(sides), tuple(decisions))


def project_due_dates(*, session: UnitOfWork, actor: Actor, project_id: int,
                      until: date | None = None, rule_set: str | Path | None = None) -> dict:
    """The ``frister`` contract on a project: for each measure the due dates not yet
    held, up to ``until`` (default: one year after the latest start), with held
    follow-ups and decided schedules from the project. It is printed as JSON and may
    leave the machine, so a decided schedule's justification not yet through the
    project's pseudonymisation run is withheld (a Danish note in its place)."""
    require(actor, Action.VIEW_FOLLOW_UP)
    rules = project_rule_set(session, project_id, rule_set)
    rows = list(session.execute(
        select(Measure, t.Case.external_id).join(t.Case, t.Case.id == Measure.case_id)
        .where(Measure.project_id == project_id)
        .order_by(t.Case.external_id, Measure.external_id)))
    if until is None:
        latest = max((measure.start_date for measure, _ in rows), default=None)
        until = add_months(latest, 12) if latest else date.today()
    out = []
    for measure, case_number in rows:
        calendar = stored_calendar(session, measure, case_number, rules, until=until,
                                   withhold_pending=True)
        out += [due_json(item) for item in calendar.not_held if item.due <= until]
    record_event(session, events.due_list_viewed(scope="alle", count=len(out)),
                 actor=actor.name, project_id=project_id)
    return {"frister": out}

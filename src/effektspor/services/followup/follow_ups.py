"""Recording a held follow-up (opfølgning) of a measure.

The follow-up gets the next number of its measure, and the due date, rule, statutory
deadline and justification the calendar gave that number, so the record says why it was
due when it was. It holds the participants, an assessment per goal (nået, fremgang,
uændret, tilbagegang + a sentence), KL's decision, a note, and the schedule decided
from here on with its justification and the date it was told to the child and the
parents (Barnets Lov §95, stk. 3). A decided schedule replaces the rule set's cadence
for the following due dates. The free text (participants, note, the schedule's
justification, the assessment sentences) passes through the pseudonymiser when saved
(``free_text.SaveCheck``; the result's ``replacements`` say what was replaced).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from effektspor.domain import events
from effektspor.domain.errors import EffektsporError
from effektspor.domain.followup import FOLLOW_UP_DECISIONS, GOAL_ASSESSMENTS, Replacement
from effektspor.followup.dates import parse_interval
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.services.followup.free_text import SaveCheck
from effektspor.services.followup.shared import (
    case_by_number,
    held_follow_ups,
    project_rule_set,
    stored_calendar,
)
from effektspor.services.followup.validation import Checker
from effektspor.store.tables_followup import FollowUp, Goal, GoalAssessment, Measure


@dataclass(frozen=True, slots=True)
class Assessment:
    """The assessment of one goal at a follow-up."""

    goal_id: int
    assessment: str
    sentence: str | None = None


@dataclass(frozen=True, slots=True)
class FollowUpView:
    """A held follow-up as the lists show it."""

    id: int
    case: str
    measure: str
    number: int
    due: date | None
    rule: str | None
    statutory_deadline: date | None
    justification: str | None
    held: date
    #: Held by its due date (None when it had none: a schedule still to be decided).
    on_time: bool | None
    #: Held within the statutory deadline (None when it had none: all but the first).
    within_deadline: bool | None
    participants: tuple[str, ...]
    decision: str | None
    schedule_interval: str | None
    schedule_justification: str | None
    schedule_told_family_on: date | None
    assessments: tuple[Assessment, ...]
    #: Some of its free text has not been through the project's pseudonymisation run
    #: (exports withhold it, see ``free_text``).
    pending: bool = False
    #: What the pseudonymiser replaced when this follow-up was just recorded.
    replacements: tuple[Replacement, ...] = ()


def record_follow_up(*, session: UnitOfWork, actor: Actor, project_id: int, case: str,
                     measure: str, held_on: date | str,
                     participants: Sequence[str] = (),
                     assessments: Sequence[Assessment] = (), decision: str | None = None,
                     note: str | None = None, schedule_interval: str | None = None,
                     schedule_justification: str | None = None,
                     schedule_told_family_on: date | str | None = None,
                     rule_set: str | None = None) -> FollowUpView:
    """Record the next follow-up of ``measure`` as held on ``held_on``. A decided schedule
    (``schedule_interval``, e.g. "3 måneder") needs its justification. Nothing is written
    when the input is wrong (every problem listed)."""
    require(actor, Action.RECORD_FOLLOW_UP)
    check = Checker()
    held = check.day(held_on, "afholdt")
    chosen = check.choice(decision, FOLLOW_UP_DECISIONS, "beslutning", required=False)
    interval = check.text(schedule_interval, "plan", required=False, limit=40)
    if interval is not None:
        try:
            interval = str(parse_interval(interval))
        except ValueError as error:
            check.problem(str(error), "plan")
    why = check.text(schedule_justification, "plan_begrundelse", required=interval is not None)
    told = check.day(schedule_told_family_on, "meddelt_familien", required=False)
    check.not_before(told, held, "meddelt_familien", "opfølgningen")
    row_case = case_by_number(session, project_id, str(case).strip())
    measure_row = None
    if row_case is None:
        check.problem(f"sagen '{case}' findes ikke i projektet", "sag")
    else:
        measure_row = session.scalar(select(Measure).where(Measure.case_id == row_case.id,
                                                           Measure.external_id == measure))
        if measure_row is None:
            check.problem(f"sagen har ingen indsats '{measure}'", "indsats")
    check.not_before(held, measure_row.start_date if measure_row else None, "afholdt",
                     "indsatsens start")
    goal_ids = set()
    if row_case is not None:
        goal_ids = set(session.scalars(select(Goal.id).where(Goal.case_id == row_case.id)))
    for item in assessments:
        if item.goal_id not in goal_ids:
            check.problem(f"mål {item.goal_id} hører ikke til sagen", "vurdering")
        check.choice(item.assessment, GOAL_ASSESSMENTS, "vurdering")
    if len({item.goal_id for item in assessments}) != len(assessments):
        check.problem("hvert mål vurderes højst én gang pr. opfølgning", "vurdering")
    people = [str(p).strip() for p in participants if str(p).strip()]
    check.done()
    previous = held_follow_ups(session, measure_row.id)
    if previous and held < previous[-1].held_on:
        raise EffektsporError(f"Opfølgning nr. {previous[-1].number} blev holdt "
                              f"{previous[-1].held_on.isoformat()}; en ny opfølgning kan "
                              "ikke ligge før den.")
    number = len(previous) + 1
    clean = SaveCheck(session, row_case.id)
    people = clean.clean_all("deltagere", people)
    note = clean.clean("note", (note or "").strip() or None)
    why = clean.clean("plan_begrundelse", why)
    sentences = [clean.clean(f"vurdering:{item.goal_id}", (item.sentence or "").strip() or None)
                 for item in assessments]
    calendar = stored_calendar(session, measure_row, row_case.external_id,
                               project_rule_set(session, project_id, rule_set),
                               until=date.max, held=previous, up_to_number=number)
    due = next((item for item in calendar.follow_ups if item.number == number), None)
    row = FollowUp(project_id=project_id, case_id=row_case.id, measure_id=measure_row.id,
                   number=number, due_date=due.due if due else None,
                   rule=due.rule if due else None,
                   statutory_deadline=due.statutory_deadline if due else None,
                   justification=due.justification if due else calendar.open_decision,
                   held_on=held, participants=people, decision=chosen,
                   note=note, schedule_interval=interval,
                   schedule_justification=why, schedule_told_family_on=told,
                   created_by=actor.name)
    session.add(row)
    session.flush()
    for item, sentence in zip(assessments, sentences, strict=True):
        session.add(GoalAssessment(follow_up_id=row.id, goal_id=item.goal_id,
                                   assessment=item.assessment.strip(), sentence=sentence))
    session.flush()
    record_event(session, events.follow_up_recorded(
        follow_up_id=row.id, case=row_case.external_id, measure=measure_row.external_id,
        number=number, held=held.isoformat(), due=due.due.isoformat() if due else None,
        decision=chosen, schedule=interval), actor=actor.name, project_id=project_id)
    return _view(session, row, row_case.external_id, measure_row.external_id,
                 tuple(clean.replacements))


def list_follow_ups(*, session: UnitOfWork, actor: Actor, project_id: int, case: str,
                    measure: str | None = None) -> list[FollowUpView]:
    """The held follow-ups of a case (optionally of one measure), in order."""
    require(actor, Action.VIEW_FOLLOW_UP)
    row_case = case_by_number(session, project_id, case)
    if row_case is None:
        return []
    query = (select(FollowUp, Measure.external_id).join(Measure, Measure.id == FollowUp.measure_id)
             .where(FollowUp.case_id == row_case.id))
    if measure is not None:
        query = query.where(Measure.external_id == measure)
    rows = session.execute(query.order_by(Measure.external_id, FollowUp.number))
    return [_view(session, row, case, measure_number) for row, measure_number in rows]


def _view(session: UnitOfWork, row: FollowUp, case: str, measure: str,
          replacements: tuple[Replacement, ...] = ()) -> FollowUpView:
    assessed = list(session.scalars(select(GoalAssessment).where(
        GoalAssessment.follow_up_id == row.id).order_by(GoalAssessment.goal_id)))
    deadline, due = row.statutory_deadline, row.due_date
    return FollowUpView(
        row.id, case, measure, row.number, row.due_date, row.rule, row.statutory_deadline,
        row.justification, row.held_on, None if due is None else row.held_on <= due,
        None if deadline is None else row.held_on <= deadline,
        tuple(row.participants or ()), row.decision, row.schedule_interval,
        row.schedule_justification, row.schedule_told_family_on,
        tuple(Assessment(a.goal_id, a.assessment, a.sentence) for a in assessed),
        not row.pseudonymised or not all(a.pseudonymised for a in assessed), replacements)

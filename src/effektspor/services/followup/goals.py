"""A case's goals (mål): set one, revise it (the earlier version is kept), list them.

A goal has a life area, a kind (``progression`` or ``fastholdelse``), its wording
(SMART), a priority, a target date, "how we will know" (the measurement or observation
that shows it) and with whom it was made. The wording is free text and may name people:
it passes through the pseudonymiser when saved (``free_text.SaveCheck``; the result's
``replacements`` say what was replaced), is stored with ``pseudonymised`` False and is
checked again by the project's next pseudonymisation run (``shared.pending_free_text``);
the log never holds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from effektspor.domain import events
from effektspor.domain.errors import EffektsporError, Problem, ValidationError
from effektspor.domain.followup import GOAL_KINDS, GOAL_MADE_WITH, GOAL_STATUSES, Replacement
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.services.followup.free_text import SaveCheck
from effektspor.services.followup.shared import case_by_number, life_areas
from effektspor.services.followup.validation import Checker
from effektspor.store import tables as t
from effektspor.store.tables_followup import Goal, GoalRevision, Measure

#: The fields a revision may change (Danish names in problems and the log).
REVISABLE = {"life_area": "livsområde", "kind": "type", "text": "mål", "priority": "prioritet",
             "target_date": "måldato", "evidence": "hvordan_ved_vi_det",
             "made_with": "lavet_med", "status": "status"}


@dataclass(frozen=True, slots=True)
class GoalVersion:
    """A goal as it was (or is): one entry of its history."""

    version: int
    life_area: str
    kind: str
    text: str
    priority: int
    target_date: date | None
    evidence: str | None
    made_with: tuple[str, ...]
    status: str
    valid_from: datetime
    revised_by: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class GoalView:
    """A goal with its current version and its earlier versions (oldest first)."""

    id: int
    case: str
    measure: str | None
    current: GoalVersion
    history: tuple[GoalVersion, ...] = field(default_factory=tuple)
    #: Some of its free text has not been through the project's pseudonymisation run
    #: (exports withhold it, see ``free_text``).
    pending: bool = False
    #: What the pseudonymiser replaced when this goal was just saved (create, revise).
    replacements: tuple[Replacement, ...] = ()


def _check_fields(check: Checker, areas: tuple[str, ...], values: dict) -> dict:
    out = {}
    if "life_area" in values:
        out["life_area"] = check.choice(values["life_area"], areas, "livsområde")
    if "kind" in values:
        out["kind"] = check.choice(values["kind"], GOAL_KINDS, "type")
    if "text" in values:
        out["text"] = check.text(values["text"], "mål")
    if "priority" in values:
        try:
            priority = int(values["priority"])
            if priority < 1:
                raise ValueError
            out["priority"] = priority
        except (TypeError, ValueError):
            check.problem("skal være et helt tal fra 1 (højest prioritet)", "prioritet")
    if "target_date" in values:
        out["target_date"] = check.day(values["target_date"], "måldato", required=False)
    if "evidence" in values:
        out["evidence"] = check.text(values["evidence"], "hvordan_ved_vi_det",
                                     required=False)
    if "made_with" in values:
        made_with = tuple(str(v).strip() for v in (values["made_with"] or ()) if str(v).strip())
        for who in made_with:
            if who not in GOAL_MADE_WITH:
                check.problem(f"ukendt værdi '{who}' (gyldige: {', '.join(GOAL_MADE_WITH)})",
                              "lavet_med")
        out["made_with"] = list(made_with)
    if "status" in values:
        out["status"] = check.choice(values["status"], GOAL_STATUSES, "status")
    return out


def create_goal(*, session: UnitOfWork, actor: Actor, project_id: int, case: str,
                life_area: str, kind: str, text: str, priority: int = 1,
                target_date: date | str | None = None, evidence: str | None = None,
                made_with: tuple[str, ...] | list[str] = (),
                measure: str | None = None) -> GoalView:
    """Set a goal for case ``case`` (which must exist), optionally tied to one of its
    measures. Nothing is written when the input is wrong (every problem listed)."""
    require(actor, Action.RECORD_FOLLOW_UP)
    check = Checker()
    values = _check_fields(check, life_areas(session, project_id), {
        "life_area": life_area, "kind": kind, "text": text, "priority": priority,
        "target_date": target_date, "evidence": evidence, "made_with": made_with})
    row_case = case_by_number(session, project_id, str(case).strip())
    if row_case is None:
        check.problem(f"sagen '{case}' findes ikke i projektet (registrér en indsats på "
                      "sagen først)", "sag")
    measure_row = None
    if measure and row_case is not None:
        measure_row = session.scalar(select(Measure).where(Measure.case_id == row_case.id,
                                                           Measure.external_id == measure))
        if measure_row is None:
            check.problem(f"sagen har ingen indsats '{measure}'", "indsats")
    check.done()
    _, replaced = _clean(SaveCheck(session, row_case.id), values)
    goal = Goal(project_id=project_id, case_id=row_case.id,
                measure_id=measure_row.id if measure_row else None, status="aktiv",
                version=1, created_by=actor.name, **values)
    session.add(goal)
    session.flush()
    record_event(session, events.goal_created(goal_id=goal.id, case=row_case.external_id,
                                              life_area=goal.life_area, kind=goal.kind,
                                              priority=goal.priority),
                 actor=actor.name, project_id=project_id)
    return _view(session, goal, row_case.external_id, replaced)


def _clean(check: SaveCheck, values: dict, reason: str | None = None
           ) -> tuple[str | None, tuple[Replacement, ...]]:
    """Pseudonymise the free text of ``values`` in place, and ``reason``: (the reason
    pseudonymised, what was replaced)."""
    for key, name in (("text", "mål"), ("evidence", "hvordan_ved_vi_det")):
        if values.get(key):
            values[key] = check.clean(name, values[key])
    cleaned = check.clean("begrundelse", reason)
    return cleaned, tuple(check.replacements)


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


#: The default of a field :func:`revise_goal` leaves as it is.
UNCHANGED: object = _Unchanged()


def revise_goal(*, session: UnitOfWork, actor: Actor, project_id: int, goal_id: int,
                reason: str, expected_version: int | None = None,
                life_area: object = UNCHANGED, kind: object = UNCHANGED,
                text: object = UNCHANGED, priority: object = UNCHANGED,
                target_date: object = UNCHANGED, evidence: object = UNCHANGED,
                made_with: object = UNCHANGED, status: object = UNCHANGED) -> GoalView:
    """Revise a goal: the current version is kept in its history with ``reason``, and the
    fields given (``life_area``, ``kind``, ``text``, ``priority``, ``target_date``,
    ``evidence``, ``made_with``, ``status``; None clears an optional one) make the next
    version. ``expected_version`` guards against overwriting someone else's revision."""
    require(actor, Action.RECORD_FOLLOW_UP)
    given = {"life_area": life_area, "kind": kind, "text": text, "priority": priority,
             "target_date": target_date, "evidence": evidence, "made_with": made_with,
             "status": status}
    changes = {key: value for key, value in given.items() if value is not UNCHANGED}
    goal = session.get(Goal, goal_id)
    if goal is None or goal.project_id != project_id:
        raise EffektsporError(f"Mål {goal_id} findes ikke i projektet.")
    if expected_version is not None and goal.version != expected_version:
        raise ValidationError([Problem(f"målet er revideret af en anden (nu version "
                                       f"{goal.version}); genindlæs og prøv igen")])
    check = Checker()
    why = check.text(reason, "begrundelse")
    values = _check_fields(check, life_areas(session, project_id), changes)
    why, replaced = _clean(SaveCheck(session, goal.case_id), values, why)
    changed = [REVISABLE[key] for key, value in values.items() if getattr(goal, key) != value]
    if not changed and not check.problems:
        check.problem("intet er ændret", "mål")
    check.done()
    session.add(GoalRevision(
        goal_id=goal.id, version=goal.version, life_area=goal.life_area, kind=goal.kind,
        text=goal.text, priority=goal.priority, target_date=goal.target_date,
        evidence=goal.evidence, made_with=list(goal.made_with or []), status=goal.status,
        valid_from=_valid_from(session, goal), revised_by=actor.name, reason=why,
        pseudonymised=False))  # the reason is new: the next run checks it with the key file
    if any(key in values and values[key] != getattr(goal, key) for key in ("text", "evidence")):
        goal.pseudonymised = False  # new wording: the next run checks it with the key file
    for key, value in values.items():
        setattr(goal, key, value)
    goal.version += 1
    session.flush()
    case_number = session.get(t.Case, goal.case_id).external_id
    record_event(session, events.goal_revised(goal_id=goal.id, case=case_number,
                                              version=goal.version, changed=changed),
                 actor=actor.name, project_id=project_id)
    return _view(session, goal, case_number, replaced)


def _valid_from(session: UnitOfWork, goal: Goal) -> datetime:
    last = session.scalar(select(GoalRevision.revised_at).where(GoalRevision.goal_id == goal.id)
                          .order_by(GoalRevision.version.desc()).limit(1))
    return last or goal.created_at


def list_goals(*, session: UnitOfWork, actor: Actor, project_id: int,
               case: str) -> list[GoalView]:
    """The goals of case ``case`` with their history, by priority."""
    require(actor, Action.VIEW_FOLLOW_UP)
    row_case = case_by_number(session, project_id, case)
    if row_case is None:
        return []
    goals = session.scalars(select(Goal).where(Goal.case_id == row_case.id)
                            .order_by(Goal.priority, Goal.id))
    return [_view(session, goal, case) for goal in goals]


def _view(session: UnitOfWork, goal: Goal, case_number: str,
          replacements: tuple[Replacement, ...] = ()) -> GoalView:
    measure = (session.scalar(select(Measure.external_id).where(Measure.id == goal.measure_id))
               if goal.measure_id else None)
    revisions = list(session.scalars(select(GoalRevision).where(
        GoalRevision.goal_id == goal.id).order_by(GoalRevision.version)))
    history = tuple(GoalVersion(r.version, r.life_area, r.kind, r.text, r.priority,
                                r.target_date, r.evidence, tuple(r.made_with or ()), r.status,
                                r.valid_from, r.revised_by, r.reason) for r in revisions)
    current = GoalVersion(goal.version, goal.life_area, goal.kind, goal.text, goal.priority,
                          goal.target_date, goal.evidence, tuple(goal.made_with or ()),
                          goal.status, revisions[-1].revised_at if revisions else goal.created_at)
    pending = not goal.pseudonymised or not all(r.pseudonymised for r in revisions)
    return GoalView(goal.id, case_number, measure, current, history, pending, replacements)

"""The classification queue: progress per variable and the cases still to be confirmed.

A case needs confirmation when it is closed and lacks a confirmed value of a variable,
or when it has an open suggestion. Three queries for the whole project, never one per
case. Cases in the actor's blind re-coding sample are listed without their suggestions
and are never offered as the next case.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from effektspor.services.authorization import Action, Actor, require
from effektspor.services.cases.overview import Share
from effektspor.services.classification.shared import ensure_variables, ordered
from effektspor.services.contract import UnitOfWork
from effektspor.services.recoding.shared import blind_case_ids
from effektspor.store import tables as t
from effektspor.store.tables_analysis import CONFIRMED, SUGGESTED, ClassificationValue

QUEUE_LIMIT = 200


@dataclass(frozen=True)
class VariableProgress:
    """How many closed cases have a confirmed value of one variable."""

    name: str
    label: str
    share: Share


@dataclass
class QueueCase:
    """A case still needing confirmation."""

    id: int
    external_id: str
    team: str | None
    closed: bool
    missing: list[str]  # labels of variables without a confirmed value
    suggestions: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    blind: bool = False


@dataclass
class ClassificationQueue:
    """The queue page: progress, the cases to confirm (first :data:`QUEUE_LIMIT`)."""

    closed_cases: int
    progress: list[VariableProgress]
    cases: list[QueueCase]
    total: int

    @property
    def next_case(self) -> QueueCase | None:
        """The first case the actor may classify (not blind)."""
        return next((c for c in self.cases if not c.blind), None)


def classification_queue(*, session: UnitOfWork, actor: Actor, project_id: int,
                         limit: int = QUEUE_LIMIT) -> ClassificationQueue:
    """Progress per variable and the cases to confirm, those with suggestions first."""
    require(actor, Action.CLASSIFY_CASES)
    variables = ordered(ensure_variables(session, project_id, actor=actor.name))
    labels = {v.id: v.label for v in variables}
    cases = session.execute(select(t.Case.id, t.Case.external_id, t.Case.team, t.Case.closed)
                            .where(t.Case.project_id == project_id)
                            .order_by(t.Case.external_id)).all()
    confirmed: set[tuple[int, int]] = set()
    suggested: dict[int, list[tuple[int, str]]] = {}
    for case_id, variable_id, value, status in session.execute(
            select(ClassificationValue.case_id, ClassificationValue.variable_id,
                   ClassificationValue.value, ClassificationValue.status)
            .where(ClassificationValue.project_id == project_id,
                   ClassificationValue.superseded_at.is_(None),
                   ClassificationValue.status.in_((CONFIRMED, SUGGESTED)))
            .order_by(ClassificationValue.variable_id)):
        if status == CONFIRMED:
            confirmed.add((case_id, variable_id))
        else:
            suggested.setdefault(case_id, []).append((variable_id, value))
    closed = [c for c in cases if c.closed]
    progress = [VariableProgress(v.name, v.label, Share(
        sum((c.id, v.id) in confirmed for c in closed), len(closed))) for v in variables]
    blind = blind_case_ids(session, project_id=project_id, coder=actor.name)
    waiting = []
    for case in cases:
        missing = [v.label for v in variables if (case.id, v.id) not in confirmed]
        open_suggestions = suggested.get(case.id, [])
        if not open_suggestions and not (case.closed and missing):
            continue
        is_blind = case.external_id in blind
        waiting.append(QueueCase(
            case.id, case.external_id, case.team, case.closed, missing,
            [] if is_blind else [(labels[v], value) for v, value in open_suggestions
                                 if v in labels], is_blind))
    waiting.sort(key=lambda c: (c.blind, not c.suggestions, c.external_id))
    return ClassificationQueue(len(closed), progress, waiting[:limit], len(waiting))


def next_case_id(*, session: UnitOfWork, actor: Actor, project_id: int,
                 after: int | None = None) -> int | None:
    """The id of the next case to classify, after case ``after`` in the queue's order.

    Wraps around to the start (``after`` itself comes last); None when no case needs it.
    """
    queue = classification_queue(session=session, actor=actor, project_id=project_id,
                                 limit=10**9)
    open_cases = [c.id for c in queue.cases if not c.blind]
    if after in open_cases:
        position = open_cases.index(after)
        open_cases = open_cases[position + 1:] + open_cases[:position + 1]
    return open_cases[0] if open_cases else None

"""Reading the project's event log (needs VIEW_EVENT_LOG): the web app's log page and the
CLI's ``log`` show the same events, newest first.

Writing to the log is :mod:`effektspor.services.events` (every area does it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, or_, select

from effektspor.services.authorization import Action, Actor, require
from effektspor.services.contract import UnitOfWork
from effektspor.store.tables import Event


@dataclass
class EventPage:
    """One page of the event log, newest first."""

    events: list[Event]
    page: int
    page_size: int
    total: int
    actions: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        """Number of pages (at least 1)."""
        return max(1, -(-self.total // self.page_size))


def read_event_log(*, session: UnitOfWork, actor: Actor, project_id: int,
                   user: str | None = None, action: str | None = None, page: int = 1,
                   page_size: int = 100) -> EventPage:
    """A page of the event log of a project and its project-less events (logins, user
    accounts), newest first, filtered on the acting user and the action."""
    require(actor, Action.VIEW_EVENT_LOG)
    page = max(1, page)
    condition = [or_(Event.project_id == project_id, Event.project_id.is_(None))]
    if user:
        condition.append(Event.actor == user)
    if action:
        condition.append(Event.action == action)
    total = session.scalar(select(func.count()).select_from(Event).where(*condition)) or 0
    events = list(session.scalars(select(Event).where(*condition).order_by(Event.id.desc())
                                  .limit(page_size).offset((page - 1) * page_size)))
    actions = list(session.scalars(select(Event.action).distinct().order_by(Event.action)))
    return EventPage(events, page, page_size, total, actions)

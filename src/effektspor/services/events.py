"""Writing and reading the append-only event log (who did what, when).

What may be logged, and with which payload, is declared in :mod:`effektspor.domain.events`.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from effektspor.domain.events import EventAction, LogEntry, declared_action
from effektspor.store.tables import Event


def record_event(session: Session, entry: LogEntry, *, actor: str,
                 project_id: int | None = None) -> Event:
    """Append ``entry`` (built by a constructor of ``domain.events``) to the log in the
    caller's transaction."""
    event = Event(actor=actor, action=entry.action.value, project_id=project_id,
                  object_type=entry.object_type,
                  object_id=None if entry.object_id is None else str(entry.object_id),
                  details=dict(entry.details))
    session.add(event)
    return event


def log_event(session: Session, *, actor: str, action: EventAction | str,
              project_id: int | None = None, object_type: str | None = None,
              object_id: object = None, details: dict | None = None) -> Event:
    """Append one event, its payload built by the caller (for the areas whose events have
    no constructor yet). ``action`` must be declared in ``EventAction``
    (:class:`~effektspor.domain.events.UndeclaredAction` otherwise)."""
    entry = LogEntry(declared_action(action), object_type, object_id, details or {})
    return record_event(session, entry, actor=actor, project_id=project_id)


def list_events(session: Session, *, project_id: int | None = None,
                action: EventAction | str | None = None, limit: int = 200) -> list[Event]:
    """The newest events first, optionally for one project and/or one action."""
    query = select(Event).order_by(Event.id.desc()).limit(limit)
    if project_id is not None:
        query = query.where(Event.project_id == project_id)
    if action is not None:
        query = query.where(Event.action == str(action))
    return list(session.scalars(query))

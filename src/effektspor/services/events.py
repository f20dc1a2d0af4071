"""Writing and reading the append-only event log (who did what, when)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from effektspor.store.tables import Event


def log_event(session: Session, *, actor: str, action: str, project_id: int | None = None,
              object_type: str | None = None, object_id: object = None,
              details: dict | None = None) -> Event:
    """Append one event to the log in the caller's transaction."""
    event = Event(actor=actor, action=action, project_id=project_id, object_type=object_type,
                  object_id=None if object_id is None else str(object_id),
                  details=details or {})
    session.add(event)
    return event


def list_events(session: Session, *, project_id: int | None = None, action: str | None = None,
                limit: int = 200) -> list[Event]:
    """The newest events first, optionally for one project and/or one action."""
    query = select(Event).order_by(Event.id.desc()).limit(limit)
    if project_id is not None:
        query = query.where(Event.project_id == project_id)
    if action is not None:
        query = query.where(Event.action == action)
    return list(session.scalars(query))

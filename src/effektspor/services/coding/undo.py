"""Undo a coding event, whichever front end logged it: a removal brings the coding back
(same code, offsets, coder and memo, under a new id); an addition removes the coding
again. Each removal is restored once.
"""

from __future__ import annotations

from sqlalchemy import select

from effektspor.domain import events
from effektspor.domain.errors import ConflictError, EffektsporError
from effektspor.domain.events import EventAction
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.coding.codings import CodingChange, remove_coding
from effektspor.services.coding.permissions import ALL_CODINGS_ROLES, NotYourCoding
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.store import tables as t
from effektspor.store.tables_coding import Coding

NOTHING_TO_UNDO = "Der er ingen kodning at fortryde her."


def undo(*, session: UnitOfWork, actor: Actor, project_id: int,
         event_id: int) -> CodingChange:
    """Undo the coding event ``event_id``: restore a removed coding, or remove an added
    one (logged "kodning_fortrudt"). A koder undoes only their own; an analytiker or
    administrator anyone's."""
    require(actor, Action.CODE_CASES)
    # Locking the event (PostgreSQL) serialises two undos of it: the second waits, then
    # sees the first one's "kodning_gendannet" (or the removed coding) and gets a conflict.
    event = session.get(t.Event, event_id, with_for_update=True)
    if event is None or event.project_id != project_id:
        raise EffektsporError(NOTHING_TO_UNDO)
    if event.action == EventAction.CODING_ADDED:
        return remove_coding(session=session, actor=actor, project_id=project_id,
                             coding_id=int(event.object_id), undoing_addition=True)
    if event.action in events.REMOVALS:
        return _restore(session, actor, project_id, event)
    raise EffektsporError(NOTHING_TO_UNDO)


def _restore(session: UnitOfWork, actor: Actor, project_id: int,
             event: t.Event) -> CodingChange:
    if event.actor != actor.name and actor.role not in ALL_CODINGS_ROLES:
        raise NotYourCoding(actor, event.actor)
    removed = events.removed_coding(event.details)
    if removed is None:
        raise EffektsporError("Sletningen er logget af en ældre version af effektspor uden "
                              "kodningens placering i notatet, så den kan ikke fortrydes.")
    done = session.scalar(select(t.Event.actor).where(
        t.Event.project_id == project_id, t.Event.action == EventAction.CODING_RESTORED.value,
        t.Event.object_type == events.REMOVAL, t.Event.object_id == str(event.id)))
    if done is not None:
        raise ConflictError(f"Sletningen er allerede fortrudt af {done}.")
    text = session.scalar(select(t.Note.text).where(t.Note.id == removed.note_id))
    if text is None:
        raise EffektsporError("Notatet findes ikke længere; kodningen kan ikke gendannes.")
    coding = Coding(project_id=project_id, note_id=removed.note_id, start=removed.start,
                    end=removed.end, quote=text[removed.start:removed.end],
                    code_key=removed.code, coder=removed.coder, memo=removed.memo,
                    rule_id=removed.rule, codebook_id=removed.codebook_id,
                    codebook_version=removed.codebook_version,
                    suggestion_id=removed.suggestion_id)
    session.add(coding)
    session.flush()
    restored = record_event(session, events.coding_restored(
        removal_event_id=event.id, coding_id=coding.id, previous_id=event.object_id,
        note_id=coding.note_id, code=coding.code_key, coder=coding.coder),
        actor=actor.name, project_id=project_id)
    session.flush()
    return CodingChange(coding.note_id, coding.id, restored.id)


def note_of_event(*, session: UnitOfWork, project_id: int, event_id: int) -> int | None:
    """The note a coding event is about (None if it is not one of the project's); where
    the web app re-renders a note after a failed undo."""
    event = session.get(t.Event, event_id)
    if event is None or event.project_id != project_id or not isinstance(event.details, dict):
        return None
    note_id = event.details.get("notat")
    return note_id if isinstance(note_id, int) else None

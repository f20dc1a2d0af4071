"""A person's codings of note passages: add, remove, edit the memo, list.

Called by both front ends in their unit of work (``services.contract``). Offsets are
code-point offsets into the note text. Concurrent changes are guarded updates: a stale
removal or memo edit gets :class:`ConflictError` (HTTP 409 in the web app) instead of
silently overwriting someone else's work. Every change is one event in the log, built
by ``domain.events``; a removal's event keeps what is needed to undo it (``undo.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update

from effektspor.domain import events
from effektspor.domain.errors import ConflictError, EffektsporError, Problem, ValidationError
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.coding.permissions import require_may_change
from effektspor.services.coding.shared import store_codebook_once, stored_codebook
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.store import tables as t
from effektspor.store.tables_coding import MACHINE_CODER, Coding


@dataclass(frozen=True, slots=True)
class CodingChange:
    """What a change did: the note, the coding and the event that logged it."""

    note_id: int
    coding_id: int
    event_id: int


def add_coding(*, session: UnitOfWork, actor: Actor, project_id: int, note_id: int,
               start: int, end: int, code: str, memo: str | None = None) -> CodingChange:
    """Code ``note_text[start:end]`` with ``code`` in the actor's name.

    Nothing is written when the code is unknown or the passage lies outside the note
    (:class:`ValidationError`, every problem listed).
    """
    require(actor, Action.CODE_CASES)
    coder = actor.name.strip()
    if not coder or coder == MACHINE_CODER:
        raise ValidationError([Problem("angiv koderens navn (ikke 'maskine')", field="koder")])
    codebook = stored_codebook(session, project_id)
    note = _note_of_project(session, project_id=project_id, note_id=note_id)
    problems = []
    if code not in codebook.code_ids:
        problems.append(Problem(f"koden '{code}' findes ikke i kodebogen "
                                f"'{codebook.name}'", field="kode"))
    if not 0 <= start < end <= len(note.text):
        problems.append(Problem(f"passagen {start}–{end} ligger ikke inden for notatet "
                                f"(0–{len(note.text)})", field="start/slut"))
    if problems:
        raise ValidationError(problems)
    book = store_codebook_once(session, project_id, codebook, actor=coder)
    coding = Coding(project_id=project_id, note_id=note.id, start=start, end=end,
                    quote=note.text[start:end], code_key=code, coder=coder,
                    codebook_id=book.id, codebook_version=codebook.version,
                    memo=(memo or "").strip() or None)
    session.add(coding)
    session.flush()
    event = record_event(session, events.coding_added(coding_id=coding.id, note_id=note.id,
                                                      code=code, start=start, end=end),
                         actor=coder, project_id=project_id)
    session.flush()
    return CodingChange(note.id, coding.id, event.id)


def remove_coding(*, session: UnitOfWork, actor: Actor, project_id: int, coding_id: int,
                  undoing_addition: bool = False) -> CodingChange:
    """Remove a coding (machine or human); the event keeps everything needed to restore
    it except its quote (no case text in the log; the quote is read from the note again).

    ``undoing_addition`` logs the removal as the undoing of an addition
    ("kodning_fortrudt"). The returned ``event_id`` is what "Fortryd" undoes.
    """
    coding = _coding_of_project(session, project_id=project_id, coding_id=coding_id)
    require_may_change(actor, coding.coder)
    entry = events.coding_removed(coding, undoing_addition=undoing_addition)
    note_id = coding.note_id
    gone = session.execute(delete(Coding).where(Coding.id == coding_id)
                           .execution_options(synchronize_session=False)).rowcount
    if gone != 1:
        raise ConflictError(f"Kodning {coding_id} er allerede slettet af en anden.")
    session.expunge(coding)
    event = record_event(session, entry, actor=actor.name, project_id=project_id)
    session.flush()
    return CodingChange(note_id, coding_id, event.id)


def update_memo(*, session: UnitOfWork, actor: Actor, project_id: int, coding_id: int,
                memo: str, previous: str) -> CodingChange:
    """Change a coding's memo if it still is ``previous`` (optimistic check). If someone
    changed it meanwhile, :class:`ConflictError` shows their text."""
    coding = _coding_of_project(session, project_id=project_id, coding_id=coding_id)
    require_may_change(actor, coding.coder)
    new = memo.strip() or None
    changed = session.execute(
        update(Coding).where(Coding.id == coding_id,
                             func.coalesce(Coding.memo, "") == (previous or "").strip())
        .values(memo=new).execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        _memo_conflict(session, project_id, coding_id)
    event = record_event(session, events.coding_memo_changed(
        coding_id=coding_id, note_id=coding.note_id, before=previous or None, after=new),
        actor=actor.name, project_id=project_id)
    session.flush()
    return CodingChange(coding.note_id, coding_id, event.id)


def _memo_conflict(session: UnitOfWork, project_id: int, coding_id: int) -> None:
    current = session.execute(select(Coding.memo).where(Coding.id == coding_id)).first()
    if current is None:
        raise ConflictError(f"Kodning {coding_id} er slettet af en anden, mens du skrev.")
    who = session.scalar(select(t.Event.actor).where(
        t.Event.project_id == project_id,
        t.Event.action == events.EventAction.CODING_MEMO_CHANGED.value,
        t.Event.object_type == events.CODING, t.Event.object_id == str(coding_id))
        .order_by(t.Event.id.desc()).limit(1))
    by = f" af {who}" if who else ""
    raise ConflictError(f"Memoet er ændret{by}, mens du skrev. Det lyder nu: "
                        f"»{current[0] or '(tomt)'}«. Dit memo er ikke gemt – ret det "
                        "til, og gem igen.")


def list_codings(*, session: UnitOfWork, actor: Actor, project_id: int,
                 note_id: int | None = None, coder: str | None = None) -> list[dict]:
    """Codings of the project (optionally of one note or coder) as plain dicts, with
    their quotes (case text)."""
    require(actor, Action.READ_CASE_TEXT)
    query = select(Coding).where(Coding.project_id == project_id)
    if note_id is not None:
        query = query.where(Coding.note_id == note_id)
    if coder is not None:
        query = query.where(Coding.coder == coder)
    return [{"id": c.id, "note_id": c.note_id, "start": c.start, "end": c.end,
             "quote": c.quote, "code": c.code_key, "coder": c.coder, "rule": c.rule_id,
             "codebook_version": c.codebook_version, "memo": c.memo}
            for c in session.scalars(query.order_by(Coding.id))]


def _coding_of_project(session: UnitOfWork, *, project_id: int, coding_id: int) -> Coding:
    coding = session.get(Coding, coding_id)
    if coding is None or coding.project_id != project_id:
        raise ConflictError(f"Kodning {coding_id} findes ikke (længere). En anden har måske "
                            "slettet den; genindlæs siden.")
    return coding


def _note_of_project(session: UnitOfWork, *, project_id: int, note_id: int) -> t.Note:
    note = session.scalar(select(t.Note).join(t.Case, t.Case.id == t.Note.case_id).where(
        t.Note.id == note_id, t.Case.project_id == project_id))
    if note is None:
        raise EffektsporError(f"Notat {note_id} findes ikke i projektet.")
    return note


def note_of_coding(*, session: UnitOfWork, project_id: int, coding_id: int) -> int | None:
    """The note a coding of the project belongs to (None if there is no such coding);
    where the web app re-renders a note after a failed change."""
    return session.scalar(select(Coding.note_id).where(Coding.id == coding_id,
                                                       Coding.project_id == project_id))

"""The coding workbench of the web app: codings shown in notes, and adding, deleting,
restoring and annotating them (session-based; the route commits).

Who may change what: anyone with CODE_CASES adds codings in their own name. A koder
deletes, restores and edits the memo of their *own* codings only; an analytiker or
administrator may do so for every coding, including the machine's. Every change is one
event in the log; a deletion's event keeps everything needed to restore the coding.
Concurrent changes are guarded updates: a stale delete or memo edit gets
:class:`ConflictError` (HTTP 409) instead of silently overwriting someone else's work.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from effektspor.coding.codebook import Codebook
from effektspor.coding.segments import segment_text
from effektspor.domain.errors import ConflictError, EffektsporError
from effektspor.services.authorization import Action, Actor, PermissionDenied, Role, require
from effektspor.services.coding import add_coding_in_session, stored_codebook
from effektspor.services.coding_suggestions import PROPOSED
from effektspor.services.events import log_event
from effektspor.store import tables as t
from effektspor.store.tables_coding import MACHINE_CODER, Coding, Suggestion

DEFAULT_COLOUR = "#f0a500"
RECENT_CODES = 9
_ALL_CODINGS_ROLES = frozenset({Role.ADMINISTRATOR, Role.ANALYST})


class NotYourCoding(PermissionDenied):
    """A koder tried to change someone else's coding (HTTP 403)."""

    def __init__(self, actor: Actor, coder: str):
        self.actor = actor
        self.action = Action.CODE_CASES
        who = "maskinen" if coder == MACHINE_CODER else coder
        EffektsporError.__init__(
            self, f"Kodningen er lavet af {who}. Som koder kan du kun ændre dine egne "
                  "kodninger; en analytiker eller administrator kan ændre alle.")


@dataclass(frozen=True, slots=True)
class CodeChoice:
    """A code of the codebook as the workbench offers it."""

    key: str
    name: str
    colour: str
    parent_name: str | None


@dataclass(frozen=True, slots=True)
class CodingView:
    """A coding shown with its note."""

    id: int
    start: int
    end: int
    quote: str
    code: str
    name: str
    colour: str
    coder: str
    memo: str | None
    may_change: bool


@dataclass(frozen=True, slots=True)
class OpenSuggestion:
    """An open machine suggestion shown with its note."""

    id: int
    code: str
    name: str
    colour: str
    confidence: float


@dataclass(frozen=True, slots=True)
class TextPiece:
    """A piece of a note's text and the codings covering it (innermost last)."""

    text: str
    codings: tuple[CodingView, ...]

    @property
    def title(self) -> str:
        """Tooltip: code name, coder and memo of every coding of the piece."""
        return "\n".join(f"{c.name} – {'maskinen' if c.coder == MACHINE_CODER else c.coder}"
                         + (f": {c.memo}" if c.memo else "") for c in self.codings)

    @property
    def colour(self) -> str:
        """The colour of the innermost (shortest) coding."""
        return self.codings[-1].colour if self.codings else DEFAULT_COLOUR


@dataclass
class NoteWork:
    """A note's text as highlighted pieces, its codings and its open suggestions."""

    note_id: int
    text: str
    pieces: list[TextPiece]
    codings: list[CodingView]
    suggestions: list[OpenSuggestion] = field(default_factory=list)


@dataclass
class Workbench:
    """What the case view needs for coding: codes, recent codes and the shown notes."""

    can_code: bool
    codes: list[CodeChoice]
    recent: list[str]
    notes: dict[int, NoteWork]

    @property
    def code_table(self) -> list[dict[str, str | None]]:
        """The codes as plain values (for the type-ahead of the coding panel)."""
        return [{"key": c.key, "name": c.name, "colour": c.colour, "parent": c.parent_name}
                for c in self.codes]


def may_change(actor: Actor, coder: str) -> bool:
    """True when ``actor`` may delete, restore or edit a coding made by ``coder``."""
    return actor.can(Action.CODE_CASES) and (coder == actor.name
                                             or actor.role in _ALL_CODINGS_ROLES)


def _require_may_change(actor: Actor, coder: str) -> None:
    require(actor, Action.CODE_CASES)
    if not may_change(actor, coder):
        raise NotYourCoding(actor, coder)


def code_choices(codebook: Codebook) -> list[CodeChoice]:
    """The codes in codebook order; a sub-code without a colour gets its parent's."""
    by_id = {code.id: code for code in codebook.codes}
    choices = []
    for code in codebook.codes:
        top = by_id.get(codebook.top_level_of(code.id), code)
        parent = by_id.get(code.parent) if code.parent else None
        choices.append(CodeChoice(code.id, code.name, code.colour or top.colour or DEFAULT_COLOUR,
                                  parent.name if parent else None))
    return choices


def recent_codes(session: Session, *, project_id: int, coder: str,
                 limit: int = RECENT_CODES) -> list[str]:
    """The codes ``coder`` used most recently (newest first, each once)."""
    newest = func.max(Coding.id)
    return list(session.scalars(
        select(Coding.code_key).where(Coding.project_id == project_id, Coding.coder == coder)
        .group_by(Coding.code_key).order_by(newest.desc()).limit(limit)))


def notes_work(session: Session, *, actor: Actor, project_id: int, texts: dict[int, str],
               codebook: Codebook | None = None) -> dict[int, NoteWork]:
    """Highlighted pieces, codings and open suggestions of the notes ``texts`` (id → text).

    Two queries in all (codings, suggestions), whatever the number of notes. Open
    suggestions are only included for actors who may code.
    """
    require(actor, Action.READ_CASE_TEXT)
    choices = {c.key: c for c in code_choices(codebook or stored_codebook(session, project_id))}
    ids = list(texts)
    by_note: dict[int, list[CodingView]] = defaultdict(list)
    open_by_note: dict[int, list[OpenSuggestion]] = defaultdict(list)
    if ids:
        rows = session.execute(
            select(Coding.id, Coding.note_id, Coding.start, Coding.end, Coding.quote,
                   Coding.code_key, Coding.coder, Coding.memo)
            .where(Coding.project_id == project_id, Coding.note_id.in_(ids))
            .order_by(Coding.note_id, Coding.start, Coding.end.desc(), Coding.id))
        for coding_id, note_id, start, end, quote, code, coder, memo in rows:
            choice = choices.get(code)
            by_note[note_id].append(CodingView(
                coding_id, start, end, quote, code, choice.name if choice else code,
                choice.colour if choice else DEFAULT_COLOUR, coder, memo,
                may_change(actor, coder)))
        if actor.can(Action.CODE_CASES):
            for s_id, note_id, code, confidence in session.execute(
                    select(Suggestion.id, Suggestion.note_id, Suggestion.code_key,
                           Suggestion.confidence)
                    .where(Suggestion.project_id == project_id, Suggestion.status == PROPOSED,
                           Suggestion.note_id.in_(ids))
                    .order_by(Suggestion.confidence.desc(), Suggestion.id)):
                choice = choices.get(code)
                open_by_note[note_id].append(OpenSuggestion(
                    s_id, code, choice.name if choice else code,
                    choice.colour if choice else DEFAULT_COLOUR, confidence))
    return {note_id: _note_work(note_id, text, by_note[note_id], open_by_note[note_id])
            for note_id, text in texts.items()}


def _note_work(note_id: int, text: str, codings: list[CodingView],
               suggestions: list[OpenSuggestion]) -> NoteWork:
    views = {c.id: c for c in codings}
    pieces = []
    for segment in segment_text(text, [(c.id, c.start, c.end) for c in codings]):
        covering = sorted((views[i] for i in segment.covered_by),
                          key=lambda c: (-(c.end - c.start), c.id))
        pieces.append(TextPiece(segment.text, tuple(covering)))
    return NoteWork(note_id, text, pieces, codings, suggestions)


def case_workbench(session: Session, *, actor: Actor, project_id: int,
                   notes: dict[int, str]) -> Workbench:
    """The workbench of a case page: its shown notes (id → text) with their codings."""
    codebook = stored_codebook(session, project_id)
    can_code = actor.can(Action.CODE_CASES)
    return Workbench(
        can_code, code_choices(codebook) if can_code else [],
        recent_codes(session, project_id=project_id, coder=actor.name) if can_code else [],
        notes_work(session, actor=actor, project_id=project_id, texts=notes,
                   codebook=codebook))


def note_work(session: Session, *, actor: Actor, project_id: int, note_id: int) -> NoteWork:
    """One note of the project with its codings (for re-rendering after a change)."""
    text = session.scalar(select(t.Note.text).join(t.Case, t.Case.id == t.Note.case_id)
                          .where(t.Note.id == note_id, t.Case.project_id == project_id))
    if text is None:
        raise EffektsporError(f"Notat {note_id} findes ikke i projektet.")
    return notes_work(session, actor=actor, project_id=project_id, texts={note_id: text})[note_id]


def add_coding(session: Session, *, actor: Actor, project_id: int, note_id: int, start: int,
               end: int, code: str, memo: str | None = None) -> int:
    """Code ``note_text[start:end]`` (code points) with ``code`` in the actor's name."""
    require(actor, Action.CODE_CASES)
    return add_coding_in_session(session, project_id=project_id, note_id=note_id, start=start,
                                 end=end, code=code, coder=actor.name,
                                 memo=(memo or "").strip() or None).id


def _coding_of_project(session: Session, project_id: int, coding_id: int) -> Coding:
    coding = session.get(Coding, coding_id)
    if coding is None or coding.project_id != project_id:
        raise ConflictError(f"Kodning {coding_id} findes ikke (længere). En anden har måske "
                            "slettet den; genindlæs siden.")
    return coding


def delete_coding(session: Session, *, actor: Actor, project_id: int, coding_id: int,
                  undo: bool = False) -> tuple[int, int]:
    """Delete a coding; returns (note id, id of the deletion event, for "Fortryd").

    ``undo`` marks the deletion as the undoing of an addition ("kodning_fortrudt").
    The event keeps the whole coding except its quote (no case text in the log; the
    quote is read from the note again), so :func:`restore_coding` can bring it back.
    """
    coding = _coding_of_project(session, project_id, coding_id)
    _require_may_change(actor, coding.coder)
    details = {"notat": coding.note_id, "kode": coding.code_key, "start": coding.start,
               "slut": coding.end, "koder": coding.coder, "memo": coding.memo,
               "regel": coding.rule_id,
               "kodebog_id": coding.codebook_id, "kodebogsversion": coding.codebook_version,
               "forslag": coding.suggestion_id}
    note_id = coding.note_id
    gone = session.execute(delete(Coding).where(Coding.id == coding_id)
                           .execution_options(synchronize_session=False)).rowcount
    if gone != 1:
        raise ConflictError(f"Kodning {coding_id} er allerede slettet af en anden.")
    session.expunge(coding)
    event = log_event(session, actor=actor.name,
                      action="kodning_fortrudt" if undo else "kodning_fjernet",
                      project_id=project_id, object_type="kodning", object_id=coding_id,
                      details=details)
    session.flush()
    return note_id, event.id


def restore_coding(session: Session, *, actor: Actor, project_id: int,
                   event_id: int) -> tuple[int, int]:
    """Undo a deletion: the coding comes back with the same code, offsets, coder and memo
    (under a new id). Returns (note id, new coding id). A deletion is restored once."""
    require(actor, Action.CODE_CASES)
    # Locking the deletion's event (PostgreSQL) serialises two restores of it: the second
    # waits, then sees the first one's "kodning_gendannet" and gets a conflict.
    event = session.get(t.Event, event_id, with_for_update=True)
    if (event is None or event.project_id != project_id
            or event.action not in ("kodning_fjernet", "kodning_fortrudt")):
        raise EffektsporError("Der er ingen sletning af en kodning at fortryde her.")
    details = event.details
    if event.actor != actor.name and actor.role not in _ALL_CODINGS_ROLES:
        raise NotYourCoding(actor, event.actor)
    done = session.scalar(select(t.Event.actor).where(
        t.Event.project_id == project_id, t.Event.action == "kodning_gendannet",
        t.Event.object_type == "sletning", t.Event.object_id == str(event_id)))
    if done is not None:
        raise ConflictError(f"Sletningen er allerede fortrudt af {done}.")
    text = session.scalar(select(t.Note.text).where(t.Note.id == details["notat"]))
    if text is None:
        raise EffektsporError("Notatet findes ikke længere; kodningen kan ikke gendannes.")
    coding = Coding(project_id=project_id, note_id=details["notat"], start=details["start"],
                    end=details["slut"], quote=text[details["start"]:details["slut"]],
                    code_key=details["kode"],
                    coder=details["koder"], memo=details.get("memo"),
                    rule_id=details.get("regel"), codebook_id=details.get("kodebog_id"),
                    codebook_version=details.get("kodebogsversion"),
                    suggestion_id=details.get("forslag"))
    session.add(coding)
    session.flush()
    log_event(session, actor=actor.name, action="kodning_gendannet", project_id=project_id,
              object_type="sletning", object_id=event_id,
              details={"kodning": coding.id, "tidligere_id": event.object_id,
                       "notat": coding.note_id, "kode": coding.code_key,
                       "koder": coding.coder})
    return coding.note_id, coding.id


def update_memo(session: Session, *, actor: Actor, project_id: int, coding_id: int,
                memo: str, previous: str) -> int:
    """Change a coding's memo if it still is ``previous`` (optimistic check); returns the
    note id. If someone changed it meanwhile, :class:`ConflictError` shows their text."""
    coding = _coding_of_project(session, project_id, coding_id)
    _require_may_change(actor, coding.coder)
    new = memo.strip() or None
    changed = session.execute(
        update(Coding).where(Coding.id == coding_id,
                             func.coalesce(Coding.memo, "") == (previous or "").strip())
        .values(memo=new).execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        current = session.execute(select(Coding.memo).where(Coding.id == coding_id)).first()
        if current is None:
            raise ConflictError(f"Kodning {coding_id} er slettet af en anden, mens du skrev.")
        who = session.scalar(select(t.Event.actor).where(
            t.Event.project_id == project_id, t.Event.action == "kodning_memo_ændret",
            t.Event.object_type == "kodning", t.Event.object_id == str(coding_id))
            .order_by(t.Event.id.desc()).limit(1))
        by = f" af {who}" if who else ""
        raise ConflictError(f"Memoet er ændret{by}, mens du skrev. Det lyder nu: "
                            f"»{current[0] or '(tomt)'}«. Dit memo er ikke gemt – ret det "
                            "til, og gem igen.")
    log_event(session, actor=actor.name, action="kodning_memo_ændret", project_id=project_id,
              object_type="kodning", object_id=coding_id,
              details={"notat": coding.note_id, "før": previous or None, "efter": new})
    return coding.note_id


def note_of_coding(session: Session, *, project_id: int, coding_id: int) -> int | None:
    """The note a coding of the project belongs to (None if there is no such coding)."""
    return session.scalar(select(Coding.note_id).where(Coding.id == coding_id,
                                                       Coding.project_id == project_id))


def note_of_deletion(session: Session, *, project_id: int, event_id: int) -> int | None:
    """The note of a deleted coding, from the deletion's event (None if not one)."""
    event = session.get(t.Event, event_id)
    if event is None or event.project_id != project_id or not isinstance(event.details, dict):
        return None
    note_id = event.details.get("notat")
    return note_id if isinstance(note_id, int) else None


def note_of_suggestion(session: Session, *, project_id: int, suggestion_id: int) -> int | None:
    """The note a suggestion of the project is about (None if there is no such one)."""
    return session.scalar(select(Suggestion.note_id).where(
        Suggestion.id == suggestion_id, Suggestion.project_id == project_id))

"""The coding workbench: a case's notes as highlighted pieces with their codings and
open machine suggestions, the codes to choose from and the coder's recent codes.

Reading needs ``Action.READ_CASE_TEXT``; whether each coding may be changed by the actor
comes from ``permissions.may_change``. The changes themselves are in ``codings.py`` and
``undo.py``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from effektspor.coding.codebook import Codebook
from effektspor.coding.segments import segment_text
from effektspor.domain.errors import EffektsporError
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.coding.permissions import may_change
from effektspor.services.coding.shared import stored_codebook
from effektspor.services.coding.suggestions import PROPOSED
from effektspor.services.contract import UnitOfWork
from effektspor.store import tables as t
from effektspor.store.tables_coding import MACHINE_CODER, Coding, Suggestion

DEFAULT_COLOUR = "#f0a500"
RECENT_CODES = 9


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


def recent_codes(*, session: UnitOfWork, actor: Actor, project_id: int,
                 limit: int = RECENT_CODES) -> list[str]:
    """The codes the actor used most recently (newest first, each once)."""
    newest = func.max(Coding.id)
    return list(session.scalars(
        select(Coding.code_key).where(Coding.project_id == project_id,
                                      Coding.coder == actor.name)
        .group_by(Coding.code_key).order_by(newest.desc()).limit(limit)))


def notes_work(*, session: UnitOfWork, actor: Actor, project_id: int, texts: dict[int, str],
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


def case_workbench(*, session: UnitOfWork, actor: Actor, project_id: int,
                   notes: dict[int, str]) -> Workbench:
    """The workbench of a case page: its shown notes (id → text) with their codings."""
    codebook = stored_codebook(session, project_id)
    can_code = actor.can(Action.CODE_CASES)
    return Workbench(
        can_code, code_choices(codebook) if can_code else [],
        recent_codes(session=session, actor=actor, project_id=project_id) if can_code else [],
        notes_work(session=session, actor=actor, project_id=project_id, texts=notes,
                   codebook=codebook))


def note_work(*, session: UnitOfWork, actor: Actor, project_id: int, note_id: int) -> NoteWork:
    """One note of the project with its codings (for re-rendering after a change)."""
    require(actor, Action.READ_CASE_TEXT)
    text = session.scalar(select(t.Note.text).join(t.Case, t.Case.id == t.Note.case_id)
                          .where(t.Note.id == note_id, t.Case.project_id == project_id))
    if text is None:
        raise EffektsporError(f"Notat {note_id} findes ikke i projektet.")
    return notes_work(session=session, actor=actor, project_id=project_id,
                      texts={note_id: text})[note_id]

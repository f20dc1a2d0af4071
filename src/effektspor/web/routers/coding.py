"""The coding workbench (codings of a note: add, delete, undo, memo) and the review of
machine suggestions (/forslag). The routes call the same services as the CLI
(``services/coding/``), which check the actor's role; the request's unit of work
(``deps.get_db``) commits. The note routes answer with the re-rendered note fragment that
htmx swaps in; a conflict (409) or invalid input (400) answers with the same fragment and
a Danish message, and what the failed call wrote is rolled back."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from effektspor.domain.errors import ConflictError, EffektsporError, ValidationError
from effektspor.services.authorization import Action
from effektspor.services.coding import codings, suggestion_review, suggestions, undo, workbench
from effektspor.web.deps import ActorDep, DbDep, ProjectIdDep
from effektspor.web.params import DB_INT_MAX, Id, IdsForm
from effektspor.web.rendering import render

router = APIRouter()

Offset = Annotated[int, Form(ge=0, le=DB_INT_MAX)]


def _message_of(error: EffektsporError) -> str:
    if isinstance(error, ValidationError):
        return "Intet er gemt: " + "; ".join(p.message for p in error.problems) + "."
    return str(error)


def _note(request: Request, db, actor, project_id: int, note_id: int, *, status: int = 200,
          message: str | None = None, kind: str = "ok", undo: dict | None = None) -> Response:
    note = workbench.note_work(session=db, actor=actor, project_id=project_id, note_id=note_id)
    return render(request, "_note.html", status_code=status, note=note,
                  can_code=actor.can(Action.CODE_CASES), message=message, message_kind=kind,
                  undo=undo)


def _failed(request: Request, db, actor, project_id: int, note_id: int | None,
            error: EffektsporError) -> Response:
    db.rollback()  # what the failed call wrote; the unit of work commits nothing else
    status = 409 if isinstance(error, ConflictError) else 400
    if note_id is None:
        return render(request, "error.html", status_code=status,
                      title="Det kunne ikke lade sig gøre", message=_message_of(error))
    return _note(request, db, actor, project_id, note_id, status=status,
                 message=_message_of(error), kind="error")


def _note_of_coding(db, project_id: int, coding_id: int) -> int | None:
    return codings.note_of_coding(session=db, project_id=project_id, coding_id=coding_id)


@router.post("/notater/{note_id}/kodninger")
def add_coding(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
               note_id: Id, start: Offset, slut: Offset, kode: Annotated[str, Form()],
               memo: Annotated[str, Form()] = "") -> Response:
    """Code the passage start–slut (code points) of a note; answers the note fragment."""
    try:
        added = codings.add_coding(session=db, actor=actor, project_id=project_id,
                                   note_id=note_id, start=start, end=slut, code=kode, memo=memo)
    except (ValidationError, ConflictError) as error:
        return _failed(request, db, actor, project_id, note_id, error)
    return _note(request, db, actor, project_id, note_id, message="Kodningen er gemt.",
                 undo={"url": f"/kodninger/{added.coding_id}/fortryd",
                       "label": "Fortryd kodningen"})


def _remove(request: Request, db, actor, project_id: int, coding_id: int, *,
            undoing_addition: bool) -> Response:
    note_id = _note_of_coding(db, project_id, coding_id)
    try:
        removed = codings.remove_coding(session=db, actor=actor, project_id=project_id,
                                        coding_id=coding_id, undoing_addition=undoing_addition)
    except ConflictError as error:
        return _failed(request, db, actor, project_id, note_id, error)
    if undoing_addition:
        return _note(request, db, actor, project_id, removed.note_id,
                     message="Kodningen er fortrudt.")
    return _note(request, db, actor, project_id, removed.note_id,
                 message="Kodningen er slettet.",
                 undo={"url": f"/kodninger/gendan/{removed.event_id}",
                       "label": "Fortryd sletningen"})


@router.post("/kodninger/{coding_id}/slet")
def delete_coding(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
                  coding_id: Id) -> Response:
    """Delete a coding (own codings; analytiker/administrator: all); offers "Fortryd"."""
    return _remove(request, db, actor, project_id, coding_id, undoing_addition=False)


@router.post("/kodninger/{coding_id}/fortryd")
def undo_add(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
             coding_id: Id) -> Response:
    """Undo adding a coding (it is deleted again; logged as "kodning_fortrudt")."""
    return _remove(request, db, actor, project_id, coding_id, undoing_addition=True)


@router.post("/kodninger/gendan/{event_id}")
def undo_delete(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
                event_id: Id) -> Response:
    """Undo a deletion (made here or in the CLI): the coding comes back with the same
    code, offsets, coder and memo."""
    try:
        restored = undo.undo(session=db, actor=actor, project_id=project_id, event_id=event_id)
    except ConflictError as error:
        return _failed(request, db, actor, project_id,
                       undo.note_of_event(session=db, project_id=project_id,
                                          event_id=event_id), error)
    return _note(request, db, actor, project_id, restored.note_id,
                 message="Kodningen er gendannet.")


@router.post("/kodninger/{coding_id}/memo")
def edit_memo(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
              coding_id: Id, memo: Annotated[str, Form()] = "",
              tidligere: Annotated[str, Form()] = "") -> Response:
    """Change a coding's memo; 409 if someone changed it since the form was shown."""
    note_id = _note_of_coding(db, project_id, coding_id)
    try:
        changed = codings.update_memo(session=db, actor=actor, project_id=project_id,
                                      coding_id=coding_id, memo=memo, previous=tidligere)
    except ConflictError as error:
        return _failed(request, db, actor, project_id, note_id, error)
    return _note(request, db, actor, project_id, changed.note_id, message="Memoet er gemt.")


# -- machine suggestions ---------------------------------------------------------------


@router.get("/forslag")
def suggestion_list(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
                    kode: str | None = None, sag: str | None = None,
                    side: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
                    afgjort: Annotated[int | None, Query(ge=0, le=100_000)] = None,
                    udfald: str | None = None) -> Response:
    """Open machine suggestions with their reasons, filtered by code and case number."""
    page = suggestion_review.open_suggestions(session=db, actor=actor, project_id=project_id,
                                              code=kode or None, case=sag or None, page=side)
    filters = {key: value for key, value in (("kode", kode), ("sag", sag)) if value}
    done = None
    if afgjort:
        done = f"{afgjort} forslag {'accepteret' if udfald == 'accepteret' else 'afvist'}."
    return render(request, "suggestions.html", page=page, filters=filters, done=done)


def _decide(request: Request, db, actor, project_id: int, suggestion_id: int, *,
            accept: bool, reason: str, view: str) -> Response:
    try:
        (decision,) = suggestions.decide_suggestions(
            session=db, actor=actor, project_id=project_id, suggestion_ids=[suggestion_id],
            accept=accept, reason=reason)
    except ConflictError as error:
        db.rollback()  # what the failed call wrote
        note_id = suggestions.note_of_suggestion(session=db, project_id=project_id,
                                                 suggestion_id=suggestion_id)
        if view == "notat" and note_id is not None:
            return _failed(request, db, actor, project_id, note_id, error)
        return render(request, "_suggestion_outcome.html", status_code=409,
                      suggestion_id=suggestion_id, message=str(error), kind="error")
    note_id = decision.note_id
    outcome = "accepteret – kodningen er gemt" if accept else "afvist"
    if view == "notat" and note_id is not None:
        return _note(request, db, actor, project_id, note_id,
                     message=f"Forslaget er {outcome}.")
    return render(request, "_suggestion_outcome.html", suggestion_id=suggestion_id,
                  message=f"Forslaget er {outcome}.", kind="ok")


@router.post("/forslag/{suggestion_id}/accepter")
def accept_suggestion(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
                      suggestion_id: Id, visning: Annotated[str, Form()] = "") -> Response:
    """Accept one suggestion: a coding of the whole note in the actor's name."""
    return _decide(request, db, actor, project_id, suggestion_id, accept=True, reason="",
                   view=visning)


@router.post("/forslag/{suggestion_id}/afvis")
def reject_suggestion(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
                      suggestion_id: Id, visning: Annotated[str, Form()] = "",
                      begrundelse: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Reject one suggestion; the optional reason is kept in the event log."""
    return _decide(request, db, actor, project_id, suggestion_id, accept=False,
                   reason=begrundelse, view=visning)


@router.post("/forslag/afgoer")
def decide_selected(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
                    beslutning: Annotated[str, Form()] = "",
                    valgt: IdsForm = [],  # noqa: B006 (FastAPI form list)
                    begrundelse: Annotated[str, Form(max_length=2000)] = "",
                    kode: Annotated[str, Form(max_length=100)] = "",
                    sag: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Accept or reject the selected suggestions together (all or none)."""
    if beslutning not in ("accepter", "afvis"):
        raise EffektsporError("Vælg 'Acceptér valgte' eller 'Afvis valgte'.")
    accept = beslutning == "accepter"
    filters = {key: value for key, value in (("kode", kode), ("sag", sag)) if value}
    try:
        decided = suggestions.decide_suggestions(session=db, actor=actor,
                                                 project_id=project_id, suggestion_ids=valgt,
                                                 accept=accept, reason=begrundelse)
    except ConflictError as error:
        db.rollback()  # all or none: the ones decided before the conflict, too
        return render(request, "error.html", status_code=409, title="Forslagene er ikke afgjort",
                      message=f"{error} Ingen af de valgte forslag er ændret. Genindlæs "
                              "siden, og vælg igen.")
    if not decided:
        return RedirectResponse("/forslag?" + urlencode(filters), status_code=303)
    outcome = {"afgjort": len(decided), "udfald": "accepteret" if accept else "afvist"}
    return RedirectResponse("/forslag?" + urlencode({**filters, **outcome}), status_code=303)

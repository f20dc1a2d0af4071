"""Blind recoding (rekodning): rounds, the coder's work list and blind sheet, agreement and
the disagreements. Every route calls the recoding area's use cases (``services/recoding/``)
in the request's unit of work (``web/deps.get_db`` commits; a route that answers an error
it caught rolls back)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from effektspor.domain.errors import ConflictError, EffektsporError, Problem, ValidationError
from effektspor.services.authorization import PermissionDenied
from effektspor.services.contract import UnitOfWork
from effektspor.services.recoding import agreement, blind_sheet, disagreements, rounds
from effektspor.web.deps import ActorDep, DbDep, ProjectIdDep
from effektspor.web.params import CountQuery, Id, IdQuery
from effektspor.web.rendering import render

router = APIRouter(prefix="/rekodning")

VALUE_FIELD, SEEN_FIELD = "vaerdi_", "tidligere_"


def _whole_number(value: str, label: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise EffektsporError(f"{label} skal være et helt tal (fx 12345), ikke '{value}'.")
    return int(value)


def _home(request: Request, db: UnitOfWork, actor, project_id: int, *,
          status_code: int = 200, error: str | None = None, form: dict | None = None,
          created: int | None = None, excluded: int = 0) -> Response:
    home = rounds.recoding_home(session=db, actor=actor, project_id=project_id)
    new = next((r for r in home.rounds if r.info.id == created), None)
    return render(request, "recoding.html", status_code=status_code, home=home, error=error,
                  form=form or {}, created=new, excluded=excluded)


@router.get("")
def recoding_page(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
                  runde: IdQuery = None, udeladt: CountQuery = 0) -> Response:
    """Analysts: all rounds and the form to assign one; coders: the rounds assigned to them."""
    return _home(request, db, actor, project_id, created=runde, excluded=udeladt)


@router.post("")
def assign(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
           koder: Annotated[str, Form()] = "",
           variabel: Annotated[list[str] | None, Form()] = None,
           hold: Annotated[list[str] | None, Form()] = None,
           antal: Annotated[str, Form()] = "", froe: Annotated[str, Form()] = "") -> Response:
    """Assign a blind sample to a second coder; shows the seed afterwards."""
    form = {"koder": koder, "variabel": variabel or [], "hold": hold or [], "antal": antal,
            "froe": froe}
    try:
        made = rounds.draw_round(
            session=db, actor=actor, project_id=project_id, coder=koder,
            variables=variabel or [],
            teams=hold or [], n_random=_whole_number(antal, "Antal tilfældige sager") or 0,
            seed=_whole_number(froe, "Frøet"))
    except EffektsporError as error:
        if isinstance(error, PermissionDenied):
            raise
        db.rollback()
        return _home(request, db, actor, project_id, status_code=400, error=str(error),
                     form=form)
    query = urlencode({"runde": made.info.id, "udeladt": len(made.excluded)})
    return RedirectResponse(f"/rekodning?{query}", status_code=303)


@router.get("/{round_id}")
def work_list(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
              round_id: Id) -> Response:
    """The round's cases, done or not, and "Næste sag"."""
    work = rounds.work_list(session=db, actor=actor, project_id=project_id, round_id=round_id)
    return render(request, "recoding_round.html", work=work)


def _sheet(request: Request, db: UnitOfWork, actor, project_id: int, round_id: int,
           case_id: int, *, page: int = 1, status_code: int = 200, problems: list | None = None,
           typed: dict | None = None, saved: bool = False) -> Response:
    sheet = blind_sheet.blind_sheet(session=db, actor=actor, project_id=project_id,
                                    round_id=round_id, case_id=case_id, page=page)
    return render(request, "recoding_sheet.html", status_code=status_code, sheet=sheet,
                  problems=problems or [], chosen={**sheet.values, **(typed or {})},
                  saved=saved)


@router.get("/{round_id}/sager/{case_id}")
def sheet_page(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
               round_id: Id, case_id: Id,
               side: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
               gemt: Annotated[int, Query(ge=0, le=1)] = 0) -> Response:
    """The blind sheet: case text and criteria, never another coder's values."""
    return _sheet(request, db, actor, project_id, round_id, case_id, page=side,
                  saved=bool(gemt))


async def _form_fields(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: str(value) for key, value in form.items()}


@router.post("/{round_id}/sager/{case_id}")
def save_sheet(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
               round_id: Id, case_id: Id,
               fields: Annotated[dict[str, str], Depends(_form_fields)]) -> Response:
    """Save the coder's values for the case (one transaction); then the next case or back."""
    values = {k.removeprefix(VALUE_FIELD): v for k, v in fields.items()
              if k.startswith(VALUE_FIELD)}
    seen = {k.removeprefix(SEEN_FIELD): v for k, v in fields.items() if k.startswith(SEEN_FIELD)}
    try:
        saved = blind_sheet.save_blind_values(session=db, actor=actor, project_id=project_id,
                                              round_id=round_id, case_id=case_id,
                                              values=values, seen=seen)
    except ConflictError as conflict:
        db.rollback()
        return _sheet(request, db, actor, project_id, round_id, case_id, status_code=409,
                      problems=[Problem(str(conflict))])
    except ValidationError as error:
        db.rollback()
        return _sheet(request, db, actor, project_id, round_id, case_id, status_code=400,
                      problems=error.problems, typed=values)
    if fields.get("handling") == "naeste" and saved.next_case_id is not None:
        return RedirectResponse(f"/rekodning/{round_id}/sager/{saved.next_case_id}",
                                status_code=303)
    if fields.get("handling") == "naeste":
        return RedirectResponse(f"/rekodning/{round_id}", status_code=303)
    return RedirectResponse(f"/rekodning/{round_id}/sager/{case_id}?gemt=1", status_code=303)


@router.get("/{round_id}/enighed")
def agreement_page(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
                   round_id: Id, foerste_koder: str | None = None) -> Response:
    """Agreement per variable (n, %, κ, α with 95 % intervals) and the disagreements;
    with ``foerste_koder`` also the note codings compared in characters."""
    view = agreement.agreement(session=db, actor=actor, project_id=project_id,
                               round_id=round_id, first_note_coder=foerste_koder)
    return render(request, "recoding_agreement.html", view=view)


@router.post("/{round_id}/uenigheder")
def resolve(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
            round_id: Id, sag: Annotated[str, Form()] = "",
            variabel: Annotated[str, Form()] = "", vaerdi: Annotated[str, Form()] = "",
            begrundelse: Annotated[str, Form()] = "",
            afgjort: Annotated[str, Form()] = "") -> Response:
    """Settle a disagreement (final value + reason); htmx gets the updated item back."""
    inline = bool(request.headers.get("HX-Request"))
    status_code, error = 200, None
    try:
        item = disagreements.settle_disagreement(
            session=db, actor=actor, project_id=project_id, round_id=round_id,
            case_external_id=sag, variable=variabel, final_value=vaerdi, reason=begrundelse,
            seen_final_value=afgjort)
    except ConflictError as conflict:
        db.rollback()
        status_code, error = 409, str(conflict)
    except EffektsporError as problem:
        if isinstance(problem, PermissionDenied):
            raise
        db.rollback()
        status_code, error = 400, str(problem)
    if error is not None:
        if not inline:
            return render(request, "error.html", status_code=status_code,
                          title="Uenigheden blev ikke afgjort", message=error)
        found = disagreements.disagreements(session=db, actor=actor, project_id=project_id,
                                            round_id=round_id, case_external_id=sag,
                                            variable=variabel)
        if not found:
            return render(request, "error.html", status_code=status_code,
                          title="Uenigheden blev ikke afgjort", message=error)
        item = found[0]
        return render(request, "_recoding_disagreement.html", status_code=status_code,
                      item=item, round_id=round_id, error=error,
                      typed={"vaerdi": vaerdi, "begrundelse": begrundelse})
    if not inline:
        return RedirectResponse(f"/rekodning/{round_id}/enighed#uenighed-{item.key}",
                                status_code=303)
    return render(request, "_recoding_disagreement.html", item=item, round_id=round_id,
                  error=None, typed={}, just_settled=True)

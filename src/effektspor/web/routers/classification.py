"""The classification sheet of a case, saving one value, and the classification queue."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from effektspor.services.classification.queue import classification_queue, next_case_id
from effektspor.services.classification.sheet import view_sheet
from effektspor.services.classification.values import ClassificationConflict, set_value
from effektspor.web.deps import ActorDep, DbDep, ProjectIdDep
from effektspor.web.params import Id, IdQuery
from effektspor.web.rendering import render
from effektspor.web.routers.recoding import router as recoding_router

router = APIRouter()


def _sheet_page(request: Request, db, actor, project_id: int, case_id: int, *,
                saved: str | None = None, conflict: ClassificationConflict | None = None,
                conflict_variable: str | None = None, status_code: int = 200) -> Response:
    sheet = view_sheet(session=db, actor=actor, project_id=project_id, case_id=case_id)
    saved_label = next((v.label for v in sheet.variables if v.name == saved), None)
    return render(request, "classification.html", status_code=status_code, sheet=sheet,
                  saved=saved_label, conflict=conflict, conflict_variable=conflict_variable,
                  recoding_page=recoding_router.prefix)


@router.get("/sager/{case_id}/klassifikation")
def sheet_page(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
               case_id: Id, gemt: str | None = None) -> Response:
    """The classification sheet: values, criteria, the discharge report (view is logged)."""
    return _sheet_page(request, db, actor, project_id, case_id, saved=gemt)


@router.post("/sager/{case_id}/klassifikation")
def save_sheet_value(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
                     case_id: Id, variabel: Annotated[str, Form()],
                     kendt: Annotated[str, Form()], vaerdi: Annotated[str, Form()] = "",
                     begrundelse: Annotated[str, Form()] = "") -> Response:
    """Confirm or change one variable; 409 with the other person's value if it changed."""
    try:
        set_value(session=db, actor=actor, project_id=project_id, case_id=case_id,
                  variable=variabel, value=vaerdi, seen_version=kendt, reason=begrundelse)
    except ClassificationConflict as conflict:
        db.rollback()
        return _sheet_page(request, db, actor, project_id, case_id, conflict=conflict,
                           conflict_variable=variabel, status_code=409)
    target = f"/sager/{case_id}/klassifikation?gemt={quote(variabel)}#var-{quote(variabel)}"
    return RedirectResponse(target, status_code=303)


@router.get("/klassifikation")
def queue_page(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
               faerdig: str | None = None) -> Response:
    """Progress per variable and the cases whose classification is not confirmed yet."""
    queue = classification_queue(session=db, actor=actor, project_id=project_id)
    return render(request, "classification_queue.html", queue=queue, done=bool(faerdig),
                  recoding_page=recoding_router.prefix)


@router.get("/klassifikation/naeste")
def next_case(db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
              efter: IdQuery = None) -> Response:
    """Open the next case that still needs confirmation (or the queue, when none does)."""
    case_id = next_case_id(session=db, actor=actor, project_id=project_id, after=efter)
    target = "/klassifikation?faerdig=1" if case_id is None else \
        f"/sager/{case_id}/klassifikation"
    return RedirectResponse(target, status_code=303)

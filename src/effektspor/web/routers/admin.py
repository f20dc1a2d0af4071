"""Administration: the event log and the user accounts (administrators only)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from effektspor.domain.errors import ValidationError
from effektspor.services.accounts import users as user_service
from effektspor.services.project.event_log import read_event_log
from effektspor.web.deps import ActorDep, DbDep, ProjectIdDep
from effektspor.web.params import Id
from effektspor.web.rendering import render

router = APIRouter(prefix="/admin")


@router.get("/log")
def event_log(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
              bruger: str | None = None, handling: str | None = None,
              side: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> Response:
    """The event log, newest first, filtered by user (bruger) and action (handling)."""
    log = read_event_log(session=db, actor=actor, project_id=project_id, user=bruger or None,
                         action=handling or None, page=side)
    filters = {key: value for key, value in (("bruger", bruger), ("handling", handling))
               if value}
    return render(request, "events.html", log=log, filters=filters)


def _users_page(request: Request, db: DbDep, actor: ActorDep, *, status_code: int = 200,
                problems: list | None = None, form: dict | None = None,
                created: str | None = None) -> Response:
    users = user_service.list_users(session=db, actor=actor)
    return render(request, "users.html", status_code=status_code, users=users,
                  problems=problems or [], form=form or {}, created=created)


@router.get("/brugere")
def users(request: Request, db: DbDep, actor: ActorDep,
          oprettet: str | None = None) -> Response:
    """The user accounts, with a form to create one."""
    return _users_page(request, db, actor, created=oprettet)


@router.post("/brugere")
def create_user(request: Request, db: DbDep, actor: ActorDep,
                brugernavn: Annotated[str, Form()] = "", adgangskode: Annotated[str, Form()] = "",
                rolle: Annotated[str, Form()] = "", sagstekst: Annotated[str, Form()] = "") -> Response:
    """Create a user; problems are shown next to the form and nothing is saved."""
    try:
        user = user_service.create_user(session=db, actor=actor, username=brugernavn,
                                        password=adgangskode, role=rolle,
                                        case_text_granted=sagstekst == "1")
    except ValidationError as error:
        db.rollback()
        return _users_page(request, db, actor, status_code=400, problems=error.problems,
                           form={"brugernavn": brugernavn, "rolle": rolle})
    return RedirectResponse("/admin/brugere?" + urlencode({"oprettet": user.username}),
                            status_code=303)


@router.post("/brugere/{user_id}/aktiv")
def set_active(db: DbDep, actor: ActorDep, user_id: Id,
               aktiv: Annotated[str, Form()] = "") -> Response:
    """Activate (aktiv=1) or deactivate (aktiv=0) a user."""
    user_service.set_user_active(session=db, actor=actor, user_id=user_id, active=aktiv == "1")
    return RedirectResponse("/admin/brugere", status_code=303)


@router.post("/brugere/{user_id}/sagstekst")
def set_case_text(db: DbDep, actor: ActorDep, user_id: Id,
                  tildelt: Annotated[str, Form()] = "") -> Response:
    """Grant (tildelt=1) or withdraw (tildelt=0) a leder's access to case text."""
    user_service.set_case_text_grant(session=db, actor=actor, user_id=user_id,
                                 granted=tildelt == "1")
    return RedirectResponse("/admin/brugere", status_code=303)

"""The case list (filters, search, pages) and the case view (timeline)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from effektspor.domain.errors import EffektsporError
from effektspor.services.cases.case_list import list_cases
from effektspor.services.cases.case_view import note_location, view_case
from effektspor.services.coding.workbench import case_workbench
from effektspor.web.deps import ActorDep, DbDep, ProjectIdDep
from effektspor.web.params import Id
from effektspor.web.rendering import render

router = APIRouter()


def _parse_year(value: str | None) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) != 4:
        raise EffektsporError(f"Året '{value}' er ikke et årstal (fx 2019).")
    return int(value)


@router.get("/sager")
def case_list(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
              hold: str | None = None, aar: str | None = None, q: str | None = None,
              maalopnaaelse: str | None = None, problemstilling: str | None = None,
              problemgrad: str | None = None, kode: str | None = None,
              side: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> Response:
    """The cases, filtered by team (hold), closing year (aar), free text (q), the three
    classifications (by variable name) and a code of the codebook (kode)."""
    values = {"maalopnaaelse": maalopnaaelse, "problemstilling": problemstilling,
              "problemgrad": problemgrad}
    page = list_cases(session=db, actor=actor, project_id=project_id, team=hold or None,
                      year=_parse_year(aar), query=q, page=side, values=values,
                      code=kode or None)
    filters = {key: value for key, value in (("hold", hold), ("aar", aar), ("q", q),
                                             *values.items(), ("kode", kode)) if value}
    partial = request.headers.get("HX-Request") and not request.headers.get("HX-Boosted")
    return render(request, "_case_table.html" if partial else "cases.html", page=page,
                  filters=filters)


@router.get("/sager/{case_id}")
def case_page(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
              case_id: Id, side: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> Response:
    """One case as a timeline of its documents and diary notes (the view is logged)."""
    case = view_case(session=db, actor=actor, project_id=project_id, case_id=case_id, page=side)
    work = case_workbench(session=db, actor=actor, project_id=project_id,
                          notes={e.id: e.text for e in case.timeline if e.kind == "notat"})
    return render(request, "case.html", case=case, work=work)


@router.get("/notater/{note_id}")
def note_link(db: DbDep, actor: ActorDep, project_id: ProjectIdDep, note_id: Id) -> Response:
    """A link to one diary note: its case's timeline on the page that shows it."""
    case_id, page = note_location(session=db, actor=actor, project_id=project_id, note_id=note_id)
    return RedirectResponse(f"/sager/{case_id}?side={page}#notat-{note_id}", status_code=303)

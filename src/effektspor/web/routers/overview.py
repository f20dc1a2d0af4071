"""The project overview: the material at a glance."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from effektspor.services.cases.overview import project_overview
from effektspor.web.deps import ActorDep, DbDep, ProjectIdDep
from effektspor.web.rendering import render

router = APIRouter()


@router.get("/")
def overview(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep) -> Response:
    """Counts of cases, documents, notes, imports and pseudonymisation."""
    data = project_overview(session=db, actor=actor, project_id=project_id)
    return render(request, "overview.html", overview=data)

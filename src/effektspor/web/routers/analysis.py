"""Analysis pages (crosstabs, configurations, drill-down to cases and quotes) and report
downloads. Routes are sync: FastAPI runs them in its threadpool, so generating a report
does not hold up other users' requests."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask

from effektspor.domain.errors import EffektsporError
from effektspor.services.analysis.configurations import (
    CONSISTENCY_CUTS,
    configuration_cases,
    configurations,
    features_of_project,
)
from effektspor.services.analysis.configurations import PRESETS as CONFIGURATION_PRESETS
from effektspor.services.analysis.crosstabs import (
    DEFAULT_PRESET,
    PRESETS,
    analyse_crosstab,
    analysis_choices,
    drill_down,
)
from effektspor.services.analysis.frame import grouped
from effektspor.services.authorization import Action, require
from effektspor.services.reports.downloads import FORMATS, generate_report, report_offers
from effektspor.web.deps import ActorDep, DbDep, ProjectIdDep
from effektspor.web.rendering import render

router = APIRouter()


def _partial(request: Request) -> bool:
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-Boosted")


@router.get("/analyse")
def crosstab_page(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
                  raekke: str | None = None, kolonne: str | None = None,
                  tabel: str | None = None) -> Response:
    """Crosstab of two case variables or codes; ``tabel`` picks a published table."""
    require(actor, Action.VIEW_REPORTS)
    preset = next((p for p in PRESETS if p.key == tabel), None)
    if preset is not None:
        raekke, kolonne = preset.rows, preset.cols
    elif raekke is None:
        raekke, kolonne = DEFAULT_PRESET.rows, DEFAULT_PRESET.cols
    view, error, status = None, None, 200
    try:
        view = analyse_crosstab(session=db, actor=actor, project_id=project_id, rows=raekke,
                                cols=kolonne or "")
    except EffektsporError as problem:
        error, status = str(problem), 400
    template = "_crosstab.html" if _partial(request) else "analysis.html"
    return render(request, template, view=view, error=error, presets=PRESETS,
                  choices=view.choices if view else analysis_choices(
                      session=db, actor=actor, project_id=project_id),
                  raekke=raekke, kolonne=kolonne or "", status_code=status, groups=grouped)


@router.get("/analyse/celle")
def cell_page(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
              raekke: str = DEFAULT_PRESET.rows, kolonne: str = "", rv: str = "",
              kv: str = "") -> Response:
    """The cases behind one number of a crosstab (quotes for those who may read them)."""
    view = drill_down(session=db, actor=actor, project_id=project_id, rows=raekke,
                      cols=kolonne, row_value=rv, col_value=kv)
    return render(request, "analysis_cases.html", view=view)


def _feature_groups(features: list) -> list:
    return grouped(features, group=lambda feature: feature.choice.group)


def _cut(value: str | None) -> float:
    try:
        return float((value or "1").replace(",", "."))
    except ValueError:
        raise EffektsporError("Konsistensgrænsen skal være et tal.") from None


@router.get("/analyse/konfigurationer")
def configurations_page(request: Request, db: DbDep, actor: ActorDep, project_id: ProjectIdDep,
                        udfald: str | None = None,
                        betingelse: Annotated[list[str] | None, Query()] = None,
                        konsistens: str | None = None, forvalg: str | None = None) -> Response:
    """Truth table of an outcome and 2–4 conditions; each configuration drills down."""
    require(actor, Action.VIEW_REPORTS)
    preset = next((p for p in CONFIGURATION_PRESETS if p.key == forvalg), None)
    if preset is not None:
        udfald, betingelse = preset.outcome, list(preset.conditions)
        konsistens = str(preset.cut)
    view, error, status = None, None, 200
    if udfald:
        try:
            view = configurations(session=db, actor=actor, project_id=project_id, outcome=udfald,
                                  conditions=betingelse or [], cut=_cut(konsistens))
        except EffektsporError as problem:
            error, status = str(problem), 400
    return render(request, "_configurations.html" if _partial(request) else
                  "configurations.html", view=view, error=error, status_code=status,
                  features=view.features if view else features_of_project(
                      session=db, actor=actor, project_id=project_id),
                  presets=CONFIGURATION_PRESETS, cuts=CONSISTENCY_CUTS, udfald=udfald or "",
                  betingelser=(betingelse or []) + [""] * (4 - len(betingelse or [])),
                  konsistens=_cut(konsistens), groups=_feature_groups)


@router.get("/analyse/konfigurationer/sager")
def configuration_cases_page(request: Request, db: DbDep, actor: ActorDep,
                             project_id: ProjectIdDep, udfald: str | None = None,
                             betingelse: Annotated[list[str] | None, Query()] = None,
                             konfiguration: str = "", konsistens: str | None = None
                             ) -> Response:
    """The cases of one configuration (quotes for those who may read them)."""
    require(actor, Action.VIEW_REPORTS)
    if not udfald:
        return render(request, "analysis_cases.html", view=None)
    view = configuration_cases(session=db, actor=actor, project_id=project_id,
                               outcome=udfald, conditions=betingelse or [],
                               configuration=konfiguration, cut=_cut(konsistens))
    return render(request, "analysis_cases.html", view=view)


@router.get("/rapporter")
def reports_page(request: Request, actor: ActorDep) -> Response:
    """The reports this actor may download, in each format."""
    return render(request, "reports.html", offers=report_offers(actor=actor), formats=FORMATS)


def _download(db, project_id: int, actor, report: str, fmt: str) -> Response:
    generated = generate_report(session=db, actor=actor, project_id=project_id,
                                report=report, fmt=fmt)
    return FileResponse(generated.path, media_type=generated.media_type,
                        filename=generated.filename, background=BackgroundTask(
                            generated.cleanup))


@router.get("/rapporter/aarsrapport/{fmt}")
def yearly_report(db: DbDep, project_id: ProjectIdDep, actor: ActorDep, fmt: str) -> Response:
    """The internal yearly report (cases and quotes: needs access to case text)."""
    return _download(db, project_id, actor, "aarsrapport", fmt)


@router.get("/rapporter/aarsrapport-pixi/{fmt}")
def yearly_report_pixi(db: DbDep, project_id: ProjectIdDep, actor: ActorDep, fmt: str) -> Response:
    """The pixi edition of the yearly report (no case numbers or quotes)."""
    return _download(db, project_id, actor, "aarsrapport-pixi", fmt)


@router.get("/rapporter/dokumentationsanalyse/{fmt}")
def documentation_report(db: DbDep, project_id: ProjectIdDep, actor: ActorDep,
                         fmt: str) -> Response:
    """The documentation analysis (counts only)."""
    return _download(db, project_id, actor, "dokumentationsanalyse", fmt)

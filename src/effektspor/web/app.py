"""The app factory: ``create_app(settings)`` builds a FastAPI app for one project folder.

There is no module-level app or engine. ``effektspor serve`` starts uvicorn with the
factory ``create_app_from_environment``, which reads the settings from EFFEKTSPOR_WEB_*.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from effektspor.domain.errors import ConflictError, EffektsporError
from effektspor.services.accounts.login import utc_now
from effektspor.services.authorization import PermissionDenied
from effektspor.services.cases.case_view import CaseNotFound
from effektspor.services.contract import local_actor
from effektspor.services.project import open_project
from effektspor.web.deps import verify_csrf
from effektspor.web.guards import (
    AllowedHostsMiddleware,
    ControlCharacterMiddleware,
    SecurityHeadersMiddleware,
)
from effektspor.web.rendering import make_templates, render
from effektspor.web.routers import (
    admin,
    analysis,
    auth,
    cases,
    classification,
    coding,
    overview,
    recoding,
)
from effektspor.web.security import CsrfRejected, LoginRequired, WebContext, safe_next_path
from effektspor.web.settings import Settings

STATIC_DIR = Path(__file__).parent / "static"
logger = logging.getLogger("effektspor.web")
UNEXPECTED_MESSAGE = ("Der skete en uventet fejl. Fejlen er skrevet i serverens log; "
                      "prøv igen, eller kontakt en administrator.")
UNEXPECTED_FALLBACK = ('<!doctype html><html lang="da"><head><meta charset="utf-8">'
                       "<title>Uventet fejl – effektspor</title></head><body>"
                       f"<h1>Uventet fejl</h1><p>{UNEXPECTED_MESSAGE}</p></body></html>")


def create_app(settings: Settings, *, clock: Callable[[], datetime] = utc_now) -> FastAPI:
    """Build the web app for the project in ``settings.project_dir``.

    Local mode serves one user without login and refuses a shared (non-SQLite) database;
    server mode requires a secret key and login. ``clock`` is injectable for tests.
    """
    key = settings.signing_key()
    host_names, proxies = settings.host_names(), settings.proxy_addresses()
    project = open_project(settings.project_dir, migrate_local=not settings.server_mode)
    if not settings.server_mode and not project.is_local:
        project.close()
        raise EffektsporError("Projektet bruger en delt database. Start webappen med "
                              "'effektspor serve --server', så alle skal logge ind.")
    context = WebContext(settings=settings, project=project, key=key, policy=settings.policy(),
                         clock=clock, templates=make_templates(),
                         local_actor=None if settings.server_mode else local_actor(project),
                         local_csrf=secrets.token_urlsafe(32))

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        project.close()

    app = FastAPI(title="effektspor", docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=lifespan, dependencies=[Depends(verify_csrf)])
    app.state.web = context
    # Added innermost first: a request passes the headers, the proxy, the host and the
    # control-character guard in that order before any route sees it.
    app.add_middleware(ControlCharacterMiddleware)
    app.add_middleware(AllowedHostsMiddleware, allowed_hosts=host_names)
    if proxies:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=proxies)
    app.add_middleware(SecurityHeadersMiddleware, headers=settings.security_headers())

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in (auth.router, overview.router, cases.router, coding.router,
                   classification.router, recoding.router, analysis.router, admin.router):
        app.include_router(router)
    _add_error_handlers(app)
    return app


def _error_page(request: Request, status_code: int, title: str, message: str) -> HTMLResponse:
    return render(request, "error.html", status_code=status_code, title=title, message=message)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _exc: LoginRequired) -> Response:
        target = "/login?" + _next_query(request)
        if request.headers.get("HX-Request"):
            return Response(status_code=401, headers={"HX-Redirect": target})
        if request.method == "GET":
            return RedirectResponse(target, status_code=303)
        return _error_page(request, 401, "Log ind", "Du skal logge ind for at gøre dette.")

    @app.exception_handler(CsrfRejected)
    async def csrf_rejected(request: Request, _exc: CsrfRejected) -> Response:
        return _error_page(request, 403, "Formularen er ikke gyldig",
                           "Formularen var udløbet eller kom ikke fra effektspor (CSRF-tjek). "
                           "Genindlæs siden, og prøv igen.")

    @app.exception_handler(PermissionDenied)
    async def permission_denied(request: Request, exc: PermissionDenied) -> Response:
        return _error_page(request, 403, "Ingen adgang", str(exc))

    @app.exception_handler(CaseNotFound)
    async def case_not_found(request: Request, exc: CaseNotFound) -> Response:
        return _error_page(request, 404, "Sagen findes ikke", str(exc))

    @app.exception_handler(ConflictError)
    async def conflict(request: Request, exc: ConflictError) -> Response:
        return _error_page(request, 409, "Nogen kom før dig", str(exc))

    @app.exception_handler(EffektsporError)
    async def effektspor_error(request: Request, exc: EffektsporError) -> Response:
        return _error_page(request, 400, "Det kunne ikke lade sig gøre", str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        if errors and all(e.get("loc", ("",))[0] == "path" for e in errors):
            # e.g. /sager/99999999999999999999 or /sager/-1: no such page (see params.py)
            return _not_found(request)
        fields = ", ".join(sorted({str(e["loc"][-1]) for e in errors if e.get("loc")}))
        return _error_page(request, 400, "Ugyldig forespørgsel",
                           f"Forespørgslen havde ugyldige eller manglende felter: {fields}.")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return _not_found(request)
        if exc.status_code == 405:
            return _error_page(request, 405, "Ikke tilladt",
                               "Denne adresse kan ikke bruges på den måde.")
        return _error_page(request, exc.status_code, "Fejl", str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        # Starlette answers this outside every middleware: add the headers here. The page
        # never shows the exception (no traceback, SQL or parameters); the log has it.
        logger.exception("Uventet fejl i %s %s", request.method, request.url.path)
        try:
            response = _error_page(request, 500, "Uventet fejl", UNEXPECTED_MESSAGE)
        except Exception:  # e.g. the template itself failed: a page without it
            logger.exception("Fejlsiden kunne ikke vises")
            response = HTMLResponse(UNEXPECTED_FALLBACK, status_code=500)
        response.headers.update(request.app.state.web.settings.security_headers())
        response.headers["Cache-Control"] = "no-store"
        return response


def _not_found(request: Request) -> Response:
    return _error_page(request, 404, "Siden findes ikke",
                       "Adressen findes ikke i effektspor. Brug menuen øverst.")


def _next_query(request: Request) -> str:
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return urlencode({"next": safe_next_path(path)})


def create_app_from_environment() -> FastAPI:
    """Factory for uvicorn (``--factory``): settings from EFFEKTSPOR_WEB_* variables."""
    return create_app(Settings())

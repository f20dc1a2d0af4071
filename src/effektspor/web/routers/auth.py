"""Login and logout (server mode). Local mode has one user and no login."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from effektspor.services.accounts.login import begin_login, finish_login
from effektspor.services.accounts.sessions import end_session, start_session
from effektspor.web.deps import ContextDep, DbDep, IdentityDep
from effektspor.web.rendering import render
from effektspor.web.security import WebContext, new_login_nonce, safe_next_path

router = APIRouter()


def _client_ip(request: Request) -> str:
    """The client's address: the connecting peer, or what a trusted proxy reported (see
    ``Settings.forwarded_allow_ips``); never an X-Forwarded-For header sent by anyone."""
    return request.client.host if request.client else "ukendt"


def _login_form(request: Request, context: WebContext, *, next_path: str,
                message: str | None = None, username: str = "",
                status_code: int = 200) -> Response:
    nonce = new_login_nonce()
    response = render(request, "login.html", status_code=status_code,
                      login_csrf=context.mac(f"login:{nonce}"), next_path=next_path,
                      message=message, username=username)
    response.set_cookie(context.login_cookie, nonce, max_age=3600, **context.cookie_options())
    return response


@router.get("/login")
def login_page(request: Request, context: ContextDep, identity: IdentityDep,
               next: str = "/") -> Response:
    """The login form (straight on to the app if no login is needed)."""
    if not context.settings.server_mode or identity.actor is not None:
        return RedirectResponse(safe_next_path(next), status_code=303)
    return _login_form(request, context, next_path=safe_next_path(next))


@router.post("/login")
def login(request: Request, context: ContextDep, db: DbDep, identity: IdentityDep,
          brugernavn: Annotated[str, Form()] = "", adgangskode: Annotated[str, Form()] = "",
          next: Annotated[str, Form()] = "/") -> Response:
    """Check the user name and password; on success start a session and go on."""
    next_path = safe_next_path(next)
    if not context.settings.server_mode:
        return RedirectResponse(next_path, status_code=303)
    ip = _client_ip(request)
    start = begin_login(session=db, username=brugernavn, ip=ip, policy=context.policy,
                        now=context.clock())
    # The one commit a route makes: the attempt must be committed (so parallel attempts
    # count it, and the lock on the address is released) before the slow password check.
    # The request's unit of work commits the rest when the route returns.
    db.commit()
    result = finish_login(session=db, start=start, password=adgangskode, now=context.clock())
    if result.actor is None:
        return _login_form(request, context, next_path=next_path, message=result.message,
                           username=brugernavn, status_code=429 if result.throttled else 401)
    if identity.session_token:  # a new login replaces any earlier session of this browser
        end_session(session=db, token=identity.session_token, actor=result.actor)
    new = start_session(session=db, actor=result.actor, ip=ip, now=context.clock())
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(context.session_cookie, context.sign(new.token),
                        **context.cookie_options())
    response.delete_cookie(context.login_cookie, path="/")
    return response


@router.post("/logout")
def logout(context: ContextDep, db: DbDep, identity: IdentityDep) -> Response:
    """End the session and return to the login page."""
    if identity.session_token and identity.actor is not None:
        end_session(session=db, token=identity.session_token, actor=identity.actor)
    target = "/login" if context.settings.server_mode else "/"
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(context.session_cookie, path="/")
    return response

"""Signed cookies, who is asking (identity) and CSRF verification for every request.

Server mode: the session cookie holds a random token signed with the server's key; the
session row (found by the token's hash) holds the synchronizer CSRF token. Before login,
the login form's CSRF token is the HMAC of a random value in a separate cookie.
Local mode: one user, no login; a random per-process CSRF token still stops other web
sites in the same browser from posting to the local app.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from fastapi import Request
from fastapi.templating import Jinja2Templates

from effektspor.services.accounts.login import SecurityPolicy
from effektspor.services.accounts.sessions import resolve_session
from effektspor.services.authorization import Actor
from effektspor.services.contract import UnitOfWork
from effektspor.services.project import ProjectContext
from effektspor.web.settings import Settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class LoginRequired(Exception):
    """The request needs a logged-in user (handled by redirecting to the login page)."""


class CsrfRejected(Exception):
    """A state-changing request without a valid CSRF token."""


@dataclass
class WebContext:
    """Everything the routes need, built once by create_app and kept on app.state."""

    settings: Settings
    project: ProjectContext
    key: bytes
    policy: SecurityPolicy
    clock: Callable[[], datetime]
    templates: Jinja2Templates
    local_actor: Actor | None
    local_csrf: str

    @property
    def session_cookie(self) -> str:
        """Name of the session cookie (``__Host-`` prefix when served over HTTPS)."""
        return "__Host-effektspor" if self.settings.secure_cookies else "effektspor_session"

    @property
    def login_cookie(self) -> str:
        """Name of the cookie behind the login form's CSRF token."""
        return ("__Host-effektspor-login" if self.settings.secure_cookies
                else "effektspor_login")

    def sign(self, value: str) -> str:
        """``value`` with an HMAC-SHA256 signature appended."""
        return f"{value}.{self.mac(value)}"

    def mac(self, value: str) -> str:
        """The URL-safe HMAC-SHA256 of ``value`` under the server key."""
        digest = hmac.new(self.key, value.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def unsign(self, signed: str | None) -> str | None:
        """The value of a signed string, or None if the signature is missing or wrong."""
        if not signed or "." not in signed:
            return None
        value, _, signature = signed.rpartition(".")
        return value if hmac.compare_digest(signature, self.mac(value)) else None

    def cookie_options(self) -> dict:
        """Flags of every cookie the app sets."""
        return {"httponly": True, "samesite": "lax", "secure": self.settings.secure_cookies,
                "path": "/"}


@dataclass
class Identity:
    """Who sent a request: the actor (None = not logged in) and the expected CSRF token."""

    actor: Actor | None
    csrf_token: str | None
    session_token: str | None = None


def new_login_nonce() -> str:
    """A random value for the login-form cookie."""
    return secrets.token_urlsafe(24)


def resolve_identity(request: Request, context: WebContext,
                     db: UnitOfWork) -> Identity:
    """Find who is asking, once per request (cached on ``request.state``)."""
    cached = getattr(request.state, "identity", None)
    if cached is not None:
        return cached
    if not context.settings.server_mode:
        identity = Identity(context.local_actor, context.local_csrf)
    else:
        identity = Identity(None, None)
        token = context.unsign(request.cookies.get(context.session_cookie))
        if token:
            active = resolve_session(session=db, token=token, policy=context.policy,
                                     now=context.clock())
            if db.dirty or db.deleted:  # the idle deadline moved, or the session expired
                db.commit()
            if active is not None:
                identity = Identity(active.actor, active.csrf_token, token)
    request.state.identity = identity
    return identity


async def submitted_csrf_token(request: Request) -> str | None:
    """The CSRF token sent with a request: the htmx header or the hidden form field."""
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()  # cached by Starlette; the route reads the same form
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


def expected_csrf_token(request: Request, context: WebContext,
                        identity: Identity) -> str | None:
    """The token a state-changing request must carry, or None if none can be valid."""
    if identity.csrf_token:
        return identity.csrf_token
    nonce = request.cookies.get(context.login_cookie)
    return context.mac(f"login:{nonce}") if nonce else None


async def check_csrf(request: Request, context: WebContext, identity: Identity) -> None:
    """Raise :class:`CsrfRejected` for a state-changing request without the right token."""
    if request.method in SAFE_METHODS:
        return
    expected = expected_csrf_token(request, context, identity)
    submitted = await submitted_csrf_token(request)
    if not expected or not submitted or not hmac.compare_digest(expected, submitted):
        raise CsrfRejected()


def safe_next_path(value: str | None) -> str:
    """A local path to go to after login (never another site: no open redirect)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value

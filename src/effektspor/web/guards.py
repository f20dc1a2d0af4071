"""ASGI middleware that guards every request and response, whatever route (or none) answers.

* :class:`SecurityHeadersMiddleware` puts the security headers on every response: pages,
  redirects, static files, and the error answers of the other middleware and handlers.
* :class:`AllowedHostsMiddleware` answers 400 to a Host header the server is not set up
  for (DNS rebinding, forged links).
* :class:`ControlCharacterMiddleware` answers 400 to a path, query parameter or form field
  with a control character (NUL and the other C0 characters; tab and line breaks only in
  multi-line text fields), before any route or the database sees it. PostgreSQL refuses
  NUL in text, and no one types the others into a form.

They are plain ASGI classes (not ``BaseHTTPMiddleware``), so streamed and file responses
pass through untouched.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from markupsafe import escape
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from effektspor.web.rendering import render

STATIC_PREFIX = "/static/"
#: Form fields of multi-line text (a textarea, or free prose such as a reason), where tab
#: and line breaks are allowed; every other field is one line.
MULTILINE_FIELDS = frozenset({"memo", "begrundelse"})
_ANY_CONTROL = re.compile("[\x00-\x1f\x7f]")
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class SecurityHeadersMiddleware:
    """Add ``headers`` (unless the response set its own) and ``Cache-Control: no-store``
    outside /static/ to every HTTP response."""

    def __init__(self, app: ASGIApp, *, headers: dict[str, str]) -> None:
        self.app = app
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith(STATIC_PREFIX)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
                if not static:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def host_of(header: str) -> str:
    """The host name of a Host header, lower case and without the port."""
    header = header.strip().lower()
    if header.startswith("["):  # IPv6 literal, e.g. [::1]:8000
        return header[:header.find("]") + 1] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def host_allowed(host: str, allowed: list[str]) -> bool:
    """True if ``host`` is one of ``allowed``; "*.kommune.dk" matches its subdomains."""
    for pattern in allowed:
        pattern = pattern.lower()
        if pattern == "*" or host == pattern:
            return True
        if pattern.startswith("*.") and host.endswith(pattern[1:]):
            return True
    return False


class AllowedHostsMiddleware:
    """Answer 400 (plain Danish text, nothing about the project) to an unknown Host."""

    def __init__(self, app: ASGIApp, *, allowed_hosts: list[str]) -> None:
        self.app = app
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            host = host_of(Headers(scope=scope).get("host", ""))
            if not host_allowed(host, self.allowed_hosts):
                response = PlainTextResponse(
                    "Ukendt værtsnavn. Serveren svarer kun på de navne, den er sat op til "
                    "(EFFEKTSPOR_WEB_ALLOWED_HOSTS / --vaertsnavn).", status_code=400)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def control_character_problem(name: str, value: str, *, multiline: bool = False) -> str | None:
    """A Danish description of a control character in a field, or None when it is clean."""
    pattern = _CONTROL_BUT_LINES if multiline else _ANY_CONTROL
    if _ANY_CONTROL.search(name):
        return "Et feltnavn i forespørgslen indeholder et kontroltegn (fx et nul-tegn)."
    if pattern.search(value):
        which = "et kontroltegn (fx et nul-tegn)" if multiline else \
            "et kontroltegn (fx et nul-tegn, en tabulator eller et linjeskift)"
        return f"Feltet '{name}' indeholder {which}, som effektspor ikke kan gemme eller " \
               "søge efter."
    return None


class ControlCharacterMiddleware:
    """Answer 400 to control characters in the path, the query string or a form body."""

    def __init__(self, app: ASGIApp, *,
                 multiline_fields: frozenset[str] = MULTILINE_FIELDS) -> None:
        self.app = app
        self.multiline_fields = multiline_fields

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = self._in_url(scope)
        content_type = Headers(scope=scope).get("content-type", "")
        if problem is None and content_type.startswith(_FORM_TYPES):
            body = await _read_body(receive)
            if body is None:  # the client went away
                return
            problem = await self._in_form(scope, body)
            receive = _replay(body, receive)
        if problem is not None:
            await _rejection(scope, problem)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    @staticmethod
    def _in_url(scope: Scope) -> str | None:
        if _ANY_CONTROL.search(scope["path"]):
            return "Adressen indeholder et kontroltegn (fx et nul-tegn)."
        query = scope.get("query_string", b"").decode("latin-1")
        for name, value in parse_qsl(query, keep_blank_values=True):  # as Starlette reads it
            problem = control_character_problem(name, value)
            if problem:
                return problem
        return None

    async def _in_form(self, scope: Scope, body: bytes) -> str | None:
        request = Request(scope, _replay(body, None))
        try:
            form = await request.form()
        except HTTPException:  # malformed: the route answers it as it would anyway
            return None
        try:
            for name, value in form.multi_items():
                text = value if isinstance(value, str) else (value.filename or "")
                problem = control_character_problem(
                    name, text, multiline=name in self.multiline_fields)
                if problem:
                    return problem
        finally:
            await form.close()
        return None


async def _read_body(receive: Receive) -> bytes | None:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive | None) -> Receive:
    """A ``receive`` that hands out ``body`` once, then waits on the real one."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        if receive is None:
            return {"type": "http.disconnect"}
        return await receive()

    return replay


def _rejection(scope: Scope, problem: str) -> Response:
    """The 400 answer: the htmx fragment convention for htmx requests, else a page."""
    request = Request(scope)
    advice = "Fjern tegnet, og prøv igen."
    if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted"):
        return HTMLResponse(f'<p class="message error" role="alert">{escape(problem)} '
                            f"{advice}</p>", status_code=400)
    return render(request, "error.html", status_code=400, title="Ugyldige tegn",
                  message=f"{problem} {advice}")

"""Jinja2 templates with Danish formatting filters, and the page renderer the routes use."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from effektspor.domain.formatting import (
    format_count_percent,
    format_number,
    format_p,
    format_percent,
)
from effektspor.services.authorization import ROLE_LABELS, Action, Role

TEMPLATES_DIR = Path(__file__).parent / "templates"
DANISH_TIME = ZoneInfo("Europe/Copenhagen")
MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
          "september", "oktober", "november", "december")


def danish_date(value: date | None) -> str:
    """E.g. '3. maj 2019'; an empty string for no date."""
    if value is None:
        return ""
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def danish_time(value: datetime | None) -> str:
    """A UTC timestamp as Danish local time, e.g. '22-11-2026 07:05:12'."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return value.astimezone(DANISH_TIME).strftime("%d-%m-%Y %H:%M:%S")


def danish_number(value: float | None, decimals: int = 0) -> str:
    """The ``tal`` filter: ``domain.formatting.format_number`` with no decimals unless asked
    (``{{ n|tal }}`` → "300.000", ``{{ kappa|tal(2) }}`` → "0,81")."""
    return format_number(value, decimals)


def make_templates() -> Jinja2Templates:
    """The template set with Danish filters and the role/action names as globals."""
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    templates.env.auto_reload = False  # shipped templates never change while serving
    templates.env.filters.update(dato=danish_date, tid=danish_time, tal=danish_number,
                                 procent=format_percent, pværdi=format_p,
                                 antal_procent=format_count_percent)
    templates.env.globals.update(Action=Action, Role=Role, ROLE_LABELS=ROLE_LABELS,
                                 urlencode=urlencode)
    return templates


def render(request: Request, name: str, *, status_code: int = 200,
           **context: object) -> HTMLResponse:
    """Render a page; the identity (actor, CSRF token) and mode are always available."""
    web = request.app.state.web
    identity = getattr(request.state, "identity", None)
    return web.templates.TemplateResponse(
        request, name, {
            "actor": identity.actor if identity else None,
            "csrf_token": identity.csrf_token if identity else None,
            "server_mode": web.settings.server_mode,
            "project_name": web.project.name,
            **context,
        }, status_code=status_code)

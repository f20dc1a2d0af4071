"""Typed FastAPI dependencies: the app context, a database session, identity, actor, CSRF."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from effektspor.services.authorization import Actor
from effektspor.services.cases import DatabaseSession
from effektspor.web.security import (
    Identity,
    LoginRequired,
    WebContext,
    check_csrf,
    resolve_identity,
)


def get_context(request: Request) -> WebContext:
    """The context built by create_app."""
    return request.app.state.web


ContextDep = Annotated[WebContext, Depends(get_context)]


def get_db(context: ContextDep) -> Iterator[DatabaseSession]:
    """One database session per request; routes commit what they change."""
    with context.project.sessions() as session:
        yield session


DbDep = Annotated[DatabaseSession, Depends(get_db)]


def get_identity(request: Request, context: ContextDep, db: DbDep) -> Identity:
    """Who is asking (logged in or not)."""
    return resolve_identity(request, context, db)


IdentityDep = Annotated[Identity, Depends(get_identity)]


def current_actor(identity: IdentityDep) -> Actor:
    """The logged-in actor (local mode: the machine's user); otherwise LoginRequired."""
    if identity.actor is None:
        raise LoginRequired()
    return identity.actor


ActorDep = Annotated[Actor, Depends(current_actor)]


def project_id(context: ContextDep) -> int:
    """The id of the project this app serves."""
    return context.project.project_id


ProjectIdDep = Annotated[int, Depends(project_id)]


async def verify_csrf(request: Request, context: ContextDep, identity: IdentityDep) -> None:
    """App-wide dependency: every POST/PUT/PATCH/DELETE must carry the CSRF token."""
    await check_csrf(request, context, identity)

"""Typed FastAPI dependencies: the app context, the unit of work, identity, actor, CSRF."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from effektspor.services.authorization import Actor
from effektspor.services.contract import UnitOfWork, unit_of_work
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


def get_db(context: ContextDep) -> Iterator[UnitOfWork]:
    """The request's unit of work (``services.contract.unit_of_work``, as in the CLI):
    committed when the route returns, before the response is sent (scope "function"),
    and rolled back when it raises. A route that answers an error it caught rolls back
    what the failed call wrote; it never commits."""
    with unit_of_work(context.project) as session:
        yield session


DbDep = Annotated[UnitOfWork, Depends(get_db, scope="function")]


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

"""Login sessions of the web app: start one for a logged-in actor, find it again from
the cookie's token (with idle and absolute timeouts), end it."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from effektspor.domain import events
from effektspor.domain.errors import EffektsporError
from effektspor.services.accounts.login import SecurityPolicy, utc_now
from effektspor.services.accounts.users import actor_of
from effektspor.services.authorization import Actor
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.store.tables_web import User, WebSession


@dataclass(frozen=True)
class NewSession:
    """A started session: the secret token for the cookie and its CSRF token."""

    token: str
    csrf_token: str


@dataclass(frozen=True)
class ActiveSession:
    """A valid session found from a cookie."""

    actor: Actor
    csrf_token: str


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything is stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(*, session: UnitOfWork, actor: Actor, ip: str,
                  now: datetime | None = None) -> NewSession:
    """Start a login session for an authenticated actor; returns its secret token."""
    if actor.user_id is None:
        raise EffektsporError("Kun brugere med en konto kan logge ind.")
    now = now or utc_now()
    token = secrets.token_urlsafe(32)
    csrf_token = secrets.token_urlsafe(32)
    session.add(WebSession(token_hash=_token_hash(token), user_id=actor.user_id,
                           csrf_token=csrf_token, ip=ip[:64], created_at=now, last_seen_at=now))
    return NewSession(token, csrf_token)


def resolve_session(*, session: UnitOfWork, token: str, policy: SecurityPolicy,
                    now: datetime | None = None) -> ActiveSession | None:
    """The session of ``token`` if it is valid; expired sessions are removed.

    A session expires after ``policy.idle_timeout`` without requests, and after
    ``policy.max_session_age`` in any case. Each use moves the idle deadline.
    """
    now = now or utc_now()
    row = session.execute(
        select(WebSession, User).join(User, User.id == WebSession.user_id)
        .where(WebSession.token_hash == _token_hash(token))).first()
    if row is None:
        return None
    web_session, user = row
    idle = now - _aware(web_session.last_seen_at)
    age = now - _aware(web_session.created_at)
    if not user.active or idle > policy.idle_timeout or age > policy.max_session_age:
        session.delete(web_session)
        return None
    if idle > timedelta(seconds=15):  # spare a write on every single request
        web_session.last_seen_at = now
    return ActiveSession(actor_of(user), web_session.csrf_token)


def end_session(*, session: UnitOfWork, token: str, actor: Actor) -> None:
    """Log out: remove the session of ``token`` and log it."""
    session.execute(delete(WebSession).where(WebSession.token_hash == _token_hash(token)))
    record_event(session, events.logged_out(user_id=actor.user_id), actor=actor.name)

"""Logging in: the attempt is recorded and counted before the password is checked, so
parallel attempts cannot pass the rate limit. Every login (also a refused one) is logged.

Functions take ``now`` where time matters, so limits are testable without waiting.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, or_, select, update

from effektspor.domain import events
from effektspor.services.accounts.passwords import hash_password, needs_rehash, verify_password
from effektspor.services.accounts.users import actor_of
from effektspor.services.authorization import Actor
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.store.tables_web import LoginAttempt, User


@dataclass(frozen=True)
class SecurityPolicy:
    """Session timeouts and login rate limits of a server."""

    idle_timeout: timedelta = timedelta(minutes=30)
    max_session_age: timedelta = timedelta(hours=12)
    max_failures: int = 5
    failure_window: timedelta = timedelta(minutes=15)
    max_failures_per_ip: int = 50


@dataclass(frozen=True)
class LoginResult:
    """Outcome of a login attempt: the actor on success, else a Danish message."""

    actor: Actor | None
    throttled: bool = False
    message: str = ""


@dataclass(frozen=True)
class LoginStart:
    """A recorded login attempt; ``attempt_id`` is None when it was throttled."""

    attempt_id: int | None
    username: str
    ip: str
    policy: SecurityPolicy


def utc_now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


def _recent_failures(session: UnitOfWork, *, username: str | None, ip: str,
                     since: datetime) -> int:
    query = select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.ip == ip, LoginAttempt.at >= since,
        LoginAttempt.succeeded.is_(False))
    if username is not None:
        last_success = select(func.max(LoginAttempt.at)).where(
            LoginAttempt.username == username, LoginAttempt.ip == ip,
            LoginAttempt.succeeded.is_(True)).scalar_subquery()
        query = query.where(LoginAttempt.username == username,
                            or_(last_success.is_(None), LoginAttempt.at > last_success))
    return session.scalar(query) or 0


def _serialize_attempts_from(session: UnitOfWork, ip: str) -> None:
    """Let one login attempt from ``ip`` at a time record and count (until its commit).

    PostgreSQL: a transaction-level advisory lock on the address, so the count of a
    parallel attempt waits for this one's row. SQLite needs nothing: the INSERT that
    follows takes the database's write lock, which is held until the commit.
    """
    if session.get_bind().dialect.name == "postgresql":
        digest = hashlib.sha256(f"effektspor-login:{ip}".encode()).digest()
        session.execute(select(func.pg_advisory_xact_lock(
            int.from_bytes(digest[:8], "big", signed=True))))


def begin_login(*, session: UnitOfWork, username: str, ip: str, policy: SecurityPolicy,
                now: datetime | None = None) -> LoginStart:
    """Record a login attempt, then count the recent failures including it.

    The attempt is written (as failed) *before* any password is checked and counted in
    the same transaction, so parallel attempts cannot all pass the limit: commit right
    after this call (that also releases the lock), then call :func:`finish_login`.
    After ``policy.max_failures`` failures for the same user name and IP address within
    ``policy.failure_window`` (or ``policy.max_failures_per_ip`` from one IP), the start
    is throttled: its row is removed again (a refused attempt does not extend the lock)
    and no password is checked.
    """
    now = now or utc_now()
    username = username.strip()[:120]
    ip = ip[:64]
    since = now - policy.failure_window
    _serialize_attempts_from(session, ip)
    attempt = LoginAttempt(username=username, ip=ip, at=now, succeeded=False)
    session.add(attempt)
    session.flush()
    throttled = (
        _recent_failures(session, username=username, ip=ip, since=since) > policy.max_failures
        or _recent_failures(session, username=None, ip=ip, since=since)
        > policy.max_failures_per_ip)
    if throttled:
        session.delete(attempt)
        record_event(session, events.login_blocked(ip=ip), actor=username or "?")
        return LoginStart(None, username, ip, policy)
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - timedelta(days=7)))
    return LoginStart(attempt.id, username, ip, policy)


def finish_login(*, session: UnitOfWork, start: LoginStart, password: str,
                 now: datetime | None = None) -> LoginResult:
    """Check the password of a login started by :func:`begin_login`; logs the outcome.

    A throttled start checks no password. The caller commits in every case.
    """
    if start.attempt_id is None:
        minutes = int(start.policy.failure_window.total_seconds() // 60)
        return LoginResult(None, throttled=True, message=(
            f"For mange mislykkede forsøg. Vent {minutes} minutter, og prøv igen."))
    now = now or utc_now()
    user = session.scalar(select(User).where(User.username == start.username))
    # Hash also for unknown users, so the response time does not reveal user names.
    verified = verify_password(user.password_hash if user else None, password)
    if not (user and user.active and verified):
        record_event(session, events.login_refused(ip=start.ip), actor=start.username or "?")
        return LoginResult(None, message="Forkert brugernavn eller adgangskode.")
    session.execute(update(LoginAttempt).where(LoginAttempt.id == start.attempt_id)
                    .values(succeeded=True))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    record_event(session, events.login_succeeded(user_id=user.id, ip=start.ip),
                 actor=user.username)
    return LoginResult(actor_of(user))


def authenticate(*, session: UnitOfWork, username: str, password: str, ip: str,
                 policy: SecurityPolicy, now: datetime | None = None) -> LoginResult:
    """:func:`begin_login` and :func:`finish_login` in one transaction (the caller commits).

    Just as safe against parallel attempts, but on PostgreSQL it holds the address's lock
    (on SQLite the write lock) while the password is hashed; the web app commits between
    the two steps instead.
    """
    start = begin_login(session=session, username=username, ip=ip, policy=policy, now=now)
    return finish_login(session=session, start=start, password=password, now=now)

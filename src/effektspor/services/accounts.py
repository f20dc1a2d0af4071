"""User accounts of the shared server: Argon2 passwords, login sessions, rate limiting.

Every change of an account and every login (also refused ones) goes to the event log.
Functions take ``now`` where time matters, so timeouts are testable without waiting.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from effektspor.domain.errors import EffektsporError, Problem, ValidationError
from effektspor.services.authorization import Action, Actor, Role, parse_role, require
from effektspor.services.events import log_event
from effektspor.store.tables import Event
from effektspor.store.tables_web import LoginAttempt, User, WebSession

MIN_PASSWORD_LENGTH = 10
_USERNAME = re.compile(r"^[A-Za-z0-9ÆØÅæøå._@-]{2,120}$")
_hasher = PasswordHasher()


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


@dataclass
class EventPage:
    """One page of the event log, newest first."""

    events: list[Event]
    page: int
    page_size: int
    total: int
    actions: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        """Number of pages (at least 1)."""
        return max(1, -(-self.total // self.page_size))


def utc_now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything is stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password`` (salted; parameters are stored in the hash)."""
    return _hasher.hash(password)


def validate_new_account(username: str, password: str) -> list[Problem]:
    """Problems with a proposed user name and password (empty when both are fine)."""
    problems = []
    if not _USERNAME.match(username):
        problems.append(Problem("Brugernavnet skal være 2–120 tegn: bogstaver, tal, . _ - @.",
                                field="brugernavn"))
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(Problem(f"Adgangskoden skal være mindst {MIN_PASSWORD_LENGTH} tegn.",
                                field="adgangskode"))
    return problems


def _actor_of(user: User) -> Actor:
    return Actor(name=user.username, role=Role(user.role),
                 case_text_granted=user.case_text_granted, user_id=user.id)


def create_user(session: Session, *, actor: Actor, username: str, password: str,
                role: str | Role, case_text_granted: bool = False) -> User:
    """Create a user with an Argon2-hashed password; needs MANAGE_USERS."""
    require(actor, Action.MANAGE_USERS)
    username = username.strip()
    parsed_role = parse_role(str(role))
    problems = validate_new_account(username, password)
    if not problems and session.scalar(select(User.id).where(User.username == username)):
        problems.append(Problem(f"Brugeren '{username}' findes allerede.", field="brugernavn"))
    if problems:
        raise ValidationError(problems, "Brugeren blev ikke oprettet.")
    user = User(username=username, role=parsed_role.value, password_hash=hash_password(password),
                case_text_granted=case_text_granted and parsed_role is Role.LEADER, active=True)
    session.add(user)
    session.flush()
    log_event(session, actor=actor.name, action="bruger_oprettet", object_type="bruger",
              object_id=user.id, details={"brugernavn": username, "rolle": parsed_role.value,
                                          "sagstekst": user.case_text_granted})
    return user


def list_users(session: Session, *, actor: Actor) -> list[User]:
    """Every user, by name; needs MANAGE_USERS."""
    require(actor, Action.MANAGE_USERS)
    return list(session.scalars(select(User).order_by(User.username)))


def _get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise EffektsporError(f"Brugeren med id {user_id} findes ikke.")
    return user


def set_user_active(session: Session, *, actor: Actor, user_id: int, active: bool) -> User:
    """Activate or deactivate a user; deactivation ends the user's sessions at once."""
    require(actor, Action.MANAGE_USERS)
    user = _get_user(session, user_id)
    if not active and user.id == actor.user_id:
        raise EffektsporError("Du kan ikke deaktivere din egen bruger.")
    user.active = active
    if not active:
        session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    log_event(session, actor=actor.name, action="bruger_aktiveret" if active
              else "bruger_deaktiveret", object_type="bruger", object_id=user.id,
              details={"brugernavn": user.username})
    return user


def set_case_text_grant(session: Session, *, actor: Actor, user_id: int,
                        granted: bool) -> User:
    """Grant or withdraw a leder's access to case text; needs MANAGE_USERS."""
    require(actor, Action.MANAGE_USERS)
    user = _get_user(session, user_id)
    if user.role != Role.LEADER.value:
        raise EffektsporError("Adgang til sagstekst tildeles kun ledere; de andre roller "
                              "har den allerede eller aldrig.")
    user.case_text_granted = granted
    log_event(session, actor=actor.name, action="sagstekst_tildelt" if granted
              else "sagstekst_frataget", object_type="bruger", object_id=user.id,
              details={"brugernavn": user.username})
    return user


def _recent_failures(session: Session, *, username: str | None, ip: str,
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


def _serialize_attempts_from(session: Session, ip: str) -> None:
    """Let one login attempt from ``ip`` at a time record and count (until its commit).

    PostgreSQL: a transaction-level advisory lock on the address, so the count of a
    parallel attempt waits for this one's row. SQLite needs nothing: the INSERT that
    follows takes the database's write lock, which is held until the commit.
    """
    if session.get_bind().dialect.name == "postgresql":
        digest = hashlib.sha256(f"effektspor-login:{ip}".encode()).digest()
        session.execute(select(func.pg_advisory_xact_lock(
            int.from_bytes(digest[:8], "big", signed=True))))


def begin_login(session: Session, *, username: str, ip: str, policy: SecurityPolicy,
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
        log_event(session, actor=username or "?", action="login_spaerret",
                  details={"ip": ip})
        return LoginStart(None, username, ip, policy)
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - timedelta(days=7)))
    return LoginStart(attempt.id, username, ip, policy)


def finish_login(session: Session, start: LoginStart, *, password: str,
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
    verified = False
    try:
        # Hash also for unknown users, so the response time does not reveal user names.
        verified = _hasher.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        verified = False
    if not (user and user.active and verified):
        log_event(session, actor=start.username or "?", action="login_afvist",
                  details={"ip": start.ip})
        return LoginResult(None, message="Forkert brugernavn eller adgangskode.")
    session.execute(update(LoginAttempt).where(LoginAttempt.id == start.attempt_id)
                    .values(succeeded=True))
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    log_event(session, actor=user.username, action="login", object_type="bruger",
              object_id=user.id, details={"ip": start.ip})
    return LoginResult(_actor_of(user))


def authenticate(session: Session, *, username: str, password: str, ip: str,
                 policy: SecurityPolicy, now: datetime | None = None) -> LoginResult:
    """:func:`begin_login` and :func:`finish_login` in one transaction (the caller commits).

    Just as safe against parallel attempts, but on PostgreSQL it holds the address's lock
    (on SQLite the write lock) while the password is hashed; the web app commits between
    the two steps instead.
    """
    start = begin_login(session, username=username, ip=ip, policy=policy, now=now)
    return finish_login(session, start, password=password, now=now)


def start_session(session: Session, *, actor: Actor, ip: str,
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


def resolve_session(session: Session, *, token: str, policy: SecurityPolicy,
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
    return ActiveSession(_actor_of(user), web_session.csrf_token)


def end_session(session: Session, *, token: str, actor: Actor) -> None:
    """Log out: remove the session of ``token`` and log it."""
    session.execute(delete(WebSession).where(WebSession.token_hash == _token_hash(token)))
    log_event(session, actor=actor.name, action="logud", object_type="bruger",
              object_id=actor.user_id)


def read_event_log(session: Session, *, actor: Actor, project_id: int, user: str | None = None,
                   action: str | None = None, page: int = 1,
                   page_size: int = 100) -> EventPage:
    """A page of the event log of a project (and its project-less events, e.g. logins).

    Needs VIEW_EVENT_LOG; filters on the acting user and the action.
    """
    require(actor, Action.VIEW_EVENT_LOG)
    page = max(1, page)
    condition = [or_(Event.project_id == project_id, Event.project_id.is_(None))]
    if user:
        condition.append(Event.actor == user)
    if action:
        condition.append(Event.action == action)
    total = session.scalar(select(func.count()).select_from(Event).where(*condition)) or 0
    events = list(session.scalars(select(Event).where(*condition).order_by(Event.id.desc())
                                  .limit(page_size).offset((page - 1) * page_size)))
    actions = list(session.scalars(select(Event.action).distinct().order_by(Event.action)))
    return EventPage(events, page, page_size, total, actions)

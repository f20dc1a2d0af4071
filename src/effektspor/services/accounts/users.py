"""Managing user accounts (needs MANAGE_USERS): create, list, activate or deactivate,
grant a leder access to case text. Every change goes to the event log."""

from __future__ import annotations

from sqlalchemy import delete, select

from effektspor.domain import events
from effektspor.domain.errors import EffektsporError, Problem, ValidationError
from effektspor.services.accounts.passwords import hash_password, validate_new_account
from effektspor.services.authorization import Action, Actor, Role, parse_role, require
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.store.tables_web import User, WebSession


def actor_of(user: User) -> Actor:
    """The actor a stored user acts as."""
    return Actor(name=user.username, role=Role(user.role),
                 case_text_granted=user.case_text_granted, user_id=user.id)


def create_user(*, session: UnitOfWork, actor: Actor, username: str, password: str,
                role: str | Role, case_text_granted: bool = False) -> User:
    """Create a user with an Argon2-hashed password; needs MANAGE_USERS.

    Problems with the name or password are all reported at once
    (:class:`~effektspor.domain.errors.ValidationError`), and nothing is added.
    """
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
    record_event(session, events.user_created(
        user_id=user.id, username=username, role=parsed_role.value,
        case_text=user.case_text_granted), actor=actor.name)
    return user


def list_users(*, session: UnitOfWork, actor: Actor) -> list[User]:
    """Every user, by name; needs MANAGE_USERS."""
    require(actor, Action.MANAGE_USERS)
    return list(session.scalars(select(User).order_by(User.username)))


def _get_user(session: UnitOfWork, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise EffektsporError(f"Brugeren med id {user_id} findes ikke.")
    return user


def set_user_active(*, session: UnitOfWork, actor: Actor, user_id: int,
                    active: bool) -> User:
    """Activate or deactivate a user; deactivation ends the user's sessions at once."""
    require(actor, Action.MANAGE_USERS)
    user = _get_user(session, user_id)
    if not active and user.id == actor.user_id:
        raise EffektsporError("Du kan ikke deaktivere din egen bruger.")
    user.active = active
    if not active:
        session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    record_event(session, events.user_active_changed(
        user_id=user.id, username=user.username, active=active), actor=actor.name)
    return user


def set_case_text_grant(*, session: UnitOfWork, actor: Actor, user_id: int,
                        granted: bool) -> User:
    """Grant or withdraw a leder's access to case text; needs MANAGE_USERS."""
    require(actor, Action.MANAGE_USERS)
    user = _get_user(session, user_id)
    if user.role != Role.LEADER.value:
        raise EffektsporError("Adgang til sagstekst tildeles kun ledere; de andre roller "
                              "har den allerede eller aldrig.")
    user.case_text_granted = granted
    record_event(session, events.case_text_grant_changed(
        user_id=user.id, username=user.username, granted=granted), actor=actor.name)
    return user

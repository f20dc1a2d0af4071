"""Who may do what in the accounts area (users and the event log): one role × use-case
matrix that calls the service functions directly, so the CLI (``bruger``, ``log``) and
the web app (``/admin``) inherit it.

Logging in and the login sessions take no actor (they are how the web app finds one);
``test_web_accounts.py`` tests them. Every call runs in its own unit of work, rolled
back afterwards, on one seeded project (SQLite only: authorisation does not depend on
the database). The expected roles are written out by hand, not derived from the code.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from effektspor.domain.errors import EffektsporError
from effektspor.services.accounts import users
from effektspor.services.authorization import Actor, PermissionDenied, Role
from effektspor.services.contract import unit_of_work
from effektspor.services.project import create_project
from effektspor.services.project.event_log import read_event_log
from effektspor.store.tables import Event
from effektspor.store.tables_web import User
from web_seed import PASSWORD, seed_users

A, AN, K, L, LG = "administrator", "analytiker", "koder", "leder", "leder med sagstekst"
ACTORS = {
    A: Actor("admin", Role.ADMINISTRATOR),
    AN: Actor("ida", Role.ANALYST),
    K: Actor("anna", Role.CODER),
    L: Actor("lis", Role.LEADER),
    LG: Actor("lis", Role.LEADER, case_text_granted=True),
}
ADMINISTRATORS = {A}

# use case → roles that may perform it
EXPECTED: dict[str, set[str]] = {
    "create a user": ADMINISTRATORS,
    "list the users": ADMINISTRATORS,
    "deactivate a user": ADMINISTRATORS,
    "activate a user": ADMINISTRATORS,
    "grant a leder case text": ADMINISTRATORS,
    "withdraw a leder's case text": ADMINISTRATORS,
    "read the event log": ADMINISTRATORS,
}


class Seed:
    """One project with a user of every role."""

    def __init__(self, folder):
        self.project = create_project(folder / "projekt", "Konti", actor="test")
        self.project_id = self.project.project_id
        names = seed_users(self.project)
        with self.project.sessions() as session:
            self.user_ids = {role: session.scalar(select(User.id).where(User.username == name))
                             for role, name in names.items()}


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    made = Seed(tmp_path_factory.mktemp("konti"))
    yield made
    made.project.close()


def _use_case(name: str, seed: Seed, actor: Actor):
    """The service call of use case ``name`` as a function of the session."""
    coder, leader = seed.user_ids["koder"], seed.user_ids["leder"]
    calls = {
        "create a user": lambda s: users.create_user(
            session=s, actor=actor, username="ny.bruger", password=PASSWORD, role="koder"),
        "list the users": lambda s: users.list_users(session=s, actor=actor),
        "deactivate a user": lambda s: users.set_user_active(
            session=s, actor=actor, user_id=coder, active=False),
        "activate a user": lambda s: users.set_user_active(
            session=s, actor=actor, user_id=coder, active=True),
        "grant a leder case text": lambda s: users.set_case_text_grant(
            session=s, actor=actor, user_id=leader, granted=True),
        "withdraw a leder's case text": lambda s: users.set_case_text_grant(
            session=s, actor=actor, user_id=leader, granted=False),
        "read the event log": lambda s: read_event_log(
            session=s, actor=actor, project_id=seed.project_id),
    }
    return calls[name]


def _events(session) -> int:
    return session.scalar(select(func.count()).select_from(Event))


def test_every_use_case_is_in_the_matrix(seed):
    for name in EXPECTED:
        assert callable(_use_case(name, seed, ACTORS[A]))


@pytest.mark.parametrize("role", list(ACTORS))
@pytest.mark.parametrize("use_case", list(EXPECTED))
def test_matrix(seed, use_case: str, role: str):
    call = _use_case(use_case, seed, ACTORS[role])
    with seed.project.sessions() as session:
        try:
            before = _events(session)
            if role in EXPECTED[use_case]:
                assert call(session) is not None
            else:
                with pytest.raises(PermissionDenied):
                    call(session)
                assert _events(session) == before  # a refusal logs nothing and changes nothing
        finally:
            session.rollback()  # every cell starts from the same seed


def test_every_change_of_an_account_is_logged_by_its_constructor(seed):
    admin = ACTORS[A]
    with seed.project.sessions() as session:
        try:
            for use_case, action in [("create a user", "bruger_oprettet"),
                                     ("deactivate a user", "bruger_deaktiveret"),
                                     ("activate a user", "bruger_aktiveret"),
                                     ("grant a leder case text", "sagstekst_tildelt"),
                                     ("withdraw a leder's case text", "sagstekst_frataget")]:
                _use_case(use_case, seed, admin)(session)
                session.flush()
                event = session.scalars(select(Event).order_by(Event.id.desc())).first()
                assert (event.action, event.actor, event.object_type) == (action, "admin",
                                                                         "bruger")
                assert event.project_id is None  # accounts belong to the database
                assert set(event.details) >= {"brugernavn"}
        finally:
            session.rollback()


def test_an_administrator_cannot_deactivate_themself(seed):
    user_id = seed.user_ids["administrator"]
    myself = Actor("administrator1", Role.ADMINISTRATOR, user_id=user_id)
    with pytest.raises(EffektsporError, match="din egen bruger"), \
            unit_of_work(seed.project) as session:
        users.set_user_active(session=session, actor=myself, user_id=user_id, active=False)
    with seed.project.sessions() as session:
        assert session.get(User, user_id).active is True

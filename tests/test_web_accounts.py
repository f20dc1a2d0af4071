"""User accounts: Argon2 hashes, login, rate limiting, session timeouts, the event log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from effektspor.domain.errors import EffektsporError, ValidationError
from effektspor.services.accounts import login, sessions, users
from effektspor.services.accounts.login import SecurityPolicy
from effektspor.services.authorization import Role
from effektspor.services.project import event_log
from effektspor.store.tables import Event
from effektspor.store.tables_web import LoginAttempt, User, WebSession
from web_seed import ADMIN, PASSWORD, FakeClock, seed_users

POLICY = SecurityPolicy(idle_timeout=timedelta(minutes=30), max_session_age=timedelta(hours=12),
                        max_failures=5, failure_window=timedelta(minutes=15))


def _actions(session) -> list[str]:
    return list(session.scalars(select(Event.action).order_by(Event.id)))


def test_password_is_stored_as_argon2id_hash(project):
    with project.transaction() as session:
        user = users.create_user(session=session, actor=ADMIN, username="karen", password=PASSWORD,
                                    role="koder")
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    with project.sessions() as session:
        assert _actions(session)[-1] == "bruger_oprettet"


def test_create_user_validates_everything_and_saves_nothing(project):
    with project.transaction() as session, pytest.raises(ValidationError) as raised:
        users.create_user(session=session, actor=ADMIN, username="x", password="kort", role="koder")
    fields = {problem.field for problem in raised.value.problems}
    assert fields == {"brugernavn", "adgangskode"}
    with project.sessions() as session:
        assert session.scalar(select(User.id)) is None


def test_duplicate_user_and_unknown_role_are_refused(project):
    seed_users(project)
    with project.transaction() as session, pytest.raises(ValidationError, match="ikke oprettet"):
        users.create_user(session=session, actor=ADMIN, username="koder1", password=PASSWORD,
                             role="koder")
    with project.transaction() as session, pytest.raises(EffektsporError, match="Ukendt rolle"):
        users.create_user(session=session, actor=ADMIN, username="ny", password=PASSWORD,
                             role="direktør")


def test_case_text_grant_is_only_for_leaders(project):
    with project.transaction() as session:
        coder = users.create_user(session=session, actor=ADMIN, username="kim", password=PASSWORD,
                                     role="koder", case_text_granted=True)
        leader = users.create_user(session=session, actor=ADMIN, username="lis", password=PASSWORD,
                                      role="leder")
    assert coder.case_text_granted is False
    with project.transaction() as session, pytest.raises(EffektsporError, match="kun ledere"):
        users.set_case_text_grant(session=session, actor=ADMIN, user_id=coder.id, granted=True)
    with project.transaction() as session:
        users.set_case_text_grant(session=session, actor=ADMIN, user_id=leader.id, granted=True)
    with project.sessions() as session:
        assert session.get(User, leader.id).case_text_granted is True
        assert _actions(session)[-1] == "sagstekst_tildelt"


def _login(project, username, password=PASSWORD, ip="10.0.0.1", now=None):
    with project.transaction() as session:
        return login.authenticate(session=session, username=username, password=password, ip=ip,
                                     policy=POLICY, now=now)


def test_authenticate_right_wrong_unknown_and_inactive(project):
    seed_users(project)
    ok = _login(project, "koder1")
    assert ok.actor is not None and ok.actor.role is Role.CODER and ok.actor.user_id
    assert _login(project, "koder1", "forkert-kode").actor is None
    unknown = _login(project, "findes.ikke")
    assert unknown.actor is None and unknown.message == "Forkert brugernavn eller adgangskode."
    with project.transaction() as session:
        users.set_user_active(session=session, actor=ADMIN, user_id=ok.actor.user_id, active=False)
    assert _login(project, "koder1").actor is None
    with project.sessions() as session:
        assert _actions(session)[-5:] == ["login", "login_afvist", "login_afvist",
                                          "bruger_deaktiveret", "login_afvist"]


def test_five_failures_lock_user_and_ip_for_the_window(project):
    seed_users(project)
    clock = FakeClock()
    for _ in range(5):
        assert not _login(project, "leder1", "forkert-kode", now=clock()).throttled
    locked = _login(project, "leder1", now=clock())  # right password, still refused
    assert locked.actor is None and locked.throttled and "15 minutter" in locked.message
    assert _login(project, "leder1", ip="10.0.0.2", now=clock()).actor is not None
    assert _login(project, "koder1", now=clock()).actor is not None  # other user, same IP
    clock.advance(minutes=15, seconds=1)
    assert _login(project, "leder1", now=clock()).actor is not None
    with project.sessions() as session:
        assert "login_spaerret" in _actions(session)
        attempts = session.scalars(select(LoginAttempt).where(LoginAttempt.username == "leder1"))
        assert [a.succeeded for a in attempts] == [False] * 5 + [True, True]


def test_a_successful_login_resets_the_failure_count(project):
    seed_users(project)
    clock = FakeClock()
    for _ in range(4):
        _login(project, "leder1", "forkert-kode", now=clock())
    clock.advance(seconds=1)
    assert _login(project, "leder1", now=clock()).actor is not None
    clock.advance(seconds=1)
    for _ in range(4):
        _login(project, "leder1", "forkert-kode", now=clock())
    assert not _login(project, "leder1", now=clock()).throttled


def test_many_failures_from_one_ip_lock_that_ip(project):
    seed_users(project)
    policy = SecurityPolicy(max_failures=5, max_failures_per_ip=8)
    clock = FakeClock()
    with project.transaction() as session:
        for number in range(8):
            login.authenticate(session=session, username=f"gæt{number}", password="x", ip="10.9.9.9",
                                  policy=policy, now=clock())
    with project.transaction() as session:
        result = login.authenticate(session=session, username="koder1", password=PASSWORD,
                                       ip="10.9.9.9", policy=policy, now=clock())
    assert result.throttled


def _start(project, clock):
    actor = _login(project, "analytiker1", now=clock()).actor
    with project.transaction() as session:
        return sessions.start_session(session=session, actor=actor, ip="10.0.0.1", now=clock())


def _resolve(project, token, clock):
    with project.transaction() as session:
        return sessions.resolve_session(session=session, token=token, policy=POLICY, now=clock())


def test_session_idle_timeout_and_sliding_deadline(project):
    seed_users(project)
    clock = FakeClock()
    new = _start(project, clock)
    with project.sessions() as session:  # only the hash of the token is stored
        assert session.scalar(select(WebSession.token_hash)) != new.token
    for _ in range(3):  # used every 20 minutes: stays alive past the 30 idle minutes
        clock.advance(minutes=20)
        active = _resolve(project, new.token, clock)
        assert active is not None and active.actor.name == "analytiker1"
        assert active.csrf_token == new.csrf_token
    clock.advance(minutes=30, seconds=1)
    assert _resolve(project, new.token, clock) is None
    with project.sessions() as session:
        assert session.scalar(select(WebSession.token_hash)) is None  # removed


def test_session_maximum_age(project):
    seed_users(project)
    clock = FakeClock()
    new = _start(project, clock)
    for _ in range(12 * 3):
        clock.advance(minutes=20)
        alive = _resolve(project, new.token, clock)
    assert alive is not None  # exactly 12 hours
    clock.advance(minutes=1)
    assert _resolve(project, new.token, clock) is None


def test_logout_and_deactivation_end_sessions(project):
    seed_users(project)
    clock = FakeClock()
    first, second = _start(project, clock), _start(project, clock)
    with project.transaction() as session:
        active = sessions.resolve_session(session=session, token=first.token, policy=POLICY,
                                          now=clock())
        sessions.end_session(session=session, token=first.token, actor=active.actor)
    assert _resolve(project, first.token, clock) is None
    assert _resolve(project, second.token, clock) is not None
    with project.transaction() as session:
        user_id = session.scalar(select(User.id).where(User.username == "analytiker1"))
        users.set_user_active(session=session, actor=ADMIN, user_id=user_id, active=False)
    assert _resolve(project, second.token, clock) is None
    assert _resolve(project, "ukendt-token", clock) is None


def test_an_administrator_cannot_deactivate_themself(project):
    names = seed_users(project)
    actor = _login(project, names["administrator"]).actor
    with project.transaction() as session, pytest.raises(EffektsporError, match="din egen"):
        users.set_user_active(session=session, actor=actor, user_id=actor.user_id, active=False)


def test_event_log_page_filters_by_user_and_action(project):
    seed_users(project)
    _login(project, "koder1")
    _login(project, "leder1", "forkert-kode")
    with project.sessions() as session:
        log = event_log.read_event_log(session=session, actor=ADMIN, project_id=project.project_id)
        assert log.total == 1 + 4 + 2  # project created, 4 users, 2 logins
        assert {"login", "login_afvist", "bruger_oprettet"} <= set(log.actions)
        only = event_log.read_event_log(session=session, actor=ADMIN, project_id=project.project_id,
                                       user="leder1")
        assert [e.action for e in only.events] == ["login_afvist"]
        created = event_log.read_event_log(session=session, actor=ADMIN, project_id=project.project_id,
                                          action="bruger_oprettet", page_size=3)
        assert created.total == 4 and created.pages == 2 and len(created.events) == 3

"""The login rate limit holds for attempts that arrive at the same moment.

Each thread logs in with a session of its own, as parallel requests do. Before the fix the
count was read before the attempt was recorded, so 40 parallel wrong passwords got about
30 password checks instead of 5.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from effektspor.services.accounts.login import (
    LoginResult,
    SecurityPolicy,
    authenticate,
    begin_login,
    finish_login,
)
from effektspor.store.tables import Event
from effektspor.store.tables_web import LoginAttempt
from web_seed import FakeClock, seed_users

PARALLEL = 40
POLICY = SecurityPolicy(max_failures=5, failure_window=timedelta(minutes=15),
                        max_failures_per_ip=50)


def _web_login(project, clock, username: str, ip: str,
               policy: SecurityPolicy = POLICY) -> LoginResult:
    """What POST /login does: record and count, commit, then check the password."""
    with project.sessions() as session:
        start = begin_login(session=session, username=username, ip=ip, policy=policy,
                            now=clock())
        session.commit()
        result = finish_login(session=session, start=start, password="forkert-kode",
                              now=clock())
        session.commit()
        return result


def _one_transaction(project, clock, username: str, ip: str) -> LoginResult:
    with project.transaction() as session:
        return authenticate(session=session, username=username, password="forkert-kode",
                            ip=ip, policy=POLICY, now=clock())


def _in_parallel(attempt, count: int) -> list:
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = attempt(index)
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


def _count(project, action: str) -> int:
    with project.sessions() as session:
        return session.scalar(select(func.count()).select_from(Event)
                              .where(Event.action == action))


@pytest.mark.parametrize("login", [_web_login, _one_transaction], ids=["web", "authenticate"])
def test_parallel_wrong_passwords_get_only_the_allowed_checks(project, login):
    seed_users(project)
    clock = FakeClock()
    results = _in_parallel(lambda _i: login(project, clock, "leder1", "10.0.0.7"), PARALLEL)
    throttled = sum(result.throttled for result in results)
    checked = [r for r in results if not r.throttled]
    assert len(checked) == POLICY.max_failures, (len(checked), throttled)
    assert throttled == PARALLEL - POLICY.max_failures
    assert all(r.message == "Forkert brugernavn eller adgangskode." for r in checked)
    assert _count(project, "login_afvist") == POLICY.max_failures  # passwords checked
    assert _count(project, "login_spaerret") == PARALLEL - POLICY.max_failures
    with project.sessions() as session:  # refused attempts do not extend the lock
        assert session.scalar(select(func.count()).select_from(LoginAttempt)) == \
            POLICY.max_failures


def test_parallel_guesses_of_many_names_hit_the_limit_per_address(project):
    seed_users(project)
    clock = FakeClock()
    per_ip = SecurityPolicy(max_failures=5, max_failures_per_ip=12)
    results = _in_parallel(
        lambda i: _web_login(project, clock, f"gæt{i}", "10.0.0.8", per_ip), PARALLEL)
    assert sum(not r.throttled for r in results) == per_ip.max_failures_per_ip
    assert _count(project, "login_afvist") == per_ip.max_failures_per_ip

"""The role × action matrix, checked in the service layer (every service, every role)."""

from __future__ import annotations

import pytest

from effektspor.domain.errors import EffektsporError
from effektspor.services.accounts import users
from effektspor.services.authorization import (
    Action,
    Actor,
    PermissionDenied,
    Role,
    parse_role,
    require,
)
from effektspor.services.cases import case_list, case_view, overview
from effektspor.services.project import event_log
from web_seed import seed_cases, seed_users

A, AN, K, L = Role.ADMINISTRATOR, Role.ANALYST, Role.CODER, Role.LEADER

# Written out by hand (not derived from PERMISSIONS) so a change to the matrix must be
# made twice, on purpose.
EXPECTED: dict[Action, set[Role]] = {
    Action.VIEW_OVERVIEW: {A, AN, K, L},
    Action.LIST_CASES: {A, AN, K, L},
    Action.VIEW_REPORTS: {A, AN, K, L},
    Action.READ_CASE_TEXT: {A, AN, K},
    Action.CODE_CASES: {A, AN, K},
    Action.CLASSIFY_CASES: {A, AN, K},
    Action.ASSIGN_RECODING: {A, AN},
    Action.RUN_ANALYSIS: {A, AN},
    Action.IMPORT_DATA: {A, AN},
    Action.VIEW_EVENT_LOG: {A},
    Action.MANAGE_USERS: {A},
    Action.VIEW_FOLLOW_UP: {A, AN, K},
    Action.RECORD_FOLLOW_UP: {A, AN, K},
    Action.VIEW_CASELOAD: {A, AN, K, L},
}


def test_every_action_is_in_the_expected_matrix():
    assert set(EXPECTED) == set(Action)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_matrix(role: Role, action: Action):
    actor = Actor("x", role)
    allowed = role in EXPECTED[action]
    assert actor.can(action) is allowed
    if allowed:
        require(actor, action)
    else:
        with pytest.raises(PermissionDenied) as raised:
            require(actor, action)
        assert action.value in str(raised.value)


@pytest.mark.parametrize("action", list(Action))
def test_granted_leader_reads_case_text_and_nothing_more(action: Action):
    granted = Actor("leder", Role.LEADER, case_text_granted=True)
    expected = L in EXPECTED[action] or action is Action.READ_CASE_TEXT
    assert granted.can(action) is expected


def test_grant_only_affects_leaders():
    assert Actor("k", Role.CODER, case_text_granted=True).actions == Actor("k", Role.CODER).actions


def test_parse_role():
    assert parse_role(" Leder ") is Role.LEADER
    with pytest.raises(EffektsporError, match="Gyldige roller: administrator"):
        parse_role("chef")


# --- the same matrix, through the services that read and change data ----------------------

def _call(service: str, session, actor: Actor, project_id: int, case_id: int, user_id: int):
    calls = {
        "project_overview": lambda: overview.project_overview(session=session, actor=actor,
                                                           project_id=project_id),
        "list_cases": lambda: case_list.list_cases(session=session, actor=actor, project_id=project_id),
        "view_case": lambda: case_view.view_case(session=session, actor=actor, project_id=project_id,
                                             case_id=case_id),
        "read_event_log": lambda: event_log.read_event_log(session=session, actor=actor,
                                                          project_id=project_id),
        "list_users": lambda: users.list_users(session=session, actor=actor),
        "create_user": lambda: users.create_user(session=session, actor=actor, username="ny.bruger",
                                                    password="en-lang-kode-1", role="koder"),
        "set_user_active": lambda: users.set_user_active(session=session, actor=actor,
                                                            user_id=user_id, active=False),
        "set_case_text_grant": lambda: users.set_case_text_grant(
            session=session, actor=actor, user_id=user_id, granted=True),
    }
    return calls[service]()


SERVICE_ACTION = {
    "project_overview": Action.VIEW_OVERVIEW,
    "list_cases": Action.LIST_CASES,
    "view_case": Action.READ_CASE_TEXT,
    "read_event_log": Action.VIEW_EVENT_LOG,
    "list_users": Action.MANAGE_USERS,
    "create_user": Action.MANAGE_USERS,
    "set_user_active": Action.MANAGE_USERS,
    "set_case_text_grant": Action.MANAGE_USERS,
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("service", list(SERVICE_ACTION))
def test_services_enforce_the_matrix(project, service: str, role: Role):
    case_id = seed_cases(project, cases=1)[0]
    names = seed_users(project)
    with project.sessions() as session:
        leader_id = next(u.id for u in users.list_users(
            session=session, actor=Actor("a", A)) if u.username == names["leder"])
        actor = Actor(f"{role.value}1", role)
        if role in EXPECTED[SERVICE_ACTION[service]]:
            assert _call(service, session, actor, project.project_id, case_id,
                         leader_id) is not None
        else:
            before = session.execute(_event_count()).scalar()
            with pytest.raises(PermissionDenied):
                _call(service, session, actor, project.project_id, case_id, leader_id)
            assert session.execute(_event_count()).scalar() == before  # nothing logged


def _event_count():
    from sqlalchemy import func, select

    from effektspor.store.tables import Event

    return select(func.count()).select_from(Event)

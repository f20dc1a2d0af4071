"""Who may do what in the cases area: one role × use-case matrix that calls the service
functions directly, so every front end inherits it (today the web app's overview and
case pages).

Every call runs in its own unit of work, rolled back afterwards, on one seeded project
(SQLite only: authorisation does not depend on the database). The expected roles are
written out by hand, not derived from the code.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from effektspor.services.authorization import Actor, PermissionDenied, Role
from effektspor.services.cases import case_list, case_view, overview
from effektspor.services.project import create_project
from effektspor.store import tables as t
from web_seed import seed_cases

A, AN, K, L, LG = "administrator", "analytiker", "koder", "leder", "leder med sagstekst"
ACTORS = {
    A: Actor("admin", Role.ADMINISTRATOR),
    AN: Actor("ida", Role.ANALYST),
    K: Actor("anna", Role.CODER),
    L: Actor("lis", Role.LEADER),
    LG: Actor("lis", Role.LEADER, case_text_granted=True),
}
READERS = {A, AN, K, LG}
EVERYONE = {A, AN, K, L, LG}

# use case → roles that may perform it
EXPECTED: dict[str, set[str]] = {
    "see the project overview": EVERYONE,
    "list the cases": EVERYONE,
    "filter the cases by number": EVERYONE,
    "read a case": READERS,
    "find the page of a note": READERS,
}


class Seed:
    """One project with a few synthetic cases, documents and notes."""

    def __init__(self, folder):
        self.project = create_project(folder / "projekt", "Sager", actor="test")
        self.project_id = self.project.project_id
        self.case_id = seed_cases(self.project, cases=3, notes_per_case=2)[0]
        with self.project.sessions() as session:
            self.note_id = session.scalar(select(t.Note.id).where(t.Note.case_id == self.case_id)
                                          .limit(1))


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    made = Seed(tmp_path_factory.mktemp("sager"))
    yield made
    made.project.close()


def _use_case(name: str, seed: Seed, actor: Actor):
    """The service call of use case ``name`` as a function of the session."""
    base = {"actor": actor, "project_id": seed.project_id}
    calls = {
        "see the project overview": lambda s: overview.project_overview(session=s, **base),
        "list the cases": lambda s: case_list.list_cases(session=s, **base),
        "filter the cases by number": lambda s: case_list.list_cases(session=s, **base,
                                                                     query="S-100"),
        "read a case": lambda s: case_view.view_case(session=s, **base,
                                                     case_id=seed.case_id),
        "find the page of a note": lambda s: case_view.note_location(
            session=s, **base, note_id=seed.note_id),
    }
    return calls[name]


def _events(session) -> int:
    return session.scalar(select(func.count()).select_from(t.Event))


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
                assert _events(session) == before  # a refusal logs nothing
        finally:
            session.rollback()  # every cell starts from the same seed


@pytest.mark.parametrize("role", list(ACTORS))
def test_free_text_searches_case_text_only_for_those_who_may_read_it(seed, role: str):
    with seed.project.sessions() as session:
        page = case_list.list_cases(session=session, actor=ACTORS[role],
                                    project_id=seed.project_id, query="sengetid")
    assert page.searched_text is (role in READERS)


@pytest.mark.parametrize("role", sorted(READERS))
def test_reading_a_case_is_logged_with_who_and_which_page(seed, role: str):
    actor = ACTORS[role]
    with seed.project.sessions() as session:
        try:
            case_view.view_case(session=session, actor=actor, project_id=seed.project_id,
                                case_id=seed.case_id, page=1)
            session.flush()
            event = session.scalars(select(t.Event).order_by(t.Event.id.desc())).first()
            logged = (event.action, event.actor, event.object_type, event.object_id,
                      event.project_id, event.details)
        finally:
            session.rollback()
    assert logged == ("sag_vist", actor.name, "sag", str(seed.case_id), seed.project_id,
                      {"sagsnummer": "S-1001", "rolle": actor.role.value, "side": 1})

"""Read services of the web app: overview counts, the case list and the case view."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event, select

from effektspor.services.authorization import Actor, PermissionDenied, Role
from effektspor.services.cases import case_list, case_view
from effektspor.services.cases import overview as case_overview
from effektspor.store import tables as t
from web_seed import seed_cases

ANALYST = Actor("ana", Role.ANALYST)
LEADER = Actor("lea", Role.LEADER)


@contextmanager
def count_statements(engine):
    """Count the SQL statements run inside the block."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_overview_counts(project):
    seed_cases(project, cases=6, notes_per_case=4)
    with project.sessions() as session:
        overview = case_overview.project_overview(session=session, actor=LEADER,
                                                  project_id=project.project_id)
    # cases 0..5: number % 3 == 2 is open -> 4 closed, each with 2 documents; open ones 1.
    assert (overview.cases, overview.closed) == (6, 4)
    assert overview.documents == 4 * 2 + 2 and overview.notes == 24
    assert sum(n for _, n in overview.closed_per_year) == 4
    assert [year for year, _ in overview.closed_per_year] == sorted(
        year for year, _ in overview.closed_per_year)
    per_type = {code: n for code, _, n in overview.documents_per_type}
    assert per_type["handleplan"] == 6 and per_type["udskrivningsrapport"] == 4
    assert per_type["bevilling"] == 0  # every configured type is listed
    assert dict(overview.teams) == {"Familieværkstedet": 2, "Sandplay": 2, "Støttet samvær": 2}
    assert overview.import_runs == 1 and overview.recent_imports[0].actor == "test"
    # Every second item (documents and notes counted together) is pseudonymised.
    assert overview.notes_pseudonymised.done + overview.documents_pseudonymised.done == 17
    assert overview.notes_pseudonymised.total == 24


def test_overview_of_an_empty_project(project):
    with project.sessions() as session:
        overview = case_overview.project_overview(session=session, actor=LEADER,
                                                  project_id=project.project_id)
    assert overview.cases == 0 and overview.notes_pseudonymised.percent is None


@pytest.mark.parametrize(("done", "total", "percent"), [(1, 2, 50), (1, 8, 13), (1, 3, 33),
                                                          (2, 3, 67), (0, 5, 0), (5, 5, 100)])
def test_share_rounds_half_up(done, total, percent):
    assert case_overview.Share(done, total).percent == percent


def test_list_filters_by_team_and_year(project):
    seed_cases(project, cases=9)
    with project.sessions() as session:
        everything = case_list.list_cases(session=session, actor=ANALYST, project_id=project.project_id)
        assert everything.total == 9 and [r.external_id for r in everything.rows][:2] == [
            "S-1001", "S-1002"]
        assert everything.teams == ["Familieværkstedet", "Sandplay", "Støttet samvær"]
        sandplay = case_list.list_cases(session=session, actor=ANALYST, project_id=project.project_id,
                                    team="Sandplay")
        assert {r.team for r in sandplay.rows} == {"Sandplay"} and sandplay.total == 3
        year = everything.years[0]
        closed = case_list.list_cases(session=session, actor=ANALYST, project_id=project.project_id,
                                  year=year)
        assert closed.total >= 1 and all(r.closed_year == year for r in closed.rows)
        row = everything.rows[0]
        assert (row.documents, row.notes) == (2, 4)


def test_list_pages(project):
    seed_cases(project, cases=7, notes_per_case=1)
    with project.sessions() as session:
        first = case_list.list_cases(session=session, actor=ANALYST, project_id=project.project_id,
                                 page_size=3)
        last = case_list.list_cases(session=session, actor=ANALYST, project_id=project.project_id,
                                page=3, page_size=3)
    assert first.pages == 3 and len(first.rows) == 3
    assert [r.external_id for r in last.rows] == ["S-1007"]


def test_search_text_only_for_actors_who_may_read_it(project):
    seed_cases(project, cases=6)
    with project.sessions() as session:
        by_text = case_list.list_cases(session=session, actor=ANALYST, project_id=project.project_id,
                                   query="ØJENKONTAKT")
        assert by_text.searched_text and 0 < by_text.total < 6
        hidden = case_list.list_cases(session=session, actor=LEADER, project_id=project.project_id,
                                  query="øjenkontakt")
        assert not hidden.searched_text and hidden.total == 0
        by_number = case_list.list_cases(session=session, actor=LEADER, project_id=project.project_id,
                                     query="s-1003")
        assert [r.external_id for r in by_number.rows] == ["S-1003"]
        wildcard = case_list.list_cases(session=session, actor=ANALYST, project_id=project.project_id,
                                    query="%")
        assert wildcard.total == 0  # % is searched for literally


@pytest.mark.parametrize("number_of_cases", [3, 30])
def test_list_runs_the_same_few_queries_for_any_number_of_cases(project, number_of_cases):
    seed_cases(project, cases=number_of_cases, notes_per_case=2)
    with project.sessions() as session, count_statements(project.engine) as statements:
        page = case_list.list_cases(session=session, actor=ANALYST, project_id=project.project_id)
    assert len(page.rows) == number_of_cases
    # count, page, notes, documents, teams, years, variables, blind re-coding rounds,
    # codebook (and the outcomes shown, once the variables exist): no N+1
    assert len(statements) == 9


def test_case_view_timeline_and_event(project):
    case_id = seed_cases(project, cases=1, notes_per_case=3)[0]
    with project.transaction() as session:
        view = case_view.view_case(session=session, actor=ANALYST, project_id=project.project_id,
                               case_id=case_id)
    assert view.external_id == "S-1001" and len(view.grants) == 1
    kinds = [e.kind for e in view.timeline]
    assert kinds.count("notat") == 3 and kinds.count("dokument") == 2
    dates = [e.on for e in view.timeline]
    assert dates == sorted(dates)
    assert view.timeline[-1].heading == "Udskrivningsrapport"
    notes = [e for e in view.timeline if e.kind == "notat"]
    assert all(e.attention_point for e in notes)
    with project.sessions() as session:
        logged = session.scalars(select(t.Event).where(t.Event.action == "sag_vist")).all()
    assert len(logged) == 1 and logged[0].actor == "ana" and logged[0].object_id == str(case_id)
    assert logged[0].details["sagsnummer"] == "S-1001"


def test_case_view_queries_do_not_grow_with_notes(project):
    small, large = seed_cases(project, cases=2, notes_per_case=2)
    with project.transaction() as session:
        session.add_all(t.Note(case_id=large, note_date=date(2019, 1, 1), text=f"notat {i}",
                               attention_point_id=session.scalar(select(t.AttentionPoint.id)),
                               content_hash=f"extra{i}") for i in range(40))
    counts = []
    for case_id in (small, large):
        with project.transaction() as session, count_statements(project.engine) as statements:
            case_view.view_case(session=session, actor=ANALYST, project_id=project.project_id,
                            case_id=case_id)
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_case_view_refuses_leader_and_unknown_case(project):
    case_id = seed_cases(project, cases=1)[0]
    with project.sessions() as session:
        with pytest.raises(PermissionDenied):
            case_view.view_case(session=session, actor=LEADER, project_id=project.project_id,
                            case_id=case_id)
        with pytest.raises(case_view.CaseNotFound, match="findes ikke"):
            case_view.view_case(session=session, actor=ANALYST, project_id=project.project_id,
                            case_id=case_id + 99)
        granted = Actor("lea", Role.LEADER, case_text_granted=True)
        assert case_view.view_case(session=session, actor=granted, project_id=project.project_id,
                               case_id=case_id).id == case_id


def test_case_view_pages_a_long_timeline(project):
    case_id = seed_cases(project, cases=1, notes_per_case=7)[0]  # + 2 documents = 9 entries
    with project.transaction() as session:
        pages = [case_view.view_case(session=session, actor=ANALYST, project_id=project.project_id,
                                 case_id=case_id, page=number, page_size=4)
                 for number in (1, 2, 3, 4)]
    assert [len(p.timeline) for p in pages] == [4, 4, 1, 0]
    assert pages[0].entries_total == 9 and pages[0].pages == 3
    seen = [(e.kind, e.id) for p in pages for e in p.timeline]
    assert len(set(seen)) == 9  # every entry exactly once
    dates = [e.on for p in pages for e in p.timeline]
    assert dates == sorted(dates)


def test_a_note_link_finds_the_timeline_page_that_shows_the_note(project):
    case_id = seed_cases(project, cases=1, notes_per_case=7)[0]  # + 2 documents = 9 entries
    with project.transaction() as session:
        shown = {e.id: number for number in (1, 2, 3)
                 for e in case_view.view_case(session=session, actor=ANALYST, project_id=project.project_id,
                                          case_id=case_id, page=number, page_size=4).timeline
                 if e.kind == "notat"}
        assert len(shown) == 7 and set(shown.values()) >= {1, 2}  # notes on two pages
        for note_id, page in shown.items():
            assert case_view.note_location(session=session, actor=ANALYST, project_id=project.project_id,
                                       note_id=note_id, page_size=4) == (case_id, page)
        with pytest.raises(case_view.CaseNotFound):
            case_view.note_location(session=session, actor=ANALYST, project_id=project.project_id,
                                note_id=max(shown) + 999)
        with pytest.raises(PermissionDenied):
            case_view.note_location(session=session, actor=LEADER, project_id=project.project_id,
                                note_id=max(shown))

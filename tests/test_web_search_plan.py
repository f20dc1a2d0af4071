"""Free-text search of the case list in a database shared by several projects.

The search must look only at the notes and documents of the project's own cases, and on
PostgreSQL the plan must reach them through the case (per case, by the index on
``case_id``) instead of running the text match over the notes of every project first.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event, text

from effektspor.services.authorization import Actor, Role
from effektspor.services.cases import case_list
from effektspor.services.project import create_project
from effektspor.store import tables as t
from web_seed import seed_cases

ANALYST = Actor("ana", Role.ANALYST)
#: Notes of the neighbouring project in the plan test: enough that scanning them all is
#: visibly worse for the planner than looking up this project's cases one by one.
NEIGHBOUR_NOTES = 20_000


@pytest.fixture
def neighbour(project, tmp_path):
    """A second project in the same database, whose notes also mention "sengetid"."""
    other = create_project(tmp_path / "nabo", "Naboprojekt", database_url=project.database_url,
                           actor="test")
    yield other
    other.close()


def test_search_finds_only_the_projects_own_cases(project, neighbour):
    own = seed_cases(project, cases=5, notes_per_case=4)
    seed_cases(neighbour, cases=5, notes_per_case=4)  # the same texts, another project
    with project.sessions() as session:
        page = case_list.list_cases(session=session, actor=ANALYST, project_id=project.project_id,
                                query="Sengetid")
        documents = case_list.list_cases(session=session, actor=ANALYST, project_id=project.project_id,
                                     query="forudsigelig hverdag")
    assert page.searched_text and page.total == 4  # texts rotate: 4 of 5 cases mention it
    assert {row.id for row in page.rows} <= set(own)
    assert documents.total == 5 and {row.id for row in documents.rows} == set(own)


@contextmanager
def _statements(engine):
    seen: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, *_args):
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _fill_neighbour(neighbour, notes: int) -> None:
    """Many notes and documents in 100 cases of the neighbouring project (PostgreSQL)."""
    seed_cases(neighbour, cases=100, notes_per_case=1)
    with neighbour.transaction() as session:
        parameters = {"n": notes, "project": neighbour.project_id}
        case_ids = ("(SELECT id FROM cases WHERE project_id = :project "
                    "ORDER BY id OFFSET g % 100 LIMIT 1)")
        session.execute(text(
            "INSERT INTO notes (case_id, note_date, attention_point_id, author_role, text, "
            "content_hash, pseudonymised) "
            f"SELECT {case_ids}, DATE '2019-01-01', (SELECT min(id) FROM attention_points), "
            "'familiebehandler', 'Notat ' || g || ': vi taler om faste rammer ved sengetid.', "
            "md5('n' || g), false FROM generate_series(1, :n) AS g"), parameters)
        session.execute(text(
            "INSERT INTO documents (case_id, doc_type, doc_date, text, content_hash, "
            "pseudonymised) "
            f"SELECT {case_ids}, 'handleplan', DATE '2019-01-01', "
            "'Handleplan ' || g || ': faste rammer ved sengetid.', md5('d' || g), false "
            "FROM generate_series(1, :n / 10) AS g"), parameters)
    with neighbour.engine.connect() as connection:
        for table in ("cases", "notes", "documents"):
            connection.execute(text(f"ANALYZE {table}"))
        connection.commit()


def _plan(project, statement: str, parameters) -> str:
    with project.engine.connect() as connection:
        cursor = connection.connection.dbapi_connection.cursor()
        cursor.execute("EXPLAIN " + statement, parameters)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_postgresql_plan_searches_per_case_not_every_projects_notes(project, neighbour):
    if project.is_local:
        pytest.skip("planen tjekkes kun på PostgreSQL (SQLite kører EXISTS pr. sag)")
    seed_cases(project, cases=50, notes_per_case=4)
    _fill_neighbour(neighbour, NEIGHBOUR_NOTES)
    with project.sessions() as session, _statements(project.engine) as seen:
        page = case_list.list_cases(session=session, actor=ANALYST, project_id=project.project_id,
                                query="sengetid")
    assert page.total == 40  # 4 of every 5 cases; none of the neighbour's
    statement, parameters = next((s, p) for s, p in seen if "count(cases.id)" in s)
    plan = _plan(project, statement, parameters)
    # Not a scan of every project's notes (seq scan, or a hashed subplan / semi-join that
    # matches the text of all notes before joining them with this project's cases) ...
    assert "Seq Scan on notes" not in plan, plan
    assert "hashed SubPlan" not in plan and "Semi Join" not in plan, plan
    # ... but the project's cases first, then their notes through the index on case_id.
    assert "Index Cond: (project_id = " in plan, plan
    assert "Index Cond: (case_id = cases.id)" in plan, plan
    note_lookup = plan[plan.index(" on notes"):]
    assert "ix_notes_case_date" in note_lookup or "uq_notes_case_id" in note_lookup, plan
    assert "Seq Scan on documents" not in plan, plan


def test_search_matches_literal_percent_and_underscore(project, neighbour):
    seed_cases(project, cases=2, notes_per_case=1)
    with project.transaction() as session:
        note = session.query(t.Note).order_by(t.Note.id).first()
        note.text = "Aftalt 100% fremmøde_plan"
    with project.sessions() as session:
        hit = case_list.list_cases(session=session, actor=ANALYST, project_id=project.project_id,
                               query="100% fremmøde_")
        miss = case_list.list_cases(session=session, actor=ANALYST, project_id=project.project_id,
                                query="100_ fremmøde%")
    assert hit.total == 1 and miss.total == 0

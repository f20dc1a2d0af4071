"""The store: migrations from empty, the append-only event log, the seeded vocabularies."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from effektspor.domain.attention_points import BUILTIN_SCHEMES
from effektspor.services.events import list_events, log_event
from effektspor.services.project import open_project
from effektspor.store import tables as t
from effektspor.store.database import (
    alembic_config,
    current_revisions,
    head_revisions,
    make_engine,
    upgrade,
)


def test_migrations_from_empty_reach_head_and_back(database_url):
    engine = make_engine(database_url)
    try:
        assert current_revisions(engine) == set()
        assert upgrade(engine, backup=False) is True
        assert current_revisions(engine) == head_revisions()
        assert upgrade(engine, backup=False) is False
        from alembic import command

        command.downgrade(alembic_config(engine), "base")
        assert current_revisions(engine) == set()
        upgrade(engine, backup=False)
        assert current_revisions(engine) == head_revisions()
    finally:
        engine.dispose()


def test_new_project_has_schemes_and_document_types(project):
    with project.sessions() as session:
        schemes = {s.version: [p.name for p in s.points]
                   for s in session.scalars(select(t.AttentionPointScheme))}
        n_types = session.scalar(select(func.count()).select_from(t.DocumentType))
    assert len(schemes["2018"]) == 12
    assert len(schemes["2019"]) == 14
    assert schemes["2019"] == list(BUILTIN_SCHEMES[1].points)
    assert n_types == 11


def test_event_log_is_append_only(project):
    with project.transaction() as session:
        log_event(session, actor="test", action="import", project_id=project.project_id)
    with pytest.raises(DBAPIError, match="Hændelsesloggen kan ikke ændres"), \
            project.transaction() as session:
        session.execute(text("DELETE FROM events"))
    with pytest.raises(DBAPIError, match="Hændelsesloggen kan ikke ændres"), \
            project.transaction() as session:
        session.execute(text("UPDATE events SET actor = 'x'"))
    with project.sessions() as session:
        actions = [e.action for e in list_events(session, project_id=project.project_id)]
    assert actions == ["import", "projekt_oprettet"]


def test_open_project_reads_settings(project):
    reopened = open_project(project.folder)
    try:
        assert reopened.project_id == project.project_id
        assert reopened.name == "Testprojekt 2019"
    finally:
        reopened.close()

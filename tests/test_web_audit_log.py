"""The event log (audit trail) cannot be changed or emptied in the database itself.

PostgreSQL: UPDATE and DELETE are refused by a row-level trigger (0001) and TRUNCATE by a
statement-level trigger (0006_security). SQLite has no TRUNCATE; a DELETE without WHERE
(what SQLite would otherwise optimise into a truncate) is refused by its DELETE trigger.
"""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from effektspor.store.database import alembic_config, upgrade
from effektspor.store.tables import Event


def _events(project) -> int:
    with project.sessions() as session:
        return session.scalar(select(func.count()).select_from(Event))


def _refused(project, statement: str) -> str:
    with pytest.raises(DatabaseError) as raised, project.engine.begin() as connection:
        connection.execute(text(statement))
    return str(raised.value.orig)


def test_the_event_log_cannot_be_emptied(project):
    before = _events(project)
    assert before >= 1  # "projekt_oprettet"
    assert "Hændelsesloggen kan ikke ændres" in _refused(project, "DELETE FROM events")
    assert "Hændelsesloggen kan ikke ændres" in _refused(project, "UPDATE events SET actor = 'x'")
    if project.is_local:
        # SQLite has no TRUNCATE statement at all.
        assert "syntax error" in _refused(project, "TRUNCATE events")
    else:
        assert "Hændelsesloggen kan ikke ændres" in _refused(project, "TRUNCATE events")
        assert "Hændelsesloggen kan ikke ændres" in _refused(
            project, "TRUNCATE events RESTART IDENTITY CASCADE")
    assert _events(project) == before


def test_the_truncate_trigger_comes_and_goes_with_its_migration(project):
    if project.is_local:
        pytest.skip("TRUNCATE findes kun på PostgreSQL")
    command.downgrade(alembic_config(project.engine), "0005_web")
    with project.engine.begin() as connection:  # the old hole: TRUNCATE went through
        connection.execute(text("SAVEPOINT before_truncate"))
        connection.execute(text("TRUNCATE events"))
        assert connection.scalar(select(func.count()).select_from(Event)) == 0
        connection.execute(text("ROLLBACK TO SAVEPOINT before_truncate"))
    upgrade(project.engine, backup=False)
    assert "Hændelsesloggen kan ikke ændres" in _refused(project, "TRUNCATE events")
    assert _events(project) >= 1

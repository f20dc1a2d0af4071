"""The follow-up tables come from migration 0008_followup, on SQLite and PostgreSQL, and
the migrated schema is exactly what the table classes declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from effektspor.store.database import make_engine, upgrade
from effektspor.store.models import metadata

FOLLOW_UP_TABLES = {"followup_measures", "followup_goals", "followup_goal_revisions",
                    "followup_measurements", "followup_follow_ups",
                    "followup_goal_assessments"}


def _table_of(diff) -> str | None:
    for part in (diff if isinstance(diff, list) else [diff]):
        for item in part[1:] if isinstance(part, tuple) else ():
            name = getattr(item, "name", None) if not isinstance(item, str) else item
            table = getattr(item, "table", None)
            if table is not None:
                return table.name
            if name in FOLLOW_UP_TABLES:
                return name
    return None


def test_migration_0008_creates_the_declared_follow_up_tables(database_url):
    engine = make_engine(database_url)
    try:
        upgrade(engine, backup=False)
        assert set(inspect(engine).get_table_names()) >= FOLLOW_UP_TABLES
        with engine.connect() as connection:
            diffs = compare_metadata(MigrationContext.configure(connection), metadata)
        ours = [diff for diff in diffs if _table_of(diff) in FOLLOW_UP_TABLES]
        assert ours == []
    finally:
        engine.dispose()

"""sikkerhed: hændelsesloggen kan heller ikke tømmes med TRUNCATE (PostgreSQL)

The event log is append-only: 0001 refuses UPDATE and DELETE with row-level triggers. A
``TRUNCATE events`` fires no row-level trigger, so on PostgreSQL it emptied the audit log;
a statement-level ``BEFORE TRUNCATE`` trigger refuses it now (with the same function and
message). SQLite has no TRUNCATE: its "truncate optimisation" is a ``DELETE`` without
WHERE, which the ``events_no_delete`` trigger of 0001 already refuses (SQLite then deletes
row by row, so the trigger fires). Nothing to do on SQLite.

Revision ID: 0006_security
Revises: 0005_web
Create Date: 2026-11-23 09:00:00.000000
"""

from alembic import op

revision = "0006_security"
down_revision = "0005_web"
branch_labels = None
depends_on = None


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if _postgresql():
        op.execute(
            "CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events "
            "FOR EACH STATEMENT EXECUTE FUNCTION events_append_only()"
        )


def downgrade() -> None:
    if _postgresql():
        op.execute("DROP TRIGGER IF EXISTS events_no_truncate ON events")

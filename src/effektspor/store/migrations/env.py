"""Alembic environment: runs on the engine handed over by effektspor.store.database."""

from alembic import context

from effektspor.store.models import metadata

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    context.run_migrations()

"""Engine and session set-up, and migrations to the newest schema.

SQLite (the embedded default) gets WAL, foreign keys and a busy timeout; before a local
SQLite database is upgraded a backup copy is written next to it. PostgreSQL is used by URL.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{path}"


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite connections get WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return create_engine(url, pool_pre_ping=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to ``engine`` (objects stay usable after commit)."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on any error."""
    with factory() as session, session.begin():
        yield session


def alembic_config(engine: Engine) -> Config:
    """Alembic configuration that runs the bundled migrations on ``engine``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def current_revisions(engine: Engine) -> set[str]:
    """The schema revisions the database is at (empty for an empty database)."""
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def head_revisions() -> set[str]:
    """The newest schema revisions this version of effektspor knows."""
    script = ScriptDirectory.from_config(alembic_config(create_engine("sqlite://")))
    return set(script.get_heads())


def is_up_to_date(engine: Engine) -> bool:
    """True when the database schema is at the newest revision."""
    return current_revisions(engine) == head_revisions()


def upgrade(engine: Engine, *, backup: bool = True) -> bool:
    """Migrate the database to the newest schema; returns True if anything was done.

    For a SQLite file that already holds data, a copy named
    ``<file>.før-<revision>-<time>.bak`` is written first, so an upgrade can be undone.
    """
    current = current_revisions(engine)
    if current == head_revisions():
        return False
    db_path = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    if backup and current and db_path and db_path != ":memory:":
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        label = "+".join(sorted(current))
        shutil.copy2(db_path, f"{db_path}.før-{label}-{stamp}.bak")
    command.upgrade(alembic_config(engine), "heads")
    return True

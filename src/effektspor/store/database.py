"""Engine and session set-up, and migrations to the newest schema.

SQLite (the embedded default) gets WAL, foreign keys, a busy timeout and ``secure_delete``
(deleted or overwritten content is zeroed instead of left in free pages); its file is created
readable by the owner only. Before a local SQLite database is upgraded, a consistent copy is
written next to it with SQLite's online backup API. PostgreSQL is used by URL. Engines never
put SQL parameters (which may be CPR numbers or names) into exception messages or logs.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
PRIVATE_FILE_MODE = 0o600
SQLITE_HEADER = b"SQLite format 3\x00"
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")

# Errors of the database layer: their text may quote rows (PostgreSQL's "Failing row
# contains ..."), so user interfaces show a fixed message instead (see ``database_error_text``).
DATABASE_ERRORS: tuple[type[BaseException], ...] = (SQLAlchemyError, sqlite3.Error)


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{path}"


def sqlite_path(engine: Engine) -> Path | None:
    """The file of a SQLite engine (None for PostgreSQL and in-memory databases)."""
    if engine.url.get_backend_name() != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def create_private_file(path: Path) -> None:
    """Create ``path`` as an empty file only its owner can read (if it does not exist)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE_MODE))


def restrict_sqlite_files(path: Path) -> None:
    """Make a SQLite file and its WAL/SHM/journal files readable by the owner only.

    SQLite gives new WAL and SHM files the mode of the database file, so this is needed
    once per database; files owned by somebody else are left alone.
    """
    for candidate in [path, *(Path(f"{path}{suffix}") for suffix in SQLITE_COMPANIONS)]:
        with contextlib.suppress(FileNotFoundError, PermissionError):
            if candidate.stat().st_mode & 0o077:
                candidate.chmod(PRIVATE_FILE_MODE)


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite connections get WAL, foreign keys, a busy timeout and
    ``secure_delete``, and a new SQLite file is created with mode 0600.

    SQL parameters are hidden from exception messages and logs on every backend.
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        path = sqlite_path(engine)
        if path is not None and path.parent.is_dir():
            create_private_file(path)
            restrict_sqlite_files(path)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def copy_sqlite(source: Path, target: Path) -> None:
    """Write a consistent copy of the SQLite database ``source`` to the new file ``target``.

    Uses SQLite's online backup API, so the copy is a snapshot even while other
    connections write (WAL included). The copy is written to a temporary file with mode
    0600 in the target folder, switched to a single file (no WAL) and renamed into place
    only when complete, so ``target`` is never half-written. ``target`` must not exist.
    """
    source, target = Path(source), Path(target)
    if target.exists():
        raise FileExistsError(target)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    create_private_file(temporary)
    try:
        reader = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            writer = sqlite3.connect(temporary)
            try:
                reader.backup(writer)
                writer.execute("PRAGMA journal_mode=DELETE")
            finally:
                writer.close()
        finally:
            reader.close()
        os.replace(temporary, target)
    finally:
        for leftover in [temporary, *(Path(f"{temporary}{s}") for s in SQLITE_COMPANIONS)]:
            leftover.unlink(missing_ok=True)


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
    ``<file>.før-<revision>-<time>.bak`` (mode 0600, see :func:`copy_sqlite`) is written
    first, so an upgrade can be undone.
    """
    current = current_revisions(engine)
    if current == head_revisions():
        return False
    db_path = sqlite_path(engine)
    if backup and current and db_path is not None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        label = "+".join(sorted(current))
        copy_sqlite(db_path, Path(f"{db_path}.før-{label}-{stamp}.bak"))
    command.upgrade(alembic_config(engine), "heads")
    return True


def known_revisions() -> set[str]:
    """Every schema revision this version of effektspor knows (old ones included)."""
    script = ScriptDirectory.from_config(alembic_config(create_engine("sqlite://")))
    return {revision.revision for revision in script.walk_revisions()}


def database_error_text(error: BaseException) -> str:
    """A Danish message for a database error, without its SQL, parameters or row values.

    The driver's own text may quote the failing row (PostgreSQL: "Failing row contains
    (…)"), i.e. names and CPR numbers, so it is never shown; only effektspor's own trigger
    message about the event log is passed on.
    """
    original = getattr(error, "orig", None) or error
    raw = str(original)
    if "Hændelsesloggen kan ikke ændres" in raw:
        return "Hændelsesloggen kan ikke ændres eller slettes."
    name = type(original).__name__
    if "IntegrityError" in name or "IntegrityError" in type(error).__name__:
        return ("Databasen afviste ændringen, fordi den ville bryde en af databasens regler "
                "(fx en dublet, et felt der mangler, eller en henvisning til noget der ikke "
                "findes). Ændringen er ikke gemt. Detaljerne vises ikke, da de kan indeholde "
                "personoplysninger.")
    if "locked" in raw.lower() or "busy" in raw.lower():
        return ("Databasen er optaget af en anden proces (fx webappen eller en anden kørsel). "
                "Vent lidt, og prøv igen.")
    return (f"Der opstod en fejl i databasen ({name}). Den igangværende ændring er ikke gemt. "
            "Detaljerne vises ikke, da de kan indeholde personoplysninger; hvis fejlen "
            "gentager sig, så kontakt den, der driver effektspor.")

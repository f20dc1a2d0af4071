"""Template databases: the Alembic migrations run once per test session, not once per test.

A migrated *template* is made per session and backend; every test then gets a copy of it:
a copy of the SQLite file, or a PostgreSQL database created with ``CREATE DATABASE ...
TEMPLATE`` (PostgreSQL copies the migrated schema, triggers and the ``alembic_version`` row
block by block). ``create_project`` on such a copy finds the schema at head, so it skips the
migrations and does everything else as usual. The migration tests themselves get an empty
database (the ``database_url`` fixture) and run every migration.
"""

from __future__ import annotations

import queue
import shutil
import threading
import uuid
from pathlib import Path

import yaml
from sqlalchemy import create_engine, make_url, text

from effektspor.services.project import SQLITE_FILE, create_project
from effektspor.store.database import copy_sqlite, make_engine, sqlite_url, upgrade


def migrated_sqlite_template(folder: Path) -> Path:
    """Migrate a new SQLite file in ``folder`` to head; returns a single-file copy of it
    (no WAL beside it), ready to be copied with :func:`shutil.copyfile`."""
    work = folder / "migreres.sqlite"
    engine = make_engine(sqlite_url(work))
    try:
        upgrade(engine, backup=False)
    finally:
        engine.dispose()
    template = folder / "skabelon.sqlite"
    copy_sqlite(work, template)
    return template


def copy_sqlite_template(template: Path, folder: Path) -> None:
    """Put a copy of the migrated ``template`` where a project in ``folder`` keeps its
    database (``create_project`` sets the modes of the folder and the file)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, folder / SQLITE_FILE)


def create_sqlite_project(template: Path, folder: Path, name: str, **options):
    """``create_project`` on a copy of the migrated SQLite ``template`` (no migrations run)."""
    copy_sqlite_template(template, folder)
    return create_project(folder, name, **options)


def _psycopg(url: str) -> str:
    return url if "+psycopg" in url else url.replace("postgresql://", "postgresql+psycopg://", 1)


class PostgresTemplates:
    """A migrated template database on the server of ``base_url`` and fresh copies of it.

    Names carry a random part, so test sessions running at the same time on one server
    never meet. Connections to the template are refused once it is migrated (``CREATE
    DATABASE ... TEMPLATE`` needs it idle); copies are dropped with ``FORCE``, so a
    connection a test left open cannot keep its database alive, in a background thread.
    """

    def __init__(self, base_url: str):
        self.base = make_url(_psycopg(base_url))
        self.admin = create_engine(self.base, isolation_level="AUTOCOMMIT",
                                   hide_parameters=True)
        self.prefix = f"effektspor_test_{uuid.uuid4().hex[:10]}"
        self.template = f"{self.prefix}_skabelon"
        self._execute(f'CREATE DATABASE "{self.template}"')
        engine = make_engine(self.url(self.template))
        try:
            upgrade(engine, backup=False)
        finally:
            engine.dispose()
        self._execute(f'ALTER DATABASE "{self.template}" WITH ALLOW_CONNECTIONS false')
        self._unused: queue.Queue[str | None] = queue.Queue()
        self._dropper = threading.Thread(target=self._drop_loop, daemon=True,
                                         name="dropper-testdatabaser")
        self._dropper.start()

    def url(self, database: str) -> str:
        return self.base.set(database=database).render_as_string(hide_password=False)

    def _execute(self, statement: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(statement))

    def create_copy(self, template: str | None = None) -> str:
        """A new database holding the migrated template (or the database ``template``,
        which nobody may be connected to); returns its name. Its commits are not flushed to
        disk one by one (``synchronous_commit``): a test's database need not survive a crash.
        """
        name = f"{self.prefix}_{uuid.uuid4().hex[:12]}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{template or self.template}"')
        self._execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
        return name

    def drop(self, name: str) -> None:
        """Drop the copy ``name`` in the background: PostgreSQL (up to 15) forces a
        checkpoint for every ``DROP DATABASE`` (≈ 0.2 s on a quiet server), which the next
        tests need not wait for. After :meth:`close` it is dropped at once."""
        if self._dropper.is_alive():
            self._unused.put(name)
        else:
            self._drop_now(name)

    def _drop_now(self, name: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _drop_loop(self) -> None:
        while (name := self._unused.get()) is not None:
            try:
                self._drop_now(name)
            finally:
                self._unused.task_done()
        self._unused.task_done()

    def drop_unused(self) -> None:
        """Wait until every copy given to :meth:`drop` is dropped."""
        if self._dropper.is_alive():
            self._unused.join()

    def close(self) -> None:
        self._unused.put(None)
        self._dropper.join()
        self._drop_now(self.template)
        self.admin.dispose()


class ProjectSnapshots:
    """Projects seeded once per test session and backend, copied for each test.

    ``copy(seed, folder)`` returns a project in ``folder`` holding what ``seed(project)``
    wrote into a new project; ``seed`` runs once per session (and backend), on a project made
    by ``create_project``. A copy is the whole project folder (settings and SQLite file) and,
    on PostgreSQL, a database created from the seeded one as template, so every test may
    change its copy freely. ``seed`` must be deterministic: the copies stand in for running
    it in each test.
    """

    def __init__(self, root: Path, sqlite_template: Path,
                 postgres: PostgresTemplates | None = None):
        self.root = root
        self.sqlite_template = sqlite_template
        self.postgres = postgres
        self._built: dict[object, tuple[Path, str | None]] = {}
        self._results: dict[object, object] = {}

    def result(self, seed, name: str):
        """What ``seed`` returned when it filled the project (ids, names)."""
        return self._results[(seed, name)]

    def _build(self, seed, name: str) -> tuple[Path, str | None]:
        key = (seed, name)
        if key not in self._built:
            folder = self.root / f"{seed.__name__}-{len(self._built)}" / "projekt"
            if self.postgres is None:
                project = create_sqlite_project(self.sqlite_template, folder, name, actor="test")
                database = None
            else:
                database = self.postgres.create_copy()
                project = create_project(folder, name, actor="test",
                                         database_url=self.postgres.url(database))
            try:
                self._results[key] = seed(project)
            finally:
                project.close()
            self._built[key] = folder, database
        return self._built[key]

    def copy(self, seed, folder: Path, name: str):
        """A project in ``folder`` seeded by ``seed`` (see the class)."""
        from effektspor.services.project import SETTINGS_FILE, open_project

        source, database = self._build(seed, name)
        shutil.copytree(source, folder)
        if database is not None:
            copy = self.postgres.create_copy(template=database)
            settings_path = folder / SETTINGS_FILE
            settings = yaml.safe_load(settings_path.read_text(encoding="utf-8"))
            settings["database"] = self.postgres.url(copy)
            settings_path.write_text(yaml.safe_dump(settings, allow_unicode=True),
                                     encoding="utf-8")
        return open_project(folder)

    def close(self) -> None:
        for _folder, database in self._built.values():
            if database is not None:
                self.postgres.drop(database)
        if self.postgres is not None:
            self.postgres.drop_unused()

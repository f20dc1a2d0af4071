"""Shared fixtures: a fresh project per test on SQLite and, when configured, PostgreSQL.

PostgreSQL runs need EFFEKTSPOR_TEST_DATABASE_URL (e.g. postgresql://root@127.0.0.1/test);
without it those runs are skipped. The migrations run once per test session into a template
database (``support.database``); each test's project gets a copy of it. The migration tests
use ``database_url``: an empty database (a SQLite file, or a fresh PostgreSQL schema).
"""

from __future__ import annotations

import importlib
import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import make_url

from effektspor.services.project import create_project
from support.database import (
    PostgresTemplates,
    ProjectSnapshots,
    copy_sqlite_template,
    migrated_sqlite_template,
)
from support.web import Server

PG_URL_ENV = "EFFEKTSPOR_TEST_DATABASE_URL"
PROJECT_NAME = "Testprojekt 2019"


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashes():
    """Argon2id with the least work argon2 accepts, for the tests' many logins.

    Every test of the web app logs in a few times, and one check with argon2's default
    parameters (what effektspor uses) costs about 0.2 s of CPU time. The hashes and checks
    stay real Argon2id (the parameters are stored in each hash); only their cost is lowered.
    """
    from argon2 import PasswordHasher

    try:  # the accounts area keeps its hasher in a module of its own
        module = importlib.import_module("effektspor.services.accounts.passwords")
    except ModuleNotFoundError:
        module = importlib.import_module("effektspor.services.accounts")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "_hasher", PasswordHasher(time_cost=1, memory_cost=8,
                                                        parallelism=1))
        yield


def _postgres_url_with_schema(base_url: str, schema: str) -> str:
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}options=-csearch_path%3D{schema}"


def _postgres_base_url() -> str:
    base_url = os.environ.get(PG_URL_ENV)
    if not base_url:
        pytest.skip(f"PostgreSQL-test springes over: sæt {PG_URL_ENV} for at køre dem")
    return base_url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path: Path):
    """A URL of an empty database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite'}"
        return
    base_url = _postgres_base_url()
    from sqlalchemy import text

    from effektspor.store.database import make_engine

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _postgres_url_with_schema(
            base_url if "+psycopg" in base_url else base_url.replace(
                "postgresql://", "postgresql+psycopg://", 1), schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite file migrated to the newest schema, once per test session."""
    return migrated_sqlite_template(tmp_path_factory.mktemp("skabelon"))


@pytest.fixture(scope="session")
def postgres_templates():
    """A PostgreSQL database migrated to the newest schema, once per test session, and
    copies of it (skips when no PostgreSQL server is configured)."""
    templates = PostgresTemplates(_postgres_base_url())
    yield templates
    templates.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def project(request, tmp_path: Path):
    """A new, empty project (default document types and attention-point schemes), created
    by ``create_project`` on a copy of the session's migrated template database."""
    folder = tmp_path / "projekt"
    if request.param == "sqlite":
        copy_sqlite_template(request.getfixturevalue("sqlite_template"), folder)
        context = create_project(folder, PROJECT_NAME, actor="test")
        yield context
        context.close()
        return
    templates = request.getfixturevalue("postgres_templates")
    database = templates.create_copy()
    try:
        context = create_project(folder, PROJECT_NAME, database_url=templates.url(database),
                                 actor="test")
        yield context
        context.close()
    finally:
        templates.drop(database)


class SeededProjects:
    """The ``seeded_project`` fixture: ``seeded_project(seed)`` gives a copy of the project
    ``seed`` filled, ``seeded_project.result(seed)`` what ``seed`` returned."""

    def __init__(self, snapshots: ProjectSnapshots, folder: Path):
        self.snapshots, self.folder, self.copies = snapshots, folder, []

    def __call__(self, seed):
        project = self.snapshots.copy(seed, self.folder / f"projekt-{len(self.copies)}",
                                      PROJECT_NAME)
        self.copies.append(project)
        return project

    def result(self, seed):
        return self.snapshots.result(seed, PROJECT_NAME)


@pytest.fixture(scope="session")
def _project_snapshots(tmp_path_factory, sqlite_template):
    """Per backend: the projects that ``seeded_project`` seeds once per session."""
    made: dict[str, ProjectSnapshots] = {}
    yield made
    for snapshots in made.values():
        snapshots.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def seeded_project(request, tmp_path: Path, _project_snapshots):
    """``seeded_project(seed)``: a copy of a project that ``seed(project)`` filled once per
    test session (for data many tests only read or change a little; see
    ``support.database.ProjectSnapshots``); ``seeded_project.result(seed)`` is what ``seed``
    returned. Each copy is closed (and its database dropped) afterwards."""
    backend = request.param
    if backend not in _project_snapshots:
        postgres = (request.getfixturevalue("postgres_templates")
                    if backend == "postgresql" else None)
        _project_snapshots[backend] = ProjectSnapshots(
            request.getfixturevalue("tmp_path_factory").mktemp(f"seeded-{backend}"),
            request.getfixturevalue("sqlite_template"), postgres)
    seeded = SeededProjects(_project_snapshots[backend], tmp_path)
    yield seeded
    for project in seeded.copies:
        project.close()
        if backend == "postgresql":
            seeded.snapshots.postgres.drop(make_url(project.database_url).database)


@pytest.fixture
def server(project):
    """A server-mode web app on the test project: one user per role, six cases
    (``support.web.Server``)."""
    running = Server(project)
    yield running
    running.close()

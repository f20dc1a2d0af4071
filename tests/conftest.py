"""Shared fixtures: a fresh project per test on SQLite and, when configured, PostgreSQL.

PostgreSQL runs need EFFEKTSPOR_TEST_DATABASE_URL (e.g. postgresql://root@127.0.0.1/test);
each test then gets its own schema, dropped afterwards. Without it those runs are skipped.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from effektspor.services.project import create_project

PG_URL_ENV = "EFFEKTSPOR_TEST_DATABASE_URL"


def _postgres_url_with_schema(base_url: str, schema: str) -> str:
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path: Path):
    """A URL of an empty database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite'}"
        return
    base_url = os.environ.get(PG_URL_ENV)
    if not base_url:
        pytest.skip(f"PostgreSQL-test springes over: sæt {PG_URL_ENV} for at køre dem")
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


@pytest.fixture
def project(tmp_path: Path, database_url: str):
    """A new, empty project (default document types and attention-point schemes)."""
    is_sqlite = database_url.startswith("sqlite")
    context = create_project(tmp_path / "projekt", "Testprojekt 2019",
                             database_url=None if is_sqlite else database_url, actor="test")
    yield context
    context.close()

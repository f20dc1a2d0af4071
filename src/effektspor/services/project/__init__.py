"""Creating and opening a project: a folder with a settings file and (by default) SQLite.

A project folder holds ``effektspor.yaml`` (name, database URL if not the embedded
SQLite file) and ``effektspor.sqlite``. A local SQLite database is migrated automatically
(with a backup copy first); a server database must be migrated explicitly with
``effektspor migrer`` so that several users never upgrade it by accident.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from effektspor.domain import events
from effektspor.domain.attention_points import BUILTIN_SCHEMES
from effektspor.domain.errors import EffektsporError
from effektspor.domain.vocabulary import DOCUMENT_TYPES
from effektspor.services.events import record_event
from effektspor.services.project.files import (
    SETTINGS_FILE,
    make_private_folder,
    tighten_project_folder,
    write_private_text,
)
from effektspor.store import tables as t
from effektspor.store.database import (
    is_up_to_date,
    make_engine,
    make_session_factory,
    sqlite_path,
    sqlite_url,
    transaction,
    upgrade,
)

SQLITE_FILE = "effektspor.sqlite"

#: The environment variable with the local user's coder name (used before the login name).
CODER_ENV = "EFFEKTSPOR_KODER"


def current_user() -> str:
    """The name of the person running effektspor on this machine: ``EFFEKTSPOR_KODER``
    if set, else the login name. (With a project at hand, use
    :func:`effektspor.services.contract.local_actor`, which also reads the project's
    settings.)"""
    configured = os.environ.get(CODER_ENV, "").strip()
    if configured:
        return configured
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user in some containers
        return "ukendt"


@dataclass
class ProjectContext:
    """An open project: its folder, database and the row id of the project."""

    folder: Path
    name: str
    database_url: str
    engine: Engine
    sessions: sessionmaker[Session]
    project_id: int

    @property
    def is_local(self) -> bool:
        """True for the embedded SQLite database (single user)."""
        return self.database_url.startswith("sqlite")

    def transaction(self):
        """A session in one transaction (commit on success, rollback on error)."""
        return transaction(self.sessions)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> ProjectContext:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def create_project(folder: Path, name: str, *, database_url: str | None = None,
                   description: str | None = None, actor: str | None = None) -> ProjectContext:
    """Create a project folder with its database, default document types and schemes."""
    folder = Path(folder)
    settings_path = folder / SETTINGS_FILE
    if settings_path.exists():
        raise EffektsporError(f"Der findes allerede et projekt i {folder}.")
    make_private_folder(folder)
    url = database_url or sqlite_url(folder / SQLITE_FILE)
    engine = make_engine(url)
    upgrade(engine, backup=False)
    sessions = make_session_factory(engine)
    with transaction(sessions) as session:
        if session.scalar(select(t.Project.id).where(t.Project.name == name)) is not None:
            engine.dispose()
            raise EffektsporError(f"Databasen har allerede et projekt med navnet '{name}'.")
        project = t.Project(name=name, description=description, settings={})
        session.add(project)
        session.flush()
        _seed_vocabularies(session, project.id)
        record_event(session, events.project_created(project_id=project.id, name=name),
                     actor=actor or current_user(), project_id=project.id)
        project_id = project.id
    settings = {"navn": name}
    if database_url:
        settings["database"] = database_url
    write_private_text(settings_path, yaml.safe_dump(settings, allow_unicode=True))
    return ProjectContext(folder, name, url, engine, sessions, project_id)


def _seed_vocabularies(session: Session, project_id: int) -> None:
    for position, (code, label) in enumerate(DOCUMENT_TYPES.items()):
        session.add(t.DocumentType(project_id=project_id, code=code, label=label,
                                   position=position))
    for scheme in BUILTIN_SCHEMES:
        row = t.AttentionPointScheme(project_id=project_id, version=scheme.version,
                                     valid_from=scheme.valid_from)
        row.points = [t.AttentionPoint(name=name, position=i)
                      for i, name in enumerate(scheme.points)]
        session.add(row)


def read_settings(folder: Path) -> dict:
    """Read the project folder's settings file (Danish error if it is missing)."""
    settings_path = Path(folder) / SETTINGS_FILE
    if not settings_path.exists():
        raise EffektsporError(
            f"{folder} er ikke en effektspor-projektmappe ({SETTINGS_FILE} mangler). "
            "Opret et projekt med 'effektspor opret'.")
    settings = yaml.safe_load(settings_path.read_text(encoding="utf-8")) or {}
    if not settings.get("navn"):
        raise EffektsporError(f"{settings_path}: feltet 'navn' mangler.")
    return settings


def open_project(folder: Path, *, migrate_local: bool = True) -> ProjectContext:
    """Open the project in ``folder``; a local SQLite database is upgraded if needed."""
    folder = Path(folder)
    settings = read_settings(folder)
    name = settings["navn"]
    url = settings.get("database") or sqlite_url(folder / SQLITE_FILE)
    engine = make_engine(url)
    database = sqlite_path(engine)
    if database is not None:  # a server's folder may be shared with its service on purpose
        tighten_project_folder(folder, database=database)
    if not is_up_to_date(engine):
        if url.startswith("sqlite") and migrate_local:
            upgrade(engine)
        else:
            engine.dispose()
            raise EffektsporError(
                "Databasen har ikke det nyeste skema. En administrator skal køre "
                "'effektspor migrer' først (tag en sikkerhedskopi inden).")
    sessions = make_session_factory(engine)
    with sessions() as session:
        project_id = session.scalar(select(t.Project.id).where(t.Project.name == name))
    if project_id is None:
        engine.dispose()
        raise EffektsporError(f"Projektet '{name}' findes ikke i databasen {url}.")
    return ProjectContext(folder, name, url, engine, sessions, project_id)


def migrate_database(folder: Path) -> bool:
    """Upgrade the database of the project in ``folder`` to the newest schema (a local one
    after a backup copy); True when anything changed. The explicit step for a server
    database (``effektspor migrer``), which :func:`open_project` never upgrades."""
    settings = read_settings(folder)
    url = settings.get("database") or sqlite_url(Path(folder) / SQLITE_FILE)
    engine = make_engine(url)
    try:
        return upgrade(engine)
    finally:
        engine.dispose()

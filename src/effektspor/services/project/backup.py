"""Backup and restore of a local (SQLite) project: ``effektspor sikkerhedskopi`` and ``gendan``.

A backup is a consistent snapshot made with SQLite's online backup API, so it can be taken
while the web app is running and writing; it is a single file with mode 0600, written under
a temporary name and renamed when complete. By default it goes to the project's folder
``sikkerhedskopier/`` (and is then removed by the next pseudonymisation, see
``project_files``); ``target`` puts it elsewhere.

A restore never leaves a half-written database: the backup is checked (an effektspor
database at a known schema revision, holding this project), copied next to the database
under a temporary name and migrated there; only then is it moved over the database in one
rename, after the old database has been kept as an undo copy. If the restored project cannot
be opened, the old database is put back. PostgreSQL projects use ``pg_dump``/``pg_restore``.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml
from sqlalchemy.engine import make_url

from effektspor.domain import events
from effektspor.domain.errors import EffektsporError
from effektspor.domain.formatting import format_number
from effektspor.services.events import record_event
from effektspor.services.project import (
    SQLITE_FILE,
    ProjectContext,
    current_user,
    open_project,
    read_settings,
)
from effektspor.services.project.files import (
    BACKUP_FOLDER,
    SETTINGS_FILE,
    is_effektspor_database,
    make_private_folder,
    write_private_text,
)
from effektspor.store.database import (
    PRIVATE_FILE_MODE,
    SQLITE_COMPANIONS,
    copy_sqlite,
    create_private_file,
    head_revisions,
    is_up_to_date,
    known_revisions,
    make_engine,
    sqlite_path,
    sqlite_url,
    upgrade,
)

BACKUP_SUFFIX = ".sqlite"
COUNTED_TABLES = {"sager": "cases", "notater": "notes", "dokumenter": "documents",
                  "personer": "persons", "kodninger": "codings", "hændelser": "events"}


class ServerDatabaseError(EffektsporError):
    """The project lies on a PostgreSQL server: backups are made with pg_dump there."""

    def __init__(self) -> None:
        super().__init__(
            "Projektet ligger på en PostgreSQL-server. Sikkerhedskopier af en server tages med "
            "PostgreSQL's egne værktøjer: 'pg_dump --format=custom' tager en kopi af hele "
            "databasen, og 'pg_restore' lægger den tilbage. Se afsnittet om sikkerhedskopier i "
            "brugervejledningen til webappen (docs/brugervejledning/web.md).")


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds."""

    path: Path
    revisions: frozenset[str]
    projects: tuple[str, ...]
    counts: dict[str, int]
    not_pseudonymised: int
    persons_with_cpr: int
    newest_event: str | None

    @property
    def is_current(self) -> bool:
        """True when the backup is at this version's newest schema."""
        return set(self.revisions) == head_revisions()

    @property
    def holds_personal_data(self) -> bool:
        """True when texts are not pseudonymised or persons still have CPR numbers."""
        return self.not_pseudonymised > 0 or self.persons_with_cpr > 0


@dataclass
class BackupSummary:
    """What ``create_backup`` wrote."""

    path: Path
    size: int
    info: BackupInfo
    in_project_folder: bool

    def messages(self) -> list[str]:
        """Danish lines for the user."""
        lines = [f"Sikkerhedskopi gemt: {self.path} ({_size(self.size)}, kun læsbar for dig).",
                 "Indhold: " + _counts_text(self.info.counts) + "."]
        if self.info.holds_personal_data:
            lines.append("Kopien indeholder personoplysninger (tekster, der ikke er "
                         "pseudonymiseret, eller CPR-numre). Opbevar den lige så sikkert som "
                         "selve projektet.")
            if self.in_project_folder:
                lines.append("Den ligger i projektmappen og slettes derfor ved næste "
                             "pseudonymisering.")
        if self.in_project_folder:
            lines.append("Kopiér den til et andet drev (eller brug --til), så den også "
                         "overlever, hvis projektmappen går tabt.")
        return lines


@dataclass
class RestoreSummary:
    """What ``restore_backup`` did."""

    database: Path
    source: Path
    undo_copy: Path | None
    migrated_from: frozenset[str]
    counts: dict[str, int]
    created_project_folder: bool = False
    notes: list[str] = field(default_factory=list)

    def messages(self) -> list[str]:
        """Danish lines for the user."""
        lines = [f"Projektet er gendannet fra {self.source}.",
                 "Indhold nu: " + _counts_text(self.counts) + "."]
        if self.migrated_from:
            lines.append("Kopien var fra en ældre version (skema "
                         f"{'+'.join(sorted(self.migrated_from))}) og er opdateret til den "
                         "nyeste.")
        if self.undo_copy is not None:
            lines.append(f"Den tidligere database er gemt som {self.undo_copy}. Slet den, når "
                         "du har tjekket projektet (den indeholder de samme slags oplysninger "
                         "som projektet).")
        if self.created_project_folder:
            lines.append(f"Projektmappen er oprettet ({self.database.parent}).")
        return lines + self.notes


def _size(size: int) -> str:
    if size >= 1 << 20:
        return f"{format_number(size / (1 << 20), 1)} MB"
    return f"{max(1, round(size / 1024))} kB"


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{counts.get(label, 0)} {label}" for label in COUNTED_TABLES)


def local_database(project_dir: Path) -> Path:
    """The SQLite file of the project in ``project_dir`` (ServerDatabaseError for a server)."""
    folder = Path(project_dir)
    url = read_settings(folder).get("database")
    if url and not str(url).startswith("sqlite"):
        raise ServerDatabaseError()
    if not url:
        return folder / SQLITE_FILE
    database = make_url(str(url)).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise EffektsporError("Projektets SQLite-database er ikke en almindelig fil.")
    return Path(database)


def inspect_backup(*, source: Path) -> BackupInfo:
    """Check that ``source`` is an intact effektspor database this version knows, and read
    its schema revision, projects and counts (Danish errors otherwise)."""
    source = Path(source)
    if not source.is_file():
        raise EffektsporError(f"Sikkerhedskopien {source} findes ikke.")
    if not is_effektspor_database(source):
        raise EffektsporError(f"{source} er ikke en sikkerhedskopi af et effektspor-projekt.")
    connection = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        check = connection.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise EffektsporError(f"Sikkerhedskopien {source} er beskadiget og kan ikke bruges.")
        revisions = frozenset(row[0] for row in connection.execute(
            "SELECT version_num FROM alembic_version"))
        tables = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        projects = tuple(row[0] for row in connection.execute(
            "SELECT name FROM projects ORDER BY id"))
        counts = {label: _count(connection, tables, table)
                  for label, table in COUNTED_TABLES.items()}
        not_pseudonymised = sum(
            _count(connection, tables, table, "pseudonymised = 0")
            for table in ("notes", "documents"))
        persons_with_cpr = _count(connection, tables, "persons", "cpr IS NOT NULL")
        newest = connection.execute("SELECT max(at) FROM events").fetchone()[0]
    except sqlite3.Error as error:
        raise EffektsporError(
            f"Sikkerhedskopien {source} kan ikke læses ({type(error).__name__}).") from None
    finally:
        connection.close()
    unknown = revisions - known_revisions()
    if unknown or not revisions:
        raise EffektsporError(
            f"Sikkerhedskopien {source} er lavet med en nyere version af effektspor (skema "
            f"{'+'.join(sorted(revisions)) or 'ukendt'}). Opdatér effektspor, og prøv igen.")
    return BackupInfo(source, revisions, projects, counts, not_pseudonymised,
                      persons_with_cpr, None if newest is None else str(newest))


def _count(connection: sqlite3.Connection, tables: set[str], table: str,
           condition: str | None = None) -> int:
    if table not in tables:
        return 0
    where = f" WHERE {condition}" if condition else ""
    return int(connection.execute(f"SELECT count(*) FROM {table}{where}").fetchone()[0])


def _backup_name(project_name: str, now: datetime) -> str:
    slug = re.sub(r"[^\w-]+", "-", project_name).strip("-").lower() or "projekt"
    return f"{slug}-{now.strftime('%Y%m%dT%H%M%S')}{BACKUP_SUFFIX}"


def _backup_target(project: ProjectContext, target: Path | None, now: datetime) -> Path:
    name = _backup_name(project.name, now)
    if target is None:
        folder = make_private_folder(Path(project.folder) / BACKUP_FOLDER)
        path = folder / name
        number = 1
        while path.exists():
            number += 1
            path = folder / name.replace(BACKUP_SUFFIX, f"-{number}{BACKUP_SUFFIX}")
        return path
    target = Path(target).expanduser()
    if target.is_dir():
        target = target / name
    if target.exists():
        raise EffektsporError(f"{target} findes allerede. effektspor overskriver aldrig en "
                              "fil med en sikkerhedskopi; vælg et andet navn.")
    if not target.parent.is_dir():
        raise EffektsporError(f"Mappen {target.parent} findes ikke.")
    return target


def create_backup(*, project: ProjectContext, actor: str, target: Path | None = None,
                  now: datetime | None = None) -> BackupSummary:
    """Write a consistent backup of a local project's database (mode 0600) and log it.

    ``target`` is a new file or an existing folder; without it the backup goes to the
    project's ``sikkerhedskopier/`` folder. Works while the web app is using the database.
    """
    database = sqlite_path(project.engine)
    if database is None:
        raise ServerDatabaseError()
    now = now or datetime.now(UTC)
    path = _backup_target(project, target, now)
    if path.resolve() == database.resolve():
        raise EffektsporError("Sikkerhedskopien kan ikke skrives oven i selve databasen.")
    copy_sqlite(database, path)
    info = inspect_backup(source=path)
    in_folder = path.resolve().is_relative_to(Path(project.folder).resolve())
    with project.transaction() as session:
        record_event(session, events.backup_made(
            file=str(path), revisions=sorted(info.revisions),
            counts={label: info.counts[label] for label in COUNTED_TABLES}),
            actor=actor, project_id=project.project_id)
    return BackupSummary(path, path.stat().st_size, info, in_folder)


def _take_offline(database: Path) -> None:
    """Make sure nobody uses ``database`` and fold its WAL file into it (Danish error if busy).

    Leaving WAL mode needs the only connection to the file, so this doubles as the check
    that the web app or another command is not running on the project.
    """
    try:
        connection = sqlite3.connect(database, timeout=0.5)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.execute("PRAGMA journal_mode=DELETE").fetchone()
            mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.OperationalError:
        mode = None
    if mode != "delete" or Path(f"{database}-wal").exists():
        raise EffektsporError(
            "Projektets database er i brug (fx af webappen eller en anden kørsel af "
            "effektspor). Stop den, og prøv igen – intet er ændret.")


def _keep_undo_copy(database: Path, stamp: str) -> Path:
    undo = database.with_name(f"{database.name}.før-gendannelse-{stamp}.bak")
    number = 1
    while undo.exists():
        number += 1
        undo = database.with_name(f"{database.name}.før-gendannelse-{stamp}-{number}.bak")
    try:
        os.link(database, undo)
    except OSError:
        create_private_file(undo)
        shutil.copyfile(database, undo)
    with contextlib.suppress(OSError):
        undo.chmod(PRIVATE_FILE_MODE)
    return undo


def _prepare(source: Path, staging: Path, project_name: str) -> bool:
    """Copy the backup to ``staging``, migrate it there and check the project is in it."""
    copy_sqlite(source, staging)
    engine = make_engine(sqlite_url(staging))
    try:
        migrated = upgrade(engine, backup=False)
        if not is_up_to_date(engine):  # pragma: no cover - upgrade reaches the heads
            raise EffektsporError("Sikkerhedskopien kunne ikke opdateres til det nyeste skema.")
    finally:
        engine.dispose()
    connection = sqlite3.connect(staging)
    try:
        connection.execute("PRAGMA journal_mode=DELETE")
        found = connection.execute("SELECT count(*) FROM projects WHERE name = ?",
                                   (project_name,)).fetchone()[0]
    finally:
        connection.close()
    if not found:  # pragma: no cover - checked on the backup before copying
        raise EffektsporError(f"Projektet '{project_name}' findes ikke i sikkerhedskopien.")
    return migrated


def restore_backup(*, project_dir: Path, source: Path, actor: str | None = None,
                   now: datetime | None = None) -> RestoreSummary:
    """Replace the project's database with the backup ``source`` (the caller has confirmed).

    The project folder may also be new or empty: it is then created from the backup (which
    must hold exactly one project). The old database is kept as
    ``effektspor.sqlite.før-gendannelse-<time>.bak`` and put back if anything fails.
    """
    folder, source = Path(project_dir), Path(source)
    created = not (folder / SETTINGS_FILE).exists()
    database = folder / SQLITE_FILE if created else local_database(folder)
    info = inspect_backup(source=source)
    if created:
        if folder.exists() and any(folder.iterdir()):
            raise EffektsporError(
                f"{folder} er ikke en effektspor-projektmappe og er ikke tom. Gendan til en "
                "eksisterende projektmappe eller til en ny, tom mappe.")
        if len(info.projects) != 1:
            raise EffektsporError(
                "Sikkerhedskopien indeholder flere projekter "
                f"({', '.join(info.projects)}). Opret projektmappen med 'effektspor opret' "
                "og det rigtige navn først, og gendan så til den.")
        name = info.projects[0]
    else:
        name = read_settings(folder)["navn"]
        if name not in info.projects:
            raise EffektsporError(
                f"Sikkerhedskopien indeholder ikke projektet '{name}' (men: "
                f"{', '.join(info.projects) or 'ingen projekter'}).")
        if database.exists() and source.resolve() == database.resolve():
            raise EffektsporError("Sikkerhedskopien er projektets egen database.")
    now = now or datetime.now(UTC)
    stamp = now.strftime("%Y%m%dT%H%M%S")
    make_private_folder(database.parent)
    staging = database.with_name(f".{database.name}.gendannes-{secrets.token_hex(4)}")
    undo: Path | None = None
    try:
        migrated = _prepare(source, staging, name)
        if database.exists():
            _take_offline(database)
            undo = _keep_undo_copy(database, stamp)
        for suffix in SQLITE_COMPANIONS:  # never let an old WAL file meet the new database
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.replace(staging, database)
    except BaseException:
        if undo is not None:
            undo.unlink(missing_ok=True)
        raise
    finally:
        for leftover in [staging, *(Path(f"{staging}{s}") for s in SQLITE_COMPANIONS)]:
            leftover.unlink(missing_ok=True)
    try:
        if created:
            write_private_text(folder / SETTINGS_FILE,
                               yaml.safe_dump({"navn": name}, allow_unicode=True))
        with open_project(folder) as project, project.transaction() as session:
            record_event(session, events.backup_restored(
                file=str(source), revisions=sorted(info.revisions),
                undo_copy=str(undo) if undo else None),
                actor=actor or current_user(), project_id=project.project_id)
        counts = _live_counts(database)
    except BaseException:
        for suffix in SQLITE_COMPANIONS:
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        if undo is not None:
            os.replace(undo, database)
        else:
            database.unlink(missing_ok=True)
            if created:
                (folder / SETTINGS_FILE).unlink(missing_ok=True)
        raise
    return RestoreSummary(database, source, undo,
                          frozenset(info.revisions) if migrated else frozenset(), counts,
                          created_project_folder=created)


def _live_counts(database: Path) -> dict[str, int]:
    connection = sqlite3.connect(database)  # read-write, so closing tidies WAL and SHM
    try:
        tables = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {label: _count(connection, tables, table)
                for label, table in COUNTED_TABLES.items()}
    finally:
        connection.close()


__all__ = ["BackupInfo", "BackupSummary", "RestoreSummary", "ServerDatabaseError",
           "create_backup", "inspect_backup", "local_database", "restore_backup"]

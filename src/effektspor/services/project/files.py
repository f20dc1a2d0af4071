"""The files effektspor writes in a project folder: private modes, and no plain-text copies.

A project folder holds personal data, so effektspor keeps it to its owner: the folder is
0700; the settings file, the SQLite database with its WAL/SHM files and every copy of it
are 0600 (``tighten_project_folder``). After a pseudonymisation, the database is compacted
and the copies effektspor itself wrote in the project folder before it (the automatic
pre-migration backups, the undo copy of a restore, backups by ``effektspor sikkerhedskopi``
that lie in the folder) are removed, because they still hold the original names and CPR
numbers (``remove_plaintext_remnants``).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from effektspor.store.database import (
    PRIVATE_FILE_MODE,
    SQLITE_COMPANIONS,
    SQLITE_HEADER,
    restrict_sqlite_files,
    sqlite_path,
)

if TYPE_CHECKING:  # pragma: no cover - typing only
    from effektspor.services.project import ProjectContext

PRIVATE_DIR_MODE = 0o700
BACKUP_FOLDER = "sikkerhedskopier"
SETTINGS_FILE = "effektspor.yaml"
COPY_SUFFIXES = (".bak", ".sqlite", ".sqlite3", ".db")
_SHRED_CHUNK = 1 << 20


def make_private_folder(folder: Path) -> Path:
    """Create ``folder`` (and its parents) and make it accessible to its owner only."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    _chmod(folder, PRIVATE_DIR_MODE)
    return folder


def write_private_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` with mode 0600, also when the file exists."""
    descriptor = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, PRIVATE_FILE_MODE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    _chmod(Path(path), PRIVATE_FILE_MODE)


def tighten_project_folder(folder: Path, *, database: Path | None) -> None:
    """Make the project folder 0700 and the files effektspor wrote in it 0600.

    Used when a project is created or opened, so projects made by older versions (0755 and
    0644) are tightened too. Files and folders owned by somebody else are left alone.
    """
    folder = Path(folder)
    _chmod(folder, PRIVATE_DIR_MODE)
    _chmod(folder / SETTINGS_FILE, PRIVATE_FILE_MODE)
    if database is None:
        return
    restrict_sqlite_files(database)
    backups = folder / BACKUP_FOLDER
    if backups.is_dir():
        _chmod(backups, PRIVATE_DIR_MODE)
    for copy in database_copies(folder=folder, database=database):
        _chmod(copy, PRIVATE_FILE_MODE)


def _chmod(path: Path, mode: int) -> None:
    with contextlib.suppress(FileNotFoundError, PermissionError, NotImplementedError):
        if path.is_symlink():
            return
        if path.stat().st_mode & 0o777 & ~mode:
            path.chmod(mode)


def database_projects(path: Path) -> set[str] | None:
    """The project names in the effektspor database ``path`` (None if it is not one).

    An effektspor database is a SQLite file with the event log, the projects and the schema
    version; the file is opened read-only and never changed.
    """
    try:
        with Path(path).open("rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return None
    except OSError:
        return None
    try:
        connection = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1",
                                     uri=True)
    except sqlite3.Error:
        return None
    try:
        names = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"alembic_version", "events", "projects"} <= names:
            return None
        return {row[0] for row in connection.execute("SELECT name FROM projects")}
    except sqlite3.Error:
        return None
    finally:
        connection.close()


def is_effektspor_database(path: Path) -> bool:
    """True if ``path`` is a SQLite file with effektspor's event log and schema version."""
    return database_projects(path) is not None


def database_copies(*, folder: Path, database: Path,
                    project: str | None = None) -> list[Path]:
    """Copies of an effektspor database anywhere in the project folder (not the live one).

    Files named ``*.bak``, ``*.sqlite``, ``*.sqlite3`` or ``*.db`` that are effektspor
    databases (holding the project named ``project``, if given); folders holding a project
    of their own (an ``effektspor.yaml``) and symbolic links are skipped, so a nested
    project is never touched.
    """
    root = Path(folder)
    live = {Path(f"{database}{suffix}").resolve() for suffix in ("", *SQLITE_COMPANIONS)}
    found: list[Path] = []
    for current, subfolders, files in os.walk(root):
        here = Path(current)
        subfolders[:] = sorted(name for name in subfolders
                               if not (here / name).is_symlink()
                               and not (here / name / SETTINGS_FILE).exists())
        for name in sorted(files):
            path = here / name
            if (not name.endswith(COPY_SUFFIXES) or path.is_symlink()
                    or path.resolve() in live):
                continue
            projects = database_projects(path)
            if projects is not None and (project is None or project in projects):
                found.append(path)
    return found


def holds_clear_text(path: Path) -> bool:
    """True unless the database copy at ``path`` is known to hold only pseudonymised
    material (every note and document flagged, no person with a CPR number or unflagged).
    A copy that cannot be read counts as holding clear text."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return True
    try:
        person_columns = {row[1] for row in connection.execute("PRAGMA table_info(persons)")}
        checks = ["SELECT 1 FROM notes WHERE NOT pseudonymised LIMIT 1",
                  "SELECT 1 FROM documents WHERE NOT pseudonymised LIMIT 1",
                  "SELECT 1 FROM persons WHERE cpr IS NOT NULL LIMIT 1"]
        if "pseudonymised" in person_columns:
            checks.append("SELECT 1 FROM persons WHERE NOT pseudonymised LIMIT 1")
        return any(connection.execute(check).fetchone() for check in checks)
    except sqlite3.Error:
        return True
    finally:
        connection.close()


def shred(path: Path) -> None:
    """Overwrite a file with zeros, then delete it (with its SQLite companion files).

    Overwriting is a best effort: on SSDs and copy-on-write file systems the old blocks may
    survive, which is why the project folder should lie on an encrypted drive.
    """
    for target in [Path(path), *(Path(f"{path}{suffix}") for suffix in SQLITE_COMPANIONS)]:
        with contextlib.suppress(FileNotFoundError):
            size = target.stat().st_size
            with target.open("r+b") as handle:
                zeros = bytes(min(size, _SHRED_CHUNK))
                written = 0
                while written < size:
                    written += handle.write(zeros[:size - written])
                handle.flush()
                os.fsync(handle.fileno())
            target.unlink()


def compact_sqlite(engine: Engine) -> list[str]:
    """Checkpoint and truncate the WAL and VACUUM the database (outside any transaction).

    Afterwards neither the free pages of the database nor the WAL file hold the text that
    was overwritten. Returns Danish warnings when another process kept the database busy.
    """
    try:
        with engine.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.exec_driver_sql("VACUUM")
            busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()[0]
    except OperationalError:
        return ["Databasen kunne ikke komprimeres, fordi den er i brug af en anden proces "
                "(fx webappen). Gamle tekster kan stadig ligge i filens frie sider. Luk "
                "webappen, og kør pseudonymiseringen igen: den rydder op, også når der ikke "
                "er noget nyt at pseudonymisere."]
    if busy:
        return ["Databasens WAL-fil kunne ikke tømmes helt, fordi en anden proces (fx "
                "webappen) læser i databasen. Luk webappen, og kør pseudonymiseringen igen."]
    return []


@dataclass
class PlaintextCleanup:
    """What ``remove_plaintext_remnants`` did."""

    removed: list[Path] = field(default_factory=list)
    compacted: bool = False
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def messages(self) -> list[str]:
        """Danish lines for the user: what was removed and why, then the notes (the
        warnings are shown apart)."""
        lines: list[str] = []
        if self.removed:
            lines.append(
                f"{len(self.removed)} ældre kopi(er) af databasen i projektmappen er slettet, "
                "fordi de stadig indeholdt navne og CPR-numre fra før pseudonymiseringen:")
            lines += [f"  • {path}" for path in self.removed]
            lines.append("Tag en ny sikkerhedskopi med 'effektspor sikkerhedskopi', hvis du "
                         "vil have en.")
        if self.compacted:
            lines.append("Databasen er komprimeret (VACUUM), så de oprindelige tekster heller "
                         "ikke kan læses i databasefilens frie sider.")
        return lines + self.notes


def remove_plaintext_remnants(*, project: ProjectContext) -> PlaintextCleanup:
    """Compact the database and delete the copies of it in the project folder.

    Called after a successful pseudonymisation (after its transaction committed): copies
    that still hold material in clear (original texts, names, CPR numbers) are removed;
    backups taken after an earlier pseudonymisation hold none and are kept. On a
    PostgreSQL server nothing is deleted; the result explains what the administrator does.
    """
    database = sqlite_path(project.engine)
    if database is None:
        return PlaintextCleanup(notes=[
            "Projektet ligger på en PostgreSQL-server: gamle rækkeversioner med de oprindelige "
            "tekster kan ligge i serverens datafiler, indtil de overskrives. Bed "
            "administratoren om at køre 'VACUUM FULL' på tabellerne notes, documents og "
            "persons og om at slette sikkerhedskopier (pg_dump) fra før pseudonymiseringen."])
    cleanup = PlaintextCleanup()
    cleanup.warnings = compact_sqlite(project.engine)
    cleanup.compacted = not cleanup.warnings
    for copy in database_copies(folder=Path(project.folder), database=database,
                                project=project.name):
        if not holds_clear_text(copy):
            continue  # taken after the pseudonymisation: a backup to keep
        try:
            shred(copy)
        except OSError as error:
            cleanup.warnings.append(f"Kopien {copy} kunne ikke slettes ({error.strerror}). "
                                    "Slet den selv: den indeholder de oprindelige tekster.")
        else:
            cleanup.removed.append(copy)
    return cleanup


__all__ = ["BACKUP_FOLDER", "PlaintextCleanup", "compact_sqlite", "database_copies",
           "holds_clear_text",
           "database_projects", "is_effektspor_database", "make_private_folder",
           "remove_plaintext_remnants", "shred", "tighten_project_folder", "write_private_text"]

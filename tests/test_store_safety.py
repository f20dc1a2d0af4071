"""Nothing identifying outside the vault: SQLite settings, file modes, copies, errors.

All names and CPR numbers here are made up in the test (synthetic), never real.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import traceback
from datetime import date
from pathlib import Path

import click
import pytest
from alembic import command
from click.testing import CliRunner
from sqlalchemy import select, text

from effektspor.cli.common import friendly_errors
from effektspor.domain.errors import EffektsporError
from effektspor.domain.text import content_hash
from effektspor.services.privacy.project_run import pseudonymise_project
from effektspor.services.privacy.vault import vault_file
from effektspor.services.project import create_project, open_project
from effektspor.services.project.backup import create_backup
from effektspor.store import tables as t
from effektspor.store.database import alembic_config, make_engine, sqlite_url

PASSPHRASE = "hemmelig kode 2019"
FIRST = ["Freja", "Oscar", "Liv", "Noah", "Emma", "Aksel", "Ida", "Malthe"]
LAST = ["Qvortrup", "Bjerregaard", "Thygesen", "Kjærsgaard", "Vestergaard"]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    """Run with the common default umask 022, so the test sees what effektspor sets."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _people(n_cases: int) -> list[tuple[str, str, str, str]]:
    """(case id, child's name, child's CPR, mother's name) per case, all synthetic."""
    rows = []
    for i in range(n_cases):
        child = f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]}"
        mother = f"{FIRST[(i + 3) % len(FIRST)]}e {LAST[(i + 2) % len(LAST)]}"
        cpr = f"{(i % 28) + 1:02d}{(i % 12) + 1:02d}{10 + i % 9:02d}-{4100 + i:04d}"
        rows.append((f"S{i + 1}", child, cpr, mother))
    return rows


def _fill(project, people) -> None:
    with project.transaction() as session:
        point = session.scalar(select(t.AttentionPoint.id).limit(1))
        for external_id, child, cpr, mother in people:
            case = t.Case(project_id=project.project_id, external_id=external_id)
            session.add(case)
            session.flush()
            session.add(t.Person(case_id=case.id, role="barn", name=child, cpr=cpr,
                                 content_hash=content_hash(external_id, "barn", child)))
            session.add(t.Person(case_id=case.id, role="mor", name=mother, cpr=None,
                                 content_hash=content_hash(external_id, "mor", mother)))
            for number in range(3):
                note = (f"{child} (cpr {cpr}) kom med sin mor {mother} til samtale nummer "
                        f"{number + 1}. {mother} fortalte, at {child} sover bedre nu. Vi aftalte "
                        "et nyt møde om to uger, og familien var glade for forløbet. " * 2)
                session.add(t.Note(case_id=case.id, note_date=date(2019, 3, number + 1),
                                   attention_point_id=point, text=note,
                                   content_hash=content_hash(external_id, str(number), note)))


def _secrets(people) -> list[bytes]:
    found = []
    for _, child, cpr, mother in people:
        found += [child.encode(), cpr.encode(), mother.encode()]
    return found


def _readable_secrets(folder: Path, people, skip: tuple[Path, ...] = ()) -> set[bytes]:
    """Which of the people's names and CPR numbers can be read in any file under ``folder``
    (except under the paths in ``skip``)."""
    wanted = _secrets(people)
    seen: set[bytes] = set()
    for path in folder.rglob("*"):
        if path.is_file() and not any(path.is_relative_to(s) for s in skip):
            data = path.read_bytes()
            seen.update(secret for secret in wanted if secret in data)
    return seen


def _make_premigration_backup(folder: Path) -> Path:
    """Step the project's schema one revision back and open it: effektspor backs it up."""
    engine = make_engine(sqlite_url(folder / "effektspor.sqlite"))
    try:
        command.downgrade(alembic_config(engine), "-1")
    finally:
        engine.dispose()
    open_project(folder).close()
    backups = sorted(folder.glob("effektspor.sqlite.før-*.bak"))
    assert len(backups) == 1
    return backups[0]


def test_sqlite_connections_zero_deleted_content_and_hide_parameters(tmp_path):
    engine = make_engine(sqlite_url(tmp_path / "x.sqlite"))
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert engine.hide_parameters
    finally:
        engine.dispose()


def test_new_project_folder_and_database_are_private(tmp_path, open_umask):
    folder = tmp_path / "projekt"
    with create_project(folder, "Privat", actor="test") as project, \
            project.transaction() as session:
        session.add(t.Case(project_id=project.project_id, external_id="S1"))
        assert _mode(folder) == 0o700
        for name in ("effektspor.yaml", "effektspor.sqlite", "effektspor.sqlite-wal",
                     "effektspor.sqlite-shm"):
            assert _mode(folder / name) == 0o600, name


def test_opening_an_old_project_tightens_its_files(tmp_path, open_umask):
    folder = tmp_path / "projekt"
    create_project(folder, "Gammel", actor="test").close()
    folder.chmod(0o755)
    (folder / "effektspor.sqlite").chmod(0o644)
    (folder / "effektspor.yaml").chmod(0o644)
    old_copy = folder / "effektspor.sqlite.før-0004_analysis-20190101T000000.bak"
    old_copy.write_bytes((folder / "effektspor.sqlite").read_bytes())
    old_copy.chmod(0o644)
    open_project(folder).close()
    assert _mode(folder) == 0o700
    assert _mode(folder / "effektspor.sqlite") == 0o600
    assert _mode(folder / "effektspor.yaml") == 0o600
    assert _mode(old_copy) == 0o600


def test_premigration_backup_is_a_private_consistent_copy(tmp_path, open_umask):
    folder = tmp_path / "projekt"
    people = _people(3)
    with create_project(folder, "Migrering", actor="test") as project:
        _fill(project, people)
    backup = _make_premigration_backup(folder)
    assert _mode(backup) == 0o600
    connection = sqlite3.connect(backup)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert connection.execute("SELECT count(*) FROM persons").fetchone()[0] == 6
    finally:
        connection.close()
    assert not Path(f"{backup}-wal").exists()


def test_pseudonymisation_leaves_no_readable_names_or_cprs_in_the_project_folder(
        tmp_path, open_umask):
    folder = tmp_path / "projekt"
    people = _people(40)
    with create_project(folder, "Rester", actor="test") as project:
        _fill(project, people)
    premigration = _make_premigration_backup(folder)
    elsewhere = tmp_path / "andet drev"
    elsewhere.mkdir()
    nested = create_project(folder / "indlejret", "Indlejret", actor="test")
    _fill(nested, people[:1])
    nested.close()
    other_project = folder / "sidste-aars-projekt.sqlite"  # another project's copy: kept
    other_project.write_bytes((folder / "indlejret" / "effektspor.sqlite").read_bytes())
    (folder / "noter.db").write_text("ikke en database", encoding="utf-8")
    with open_project(folder) as project:
        own_backup = create_backup(project=project, actor="test").path
        outside_backup = create_backup(project=project, actor="test", target=elsewhere).path
        assert own_backup.parent == folder / "sikkerhedskopier"
        others = (folder / "indlejret", other_project)
        before = _readable_secrets(folder, people, skip=others)
        assert before == set(_secrets(people))  # the test data really is on disk
        summary = pseudonymise_project(project, actor="analytiker",
                                       vault_path=tmp_path / "nøgler", passphrase=PASSPHRASE)
        assert summary.persons == 80
        cleanup = summary.plaintext_cleanup
        assert cleanup is not None and cleanup.compacted and not cleanup.warnings
        assert sorted(cleanup.removed) == sorted([premigration, own_backup])
        assert _readable_secrets(folder, people, skip=others) == set()
    message = "\n".join(cleanup.messages())
    assert "fordi de stadig indeholdt navne og CPR-numre" in message
    assert str(premigration) in message and "VACUUM" in message
    assert not premigration.exists() and not own_backup.exists()
    assert outside_backup.exists()  # only copies inside the project folder are removed
    assert (folder / "indlejret" / "effektspor.sqlite").exists()
    assert (folder / "noter.db").exists() and other_project.exists()
    assert not (folder / "effektspor.sqlite-wal").exists() or \
        (folder / "effektspor.sqlite-wal").stat().st_size == 0


def test_cli_prints_what_the_cleanup_removed(tmp_path, monkeypatch):
    folder = tmp_path / "projekt"
    with create_project(folder, "CLI-rester", actor="test") as project:
        _fill(project, _people(2))
    backup = _make_premigration_backup(folder)
    monkeypatch.setenv("EFFEKTSPOR_NOEGLE", PASSPHRASE)
    from effektspor.cli.main import cli

    result = CliRunner().invoke(cli, ["pseudonymiser", "-p", str(folder), "--nøglefil",
                                      str(tmp_path / "nøgler")])
    assert result.exit_code == 0, result.output
    assert "ældre kopi(er) af databasen i projektmappen er slettet" in result.output
    assert backup.name in result.output.replace("\n", "")
    assert not backup.exists()


@pytest.mark.parametrize("where", ["undermappe", "symlink"])
def test_key_file_anywhere_in_the_project_tree_is_refused(tmp_path, where):
    folder = tmp_path / "projekt"
    with create_project(folder, "Nøgle", actor="test") as project:
        if where == "undermappe":
            target = folder / "a" / "b"
            target.mkdir(parents=True)
        else:
            target = tmp_path / "ser-uskyldig-ud"
            target.symlink_to(folder / "rapport", target_is_directory=True)
            (folder / "rapport").mkdir()
        with pytest.raises(EffektsporError, match="eller i en mappe inden i den"):
            vault_file(project, target)
        with pytest.raises(EffektsporError, match="må ikke ligge i projektmappen"):
            pseudonymise_project(project, actor="a", vault_path=target / "x.effektspor-noegle",
                                 passphrase=PASSPHRASE)
        assert vault_file(project, tmp_path / "nøgler").parent == tmp_path / "nøgler"


CPR = "241299-4321"


@click.command()
@click.argument("folder", type=click.Path(path_type=Path))
@friendly_errors
def _insert_bad_person(folder: Path) -> None:
    with open_project(folder) as project, project.transaction() as session:
        case = t.Case(project_id=project.project_id, external_id="S1")
        session.add(case)
        session.flush()
        session.add(t.Person(case_id=case.id, role=None, name="Ragnhild Qvortrup", cpr=CPR,
                             content_hash="x"))


def test_database_error_shows_no_cpr_or_name(project):
    result = CliRunner().invoke(_insert_bad_person, [str(project.folder)])
    shown = result.output  # stdout and stderr
    if result.exc_info is not None and not isinstance(result.exception, SystemExit):
        shown += "".join(traceback.format_exception(*result.exc_info))  # what Python prints
    assert result.exit_code == 1
    assert "Databasen afviste ændringen" in shown
    assert CPR not in shown and "Ragnhild" not in shown
    assert "INSERT" not in shown


def test_statement_errors_carry_no_parameters(tmp_path):
    with create_project(tmp_path / "p", "Fejl", actor="test") as project, \
            pytest.raises(Exception) as caught, project.transaction() as session:
        session.execute(text("INSERT INTO persons (case_id, role, name, cpr, content_hash)"
                             " VALUES (:case, NULL, :name, :cpr, 'x')"),
                        {"case": 999, "name": "Ragnhild Qvortrup", "cpr": CPR})
    assert CPR not in str(caught.value) and "Ragnhild" not in str(caught.value)

"""Backup and restore of local projects (``sikkerhedskopi``, ``gendan``). Synthetic data only."""

from __future__ import annotations

import sqlite3
import stat
import threading
from datetime import date
from pathlib import Path

import pytest
import yaml
from alembic import command
from click.testing import CliRunner
from sqlalchemy import func, select

from effektspor.cli.main import cli
from effektspor.domain.errors import EffektsporError
from effektspor.domain.text import content_hash
from effektspor.services.events import log_event
from effektspor.services.project import backup as backup_service
from effektspor.services.project import create_project, open_project
from effektspor.services.project.backup import (
    ServerDatabaseError,
    create_backup,
    inspect_backup,
    restore_backup,
)
from effektspor.store import tables as t
from effektspor.store.database import (
    alembic_config,
    make_engine,
    make_session_factory,
    sqlite_url,
    transaction,
)
from effektspor.store.tables_coding import Coding
from support.database import create_sqlite_project


def _fill(project, cases: int = 3, first: int = 0) -> None:
    with project.transaction() as session:
        point = session.scalar(select(t.AttentionPoint.id).limit(1))
        for i in range(first, first + cases):
            case = t.Case(project_id=project.project_id, external_id=f"S{i + 1}")
            session.add(case)
            session.flush()
            session.add(t.Person(case_id=case.id, role="barn", name=f"Barn {i + 1}", cpr=None,
                                 content_hash=content_hash(f"S{i}", "barn")))
            for n in range(2):
                text = f"Notat {n} i sag {i + 1}: samtale om trivsel."
                note = t.Note(case_id=case.id, note_date=date(2019, 1, n + 1),
                              attention_point_id=point, text=text, pseudonymised=True,
                              content_hash=content_hash(f"S{i}", str(n), text))
                session.add(note)
                session.flush()
                session.add(Coding(project_id=project.project_id, note_id=note.id, start=0,
                                   end=5, quote=text[:5], code_key="trivsel", coder="kim"))
        log_event(session, actor="test", action="import", project_id=project.project_id,
                  details={"sager": cases})


def _state(project) -> dict:
    """Counts of cases, notes, persons, codings and the whole event log."""
    with project.sessions() as session:
        counts = {table.__tablename__: session.scalar(select(func.count()).select_from(table))
                  for table in (t.Case, t.Note, t.Person, Coding)}
        events = [(e.id, e.at, e.actor, e.action, e.object_type, e.object_id, e.details)
                  for e in session.scalars(select(t.Event).order_by(t.Event.id))]
    return {"counts": counts, "events": events}


@pytest.fixture
def local(tmp_path, sqlite_template):
    context = create_sqlite_project(sqlite_template, tmp_path / "projekt", "Sikkerhed 2019",
                                    actor="test")
    _fill(context)
    yield context
    context.close()


def test_backup_and_restore_round_trip(local, tmp_path):
    before = _state(local)
    summary = create_backup(project=local, actor="test", target=tmp_path)
    assert stat.S_IMODE(summary.path.stat().st_mode) == 0o600
    assert summary.path.parent == tmp_path and summary.path.suffix == ".sqlite"
    assert summary.info.counts["sager"] == 3 and summary.info.counts["kodninger"] == 6
    assert not summary.info.holds_personal_data and not summary.in_project_folder
    _fill(local, cases=2, first=10)  # changes after the backup, which the restore undoes
    local.close()
    restored = restore_backup(project_dir=local.folder, source=summary.path, actor="test")
    assert restored.undo_copy is not None and restored.undo_copy.exists()
    assert stat.S_IMODE(restored.undo_copy.stat().st_mode) == 0o600
    assert restored.counts["sager"] == 3
    with open_project(local.folder) as project:
        after = _state(project)
    assert after["counts"] == before["counts"]
    assert after["events"][:len(before["events"])] == before["events"]
    assert [e[3] for e in after["events"][len(before["events"]):]] == ["gendannelse"]
    assert stat.S_IMODE((local.folder / "effektspor.sqlite").stat().st_mode) == 0o600
    assert not list(local.folder.glob(".effektspor.sqlite.gendannes-*"))
    assert str(restored.undo_copy) in " ".join(restored.messages())


def test_backup_is_consistent_while_another_connection_writes(local, tmp_path):
    """A writer adds a case with five notes per transaction during the backup."""
    engine = make_engine(local.database_url)
    sessions = make_session_factory(engine)
    with sessions() as session:
        point = session.scalar(select(t.AttentionPoint.id).limit(1))
    started, stop = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def write() -> None:
        number = 0
        try:
            while not stop.is_set() or number < 5:
                number += 1
                with transaction(sessions) as session:
                    case = t.Case(project_id=local.project_id, external_id=f"W{number}")
                    session.add(case)
                    session.flush()
                    for n in range(5):
                        session.add(t.Note(case_id=case.id, note_date=date(2019, 2, 1),
                                           attention_point_id=point, text=f"skrevet {n}",
                                           content_hash=f"w{number}-{n}"))
                if number == 3:
                    started.set()
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
            started.set()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert started.wait(60)
        summary = create_backup(project=local, actor="test", target=tmp_path / "kopi.sqlite")
    finally:
        stop.set()
        writer.join(60)
        engine.dispose()
    assert errors == []
    connection = sqlite3.connect(summary.path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        per_case = connection.execute(
            "SELECT c.external_id, count(n.id) FROM cases c LEFT JOIN notes n "
            "ON n.case_id = c.id WHERE c.external_id LIKE 'W%' GROUP BY c.id").fetchall()
    finally:
        connection.close()
    assert len(per_case) >= 3
    assert {count for _, count in per_case} == {5}  # never half a transaction


def test_default_backup_lies_in_the_project_folder_and_never_overwrites(local, tmp_path):
    first = create_backup(project=local, actor="test")
    second = create_backup(project=local, actor="test")
    assert first.path.parent == local.folder / "sikkerhedskopier" == second.path.parent
    assert first.path != second.path
    assert stat.S_IMODE(first.path.parent.stat().st_mode) == 0o700
    assert first.in_project_folder and "overlever" in " ".join(first.messages())
    with pytest.raises(EffektsporError, match="overskriver aldrig"):
        create_backup(project=local, actor="test", target=first.path)
    with local.sessions() as session:
        actions = [e.action for e in session.scalars(select(t.Event))]
    assert actions.count("sikkerhedskopi") == 2


def test_restore_refuses_while_the_project_is_in_use(local, tmp_path):
    summary = create_backup(project=local, actor="test", target=tmp_path)
    database = local.folder / "effektspor.sqlite"
    with local.sessions() as session:  # an open connection, like the web app's
        session.execute(select(1))
        with pytest.raises(EffektsporError, match="er i brug"):
            restore_backup(project_dir=local.folder, source=summary.path, actor="test")
    assert not list(local.folder.glob("*.før-gendannelse-*"))
    assert not list(local.folder.glob(".effektspor.sqlite.gendannes-*"))
    local.close()
    connection = sqlite3.connect(database)
    try:
        assert connection.execute("SELECT count(*) FROM cases").fetchone()[0] == 3
    finally:
        connection.close()


def test_failed_restore_puts_the_old_database_back(local, tmp_path, monkeypatch):
    summary = create_backup(project=local, actor="test", target=tmp_path)
    _fill(local, cases=1, first=10)
    before = _state(local)
    local.close()

    def broken(folder, **_):
        raise EffektsporError("kunstig fejl")

    monkeypatch.setattr(backup_service, "open_project", broken)
    with pytest.raises(EffektsporError, match="kunstig fejl"):
        restore_backup(project_dir=local.folder, source=summary.path, actor="test")
    monkeypatch.undo()
    with open_project(local.folder) as project:
        assert _state(project) == before
    assert not list(local.folder.glob("*.før-gendannelse-*"))
    assert not list(local.folder.glob(".effektspor.sqlite.gendannes-*"))


def test_older_backup_is_migrated_and_bad_files_are_refused(local, tmp_path):
    summary = create_backup(project=local, actor="test", target=tmp_path / "gammel.sqlite")
    engine = make_engine(sqlite_url(summary.path))
    try:
        command.downgrade(alembic_config(engine), "-1")
    finally:
        engine.dispose()
    assert not inspect_backup(source=summary.path).is_current
    local.close()
    restored = restore_backup(project_dir=local.folder, source=summary.path, actor="test")
    assert restored.migrated_from and "ældre version" in " ".join(restored.messages())
    with open_project(local.folder) as project:
        assert _state(project)["counts"]["cases"] == 3
    not_sqlite = tmp_path / "noget.sqlite"
    not_sqlite.write_text("hej", encoding="utf-8")
    with pytest.raises(EffektsporError, match="ikke en sikkerhedskopi af et effektspor-projekt"):
        inspect_backup(source=not_sqlite)
    future = tmp_path / "fremtid.sqlite"
    future.write_bytes(summary.path.read_bytes())
    connection = sqlite3.connect(future)
    connection.execute("UPDATE alembic_version SET version_num = '9999_fremtid'")
    connection.commit()
    connection.close()
    with pytest.raises(EffektsporError, match="nyere version af effektspor"):
        inspect_backup(source=future)


def test_restore_into_a_new_folder_and_refuse_other_projects(local, tmp_path):
    summary = create_backup(project=local, actor="test", target=tmp_path)
    new_folder = tmp_path / "ny" / "projekt"
    restored = restore_backup(project_dir=new_folder, source=summary.path, actor="test")
    assert restored.created_project_folder and restored.undo_copy is None
    assert yaml.safe_load((new_folder / "effektspor.yaml").read_text(encoding="utf-8")) == \
        {"navn": "Sikkerhed 2019"}
    assert stat.S_IMODE(new_folder.stat().st_mode) == 0o700
    other = create_project(tmp_path / "andet", "Et andet projekt", actor="test")
    other.close()
    with pytest.raises(EffektsporError, match="indeholder ikke projektet 'Et andet projekt'"):
        restore_backup(project_dir=other.folder, source=summary.path, actor="test")


def test_cli_backup_and_restore_with_confirmation(local, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["sikkerhedskopi", "-p", str(local.folder), "--til",
                                 str(tmp_path / "kopi.sqlite")])
    assert result.exit_code == 0, result.output
    assert "Sikkerhedskopi gemt" in result.output and "3 sager" in result.output
    local.close()
    result = runner.invoke(cli, ["gendan", str(tmp_path / "kopi.sqlite"), "-p",
                                 str(local.folder)], input="nej\n")
    assert result.exit_code == 1 and "intet er ændret" in result.output
    assert not list(local.folder.glob("*.før-gendannelse-*"))
    result = runner.invoke(cli, ["gendan", str(tmp_path / "kopi.sqlite"), "-p",
                                 str(local.folder)], input="ja\n")
    assert result.exit_code == 0, result.output
    assert "[ja/nej]" in result.output
    result = runner.invoke(cli, ["gendan", str(tmp_path / "kopi.sqlite"), "-p",
                                 str(local.folder), "--ja"])
    assert result.exit_code == 0, result.output
    assert "Projektet er gendannet" in result.output
    assert len(list(local.folder.glob("*.før-gendannelse-*"))) == 2


def test_server_projects_are_pointed_to_pg_dump(tmp_path):
    folder = tmp_path / "server"
    folder.mkdir()
    (folder / "effektspor.yaml").write_text(
        yaml.safe_dump({"navn": "Server", "database": "postgresql://effekt@db.invalid/x"}),
        encoding="utf-8")
    for args in (["sikkerhedskopi", "-p", str(folder)],
                 ["gendan", str(tmp_path / "kopi.sqlite"), "-p", str(folder), "--ja"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1
        output = " ".join(result.output.split())
        assert "pg_dump" in output and "pg_restore" in output and "web.md" in output
    with pytest.raises(ServerDatabaseError):
        backup_service.local_database(folder)


def test_backup_of_data_that_is_not_pseudonymised_says_so(tmp_path):
    with create_project(tmp_path / "p", "Rå", actor="test") as project:
        with project.transaction() as session:
            case = t.Case(project_id=project.project_id, external_id="S1")
            session.add(case)
            session.flush()
            session.add(t.Person(case_id=case.id, role="barn", name="Freja Qvist",
                                 cpr="150318-4127", content_hash="p"))
        summary = create_backup(project=project, actor="test")
    assert summary.info.holds_personal_data
    text = " ".join(summary.messages())
    assert "indeholder personoplysninger" in text and "næste pseudonymisering" in text
    assert isinstance(summary.path, Path)

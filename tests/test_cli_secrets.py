"""Secrets never on the command line: passphrase and password from a file, env or prompt.

Also: files the CLI writes are private (umask 077). All data here is synthetic.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from effektspor.cli.common import read_secret_file
from effektspor.cli.main import cli
from effektspor.domain.errors import EffektsporError
from effektspor.domain.text import content_hash
from effektspor.services.project import create_project, open_project
from effektspor.store import tables as t
from effektspor.store.tables_web import User

PASSPHRASE = "en god lang kode"
SECRET_WORDS = ("adgangskode", "password", "passphrase", "secret", "token", "pgpass")


@pytest.fixture
def filled(tmp_path, monkeypatch):
    """A project with one case, one note and one person (synthetic); no passphrase in env."""
    monkeypatch.delenv("EFFEKTSPOR_NOEGLE", raising=False)
    folder = tmp_path / "projekt"
    with create_project(folder, "Hemmeligt", actor="test") as project, \
            project.transaction() as session:
        point = session.scalar(select(t.AttentionPoint.id).limit(1))
        case = t.Case(project_id=project.project_id, external_id="S9")
        session.add(case)
        session.flush()
        session.add(t.Note(case_id=case.id, note_date=date(2019, 1, 2), attention_point_id=point,
                           text="Oscar Qvist legede med Noah.", content_hash="x"))
        session.add(t.Person(case_id=case.id, role="barn", name="Oscar Qvist", cpr=None,
                             content_hash=content_hash("S9", "barn", "Oscar Qvist")))
    return folder


def _secret_file(path: Path, secret: str, mode: int = 0o600) -> Path:
    path.write_text(secret + "\nanden linje ignoreres\n", encoding="utf-8")
    path.chmod(mode)
    return path


def _all_options(group: click.Group, prefix: str = ""):
    ctx = click.Context(group)  # the main group imports its commands in get_command
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            yield from _all_options(command, f"{prefix}{name} ")
        else:
            for param in command.params:
                if isinstance(param, click.Option):
                    yield f"{prefix}{name}", param


def test_no_command_takes_a_secret_as_a_value():
    offenders = []
    for command, option in _all_options(cli):
        names = " ".join(option.opts + option.secondary_opts).lower()
        takes_value = not option.is_flag and not option.count
        if option.hidden or not takes_value or not any(w in names for w in SECRET_WORDS):
            continue
        if not names.endswith("-fil"):
            offenders.append(f"{command} {names}")
    assert offenders == []


def test_old_passphrase_option_is_refused_with_an_explanation(filled, tmp_path):
    result = CliRunner().invoke(cli, ["pseudonymiser", "-p", str(filled), "--nøglefil",
                                      str(tmp_path / "nøgler"), "--adgangskode", PASSPHRASE])
    assert result.exit_code == 2
    assert "proceslisten" in result.output and "--adgangskode-fil" in result.output
    assert not (tmp_path / "nøgler").exists()


def test_passphrase_from_file_and_reidentification(filled, tmp_path):
    secret = _secret_file(tmp_path / "kode.txt", PASSPHRASE)
    vault = tmp_path / "nøgler"
    result = CliRunner().invoke(cli, ["pseudonymiser", "-p", str(filled), "--nøglefil",
                                      str(vault), "--adgangskode-fil", str(secret)])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["genidentificer", "-p", str(filled), "--nøglefil",
                                      str(vault), "--adgangskode-fil", str(secret),
                                      "--admin", "Admin", "--pseudonym", "Barn 1"])
    assert result.exit_code == 0, result.output
    assert "Oscar Qvist" in result.output
    assert PASSPHRASE not in result.output


def test_passphrase_file_readable_by_others_is_refused(filled, tmp_path):
    secret = _secret_file(tmp_path / "kode.txt", PASSPHRASE, mode=0o644)
    result = CliRunner().invoke(cli, ["pseudonymiser", "-p", str(filled), "--nøglefil",
                                      str(tmp_path / "nøgler"), "--adgangskode-fil",
                                      str(secret)])
    assert result.exit_code == 1
    assert "kan læses af andre end dig" in result.output and "chmod 600" in result.output
    assert not (tmp_path / "nøgler").exists()


def test_new_key_file_asks_twice_with_hidden_input(filled, tmp_path):
    vault = tmp_path / "nøgler"
    result = CliRunner().invoke(cli, ["pseudonymiser", "-p", str(filled), "--nøglefil",
                                      str(vault)], input=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert result.exit_code == 0, result.output
    assert "Gentag adgangskoden" in result.output
    assert PASSPHRASE not in result.output
    assert any(vault.iterdir())


def test_environment_variable_still_works(filled, tmp_path, monkeypatch):
    monkeypatch.setenv("EFFEKTSPOR_NOEGLE", PASSPHRASE)
    result = CliRunner().invoke(cli, ["pseudonymiser", "-p", str(filled), "--nøglefil",
                                      str(tmp_path / "nøgler")])
    assert result.exit_code == 0, result.output


def test_secret_file_rules(tmp_path, monkeypatch):
    assert read_secret_file(_secret_file(tmp_path / "a", " mellemrum tæller ")) == \
        " mellemrum tæller "
    with pytest.raises(EffektsporError, match="ingen adgangskode på første linje"):
        read_secret_file(_secret_file(tmp_path / "b", ""))
    with pytest.raises(EffektsporError, match="findes ikke"):
        read_secret_file(tmp_path / "c")


def test_user_password_from_file(tmp_path, monkeypatch):
    monkeypatch.delenv("EFFEKTSPOR_ADGANGSKODE", raising=False)
    folder = tmp_path / "projekt"
    create_project(folder, "Brugere", actor="test").close()
    secret = _secret_file(tmp_path / "pw", "en-lang-kode-1")
    result = CliRunner().invoke(cli, ["bruger", "opret", "anne", "--rolle", "administrator",
                                      "-p", str(folder), "--adgangskode-fil", str(secret)])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["bruger", "opret", "bo", "--rolle", "koder",
                                      "-p", str(folder), "--adgangskode-fil", "-"],
                                input="en-anden-kode-2\n")
    assert result.exit_code == 0, result.output
    with open_project(folder) as project, \
            project.sessions() as session:
        assert set(session.scalars(select(User.username))) == {"anne", "bo"}


def test_database_url_with_password_gives_a_warning(tmp_path, monkeypatch):
    from effektspor.cli import project_commands

    seen = {}

    def fake_create(folder, name, *, database_url=None, description=None):
        seen["url"] = database_url
        raise EffektsporError("stop her")

    monkeypatch.setattr(project_commands.project_service, "create_project", fake_create)
    result = CliRunner().invoke(cli, ["opret", str(tmp_path / "p"), "--navn", "Server",
                                      "--database", "postgresql://anne:hemmelig@db/effekt"])
    assert "URL'en indeholder en adgangskode" in result.output and "pgpass" in result.output
    assert seen["url"].startswith("postgresql://")


def test_files_written_by_the_cli_are_private(tmp_path):
    source = tmp_path / "ind.jsonl"
    source.write_text(json.dumps({"id": 1, "text": "Ring til 28 45 91 07."}) + "\n",
                      encoding="utf-8")
    target = tmp_path / "ud.jsonl"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    subprocess.run([sys.executable, "-m", "effektspor.cli.main", "pseudonymiser", str(source),
                    "-o", str(target)], check=True, env=env, capture_output=True,
                   preexec_fn=lambda: os.umask(0o022))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600

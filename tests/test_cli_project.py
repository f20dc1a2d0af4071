"""The project commands of the CLI, run in-process with click's CliRunner."""

from __future__ import annotations

from click.testing import CliRunner

from effektspor.cli.main import cli


def test_opret_creates_project_and_log_shows_it(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["opret", str(tmp_path / "p"), "--navn", "Familiecentret 2019"])
    assert result.exit_code == 0, result.output
    assert "er oprettet" in result.output
    result = runner.invoke(cli, ["log", "-p", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    assert "projekt_oprettet" in result.output


def test_opret_twice_gives_danish_error(tmp_path):
    runner = CliRunner()
    runner.invoke(cli, ["opret", str(tmp_path / "p"), "--navn", "A"])
    result = runner.invoke(cli, ["opret", str(tmp_path / "p"), "--navn", "A"])
    assert result.exit_code == 1
    assert "Der findes allerede et projekt" in result.output


def test_missing_project_folder_is_explained(tmp_path):
    result = CliRunner().invoke(cli, ["log", "-p", str(tmp_path / "ingen")])
    assert result.exit_code == 1
    assert "ikke en effektspor-projektmappe" in result.output


def test_click_messages_are_danish():
    result = CliRunner().invoke(cli, ["opret"])
    assert result.exit_code == 2
    assert "Manglende argument" in result.output and "Brug:" in result.output
    assert "[TILVALG]" in result.output

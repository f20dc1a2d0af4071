"""The import and status commands end to end, in-process with click's CliRunner."""

from __future__ import annotations

import re

from click.testing import CliRunner

from effektspor.cli.main import cli
from ingest_helpers import NOTATER, write_export


def _new_project(tmp_path):
    folder = tmp_path / "projekt"
    result = CliRunner().invoke(cli, ["opret", str(folder), "--navn", "CLI-test"])
    assert result.exit_code == 0, result.output
    return folder


def test_importer_and_status(tmp_path):
    folder = _new_project(tmp_path)
    export = write_export(tmp_path / "eksport")
    runner = CliRunner()
    result = runner.invoke(cli, ["importer", str(export), "-p", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Import gennemført" in result.output
    assert re.search(r"Dagbogsnotater\s*│\s*3\s", result.output)
    result = runner.invoke(cli, ["status", "-p", str(folder)])
    assert result.exit_code == 0, result.output
    assert "afsluttet 2019" in result.output
    assert "Udskrivningsrapport" in result.output
    assert "Importkørsler" in result.output and "eksport/notater.csv" in result.output


def test_importer_dry_run_and_errors(tmp_path):
    folder = _new_project(tmp_path)
    export = write_export(tmp_path / "eksport",
                          notes=NOTATER + "S1;31-02-2019;Samvær;familiebehandler;x;N8\n")
    runner = CliRunner()
    result = runner.invoke(cli, ["importer", str(export), "-p", str(folder), "--tør"])
    assert result.exit_code == 1
    assert "notater.csv, linje 6, felt 'dato'" in result.output
    assert "intet er gemt" in result.output
    good = write_export(tmp_path / "god")
    result = runner.invoke(cli, ["importer", str(good), "-p", str(folder), "--tør"])
    assert result.exit_code == 0, result.output
    assert "Prøvekørsel – intet er gemt" in result.output
    result = runner.invoke(cli, ["status", "-p", str(folder)])
    assert "Ingen importkørsler endnu" in result.output

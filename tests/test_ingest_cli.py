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


def test_importer_with_mapping_and_type(tmp_path):
    folder = _new_project(tmp_path)
    export = tmp_path / "eksport"
    export.mkdir()
    (export / "journal.csv").write_text(
        "Sag,Dato,Punkt,Notat\n7,2019-04-02,Netværk,Mødte mormor.\n", encoding="utf-8")
    mapping = tmp_path / "tilknytning.yaml"
    mapping.write_text("kilder:\n  - fil: journal.csv\n    art: notater\n    kolonner:\n"
                       "      Sag: sag_id\n      Dato: dato\n      Punkt: opmærksomhedspunkt\n"
                       "      Notat: tekst\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["importer", str(export), "-p", str(folder),
                                 "--mapping", str(mapping)])
    assert result.exit_code == 0, result.output
    assert re.search(r"Sager oprettet ud fra notater\s*│\s*1\s", result.output)
    single = tmp_path / "mere.csv"
    single.write_text("sag_id;dato;opmærksomhedspunkt;tekst\n7;2019-04-03;Samvær;Godt samvær.\n",
                      encoding="utf-8")
    result = runner.invoke(cli, ["importer", str(single), "-p", str(folder), "--type", "notater"])
    assert result.exit_code == 0, result.output
    assert re.search(r"Dagbogsnotater\s*│\s*1\s", result.output)
    mapping.write_text("kilder:\n  - fil: journal.csv\n    art: noter\n", encoding="utf-8")
    result = runner.invoke(cli, ["importer", str(export), "-p", str(folder),
                                 "--mapping", str(mapping)])
    assert result.exit_code == 1
    assert "tilknytning.yaml, felt 'kilder[1].art'" in result.output

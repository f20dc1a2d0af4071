"""Tests of the demo pipeline and the ``demo`` / ``rapport`` commands."""

from __future__ import annotations

import docx
import pytest
from click.testing import CliRunner

from effektspor.cli.main import cli
from effektspor.domain.errors import EffektsporError
from effektspor.services.demo.pipeline import DEMO_MARKER, DEMO_STEPS, run_demo
from effektspor.services.events import list_events
from effektspor.services.project import open_project


def test_run_demo_generates_imports_and_reports(tmp_path):
    labels = []
    run = run_demo(tmp_path / "demo", seed=3, actor="tester", n_cases=24, on_step=labels.append)
    assert labels == [label for label, _ in DEMO_STEPS] == run.done
    assert (tmp_path / "demo" / DEMO_MARKER).is_file()
    assert run.truth_file.is_file() and (run.export_folder / "sager.csv").is_file()
    summary = run.import_summary
    assert summary.cases_created == 24 == run.export.n_cases
    assert summary.notes == run.export.n_notes and summary.grants == run.export.n_grants
    assert summary.documents == run.export.n_documents
    assert all(path.is_file() for path in run.report.paths.values())
    assert run.report.analysis.n_usable_discharge == round(0.35 * 24)
    with open_project(run.project_folder) as project, project.sessions() as session:
        actions = {e.action for e in list_events(session, project_id=project.project_id)}
    assert {"projekt_oprettet", "rapport_skrevet", "demo_koert"} <= actions


def test_rerun_replaces_an_earlier_demo_folder(tmp_path):
    folder = tmp_path / "demo"
    run_demo(folder, seed=3, n_cases=5)
    (folder / "gammel.txt").write_text("fra sidst", encoding="utf-8")
    run_demo(folder, seed=4, n_cases=5)
    assert not (folder / "gammel.txt").exists()
    assert (folder / "projekt" / "effektspor.yaml").is_file()


def test_refuses_a_folder_that_is_not_a_demo_folder(tmp_path):
    folder = tmp_path / "mine-data"
    folder.mkdir()
    (folder / "vigtigt.txt").write_text("må ikke slettes", encoding="utf-8")
    with pytest.raises(EffektsporError, match="ikke en demomappe"):
        run_demo(folder, n_cases=5)
    assert (folder / "vigtigt.txt").read_text(encoding="utf-8") == "må ikke slettes"
    empty = tmp_path / "tom"
    empty.mkdir()
    assert run_demo(empty, n_cases=5).report is not None


def test_demo_and_rapport_commands(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["demo", "--mappe", str(tmp_path / "d"), "--frø", "5"])
    assert result.exit_code == 0, result.output
    assert "Rapporterne er skrevet" in result.output and "Med brugbar effektvurdering" in result.output
    assert "✓ Årsrapporten skrives" in result.output and "Fejl" not in result.output
    assert "51 (35%" in result.output
    out = tmp_path / "ud"
    result = runner.invoke(cli, ["rapport", "-p", str(tmp_path / "d" / "projekt"), "--ud",
                                 str(out), "--format", "docx", "--år", "2019"])
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["dokumentationsanalyse.docx"]
    assert docx.Document(str(out / "dokumentationsanalyse.docx")).tables[0].rows[-1].cells[1].text == "146"
    bad = runner.invoke(cli, ["rapport", "-p", str(tmp_path / "d" / "projekt"), "--format", "pdf"])
    assert bad.exit_code == 1 and "Ukendt format: pdf" in bad.output
    refused = runner.invoke(cli, ["demo", "--mappe", str(out)])
    assert refused.exit_code == 1 and "ikke en demomappe" in refused.output

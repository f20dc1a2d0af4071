"""The reports area's CLI commands (``rapport``, ``årsrapport``): they call the same
services as the web app, in one unit of work, as the local actor with the coder name."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import select

from classification_helpers import add_cases, classify
from effektspor.cli.main import cli
from effektspor.services.contract import CODER_ENV
from effektspor.services.project import create_project
from effektspor.store import tables as t

OUTCOMES = ["I mål", "I mål", "På vej", "Ikke i mål"]


def _classified(project, prefix: str = "S") -> None:
    add_cases(project, {f"{prefix}{i}": "Sandplay" for i in range(1, len(OUTCOMES) + 1)})
    for i, value in enumerate(OUTCOMES, start=1):
        classify(project, f"{prefix}{i}", "maalopnaaelse", value, coder="Leder")


def _events(project, action: str) -> list[t.Event]:
    with project.sessions() as session:
        return list(session.scalars(select(t.Event).where(t.Event.action == action)))


def test_yearly_report_compares_with_last_years_project_and_logs_the_coder(project,
                                                                           tmp_path):
    _classified(project)
    last_year = create_project(tmp_path / "sidste", "Sidste år 2018", actor="test")
    try:
        _classified(last_year, prefix="A")
    finally:
        last_year.close()
    result = CliRunner().invoke(cli, [
        "årsrapport", "--projekt", str(project.folder), "--ud", str(tmp_path / "r"),
        "--formater", "html", "--sidste-år", str(tmp_path / "sidste")],
        env={CODER_ENV: "Anna Jensen"})
    assert result.exit_code == 0, result.output
    html = (tmp_path / "r" / "aarsrapport.html").read_text(encoding="utf-8")
    assert "Sammenligning med sidste år" in html and "Sidste år 2018" in html
    (event,) = _events(project, "aarsrapport_skrevet")
    assert event.actor == "Anna Jensen"
    assert event.details == {"filer": ["aarsrapport.html"], "pixi": False, "grænse": 3,
                             "tabeller": event.details["tabeller"]}


def test_documentation_report_command_prints_key_figures_and_logs(project, tmp_path):
    _classified(project)
    result = CliRunner().invoke(cli, [
        "rapport", "--projekt", str(project.folder), "--ud", str(tmp_path / "r"),
        "--format", "html"], env={CODER_ENV: "Bo Berg"})
    assert result.exit_code == 0, result.output
    assert "Nøgletal" in result.output and "Sager" in result.output
    assert (tmp_path / "r" / "dokumentationsanalyse.html").exists()
    (event,) = _events(project, "rapport_skrevet")
    assert event.actor == "Bo Berg" and event.object_id == "dokumentationsanalyse"
    assert event.details["sager"] == len(OUTCOMES) and event.details["formater"] == ["html"]
    bad = CliRunner().invoke(cli, ["rapport", "--projekt", str(project.folder),
                                   "--format", "pdf"])
    assert bad.exit_code == 1 and "Ukendt format" in bad.output

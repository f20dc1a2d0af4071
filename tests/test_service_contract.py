"""The service contract: one unit of work per call for both front ends, and the local
actor the CLI (and the web app in local mode) acts as."""

from __future__ import annotations

import getpass
from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from coding_factories import add_case_with_notes, codings_of
from effektspor.cli.main import cli
from effektspor.services.authorization import Role
from effektspor.services.contract import CODER_ENV, LOCAL_ROLE, local_actor, unit_of_work
from effektspor.store import tables as t


def _cases(session) -> int:
    return session.scalar(select(func.count(t.Case.id)))


def test_a_unit_of_work_commits_on_success_and_rolls_back_on_error(project):
    with unit_of_work(project) as session:
        session.add(t.Case(project_id=project.project_id, external_id="S1", attributes={}))
    with pytest.raises(RuntimeError), unit_of_work(project) as session:
        session.add(t.Case(project_id=project.project_id, external_id="S2", attributes={}))
        session.flush()
        raise RuntimeError("midt i arbejdet")
    with project.sessions() as session:
        assert _cases(session) == 1


def test_the_local_actor_is_named_by_option_environment_settings_or_login(project,
                                                                          monkeypatch):
    monkeypatch.delenv(CODER_ENV, raising=False)
    assert LOCAL_ROLE is Role.ADMINISTRATOR  # the web app's single local user, too
    assert local_actor(project).name == getpass.getuser()
    settings = project.folder / "effektspor.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "koder: Anna Jensen\n",
                        encoding="utf-8")
    assert local_actor(project).name == "Anna Jensen"
    monkeypatch.setenv(CODER_ENV, "  Bo Berg ")
    assert local_actor(project).name == "Bo Berg"
    assert local_actor(project, name="Ida").name == "Ida"
    assert local_actor(project).role is LOCAL_ROLE


def test_cli_codings_carry_the_configured_coder_name(project, monkeypatch):
    monkeypatch.delenv(CODER_ENV, raising=False)
    (note_id,) = add_case_with_notes(project, "S1", [
        (date(2019, 3, 1), "Familieforhold", "Mor tager ikke imod råd.")])
    settings = project.folder / "effektspor.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "koder: Anna Jensen\n",
                        encoding="utf-8")
    arguments = ["kodning", "tilføj", "--projekt", str(project.folder), "--notat",
                 str(note_id), "--start", "0", "--slut", "3", "--kode", "relationsarbejde"]
    assert CliRunner().invoke(cli, arguments).exit_code == 0
    assert CliRunner().invoke(cli, arguments, env={CODER_ENV: "Bo Berg"}).exit_code == 0
    with project.sessions() as session:
        actors = list(session.scalars(select(t.Event.actor).where(
            t.Event.action == "kodning_tilføjet").order_by(t.Event.id)))
    assert actors == ["Anna Jensen", "Bo Berg"]
    assert [c["coder"] for c in codings_of(project)] == ["Anna Jensen", "Bo Berg"]


def test_the_web_app_in_local_mode_acts_as_the_same_local_actor(project, monkeypatch):
    from effektspor.web.app import create_app
    from effektspor.web.settings import Settings

    if not project.is_local:
        pytest.skip("Lokal tilstand kræver et SQLite-projekt")
    monkeypatch.setenv(CODER_ENV, "Anna Jensen")
    app = create_app(Settings(project_dir=project.folder, server_mode=False))
    assert app.state.web.local_actor == local_actor(project)
    assert app.state.web.local_actor.name == "Anna Jensen"
    app.state.web.project.close()


def test_every_use_case_of_the_coding_area_follows_the_contract():
    import inspect

    from effektspor.services.coding import (
        autocoding,
        codings,
        queries,
        refi,
        suggestion_review,
        suggestions,
        undo,
        workbench,
    )

    # Ids only, for re-rendering a note after a failed change; no case text.
    locators = {"note_of_coding", "note_of_event", "note_of_suggestion"}
    no_project_data = {"code_choices", "export_codebook_qdc"}
    checked = []
    for module in (codings, undo, workbench, autocoding, suggestions, suggestion_review,
                   queries, refi):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if (function.__module__ != module.__name__ or name.startswith("_")
                    or name in no_project_data):
                continue
            parameters = inspect.signature(function).parameters
            assert all(p.kind is inspect.Parameter.KEYWORD_ONLY
                       for p in parameters.values()), name
            expected = {"session", "project_id"} | (set() if name in locators else {"actor"})
            assert expected <= set(parameters), name
            checked.append(name)
    assert {"add_coding", "remove_coding", "undo", "decide_suggestions"} <= set(checked)

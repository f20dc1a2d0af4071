"""The web area's commands: ``bruger opret/liste`` and the checks of ``serve``."""

from __future__ import annotations

import os

from click.testing import CliRunner
from sqlalchemy import select

from effektspor.cli.main import cli
from effektspor.store.tables import Event
from effektspor.store.tables_web import User


def _run(project, *args, env=None, input=None):
    return CliRunner().invoke(cli, [*args, "--projekt", str(project.folder)], env=env,
                              input=input)


def test_create_first_administrator_from_environment(project):
    result = _run(project, "bruger", "opret", "anne", "--rolle", "administrator",
                  env={"EFFEKTSPOR_ADGANGSKODE": "en-lang-kode-1"})
    assert result.exit_code == 0, result.output
    assert "oprettet med rollen administrator" in result.output
    with project.sessions() as session:
        user = session.scalar(select(User).where(User.username == "anne"))
        assert user.role == "administrator" and user.password_hash.startswith("$argon2id$")
        assert session.scalar(select(Event.action).order_by(Event.id.desc())) == \
            "bruger_oprettet"
    listing = _run(project, "bruger", "liste")
    assert "anne" in listing.output and "administrator" in listing.output


def test_password_prompt_is_confirmed_and_validated(project):
    result = _run(project, "bruger", "opret", "bo", "--rolle", "leder", "--sagstekst",
                  env={"EFFEKTSPOR_ADGANGSKODE": ""}, input="kort\nkort\n")
    assert result.exit_code == 1 and "mindst 10 tegn" in result.output
    result = _run(project, "bruger", "opret", "bo", "--rolle", "leder", "--sagstekst",
                  env={"EFFEKTSPOR_ADGANGSKODE": ""},
                  input="en-lang-kode-1\nen-lang-kode-1\n")
    assert result.exit_code == 0, result.output
    with project.sessions() as session:
        assert session.scalar(select(User.case_text_granted).where(User.username == "bo"))


def test_unknown_role_is_refused_in_danish(project):
    result = _run(project, "bruger", "opret", "cy", "--rolle", "chef",
                  env={"EFFEKTSPOR_ADGANGSKODE": "en-lang-kode-1"})
    assert result.exit_code == 2 and "administrator" in result.output


def test_local_serve_refuses_other_addresses(project):
    result = _run(project, "serve", "--vaert", "0.0.0.0")
    assert result.exit_code == 1 and "kun på 127.0.0.1" in result.output


def test_serve_needs_a_project_folder(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--projekt", str(tmp_path / "intet")])
    assert result.exit_code == 1 and "ikke en effektspor-projektmappe" in result.output


def _serve(project, monkeypatch, *args, env=None):
    """Run ``serve`` with uvicorn replaced; returns (result, uvicorn's keyword arguments)."""
    import uvicorn

    calls: list[dict] = []
    monkeypatch.setattr(uvicorn, "run", lambda *_a, **kwargs: calls.append(kwargs))
    # serve writes the settings into os.environ for uvicorn: keep them out of other tests
    environment = {k: v for k, v in os.environ.items() if not k.startswith("EFFEKTSPOR_WEB_")}
    monkeypatch.setattr(os, "environ", {**environment, **(env or {})})
    result = CliRunner().invoke(cli, ["serve", *args, "--projekt", str(project.folder)])
    return result, (calls[0] if calls else None)


def test_server_needs_its_host_names_before_it_starts(project, monkeypatch):
    result, started = _serve(project, monkeypatch, "--server")
    assert result.exit_code == 1 and started is None
    assert "kræver de værtsnavne" in result.output and "--vaertsnavn" in result.output
    result, started = _serve(project, monkeypatch, "--server", "--vaertsnavn", "*")
    assert result.exit_code == 1 and started is None


def test_serve_hands_host_names_and_proxy_to_the_app_and_never_lets_uvicorn_trust(
        project, monkeypatch):
    result, started = _serve(project, monkeypatch, "--server", "--vaertsnavn",
                             "effektspor.kommune.dk", "--værtsnavn", "effektspor",
                             "--proxy", "127.0.0.1", "--https")
    assert result.exit_code == 0, result.output
    assert started["proxy_headers"] is False  # uvicorn's default trusts 127.0.0.1
    assert os.environ["EFFEKTSPOR_WEB_ALLOWED_HOSTS"] == "effektspor.kommune.dk,effektspor"
    assert os.environ["EFFEKTSPOR_WEB_FORWARDED_ALLOW_IPS"] == "127.0.0.1"
    assert os.environ["EFFEKTSPOR_WEB_SECURE_COOKIES"] == "1"
    # Host names from the environment are enough; no proxy: no forwarded header is believed.
    result, started = _serve(project, monkeypatch, "--server",
                             env={"EFFEKTSPOR_WEB_ALLOWED_HOSTS": "effektspor.kommune.dk"})
    assert result.exit_code == 0 and started["proxy_headers"] is False
    assert "EFFEKTSPOR_WEB_FORWARDED_ALLOW_IPS" not in os.environ


def test_local_serve_needs_no_host_names_and_takes_no_proxy(project, monkeypatch):
    result, started = _serve(project, monkeypatch)
    assert result.exit_code == 0 and started["host"] == "127.0.0.1"
    assert started["proxy_headers"] is False
    result, started = _serve(project, monkeypatch, "--proxy", "127.0.0.1")
    assert result.exit_code == 1 and "--proxy kræver --server" in result.output

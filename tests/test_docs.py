"""The documentation keeps up with the code: every CLI command and every web route is
described somewhere in the README or docs/ (issue #10, item 8)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from effektspor.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]


def _documentation() -> str:
    files = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    context = click.Context(group)
    found: list[str] = []
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        full = f"{prefix} {name}".strip()
        found.append(full)
        if isinstance(command, click.Group):
            found += _commands(command, full)
    return found


def _paths(route) -> list[str]:
    """A route's path; an included router's routes (newer FastAPI keeps them apart)."""
    if getattr(route, "path", None):
        return [route.path]
    router = getattr(route, "original_router", None)
    return [path for inner in getattr(router, "routes", []) for path in _paths(inner)]


#: English aliases of Danish commands (``autocode`` = ``autokod``); documented with them.
ALIASES = {"autocode": "autokod", "pseudonymize": "pseudonymiser"}


@pytest.mark.parametrize("command", _commands(cli))
def test_every_cli_command_is_documented(command):
    text = _documentation()
    command = ALIASES.get(command, command)
    assert re.search(rf"effektspor {re.escape(command)}(?![\w-])", text), (
        f"'effektspor {command}' står ikke i README.md eller docs/ – beskriv kommandoen")


def test_every_web_route_is_documented(tmp_path):
    from effektspor.services.project import create_project
    from effektspor.web.app import create_app
    from effektspor.web.settings import Settings

    project = create_project(tmp_path / "projekt", "Dokumentation", actor="test")
    try:
        app = create_app(Settings(project_dir=project.folder))
    finally:
        project.close()
    def generic(text: str) -> str:  # "/sager/{case_id}" is documented as "/sager/{id}"
        return re.sub(r"\{[^}/]*\}", "{}", text)

    text = generic(_documentation())
    paths = {generic(path) for route in app.routes for path in _paths(route)}
    assert len(paths) > 20
    assert sorted(path for path in paths if path not in text) == []

"""Start-up of the ``effektspor`` command: ``--help`` and ``--version`` import no area module
and no heavy library, a command imports only its own area module, and the registry of
commands in ``cli/main.py`` agrees with the commands themselves."""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from effektspor import __version__
from effektspor.cli import main as cli_main
from effektspor.cli.lazy import LazyGroup

SRC = Path(__file__).resolve().parents[1] / "src"
HEAVY = ("matplotlib", "sklearn", "scipy", "openpyxl", "alembic", "docx", "pypdf", "fastapi",
         "uvicorn", "sqlalchemy", "numpy")
AREA_MODULES = sorted({entry.module for entry in
                       (*cli_main.COMMANDS.values(), *cli_main.EVALUATE_COMMANDS.values())})
# Words that give an English help text away (Danish "to" = two, "for" = for: not listed).
ENGLISH = re.compile(r"\b(the|and|of|with|from|show|this|file|files)\b", re.IGNORECASE)

PROBE = """
import json, sys
from effektspor.cli.main import cli
args = json.loads(sys.argv[1])
try:
    cli(args, prog_name="effektspor")
except SystemExit:
    pass
print("\\n@@MODULES@@" + json.dumps(sorted(sys.modules)))
"""


def _run(args: list[str]) -> tuple[str, set[str]]:
    """Run the CLI with ``args`` in a fresh interpreter: its output and the modules loaded."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(SRC), *filter(None, [os.environ.get("PYTHONPATH")])])}
    result = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], env=env,
                            capture_output=True, text=True, timeout=120, check=True)
    output, _, modules = result.stdout.rpartition("\n@@MODULES@@")
    return result.stderr + output, set(json.loads(modules))


def _loaded(modules: set[str], names) -> list[str]:
    return sorted(name for name in names if name in modules)


def _area_modules(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.startswith("effektspor.cli.")
                  and m.removeprefix("effektspor.cli.") in AREA_MODULES)


@pytest.mark.parametrize("args", [[], ["--help"], ["--version"], ["evaluer", "--help"]])
def test_help_and_version_import_no_area_module_and_no_heavy_library(args):
    output, modules = _run(args)
    assert output.strip()
    assert _loaded(modules, HEAVY) == []
    assert _area_modules(modules) == []
    assert not any(m.startswith("effektspor.services") for m in modules)


def test_importing_the_cli_loads_nothing_heavy():
    _, modules = _run(["--version"])
    assert _loaded(modules, ("rich", "yaml", "jinja2", "cryptography")) == []


def test_version_is_the_package_version():
    output, _ = _run(["--version"])
    assert output.strip() == f"effektspor {__version__}"
    try:
        installed = importlib.metadata.version("effektspor")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - not installed
        pytest.skip("effektspor is not installed")
    assert installed == __version__, "pyproject.toml and effektspor.__version__ disagree"


@pytest.mark.parametrize(("command", "module"), [
    ("status", "import_commands"), ("opret", "project_commands"),
    ("krydstabel", "analysis_commands"), ("klassificer", "classification_commands")])
def test_a_command_imports_only_its_own_area_module(command, module):
    output, modules = _run([command, "--help"])
    assert output.startswith(f"Brug: effektspor {command} ")
    allowed = {f"effektspor.cli.{module}"}
    if module == "import_commands":  # uses privacy_commands' summary printer
        allowed.add("effektspor.cli.privacy_commands")
    assert set(_area_modules(modules)) <= allowed
    assert f"effektspor.cli.{module}" in modules
    assert _loaded(modules, ("matplotlib", "sklearn", "scipy", "openpyxl", "docx", "pypdf",
                             "fastapi", "uvicorn")) == []


def _registered(module: str) -> tuple[dict[str, click.Command], dict[str, click.Command]]:
    """The commands ``module.register`` adds to a main group and an 'evaluer' group."""
    main, evaluate = click.Group("main"), click.Group("evaluer")
    importlib.import_module(f"effektspor.cli.{module}").register(main, evaluate)
    return main.commands, evaluate.commands


@pytest.mark.parametrize(("registry", "which"), [
    (cli_main.COMMANDS, 0), (cli_main.EVALUATE_COMMANDS, 1)], ids=["main", "evaluer"])
def test_the_registry_names_every_command_of_every_area_module(registry, which):
    for module in AREA_MODULES:
        commands = _registered(module)[which]
        listed = {name for name, entry in registry.items() if entry.module == module}
        assert set(commands) == listed, f"cli/main.py's registry disagrees with {module}"
        for name, command in commands.items():
            assert registry[name].short_help == command.get_short_help_str(10**6), (
                f"the short help of '{name}' in cli/main.py differs from its docstring")
            assert not command.hidden


def test_registered_commands_load_and_have_danish_help():
    runner = CliRunner()

    def walk(group: click.Group, path: list[str]):
        ctx = click.Context(group)
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            assert command is not None, f"{' '.join([*path, name])} cannot be loaded"
            yield [*path, name], command
            if isinstance(command, click.Group):
                yield from walk(command, [*path, name])

    seen = 0
    for path, command in walk(cli_main.cli, []):
        seen += 1
        text = (command.help or "").strip()
        assert text, f"{' '.join(path)} has no help text"
        assert not ENGLISH.search(command.get_short_help_str(10**6)), (
            f"{' '.join(path)}: the help looks English: {text!r}")
        result = runner.invoke(cli_main.cli, [*path, "--help"], prog_name="effektspor")
        assert result.exit_code == 0, (path, result.output)
        assert result.output.startswith("Brug: effektspor ")
        assert "Tilvalg:" in result.output
        assert "[TILVALG]" in result.output
    assert seen > len(cli_main.COMMANDS)


@pytest.mark.parametrize("width", [60, 80, 100])
@pytest.mark.parametrize("args", [["--help"], ["evaluer", "--help"]])
def test_help_from_the_registry_equals_help_from_the_loaded_commands(args, width):
    """``--help`` lists the commands from the registry without importing them; once the
    commands are loaded, click lists them from the commands: the two must be the same."""
    probe_args = ["--help"] if args == ["--help"] else args
    env_width = {"COLUMNS": str(width)}
    script = ("import sys\nfrom click.testing import CliRunner\n"
              "from effektspor.cli.main import cli\n"
              f"r = CliRunner().invoke(cli, {probe_args!r}, prog_name='effektspor', "
              f"terminal_width={width})\n"
              "assert 'effektspor.cli.coding_commands' not in sys.modules\n"
              "sys.stdout.write(r.output)\n")
    env = {**os.environ, **env_width, "PYTHONPATH": os.pathsep.join(
        [str(SRC), *filter(None, [os.environ.get("PYTHONPATH")])])}
    lazy = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120, check=True).stdout
    cli_main.cli.load_all()
    cli_main.evaluate.load_all()
    eager = CliRunner().invoke(cli_main.cli, probe_args, prog_name="effektspor",
                               terminal_width=width).output
    assert lazy == eager
    assert "Kommandoer:" in lazy


def test_unknown_command_is_refused_in_danish():
    result = CliRunner().invoke(cli_main.cli, ["ukendt"], prog_name="effektspor")
    assert result.exit_code == 2
    assert "Ukendt kommando 'ukendt'" in result.output


def test_main_group_is_lazy():
    assert isinstance(cli_main.cli, LazyGroup)
    assert isinstance(cli_main.evaluate, LazyGroup)
    assert cli_main.cli.commands["evaluer"] is cli_main.evaluate

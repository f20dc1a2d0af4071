"""A click group that imports a command's module only when that command is used.

Every area module (``project_commands``, ``coding_commands`` …) imports its services, and
through them sqlalchemy, scipy, scikit-learn, openpyxl … Importing them all would cost
every ``effektspor`` call seconds, even ``--help``. :class:`LazyGroup` knows each command's
name, its module and its short help from a registry (see ``cli/main.py``), lists the
commands from the registry, and imports a module only in :meth:`LazyGroup.get_command`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import NamedTuple

import click

from effektspor.cli import danish


class Entry(NamedTuple):
    """One registered command: the area module that defines it and its short help.

    ``short_help`` is the first sentence of the command's docstring, as ``--help`` of the
    group shows it (a test compares it with the real command).
    """

    module: str
    short_help: str


class ModuleLoader:
    """Imports area modules of ``effektspor.cli`` and lets each register its commands once.

    An area module has ``register(cli, evaluate)``, which adds its commands to the main
    group and to the ``evaluer`` group.
    """

    def __init__(self, package: str = "effektspor.cli") -> None:
        self.package = package
        self.groups: tuple[click.Group, click.Group] | None = None
        self.loaded: set[str] = set()

    def bind(self, cli: click.Group, evaluate: click.Group) -> None:
        self.groups = (cli, evaluate)

    def load(self, module: str) -> None:
        if module in self.loaded:
            return
        if self.groups is None:  # pragma: no cover - programming error
            raise RuntimeError("ModuleLoader.bind was not called")
        cli, evaluate = self.groups
        name = f"{self.package}.{module}"
        # __import__ rather than importlib.import_module: only the former is reported by
        # ``python -X importtime``, which is how start-up costs are found.
        __import__(name)
        sys.modules[name].register(cli, evaluate)
        self.loaded.add(module)
        for group in self.groups:
            for command in group.commands.values():
                danish.localise_metavars(command)  # idempotent


class LazyGroup(click.Group):
    """A click group whose commands come from a registry and are imported on first use."""

    def __init__(self, *args, registry: Mapping[str, Entry], loader: ModuleLoader,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.registry = dict(registry)
        self.loader = loader

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(self.registry))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.registry:
            self.loader.load(self.registry[cmd_name].module)
        return self.commands.get(cmd_name)

    def load_all(self) -> dict[str, click.Command]:
        """Import every registered command (for tests and documentation checks)."""
        for name in self.registry:
            self.get_command(click.Context(self), name)
        return dict(self.commands)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Like click's own listing, but registered commands are not imported for it."""
        names = [name for name in self.list_commands(ctx)
                 if name not in self.commands or not self.commands[name].hidden]
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            command = self.commands.get(name)
            if command is not None:
                rows.append((name, command.get_short_help_str(limit)))
            else:
                # click's own shortening, on a stand-in with the registered help
                stand_in = click.Command(name, help=self.registry[name].short_help)
                rows.append((name, stand_in.get_short_help_str(limit)))
        with formatter.section(danish.DANISH["Commands"]):
            formatter.write_dl(rows)


def lazy_group(name: str | None = None, *, registry: Mapping[str, Entry],
               loader: ModuleLoader, **attrs) -> Callable[[Callable], LazyGroup]:
    """Decorator like ``click.group`` making a :class:`LazyGroup`."""
    return click.group(name, cls=LazyGroup, registry=registry, loader=loader, **attrs)

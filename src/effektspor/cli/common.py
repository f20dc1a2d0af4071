"""Shared helpers of the CLI: the project option, the console, error display."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click
from rich.console import Console

from effektspor.domain.errors import EffektsporError, ValidationError

console = Console()
err_console = Console(stderr=True, soft_wrap=True)

project_option = click.option(
    "--projekt", "-p", "project_dir", type=click.Path(file_okay=False, path_type=Path),
    default=".", envvar="EFFEKTSPOR_PROJEKT", show_default=True,
    help="Projektmappen (eller miljøvariablen EFFEKTSPOR_PROJEKT).")


def show_problems(error: ValidationError, limit: int = 50) -> None:
    """Print the problems of a validation error, at most ``limit`` of them."""
    err_console.print(f"[bold red]Fejl:[/] {error}")
    for problem in error.problems[:limit]:
        err_console.print(f"  • {problem}", highlight=False, markup=False)
    if len(error.problems) > limit:
        err_console.print(f"  … og {len(error.problems) - limit} problem(er) mere.")


def friendly_errors(func):
    """Turn effektspor's own errors into a Danish message and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ValidationError as error:
            show_problems(error)
            sys.exit(1)
        except EffektsporError as error:
            err_console.print(f"[bold red]Fejl:[/] {error}", highlight=False)
            sys.exit(1)

    return wrapper

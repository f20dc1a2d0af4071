"""Shared helpers of the CLI: the project option, the unit of work and local actor a
command passes to the services, the console, error display, secrets.

Secrets (the key file's passphrase, a user's password) are never command-line values,
because every user on the machine can read a process's arguments. They come from a file
(``--adgangskode-fil``, first line; the file must be readable by its owner only), from an
environment variable, or from a hidden prompt.
"""

from __future__ import annotations

import functools
import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console

from effektspor.domain.errors import EffektsporError, ValidationError
from effektspor.services.errors import DATABASE_ERRORS, database_error_text

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from effektspor.services.authorization import Actor

console = Console()
err_console = Console(stderr=True, soft_wrap=True)

PASSPHRASE_ENV = "EFFEKTSPOR_NOEGLE"

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
    """Turn effektspor's own errors and database errors into a Danish message, exit status 1.

    A database error is shown without its SQL, parameters or row values: they may hold
    names and CPR numbers.
    """

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
        except DATABASE_ERRORS as error:
            err_console.print(f"[bold red]Fejl:[/] {database_error_text(error)}",
                              highlight=False)
            sys.exit(1)

    return wrapper


def confirm(question: str) -> bool:
    """Ask a yes/no question in Danish; only 'ja' (or 'j', 'y', 'yes') means yes."""
    answer = click.prompt(f"{question} [ja/nej]", default="nej", show_default=False)
    return str(answer).strip().casefold() in {"ja", "j", "y", "yes"}


def read_secret_file(path: Path) -> str:
    """The first line of ``path`` (``-`` is standard input), without its line ending.

    On Unix the file must not be readable by group or others (like ssh's keys).
    """
    if str(path) == "-":
        line = sys.stdin.readline()
        where = "standardinput"
    else:
        path = Path(path).expanduser()
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            raise EffektsporError(f"Adgangskodefilen {path} findes ikke.") from None
        if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise EffektsporError(
                f"Adgangskodefilen {path} kan læses af andre end dig (rettigheder "
                f"{stat.filemode(mode)}). Ret det med 'chmod 600 {path}', og prøv igen.")
        with path.open(encoding="utf-8-sig") as handle:
            line = handle.readline()
        where = str(path)
    secret = line.rstrip("\r\n")
    if not secret:
        raise EffektsporError(f"Der står ingen adgangskode på første linje i {where}.")
    return secret


def read_secret(*, secret_file: Path | None, env: str, prompt: str, confirm: bool) -> str:
    """A secret from ``secret_file``, else the environment variable ``env``, else a hidden
    prompt (asked twice when ``confirm``)."""
    if secret_file is not None:
        return read_secret_file(secret_file)
    value = os.environ.get(env)
    if value:
        return value
    return click.prompt(prompt, hide_input=True,
                        confirmation_prompt="Gentag adgangskoden" if confirm else False)


def read_passphrase(passphrase_file: Path | None, *, new: bool) -> str:
    """The key file's passphrase (file, EFFEKTSPOR_NOEGLE or prompt; confirmed if ``new``)."""
    return read_secret(secret_file=passphrase_file, env=PASSPHRASE_ENV,
                       prompt="Adgangskode til nøglefilen", confirm=new)


def _refuse_secret_value(_ctx: click.Context, _param: click.Parameter, value: object) -> None:
    if value is not None:
        raise click.UsageError(
            "--adgangskode findes ikke længere, fordi adgangskoden kunne ses af andre i "
            "proceslisten. Skriv den, når du bliver spurgt, eller brug --adgangskode-fil FIL "
            f"eller miljøvariablen {PASSPHRASE_ENV}.")


def secret_file_option(help_text: str):
    """The ``--adgangskode-fil FIL`` option (parameter ``passphrase_file``)."""
    return click.option(
        "--adgangskode-fil", "passphrase_file",
        type=click.Path(dir_okay=False, allow_dash=True, path_type=Path), help=help_text)


def vault_options(func):
    """Add ``--nøglefil`` (``vault_path``) and ``--adgangskode-fil`` (``passphrase_file``).

    Read the passphrase with :func:`read_passphrase`. The old ``--adgangskode VALUE`` is
    refused with an explanation.
    """
    decorators = [
        click.option(
            "--nøglefil", "--noeglefil", "vault_path", type=click.Path(path_type=Path),
            help="Nøglefilen (eller en mappe til den) – uden for projektmappen, fx et drev kun "
                 "administratoren har adgang til."),
        secret_file_option(
            "Fil med adgangskoden til nøglefilen på første linje (kun læsbar for dig; '-' "
            f"læser fra standardinput). Ellers bruges miljøvariablen {PASSPHRASE_ENV}, eller "
            "der spørges uden at vise den."),
        click.option("--adgangskode", hidden=True, expose_value=False,
                     callback=_refuse_secret_value),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


coder_option = click.option(
    "--koder", "coder", metavar="NAVN",
    help="Dit navn i loggen og på dine kodninger. Ellers miljøvariablen EFFEKTSPOR_KODER, "
         "'koder:' i projektets effektspor.yaml eller dit brugernavn.")


@dataclass(frozen=True, slots=True)
class ProjectWork:
    """What a command passes to a service: its unit of work, actor and project."""

    session: Session
    actor: Actor
    project_id: int


@contextmanager
def project_work(project_dir: Path, *, coder: str | None = None) -> Iterator[ProjectWork]:
    """Open the project and one unit of work in it (committed when the block ends,
    rolled back if it raises), acting as the local actor: ``coder``, else
    EFFEKTSPOR_KODER, the project's ``koder:`` setting or the login name."""
    from effektspor.services.contract import local_actor, unit_of_work
    from effektspor.services.project import open_project

    with open_project(project_dir) as project, unit_of_work(project) as session:
        yield ProjectWork(session, local_actor(project, name=coder), project.project_id)

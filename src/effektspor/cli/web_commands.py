"""CLI commands of the web area: ``serve`` and ``bruger opret/liste``.

``serve`` hands its settings to uvicorn through EFFEKTSPOR_WEB_* variables and starts the
app factory by its import path, so the CLI never imports the web package.
"""

from __future__ import annotations

import os
from pathlib import Path

import click
from rich.table import Table

from effektspor.cli.common import (
    console,
    friendly_errors,
    project_option,
    project_work,
    read_secret,
    secret_file_option,
)
from effektspor.domain.errors import EffektsporError
from effektspor.services import project as project_service
from effektspor.services.accounts import users as user_service
from effektspor.services.authorization import ROLE_LABELS, Role
from effektspor.services.server import server_host_names

APP_FACTORY = "effektspor.web.app:create_app_from_environment"
PASSWORD_ENV = "EFFEKTSPOR_ADGANGSKODE"
HOSTS_ENV = "EFFEKTSPOR_WEB_ALLOWED_HOSTS"
PROXIES_ENV = "EFFEKTSPOR_WEB_FORWARDED_ALLOW_IPS"


@click.command("serve")
@project_option
@click.option("--server", "server_mode", is_flag=True,
              help="Delt server: alle logger ind med egen bruger og rolle.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Porten, webappen lytter på.")
@click.option("--vaert", "--vært", "host", default="127.0.0.1", show_default=True,
              help="Adressen, serveren lytter på (kun med --server; lokalt altid 127.0.0.1).")
@click.option("--arbejdere", "workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Antal serverprocesser (kun med --server; fx én pr. CPU-kerne).")
@click.option("--https", "secure_cookies", is_flag=True,
              help="Serveren nås via HTTPS (fx bag en reverse proxy): cookies får Secure, "
                   "og browseren bedes altid bruge HTTPS (HSTS).")
@click.option("--vaertsnavn", "--værtsnavn", "host_names", multiple=True, metavar="NAVN",
              help="Navnet, brugerne skriver i browseren, fx effektspor.kommune.dk (kræves "
                   "med --server; kan gentages). Andre navne afvises.")
@click.option("--proxy", "proxies", multiple=True, metavar="ADRESSE",
              help="IP-adressen på den reverse proxy foran serveren, fx 127.0.0.1 (kun med "
                   "--server; kan gentages). Kun dens X-Forwarded-For tros; uden --proxy "
                   "ingens.")
@friendly_errors
def serve(project_dir: Path, server_mode: bool, port: int, host: str, workers: int,
          secure_cookies: bool, host_names: tuple[str, ...], proxies: tuple[str, ...]) -> None:
    """Start webappen for projektet og åbn den i browseren på adressen, der vises."""
    import uvicorn

    if not server_mode and host != "127.0.0.1":
        raise EffektsporError("Lokalt lytter webappen kun på 127.0.0.1 (ingen login). "
                              "Brug --server for at dele den med andre.")
    if not server_mode and workers != 1:
        raise EffektsporError("Lokalt kører webappen i én proces; --arbejdere kræver --server.")
    if not server_mode and proxies:
        raise EffektsporError("Lokalt er der ingen proxy foran webappen; --proxy kræver "
                              "--server.")
    project_service.read_settings(project_dir)  # a clear error before uvicorn starts
    settings = {
        "EFFEKTSPOR_WEB_PROJECT_DIR": str(project_dir.resolve()),
        "EFFEKTSPOR_WEB_SERVER_MODE": "1" if server_mode else "0",
        "EFFEKTSPOR_WEB_HOST": host,
        "EFFEKTSPOR_WEB_PORT": str(port),
        "EFFEKTSPOR_WEB_SECURE_COOKIES": "1" if secure_cookies else "0",
    }
    if host_names:
        settings[HOSTS_ENV] = ",".join(host_names)
    if proxies:
        settings[PROXIES_ENV] = ",".join(proxies)
    if server_mode:
        server_host_names(settings.get(HOSTS_ENV) or os.environ.get(HOSTS_ENV, ""))
    os.environ.update(settings)
    mode = "server (login påkrævet)" if server_mode else "lokal (én bruger, uden login)"
    console.print(f"effektspor kører i {mode} på http://{host}:{port}/ – stop med Ctrl+C.")
    # The app reads X-Forwarded-* itself, and only from the proxies named above
    # (EFFEKTSPOR_WEB_FORWARDED_ALLOW_IPS); uvicorn must not trust them on its own (by
    # default it believes anyone connecting from 127.0.0.1).
    uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, workers=workers,
                log_level="warning", server_header=False, proxy_headers=False)


@click.group("bruger")
def users() -> None:
    """Brugere på den delte server (opret, vis)."""


@users.command("opret")
@project_option
@click.argument("navn")
@click.option("--rolle", required=True, type=click.Choice([role.value for role in Role]),
              help="administrator, analytiker, koder eller leder.")
@click.option("--sagstekst", is_flag=True, help="Lederen må læse sagstekst.")
@secret_file_option("Fil med brugerens adgangskode på første linje (kun læsbar for dig; '-' "
                    f"læser fra standardinput). Ellers bruges miljøvariablen {PASSWORD_ENV}, "
                    "eller der spørges uden at vise den.")
@friendly_errors
def create_user(project_dir: Path, navn: str, rolle: str, sagstekst: bool,
                passphrase_file: Path | None) -> None:
    """Opret brugeren NAVN. Adgangskoden spørges der om (eller --adgangskode-fil /
    EFFEKTSPOR_ADGANGSKODE); den skrives aldrig på kommandolinjen."""
    password = read_secret(secret_file=passphrase_file, env=PASSWORD_ENV, prompt="Adgangskode",
                           confirm=True)
    # Whoever can run the CLI against the project's database administers it (local actor).
    with project_work(project_dir) as work:
        user = user_service.create_user(session=work.session, actor=work.actor,
                                        username=navn, password=password, role=rolle,
                                        case_text_granted=sagstekst)
        label = ROLE_LABELS[Role(user.role)].lower()
    console.print(f"Brugeren '{navn}' er oprettet med rollen {label}.")


@users.command("liste")
@project_option
@friendly_errors
def list_users(project_dir: Path) -> None:
    """Vis alle brugere med rolle og status."""
    with project_work(project_dir) as work:
        rows = user_service.list_users(session=work.session, actor=work.actor)
        table = Table("Brugernavn", "Rolle", "Sagstekst", "Status", title="Brugere")
        for user in rows:
            text = "ja" if user.role != Role.LEADER.value or user.case_text_granted else "nej"
            table.add_row(user.username, user.role, text,
                          "aktiv" if user.active else "deaktiveret")
    console.print(table)


def register(cli: click.Group, evaluate: click.Group) -> None:
    """Add the web commands (serve, bruger)."""
    cli.add_command(serve)
    cli.add_command(users)

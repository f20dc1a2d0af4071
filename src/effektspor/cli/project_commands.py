"""CLI commands for projects: opret, migrer, log, sikkerhedskopi, gendan."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from effektspor.cli.common import (
    confirm,
    console,
    err_console,
    friendly_errors,
    project_option,
    project_work,
)
from effektspor.domain.errors import EffektsporError
from effektspor.services import project as project_service
from effektspor.services.contract import local_coder_name
from effektspor.services.project import backup as backup_service
from effektspor.services.project.event_log import read_event_log


def _has_password(url: str) -> bool:
    from urllib.parse import urlsplit

    try:
        return bool(urlsplit(url).password)
    except ValueError:
        return False


@click.command("opret")
@click.argument("mappe", type=click.Path(file_okay=False, path_type=Path))
@click.option("--navn", required=True, help="Projektets navn, fx 'Familiecentret 2019'.")
@click.option("--beskrivelse", help="En kort beskrivelse af analysen.")
@click.option("--database", "database_url",
              help="PostgreSQL-URL til en delt server (standard: SQLite i mappen).")
@friendly_errors
def create(mappe: Path, navn: str, beskrivelse: str | None, database_url: str | None) -> None:
    """Opret et nyt projekt i MAPPE."""
    if database_url and _has_password(database_url):
        err_console.print(
            "[bold yellow]Advarsel:[/] URL'en indeholder en adgangskode. Den kan ses af andre i "
            "proceslisten og gemmes i effektspor.yaml. Læg hellere adgangskoden i ~/.pgpass "
            "(eller miljøvariablen PGPASSWORD) og udelad den fra URL'en.", highlight=False)
    with project_service.create_project(mappe, navn, database_url=database_url,
                                        description=beskrivelse) as project:
        console.print(f"Projektet '{project.name}' er oprettet i {project.folder}.")


@click.command("migrer")
@project_option
@friendly_errors
def migrate(project_dir: Path) -> None:
    """Opdatér projektets database til det nyeste skema (server: kør efter opgradering)."""
    changed = project_service.migrate_database(project_dir)
    console.print("Databasen er opdateret." if changed else "Databasen er allerede opdateret.")


@click.command("log")
@project_option
@click.option("--antal", default=30, show_default=True, type=click.IntRange(min=1),
              help="Hvor mange hændelser.")
@friendly_errors
def show_log(project_dir: Path, antal: int) -> None:
    """Vis de seneste hændelser i projektets hændelseslog.

    Med logins og ændringer af brugere, som i webappens log.
    """
    with project_work(project_dir) as work:
        events = read_event_log(session=work.session, actor=work.actor,
                                project_id=work.project_id, page_size=antal).events
    table = Table("Tid (UTC)", "Hvem", "Handling", "Objekt", title="Hændelseslog")
    for event in events:
        obj = f"{event.object_type or ''} {event.object_id or ''}".strip()
        table.add_row(event.at.strftime("%Y-%m-%d %H:%M:%S"), event.actor, event.action, obj)
    console.print(table)


@click.command("sikkerhedskopi")
@project_option
@click.option("--til", "target", type=click.Path(path_type=Path),
              help="Ny fil eller eksisterende mappe til kopien (standard: mappen "
                   "'sikkerhedskopier' i projektmappen).")
@friendly_errors
def backup(project_dir: Path, target: Path | None) -> None:
    """Tag en sikkerhedskopi af projektets database (virker også, mens webappen kører).

    \b
    Kopien er én fil, som kun du kan læse. Gendan den med:
      effektspor gendan KOPI.sqlite -p PROJEKT
    Et projekt på en PostgreSQL-server sikkerhedskopieres med pg_dump på serveren.
    """
    backup_service.local_database(project_dir)  # a server project: explain pg_dump
    with project_service.open_project(project_dir) as project:
        summary = backup_service.create_backup(
            project=project, actor=local_coder_name(project), target=target)
    for line in summary.messages():
        console.print(line, highlight=False, markup=False)


@click.command("gendan")
@click.argument("kopi", type=click.Path(dir_okay=False, path_type=Path))
@project_option
@click.option("--ja", "confirmed", is_flag=True,
              help="Spørg ikke, før projektets nuværende database erstattes.")
@friendly_errors
def restore(kopi: Path, project_dir: Path, confirmed: bool) -> None:
    """Gendan projektet fra sikkerhedskopien KOPI (erstatter den nuværende database).

    \b
    Stop webappen først. Den nuværende database gemmes som fortrydelseskopi i
    projektmappen. Er projektmappen ny eller tom, oprettes projektet ud fra kopien.
    Et projekt på en PostgreSQL-server gendannes med pg_restore på serveren.
    """
    existing = (project_dir / project_service.SETTINGS_FILE).exists()
    database = backup_service.local_database(project_dir) if existing else None
    info = backup_service.inspect_backup(source=kopi)
    console.print(f"Sikkerhedskopi: {kopi}", highlight=False)
    console.print(f"  Projekt(er): {', '.join(info.projects)}; seneste hændelse: "
                  f"{(info.newest_event or 'ingen')[:19]} (UTC).", highlight=False)
    console.print("  Indhold: " + ", ".join(f"{n} {label}" for label, n in info.counts.items())
                  + ".", highlight=False)
    if database is not None and database.exists() and not confirmed:
        question = (f"Projektets nuværende database ({database}) erstattes af kopien. "
                    "Fortsæt?")
        if not confirm(question):
            raise EffektsporError("Gendannelsen er afbrudt; intet er ændret.")
    summary = backup_service.restore_backup(project_dir=project_dir, source=kopi,
                                            actor=project_service.current_user())
    for line in summary.messages():
        console.print(line, highlight=False, markup=False)


def register(cli: click.Group, evaluate: click.Group) -> None:
    """Add the project commands."""
    for command in (create, migrate, show_log, backup, restore):
        cli.add_command(command)

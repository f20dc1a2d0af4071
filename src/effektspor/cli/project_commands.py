"""CLI commands for projects: opret, status, migrer, log."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from effektspor.cli.common import console, friendly_errors, project_option
from effektspor.services import project as project_service
from effektspor.services.events import list_events


@click.command("opret")
@click.argument("mappe", type=click.Path(file_okay=False, path_type=Path))
@click.option("--navn", required=True, help="Projektets navn, fx 'Familiecentret 2019'.")
@click.option("--beskrivelse", help="En kort beskrivelse af analysen.")
@click.option("--database", "database_url",
              help="PostgreSQL-URL til en delt server (standard: SQLite i mappen).")
@friendly_errors
def create(mappe: Path, navn: str, beskrivelse: str | None, database_url: str | None) -> None:
    """Opret et nyt projekt i MAPPE."""
    with project_service.create_project(mappe, navn, database_url=database_url,
                                        description=beskrivelse) as project:
        console.print(f"Projektet '{project.name}' er oprettet i {project.folder}.")


@click.command("migrer")
@project_option
@friendly_errors
def migrate(project_dir: Path) -> None:
    """Opdatér projektets database til det nyeste skema (server: kør efter opgradering)."""
    from effektspor.store.database import make_engine, sqlite_url, upgrade

    settings = project_service.read_settings(project_dir)
    url = settings.get("database") or sqlite_url(project_dir / project_service.SQLITE_FILE)
    engine = make_engine(url)
    try:
        changed = upgrade(engine)
    finally:
        engine.dispose()
    console.print("Databasen er opdateret." if changed else "Databasen er allerede opdateret.")


@click.command("log")
@project_option
@click.option("--antal", default=30, show_default=True, help="Hvor mange hændelser.")
@friendly_errors
def show_log(project_dir: Path, antal: int) -> None:
    """Vis de seneste hændelser i projektets hændelseslog."""
    with project_service.open_project(project_dir) as project, project.sessions() as session:
        events = list_events(session, project_id=project.project_id, limit=antal)
    table = Table("Tid (UTC)", "Hvem", "Handling", "Objekt", title="Hændelseslog")
    for event in events:
        obj = f"{event.object_type or ''} {event.object_id or ''}".strip()
        table.add_row(event.at.strftime("%Y-%m-%d %H:%M:%S"), event.actor, event.action, obj)
    console.print(table)


def register(cli: click.Group, evaluate: click.Group) -> None:
    """Add the project commands."""
    for command in (create, migrate, show_log):
        cli.add_command(command)

"""CLI commands of the import area: ``importer`` (datahøst) and ``status``."""

from __future__ import annotations

from pathlib import Path

import click
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from effektspor.cli.common import (
    console,
    err_console,
    friendly_errors,
    project_option,
    project_work,
    read_passphrase,
    vault_options,
)
from effektspor.cli.privacy_commands import print_pseudonymisation
from effektspor.services import project as project_service
from effektspor.services.contract import local_coder_name
from effektspor.services.importing.imports import ImportSummary, import_paths
from effektspor.services.privacy import vault as privacy_vault
from effektspor.services.project.status import project_status

KIND_CHOICES = ("sager", "notater", "dokumenter", "bevillinger", "personer")


@click.command("importer")
@click.argument("stier", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path), metavar="STI...")
@project_option
@click.option("--mapping", "--tilknytning", "mapping_file",
              type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FIL.yaml",
              help="Tilknytningsfil (YAML) for eksporter, der ikke følger standardlayoutet.")
@click.option("--type", "kind", type=click.Choice(KIND_CHOICES),
              help="Hvad en enkelt fil indeholder (når filnavnet ikke siger det).")
@click.option("--tør", "dry_run", is_flag=True,
              help="Prøvekørsel: kontrollér og vis resultatet, men gem intet.")
@vault_options
@friendly_errors
def import_command(stier: tuple[Path, ...], project_dir: Path, mapping_file: Path | None,
                   kind: str | None, dry_run: bool, vault_path: Path | None,
                   passphrase_file: Path | None) -> None:
    """Importér journaldata (datahøst) fra en eksportmappe eller filer.

    STI er typisk en eksportmappe i standardlayoutet (sager.csv, notater.csv,
    bevillinger.csv, personer.csv og mappen dokumenter/). Alt importeres i én
    transaktion: er der fejl, gemmes intet, og alle fejl vises.

    Er projektet pseudonymiseret, kræves --nøglefil: det nye materiale pseudonymiseres
    så i samme transaktion, og det, der allerede er importeret, genkendes og springes
    over. Med --nøglefil på et projekt, der ikke er pseudonymiseret endnu, pseudonymiseres
    alt i samme kørsel.
    """
    with project_service.open_project(project_dir) as project:
        vault = None
        if vault_path is not None:
            path = privacy_vault.vault_file(project, vault_path)
            vault = privacy_vault.VaultAccess(
                vault_path, read_passphrase(passphrase_file, new=not path.exists() and not dry_run))
        progress = Progress(TextColumn("Læser"), BarColumn(), DownloadColumn(),
                            TransferSpeedColumn(), TimeRemainingColumn(),
                            console=err_console, transient=True)
        task = progress.add_task("import", total=None)
        texts = Progress(TextColumn("Pseudonymiserer"), BarColumn(), TaskProgressColumn(),
                         TimeRemainingColumn(), console=err_console, transient=True)
        texts_task = texts.add_task("pseudonymisering", total=None)

        def report(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        def report_texts(done: int, total: int) -> None:
            if progress.live.is_started:
                progress.stop()
                texts.start()
            texts.update(texts_task, completed=done, total=total)

        with progress:
            try:
                summary = import_paths(project, list(stier), mapping_file=mapping_file,
                                       kind=kind, actor=local_coder_name(project),
                                       dry_run=dry_run, vault=vault, progress=report,
                                       pseudonymisation_progress=report_texts)
            finally:
                texts.stop()
    print_summary(summary)
    if summary.pseudonymisation is not None:
        print_pseudonymisation(summary.pseudonymisation)


def print_summary(summary: ImportSummary) -> None:
    """Print the Danish summary table of an import."""
    title = "Prøvekørsel – intet er gemt" if summary.dry_run else "Import gennemført"
    table = Table("", "Antal", title=title, title_justify="left")
    table.add_row("Sager oprettet", str(summary.cases_created))
    for kind, count in sorted(summary.cases_created_from.items()):
        table.add_row(f"Sager oprettet ud fra {kind}", str(count))
    table.add_row("Sager opdateret", str(summary.cases_updated))
    table.add_row("Dokumenter i alt", str(summary.documents))
    for label, count in sorted(summary.documents_by_type.items()):
        table.add_row(f"  {label}", str(count))
    table.add_row("Dagbogsnotater", str(summary.notes))
    table.add_row("Bevillinger", str(summary.grants))
    table.add_row("Personer", str(summary.persons))
    table.add_row("Dubletter sprunget over", str(summary.duplicates))
    table.add_row("Ændrede poster", str(summary.changed_count))
    table.add_row("Problemer", str(len(summary.problems)))
    table.add_row("Filer sprunget over", str(len(summary.skipped)))
    console.print(table)
    for message in summary.changed[:20]:
        console.print(f"  ændret: {message}", highlight=False, markup=False)
    if summary.changed_count > 20:
        console.print(f"  … og {summary.changed_count - 20} ændring(er) mere.")
    for name in summary.skipped:
        console.print(f"  sprunget over: {name}", highlight=False, markup=False)


@click.command("status")
@project_option
@friendly_errors
def status_command(project_dir: Path) -> None:
    """Vis, hvad projektet indeholder: sager, dokumenter, notater og importkørsler."""
    with project_work(project_dir) as work:
        status = project_status(session=work.session, actor=work.actor,
                                project_id=work.project_id)
    table = Table("", "Antal", title=f"Projektet '{status.name}'", title_justify="left")
    table.add_row("Sager", str(status.cases))
    for year, count in sorted(status.closed_by_year.items()):
        table.add_row(f"  afsluttet {year}", str(count))
    table.add_row("  ikke afsluttet", str(status.open_cases))
    table.add_row("Dokumenter", str(sum(status.documents_by_type.values())))
    for label, count in status.documents_by_type.items():
        table.add_row(f"  {label}", str(count))
    table.add_row("Dagbogsnotater", str(status.notes))
    table.add_row("Bevillinger", str(status.grants))
    table.add_row("Personer", str(status.persons))
    console.print(table)
    runs = Table("Nr.", "Tid (UTC)", "Hvem", "Kilder", "Notater", "Dokumenter",
                 title="Importkørsler", title_justify="left")
    for run in status.import_runs:
        runs.add_row(str(run.id), run.started_at.strftime("%Y-%m-%d %H:%M"), run.actor,
                     "\n".join(run.sources), str(run.notes), str(run.documents))
    console.print(runs if status.import_runs else "Ingen importkørsler endnu.")


def register(cli: click.Group, evaluate: click.Group) -> None:
    """Add the import commands (importer, status)."""
    cli.add_command(import_command)
    cli.add_command(status_command)

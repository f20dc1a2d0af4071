"""CLI commands of the privacy area: pseudonymiser, genidentificer, evaluer pseudonymisering."""

from __future__ import annotations

from pathlib import Path

import click
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn
from rich.table import Table

from effektspor.cli.common import (
    console,
    err_console,
    friendly_errors,
    read_passphrase,
    vault_options,
)
from effektspor.domain.errors import EffektsporError
from effektspor.domain.formatting import format_number
from effektspor.services import project as project_service
from effektspor.services.privacy import files as privacy_files
from effektspor.services.privacy import project_run, vault
from effektspor.services.privacy import review as review_service

DEFAULT_THRESHOLD = 0.5


def _progress() -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), TaskProgressColumn(),
                    TimeRemainingColumn(), console=console, transient=False)


@click.command("pseudonymiser")
@click.argument("input_file", metavar="INDDATA.jsonl", required=False,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "output_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Uddatafil (JSONL) med pseudonymiseret tekst og spænd.")
@click.option("--projekt", "-p", "project_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Pseudonymisér hele projektet i denne mappe (på stedet).")
@vault_options
@click.option("--stil", type=click.Choice(["roller", "navne"]), default="roller",
              show_default=True,
              help="'roller' giver Barn 1, Mor, Person 2 …; 'navne' giver realistiske navne.")
@click.option("--tærskel", "--taerskel", "threshold", type=click.FloatRange(0, 1),
              default=DEFAULT_THRESHOLD, show_default=True,
              help="Hvor sikker genkendelsen skal være, før noget erstattes (lav = mere "
                   "erstattes; at overse et navn er værre end at erstatte et ord for meget).")
@click.option("--behold-originaler", is_flag=True,
              help="Gem originalteksterne krypteret i nøglefilen (ellers slettes de).")
@friendly_errors
def pseudonymise(input_file: Path | None, output_file: Path | None, project_dir: Path | None,
                 vault_path: Path | None, passphrase_file: Path | None, stil: str,
                 threshold: float, behold_originaler: bool) -> None:
    """Erstat CPR-numre, navne, adresser, telefonnumre, e-mails og steder med pseudonymer.

    \b
    En fil:          effektspor pseudonymiser INDDATA.jsonl -o UDDATA.jsonl
    Et helt projekt: effektspor pseudonymiser --projekt MAPPE --nøglefil MAPPE2

    Efter et helt projekt komprimeres databasen, og kopier af den i projektmappen
    (sikkerhedskopier, kopier fra før en opdatering) slettes, fordi de stadig indeholder
    navne og CPR-numre; hvad der slettes, skrives bagefter.
    """
    if project_dir is not None:
        if input_file is not None:
            raise EffektsporError("Angiv enten en inddatafil eller --projekt, ikke begge.")
        _pseudonymise_project(project_dir, vault_path, passphrase_file, stil, threshold,
                              behold_originaler)
        return
    if input_file is None or output_file is None:
        raise EffektsporError("Angiv INDDATA.jsonl og -o UDDATA.jsonl (eller --projekt MAPPE).")
    size = input_file.stat().st_size if input_file.exists() else 0
    with _progress() as progress:
        task = progress.add_task("Pseudonymiserer", total=size or None)
        summary = privacy_files.pseudonymise_jsonl(
            input_file, output_file, style=stil, threshold=threshold,
            progress=lambda n: progress.advance(task, n))
    counts = ", ".join(f"{label}: {n}" for label, n in sorted(summary.replacements.items()))
    console.print(f"{summary.lines} linjer pseudonymiseret → {output_file}"
                  + (f" ({counts})" if counts else ""))


def _pseudonymise_project(project_dir: Path, vault_path: Path | None,
                          passphrase_file: Path | None, style: str, threshold: float,
                          keep_originals: bool) -> None:
    if vault_path is None:
        raise EffektsporError("Angiv hvor nøglefilen skal ligge med --nøglefil (uden for "
                              "projektmappen).")
    with project_service.open_project(project_dir) as project:
        path = vault.vault_file(project, vault_path)
        secret = read_passphrase(passphrase_file, new=not path.exists())
        with _progress() as progress:
            task = progress.add_task("Pseudonymiserer projektet", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            summary = project_run.pseudonymise_project(
                project, actor=project_service.current_user(), vault_path=vault_path,
                passphrase=secret, style=style, threshold=threshold,
                keep_originals=keep_originals, progress=advance)
    print_pseudonymisation(summary)


def print_pseudonymisation(summary: project_run.PseudonymisationSummary) -> None:
    """Print what a pseudonymisation run did, and what its clean-up removed (Danish)."""
    counts = ", ".join(f"{label}: {n}" for label, n in sorted(summary.replacements.items()))
    console.print(f"Pseudonymiseret: {summary.notes} notater og {summary.documents} dokumenter "
                  f"i {summary.cases} sager; {summary.persons} personer flyttet til nøglefilen.")
    if summary.follow_up_rows:
        console.print(f"Opfølgningens fritekst (mål, opfølgninger, vurderinger): "
                      f"{summary.follow_up_rows} rækker pseudonymiseret.")
    if counts:
        console.print(f"Erstatninger: {counts}.")
    console.print(f"Til gennemsyn (usikre afgørelser): {summary.review_items}.")
    console.print(f"Nøglefil: {summary.vault_path}"
                  + (" (med krypterede originaler)" if summary.kept_originals else ""))
    cleanup = summary.plaintext_cleanup
    if cleanup is not None:
        for line in cleanup.messages():
            console.print(line, highlight=False, markup=False)
        for warning in cleanup.warnings:
            err_console.print(f"[bold yellow]Advarsel:[/] {warning}", highlight=False)


@click.command("genidentificer")
@click.option("--projekt", "-p", "project_dir", type=click.Path(file_okay=False, path_type=Path),
              default=".", envvar="EFFEKTSPOR_PROJEKT", show_default=True,
              help="Projektmappen.")
@vault_options
@click.option("--admin", "admin", required=True,
              help="Navnet på administratoren, der genidentificerer (skrives i loggen).")
@click.option("--pseudonym", help="Det pseudonym der slås op, fx 'Barn 1'.")
@click.option("--sag", "case", help="Kun denne sag (sagens id).")
@friendly_errors
def reidentify(project_dir: Path, vault_path: Path | None, passphrase_file: Path | None,
               admin: str, pseudonym: str | None, case: str | None) -> None:
    """Vis hvem et pseudonym dækker over (kræver nøglefil og adgangskode; logges altid)."""
    if vault_path is None:
        raise EffektsporError("Angiv nøglefilen med --nøglefil.")
    secret = read_passphrase(passphrase_file, new=False)
    with project_service.open_project(project_dir) as project:
        entries = review_service.reidentify(project, admin=admin, vault_path=vault_path,
                                     passphrase=secret, pseudonym=pseudonym, case=case)
    if not entries:
        console.print("Ingen pseudonymer matchede. (Opslaget er logget.)")
        return
    table = Table("Sag", "Type", "Pseudonym", "Original", title="Genidentifikation (logget)")
    for entry in entries:
        table.add_row(entry.scope, entry.label, entry.pseudonym, "; ".join(entry.originals))
    console.print(table)


@click.command("gennemsyn-pseudonymisering")
@click.option("--projekt", "-p", "project_dir", type=click.Path(file_okay=False, path_type=Path),
              default=".", envvar="EFFEKTSPOR_PROJEKT", show_default=True, help="Projektmappen.")
@click.option("--antal", default=50, show_default=True, help="Hvor mange afgørelser der vises.")
@friendly_errors
def review(project_dir: Path, antal: int) -> None:
    """Vis de usikre afgørelser fra seneste pseudonymisering (mindst sikre først)."""
    with project_service.open_project(project_dir) as project:
        items = review_service.review_list(project, limit=antal)
    if not items:
        console.print("Ingen afgørelser til gennemsyn.")
        return
    table = Table("Sikkerhed", "Etiket", "Afgørelse", "Tekst nu", "Hvor",
                  title="Til gennemsyn (seneste kørsel)")
    for item in items:
        table.add_row(format_number(item.confidence, 2), item.label,
                      "erstattet" if item.replaced else "beholdt", item.shown_text,
                      f"{item.object_type} {item.object_id}, tegn {item.start}–{item.end}")
    console.print(table)


@click.command("pseudonymisering")
@click.argument("gold_file", metavar="GULDSÆT.jsonl",
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--tærskel", "--taerskel", "threshold", type=click.FloatRange(0, 1),
              default=DEFAULT_THRESHOLD, show_default=True, help="Tærsklen der evalueres.")
@click.option("--vis", "show", default=50, show_default=True,
              help="Hvor mange oversete og fejlagtige spænd der vises.")
@friendly_errors
def evaluate_pseudonymisation(gold_file: Path, threshold: float, show: int) -> None:
    """Mål genkaldelse og præcision pr. etiket mod et håndannoteret guldsæt."""
    report = privacy_files.evaluate_gold(gold_file, threshold=threshold)
    table = Table("Etiket", "Guld", "Fundet", "Genkaldelse", "Forudsagt", "Korrekte",
                  "Præcision", "Præcise grænser",
                  title=f"Pseudonymisering: {report.notes} noter, tærskel {threshold}")
    rows = sorted(report.labels.items()) + [("I alt", report.overall)]
    for label, score in rows:
        table.add_row(label, str(score.gold), str(score.found), format_number(score.recall, 3),
                      str(score.predicted), str(score.correct), format_number(score.precision, 3),
                      str(score.exact))
    console.print(table)
    if report.misses:
        console.print(f"[bold]Oversete ({len(report.misses)}):[/]")
        for miss in report.misses[:show]:
            console.print(f"  {miss.note_id} {miss.label}: {miss.context}", markup=False,
                          highlight=False)
    if report.false_alarms:
        console.print(f"[bold]Fejlagtigt erstattet ({len(report.false_alarms)}):[/]")
        for alarm in report.false_alarms[:show]:
            console.print(f"  {alarm.note_id} {alarm.label}: {alarm.context}", markup=False,
                          highlight=False)


def register(cli: click.Group, evaluate: click.Group) -> None:
    """Add this area's commands to the main group (and the 'evaluer' group)."""
    cli.add_command(pseudonymise)
    cli.add_command(pseudonymise, name="pseudonymize")
    cli.add_command(reidentify)
    cli.add_command(review)
    evaluate.add_command(evaluate_pseudonymisation)

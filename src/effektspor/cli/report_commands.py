"""CLI commands of the reports area: ``rapport`` (the documentation analysis) and
``årsrapport`` (the yearly effect report). Both call ``services.reports`` in one unit of
work as the local actor, like the web app's downloads."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table

from effektspor.cli.common import (
    console,
    err_console,
    friendly_errors,
    project_option,
    project_work,
)
from effektspor.domain.formatting import (
    format_count_percent,
    format_number,
    format_p,
    percent_half_up,
)

if TYPE_CHECKING:
    from effektspor.services.reports.documentation import DocumentationReport


def print_key_figures(report: DocumentationReport) -> None:
    """Print the report's key figures in Danish."""
    a = report.analysis
    table = Table("Nøgletal", "", title_justify="left")
    table.add_row("Sager", str(len(a.cases)))
    table.add_row("Afsluttede sager", str(a.n_closed))
    low, high = a.usable_share_interval
    share = (f"{a.n_usable_discharge} ({percent_half_up(a.n_usable_discharge, a.n_closed)}%, "
             f"95%-KI {format_number(100 * low, 0)}–{format_number(100 * high, 0)}%)"
             if a.n_closed else "0")
    table.add_row("Med brugbar effektvurdering", share)
    for outcome in ("I mål", "På vej", "Ikke i mål"):
        count = a.assessments.get(outcome, 0)
        table.add_row(f"  {outcome}",
                      format_count_percent(count, percent_half_up(count, a.n_usable_discharge)))
    if a.grants_vs_enrollment:
        c = a.grants_vs_enrollment
        table.add_row("Bevillinger og indskrivningstid (Spearman)",
                      f"rho = {format_number(c.rho, 2)}, {format_p(c.p_value)}")
    table.add_row("Sager uden dagbogsnotater", str(a.n_without_notes))
    table.add_row(f"Sager med pauser over {a.gap_days} dage", str(a.n_with_gaps))
    table.add_row("Afsluttede sager uden udskrivningsrapport", str(a.n_closed_without_discharge))
    console.print(table)


def print_paths(report: DocumentationReport) -> None:
    """Print where the report files are."""
    for fmt, path in report.paths.items():
        console.print(f"  {fmt.upper():5} {path}", highlight=False)


@click.command("rapport")
@project_option
@click.option("--ud", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Mappe til rapporten (standard: mappen 'rapport' i projektmappen).")
@click.option("--format", "formats", default="html,docx,xlsx", show_default=True,
              help="Formater, kommasepareret: html, docx, xlsx.")
@click.option("--år", "year", type=int,
              help="Tag kun sager afsluttet i dette år (standard: alle sager).")
@friendly_errors
def report_command(project_dir: Path, out_dir: Path | None, formats: str,
                   year: int | None) -> None:
    """Skriv dokumentationsanalysen (trin 3) som rapport.

    Rapporten viser dokumenttyper, bevillinger, indskrivningstid, brug af
    opmærksomhedspunkter, udskrivningsrapporter med effektvurdering og huller i
    dokumentationen – kun antal, aldrig personer eller sagsnumre.
    """
    from effektspor.services.reports.documentation import (
        parse_report_formats,
        write_documentation_report,
    )

    chosen = parse_report_formats(formats)
    with (project_work(project_dir) as work,
          err_console.status("Analyserer dokumentationen …")):
        report = write_documentation_report(
            session=work.session, actor=work.actor, project_id=work.project_id,
            folder=out_dir or project_dir / "rapport", formats=chosen, closed_year=year)
    print_key_figures(report)
    console.print("[bold]Rapporten er skrevet:[/]")
    print_paths(report)


@click.command("årsrapport")
@click.option("--ud", "output", type=click.Path(file_okay=False, path_type=Path),
              help="Mappe til rapporten (standard: mappen 'rapport' i projektmappen).")
@click.option("--formater", default="docx,html,xlsx", show_default=True,
              help="Kommasepareret: docx, html, xlsx.")
@click.option("--pixi", is_flag=True,
              help="Pixi-udgave til deling uden for kommunen: små celler skjult, ingen citater.")
@click.option("--grænse", "threshold", default=3, show_default=True,
              help="Celler med færre sager end dette skjules i pixi-udgaven.")
@click.option("--sidste-år", "previous", type=click.Path(exists=True, path_type=Path),
              help="Sidste års projektmappe eller en CSV med dets sager (til sammenligning).")
@project_option
@friendly_errors
def yearly_report_command(output: Path | None, formater: str, pixi: bool, threshold: int,
                          previous: Path | None, project_dir: Path) -> None:
    """Skriv den årlige effektrapport (dokumentationsgrundlag, effekt, problemgrad, alliance)."""
    from effektspor.services.reports.documentation import parse_report_formats
    from effektspor.services.reports.yearly import previous_year_figures, write_yearly_report

    formats = parse_report_formats(formater)
    last_year = previous
    if previous is not None and previous.is_dir():
        with project_work(previous) as work:
            last_year = previous_year_figures(session=work.session, actor=work.actor,
                                              project_id=work.project_id)
    with project_work(project_dir) as work:
        written = write_yearly_report(
            session=work.session, actor=work.actor, project_id=work.project_id,
            folder=output or project_dir / "rapport", formats=formats, pixi=pixi,
            threshold=threshold, previous=last_year)
    for path in written.values():
        console.print(f"Skrevet: {path}")


def register(cli: click.Group, evaluate: click.Group) -> None:
    """Add this area's commands to the main group."""
    cli.add_command(report_command)
    cli.add_command(yearly_report_command)

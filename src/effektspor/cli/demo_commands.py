"""CLI commands of the demo and report area: ``demo`` and ``rapport``."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from effektspor.cli.common import console, err_console, friendly_errors, project_option
from effektspor.domain.formatting import (
    format_count_percent,
    format_number,
    format_p,
    percent_half_up,
)
from effektspor.services import project as project_service
from effektspor.services.demo.pipeline import DEMO_PASSPHRASE, DemoRun, run_demo
from effektspor.services.documentation import (
    DocumentationReport,
    parse_report_formats,
    write_documentation_report,
)


def print_key_figures(report: DocumentationReport) -> None:
    """Print the report's key figures in Danish."""
    a = report.analysis
    table = Table("Nøgletal", "", title_justify="left")
    table.add_row("Sager", str(len(a.cases)))
    table.add_row("Afsluttede sager", str(a.n_closed))
    low, high = a.usable_share_interval
    share = (f"{a.n_usable_discharge} ({percent_half_up(a.n_usable_discharge, a.n_closed)}%, "
             f"95%-KI {format_number(100 * low, 0)}–{format_number(100 * high, 0)}%)" if a.n_closed else "0")
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


def print_pipeline_figures(run: DemoRun) -> None:
    """Print what pseudonymisation, auto-coding and classification did in the demo."""
    table = Table("Behandling", "", title_justify="left")
    if run.pseudonymisation:
        p = run.pseudonymisation
        replaced = sum(p.replacements.values())
        table.add_row("Pseudonymiserede notater og dokumenter", f"{p.notes} og {p.documents}")
        table.add_row("Erstattede personoplysninger", f"{replaced} "
                      f"({', '.join(f'{k} {v}' for k, v in sorted(p.replacements.items()))})")
    if run.autocoding:
        a = run.autocoding
        table.add_row("Autokodede notater", f"{a.notes_coded} af {a.notes} "
                      f"({a.codings} kodninger, kodebog {a.codebook} {a.codebook_version})")
    if run.suggestions:
        table.add_row("Klassifikationsforslag (godkendt samlet i demoen)",
                      f"{run.suggestions.created} forslag, {run.confirmed} godkendt")
    console.print(table)


def print_paths(report: DocumentationReport) -> None:
    """Print where the report files are."""
    for fmt, path in report.paths.items():
        console.print(f"  {fmt.upper():5} {path}", highlight=False)


@click.command("demo")
@click.option("--mappe", "folder", type=click.Path(path_type=Path),
              default=Path("effektspor-demo"), show_default=True,
              help="Mappe til demoen (eksport, facit, projekt og rapport). En tidligere "
                   "demomappe erstattes; andre mapper røres ikke.")
@click.option("--frø", "seed", type=int, default=2019, show_default=True,
              help="Frø til de syntetiske data (samme frø giver samme data).")
@friendly_errors
def demo_command(folder: Path, seed: int) -> None:
    """Kør hele analysen på syntetiske data (ingen rigtige personer).

    Danner en eksport med 146 opdigtede sager afsluttet i 2019, opretter et projekt,
    importerer, pseudonymiserer, autokoder dagbogsnotaterne, klassificerer sagerne og
    skriver dokumentationsanalysen og årsrapporten (også som pixi-udgave) som HTML,
    Word og Excel.
    """
    with console.status("Demoen kører …") as status:
        run = run_demo(folder, seed=seed, actor=project_service.current_user(),
                       on_step=lambda label: status.update(f"{label} …"))
    for label in run.done:
        console.print(f"[green]✓[/] {label}")
    assert run.export is not None and run.report is not None
    console.print(f"\nSyntetisk eksport: {run.export_folder}  (facit: {run.truth_file})",
                  highlight=False)
    console.print(f"Projekt: {run.project_folder}", highlight=False)
    print_key_figures(run.report)
    print_pipeline_figures(run)
    console.print("\n[bold]Rapporterne er skrevet:[/]")
    print_paths(run.report)
    for fmt, path in {**run.yearly_report, **{f"{k} (pixi)": v for k, v in
                                              run.yearly_report_pixi.items()}}.items():
        console.print(f"  {fmt.upper():12} {path}", highlight=False)
    main_report = run.yearly_report.get("html", run.report_folder)
    console.print(f"\nÅbn {main_report} i en browser.", highlight=False)
    console.print(f"Se, kod og klassificér sagerne i webappen: effektspor serve -p "
                  f"{run.project_folder}", highlight=False, soft_wrap=True)
    console.print(f"Nøglefilen ligger i {run.key_folder} (demo-adgangskode: "
                  f"'{DEMO_PASSPHRASE}' – brug aldrig en kendt adgangskode til rigtige data).",
                  highlight=False)


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
    chosen = parse_report_formats(formats)
    with (project_service.open_project(project_dir) as project,
          err_console.status("Analyserer dokumentationen …")):
        report = write_documentation_report(
            project, out_dir or project.folder / "rapport", formats=chosen,
            closed_year=year, actor=project_service.current_user())
    print_key_figures(report)
    console.print("[bold]Rapporten er skrevet:[/]")
    print_paths(report)


def register(cli: click.Group, evaluate: click.Group) -> None:
    """Add this area's commands to the main group (and the 'evaluer' group)."""
    cli.add_command(demo_command)
    cli.add_command(report_command)

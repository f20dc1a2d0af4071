"""CLI command of the demo: ``demo`` (the reports' commands are in ``report_commands``)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from effektspor.cli.common import console, friendly_errors
from effektspor.cli.report_commands import print_key_figures, print_paths
from effektspor.services import project as project_service
from effektspor.services.demo.pipeline import DEMO_PASSPHRASE, DemoRun, run_demo


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


def register(cli: click.Group, evaluate: click.Group) -> None:
    """Add this area's commands to the main group (and the 'evaluer' group)."""
    cli.add_command(demo_command)

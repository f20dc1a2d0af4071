"""CLI commands of case classification (klassificer, foreslå, bekræft, klassifikation,
årsrapport); re-coding is in ``recoding_commands``."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from effektspor.cli.common import console, friendly_errors, project_option
from effektspor.report.spreadsheet import dict_writer
from effektspor.services import classification as classification_service
from effektspor.services import classification_suggest as suggest_service
from effektspor.services import yearly_report as yearly_report_service
from effektspor.services.project import current_user, open_project

coder_option = click.option("--koder", required=True,
                            help="Navnet på den person, der har kodet værdien.")


@click.command("klassificer")
@click.argument("sag")
@click.argument("variabel")
@click.argument("vaerdi", metavar="VÆRDI")
@coder_option
@project_option
@friendly_errors
def classify(sag: str, variabel: str, vaerdi: str, koder: str, project_dir: Path) -> None:
    """Giv SAG værdien VÆRDI for VARIABEL (fx maalopnaaelse "På vej")."""
    with open_project(project_dir) as project:
        change = classification_service.set_value(
            project, case_external_id=sag, variable=variabel, value=vaerdi, coder=koder,
            actor=current_user())
    if not change.changed:
        console.print(f"Sag {sag} har allerede værdien '{change.new_value}' – intet ændret.")
    elif change.old_value is None:
        console.print(f"Sag {sag}: {change.variable} = '{change.new_value}' (koder: {koder}).")
    else:
        console.print(f"Sag {sag}: {change.variable} ændret fra '{change.old_value}' til "
                      f"'{change.new_value}' (koder: {koder}). Den gamle værdi er gemt i "
                      "historikken.")


@click.command("foreslå")
@project_option
@friendly_errors
def suggest(project_dir: Path) -> None:
    """Foreslå målopnåelse, problemstilling og problemgrad ud fra sagernes dokumenter."""
    with open_project(project_dir) as project:
        summary = suggest_service.suggest_classifications(project, actor=current_user())
    table = Table("Variabel", "Nye", "Uændrede", "Allerede sat", "Uden dokument",
                  "Uden belæg", title=f"Forslag for {summary.cases} sager")
    for name, count in summary.per_variable.items():
        table.add_row(name, str(count.created), str(count.already_suggested),
                      str(count.already_classified), str(count.no_document),
                      str(count.no_evidence))
    console.print(table)
    console.print("Se forslagene med 'effektspor bekræft --vis' og bekræft dem med "
                  "'effektspor bekræft --alle' eller 'effektspor bekræft SAG'.")


@click.command("bekræft")
@click.argument("sager", nargs=-1)
@click.option("--alle", is_flag=True, help="Alle åbne forslag (evt. kun for --variabel).")
@click.option("--variabel", help="Kun forslag for denne variabel.")
@click.option("--afvis", is_flag=True, help="Afvis forslagene i stedet for at bekræfte dem.")
@click.option("--vis", is_flag=True, help="Vis de åbne forslag med citat; ændrer intet.")
@project_option
@friendly_errors
def confirm(sager: tuple[str, ...], alle: bool, variabel: str | None, afvis: bool, vis: bool,
            project_dir: Path) -> None:
    """Bekræft (eller afvis) forslag for SAGER, eller --alle åbne forslag."""
    with open_project(project_dir) as project:
        if vis:
            rows = suggest_service.list_suggestions(project, variable=variabel,
                                                    case_ids=list(sager) or None)
            console.print(f"[bold]{len(rows)} åbne forslag[/]")
            for row in rows:
                console.print(f"[bold]Sag {row['sag']}[/], {row['variabel']}: "
                              f"[bold]{row['værdi']}[/] ({row['begrundelse'] or ''})",
                              highlight=False)
                console.print(f"  «{row['citat']}» – {row['dokument'] or 'ukendt dokument'}, "
                              f"tegn {row['start']}–{row['slut']}", highlight=False,
                              soft_wrap=True)
            return
        if not sager and not alle:
            raise click.UsageError("Angiv en eller flere sager, eller --alle.")
        count = suggest_service.confirm_suggestions(
            project, actor=current_user(), case_ids=list(sager) or None, variable=variabel,
            reject=afvis)
    console.print(f"{count} forslag er {'afvist' if afvis else 'bekræftet'}.")


@click.group("klassifikation")
def classification_group() -> None:
    """Variable, import af værdier, historik og sagstabel."""


@classification_group.command("variable")
@project_option
@friendly_errors
def show_variables(project_dir: Path) -> None:
    """Vis projektets variable med tilladte værdier og kriterier."""
    with open_project(project_dir) as project:
        variables = classification_service.list_variables(project, actor=current_user())
    for variable in variables:
        console.print(f"[bold]{variable.label}[/] ({variable.name}, {variable.kind.value})")
        if variable.description:
            console.print(f"  {variable.description}", highlight=False)
        for value in variable.values:
            console.print(f"  • {value}: {variable.criteria.get(value, '')}", highlight=False)


@classification_group.command("definer")
@click.argument("fil", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@project_option
@friendly_errors
def define(fil: Path, project_dir: Path) -> None:
    """Definér kommunens egne variable fra en YAML-fil (se brugervejledningen)."""
    with open_project(project_dir) as project:
        variables = classification_service.define_variables(project, fil, actor=current_user())
    console.print(f"{len(variables)} variabel(e) er defineret: "
                  f"{', '.join(v.name for v in variables)}.")


@classification_group.command("importer")
@click.argument("fil", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@coder_option
@project_option
@friendly_errors
def import_file(fil: Path, koder: str, project_dir: Path) -> None:
    """Indlæs mange værdier fra CSV/XLSX (kolonner: sag + variable, eller sag;variabel;værdi)."""
    with open_project(project_dir) as project:
        summary = classification_service.import_values(project, fil, coder=koder,
                                                       actor=current_user())
    console.print(f"{summary.file}: {summary.rows} værdier læst, {summary.changed} ændret, "
                  f"{summary.unchanged} uændrede.")


@classification_group.command("historik")
@click.argument("sag")
@click.argument("variabel")
@project_option
@friendly_errors
def history(sag: str, variabel: str, project_dir: Path) -> None:
    """Vis alle værdier, SAG har haft for VARIABEL (også afviste og erstattede)."""
    with open_project(project_dir) as project:
        rows = classification_service.value_history(project, case_external_id=sag,
                                                    variable=variabel)
    status = {"suggested": "foreslået", "confirmed": "bekræftet", "rejected": "afvist"}
    table = Table("Tid (UTC)", "Værdi", "Status", "Koder", "Oprindelse", "Gældende", "Citat",
                  title=f"Historik for sag {sag}, {variabel}")
    for row in rows:
        current = "nej" if row["erstattet"] or row["status"] != "confirmed" else "ja"
        table.add_row(row["oprettet"].strftime("%Y-%m-%d %H:%M"), row["værdi"],
                      status.get(row["status"], row["status"]), row["koder"],
                      row["oprindelse"], current, row["citat"] or "")
    console.print(table)


@classification_group.command("tabel")
@click.option("--variable", "names", help="Kommasepareret liste af variable (standard: alle).")
@click.option("--ud", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Skriv tabellen som CSV til denne fil (ellers vises den).")
@click.option("--afledte", is_flag=True,
              help="Tilføj ja/nej-variable fra kodningerne (negativ_alliance, "
                   "reflekteret_indsatsjustering, ...).")
@project_option
@friendly_errors
def show_table(names: str | None, output: Path | None, afledte: bool, project_dir: Path) -> None:
    """Vis eller gem sagstabellen: én række pr. sag med de bekræftede værdier."""
    chosen = [n.strip() for n in names.split(",")] if names else None
    with open_project(project_dir) as project:
        rows = classification_service.case_table_with_codings(project, variables=chosen) \
            if afledte else classification_service.case_table(project, variables=chosen)
    columns = list(rows[0]) if rows else ["sag", "team"]
    if output is not None:
        with output.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = dict_writer(handle, fieldnames=columns, delimiter=";")
            writer.writeheader()
            writer.writerows({k: ("" if v is None else v) for k, v in r.items()} for r in rows)
        console.print(f"{len(rows)} sager er skrevet til {output}.")
        return
    table = Table(*columns, title=f"{len(rows)} sager")
    for row in rows:
        table.add_row(*("" if row[c] is None else str(row[c]) for c in columns))
    console.print(table)


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
def yearly_report(output: Path | None, formater: str, pixi: bool, threshold: int,
                  previous: Path | None, project_dir: Path) -> None:
    """Skriv den årlige effektrapport (dokumentationsgrundlag, effekt, problemgrad, alliance)."""
    from effektspor.report import parse_formats

    formats = parse_formats(formater)
    with open_project(project_dir) as project:
        folder = output or project.folder / "rapport"
        previous_project = open_project(previous) if previous and previous.is_dir() else None
        try:
            written = yearly_report_service.write_yearly_report(
                project, folder, actor=current_user(), formats=formats, pixi=pixi,
                threshold=threshold, previous=previous_project or previous,
                code_presence=yearly_report_service.project_code_presence(project))
        finally:
            if previous_project is not None:
                previous_project.close()
    for path in written.values():
        console.print(f"Skrevet: {path}")


def register(cli: click.Group, evaluate: click.Group) -> None:
    """Add this area's commands to the main group."""
    for command in (classify, suggest, confirm, classification_group, yearly_report):
        cli.add_command(command)

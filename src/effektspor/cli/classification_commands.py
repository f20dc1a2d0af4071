"""CLI commands of case classification (klassificer, foreslå, bekræft, klassifikation,
årsrapport); re-coding is in ``recoding_commands``."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from effektspor.cli.common import (
    coder_option,
    console,
    friendly_errors,
    project_option,
    project_work,
)

required_coder_option = click.option("--koder", required=True,
                                     help="Navnet på den person, der har kodet værdien.")


@click.command("klassificer")
@click.argument("sag")
@click.argument("variabel")
@click.argument("vaerdi", metavar="VÆRDI")
@required_coder_option
@project_option
@friendly_errors
def classify(sag: str, variabel: str, vaerdi: str, koder: str, project_dir: Path) -> None:
    """Giv SAG værdien VÆRDI for VARIABEL (fx maalopnaaelse "På vej")."""
    from effektspor.services.classification import values

    with project_work(project_dir, coder=koder) as work:
        change = values.set_value(session=work.session, actor=work.actor,
                                  project_id=work.project_id, case_external_id=sag,
                                  variable=variabel, value=vaerdi)
    coder = work.actor.name
    if not change.changed:
        console.print(f"Sag {sag} har allerede værdien '{change.value}' – intet ændret.")
    elif change.confirmed_suggestion:
        console.print(f"Sag {sag}: forslaget {change.variable} = '{change.value}' er "
                      f"bekræftet (koder: {coder}).")
    elif change.old_value is None:
        console.print(f"Sag {sag}: {change.variable} = '{change.value}' (koder: {coder}).")
    else:
        console.print(f"Sag {sag}: {change.variable} ændret fra '{change.old_value}' til "
                      f"'{change.value}' (koder: {coder}). Den gamle værdi er gemt i "
                      "historikken.")


@click.command("foreslå")
@coder_option
@project_option
@friendly_errors
def suggest(coder: str | None, project_dir: Path) -> None:
    """Foreslå målopnåelse, problemstilling og problemgrad ud fra sagernes dokumenter."""
    from effektspor.services.classification import suggestions

    with project_work(project_dir, coder=coder) as work:
        summary = suggestions.suggest_classifications(
            session=work.session, actor=work.actor, project_id=work.project_id)
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
@coder_option
@project_option
@friendly_errors
def confirm(sager: tuple[str, ...], alle: bool, variabel: str | None, afvis: bool, vis: bool,
            coder: str | None, project_dir: Path) -> None:
    """Bekræft (eller afvis) forslag for SAGER, eller --alle åbne forslag."""
    from effektspor.services.classification import suggestions

    if not vis and not sager and not alle:
        raise click.UsageError("Angiv en eller flere sager, eller --alle.")
    with project_work(project_dir, coder=coder) as work:
        if vis:
            rows = suggestions.list_suggestions(
                session=work.session, actor=work.actor, project_id=work.project_id,
                variable=variabel, case_ids=list(sager) or None)
        else:
            count = suggestions.confirm_suggestions(
                session=work.session, actor=work.actor, project_id=work.project_id,
                case_ids=list(sager) or None, variable=variabel, reject=afvis)
    if not vis:
        console.print(f"{count} forslag er {'afvist' if afvis else 'bekræftet'}.")
        return
    console.print(f"[bold]{len(rows)} åbne forslag[/]")
    for row in rows:
        console.print(f"[bold]Sag {row['sag']}[/], {row['variabel']}: "
                      f"[bold]{row['værdi']}[/] ({row['begrundelse'] or ''})",
                      highlight=False)
        console.print(f"  «{row['citat']}» – {row['dokument'] or 'ukendt dokument'}, "
                      f"tegn {row['start']}–{row['slut']}", highlight=False,
                      soft_wrap=True)


@click.group("klassifikation")
def classification_group() -> None:
    """Variable, import af værdier, historik og sagstabel."""


@classification_group.command("variable")
@project_option
@friendly_errors
def show_variables(project_dir: Path) -> None:
    """Vis projektets variable med tilladte værdier og kriterier."""
    from effektspor.services.classification import variables as variable_service

    with project_work(project_dir) as work:
        variables = variable_service.list_variables(session=work.session, actor=work.actor,
                                                    project_id=work.project_id)
    for variable in variables:
        console.print(f"[bold]{variable.label}[/] ({variable.name}, {variable.kind.value})")
        if variable.description:
            console.print(f"  {variable.description}", highlight=False)
        for value in variable.values:
            console.print(f"  • {value}: {variable.criteria.get(value, '')}", highlight=False)


@classification_group.command("definer")
@click.argument("fil", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@coder_option
@project_option
@friendly_errors
def define(fil: Path, coder: str | None, project_dir: Path) -> None:
    """Definér kommunens egne variable fra en YAML-fil (se brugervejledningen)."""
    from effektspor.services.classification import variables as variable_service

    with project_work(project_dir, coder=coder) as work:
        variables = variable_service.define_variables(
            session=work.session, actor=work.actor, project_id=work.project_id, path=fil)
    console.print(f"{len(variables)} variabel(e) er defineret: "
                  f"{', '.join(v.name for v in variables)}.")


@classification_group.command("importer")
@click.argument("fil", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@required_coder_option
@project_option
@friendly_errors
def import_file(fil: Path, koder: str, project_dir: Path) -> None:
    """Indlæs mange værdier fra CSV/XLSX (kolonner: sag + variable, eller sag;variabel;værdi)."""
    from effektspor.services.classification import values

    with project_work(project_dir, coder=koder) as work:
        summary = values.import_values(session=work.session, actor=work.actor,
                                       project_id=work.project_id, path=fil)
    console.print(f"{summary.file}: {summary.rows} værdier læst, {summary.changed} ændret, "
                  f"{summary.unchanged} uændrede.")


@classification_group.command("historik")
@click.argument("sag")
@click.argument("variabel")
@project_option
@friendly_errors
def history(sag: str, variabel: str, project_dir: Path) -> None:
    """Vis alle værdier, SAG har haft for VARIABEL (også afviste og erstattede)."""
    from effektspor.services.classification import values

    with project_work(project_dir) as work:
        rows = values.value_history(session=work.session, actor=work.actor,
                                    project_id=work.project_id, case_external_id=sag,
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
    from effektspor.services.classification import tables

    chosen = [n.strip() for n in names.split(",")] if names else None
    with project_work(project_dir) as work:
        rows = tables.case_table(session=work.session, actor=work.actor,
                                 project_id=work.project_id, variables=chosen,
                                 derived=afledte)
    columns = list(rows[0]) if rows else ["sag", "team"]
    if output is not None:
        from effektspor.services.reports.files import write_rows_csv

        write_rows_csv(output, rows, columns)
        console.print(f"{len(rows)} sager er skrevet til {output}.")
        return
    table = Table(*columns, title=f"{len(rows)} sager")
    for row in rows:
        table.add_row(*("" if row[c] is None else str(row[c]) for c in columns))
    console.print(table)




def register(cli: click.Group, evaluate: click.Group) -> None:
    """Add this area's commands to the main group."""
    for command in (classify, suggest, confirm, classification_group):
        cli.add_command(command)

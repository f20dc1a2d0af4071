"""CLI commands of case classification and re-coding (klassificer, foreslå, bekræft, rekodning)."""

from __future__ import annotations

import json
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
from effektspor.domain.formatting import format_number
from effektspor.services import reliability as reliability_service
from effektspor.services.project import current_user, open_project

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


@click.group("rekodning")
def recoding_group() -> None:
    """Pålidelighedstest: blind rekodning af en stikprøve, enighed og afgørelser."""


@recoding_group.command("udtræk")
@click.option("--koder", required=True, help="Den anden koder, der skal rekode blindt.")
@click.option("--team", "teams", multiple=True, help="Tag alle sager fra dette team (gentag).")
@click.option("--antal", default=0, show_default=True, help="Antal tilfældige sager derudover.")
@click.option("--frø", "seed", type=int, required=True, help="Tilfældighedsfrø (gentagelig).")
@click.option("--variable", "names", help="Kommasepareret (standard: de tre standardvariable).")
@click.option("--ud", "output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Det blinde skema (.xlsx eller .csv).")
@project_option
@friendly_errors
def draw(koder: str, teams: tuple[str, ...], antal: int, seed: int, names: str | None,
         output: Path, project_dir: Path) -> None:
    """Træk en stikprøve til rekodning og skriv et blindt skema til den anden koder."""
    with open_project(project_dir) as project:
        info = reliability_service.draw_recoding_sample(
            project, coder=koder, seed=seed, teams=teams, n_random=antal,
            variables=[n.strip() for n in names.split(",")] if names else None,
            actor=current_user())
        reliability_service.export_blind_sheet(project, info.id, output, actor=current_user())
    console.print(f"Rekodningsrunde {info.id}: {len(info.case_ids)} sager til {koder} "
                  f"(frø {seed}). Skemaet er skrevet til {output} uden første koders værdier.")


@recoding_group.command("indlæs")
@click.argument("runde", type=int)
@click.argument("fil", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@project_option
@friendly_errors
def read_back(runde: int, fil: Path, project_dir: Path) -> None:
    """Indlæs den anden koders udfyldte skema for rekodningsRUNDE."""
    with open_project(project_dir) as project:
        count = reliability_service.import_recoding(project, runde, fil, actor=current_user())
    console.print(f"{count} værdier fra {fil.name} er indlæst i runde {runde}.")


@recoding_group.command("enighed")
@click.argument("runde", type=int)
@click.option("--format", "output_format", type=click.Choice(["tabel", "json"]),
              default="tabel", show_default=True, help="Vis som tabel eller JSON.")
@click.option("--bootstrap", default=2000, show_default=True,
              help="Antal bootstrap-gentagelser til konfidensintervallerne.")
@project_option
@friendly_errors
def show_agreement(runde: int, output_format: str, bootstrap: int, project_dir: Path) -> None:
    """Beregn enigheden mellem første og anden koder i rekodningsRUNDE."""
    with open_project(project_dir) as project:
        reports = reliability_service.agreement(project, runde, bootstrap=bootstrap)
    if output_format == "json":
        click.echo(json.dumps([r.as_dict() for r in reports], ensure_ascii=False, indent=2,
                              default=lambda v: None))
        return
    for report in reports:
        table = Table("Mål", "Værdi", "95 %-interval",
                      title=f"{report.variable}: {report.n_cases} sager med to kodninger "
                            f"({report.level})")
        table.add_row("Procent enighed", format_number(100 * report.percent_agreement, 1) + " %", "")
        for estimate in report.estimates:
            table.add_row(estimate.name.replace("_", " "), format_number(estimate.value, 3),
                          f"{format_number(estimate.low, 3)} – {format_number(estimate.high, 3)}")
        console.print(table)
        if report.missing:
            console.print(f"  Uden to kodninger (ikke talt med): {', '.join(report.missing)}")
        console.print(f"  {len(report.disagreements)} uenighed(er). {report.method_note}",
                      highlight=False)


@recoding_group.command("tegnenighed")
@click.argument("runde", type=int)
@click.option("--første-koder", "first_coder", required=True,
              help="Den anden koder at sammenligne med (fx 'maskine' for autokoderen).")
@click.option("--pr-notat", "per_note", is_flag=True,
              help="Vis også hver kode i hvert notat (som NVivos kodningssammenligning).")
@project_option
@friendly_errors
def show_character_agreement(runde: int, first_coder: str, per_note: bool,
                             project_dir: Path) -> None:
    """Enighed og kappa pr. kode målt i tegn (som NVivo) i rekodningsRUNDEs notater."""
    from effektspor.services.reliability_characters import character_agreement_of_round

    with open_project(project_dir) as project:
        result = character_agreement_of_round(project, runde, first_coder=first_coder,
                                              actor=current_user())
    table = Table("Kode", "Procent enighed (tegn)", "Kappa",
                  title=f"Kodningssammenligning i tegn, runde {runde}: "
                        f"{result.first_coder} og {result.second_coder}")
    for code, (agreement, kappa) in sorted(result.by_code.items()):
        table.add_row(code, format_number(100 * agreement, 1) + " %", format_number(kappa, 3))
    console.print(table)
    console.print("Gennemsnit over notaterne, vægtet med notatets længde i tegn.")
    if per_note:
        detail = Table("Kode", "Notat", "Begge", "Kun første", "Kun anden", "Enighed", "Kappa")
        for row in result.rows:
            r = row.result
            detail.add_row(row.code, row.document, str(r.both), str(r.only_a), str(r.only_b),
                           format_number(100 * r.agreement, 1) + " %", format_number(r.kappa, 3))
        console.print(detail)


@recoding_group.command("kodeenighed")
@click.argument("runde", type=int)
@click.option("--første-koder", "first_coder", required=True,
              help="Den anden koder at sammenligne med (fx 'maskine' for autokoderen).")
@click.option("--format", "output_format", type=click.Choice(["tabel", "json"]),
              default="tabel", show_default=True, help="Vis som tabel eller JSON.")
@click.option("--bootstrap", default=1000, show_default=True,
              help="Antal bootstrap-gentagelser til konfidensintervallerne.")
@project_option
@friendly_errors
def show_code_agreement(runde: int, first_coder: str, output_format: str, bootstrap: int,
                        project_dir: Path) -> None:
    """Enighed pr. kode om, hvorvidt sagen har koden, i rekodningsRUNDEs sager."""
    with open_project(project_dir) as project:
        reports = reliability_service.code_presence_agreement(
            project, runde, first_coder=first_coder, bootstrap=bootstrap)
    if output_format == "json":
        click.echo(json.dumps([r.as_dict() for r in reports], ensure_ascii=False, indent=2,
                              default=lambda v: None))
        return
    table = Table("Kode", "Sager", "Procent enighed", "Kappa", "95 %-interval", "Alfa",
                  title=f"Enighed om koder pr. sag, runde {runde}")
    for report in reports:
        kappa, alpha = report.estimate("kappa"), report.estimate("alpha_nominal")
        table.add_row(report.variable, str(report.n_cases),
                      format_number(100 * report.percent_agreement, 1) + " %",
                      format_number(kappa.value, 3), f"{format_number(kappa.low, 3)} – "
                      f"{format_number(kappa.high, 3)}", format_number(alpha.value, 3))
    console.print(table)


@recoding_group.command("uenigheder")
@click.argument("runde", type=int)
@click.option("--åbne", "open_only", is_flag=True, help="Kun dem, der ikke er afgjort endnu.")
@project_option
@friendly_errors
def list_disagreements(runde: int, open_only: bool, project_dir: Path) -> None:
    """List uenighederne i rekodningsRUNDE."""
    with open_project(project_dir) as project:
        pairs = reliability_service.disagreements(project, runde, open_only=open_only)
    table = Table("Sag", "Variabel", "Første koder", "Anden koder", "Afgjort",
                  title=f"{len(pairs)} uenigheder i runde {runde}")
    for pair in pairs:
        table.add_row(pair.case_external_id, pair.variable,
                      f"{pair.first_value} ({pair.first_coder})",
                      f"{pair.second_value} ({pair.second_coder})", pair.final_value or "")
    console.print(table)


@recoding_group.command("afgør")
@click.argument("runde", type=int)
@click.argument("sag")
@click.argument("variabel")
@click.argument("vaerdi", metavar="VÆRDI")
@click.option("--begrundelse", required=True, help="Hvorfor værdien blev valgt.")
@project_option
@friendly_errors
def settle(runde: int, sag: str, variabel: str, vaerdi: str, begrundelse: str,
           project_dir: Path) -> None:
    """Afgør en uenighed: SAG får VÆRDI for VARIABEL, med begrundelse."""
    with open_project(project_dir) as project:
        pair = reliability_service.resolve_disagreement(
            project, runde, case_external_id=sag, variable=variabel, final_value=vaerdi,
            reason=begrundelse, actor=current_user())
    console.print(f"Sag {sag}, {variabel}: afgjort til '{pair.final_value}' "
                  f"(første: {pair.first_value}, anden: {pair.second_value}).")


def register(cli: click.Group, evaluate: click.Group) -> None:
    """Add this area's commands to the main group."""
    for command in (classify, suggest, confirm, classification_group, recoding_group):
        cli.add_command(command)

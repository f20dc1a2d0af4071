"""CLI commands of the recoding area: ``rekodning`` (draw a blind sample for a second
coder, read their sheet back, agreement in characters and on codes, list and settle the
disagreements) and ``enighed`` (agreement between two coders: a round of the project, or
two CSV files).

Every command acts as the project's local actor (``contract.local_actor``: the name from
EFFEKTSPOR_KODER, ``koder:`` in effektspor.yaml or the login name) in one unit of work.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import click
from rich.table import Table

from effektspor.cli.common import console, friendly_errors, project_option, project_work
from effektspor.domain.formatting import format_number

FORMAT_OPTION = click.option("--format", "output_format", type=click.Choice(["tabel", "json"]),
                             default="tabel", show_default=True,
                             help="Vis som tabel (til mennesker) eller JSON (til programmer).")
ROUND_ARGUMENT = click.argument("runde", type=int)
FIRST_CODER_OPTION = click.option(
    "--første-koder", "first_coder", required=True,
    help="Den anden koder at sammenligne med (fx 'maskine' for autokoderen).")


def _json_safe(value):
    """A structure made JSON-safe: NaN (an estimate that cannot be computed) becomes null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def _echo_json(data) -> None:
    click.echo(json.dumps(_json_safe(data), ensure_ascii=False, indent=2))


def _print_report(report, *, name_a: str | None = None, name_b: str | None = None) -> None:
    """One variable's agreement: a table of the measures with their 95 % intervals, the
    cases left out, the disagreements and the method."""
    table = Table("Mål", "Værdi", "95 %-interval",
                  title=f"Enighed om {report.variable}: {report.n_cases} sager med to "
                        f"kodninger ({report.level})")
    table.add_row("Procent enighed", format_number(100 * report.percent_agreement, 1) + " %", "")
    for estimate in report.estimates:
        table.add_row(estimate.name.replace("_", " "), format_number(estimate.value, 3),
                      f"{format_number(estimate.low, 3)} – {format_number(estimate.high, 3)}")
    console.print(table)
    if report.missing:
        console.print(f"  Uden to kodninger (ikke talt med): {', '.join(report.missing)}",
                      highlight=False)
    for case_id, a, b in report.disagreements:
        console.print(f"  Uenighed i sag {case_id}: {a} / {b}", highlight=False)
    if report.only_in_a:
        console.print(f"  [yellow]Kun i {name_a}:[/] {', '.join(report.only_in_a)}",
                      highlight=False)
    if report.only_in_b:
        console.print(f"  [yellow]Kun i {name_b}:[/] {', '.join(report.only_in_b)}",
                      highlight=False)
    console.print(f"  {report.method_note}", highlight=False)


@click.command("enighed")
@click.argument("files", nargs=-1, metavar="[KODER_A.csv KODER_B.csv]",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--runde", type=int,
              help="Rekodningsrunden i projektet, i stedet for to CSV-filer.")
@click.option("--variabel", help="Variablen der sammenlignes (kræves med to filer; med "
              "--runde: kun den variabel).")
@click.option("--id-kolonne", "id_column", default="sag_id", show_default=True,
              help="Kolonnen med sagens id (to filer).")
@click.option("--bootstrap", type=int, default=2000, show_default=True,
              help="Antal bootstrap-gentagelser til konfidensintervallerne.")
@click.option("--frø", "seed", type=int, default=20190101, show_default=True,
              help="Frø for bootstrap (gør resultatet reproducerbart).")
@FORMAT_OPTION
@project_option
@friendly_errors
def agreement_command(files: tuple[Path, ...], runde: int | None, variabel: str | None,
                      id_column: str, bootstrap: int, seed: int, output_format: str,
                      project_dir: Path) -> None:
    """Enighed mellem to kodere: procent, kappa, vægtet kappa og Krippendorffs alfa.

    Enten mellem to koderes CSV-filer (KODER_A.csv KODER_B.csv --variabel VAR), eller
    mellem første og anden koder i en rekodningsrunde i projektet (--runde N).
    """
    if runde is None and len(files) != 2:
        raise click.UsageError("Angiv to CSV-filer (KODER_A.csv KODER_B.csv) eller --runde N.")
    if runde is not None and files:
        raise click.UsageError("Angiv enten to CSV-filer eller --runde N, ikke begge.")
    if runde is None:
        if not variabel:
            raise click.UsageError("Angiv --variabel VAR, når to filer sammenlignes.")
        from effektspor.services.analysis.files import agreement_of_files  # SciPy: on use only

        report = agreement_of_files(files[0], files[1], variable=variabel,
                                    id_column=id_column, seed=seed, bootstrap=bootstrap)
        if output_format == "json":
            _echo_json(report.as_dict())
        else:
            _print_report(report, name_a=files[0].name, name_b=files[1].name)
        return
    from effektspor.services.recoding import agreement

    with project_work(project_dir) as work:
        view = agreement.agreement(session=work.session, actor=work.actor,
                                   project_id=work.project_id, round_id=runde,
                                   bootstrap=bootstrap, seed=seed)
    reports = [v.report for v in view.variables if variabel in (None, v.name)]
    if variabel and not reports:
        raise click.UsageError(f"Variablen '{variabel}' er ikke med i runde {runde}.")
    if output_format == "json":
        _echo_json([r.as_dict() for r in reports])
        return
    for item in view.variables:
        if item.report in reports:
            _print_report(item.report)
            console.print(f"  {item.reading}", highlight=False)


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
    from effektspor.services.recoding import rounds, sheet_files

    with project_work(project_dir) as work:
        drawn = rounds.draw_round(
            session=work.session, actor=work.actor, project_id=work.project_id, coder=koder,
            seed=seed, teams=list(teams), n_random=antal,
            variables=[n.strip() for n in names.split(",")] if names else None)
        sheet_files.export_blind_sheet(session=work.session, actor=work.actor,
                                       project_id=work.project_id, round_id=drawn.info.id,
                                       path=output)
    info = drawn.info
    console.print(f"Rekodningsrunde {info.id}: {len(info.case_ids)} sager til {info.coder} "
                  f"(frø {seed}). Skemaet er skrevet til {output} uden første koders værdier.")
    if drawn.excluded:
        console.print(f"Udeladt, fordi {info.coder} selv gav dem deres første værdi: "
                      f"{', '.join(drawn.excluded)}.", highlight=False)


@recoding_group.command("indlæs")
@ROUND_ARGUMENT
@click.argument("fil", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@project_option
@friendly_errors
def read_back(runde: int, fil: Path, project_dir: Path) -> None:
    """Indlæs den anden koders udfyldte skema for rekodningsRUNDE."""
    from effektspor.services.recoding import sheet_files

    with project_work(project_dir) as work:
        count = sheet_files.import_sheet(session=work.session, actor=work.actor,
                                         project_id=work.project_id, round_id=runde, path=fil)
    console.print(f"{count} værdier fra {fil.name} er indlæst i runde {runde}.")


@recoding_group.command("tegnenighed")
@ROUND_ARGUMENT
@FIRST_CODER_OPTION
@click.option("--pr-notat", "per_note", is_flag=True,
              help="Vis også hver kode i hvert notat (som NVivos kodningssammenligning).")
@project_option
@friendly_errors
def show_character_agreement(runde: int, first_coder: str, per_note: bool,
                             project_dir: Path) -> None:
    """Enighed og kappa pr. kode målt i tegn (som NVivo) i rekodningsRUNDEs notater."""
    from effektspor.services.recoding import agreement

    with project_work(project_dir) as work:
        result = agreement.character_agreement(session=work.session, actor=work.actor,
                                               project_id=work.project_id, round_id=runde,
                                               first_coder=first_coder)
    table = Table("Kode", "Procent enighed (tegn)", "Kappa",
                  title=f"Kodningssammenligning i tegn, runde {runde}: "
                        f"{result.first_coder} og {result.second_coder}")
    for code, (share, kappa) in sorted(result.by_code.items()):
        table.add_row(code, format_number(100 * share, 1) + " %", format_number(kappa, 3))
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
@ROUND_ARGUMENT
@FIRST_CODER_OPTION
@FORMAT_OPTION
@click.option("--bootstrap", default=1000, show_default=True,
              help="Antal bootstrap-gentagelser til konfidensintervallerne.")
@project_option
@friendly_errors
def show_code_agreement(runde: int, first_coder: str, output_format: str, bootstrap: int,
                        project_dir: Path) -> None:
    """Enighed pr. kode om, hvorvidt sagen har koden, i rekodningsRUNDEs sager."""
    from effektspor.services.recoding import agreement

    with project_work(project_dir) as work:
        reports = agreement.code_presence_agreement(
            session=work.session, actor=work.actor, project_id=work.project_id,
            round_id=runde, first_coder=first_coder, bootstrap=bootstrap)
    if output_format == "json":
        _echo_json([r.as_dict() for r in reports])
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
@ROUND_ARGUMENT
@click.option("--åbne", "open_only", is_flag=True, help="Kun dem, der ikke er afgjort endnu.")
@project_option
@friendly_errors
def list_disagreements(runde: int, open_only: bool, project_dir: Path) -> None:
    """List uenighederne i rekodningsRUNDE."""
    from effektspor.services.recoding import disagreements

    with project_work(project_dir) as work:
        found = disagreements.disagreements(session=work.session, actor=work.actor,
                                            project_id=work.project_id, round_id=runde,
                                            open_only=open_only)
    table = Table("Sag", "Variabel", "Første koder", "Anden koder", "Afgjort",
                  title=f"{len(found)} uenigheder i runde {runde}")
    for item in found:
        table.add_row(item.case_external_id, item.variable,
                      f"{item.first_value} ({item.first_coder})",
                      f"{item.second_value} ({item.second_coder})", item.final_value or "")
    console.print(table)


@recoding_group.command("afgør")
@ROUND_ARGUMENT
@click.argument("sag")
@click.argument("variabel")
@click.argument("vaerdi", metavar="VÆRDI")
@click.option("--begrundelse", required=True, help="Hvorfor værdien blev valgt.")
@project_option
@friendly_errors
def settle(runde: int, sag: str, variabel: str, vaerdi: str, begrundelse: str,
           project_dir: Path) -> None:
    """Afgør en uenighed: SAG får VÆRDI for VARIABEL, med begrundelse."""
    from effektspor.services.recoding import disagreements

    with project_work(project_dir) as work:
        item = disagreements.settle_disagreement(
            session=work.session, actor=work.actor, project_id=work.project_id,
            round_id=runde, case_external_id=sag, variable=variabel, final_value=vaerdi,
            reason=begrundelse)
    console.print(f"Sag {sag}, {variabel}: afgjort til '{item.final_value}' "
                  f"(første: {item.first_value}, anden: {item.second_value}).")


def register(cli: click.Group, evaluate: click.Group) -> None:
    """Add this area's commands to the main group."""
    for command in (agreement_command, recoding_group):
        cli.add_command(command)

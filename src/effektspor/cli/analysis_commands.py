"""CLI commands of the analysis area: krydstabel, hypotese and qca (``enighed`` is in
``recoding_commands``).

With a CSV file they call ``services.analysis.files``; without one, the project's use cases
(``services.analysis.crosstabs``, ``hypotheses``, ``configurations``: the same functions as
the web app) in one unit of work as the local actor. The JSON outputs are contracts used by
external checks (see issue 5); keep them stable."""

from __future__ import annotations

import json
import math
from pathlib import Path

import click
from rich.table import Table

from effektspor.cli.common import console, friendly_errors, project_option, project_work
from effektspor.domain.errors import EffektsporError
from effektspor.domain.formatting import format_count_percent, format_number

FORMAT_OPTION = click.option("--format", "output_format", type=click.Choice(["tabel", "json"]),
                             default="tabel", show_default=True,
                             help="Udskriv som tabel (til mennesker) eller JSON (til programmer).")
CASES_ARGUMENT = click.argument("cases_file", metavar="[SAGER.csv]", required=False,
                                type=click.Path(exists=True, dir_okay=False, path_type=Path))


def _service():
    """The analyses of a CSV file, imported on first use: scipy takes seconds to import and
    every other ``effektspor`` command would pay for it at start-up."""
    from effektspor.services.analysis import files

    return files


def _clean(value):
    """Make a structure JSON-safe: NaN becomes null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _echo_json(data: dict) -> None:
    click.echo(json.dumps(_clean(data), ensure_ascii=False, indent=2))


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def _print_crosstab(table, show_cases: bool) -> None:
    rows_name = "Flersvar" if table.multi_response else table.row_variable
    title = f"{rows_name} efter {table.col_variable}" if table.col_variable else rows_name
    grid = Table(title=title, show_lines=False)
    grid.add_column("")
    for col in table.cols:
        grid.add_column(col, justify="right")
    if table.cols != ["I alt"]:
        grid.add_column("I alt", justify="right")
    for i, row in enumerate(table.rows):
        cells = [format_count_percent(table.counts[i][j], table.percent[i][j]) for j in range(len(table.cols))]
        if table.cols != ["I alt"]:
            cells.append(format_count_percent(table.row_totals[i], table.row_totals_percent[i]))
        grid.add_row(row, *cells)
    totals = [format_count_percent(t, 100 if t else None) for t in table.col_totals]
    if table.cols != ["I alt"]:
        totals.append(format_count_percent(table.total, 100))
    grid.add_row("I alt", *totals, style="bold")
    console.print(grid)
    console.print(table.note, highlight=False)
    if table.test is not None:
        console.print(table.test.wording, highlight=False)
        for warning in table.test.warnings:
            console.print(f"[yellow]Advarsel:[/] {warning}", highlight=False)
    if show_cases:
        for i, row in enumerate(table.rows):
            for j, col in enumerate(table.cols):
                cases = ", ".join(table.cell_cases[i][j]) or "ingen"
                console.print(f"{row} / {col}: {cases}", highlight=False)


def register(cli: click.Group, evaluate: click.Group) -> None:
    """Add this area's commands to the main group (and the 'evaluer' group)."""

    @cli.command("krydstabel")
    @CASES_ARGUMENT
    @click.option("--rækker", "rows", help="Variablen i rækkerne (fx problemgrad).")
    @click.option("--kolonner", "cols", help="Variablen i kolonnerne (fx målopnåelse).")
    @click.option("--flersvar", "multi", help="Flersvarstabel: binære variable adskilt af komma "
                  "(rækkerne), i stedet for --rækker.")
    @click.option("--vis-sager", "show_cases", is_flag=True, help="Vis sagerne bag hver celle.")
    @FORMAT_OPTION
    @project_option
    @friendly_errors
    def crosstab_command(cases_file, rows, cols, multi, show_cases, output_format, project_dir):
        """Krydstabel med antal og kolonneprocenter (afrundet fra første decimal) og en test.

        Sagerne læses fra SAGER.csv eller, uden fil, fra projektets sagstabel."""
        if multi and rows:
            raise EffektsporError("Brug enten --rækker eller --flersvar, ikke begge.")
        if multi and not cols:
            raise EffektsporError("En flersvarstabel kræver --kolonner.")
        if not multi and not rows:
            raise EffektsporError("Angiv --rækker (eller --flersvar).")
        if cases_file:
            table = _service().crosstab_of_file(
                cases_file, rows=rows, cols=cols,
                multi_response=_names(multi) if multi else None)
        else:
            from effektspor.services.analysis.crosstabs import analyse_crosstab

            with project_work(project_dir) as work:
                table = analyse_crosstab(
                    session=work.session, actor=work.actor, project_id=work.project_id,
                    rows=rows or "", cols=cols or "",
                    multi_response=_names(multi) if multi else ()).table
        if output_format == "json":
            data = table.as_dict()
            if show_cases:
                data["cell_cases"] = table.cell_cases
            _echo_json(data)
        else:
            _print_crosstab(table, show_cases)

    @cli.command("hypotese")
    @CASES_ARGUMENT
    @click.option("--betingelse", required=True, help="Binær betingelse (fx "
                  "reflekteret_indsatsjustering).")
    @click.option("--udfald", "outcome", required=True, help="Udfaldsvariablen (fx målopnåelse).")
    @click.option("--positivt-udfald", "positive", default="I mål", show_default=True,
                  help="Værdier der tæller som opnået udfald, adskilt af komma.")
    @click.option("--moderator", help="Variabel der forklarer cellerne uden for diagonalen.")
    @FORMAT_OPTION
    @project_option
    @friendly_errors
    def hypothesis_command(cases_file, betingelse, outcome, positive, moderator, output_format,
                           project_dir):
        """Hypotesetabel som Tabel 5: celler A–D med deres sager og de uplacerede sager."""
        if cases_file:
            result = _service().hypothesis_of_file(
                cases_file, condition=betingelse, outcome=outcome,
                outcome_positive=_names(positive), moderator=moderator)
        else:
            from effektspor.services.analysis.hypotheses import hypothesis

            with project_work(project_dir) as work:
                result = hypothesis(session=work.session, actor=work.actor,
                                    project_id=work.project_id, condition=betingelse,
                                    outcome=outcome, outcome_positive=_names(positive),
                                    moderator=moderator)
        if output_format == "json":
            _echo_json(result.as_dict())
            return
        grid = Table(title=f"{betingelse} og {outcome}")
        grid.add_column("")
        grid.add_column(f"{betingelse} +", justify="right")
        grid.add_column(f"{betingelse} −", justify="right")
        for label, first, second in (("Udfald +", "A", "B"), ("Udfald −", "C", "D")):
            grid.add_row(label, *(f"{x}: {result.cells[x].n} ({result.cells[x].moderator_summary()})"
                                  for x in (first, second)))
        console.print(grid)
        for reading in result.readings:
            console.print(reading, highlight=False)
        console.print(f"Ikke placeret: {', '.join(result.unplaced) or 'ingen'}", highlight=False)

    @cli.command("qca")
    @CASES_ARGUMENT
    @click.option("--udfald", "outcome", required=True, help="Udfaldet (0/1); ~NAVN for negeret.")
    @click.option("--betingelser", "conditions", required=True,
                  help="Betingelser (0/1) adskilt af komma, fx A,B,C.")
    @click.option("--løsning", "solution", type=click.Choice(["kompleks", "parsimonisk"]),
                  default="kompleks", show_default=True,
                  help="Kompleks (konservativ, uden rester) eller parsimonisk (med rester).")
    @click.option("--inklusionsgrænse", "inclusion_cut", type=float, default=1.0,
                  show_default=True, help="Mindste konsistens for at en række får udfald 1.")
    @click.option("--n-grænse", "n_cut", type=int, default=1, show_default=True,
                  help="Mindste antal sager i en række; færre gør rækken til en rest.")
    @click.option("--nødvendighed", "with_necessity", is_flag=True,
                  help="Tilføj nødvendighedsanalyse (inclN, RoN, covN).")
    @FORMAT_OPTION
    @project_option
    @friendly_errors
    def qca_command(cases_file, outcome, conditions, solution, inclusion_cut, n_cut,
                    with_necessity, output_format, project_dir):
        """Crisp-set QCA: sandhedstabel, minimering og parametre for tilpasning."""
        negate = outcome.startswith("~")
        outcome_name = outcome.lstrip("~")
        names = _names(conditions)
        if cases_file:
            cases = _service().load_cases(cases_file)
            result = _service().qca_of_file(
                cases, outcome=outcome_name, conditions=names, solution=solution,
                negate_outcome=negate, inclusion_cut=inclusion_cut, n_cut=n_cut)
            necessity = (_service().necessity_of_file(
                cases, outcome=outcome_name, conditions=names, negate_outcome=negate)
                if with_necessity else [])
        else:
            from effektspor.services.analysis.configurations import qca

            with project_work(project_dir) as work:
                found = qca(session=work.session, actor=work.actor, project_id=work.project_id,
                            outcome=outcome_name, conditions=names, solution=solution,
                            negate_outcome=negate, inclusion_cut=inclusion_cut, n_cut=n_cut,
                            with_necessity=with_necessity)
            result, necessity = found.result, found.necessity
        if output_format == "json":
            data = result.as_dict()
            data["truth_table"] = [
                {**dict(zip(names, row.values, strict=True)), "OUT": row.output, "n": row.n,
                 "incl": row.inclusion, "PRI": row.pri, "cases": row.cases}
                for row in result.truth_table]
            if with_necessity:
                data["necessity"] = [{"condition": r.condition, "inclN": r.inclN,
                                      "RoN": r.RoN, "covN": r.covN} for r in necessity]
            _echo_json(data)
            return
        grid = Table(title=f"Sandhedstabel for {result.outcome}")
        for name in [*names, "UDFALD", "n", "incl", "sager"]:
            grid.add_column(name)
        for row in result.truth_table:
            grid.add_row(*map(str, row.values), row.output, str(row.n), format_number(row.inclusion, 3),
                         ",".join(row.cases))
        console.print(grid)
        if not result.models:
            console.print("Ingen konfiguration opfylder udfaldet – ingen løsning.")
        for index, model in enumerate(result.models, start=1):
            console.print(f"[bold]M{index}:[/] {model.expression} <-> {result.outcome}  "
                          f"(inclS {format_number(model.inclS, 3)}, PRI {format_number(model.PRI, 3)}, "
                          f"covS {format_number(model.covS, 3)})", highlight=False)
            for term in model.terms:
                cases = "; ".join(",".join(group) for group in term.cases)
                console.print(f"  {term.term}: inclS {format_number(term.inclS, 3)}, PRI {format_number(term.PRI, 3)}, "
                              f"covS {format_number(term.covS, 3)}, covU {format_number(term.covU, 3)} – sager {cases}",
                              highlight=False)
        for row in necessity:
            console.print(f"Nødvendighed {row.condition}: inclN {format_number(row.inclN, 3)}, "
                          f"RoN {format_number(row.RoN, 3)}, covN {format_number(row.covN, 3)}", highlight=False)
        if result.excluded_cases:
            console.print(f"Udeladt (manglende værdi): {', '.join(result.excluded_cases)}")

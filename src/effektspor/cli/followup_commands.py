"""CLI commands of the daily follow-up: ``effektspor opfølgning …``. They call the
services of ``services/followup/`` (the same functions the web app will call) in one
unit of work as the local actor, or the file contracts (``frister``, ``sagstal`` on CSV
files, no project)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from effektspor.cli.common import coder_option, console, friendly_errors, project_work
from effektspor.domain.dates import parse_date
from effektspor.domain.errors import EffektsporError

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
_FORMAT = click.option("--format", "output_format", type=click.Choice(["tabel", "json"]),
                       default="tabel", show_default=True, help="Udskriv som tabel eller JSON.")
_RULE_SET = click.option("--regelsæt", "--regelsaet", "rule_set", metavar="NAVN|FIL.yaml",
                         help="barnets-lov, herning eller en YAML-fil med kommunens egne "
                              "regler. Standard: projektets (ellers barnets-lov).")
_PROJECT = click.option("--projekt", "-p", "project_dir",
                        type=click.Path(file_okay=False, path_type=Path),
                        envvar="EFFEKTSPOR_PROJEKT",
                        help="Projektmappen (eller miljøvariablen EFFEKTSPOR_PROJEKT).")


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as error:
        raise EffektsporError(f"{option}: {error}") from None


def _echo_json(data: dict) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _need_project(project_dir: Path | None) -> Path:
    return project_dir if project_dir is not None else Path(".")


@click.group("opfølgning")
def followup_group() -> None:
    """Opfølgning på det enkelte barn: indsatser, mål, målinger, frister og sagstal."""


@followup_group.command("frister")
@click.argument("measures_path", metavar="INDSATSER.csv", required=False, type=_FILE)
@_RULE_SET
@click.option("--afholdte", "held_path", metavar="AFHOLDTE.csv", type=_FILE,
              help="Afholdte opfølgninger (kolonner sag, indsats, afholdt).")
@click.option("--til", "until", metavar="ÅÅÅÅ-MM-DD",
              help="Frister til og med denne dato. Standard: et år efter seneste start.")
@_FORMAT
@_PROJECT
@friendly_errors
def due_dates(measures_path: Path | None, rule_set: str | None, held_path: Path | None,
              until: str | None, output_format: str, project_dir: Path | None) -> None:
    """Opfølgningsfristerne for hver indsats med reglen bag hver dato.

    \b
    Fil:      effektspor opfølgning frister indsatser.csv --regelsæt herning --format json
    Projekt:  effektspor opfølgning frister -p MAPPE

    INDSATSER.csv har kolonnerne sag, indsats, type, start, undersøgelse_slut (kan være
    tom; valgfri kolonne risiko). Første opfølgning ligger senest ved det tidligste af 3
    måneder efter start og undersøgelsens afslutning (Barnets Lov §95, stk. 2).
    """
    end = _day(until, "--til")
    if measures_path is not None:
        if project_dir is not None:
            raise EffektsporError("Angiv enten INDSATSER.csv eller --projekt, ikke begge.")
        from effektspor.services.followup import files

        data = files.due_dates_from_files(measures_path, rule_set or "barnets-lov",
                                          held_path=held_path, until=end)
    else:
        if held_path is not None:
            raise EffektsporError("--afholdte bruges kun med INDSATSER.csv; i et projekt "
                                  "registreres afholdte opfølgninger med 'opfølgning afholdt'.")
        from effektspor.services.followup import due

        with project_work(_need_project(project_dir)) as work:
            data = due.project_due_dates(session=work.session, actor=work.actor,
                                         project_id=work.project_id, until=end,
                                         rule_set=rule_set)
    if output_format == "json":
        _echo_json(data)
        return
    table = Table(title="Opfølgningsfrister")
    for column in ("Sag", "Indsats", "Nr.", "Frist", "Lovfrist", "Regel"):
        table.add_column(column)
    for row in data["frister"]:
        table.add_row(escape(row["sag"]), escape(row["indsats"]), str(row["nummer"]),
                      row["frist"], row["lovfrist"] or "–", escape(row["regel"]))
    console.print(table)
    if not data["frister"]:
        console.print("Ingen frister i perioden.")


@followup_group.command("sagstal")
@click.argument("cases_path", metavar="SAGER.csv", required=False, type=_FILE)
@click.option("--dato", "day", metavar="ÅÅÅÅ-MM-DD", help="Opgørelsesdatoen. Standard: i dag.")
@_FORMAT
@_PROJECT
@friendly_errors
def caseload_command(cases_path: Path | None, day: str | None, output_format: str,
                     project_dir: Path | None) -> None:
    """Sagstal: åbne sager og børn pr. rådgiver, gennemsnit, højeste og laveste pr. team.

    \b
    Fil:      effektspor opfølgning sagstal sager.csv --dato 2025-06-01 --format json
    Projekt:  effektspor opfølgning sagstal -p MAPPE

    SAGER.csv har kolonnerne sag, rådgiver, team, børn, start, slut. En sag er åben på
    datoen, når start ≤ dato og slut er tom eller senere.
    """
    when = _day(day, "--dato") or date.today()
    timeliness = None
    if cases_path is not None:
        if project_dir is not None:
            raise EffektsporError("Angiv enten SAGER.csv eller --projekt, ikke begge.")
        from effektspor.services.followup import files

        data = files.caseload_from_file(cases_path, day=when)
    else:
        from effektspor.services.followup import caseload

        with project_work(_need_project(project_dir)) as work:
            data = caseload.project_caseload(session=work.session, actor=work.actor,
                                             project_id=work.project_id, day=when)
            timeliness = caseload.follow_up_timeliness(
                session=work.session, actor=work.actor, project_id=work.project_id,
                day=when)
    if output_format == "json":
        _echo_json({key: data[key] for key in ("rådgivere", "teams", "i_alt")})
        return
    table = Table(title=f"Sagstal {when.isoformat()}")
    for column in ("Team", "Rådgivere", "Gennemsnit", "Højeste", "Laveste"):
        table.add_column(column)
    for row in data["teams"]:
        table.add_row(escape(row["team"]), str(row["rådgivere"]),
                      f"{row['gennemsnit_sager']:.1f}".replace(".", ","), str(row["højeste"]),
                      str(row["laveste"]))
    console.print(table)
    total = data["i_alt"]
    console.print(f"I alt: {total['rådgivere']} rådgivere, {total['sager']} sager, "
                  f"{total['børn']} børn, gennemsnit "
                  f"{str(total['gennemsnit_sager']).replace('.', ',')} sager pr. rådgiver "
                  "(mål 25; Dansk Socialrådgiverforening anbefaler 20–30 børn).")
    if timeliness is not None:
        for row in [*timeliness["teams"], {"team": "I alt", **timeliness["i_alt"]}]:
            first = "–" if row["første_procent"] is None else f"{row['første_procent']} %"
            every = "–" if row["alle_procent"] is None else f"{row['alle_procent']} %"
            console.print(f"{escape(row['team'])}: første opfølgning inden for lovfristen "
                          f"{first} ({row['første_rettidige']} af {row['første_i_alt']}); "
                          f"alle opfølgninger til tiden {every} ({row['alle_rettidige']} af "
                          f"{row['alle_i_alt']}).", soft_wrap=True)
        console.print(f"Landstal for første opfølgning inden for 3 måneder: "
                      f"{timeliness['landstal_første_procent']} % (Ankestyrelsen, "
                      "Børnesagsbarometret 2024).")


@followup_group.command("indsats")
@_PROJECT
@click.option("--sag", "case", required=True, help="Sagsnummeret.")
@click.option("--indsats", "measure", required=True, help="Indsatsens id i kommunens system.")
@click.option("--type", "kind", required=True,
              help="forebyggende, anbringelse_institution, anbringelse_familiepleje, "
                   "anbringelse_netværkspleje, anbringelse_eget_værelse (eller projektets).")
@click.option("--start", required=True, metavar="ÅÅÅÅ-MM-DD")
@click.option("--paragraf", "legal_paragraph", help="Standard: typens paragraf.")
@click.option("--leverandør", "--leverandoer", "provider")
@click.option("--planlagt-slut", "planned_end", metavar="ÅÅÅÅ-MM-DD")
@click.option("--slut", "actual_end", metavar="ÅÅÅÅ-MM-DD")
@click.option("--undersøgelse-slut", "--undersoegelse-slut", "investigation_end",
              metavar="ÅÅÅÅ-MM-DD", help="Slutdato for en sideløbende afdækning/undersøgelse.")
@click.option("--rådgiver", "--raadgiver", "caseworker")
@click.option("--team")
@click.option("--risiko", "risk_level", type=click.Choice(["lav", "middel", "høj"]))
@coder_option
@friendly_errors
def add_measure(project_dir: Path | None, coder: str | None, **fields) -> None:
    """Registrér en indsats på en sag (sagen oprettes, hvis projektet ikke har den)."""
    from effektspor.services.followup import measures

    with project_work(_need_project(project_dir), coder=coder) as work:
        made = measures.create_measure(session=work.session, actor=work.actor,
                                       project_id=work.project_id, **fields)
    console.print(f"Indsats {escape(made.measure)} ({made.kind}, {made.legal_paragraph}) "
                  f"registreret på sag {escape(made.case)} fra {made.start.isoformat()}.")


@followup_group.command("mål")
@_PROJECT
@click.option("--sag", "case", required=True)
@click.option("--livsområde", "--livsomraade", "life_area", required=True,
              help="Fx 'Skole og uddannelse' (projektets liste over livsområder).")
@click.option("--type", "kind", required=True, type=click.Choice(["progression", "fastholdelse"]))
@click.option("--tekst", "text", required=True, help="Målet (SMART).")
@click.option("--prioritet", "priority", type=int, default=1, show_default=True)
@click.option("--måldato", "--maaldato", "target_date", metavar="ÅÅÅÅ-MM-DD")
@click.option("--hvordan", "evidence", help="Hvordan ved vi det: måling eller observation.")
@click.option("--med", "made_with", multiple=True, help="Lavet med (barn, forældre …); gentag.")
@click.option("--indsats", "measure", help="Indsatsen målet hører til.")
@coder_option
@friendly_errors
def add_goal(project_dir: Path | None, coder: str | None, **fields) -> None:
    """Sæt et mål for en sag (progression eller fastholdelse)."""
    from effektspor.services.followup import goals

    fields["made_with"] = list(fields["made_with"])
    with project_work(_need_project(project_dir), coder=coder) as work:
        made = goals.create_goal(session=work.session, actor=work.actor,
                                 project_id=work.project_id, **fields)
    console.print(f"Mål {made.id} sat for sag {escape(made.case)} "
                  f"({made.current.life_area}, {made.current.kind}).")
    _print_replacements(made.replacements)


def _print_replacements(replacements) -> None:
    """What the pseudonymiser replaced when the text was saved (in Danish)."""
    for item in replacements:
        console.print(escape(item.describe()), soft_wrap=True, highlight=False)
    if replacements:
        console.print("Originalerne er ikke gemt. Projektets næste pseudonymisering giver "
                      "personerne deres pseudonymer.", highlight=False)


@followup_group.command("måling")
@_PROJECT
@click.option("--sag", "case", required=True)
@click.option("--instrument", required=True,
              help="skalering (0–10), trivsel (1–5) eller projektets eget instrument.")
@click.option("--dato", "day", required=True, metavar="ÅÅÅÅ-MM-DD")
@click.option("--informant", required=True, help="barn, mor, far, plejeforælder, skole …")
@click.option("--score", help="Scoren på et instrument uden delskalaer.")
@click.option("--delscore", "subscores", multiple=True, metavar="DELSKALA=SCORE",
              help="Score pr. delskala (gentag) på et instrument med delskalaer.")
@click.option("--forventet", "expected_next", help="Forventet niveau ved næste opfølgning.")
@click.option("--mål", "--maal", "goal_id", type=int, help="Målet, målingen dokumenterer.")
@coder_option
@friendly_errors
def add_measurement(project_dir: Path | None, coder: str | None, subscores: tuple[str, ...],
                    **fields) -> None:
    """Registrér en måling (score på instrumentets skala, af en informant, på en dato)."""
    from effektspor.services.followup import measurements

    scores = {}
    for text in subscores:
        key, separator, value = text.partition("=")
        if not separator:
            raise EffektsporError(f"--delscore '{text}': skriv DELSKALA=SCORE, fx "
                                  "'relationer=6'.")
        scores[key.strip()] = value.strip()
    fields["scores"] = scores or None
    with project_work(_need_project(project_dir), coder=coder) as work:
        made = measurements.record_measurement(session=work.session, actor=work.actor,
                                               project_id=work.project_id, **fields)
    console.print(f"Måling registreret: sag {escape(made.case)}, {made.instrument} "
                  f"{str(made.total).replace('.', ',')} ({made.informant}, "
                  f"{made.day.isoformat()}).")


@followup_group.command("instrument")
@_PROJECT
@click.argument("path", metavar="FIL.yaml", type=_FILE)
@coder_option
@friendly_errors
def add_instrument_command(project_dir: Path | None, path: Path, coder: str | None) -> None:
    """Tilføj projektets eget måleinstrument fra en YAML-definition (kun scorer)."""
    from effektspor.services.followup import measurements

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise EffektsporError(f"{path}: kan ikke læses som UTF-8-tekst ({error}).") from None
    with project_work(_need_project(project_dir), coder=coder) as work:
        made = measurements.add_instrument(session=work.session, actor=work.actor,
                                           project_id=work.project_id, text=text,
                                           source=path.name)
    parts = f", delskalaer: {', '.join(s.key for s in made.subscales)}" if made.subscales else ""
    console.print(f"Instrumentet {escape(made.key)} ({escape(made.name)}, version "
                  f"{escape(made.version)}, skala {made.minimum:g}–{made.maximum:g}{parts}) "
                  "er tilføjet projektet.")


def _assessment(text: str):
    from effektspor.services.followup.follow_ups import Assessment

    goal, _, rest = text.partition("=")
    value, _, sentence = rest.partition(":")
    try:
        return Assessment(int(goal), value.strip(), sentence.strip() or None)
    except ValueError:
        raise EffektsporError(f"--vurdering '{text}': skriv MÅL_ID=vurdering[:sætning], fx "
                              "'3=fremgang:Færre konflikter'.") from None


@followup_group.command("afholdt")
@_PROJECT
@click.option("--sag", "case", required=True)
@click.option("--indsats", "measure", required=True)
@click.option("--dato", "held_on", required=True, metavar="ÅÅÅÅ-MM-DD")
@click.option("--deltager", "participants", multiple=True, help="Deltager (gentag).")
@click.option("--vurdering", "assessments", multiple=True, metavar="MÅL_ID=VURDERING[:SÆTNING]",
              help="nået, fremgang, uændret eller tilbagegang pr. mål (gentag).")
@click.option("--beslutning", "decision",
              type=click.Choice(["fortsættes", "ændres_inden_for_rammen", "afsluttes",
                                 "revisitation"]))
@click.option("--note")
@click.option("--plan", "schedule_interval", help="Besluttet plan fremover, fx '3 måneder'.")
@click.option("--begrundelse", "schedule_justification", help="Begrundelsen for planen.")
@click.option("--meddelt", "schedule_told_family_on", metavar="ÅÅÅÅ-MM-DD",
              help="Datoen planen blev meddelt barnet og forældrene (§95, stk. 3).")
@_RULE_SET
@coder_option
@friendly_errors
def record_held(project_dir: Path | None, coder: str | None, assessments: tuple[str, ...],
                **fields) -> None:
    """Registrér en afholdt opfølgning med vurdering af målene, beslutning og plan."""
    from effektspor.services.followup import follow_ups

    parsed = [_assessment(text) for text in assessments]
    with project_work(_need_project(project_dir), coder=coder) as work:
        made = follow_ups.record_follow_up(session=work.session, actor=work.actor,
                                           project_id=work.project_id, assessments=parsed,
                                           **fields)
    due = f"frist {made.due.isoformat()} ({made.rule})" if made.due else "ingen frist"
    console.print(f"Opfølgning nr. {made.number} af {escape(made.measure)} på sag "
                  f"{escape(made.case)} afholdt {made.held.isoformat()}; {escape(due)}.")
    _print_replacements(made.replacements)


@followup_group.command("importer")
@_PROJECT
@click.option("--indsatser", "measures_path", type=_FILE, metavar="FIL.csv")
@click.option("--mål", "--maal", "goals_path", type=_FILE, metavar="FIL.csv")
@click.option("--målinger", "--maalinger", "measurements_path", type=_FILE, metavar="FIL.csv")
@click.option("--opfølgninger", "--opfoelgninger", "follow_ups_path", type=_FILE,
              metavar="FIL.csv")
@coder_option
@friendly_errors
def import_command(project_dir: Path | None, coder: str | None, **paths) -> None:
    """Importér indsatser, mål, målinger og afholdte opfølgninger fra CSV (alt eller intet)."""
    from effektspor.services.followup import importing

    if not any(paths.values()):
        raise EffektsporError("Angiv mindst én fil: --indsatser, --mål, --målinger eller "
                              "--opfølgninger.")
    with project_work(_need_project(project_dir), coder=coder) as work:
        summary = importing.import_followup(session=work.session, actor=work.actor,
                                            project_id=work.project_id, **paths)
    kinds = sorted(set(summary.added) | set(summary.present))
    for kind in kinds:
        console.print(f"{kind}: {summary.added.get(kind, 0)} nye, "
                      f"{summary.present.get(kind, 0)} fandtes allerede.")
    if summary.replaced:
        counts = ", ".join(f"{count} i feltet {escape(field)}"
                           for field, count in sorted(summary.replaced.items()))
        console.print(f"Identifikatorer erstattet i fritekst, da rækkerne blev gemt: {counts}.",
                      highlight=False)


@followup_group.command("liste")
@_PROJECT
@click.option("--dato", "day", metavar="ÅÅÅÅ-MM-DD", help="Standard: i dag.")
@click.option("--rådgiver", "--raadgiver", "caseworker", help="Kun denne rådgivers sager.")
@click.option("--team", help="Kun dette teams sager.")
@_RULE_SET
@friendly_errors
def due_list_command(project_dir: Path | None, day: str | None, caseworker: str | None,
                     team: str | None, rule_set: str | None) -> None:
    """Fristlisten: overskredne frister, frister inden for 14 dage og de næste."""
    from effektspor.services.followup import due

    when = _day(day, "--dato") or date.today()
    with project_work(_need_project(project_dir)) as work:
        result = due.due_list(session=work.session, actor=work.actor,
                              project_id=work.project_id, day=when, caseworker=caseworker,
                              team=team, rule_set=rule_set)
    table = Table(title=f"Frister {when.isoformat()} ({escape(result.scope)}, regelsæt "
                        f"{escape(result.rule_set)})")
    for column in ("Status", "Sag", "Indsats", "Nr.", "Frist", "Rådgiver", "Regel"):
        table.add_column(column)
    colour = {due.OVERDUE: "red", due.SOON: "yellow", due.NEXT: "default"}
    for item in result.items:
        status = item.status if item.status != due.OVERDUE else \
            f"{item.status} ({-item.days} dage)"
        table.add_row(f"[{colour[item.status]}]{status}[/]", escape(item.follow_up.case),
                      escape(item.follow_up.measure), str(item.follow_up.number),
                      item.follow_up.due.isoformat(), escape(item.caseworker or "–"),
                      escape(item.follow_up.rule))
    console.print(table)
    for waiting in result.waiting:
        console.print(f"Sag {escape(waiting.case)}, indsats {escape(waiting.measure)}: "
                      f"{escape(waiting.reason)}", soft_wrap=True)


@followup_group.command("sag")
@_PROJECT
@click.argument("case", metavar="SAG")
@click.option("--dato", "day", metavar="ÅÅÅÅ-MM-DD", help="Standard: i dag.")
@_RULE_SET
@friendly_errors
def case_command(project_dir: Path | None, case: str, day: str | None,
                 rule_set: str | None) -> None:
    """Barnets side: indsatser, mål med seneste vurdering, opfølgninger, målinger, frister."""
    from effektspor.services.followup import overview

    when = _day(day, "--dato") or date.today()
    with project_work(_need_project(project_dir)) as work:
        page = overview.case_overview(session=work.session, actor=work.actor,
                                      project_id=work.project_id, case=case, day=when,
                                      rule_set=rule_set)
    console.print(f"[bold]Sag {escape(page.case)}[/]")
    for m in page.measures:
        end = m.actual_end.isoformat() if m.actual_end else "i gang"
        console.print(f"Indsats {escape(m.measure)}: {m.kind} ({escape(m.legal_paragraph)}), "
                      f"{m.start.isoformat()} – {end}, rådgiver {escape(m.caseworker or '–')}",
                      soft_wrap=True)
    for status in page.goals:
        goal = status.goal.current
        latest = (f"{status.latest.assessment} ({status.assessed_on.isoformat()})"
                  if status.latest else "ikke vurderet endnu")
        console.print(f"Mål {status.goal.id} [{goal.life_area}, {goal.kind}]: "
                      f"{escape(goal.text)} – {latest}", soft_wrap=True, highlight=False)
    for held in page.follow_ups:
        console.print(f"Opfølgning nr. {held.number} ({escape(held.measure)}) afholdt "
                      f"{held.held.isoformat()}"
                      + (f", frist {held.due.isoformat()}" if held.due else "")
                      + (f", beslutning: {held.decision}" if held.decision else ""),
                      highlight=False)
    for line in page.series:
        values = ", ".join(f"{p.day.isoformat()}: {p.total:g}" for p in line.points)
        console.print(f"{escape(line.instrument_name)} ({line.informant}): {values}",
                      soft_wrap=True, highlight=False)
    upcoming = [f for f in page.calendar.follow_ups if f.held is None]
    for item in upcoming[:3]:
        console.print(f"Næste frist: {item.due.isoformat()} ({escape(item.measure)}, nr. "
                      f"{item.number}) – {escape(item.justification)}", soft_wrap=True,
                      highlight=False)
    for measure, reason in page.calendar.open_decisions:
        console.print(f"Indsats {escape(measure)}: {escape(reason)}", soft_wrap=True)
    for side in page.calendar.side_deadlines:
        console.print(f"Frist ved siden af: {side.what} senest {side.due.isoformat()} – "
                      f"{escape(side.justification)}", soft_wrap=True, highlight=False)


def register(cli: click.Group, evaluate: click.Group) -> None:
    """Add this area's commands to the main group."""
    cli.add_command(followup_group)

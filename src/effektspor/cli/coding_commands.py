"""CLI commands of the coding area: autokod, evaluer autokodning, kodebog, kodning,
forslag, søg, ordfrekvens, kodeoverlap and refi. They call the same services as the web
app's coding router (``services/coding/``), in one unit of work, as the local actor."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from effektspor.cli.common import (
    coder_option,
    console,
    friendly_errors,
    project_option,
    project_work,
)
from effektspor.domain.errors import EffektsporError
from effektspor.domain.formatting import format_number
from effektspor.services.coding import (
    autocoding,
    codings,
    files,
    queries,
    refi,
    suggestions,
    undo,
)

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
_codebook_option = click.option("--kodebog", "codebook_path", type=_FILE,
                                help="Kodebog (YAML). Standard: den indbyggede Randers 2019.")


def _percent(value: float | None) -> str:
    return format_number(value, 2)


@click.command("autokod")
@click.argument("input_path", metavar="INPUT.jsonl", required=False, type=_FILE)
@click.option("-o", "--output", "output_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Resultatfil (JSONL) for INPUT.jsonl.")
@_codebook_option
@click.option("--projekt", "-p", "project_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Autokod alle dagbogsnotater i denne projektmappe i stedet for en fil.")
@friendly_errors
def autocode(input_path: Path | None, output_path: Path | None, codebook_path: Path | None,
             project_dir: Path | None) -> None:
    """Autokod dagbogsnotater med kodebogens regler.

    \b
    Fil:      effektspor autokod noter.jsonl -o koder.jsonl
    Projekt:  effektspor autokod --projekt MAPPE

    Inputlinjer: {"id", "text", "attention_point" (valgfri)}. Outputlinjer: {"id", "codes",
    "segments": [{"code", "start", "end", "rule"}]} med positioner i tegn (Unicode).
    """
    if project_dir is not None:
        if input_path is not None:
            raise EffektsporError("Angiv enten en INPUT-fil eller --projekt, ikke begge.")
        _autocode_project(project_dir, codebook_path)
        return
    if input_path is None or output_path is None:
        raise EffektsporError("Angiv INPUT.jsonl og -o OUTPUT.jsonl (eller --projekt MAPPE).")
    summary = files.autocode_jsonl(input_path, output_path, codebook_path=codebook_path)
    console.print(f"{summary.notes} notater kodet; {summary.notes_coded} med mindst én kode, "
                  f"{summary.segments} kodede passager skrevet til {output_path}.")


def _autocode_project(project_dir: Path, codebook_path: Path | None) -> None:
    with project_work(project_dir) as work, Progress(
            TextColumn("Autokoder notater"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=console) as bar:
        task = bar.add_task("autokod", total=None)
        summary = autocoding.autocode_project(
            session=work.session, actor=work.actor, project_id=work.project_id,
            codebook_path=codebook_path,
            progress=lambda done, total: bar.update(task, completed=done, total=total))
    console.print(f"{summary.notes} notater autokodet med '{summary.codebook}' "
                  f"version {summary.codebook_version}: {summary.codings} kodninger i "
                  f"{summary.notes_coded} notater ({summary.removed} tidligere maskinkodninger "
                  "erstattet).")


@click.command("autokodning")
@click.argument("gold_path", metavar="GULD.jsonl", type=_FILE)
@_codebook_option
@click.option("--uenigheder", "limit", default=100, show_default=True,
              help="Højst så mange uenigheder vises.")
@friendly_errors
def evaluate_autocoding(gold_path: Path, codebook_path: Path | None, limit: int) -> None:
    """Sammenlign autokodningen med et guldsæt (præcision, genkaldelse, F1, kappa)."""
    result = files.evaluate_gold(gold_path, codebook_path=codebook_path)
    report = result.report
    # Plain lines, not a table: they never wrap or truncate a code id, whatever the width.
    console.print(f"Autokodning mod {gold_path.name}: {report.notes} notater, notatniveau "
                  "(præcision, genkaldelse, F1, Cohens kappa)", highlight=False, soft_wrap=True)
    width = max(len(row.code) for row in report.codes)
    for row in report.codes:
        console.print(f"  {row.code:<{width}}  præcision {_percent(row.precision)}  "
                      f"genkaldelse {_percent(row.recall)}  F1 {_percent(row.f1)}  "
                      f"kappa {_percent(row.kappa)}  (guld {row.true_positive + row.false_negative}"
                      f", maskine {row.true_positive + row.false_positive})",
                      highlight=False, soft_wrap=True)
    mean = report.mean_kappa(result.codebook.top_level_ids)
    console.print(f"Gennemsnitlig kappa for hovedkoderne: {_percent(mean)}")
    console.print(f"\nUenigheder ({len(report.disagreements)}):")
    for note_id, code, in_gold, _in_machine in report.disagreements[:limit]:
        kind = "mangler (guld har koden)" if in_gold else "ekstra (maskinen har koden)"
        console.print(f"  {note_id}  {code}: {kind} – {result.texts[note_id][:100]}",
                      highlight=False, markup=False, soft_wrap=True)


@click.group("kodebog")
def codebook_group() -> None:
    """Vis, validér og eksportér kodebøger."""


@codebook_group.command("valider")
@click.argument("path", metavar="FIL", type=_FILE)
@friendly_errors
def codebook_validate(path: Path) -> None:
    """Kontrollér en kodebog og vis eventuelle fejl med linje og nøgle."""
    book = files.read_codebook(path)
    console.print(f"Kodebogen '{book.name}' version {book.version} er gyldig: "
                  f"{len(book.codes)} koder, {len(book.rules())} regler.")


@codebook_group.command("vis")
@click.argument("path", metavar="FIL", required=False, type=_FILE)
@friendly_errors
def codebook_show(path: Path | None) -> None:
    """Vis koderne i en kodebog (standard: den indbyggede)."""
    book = files.read_codebook(path)
    table = Table("Id", "Navn", "Forælder", "Regler", "Definition",
                  title=f"{book.name} (version {book.version})")
    for code in book.codes:
        table.add_row(code.id, code.name, code.parent or "", str(len(code.rules)),
                      code.definition[:80])
    console.print(table)
    for derived in book.derived:
        console.print(f"Afledt kode på sagsniveau: {derived.id} = {derived.first} efterfulgt af "
                      f"{derived.then} inden for {derived.window_days} dage.")


@codebook_group.command("eksporter")
@click.argument("path", metavar="FIL", required=False, type=_FILE)
@click.option("-o", "--output", "output_path", required=True,
              type=click.Path(dir_okay=False, path_type=Path), help="REFI-QDA-kodebog (.qdc).")
@friendly_errors
def codebook_export(path: Path | None, output_path: Path) -> None:
    """Eksportér en kodebog som REFI-QDA-kodebog (.qdc) til NVivo, ATLAS.ti m.fl."""
    count = refi.export_codebook_qdc(output_path, codebook_path=path)
    console.print(f"{count} koder skrevet til {output_path}.")


@click.group("kodning")
def manual_group() -> None:
    """Manuel kodning ved en navngiven koder."""


@manual_group.command("tilføj")
@project_option
@click.option("--notat", "note_id", type=int, required=True, help="Notatets id.")
@click.option("--start", type=int, required=True, help="Startposition (tegn).")
@click.option("--slut", "end", type=int, required=True, help="Slutposition (tegn).")
@click.option("--kode", "code", required=True, help="Kode-id, fx professionel_tvivl.")
@coder_option
@click.option("--memo", help="En note til kodningen.")
@friendly_errors
def manual_add(project_dir: Path, note_id: int, start: int, end: int, code: str,
               coder: str | None, memo: str | None) -> None:
    """Kod en passage i et notat."""
    with project_work(project_dir, coder=coder) as work:
        change = codings.add_coding(session=work.session, actor=work.actor,
                                    project_id=work.project_id, note_id=note_id, start=start,
                                    end=end, code=code, memo=memo)
    console.print(f"Kodning {change.coding_id} er gemt. Fortryd med 'effektspor kodning "
                  f"fortryd {change.event_id}'.", highlight=False)


@manual_group.command("fjern")
@project_option
@click.argument("coding_id", metavar="KODNING", type=int)
@coder_option
@friendly_errors
def manual_remove(project_dir: Path, coding_id: int, coder: str | None) -> None:
    """Fjern en kodning."""
    with project_work(project_dir, coder=coder) as work:
        change = codings.remove_coding(session=work.session, actor=work.actor,
                                       project_id=work.project_id, coding_id=coding_id)
    console.print(f"Kodning {coding_id} er fjernet. Fortryd med 'effektspor kodning "
                  f"fortryd {change.event_id}'.", highlight=False)


@manual_group.command("fortryd")
@project_option
@click.argument("event_id", metavar="HÆNDELSE", type=int)
@coder_option
@friendly_errors
def manual_undo(project_dir: Path, event_id: int, coder: str | None) -> None:
    """Fortryd en kodning eller en sletning (også en lavet i webappen): hændelsens id står
    i loggen og i beskeden efter 'kodning tilføj' og 'kodning fjern'."""
    with project_work(project_dir, coder=coder) as work:
        change = undo.undo(session=work.session, actor=work.actor,
                           project_id=work.project_id, event_id=event_id)
    console.print(f"Hændelse {event_id} er fortrudt (kodning {change.coding_id}, "
                  f"notat {change.note_id}).", highlight=False)


@manual_group.command("vis")
@project_option
@click.option("--notat", "note_id", type=int, help="Kun kodninger af dette notat.")
@click.option("--af", "by", metavar="NAVN", help="Kun kodninger lavet af denne koder.")
@friendly_errors
def manual_list(project_dir: Path, note_id: int | None, by: str | None) -> None:
    """Vis kodninger med id, notat, position, kode, koder og citat."""
    with project_work(project_dir) as work:
        rows = codings.list_codings(session=work.session, actor=work.actor,
                                    project_id=work.project_id, note_id=note_id, coder=by)
    table = Table("Kodning", "Notat", "Position", "Kode", "Koder", "Citat",
                  title=f"Kodninger ({len(rows)})")
    for row in rows:
        table.add_row(str(row["id"]), str(row["note_id"]), f"{row['start']}–{row['end']}",
                      row["code"], escape(row["coder"]), escape(row["quote"][:60]))
    console.print(table)


@manual_group.command("oversigt")
@project_option
@friendly_errors
def code_summary(project_dir: Path) -> None:
    """Antal notater og sager pr. kode med eksempler."""
    with project_work(project_dir) as work:
        rows = queries.code_overview(session=work.session, actor=work.actor,
                                     project_id=work.project_id, examples=1)
    table = Table("Kode", "Notater", "Sager", "Eksempel", title="Kodninger pr. kode")
    for row in rows:
        table.add_row(("  " if row.parent else "") + row.name, str(row.notes), str(row.cases),
                      (row.examples[0][:90] if row.examples else ""))
    console.print(table)


@click.group("forslag")
def suggestion_group() -> None:
    """Maskinforslag lært af menneskelige kodninger (skal altid godkendes af en person)."""


@suggestion_group.command("træn")
@project_option
@friendly_errors
def suggestion_train(project_dir: Path) -> None:
    """Træn forslagsmodellen på projektets menneskelige kodninger (med krydsvalidering)."""
    with project_work(project_dir) as work:
        summary = suggestions.train_suggestion_model(session=work.session, actor=work.actor,
                                                     project_id=work.project_id)
    table = Table("Kode", "Eksempler", "Præcision", "Genkaldelse", "Kappa",
                  title=f"Forslagsmodel {summary.model_id} ({summary.notes} notater, "
                  "5-fold krydsvalidering)")
    for code, quality in summary.quality.items():
        table.add_row(code, str(quality["positive"]), _percent(quality["præcision"]),
                      _percent(quality["genkaldelse"]), _percent(quality["kappa"]))
    console.print(table)
    if summary.skipped_codes:
        console.print("For få eksempler til: " + ", ".join(summary.skipped_codes))


@suggestion_group.command("foreslå")
@project_option
@click.option("--tærskel", "threshold", default=0.5, show_default=True, type=float,
              help="Mindste sikkerhed for et forslag (0–1).")
@friendly_errors
def suggestion_propose(project_dir: Path, threshold: float) -> None:
    """Lav forslag til koder i notaterne (de skal godkendes)."""
    with project_work(project_dir) as work:
        made = suggestions.propose_suggestions(session=work.session, actor=work.actor,
                                               project_id=work.project_id, threshold=threshold)
    console.print(f"{made} nye forslag venter på en persons godkendelse "
                  "('effektspor forslag vis').")


@suggestion_group.command("vis")
@project_option
@friendly_errors
def suggestion_list(project_dir: Path) -> None:
    """Vis åbne forslag."""
    with project_work(project_dir) as work:
        rows = suggestions.list_suggestions(session=work.session, actor=work.actor,
                                            project_id=work.project_id)
    table = Table("Forslag", "Notat", "Kode", "Sikkerhed", title="Åbne forslag")
    for row in rows:
        table.add_row(str(row["id"]), str(row["note_id"]), row["code"],
                      format_number(row["confidence"], 2))
    console.print(table)


def _decide(project_dir: Path, suggestion_id: int, coder: str | None, accept: bool) -> None:
    with project_work(project_dir, coder=coder) as work:
        (decision,) = suggestions.decide_suggestions(
            session=work.session, actor=work.actor, project_id=work.project_id,
            suggestion_ids=[suggestion_id], accept=accept)
    console.print(f"Forslag {suggestion_id} er accepteret som kodning {decision.coding_id}."
                  if accept else f"Forslag {suggestion_id} er afvist.")


@suggestion_group.command("accepter")
@project_option
@click.argument("suggestion_id", metavar="FORSLAG", type=int)
@coder_option
@friendly_errors
def suggestion_accept(project_dir: Path, suggestion_id: int, coder: str | None) -> None:
    """Accepter et forslag (det bliver en kodning i dit navn)."""
    _decide(project_dir, suggestion_id, coder, True)


@suggestion_group.command("afvis")
@project_option
@click.argument("suggestion_id", metavar="FORSLAG", type=int)
@coder_option
@friendly_errors
def suggestion_reject(project_dir: Path, suggestion_id: int, coder: str | None) -> None:
    """Afvis et forslag."""
    _decide(project_dir, suggestion_id, coder, False)


def _filters(func):
    for decorator in (
            click.option("--team", help="Kun sager fra dette indsatsteam."),
            click.option("--opmærksomhedspunkt", "attention_point",
                         help="Kun notater under dette opmærksomhedspunkt."),
            click.option("--attribut", "attributes", multiple=True, metavar="NAVN=VÆRDI",
                         help="Kun sager med denne egenskab (kan gentages)."),
            click.option("--kode", "code", help="Kun notater med denne kode.")):
        func = decorator(func)
    return func


def _note_filter(team, attention_point, attributes, code) -> queries.NoteFilter:
    pairs = []
    for item in attributes:
        if "=" not in item:
            raise EffektsporError(f"--attribut '{item}' skal skrives som NAVN=VÆRDI.")
        key, value = item.split("=", 1)
        pairs.append((key.strip(), value.strip()))
    return queries.NoteFilter(team, attention_point, tuple(pairs), code)


@click.command("søg")
@project_option
@click.argument("query", metavar="SØGNING")
@_filters
@click.option("--vindue", "window", default=40, show_default=True, help="Tegn før og efter.")
@friendly_errors
def search(project_dir: Path, query: str, team, attention_point, attributes, code,
           window: int) -> None:
    """Søg i notaterne med danske bøjningsformer (råd finder også rådet, rådene)."""
    where = _note_filter(team, attention_point, attributes, code)
    with project_work(project_dir) as work:
        hits = queries.search_notes(session=work.session, actor=work.actor,
                                    project_id=work.project_id, query=query, where=where,
                                    window=window)
    table = Table("Sag", "Dato", "Før", "Fund", "Efter", title=f"'{query}': {len(hits)} fund")
    for hit in hits:
        table.add_row(hit.case, hit.note_date, hit.hit.left, f"[bold]{hit.hit.match}[/]",
                      hit.hit.right)
    console.print(table)


@click.command("ordfrekvens")
@project_option
@_filters
@click.option("--antal", "top", default=40, show_default=True, help="Hvor mange ord.")
@friendly_errors
def word_frequency(project_dir: Path, team, attention_point, attributes, code, top: int) -> None:
    """De hyppigste ord i notaterne (uden stopord, bøjningsformer samlet)."""
    where = _note_filter(team, attention_point, attributes, code)
    with project_work(project_dir) as work:
        rows = queries.note_word_frequencies(session=work.session, actor=work.actor,
                                             project_id=work.project_id, where=where, top=top)
    table = Table("Ord", "Forekomster", "Notater", title="Ordfrekvenser")
    for row in rows:
        table.add_row(row.word, str(row.count), str(row.documents))
    console.print(table)


@click.command("kodeoverlap")
@project_option
@click.option("--niveau", type=click.Choice(["notat", "sag"]), default="notat",
              show_default=True, help="Tæl notater eller sager med begge koder.")
@friendly_errors
def cooccurrence(project_dir: Path, niveau: str) -> None:
    """Hvor ofte hovedkoderne optræder sammen (samforekomst)."""
    with project_work(project_dir) as work:
        found = queries.code_cooccurrence(session=work.session, actor=work.actor,
                                          project_id=work.project_id, level=niveau)
    table = Table("", *found.codes, title=f"Samforekomst af koder ({niveau}niveau)")
    for first in found.codes:
        table.add_row(first, *(str(found.counts.get((first, second), 0))
                               for second in found.codes))
    console.print(table)


@click.group("refi")
def refi_group() -> None:
    """Udveksling med NVivo, ATLAS.ti, MAXQDA og QualCoder (REFI-QDA)."""


@refi_group.command("eksport")
@project_option
@click.option("-o", "--output", "output_path", required=True,
              type=click.Path(dir_okay=False, path_type=Path), help="Projektfil (.qdpx).")
@friendly_errors
def refi_export(project_dir: Path, output_path: Path) -> None:
    """Eksportér notater, kodebog og kodninger som REFI-QDA-projekt (.qdpx)."""
    with project_work(project_dir) as work:
        count = refi.export_project_qdpx(session=work.session, actor=work.actor,
                                         project_id=work.project_id, output=output_path)
    console.print(f"{count} kodninger eksporteret til {output_path}.")


@refi_group.command("import")
@project_option
@click.argument("path", metavar="FIL.qdpx", type=_FILE)
@friendly_errors
def refi_import(project_dir: Path, path: Path) -> None:
    """Importér kodninger fra et REFI-QDA-projekt (.qdpx) til notater med samme tekst."""
    with project_work(project_dir) as work:
        summary = refi.import_project_qdpx(session=work.session, actor=work.actor,
                                           project_id=work.project_id, path=path)
    console.print(f"{summary.imported} kodninger importeret, {summary.already_present} fandtes "
                  f"allerede, {summary.unmatched_sources} kilder uden tilsvarende notat.")


def register(cli: click.Group, evaluate: click.Group) -> None:
    """Add this area's commands to the main group (and the 'evaluer' group)."""
    cli.add_command(autocode)
    cli.add_command(autocode, name="autocode")
    for command in (codebook_group, manual_group, suggestion_group, search, word_frequency,
                    cooccurrence, refi_group):
        cli.add_command(command)
    evaluate.add_command(evaluate_autocoding)

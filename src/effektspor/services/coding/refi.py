"""REFI-QDA exchange of a project's codebook and codings (NVivo, ATLAS.ti, MAXQDA...).

Export writes every note as a text source (grouped in cases) with all codings. Import
reads codings from a .qdpx file onto notes of the project with the same text; codes are
matched by GUID (as effektspor exports them) or by name. Import is validated first and
written in the caller's unit of work. Export reads every note (``Action.READ_CASE_TEXT``);
import adds codings in other people's names (``Action.IMPORT_DATA``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from effektspor.coding.codebook import load_codebook
from effektspor.coding.refi import (
    RefiCase,
    RefiProject,
    RefiSelection,
    RefiSource,
    code_guid,
    codebook_to_qdc,
    guid,
    read_qdpx,
    write_qdpx,
)
from effektspor.domain import events
from effektspor.domain.errors import Problem, ValidationError
from effektspor.domain.text import normalise_text
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.coding.shared import store_codebook, stored_codebook
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.store import tables as t
from effektspor.store.tables_coding import Coding


@dataclass(slots=True)
class RefiImportSummary:
    """Codings imported, already present, and sources without a matching note."""

    imported: int = 0
    already_present: int = 0
    unmatched_sources: int = 0


def export_codebook_qdc(output: Path, *, codebook_path: Path | None = None) -> int:
    """Write a codebook file (default: the built-in one) as .qdc; returns the code count."""
    codebook = load_codebook(codebook_path)
    Path(output).write_bytes(codebook_to_qdc(codebook))
    return len(codebook.codes)


def export_project_qdpx(*, session: UnitOfWork, actor: Actor, project_id: int,
                        output: Path) -> int:
    """Write the project's notes and codings as a .qdpx archive; returns the codings."""
    require(actor, Action.READ_CASE_TEXT)
    codebook = stored_codebook(session, project_id)
    sources: dict[int, RefiSource] = {}
    cases: dict[str, RefiCase] = {}
    count = 0
    notes = session.execute(
        select(t.Note.id, t.Note.text, t.Note.note_date, t.Note.content_hash,
               t.Case.external_id)
        .join(t.Case, t.Case.id == t.Note.case_id)
        .where(t.Case.project_id == project_id).order_by(t.Note.id))
    for note_id, text, when, digest, case in notes:
        source = RefiSource(guid("notat", digest), f"{case} {when.isoformat()} #{note_id}",
                            text)
        sources[note_id] = source
        cases.setdefault(case, RefiCase(guid("sag", case), case)).source_guids.append(
            source.guid)
    codings = session.scalars(select(Coding).where(
        Coding.project_id == project_id, Coding.note_id.is_not(None)).order_by(Coding.id))
    for coding in codings:
        sources[coding.note_id].selections.append(RefiSelection(
            coding.start, coding.end, code_guid(codebook, coding.code_key), coding.coder,
            coding.created_at))
        count += 1
    name = session.scalar(select(t.Project.name).where(t.Project.id == project_id))
    write_qdpx(Path(output), RefiProject(name, list(sources.values()),
                                         list(cases.values())), codebook)
    record_event(session, events.refi_exported(file_name=Path(output).name, codings=count),
                 actor=actor.name, project_id=project_id)
    return count


def import_project_qdpx(*, session: UnitOfWork, actor: Actor, project_id: int,
                        path: Path) -> RefiImportSummary:
    """Import the codings of a .qdpx archive onto the project's notes (same text)."""
    require(actor, Action.IMPORT_DATA)
    path = Path(path)
    try:
        refi = read_qdpx(path)
    except ValueError as error:
        raise ValidationError([Problem(str(error), file=path.name)]) from error
    codebook = stored_codebook(session, project_id)
    by_guid = {code_guid(codebook, code.id): code.id for code in codebook.codes}
    by_name = {code.name.casefold(): code.id for code in codebook.codes}
    file_codes = {code.guid: code for code in refi.codes}
    summary = RefiImportSummary()
    problems: list[Problem] = []
    notes: dict[str, list[int]] = defaultdict(list)
    for note_id, text in session.execute(
            select(t.Note.id, t.Note.text).join(t.Case, t.Case.id == t.Note.case_id)
            .where(t.Case.project_id == project_id)):
        notes[text].append(note_id)
    existing = set(session.execute(select(
        Coding.note_id, Coding.start, Coding.end, Coding.code_key, Coding.coder).where(
        Coding.project_id == project_id)).all())
    planned = []
    for source in refi.sources:
        matches = notes.get(normalise_text(source.text)) or notes.get(source.text)
        if not matches:
            summary.unmatched_sources += 1
            continue
        for selection in source.selections:
            code_id = by_guid.get(selection.code_guid)
            if code_id is None and selection.code_guid in file_codes:
                code_id = by_name.get(file_codes[selection.code_guid].name.casefold())
            if code_id is None:
                problems.append(Problem(
                    f"kilden '{source.name}' er kodet med en kode, der ikke findes i "
                    f"kodebogen '{codebook.name}'", file=path.name, field="CodeRef"))
                continue
            if not 0 <= selection.start < selection.end <= len(source.text):
                problems.append(Problem(f"kilden '{source.name}': position "
                                        f"{selection.start}–{selection.end} uden for "
                                        "teksten", file=path.name,
                                        field="PlainTextSelection"))
                continue
            key = (matches[0], selection.start, selection.end, code_id, selection.user)
            if key in existing:
                summary.already_present += 1
                continue
            existing.add(key)
            planned.append((key, source.text[selection.start:selection.end]))
    if problems:
        raise ValidationError(problems)
    book = store_codebook(session, project_id, codebook, actor=actor.name)
    for (note_id, start, end, code_id, user), quote in planned:
        session.add(Coding(project_id=project_id, note_id=note_id, start=start, end=end,
                           quote=quote, code_key=code_id, coder=user, codebook_id=book.id,
                           codebook_version=codebook.version,
                           memo=f"Importeret fra {path.name}"))
    summary.imported = len(planned)
    record_event(session, events.refi_imported(
        file_name=path.name, imported=summary.imported,
        already_present=summary.already_present, unmatched=summary.unmatched_sources),
        actor=actor.name, project_id=project_id)
    return summary

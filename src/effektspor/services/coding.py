"""Use cases of coding: codebooks in a project, auto-coding, manual codings, overviews.

Every change is written in one transaction together with an event in the log.
Machine codings carry coder "maskine", the rule id and the codebook version.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from effektspor.coding.autocoder import RuleAutocoder
from effektspor.coding.codebook import Codebook, load_codebook, parse_codebook
from effektspor.coding.derived import CodeOccurrence, find_derived
from effektspor.domain.errors import EffektsporError, Problem, ValidationError
from effektspor.domain.text import content_hash
from effektspor.services.events import log_event
from effektspor.services.project import ProjectContext
from effektspor.store import tables as t
from effektspor.store.tables_coding import MACHINE_CODER, Code, Coding
from effektspor.store.tables_coding import Codebook as CodebookRow
from effektspor.text.tokens import sentence_spans

Progress = Callable[[int, int], None]
BATCH = 2000


@dataclass(slots=True)
class AutocodeSummary:
    """What an auto-coding run did."""

    codebook: str
    codebook_version: str
    notes: int = 0
    codings: int = 0
    notes_coded: int = 0
    removed: int = 0
    per_code: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class CodeCount:
    """Per code: notes and cases coded, with example quotes (for the report)."""

    code: str
    name: str
    parent: str | None
    notes: int
    cases: int
    examples: list[str]


# -- codebooks ------------------------------------------------------------------------


def store_codebook(session: Session, project_id: int, codebook: Codebook, *,
                   actor: str) -> CodebookRow:
    """The stored row of this codebook version, adding it (and its codes) if new.

    A version's content cannot change: the same name and version with other content is
    refused, so every machine coding can be traced to the exact rules that made it.
    """
    digest = content_hash(codebook.source_text)
    row = session.scalar(select(CodebookRow).where(
        CodebookRow.project_id == project_id, CodebookRow.name == codebook.name,
        CodebookRow.version == codebook.version))
    if row is not None:
        if row.content_hash != digest:
            raise EffektsporError(
                f"Kodebogen '{codebook.name}' version {codebook.version} findes allerede i "
                "projektet med et andet indhold. Sæt et nyt versionsnummer i filen.")
        return row
    row = CodebookRow(project_id=project_id, name=codebook.name, version=codebook.version,
                      source_text=codebook.source_text, content_hash=digest,
                      created_by=actor)
    session.add(row)
    session.flush()
    for position, code in enumerate(codebook.codes):
        session.add(Code(codebook_id=row.id, key=code.id, name=code.name,
                         parent_key=code.parent, definition=code.definition or None,
                         colour=code.colour, position=position))
    log_event(session, actor=actor, action="kodebog_indlæst", project_id=project_id,
              object_type="kodebog", object_id=row.id,
              details={"navn": codebook.name, "version": codebook.version})
    return row


#: Parsed stored codebooks by content hash (a stored version's content never changes).
_PARSED_CODEBOOKS: dict[str, Codebook] = {}


@lru_cache(maxsize=1)
def _builtin_codebook() -> Codebook:
    return load_codebook()


def stored_codebook(session: Session, project_id: int) -> Codebook:
    """The newest codebook stored in the project, or the built-in one if none is.

    Parsed codebooks are cached by their content hash, so a page can ask for it on every
    request: only the small key columns are read, the YAML text only on a cache miss.
    """
    row = session.execute(select(CodebookRow.id, CodebookRow.content_hash).where(
        CodebookRow.project_id == project_id).order_by(CodebookRow.id.desc()).limit(1)).first()
    if row is None:
        return _builtin_codebook()
    parsed = _PARSED_CODEBOOKS.get(row.content_hash)
    if parsed is None:
        stored = session.get(CodebookRow, row.id)
        parsed = parse_codebook(stored.source_text, source=f"{stored.name} {stored.version}")
        if len(_PARSED_CODEBOOKS) >= 32:
            _PARSED_CODEBOOKS.clear()
        _PARSED_CODEBOOKS[row.content_hash] = parsed
    return parsed


def _store_codebook_once(session: Session, project_id: int, codebook: Codebook, *,
                         actor: str) -> CodebookRow:
    """:func:`store_codebook`, safe when two people store the same codebook at once on
    PostgreSQL (the first coding of a project): the loser's insert is rolled back to a
    savepoint and the winner's row is used."""
    if session.get_bind().dialect.name != "postgresql":
        return store_codebook(session, project_id, codebook, actor=actor)
    try:
        with session.begin_nested():
            return store_codebook(session, project_id, codebook, actor=actor)
    except IntegrityError:
        return store_codebook(session, project_id, codebook, actor=actor)


def current_codebook(project: ProjectContext) -> Codebook:
    """The newest codebook stored in the project, or the built-in one if none is."""
    with project.sessions() as session:
        return stored_codebook(session, project.project_id)


# -- auto-coding ----------------------------------------------------------------------


def autocode_project(project: ProjectContext, *, actor: str, codebook_path: Path | None = None,
                     progress: Progress | None = None) -> AutocodeSummary:
    """Auto-code every note of the project; replaces earlier machine codings.

    Human codings and suggestions are left as they are.
    """
    codebook = load_codebook(codebook_path)
    coder = RuleAutocoder(codebook)
    summary = AutocodeSummary(codebook.name, codebook.version)
    per_code: dict[str, int] = defaultdict(int)
    with project.transaction() as session:
        book = store_codebook(session, project.project_id, codebook, actor=actor)
        summary.removed = session.execute(delete(Coding).where(
            Coding.project_id == project.project_id, Coding.coder == MACHINE_CODER)).rowcount
        total = session.scalar(_count_notes(project.project_id)) or 0
        query = (select(t.Note.id, t.Note.text, t.AttentionPoint.name)
                 .join(t.Case, t.Case.id == t.Note.case_id)
                 .join(t.AttentionPoint, t.AttentionPoint.id == t.Note.attention_point_id)
                 .where(t.Case.project_id == project.project_id).order_by(t.Note.id))
        rows = []
        for note_id, text, point in session.execute(query.execution_options(yield_per=BATCH)):
            segments = coder.code_text(text, attention_point=point)
            summary.notes += 1
            if segments:
                summary.notes_coded += 1
            for segment in segments:
                rows.append({"project_id": project.project_id, "note_id": note_id,
                             "start": segment.start, "end": segment.end,
                             "quote": text[segment.start:segment.end],
                             "code_key": segment.code, "coder": MACHINE_CODER,
                             "rule_id": segment.rule, "codebook_id": book.id,
                             "codebook_version": codebook.version})
                per_code[segment.code] += 1
            if len(rows) >= BATCH:
                summary.codings += _flush(session, rows)
            if progress and summary.notes % 500 == 0:
                progress(summary.notes, total)
        summary.codings += _flush(session, rows)
        if progress:
            progress(summary.notes, total)
        summary.per_code = dict(per_code)
        log_event(session, actor=actor, action="autokodning", project_id=project.project_id,
                  object_type="kodebog", object_id=book.id,
                  details={"version": codebook.version, "noter": summary.notes,
                           "kodninger": summary.codings, "fjernet": summary.removed})
    return summary


def _count_notes(project_id: int):
    from sqlalchemy import func

    return (select(func.count(t.Note.id)).join(t.Case, t.Case.id == t.Note.case_id)
            .where(t.Case.project_id == project_id))


def _flush(session: Session, rows: list[dict]) -> int:
    if not rows:
        return 0
    session.execute(Coding.__table__.insert(), rows)
    count = len(rows)
    rows.clear()
    return count


# -- manual codings -------------------------------------------------------------------


def add_coding(project: ProjectContext, *, note_id: int, start: int, end: int, code: str,
               coder: str, memo: str | None = None) -> int:
    """Add a coding by a named person to a passage of a note; returns the coding id."""
    with project.transaction() as session:
        return add_coding_in_session(session, project_id=project.project_id, note_id=note_id,
                                     start=start, end=end, code=code, coder=coder,
                                     memo=memo).id


def add_coding_in_session(session: Session, *, project_id: int, note_id: int, start: int,
                          end: int, code: str, coder: str, memo: str | None = None,
                          codebook: Codebook | None = None) -> Coding:
    """Add a person's coding in the caller's transaction (validated, logged); returns it.

    Offsets are code-point offsets into the note text. Nothing is written when the code
    is unknown or the passage lies outside the note (:class:`ValidationError`).
    """
    if not coder.strip() or coder.strip() == MACHINE_CODER:
        raise ValidationError([Problem("angiv kodernes navn (ikke 'maskine')", field="koder")])
    codebook = codebook or stored_codebook(session, project_id)
    note = _note_of_project(session, project_id, note_id)
    problems = []
    if code not in codebook.code_ids:
        problems.append(Problem(f"koden '{code}' findes ikke i kodebogen "
                                f"'{codebook.name}'", field="kode"))
    if not 0 <= start < end <= len(note.text):
        problems.append(Problem(f"passagen {start}–{end} ligger ikke inden for notatet "
                                f"(0–{len(note.text)})", field="start/slut"))
    if problems:
        raise ValidationError(problems)
    book = _store_codebook_once(session, project_id, codebook, actor=coder)
    coding = Coding(project_id=project_id, note_id=note.id, start=start, end=end,
                    quote=note.text[start:end], code_key=code, coder=coder.strip(),
                    codebook_id=book.id, codebook_version=codebook.version,
                    memo=memo or None)
    session.add(coding)
    session.flush()
    log_event(session, actor=coder, action="kodning_tilføjet", project_id=project_id,
              object_type="kodning", object_id=coding.id,
              details={"notat": note.id, "kode": code, "start": start, "slut": end})
    return coding


def remove_coding(project: ProjectContext, *, coding_id: int, actor: str) -> None:
    """Remove one coding (machine or human) and log who did it."""
    with project.transaction() as session:
        coding = session.get(Coding, coding_id)
        if coding is None or coding.project_id != project.project_id:
            raise EffektsporError(f"Kodning {coding_id} findes ikke i projektet.")
        details = {"kode": coding.code_key, "koder": coding.coder, "notat": coding.note_id}
        session.delete(coding)
        log_event(session, actor=actor, action="kodning_fjernet",
                  project_id=project.project_id, object_type="kodning", object_id=coding_id,
                  details=details)


def _note_of_project(session: Session, project_id: int, note_id: int) -> t.Note:
    note = session.scalar(select(t.Note).join(t.Case, t.Case.id == t.Note.case_id).where(
        t.Note.id == note_id, t.Case.project_id == project_id))
    if note is None:
        raise EffektsporError(f"Notat {note_id} findes ikke i projektet.")
    return note


def list_codings(project: ProjectContext, *, note_id: int | None = None,
                 coder: str | None = None) -> list[dict]:
    """Codings of the project (optionally of one note or coder) as plain dicts."""
    with project.sessions() as session:
        query = select(Coding).where(Coding.project_id == project.project_id)
        if note_id is not None:
            query = query.where(Coding.note_id == note_id)
        if coder is not None:
            query = query.where(Coding.coder == coder)
        return [{"id": c.id, "note_id": c.note_id, "start": c.start, "end": c.end,
                 "quote": c.quote, "code": c.code_key, "coder": c.coder, "rule": c.rule_id,
                 "codebook_version": c.codebook_version, "memo": c.memo}
                for c in session.scalars(query.order_by(Coding.id))]


# -- overviews for the report ---------------------------------------------------------


def _occurrences(session: Session, project_id: int):
    query = (select(t.Case.external_id, t.Note.id, t.Note.note_date, Coding.start,
                    Coding.code_key, Coding.end)
             .join(t.Note, t.Note.id == Coding.note_id)
             .join(t.Case, t.Case.id == t.Note.case_id)
             .where(Coding.project_id == project_id).order_by(t.Note.id, Coding.start))
    return session.execute(query.execution_options(yield_per=BATCH))


def _sentence_around(session: Session, note_id: int, start: int, end: int) -> str:
    text = session.scalar(select(t.Note.text).where(t.Note.id == note_id)) or ""
    first, last = sentence_bounds(text, start, end)
    return text[first:last]


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the sentence(s) around the passage ``start``–``end`` of ``text`` begin and end."""
    for s_start, s_end in sentence_spans(text):
        if s_start <= start < s_end:
            return s_start, max(s_end, end)
    return start, end


def code_overview(project: ProjectContext, *, examples: int = 3) -> list[CodeCount]:
    """Per code of the current codebook: notes and cases coded (a parent counts its
    children's codings) and up to ``examples`` example sentences."""
    codebook = current_codebook(project)
    notes: dict[str, set[int]] = defaultdict(set)
    cases: dict[str, set[str]] = defaultdict(set)
    quotes: dict[str, list[str]] = defaultdict(list)
    with project.sessions() as session:
        for case, note_id, _when, start, code, end in list(_occurrences(session,
                                                                        project.project_id)):
            keys = [code, *codebook.ancestors(code)]
            for key in keys:
                notes[key].add(note_id)
                cases[key].add(case)
            if any(len(quotes[key]) < examples for key in keys):
                quote = _sentence_around(session, note_id, start, end)
                for key in keys:
                    if len(quotes[key]) < examples and quote not in quotes[key]:
                        quotes[key].append(quote)
    return [CodeCount(code.id, code.name, code.parent, len(notes[code.id]),
                      len(cases[code.id]), quotes[code.id]) for code in codebook.codes]


def case_code_presence(project: ProjectContext, *,
                       window_days: int | None = None) -> dict[str, set[str]]:
    """Per case (external id): the codes present (with parents) and derived codes.

    ``window_days`` overrides the codebook's window of the derived codes.
    """
    with project.sessions() as session:
        return code_presence_of_project(session, project.project_id,
                                        stored_codebook(session, project.project_id),
                                        window_days=window_days)


def code_occurrences(session: Session, project_id: int,
                     codebook: Codebook) -> list[CodeOccurrence]:
    """Every coded passage in time order, once per code and once per ancestor code (a
    parent code is present where any of its children is)."""
    occurrences: list[CodeOccurrence] = []
    for case, note_id, when, start, code, _end in _occurrences(session, project_id):
        occurrences.extend(CodeOccurrence(case, when, note_id, start, key)
                           for key in [code, *codebook.ancestors(code)])
    return occurrences


def code_presence_of_project(session: Session, project_id: int, codebook: Codebook, *,
                             window_days: int | None = None) -> dict[str, set[str]]:
    """``case_code_presence`` in the caller's session, with the codebook given."""
    presence: dict[str, set[str]] = defaultdict(set)
    for external_id in session.scalars(select(t.Case.external_id).where(
            t.Case.project_id == project_id)):
        presence[external_id]  # every case appears, even without codes
    occurrences = code_occurrences(session, project_id, codebook)
    for occurrence in occurrences:
        presence[occurrence.case].add(occurrence.code)
    for derived in codebook.derived:
        if window_days is not None:
            derived = replace(derived, window_days=window_days)
        for case in find_derived(occurrences, derived):
            presence[case].add(derived.id)
    return dict(presence)

"""Building blocks of the coding area that other services use inside their own use case:
the project's codebook, which codes each case has, and the counts per code.

They take the caller's session and no actor: the calling use case has checked its
actor. The front ends call the area's use cases instead (an import-linter contract
keeps ``cli`` and ``web`` from importing this module).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from effektspor.coding.codebook import Codebook, load_codebook, parse_codebook
from effektspor.coding.derived import CodeOccurrence, find_derived
from effektspor.domain import events
from effektspor.domain.errors import EffektsporError
from effektspor.domain.text import content_hash
from effektspor.services.events import record_event
from effektspor.store import tables as t
from effektspor.store.tables_coding import Code, Coding
from effektspor.store.tables_coding import Codebook as CodebookRow
from effektspor.text.tokens import sentence_spans

BATCH = 2000


@dataclass(slots=True)
class CodeCount:
    """Per code: notes and cases coded, with example quotes (for the report)."""

    code: str
    name: str
    parent: str | None
    notes: int
    cases: int
    examples: list[str]


# -- the project's codebook -------------------------------------------------------------


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
    record_event(session, events.codebook_stored(codebook_id=row.id, name=codebook.name,
                                                 version=codebook.version),
                 actor=actor, project_id=project_id)
    return row


def store_codebook_once(session: Session, project_id: int, codebook: Codebook, *,
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


# -- codes per case and per code --------------------------------------------------------


def _occurrences(session: Session, project_id: int):
    query = (select(t.Case.external_id, t.Note.id, t.Note.note_date, Coding.start,
                    Coding.code_key, Coding.end)
             .join(t.Note, t.Note.id == Coding.note_id)
             .join(t.Case, t.Case.id == t.Note.case_id)
             .where(Coding.project_id == project_id).order_by(t.Note.id, Coding.start))
    return session.execute(query.execution_options(yield_per=BATCH))


def code_occurrences(session: Session, project_id: int,
                     codebook: Codebook) -> list[CodeOccurrence]:
    """Every coded passage in time order, once per code and once per ancestor code (a
    parent code is present where any of its children is)."""
    occurrences: list[CodeOccurrence] = []
    for case, note_id, when, start, code, _end in _occurrences(session, project_id):
        occurrences.extend(CodeOccurrence(case, when, note_id, start, key)
                           for key in [code, *codebook.ancestors(code)])
    return occurrences


def case_code_presence(session: Session, project_id: int, *, codebook: Codebook | None = None,
                       window_days: int | None = None) -> dict[str, set[str]]:
    """Per case (external id): the codes present (with parents) and derived codes.

    ``codebook`` defaults to the project's; ``window_days`` overrides the codebook's
    window of the derived codes.
    """
    codebook = codebook or stored_codebook(session, project_id)
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


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the sentence(s) around the passage ``start``–``end`` of ``text`` begin and end."""
    for s_start, s_end in sentence_spans(text):
        if s_start <= start < s_end:
            return s_start, max(s_end, end)
    return start, end


def _sentence_around(session: Session, note_id: int, start: int, end: int) -> str:
    text = session.scalar(select(t.Note.text).where(t.Note.id == note_id)) or ""
    first, last = sentence_bounds(text, start, end)
    return text[first:last]


def code_counts(session: Session, project_id: int, *, examples: int = 3) -> list[CodeCount]:
    """Per code of the project's codebook: notes and cases coded (a parent counts its
    children's codings) and up to ``examples`` example sentences."""
    codebook = stored_codebook(session, project_id)
    notes: dict[str, set[int]] = defaultdict(set)
    cases: dict[str, set[str]] = defaultdict(set)
    quotes: dict[str, list[str]] = defaultdict(list)
    for case, note_id, _when, start, code, end in list(_occurrences(session, project_id)):
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

"""Reading across a project's notes and codings: KWIC search, word frequencies, counts
per code with example sentences, and code co-occurrence."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations

from sqlalchemy import select

from effektspor.domain.errors import EffektsporError
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.coding.shared import CodeCount, code_counts, stored_codebook
from effektspor.services.contract import UnitOfWork
from effektspor.store import tables as t
from effektspor.store.tables_coding import Coding
from effektspor.text.search import KwicHit, WordCount, kwic, parse_query, word_frequencies


@dataclass(frozen=True, slots=True)
class NoteFilter:
    """Which notes to search: team, attention point and case attributes (all optional)."""

    team: str | None = None
    attention_point: str | None = None
    case_attributes: tuple[tuple[str, str], ...] = ()
    code: str | None = None


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A KWIC hit in a note of a case."""

    case: str
    note_id: int
    note_date: str
    attention_point: str
    hit: KwicHit


@dataclass(frozen=True, slots=True)
class Cooccurrence:
    """How many notes or cases have both codes of each pair, for ``codes`` in order."""

    codes: list[str]
    counts: dict[tuple[str, str], int]


def _notes(session: UnitOfWork, project_id: int, where: NoteFilter):
    query = (select(t.Note.id, t.Note.text, t.Note.note_date, t.Case.external_id,
                    t.Case.attributes, t.AttentionPoint.name)
             .join(t.Case, t.Case.id == t.Note.case_id)
             .join(t.AttentionPoint, t.AttentionPoint.id == t.Note.attention_point_id)
             .where(t.Case.project_id == project_id).order_by(t.Note.id))
    if where.team:
        query = query.where(t.Case.team == where.team)
    if where.attention_point:
        query = query.where(t.AttentionPoint.name == where.attention_point)
    if where.code:
        query = query.where(t.Note.id.in_(select(Coding.note_id).where(
            Coding.project_id == project_id, Coding.code_key == where.code)))
    for row in session.execute(query.execution_options(yield_per=1000)):
        attributes = row.attributes or {}
        if all(str(attributes.get(key)) == value for key, value in where.case_attributes):
            yield row


def search_notes(*, session: UnitOfWork, actor: Actor, project_id: int, query: str,
                 where: NoteFilter = NoteFilter(), window: int = 40,
                 limit: int = 500) -> list[SearchHit]:
    """KWIC hits of ``query`` (Danish word forms) in the project's notes."""
    require(actor, Action.READ_CASE_TEXT)
    try:
        words = parse_query(query)
    except ValueError as error:
        raise EffektsporError(f"Ugyldig søgning: {error}.") from error
    hits: list[SearchHit] = []
    for row in _notes(session, project_id, where):
        for hit in kwic(row.text, words, window=window):
            hits.append(SearchHit(row.external_id, row.id, row.note_date.isoformat(),
                                  row.name, hit))
            if len(hits) >= limit:
                return hits
    return hits


def note_word_frequencies(*, session: UnitOfWork, actor: Actor, project_id: int,
                          where: NoteFilter = NoteFilter(), top: int = 50) -> list[WordCount]:
    """The most frequent words (without stop words) in the selected notes."""
    require(actor, Action.READ_CASE_TEXT)
    return word_frequencies((row.text for row in _notes(session, project_id, where)), top=top)


def code_overview(*, session: UnitOfWork, actor: Actor, project_id: int,
                  examples: int = 3) -> list[CodeCount]:
    """Per code: notes and cases coded (a parent counts its children's codings) and up
    to ``examples`` example sentences (case text)."""
    require(actor, Action.READ_CASE_TEXT)
    return code_counts(session, project_id, examples=examples)


def code_cooccurrence(*, session: UnitOfWork, actor: Actor, project_id: int,
                      level: str = "notat", top_level: bool = True) -> Cooccurrence:
    """How many notes (level "notat") or cases ("sag") have both codes of each pair.

    With ``top_level`` sub-codes count as their top-level code (and ``codes`` are the
    top-level codes). The diagonal (code, code) holds the number with the code. Counts
    only, no case text.
    """
    require(actor, Action.VIEW_REPORTS)
    if level not in ("notat", "sag"):
        raise EffektsporError("Niveauet skal være 'notat' eller 'sag'.")
    codebook = stored_codebook(session, project_id)
    units: dict[object, set[str]] = defaultdict(set)
    query = (select(t.Note.id, t.Case.external_id, Coding.code_key)
             .join(t.Note, t.Note.id == Coding.note_id)
             .join(t.Case, t.Case.id == t.Note.case_id)
             .where(Coding.project_id == project_id))
    for note_id, case, code in session.execute(query):
        units[note_id if level == "notat" else case].add(
            codebook.top_level_of(code) if top_level else code)
    counts: Counter[tuple[str, str]] = Counter()
    for codes in units.values():
        for code in codes:
            counts[(code, code)] += 1
        for first, second in combinations(sorted(codes), 2):
            counts[(first, second)] += 1
            counts[(second, first)] += 1
    codes = codebook.top_level_ids if top_level else [code.id for code in codebook.codes]
    return Cooccurrence(list(codes), dict(counts))

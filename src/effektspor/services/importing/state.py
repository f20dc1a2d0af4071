"""What the import needs to know about a project before it writes: compactly in memory.

Cases (id and fields), the attention-point schemes, the document types, and per kind of
material the content hashes and the source ids already stored. Only hashes and ids are
held, never texts, so a project with hundreds of thousands of notes fits easily.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, select

from effektspor.domain.attention_points import AttentionPointScheme, scheme_for_date
from effektspor.domain.records import NoteRecord
from effektspor.domain.vocabulary import DOCUMENT_TYPE_ALIASES
from effektspor.ingest.sources import KINDS
from effektspor.store import tables as t

_CASE_FIELDS = ("team", "start_date", "end_date", "closed", "closed_year", "attributes")


@dataclass
class CaseState:
    """A stored case: its row id and the fields an import may change."""

    id: int
    values: dict


@dataclass
class ProjectState:
    """The project's cases, vocabularies, hashes and source ids (see module docstring)."""

    project_id: int
    cases: dict[str, CaseState] = field(default_factory=dict)
    schemes: dict[str, AttentionPointScheme] = field(default_factory=dict)
    point_ids: dict[tuple[str, str], int] = field(default_factory=dict)
    document_labels: dict[str, str] = field(default_factory=dict)
    document_spellings: dict[str, str] = field(default_factory=dict)
    hashes: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in KINDS})
    source_ids: dict[str, dict[tuple[str, str], tuple[int, str]]] = field(
        default_factory=lambda: {k: {} for k in KINDS})
    _scheme_by_date: dict[date, AttentionPointScheme] = field(default_factory=dict)
    _point_cache: dict[tuple[str, str], int | str] = field(default_factory=dict)

    def add_case(self, key: str, case_id: int, values: dict) -> None:
        """Remember a case created during the import."""
        self.cases[key] = CaseState(case_id, values)

    def resolve_document_type(self, spelling: str) -> str | None:
        """The project's code of a document type written as code, label or alias."""
        return self.document_spellings.get(spelling.strip().lower())

    def attention_point_id(self, note: NoteRecord) -> int | str:
        """The id of the note's attention point, or a Danish message why there is none.

        The scheme is the one the mapping fixes, else the one in force at the note's date.
        """
        if not self.schemes:
            return "projektet har ingen skemaer med opmærksomhedspunkter"
        if note.scheme_version:
            scheme = self.schemes[note.scheme_version]
        else:
            scheme = self._scheme_by_date.get(note.note_date)
            if scheme is None:
                scheme = scheme_for_date(tuple(self.schemes.values()), note.note_date)
                self._scheme_by_date[note.note_date] = scheme
        key = (scheme.version, note.attention_point)
        found = self._point_cache.get(key)
        if found is None:
            name = scheme.find(note.attention_point)
            if name is None:
                found = (f"opmærksomhedspunktet '{note.attention_point}' findes ikke i skemaet "
                         f"{scheme.version} (gælder fra {scheme.valid_from.isoformat()}); "
                         f"kendte punkter: {'; '.join(scheme.points)}")
            else:
                found = self.point_ids[(scheme.version, name)]
            self._point_cache[key] = found
        return found


def load_state(connection: Connection, project_id: int) -> ProjectState:
    """Read the project's state for an import (in the import's transaction)."""
    state = ProjectState(project_id)
    cases = t.Case.__table__
    for row in connection.execute(
            select(cases.c.id, cases.c.external_id, *(cases.c[f] for f in _CASE_FIELDS))
            .where(cases.c.project_id == project_id)):
        state.cases[row.external_id] = CaseState(row.id, {f: getattr(row, f) for f in _CASE_FIELDS})
    _load_schemes(connection, state)
    _load_document_types(connection, state)
    case_ids = select(cases.c.id).where(cases.c.project_id == project_id)
    for kind, table in (("notater", t.Note), ("dokumenter", t.Document),
                        ("bevillinger", t.Grant), ("personer", t.Person)):
        columns = table.__table__.c
        has_source_id = "external_id" in columns
        query = select(columns.id, columns.content_hash,
                       *((columns.external_id, cases.c.external_id.label("case_key"))
                         if has_source_id else ()))
        if has_source_id:
            query = query.join(cases, cases.c.id == columns.case_id)
        query = query.where(columns.case_id.in_(case_ids))
        hashes, source_ids = state.hashes[kind], state.source_ids[kind]
        for row in connection.execute(query):
            hashes.add(row.content_hash)
            if has_source_id and row.external_id is not None:
                source_ids[(row.case_key, row.external_id)] = (row.id, row.content_hash)
    return state


def _load_schemes(connection: Connection, state: ProjectState) -> None:
    schemes = t.AttentionPointScheme.__table__
    points = t.AttentionPoint.__table__
    rows = connection.execute(
        select(schemes.c.version, schemes.c.valid_from, points.c.id, points.c.name)
        .join(points, points.c.scheme_id == schemes.c.id)
        .where(schemes.c.project_id == state.project_id)
        .order_by(schemes.c.valid_from, points.c.position)).all()
    by_version: dict[str, tuple[date, list[str]]] = {}
    for row in rows:
        by_version.setdefault(row.version, (row.valid_from, []))[1].append(row.name)
        state.point_ids[(row.version, row.name)] = row.id
    for version, (valid_from, names) in by_version.items():
        state.schemes[version] = AttentionPointScheme(version, valid_from, tuple(names))


def _load_document_types(connection: Connection, state: ProjectState) -> None:
    types = t.DocumentType.__table__
    for row in connection.execute(select(types.c.code, types.c.label)
                                  .where(types.c.project_id == state.project_id)):
        state.document_labels[row.code] = row.label
        state.document_spellings[row.code.lower()] = row.code
        state.document_spellings[row.label.lower()] = row.code
    for spelling, code in DOCUMENT_TYPE_ALIASES.items():
        if code in state.document_labels:
            state.document_spellings.setdefault(spelling, code)

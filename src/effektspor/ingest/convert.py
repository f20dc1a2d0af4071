"""Turning rows into records, with every field checked (Danish problems with place).

Attention points are checked by the import service (they depend on the project's
schemes); document types are checked here through a resolver the service passes in.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from effektspor.domain.dates import parse_bool, parse_date
from effektspor.domain.errors import Problem
from effektspor.domain.records import (
    CaseRecord,
    DocumentRecord,
    GrantRecord,
    NoteRecord,
    PersonRecord,
    Source,
)
from effektspor.domain.vocabulary import PERSON_ROLES
from effektspor.ingest.decoding import (
    forbidden_character,
    forbidden_character_problem,
    is_storable,
    printable,
)
from effektspor.ingest.sources import FIELD_LIMITS, SourceSpec
from effektspor.ingest.tabular import Row

Record = CaseRecord | NoteRecord | DocumentRecord | GrantRecord | PersonRecord
TypeResolver = Callable[[str], str | None]

_DATE_CACHE: dict[tuple[object, str | None], date] = {}
_CPR = re.compile(r"^(\d{6})-?(\d{4})$")


class _Checker:
    """Collects the problems of one row while its fields are read."""

    __slots__ = ("spec", "row", "display", "problems")

    def __init__(self, spec: SourceSpec, row: Row, display: str):
        self.spec = spec
        self.row = row
        self.display = display
        self.problems: list[Problem] = []

    def problem(self, message: str, name: str | None) -> None:
        self.problems.append(Problem(message, self.display, self.row.line, name))

    def text(self, name: str, required: bool = False) -> str | None:
        value = self.row.fields.get(name, "")
        if value.__class__ is not str:  # readers give stripped text, or dates from XLSX
            value = value.isoformat() if isinstance(value, date) else str(value).strip()
        if not value:
            if required:
                self.problem("feltet er tomt", name)
            return None
        limit = FIELD_LIMITS.get(name)
        if limit and len(value) > limit:
            self.problem(f"værdien er for lang ({len(value)} tegn, højst {limit})", name)
        return value

    def date(self, name: str, required: bool = False) -> date | None:
        value = self.row.fields.get(name, "")
        if value == "" or value is None:
            if required:
                self.problem("datoen mangler", name)
            return None
        key = (value, self.spec.date_format)
        parsed = _DATE_CACHE.get(key)
        if parsed is not None:
            return parsed
        try:
            parsed = parse_date(value, self.spec.date_format)
        except ValueError as error:
            self.problem(str(error), name)
            return None
        if len(_DATE_CACHE) < 100_000:  # exports repeat the same few thousand dates
            _DATE_CACHE[key] = parsed
        return parsed

    def flag(self, name: str) -> bool | None:
        value = self.row.fields.get(name, "")
        if str(value).strip() == "":
            return None
        try:
            return parse_bool(value)
        except ValueError as error:
            self.problem(str(error), name)
            return None


def row_to_record(spec: SourceSpec, row: Row, resolve_type: TypeResolver
                  ) -> tuple[Record | None, list[Problem]]:
    """Make the record of ``spec.kind`` from a row; the record is None if any problem."""
    display = (f"{spec.display}/{printable(str(row.fields.get('dokument_id', '')))}"
               if spec.format == "folder" else spec.display)
    check = _Checker(spec, row, display)
    if _forbidden_characters(check):
        return None, check.problems
    source = Source(display, row.line)
    case_id = check.text("sag_id", required=True)
    record: Record | None = None
    kind = spec.kind
    if kind == "notater":
        record = _note(check, case_id, source)
    elif kind == "sager":
        record = _case(check, case_id, source)
    elif kind == "dokumenter":
        record = _document(check, case_id, source, resolve_type)
    elif kind == "bevillinger":
        record = _grant(check, case_id, source)
    elif kind == "personer":
        record = _person(check, case_id, source)
    if check.problems:
        return None, check.problems
    return record, []


def _forbidden_characters(check: _Checker) -> bool:
    """Report every field that holds a character that is never stored (see ``decoding``).

    The one place every reader's values pass before they become a record. A row is
    checked in one scan of its joined values (``is_storable``); only a row that fails is
    looked at field by field. The value itself is never repeated in the problem.
    """
    row = check.row
    try:
        joined = "\n".join(row.fields.values())  # readers give text; XLSX may give dates
    except TypeError:
        joined = "\n".join(v for v in row.fields.values() if v.__class__ is str)
    if is_storable(joined) and (not row.attributes
                                or is_storable("\n".join(row.attributes.values()))):
        return False
    for values in (row.fields, row.attributes):
        for name, value in values.items():
            if value.__class__ is str:
                bad = forbidden_character(value)
                if bad:
                    check.problem(forbidden_character_problem(bad), name)
    return True


def _note(check: _Checker, case_id: str | None, source: Source) -> NoteRecord | None:
    note_date = check.date("dato", required=True)
    point = check.text("opmærksomhedspunkt", required=True)
    text = check.text("tekst", required=True)
    role = check.text("forfatterrolle")
    author = check.text("forfatter")
    external_id = check.text("notat_id")
    if check.problems:
        return None
    return NoteRecord(case_id, note_date, point, text, source, author_role=role,
                      author=author, external_id=external_id,
                      scheme_version=check.spec.scheme_version)


def _case(check: _Checker, case_id: str | None, source: Source) -> CaseRecord | None:
    team = check.text("team")
    start = check.date("startdato")
    end = check.date("slutdato")
    closed = check.flag("afsluttet")
    if start and end and end < start:
        check.problem(f"slutdatoen {end.isoformat()} ligger før startdatoen "
                      f"{start.isoformat()}", "slutdato")
    if closed and end is None:
        check.problem("sagen er afsluttet, men slutdatoen mangler", "slutdato")
    attributes = {k: v for k, v in check.row.attributes.items() if v != ""}
    if check.problems:
        return None
    return CaseRecord(case_id, source, team=team, start_date=start, end_date=end,
                      closed=closed, attributes=attributes)


def _document(check: _Checker, case_id: str | None, source: Source,
              resolve_type: TypeResolver) -> DocumentRecord | None:
    raw_type = check.spec.document_type or check.text("dokumenttype", required=True)
    doc_type = resolve_type(raw_type) if raw_type else None
    if raw_type and doc_type is None:
        check.problem(f"dokumenttypen '{raw_type}' kendes ikke i projektet", "dokumenttype")
    doc_date = check.date("dato")
    title = check.text("titel")
    text = check.text("tekst")
    if text is None:
        check.problem("dokumentet har ingen tekst", "tekst")
    external_id = check.text("dokument_id")
    if check.problems:
        return None
    return DocumentRecord(case_id, doc_type, text, source, doc_date=doc_date, title=title,
                          external_id=external_id)


def _grant(check: _Checker, case_id: str | None, source: Source) -> GrantRecord | None:
    start = check.date("startdato")
    end = check.date("slutdato")
    if start and end and end < start:
        check.problem(f"slutdatoen {end.isoformat()} ligger før startdatoen "
                      f"{start.isoformat()}", "slutdato")
    basis = check.text("lovgrundlag")
    intervention = check.text("indsats")
    external_id = check.text("bevilling_id")
    if check.problems:
        return None
    return GrantRecord(case_id, source, start_date=start, end_date=end, legal_basis=basis,
                       intervention=intervention, external_id=external_id)


def _person(check: _Checker, case_id: str | None, source: Source) -> PersonRecord | None:
    # Values of person fields are never repeated in a problem: they identify people.
    role = check.text("rolle", required=True)
    if role and role.lower() not in PERSON_ROLES:
        check.problem(f"ukendt rolle (kendte: {', '.join(PERSON_ROLES)})", "rolle")
    name = check.text("navn", required=True)
    cpr_value = check.text("cpr")
    cpr = None
    if cpr_value:
        match = _CPR.match(cpr_value)
        if not match:
            check.problem("CPR-nummeret skal have formen DDMMÅÅ-XXXX", "cpr")
        else:
            cpr = f"{match.group(1)}-{match.group(2)}"
    if check.problems:
        return None
    return PersonRecord(case_id, role.lower(), name, source, cpr=cpr)

"""The classification sheet of one case: every variable with its criteria, confirmed
value, open suggestion and history, and the documents with the evidence highlighted.

Saving a value from the sheet is ``values.set_value``, with the version of the value the
sheet showed (:attr:`VariableSheet.version`) as its optimistic lock. A case in the
coder's own blind re-coding sample shows no values at all (``services.recoding.shared``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from effektspor.domain import events
from effektspor.domain.variables import VariableKind
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.classification.shared import (
    DISCHARGE_TYPES,
    case_of_project,
    ensure_variables,
    ordered,
)
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.services.recoding.shared import is_blind
from effektspor.store import tables as t
from effektspor.store.tables_analysis import (
    CONFIRMED,
    REJECTED,
    SUGGESTED,
    CaseVariable,
    ClassificationValue,
)

#: Danish names of a value's status, as shown on the sheet.
STATUS_LABELS = {SUGGESTED: "forslag", CONFIRMED: "bekræftet", REJECTED: "afvist"}
#: The form's version when the coder saw no value at all.
NO_VALUE = "ingen"


@dataclass(frozen=True)
class ValueInfo:
    """One stored value of a variable (suggested, confirmed or rejected)."""

    id: int
    value: str
    status: str
    coder: str
    origin: str
    evidence_quote: str | None
    explanation: str | None
    source_document_id: int | None
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    superseded: bool

    @property
    def status_label(self) -> str:
        """Danish status: forslag, bekræftet or afvist."""
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def version(self) -> str:
        """What the form carries: the row and its status (a confirmed suggestion differs)."""
        return f"{self.id}-{self.status}"


def _info(row: ClassificationValue) -> ValueInfo:
    return ValueInfo(row.id, row.value, row.status, row.coder, row.origin, row.evidence_quote,
                     row.explanation, row.source_document_id, row.created_at, row.decided_by,
                     row.decided_at, row.superseded_at is not None)


@dataclass
class VariableSheet:
    """One variable on the sheet: its allowed values with criteria, value and history."""

    name: str
    label: str
    kind: str
    description: str
    choices: list[tuple[str, str]]  # (value, criterion)
    current: ValueInfo | None = None  # the confirmed value
    suggestion: ValueInfo | None = None  # an open machine suggestion
    history: list[ValueInfo] = field(default_factory=list)

    @property
    def shown(self) -> ValueInfo | None:
        """The value the sheet shows: the confirmed one, otherwise the open suggestion."""
        return self.current or self.suggestion

    @property
    def version(self) -> str:
        """The version of :attr:`shown` (the optimistic lock of the form)."""
        return self.shown.version if self.shown else NO_VALUE

    @property
    def free_text(self) -> bool:
        """True for numbers and dates (typed in a field instead of chosen)."""
        return not self.choices


@dataclass(frozen=True)
class Highlight:
    """A passage of a document that is the evidence of a suggestion."""

    start: int
    end: int
    label: str


@dataclass
class SheetDocument:
    """A document of the case, cut into (text, highlight label or None) segments."""

    id: int
    heading: str
    doc_type: str
    on: date | None
    pseudonymised: bool
    segments: list[tuple[str, str | None]]

    @property
    def highlighted(self) -> bool:
        """True when the document holds an evidence quote."""
        return any(label for _, label in self.segments)


@dataclass
class ClassificationSheet:
    """Everything the classification sheet of one case shows."""

    case_id: int
    external_id: str
    team: str | None
    start_date: date | None
    end_date: date | None
    closed: bool
    blind: bool
    variables: list[VariableSheet]
    report: SheetDocument | None
    other_documents: list[SheetDocument]


def _choices(row: CaseVariable) -> list[tuple[str, str]]:
    if row.kind == VariableKind.BOOLEAN.value:
        return [("ja", row.criteria.get("ja", "")), ("nej", row.criteria.get("nej", ""))]
    return [(value, (row.criteria or {}).get(value, "")) for value in row.allowed_values]


def variable_sheets(session: Session, rows: list[CaseVariable],
                    case_id: int) -> list[VariableSheet]:
    sheets = {row.id: VariableSheet(row.name, row.label, row.kind, row.description or "",
                                    _choices(row)) for row in rows}
    for value in session.scalars(select(ClassificationValue).where(
            ClassificationValue.case_id == case_id).order_by(ClassificationValue.id)):
        sheet = sheets.get(value.variable_id)
        if sheet is None:
            continue
        info = _info(value)
        sheet.history.append(info)
        if not info.superseded and value.status == CONFIRMED:
            sheet.current = info
        elif not info.superseded and value.status == SUGGESTED:
            sheet.suggestion = info
    return [sheets[row.id] for row in rows]


def _segments(text: str, highlights: list[Highlight]) -> list[tuple[str, str | None]]:
    segments: list[tuple[str, str | None]] = []
    position = 0
    for mark in sorted(highlights, key=lambda h: h.start):
        if mark.start < position or mark.end > len(text) or mark.start >= mark.end:
            continue  # overlapping or out of range: the plain text is shown
        segments.append((text[position:mark.start], None))
        segments.append((text[mark.start:mark.end], mark.label))
        position = mark.end
    segments.append((text[position:], None))
    return [s for s in segments if s[0]]


def _evidence_span(text: str, value: ClassificationValue) -> tuple[int, int] | None:
    start, end, quote = value.evidence_start, value.evidence_end, value.evidence_quote
    if not quote:
        return None
    if start is not None and end is not None and text[start:end] == quote:
        return start, end
    found = text.find(quote)  # the text was re-normalised: find the quote again
    return (found, found + len(quote)) if found >= 0 else None


def _documents(session: Session, project_id: int, case_id: int,
               variables: list[VariableSheet]) -> tuple[SheetDocument | None, list]:
    labels = dict(session.execute(select(t.DocumentType.code, t.DocumentType.label)
                                  .where(t.DocumentType.project_id == project_id)).all())
    evidence: dict[int, list[tuple[ClassificationValue, str]]] = {}
    shown_ids = {v.shown.id for v in variables if v.shown}
    rows = {r.id: r for r in session.scalars(select(ClassificationValue).where(
        ClassificationValue.id.in_(shown_ids)))} if shown_ids else {}
    for variable in variables:
        row = rows.get(variable.shown.id) if variable.shown else None
        if row is not None and row.source_document_id is not None:
            evidence.setdefault(row.source_document_id, []).append((row, variable.label))
    documents = list(session.scalars(select(t.Document).where(t.Document.case_id == case_id)
                                     .order_by(t.Document.doc_date, t.Document.id)))
    result = []
    for document in documents:
        marks = [Highlight(*span, label) for value, label in evidence.get(document.id, [])
                 if (span := _evidence_span(document.text, value))]
        result.append(SheetDocument(document.id, document.title or labels.get(
            document.doc_type, document.doc_type), document.doc_type, document.doc_date,
            document.pseudonymised, _segments(document.text, marks)))
    reports = [d for d in result if d.doc_type in DISCHARGE_TYPES]
    outcome_source = next((r.source_document_id for r in rows.values()
                           if r.source_document_id in {d.id for d in reports}), None)
    report = next((d for d in reports if d.id == outcome_source), reports[-1] if reports else None)
    return report, [d for d in result if d is not report]


def view_sheet(*, session: UnitOfWork, actor: Actor, project_id: int,
               case_id: int) -> ClassificationSheet:
    """The classification sheet of a case; the view is logged as "sag_vist".

    Needs READ_CASE_TEXT. For a case in the actor's blind re-coding sample, the sheet
    holds no values, suggestions or documents (and nothing is logged, as no text is shown).
    """
    require(actor, Action.READ_CASE_TEXT)
    case = case_of_project(session, project_id, case_id=case_id)
    rows = ordered(ensure_variables(session, project_id, actor=actor.name))
    blind = is_blind(session, project_id=project_id, coder=actor.name,
                     case_external_id=case.external_id)
    sheet = ClassificationSheet(case.id, case.external_id, case.team, case.start_date,
                                case.end_date, case.closed, blind, [], None, [])
    if blind:
        sheet.variables = [VariableSheet(r.name, r.label, r.kind, r.description or "",
                                         _choices(r)) for r in rows]
        return sheet
    sheet.variables = variable_sheets(session, rows, case.id)
    sheet.report, sheet.other_documents = _documents(session, project_id, case.id,
                                                     sheet.variables)
    record_event(session, events.case_sheet_viewed(case_id=case.id, case_number=case.external_id,
                                                   role=actor.role.value),
                 actor=actor.name, project_id=project_id)
    return sheet

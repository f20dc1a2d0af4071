"""The text behind the numbers of an analysis: per case the evidence quotes of its values
and the coded passages of the codes involved (quote, date, attention point).

This is case text: callers check READ_CASE_TEXT and log that it was shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from effektspor.coding.derived import find_derived
from effektspor.services.analysis.frame import CODE_PREFIX, AnalysisFrame, Choice
from effektspor.services.coding.shared import code_occurrences, sentence_bounds
from effektspor.store import tables as t
from effektspor.store.tables_analysis import CONFIRMED, CaseVariable, ClassificationValue
from effektspor.store.tables_coding import Coding

PASSAGES_PER_CODE = 5


@dataclass(frozen=True)
class ValueEvidence:
    """Where a case's value comes from: the quote of a confirmed suggestion, or who set it."""

    variable: str
    value: str
    quote: str | None
    coder: str
    origin: str
    document: str | None
    on: date | None


@dataclass(frozen=True)
class Passage:
    """A coded passage of a diary note, in its sentence: ``before`` + ``quote`` + ``after``."""

    code: str
    quote: str
    on: date | None
    attention_point: str | None
    note_id: int | None
    before: str = ""
    after: str = ""


@dataclass
class CaseEvidence:
    """Everything shown under one case in a drill-down."""

    values: list[ValueEvidence] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    passages_not_shown: int = 0


def _value_evidence(session: Session, project_id: int, case_ids: dict[str, int],
                    choices: list[Choice], result: dict[str, CaseEvidence]) -> None:
    names = [c.variable for c in choices if c.variable]
    if not names or not case_ids:
        return
    by_db_id = {db_id: number for number, db_id in case_ids.items()}
    labels = dict(session.execute(select(t.DocumentType.code, t.DocumentType.label)
                                  .where(t.DocumentType.project_id == project_id)).all())
    query = (select(ClassificationValue, CaseVariable.label, t.Document.doc_type,
                    t.Document.doc_date)
             .join(CaseVariable, CaseVariable.id == ClassificationValue.variable_id)
             .outerjoin(t.Document, t.Document.id == ClassificationValue.source_document_id)
             .where(ClassificationValue.project_id == project_id,
                    ClassificationValue.status == CONFIRMED,
                    ClassificationValue.superseded_at.is_(None),
                    CaseVariable.name.in_(names),
                    ClassificationValue.case_id.in_(list(by_db_id)))
             .order_by(CaseVariable.position, CaseVariable.id))
    for value, label, doc_type, doc_date in session.execute(query):
        result[by_db_id[value.case_id]].values.append(ValueEvidence(
            label, value.value, value.evidence_quote, value.coder, value.origin,
            labels.get(doc_type, doc_type) if doc_type else None, doc_date))


def _descendants(frame: AnalysisFrame, code_id: str) -> list[str]:
    return [c.id for c in frame.codebook.codes
            if c.id == code_id or code_id in frame.codebook.ancestors(c.id)]


def _derived_pairs(session: Session, project_id: int, frame: AnalysisFrame, code_id: str,
                   cases: Iterable[str]) -> dict[str, list[tuple[int, int]]]:
    """Per case: the (note id, start) of the first code and of the code that followed it."""
    derived = next(d for d in frame.codebook.derived if d.id == code_id)
    wanted = set(cases)
    occurrences = [o for o in code_occurrences(session, project_id, frame.codebook)
                   if o.case in wanted]
    return {case: [(match.first.note_order, match.first.position),
                   (match.then.note_order, match.then.position)]
            for case, match in find_derived(occurrences, derived).items()}


def _coded_passages(session: Session, *, project_id: int, frame: AnalysisFrame, code_id: str,
                    cases: list[str], result: dict[str, CaseEvidence], limit: int) -> None:
    label = frame.label(CODE_PREFIX + code_id)
    query = (select(t.Case.external_id, Coding.note_id, Coding.start, Coding.end,
                    Coding.quote, t.Note.note_date, t.AttentionPoint.name, t.Note.text)
             .join(t.Note, t.Note.id == Coding.note_id)
             .join(t.Case, t.Case.id == t.Note.case_id)
             .outerjoin(t.AttentionPoint, t.AttentionPoint.id == t.Note.attention_point_id)
             .where(Coding.project_id == project_id, t.Case.external_id.in_(cases))
             .order_by(t.Case.external_id, t.Note.note_date, t.Note.id, Coding.start))
    steps: dict[tuple[int, int], str] = {}
    derived = next((d for d in frame.codebook.derived if d.id == code_id), None)
    if derived is not None:
        pairs = _derived_pairs(session, project_id, frame, code_id, cases)
        wanted = [key for keys in pairs.values() for key in keys]
        for first, then in pairs.values():
            steps[first] = f"{label}: {frame.label(CODE_PREFIX + derived.first).lower()}"
            steps[then] = f"{label}: derefter {frame.label(CODE_PREFIX + derived.then).lower()}"
        if not wanted:
            return
        query = query.where(tuple_(Coding.note_id, Coding.start).in_(wanted))
        limit = 2
    else:
        query = query.where(Coding.code_key.in_(_descendants(frame, code_id)))
    shown: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for case, note_id, start, end, quote, on, point, text in session.execute(query):
        if (note_id, start) in shown[case]:
            continue  # the same passage coded twice (e.g. by two rules)
        if len(shown[case]) >= limit:
            result[case].passages_not_shown += 1
            continue
        shown[case].add((note_id, start))
        first, last = sentence_bounds(text, start, end)
        in_text = text[start:end] == quote
        result[case].passages.append(Passage(
            steps.get((note_id, start), label), quote, on, point, note_id, text[first:start] if in_text else "",
            text[end:last] if in_text else ""))


def case_evidence(session: Session, *, project_id: int, frame: AnalysisFrame,
                  cases: list[str], choices: list[Choice],
                  per_code: int = PASSAGES_PER_CODE) -> dict[str, CaseEvidence]:
    """Per case number: evidence of the values of ``choices`` and the passages of their codes
    (only for cases where the code is present; at most ``per_code`` passages per code)."""
    result = {case: CaseEvidence() for case in cases}
    _value_evidence(session, project_id, {c: frame.case_ids[c] for c in cases}, choices, result)
    index = {case: i for i, case in enumerate(frame.table.case_ids)}
    for choice in choices:
        for code_id in choice.codes:
            column = frame.table.values.get(CODE_PREFIX + code_id, [])
            present = [case for case in cases if column and column[index[case]] == "ja"]
            if present:
                _coded_passages(session, project_id=project_id, frame=frame, code_id=code_id,
                                cases=present, result=result, limit=per_code)
    return result

"""Suggested classifications from the case documents, and their confirmation by a person.

Målopnåelse is suggested from the newest discharge report (udskrivningsrapport);
problemstilling and problemgrad from the grants and action plans (bevilling, handleplan).
A suggestion keeps its evidence quote, offsets and source document. It counts in the
analysis only once a person has confirmed it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import select

from effektspor.classification.outcome import suggest_outcome
from effektspor.classification.problems import suggest_problem_category, suggest_severity
from effektspor.domain import events
from effektspor.domain.errors import EffektsporError
from effektspor.domain.variables import OUTCOME, PROBLEM_CATEGORY, SEVERITY
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.classification.shared import (
    DISCHARGE_TYPES,
    current_values,
    ensure_variables,
)
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.store import tables as t
from effektspor.store.tables_analysis import (
    CONFIRMED,
    REJECTED,
    SUGGESTED,
    CaseVariable,
    ClassificationValue,
)

SUGGESTER = "effektspor (forslag)"
INTAKE_TYPES = ("bevilling", "handleplan")


@dataclass
class VariableSuggestionCount:
    """Counts for one variable in a suggestion run."""

    created: int = 0
    already_suggested: int = 0
    already_classified: int = 0
    no_document: int = 0
    no_evidence: int = 0


@dataclass
class SuggestionSummary:
    """What ``suggest_classifications`` did, per variable name."""

    cases: int
    per_variable: dict[str, VariableSuggestionCount] = field(default_factory=dict)

    @property
    def created(self) -> int:
        """All new suggestions."""
        return sum(c.created for c in self.per_variable.values())


def _doc_order(document: t.Document) -> tuple[date, int]:
    return (document.doc_date or date.min, document.id)


def _candidates(documents: list[t.Document]) -> dict[str, tuple]:
    """The best suggestion per variable for one case: (value, evidence, why, document)."""
    found: dict[str, tuple] = {}
    discharge = sorted((d for d in documents if d.doc_type in DISCHARGE_TYPES), key=_doc_order)
    for document in reversed(discharge):
        result = suggest_outcome(document.text)
        if result:
            found[OUTCOME.name] = (*result, document)
            break
    intake = sorted((d for d in documents if d.doc_type in INTAKE_TYPES), key=_doc_order)
    categories = [(r, d) for d in intake if (r := suggest_problem_category(d.text))]
    if categories:
        counts = Counter(r[0] for r, _ in categories)
        top = max(counts.values())
        result, document = next((r, d) for r, d in categories if counts[r[0]] == top)
        found[PROBLEM_CATEGORY.name] = (*result, document)
    severities = [(r, d) for d in intake if (r := suggest_severity(d.text))]
    if severities:
        result, document = min(severities, key=lambda rd: SEVERITY.rank(rd[0][0]))
        found[SEVERITY.name] = (*result, document)
    return found


def suggest_classifications(*, session: UnitOfWork, actor: Actor,
                            project_id: int) -> SuggestionSummary:
    """Suggest målopnåelse, problemstilling and problemgrad for every case with evidence.

    Cases that already have a confirmed value are left alone; an open suggestion with
    another value is superseded by the new one. One event logs the run.
    """
    require(actor, Action.CLASSIFY_CASES)
    sources = {OUTCOME.name: DISCHARGE_TYPES, PROBLEM_CATEGORY.name: INTAKE_TYPES,
               SEVERITY.name: INTAKE_TYPES}
    rows = ensure_variables(session, project_id, actor=actor.name)
    cases = list(session.scalars(select(t.Case).where(
        t.Case.project_id == project_id).order_by(t.Case.external_id)))
    documents: dict[int, list[t.Document]] = {}
    all_types = DISCHARGE_TYPES + INTAKE_TYPES
    for document in session.scalars(select(t.Document).join(t.Case).where(
            t.Case.project_id == project_id, t.Document.doc_type.in_(all_types))):
        documents.setdefault(document.case_id, []).append(document)
    pending = {(s.case_id, s.variable_id): s for s in session.scalars(
        select(ClassificationValue).where(
            ClassificationValue.project_id == project_id,
            ClassificationValue.status == SUGGESTED,
            ClassificationValue.superseded_at.is_(None)))}
    confirmed = current_values(session, project_id)
    summary = SuggestionSummary(cases=len(cases), per_variable={
        name: VariableSuggestionCount() for name in sources})
    created: list[list] = []
    for case in cases:
        case_documents = documents.get(case.id, [])
        found = _candidates(case_documents)
        for name, types in sources.items():
            count, variable = summary.per_variable[name], rows[name]
            if (case.id, variable.id) in confirmed:
                count.already_classified += 1
                continue
            if not any(d.doc_type in types for d in case_documents):
                count.no_document += 1
                continue
            if name not in found:
                count.no_evidence += 1
                continue
            value, evidence, why, document = found[name]
            old = pending.get((case.id, variable.id))
            if old is not None and old.value == value:
                count.already_suggested += 1
                continue
            new = ClassificationValue(
                project_id=project_id, case_id=case.id, variable_id=variable.id,
                value=value, coder=SUGGESTER, status=SUGGESTED, origin="forslag",
                evidence_quote=evidence.quote, evidence_start=evidence.start,
                evidence_end=evidence.end, source_document_id=document.id,
                explanation=why, created_by=actor.name)
            session.add(new)
            if old is not None:
                session.flush()
                old.superseded_at, old.superseded_by_id = datetime.now(UTC), new.id
            count.created += 1
            created.append([case.external_id, name, value])
    record_event(session, events.classifications_suggested(project_id=project_id,
                                                           suggestions=created),
                 actor=actor.name, project_id=project_id)
    session.flush()
    return summary


def list_suggestions(*, session: UnitOfWork, actor: Actor, project_id: int,
                     variable: str | None = None,
                     case_ids: list[str] | None = None) -> list[dict]:
    """Open suggestions with their evidence (case text): sag, variabel, værdi, citat,
    start, slut, dokument, dokument_id, begrundelse."""
    require(actor, Action.READ_CASE_TEXT)
    rows = ensure_variables(session, project_id, actor=actor.name)
    names = _names_by_id(rows)
    return [{"sag": case.external_id, "variabel": names[value.variable_id],
             "værdi": value.value, "citat": value.evidence_quote,
             "start": value.evidence_start, "slut": value.evidence_end,
             "dokument": document.title or document.doc_type if document else None,
             "dokument_id": value.source_document_id, "begrundelse": value.explanation}
            for value, case, document in _open_suggestions(session, project_id, rows,
                                                           variable, case_ids)]


def _names_by_id(rows: dict[str, CaseVariable]) -> dict[int, str]:
    return {row.id: name for name, row in rows.items()}


def _open_suggestions(session: UnitOfWork, project_id: int, rows: dict[str, CaseVariable],
                      variable: str | None, case_ids: list[str] | None) -> list[tuple]:
    query = (select(ClassificationValue, t.Case, t.Document)
             .join(t.Case, t.Case.id == ClassificationValue.case_id)
             .outerjoin(t.Document, t.Document.id == ClassificationValue.source_document_id)
             .where(ClassificationValue.project_id == project_id,
                    ClassificationValue.status == SUGGESTED,
                    ClassificationValue.superseded_at.is_(None))
             .order_by(t.Case.external_id, ClassificationValue.variable_id))
    if variable is not None:
        if variable not in rows:
            raise EffektsporError(f"Ukendt variabel '{variable}'. Kendte variable: "
                                  f"{', '.join(rows)}.")
        query = query.where(ClassificationValue.variable_id == rows[variable].id)
    if case_ids:
        query = query.where(t.Case.external_id.in_(case_ids))
    return [tuple(row) for row in session.execute(query)]


def confirm_suggestions(*, session: UnitOfWork, actor: Actor, project_id: int,
                        case_ids: list[str] | None = None, variable: str | None = None,
                        reject: bool = False) -> int:
    """Accept (or with ``reject`` reject) open suggestions; returns how many were decided.

    An accepted suggestion becomes the case's confirmed value with the actor as its coder,
    superseding any earlier value; a rejected one stays in the history as rejected.
    """
    require(actor, Action.CLASSIFY_CASES)
    rows = ensure_variables(session, project_id, actor=actor.name)
    found = _open_suggestions(session, project_id, rows, variable, case_ids)
    if case_ids:
        known = {case.external_id for _, case, _ in found}
        missing = [c for c in case_ids if c not in known]
        if missing:
            raise EffektsporError("Ingen åbne forslag for sag(er): " + ", ".join(missing))
    decided_at = datetime.now(UTC)
    confirmed = current_values(session, project_id)
    names = _names_by_id(rows)
    decided = []
    for suggestion, case, _document in found:
        decide_suggestion(suggestion, actor=actor.name, reject=reject, now=decided_at,
                          current=confirmed.get((case.id, suggestion.variable_id)))
        decided.append([case.external_id, names[suggestion.variable_id], suggestion.value])
    if decided:
        record_event(session, events.classification_suggestions_decided(
            decided=decided, rejected=reject, project_id=project_id),
            actor=actor.name, project_id=project_id)
    session.flush()
    return len(decided)


def decide_suggestion(suggestion: ClassificationValue, *, actor: str, now: datetime,
                      current: ClassificationValue | None, reject: bool = False) -> None:
    """Accept (or reject) one open suggestion in the caller's transaction.

    An accepted suggestion becomes the confirmed value with ``actor`` as its coder and
    supersedes ``current`` (the confirmed value so far, if any). No event is written here.
    """
    suggestion.decided_by, suggestion.decided_at = actor, now
    if reject:
        suggestion.status = REJECTED
        return
    if current is not None:
        current.superseded_at, current.superseded_by_id = now, suggestion.id
    suggestion.status, suggestion.coder = CONFIRMED, actor

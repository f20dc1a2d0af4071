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
from effektspor.domain.errors import EffektsporError
from effektspor.domain.variables import OUTCOME, PROBLEM_CATEGORY, SEVERITY
from effektspor.services.classification import current_values, ensure_variables
from effektspor.services.events import log_event
from effektspor.services.project import ProjectContext
from effektspor.store import tables as t
from effektspor.store.tables_analysis import CONFIRMED, REJECTED, SUGGESTED, ClassificationValue

SUGGESTER = "effektspor (forslag)"
DISCHARGE_TYPES = ("udskrivningsrapport",)
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


def suggest_classifications(project: ProjectContext, *, actor: str) -> SuggestionSummary:
    """Suggest målopnåelse, problemstilling and problemgrad for every case with evidence.

    Cases that already have a confirmed value are left alone; an open suggestion with
    another value is superseded by the new one. One event logs the run.
    """
    sources = {OUTCOME.name: DISCHARGE_TYPES, PROBLEM_CATEGORY.name: INTAKE_TYPES,
               SEVERITY.name: INTAKE_TYPES}
    with project.transaction() as session:
        rows = ensure_variables(session, project.project_id, actor=actor)
        cases = list(session.scalars(select(t.Case).where(
            t.Case.project_id == project.project_id).order_by(t.Case.external_id)))
        documents: dict[int, list[t.Document]] = {}
        all_types = DISCHARGE_TYPES + INTAKE_TYPES
        for document in session.scalars(select(t.Document).join(t.Case).where(
                t.Case.project_id == project.project_id, t.Document.doc_type.in_(all_types))):
            documents.setdefault(document.case_id, []).append(document)
        pending = {(s.case_id, s.variable_id): s for s in session.scalars(
            select(ClassificationValue).where(
                ClassificationValue.project_id == project.project_id,
                ClassificationValue.status == SUGGESTED,
                ClassificationValue.superseded_at.is_(None)))}
        confirmed = current_values(session, project.project_id)
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
                    project_id=project.project_id, case_id=case.id, variable_id=variable.id,
                    value=value, coder=SUGGESTER, status=SUGGESTED, origin="forslag",
                    evidence_quote=evidence.quote, evidence_start=evidence.start,
                    evidence_end=evidence.end, source_document_id=document.id,
                    explanation=why, created_by=actor)
                session.add(new)
                if old is not None:
                    session.flush()
                    old.superseded_at, old.superseded_by_id = datetime.now(UTC), new.id
                count.created += 1
                created.append([case.external_id, name, value])
        log_event(session, actor=actor, action="klassifikationer_foreslaaet",
                  project_id=project.project_id, object_type="projekt",
                  object_id=project.project_id, details={"forslag": created})
    return summary


def list_suggestions(project: ProjectContext, *, variable: str | None = None,
                     case_ids: list[str] | None = None) -> list[dict]:
    """Open suggestions with their evidence: sag, variabel, værdi, citat, dokument, begrundelse."""
    with project.transaction() as session:
        rows = ensure_variables(session, project.project_id, actor="system")
        result = []
        for value, case, document in _open_suggestions(session, project, rows, variable,
                                                       case_ids):
            result.append({"sag": case.external_id, "variabel": rows_by_id(rows)[value.variable_id],
                           "værdi": value.value, "citat": value.evidence_quote,
                           "start": value.evidence_start, "slut": value.evidence_end,
                           "dokument": document.title or document.doc_type if document else None,
                           "dokument_id": value.source_document_id,
                           "begrundelse": value.explanation})
        return result


def rows_by_id(rows: dict) -> dict[int, str]:
    """Variable names by row id."""
    return {row.id: name for name, row in rows.items()}


def _open_suggestions(session, project, rows, variable, case_ids):
    query = (select(ClassificationValue, t.Case, t.Document)
             .join(t.Case, t.Case.id == ClassificationValue.case_id)
             .outerjoin(t.Document, t.Document.id == ClassificationValue.source_document_id)
             .where(ClassificationValue.project_id == project.project_id,
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


def confirm_suggestions(project: ProjectContext, *, actor: str, case_ids: list[str] | None = None,
                        variable: str | None = None, reject: bool = False) -> int:
    """Accept (or with ``reject`` reject) open suggestions; returns how many were decided.

    An accepted suggestion becomes the case's confirmed value with ``actor`` as its coder,
    superseding any earlier value; a rejected one stays in the history as rejected.
    """
    with project.transaction() as session:
        rows = ensure_variables(session, project.project_id, actor=actor)
        found = _open_suggestions(session, project, rows, variable, case_ids)
        if case_ids:
            known = {case.external_id for _, case, _ in found}
            missing = [c for c in case_ids if c not in known]
            if missing:
                raise EffektsporError("Ingen åbne forslag for sag(er): " + ", ".join(missing))
        now = datetime.now(UTC)
        confirmed = current_values(session, project.project_id)
        decided = []
        for suggestion, case, _document in found:
            decide_suggestion(suggestion, actor=actor, reject=reject, now=now,
                              current=confirmed.get((case.id, suggestion.variable_id)))
            decided.append([case.external_id, rows_by_id(rows)[suggestion.variable_id],
                            suggestion.value])
        if decided:
            log_decisions(session, project_id=project.project_id, actor=actor, reject=reject,
                          decided=decided, object_type="projekt", object_id=project.project_id)
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


def log_decisions(session, *, project_id: int, actor: str, reject: bool, decided: list[list],
                  object_type: str, object_id: object, reason: str | None = None) -> None:
    """One event for decided suggestions, listed as [[sag, variabel, værdi], ...]."""
    details: dict = {"forslag": decided}
    if reason:
        details["begrundelse"] = reason
    log_event(session, actor=actor, action="forslag_afvist" if reject else "forslag_bekraeftet",
              project_id=project_id, object_type=object_type, object_id=object_id,
              details=details)

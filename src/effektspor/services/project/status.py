"""What a project holds: cases (closed per year), documents per type, notes, import runs
(the CLI's ``status``; the web app's overview is ``services/cases/overview.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from effektspor.services.authorization import Action, Actor, require
from effektspor.services.contract import UnitOfWork
from effektspor.store import tables as t


@dataclass
class ImportRunInfo:
    """One import run as shown in the status."""

    id: int
    started_at: datetime
    actor: str
    sources: list[str]
    notes: int
    documents: int


@dataclass
class ProjectStatus:
    """Counts of a project's contents."""

    name: str
    cases: int = 0
    open_cases: int = 0
    closed_by_year: dict[int, int] = field(default_factory=dict)
    documents_by_type: dict[str, int] = field(default_factory=dict)
    notes: int = 0
    grants: int = 0
    persons: int = 0
    import_runs: list[ImportRunInfo] = field(default_factory=list)


def project_status(*, session: UnitOfWork, actor: Actor, project_id: int) -> ProjectStatus:
    """Count what the project holds (read only; needs VIEW_OVERVIEW)."""
    require(actor, Action.VIEW_OVERVIEW)
    pid = project_id
    status = ProjectStatus(session.scalar(select(t.Project.name).where(t.Project.id == pid)))
    case_ids = select(t.Case.id).where(t.Case.project_id == pid)
    for closed, year, count in session.execute(
            select(t.Case.closed, t.Case.closed_year, func.count())
            .where(t.Case.project_id == pid)
            .group_by(t.Case.closed, t.Case.closed_year)):
        status.cases += count
        if closed and year is not None:
            status.closed_by_year[year] = status.closed_by_year.get(year, 0) + count
        elif not closed:
            status.open_cases += count
    labels = dict(session.execute(select(t.DocumentType.code, t.DocumentType.label)
                                  .where(t.DocumentType.project_id == pid)).all())
    order = list(labels)
    rows = session.execute(select(t.Document.doc_type, func.count())
                           .where(t.Document.case_id.in_(case_ids))
                           .group_by(t.Document.doc_type)).all()
    for code, count in sorted(rows, key=lambda r: order.index(r[0]) if r[0] in order
                              else len(order)):
        status.documents_by_type[labels.get(code, code)] = count
    for table, attribute in ((t.Note, "notes"), (t.Grant, "grants"), (t.Person, "persons")):
        count = session.scalar(select(func.count()).select_from(table)
                               .where(table.case_id.in_(case_ids)))
        setattr(status, attribute, count or 0)
    for run in session.scalars(select(t.ImportRun).where(t.ImportRun.project_id == pid)
                               .order_by(t.ImportRun.id)):
        summary = run.summary or {}
        status.import_runs.append(ImportRunInfo(
            run.id, run.started_at, run.actor, list(run.sources or []),
            int(summary.get("notes", 0)), int(summary.get("documents", 0))))
    return status

"""The project at a glance: counts describing its material (needs VIEW_OVERVIEW)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select

from effektspor.domain.errors import EffektsporError
from effektspor.domain.formatting import percent_half_up
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.contract import UnitOfWork
from effektspor.store import tables as t


@dataclass(frozen=True)
class Share:
    """How many of ``total`` have a property (e.g. pseudonymised)."""

    done: int
    total: int

    @property
    def percent(self) -> int | None:
        """Whole-number percentage, rounded half up; None when there is nothing."""
        return percent_half_up(self.done, self.total)


@dataclass(frozen=True)
class ImportRunSummary:
    """One import run as shown in the overview."""

    id: int
    started_at: datetime
    actor: str
    sources: list
    summary: dict


@dataclass
class ProjectOverview:
    """Counts describing a project's material (the documentation analysis at a glance)."""

    name: str
    description: str | None
    cases: int
    closed: int
    closed_per_year: list[tuple[int, int]]
    teams: list[tuple[str, int]]
    documents_per_type: list[tuple[str, str, int]]
    documents: int
    notes: int
    import_runs: int
    recent_imports: list[ImportRunSummary]
    notes_pseudonymised: Share
    documents_pseudonymised: Share


def _share(session: UnitOfWork, table, project_id: int) -> Share:
    done, total = session.execute(
        select(func.coalesce(func.sum(case((table.pseudonymised.is_(True), 1), else_=0)), 0),
               func.count(table.id))
        .join(t.Case, t.Case.id == table.case_id)
        .where(t.Case.project_id == project_id)).one()
    return Share(int(done), int(total))


def project_overview(*, session: UnitOfWork, actor: Actor,
                     project_id: int) -> ProjectOverview:
    """Counts of cases, closings per year, documents per type, notes, imports, pseudonyms."""
    require(actor, Action.VIEW_OVERVIEW)
    project = session.get(t.Project, project_id)
    if project is None:
        raise EffektsporError(f"Projektet med id {project_id} findes ikke.")
    in_project = t.Case.project_id == project_id
    cases, closed = session.execute(
        select(func.count(t.Case.id),
               func.coalesce(func.sum(case((t.Case.closed.is_(True), 1), else_=0)), 0))
        .where(in_project)).one()
    per_year = session.execute(
        select(t.Case.closed_year, func.count(t.Case.id))
        .where(in_project, t.Case.closed_year.is_not(None))
        .group_by(t.Case.closed_year).order_by(t.Case.closed_year)).all()
    teams = session.execute(
        select(func.coalesce(t.Case.team, ""), func.count(t.Case.id)).where(in_project)
        .group_by(t.Case.team).order_by(func.coalesce(t.Case.team, ""))).all()
    per_type = dict(session.execute(
        select(t.Document.doc_type, func.count(t.Document.id))
        .join(t.Case, t.Case.id == t.Document.case_id).where(in_project)
        .group_by(t.Document.doc_type)).all())
    labels = session.execute(
        select(t.DocumentType.code, t.DocumentType.label)
        .where(t.DocumentType.project_id == project_id)
        .order_by(t.DocumentType.position)).all()
    documents_per_type = [(code, label, per_type.pop(code, 0)) for code, label in labels]
    documents_per_type += [(code, code, n) for code, n in sorted(per_type.items())]
    runs = session.scalar(select(func.count(t.ImportRun.id))
                          .where(t.ImportRun.project_id == project_id)) or 0
    recent = session.scalars(select(t.ImportRun).where(t.ImportRun.project_id == project_id)
                             .order_by(t.ImportRun.id.desc()).limit(5))
    notes = _share(session, t.Note, project_id)
    documents = _share(session, t.Document, project_id)
    return ProjectOverview(
        name=project.name, description=project.description, cases=int(cases),
        closed=int(closed), closed_per_year=[(int(y), int(n)) for y, n in per_year],
        teams=[(team, int(n)) for team, n in teams],
        documents_per_type=documents_per_type, documents=documents.total, notes=notes.total,
        import_runs=int(runs),
        recent_imports=[ImportRunSummary(r.id, r.started_at, r.actor, r.sources, r.summary)
                        for r in recent],
        notes_pseudonymised=notes, documents_pseudonymised=documents)

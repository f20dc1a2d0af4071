"""Synthetic cases and notes for the coding tests (made up in the test, never real), and
short ways to code, auto-code and list codings through the services."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from effektspor.domain.text import content_hash
from effektspor.services.authorization import Actor, Role
from effektspor.services.coding import codings
from effektspor.services.coding.autocoding import AutocodeSummary, autocode_project
from effektspor.services.contract import unit_of_work
from effektspor.services.project import ProjectContext
from effektspor.store import tables as t


def add_case_with_notes(project: ProjectContext, external_id: str,
                        notes: list[tuple[date, str, str]], team: str = "Familieværkstedet",
                        attributes: dict | None = None) -> list[int]:
    """Add a case with (date, attention point, text) notes; returns the note ids."""
    with project.transaction() as session:
        case = t.Case(project_id=project.project_id, external_id=external_id, team=team,
                      attributes=attributes or {})
        session.add(case)
        session.flush()
        ids = []
        for when, point_name, text in notes:
            point_id = session.scalar(
                select(t.AttentionPoint.id)
                .join(t.AttentionPointScheme,
                      t.AttentionPointScheme.id == t.AttentionPoint.scheme_id)
                .where(t.AttentionPointScheme.project_id == project.project_id,
                       t.AttentionPoint.name == point_name))
            note = t.Note(case_id=case.id, note_date=when, attention_point_id=point_id,
                          text=text, content_hash=content_hash(external_id, str(when), text))
            session.add(note)
            session.flush()
            ids.append(note.id)
        return ids


ANALYST = Actor("analytiker", Role.ANALYST)


def code_passage(project: ProjectContext, *, coder: str, note_id: int, start: int, end: int,
                 code: str, memo: str | None = None) -> int:
    """A coding by the koder ``coder``, in its own unit of work; returns its id."""
    with unit_of_work(project) as session:
        return codings.add_coding(session=session, actor=Actor(coder, Role.CODER),
                                  project_id=project.project_id, note_id=note_id, start=start,
                                  end=end, code=code, memo=memo).coding_id


def autocode(project: ProjectContext, **options) -> AutocodeSummary:
    """Auto-code the project as an analytiker (one unit of work)."""
    with unit_of_work(project) as session:
        return autocode_project(session=session, actor=ANALYST, project_id=project.project_id,
                                **options)


def codings_of(project: ProjectContext, **filters) -> list[dict]:
    """The project's codings as plain dicts (``list_codings``, read as an analytiker)."""
    with unit_of_work(project) as session:
        return codings.list_codings(session=session, actor=ANALYST,
                                    project_id=project.project_id, **filters)

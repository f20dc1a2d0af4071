"""Synthetic cases and notes for the coding tests (made up in the test, never real)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from effektspor.domain.text import content_hash
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

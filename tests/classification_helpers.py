"""Synthetic cases and documents for the classification and reliability tests."""

from __future__ import annotations

from sqlalchemy import func, select

from effektspor.domain.text import content_hash
from effektspor.services.authorization import Actor, Role
from effektspor.services.classification import values
from effektspor.services.contract import unit_of_work
from effektspor.store import tables as t
from effektspor.store.tables_analysis import ClassificationValue


def add_cases(project, cases: dict[str, str | None],
              documents: dict[str, list[tuple[str, str]]] | None = None) -> None:
    """Add cases ``{external_id: team}`` and documents ``{external_id: [(type, text)]}``."""
    documents = documents or {}
    with project.transaction() as session:
        for external_id, team in cases.items():
            case = t.Case(project_id=project.project_id, external_id=external_id, team=team)
            session.add(case)
            session.flush()
            for doc_type, text in documents.get(external_id, []):
                session.add(t.Document(case_id=case.id, doc_type=doc_type, text=text,
                                       content_hash=content_hash(external_id, doc_type, text)))


def count_values(project) -> int:
    """How many classification values (of any status) are stored."""
    with project.sessions() as session:
        return session.scalar(select(func.count()).select_from(ClassificationValue))


def count_events(project, action: str) -> int:
    """How many events with ``action`` are in the log."""
    with project.sessions() as session:
        return session.scalar(select(func.count()).select_from(t.Event)
                              .where(t.Event.action == action))


def person(actor: str | Actor) -> Actor:
    """``actor`` as an :class:`Actor` (a name: the administrator of that name)."""
    return actor if isinstance(actor, Actor) else Actor(actor, Role.ADMINISTRATOR)


def call(project, use_case, *, actor: str | Actor = "test", **arguments):
    """Call a classification use case of ``project`` in a unit of work of its own (as the
    CLI does), as ``actor``."""
    with unit_of_work(project) as session:
        return use_case(session=session, actor=person(actor), project_id=project.project_id,
                        **arguments)


def classify(project, case: str, variable: str, value: str, *, coder: str | Actor):
    """Set ``case``'s value of ``variable`` as decided by ``coder`` (``values.set_value``)."""
    return call(project, values.set_value, actor=coder, case_external_id=case,
                variable=variable, value=value)

"""Core tables: projects, cases and their material, persons, the event log.

Other areas keep their tables in their own modules (``tables_*.py``) on the same
``Base``; ``effektspor.store.models`` imports them all so metadata is complete.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from effektspor.store.base import Base, utcnow


class Project(Base):
    """One analysis workspace, e.g. "Familiecentret, afsluttede sager 2019"."""

    __tablename__ = "projects"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    settings: Mapped[dict] = mapped_column(default=dict)


class DocumentType(Base):
    """A document type allowed in a project (configurable list)."""

    __tablename__ = "document_types"
    __table_args__ = (UniqueConstraint("project_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)


class AttentionPointScheme(Base):
    """A dated version of the attention points (opmærksomhedspunkter) of a project."""

    __tablename__ = "attention_point_schemes"
    __table_args__ = (UniqueConstraint("project_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    version: Mapped[str] = mapped_column(String(40))
    valid_from: Mapped[date] = mapped_column(Date)
    points: Mapped[list[AttentionPoint]] = relationship(
        back_populates="scheme", order_by="AttentionPoint.position", cascade="all, delete-orphan"
    )


class AttentionPoint(Base):
    """One attention point within a scheme."""

    __tablename__ = "attention_points"
    __table_args__ = (UniqueConstraint("scheme_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(
        ForeignKey("attention_point_schemes.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    scheme: Mapped[AttentionPointScheme] = relationship(back_populates="points")


class Case(Base):
    """A case (sag): one child's or family's course, identified by the source's case id."""

    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("project_id", "external_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    external_id: Mapped[str] = mapped_column(String(100))
    team: Mapped[str | None] = mapped_column(String(120), index=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_year: Mapped[int | None] = mapped_column(Integer, index=True)
    attributes: Mapped[dict] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Document(Base):
    """A document of a case; ``text`` is the working (after import: original) text."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("case_id", "content_hash"),
                      Index("ix_documents_case_type", "case_id", "doc_type"))
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    doc_type: Mapped[str] = mapped_column(String(60))
    doc_date: Mapped[date | None] = mapped_column(Date)
    title: Mapped[str | None] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(200))
    source_file: Mapped[str | None] = mapped_column(String(500))
    content_hash: Mapped[str] = mapped_column(String(32))
    pseudonymised: Mapped[bool] = mapped_column(Boolean, default=False)
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_runs.id"))


class Note(Base):
    """A diary note (dagbogsnotat) under an attention point of a scheme."""

    __tablename__ = "notes"
    __table_args__ = (UniqueConstraint("case_id", "content_hash"),
                      Index("ix_notes_case_date", "case_id", "note_date"))
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    note_date: Mapped[date] = mapped_column(Date)
    attention_point_id: Mapped[int] = mapped_column(ForeignKey("attention_points.id"),
                                                    index=True)
    author_role: Mapped[str | None] = mapped_column(String(60))
    author: Mapped[str | None] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(200))
    source_file: Mapped[str | None] = mapped_column(String(500))
    source_line: Mapped[int | None] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(32))
    pseudonymised: Mapped[bool] = mapped_column(Boolean, default=False)
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_runs.id"))


class Grant(Base):
    """A grant (bevilling) of a measure."""

    __tablename__ = "grants"
    __table_args__ = (UniqueConstraint("case_id", "content_hash"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    legal_basis: Mapped[str | None] = mapped_column(String(120))
    intervention: Mapped[str | None] = mapped_column(String(300))
    external_id: Mapped[str | None] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(32))
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_runs.id"))


class Person(Base):
    """A person known in a case. Identifying; kept apart, used only by pseudonymisation."""

    __tablename__ = "persons"
    __table_args__ = (UniqueConstraint("case_id", "content_hash"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    cpr: Mapped[str | None] = mapped_column(String(20))
    content_hash: Mapped[str] = mapped_column(String(32))
    #: True once the person has been moved to the key file (name is the pseudonym, no CPR,
    #: ``content_hash`` keyed); set in the same transaction as the texts.
    pseudonymised: Mapped[bool] = mapped_column(Boolean, default=False)


class ImportRun(Base):
    """One run of ``effektspor importer``: what was read and what came of it."""

    __tablename__ = "import_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    sources: Mapped[list] = mapped_column(default=list)
    summary: Mapped[dict] = mapped_column(default=dict)


class Event(Base):
    """Append-only event log: who did what, when (GDPR audit trail).

    Database triggers (see the initial migration) refuse UPDATE and DELETE.
    """

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # No foreign key: the log outlives what it describes and is never updated.
    project_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str | None] = mapped_column(String(60))
    object_id: Mapped[str | None] = mapped_column(String(100))
    details: Mapped[dict] = mapped_column(default=dict)

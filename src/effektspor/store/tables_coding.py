"""Tables of the coding area: codebooks, codes, codings, suggestions and their models.

A coding points at a note (or a document) by code-point offsets and keeps its quote,
so it can be re-anchored if the text is ever re-normalised. Machine codings carry the
rule and codebook version that produced them; human codings the coder's name.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from effektspor.store.base import Base, utcnow

MACHINE_CODER = "maskine"


class Codebook(Base):
    """A version of a codebook loaded into a project (the YAML text is kept as it was)."""

    __tablename__ = "codebooks"
    __table_args__ = (UniqueConstraint("project_id", "name", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(60))
    source_text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120))


class Code(Base):
    """A code of a codebook version (``key`` is the codebook's id, e.g. negativ_alliance)."""

    __tablename__ = "codes"
    __table_args__ = (UniqueConstraint("codebook_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    codebook_id: Mapped[int] = mapped_column(ForeignKey("codebooks.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    parent_key: Mapped[str | None] = mapped_column(String(100))
    definition: Mapped[str | None] = mapped_column(Text)
    colour: Mapped[str | None] = mapped_column(String(7))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Coding(Base):
    """A coded passage of a note or document, by the machine or a named person."""

    __tablename__ = "codings"
    __table_args__ = (Index("ix_codings_project_code", "project_id", "code_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    note_id: Mapped[int | None] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"),
                                                index=True)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text)
    code_key: Mapped[str] = mapped_column(String(100))
    coder: Mapped[str] = mapped_column(String(120), index=True)
    rule_id: Mapped[str | None] = mapped_column(String(100))
    codebook_id: Mapped[int | None] = mapped_column(ForeignKey("codebooks.id"))
    codebook_version: Mapped[str | None] = mapped_column(String(60))
    suggestion_id: Mapped[int | None] = mapped_column(Integer)
    memo: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SuggestionModel(Base):
    """Parameters of a trained suggestion model (JSON, not a pickle) and its provenance."""

    __tablename__ = "suggestion_models"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    codebook_version: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120))
    parameters: Mapped[dict] = mapped_column(default=dict)
    training: Mapped[dict] = mapped_column(default=dict)
    quality: Mapped[dict] = mapped_column(default=dict)


class Suggestion(Base):
    """A proposed code for a note; only a person's acceptance turns it into a coding."""

    __tablename__ = "suggestions"
    __table_args__ = (Index("ix_suggestions_project_status", "project_id", "status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), index=True)
    code_key: Mapped[str] = mapped_column(String(100))
    confidence: Mapped[float] = mapped_column(Float)
    model_id: Mapped[int | None] = mapped_column(
        ForeignKey("suggestion_models.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default="foreslået")
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None] = mapped_column()
    coding_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

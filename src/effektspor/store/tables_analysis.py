"""Tables of case classification and reliability (rekodning).

* ``case_variables`` – the variables declared in a project (the three standard ones and
  the municipality's own), with ordered allowed values and criteria.
* ``classification_values`` – every value ever given to a case: suggested, confirmed or
  rejected, by whom, with the evidence quote. A new value supersedes the current one
  (``superseded_at``/``superseded_by_id``); rows are never deleted, so history is kept.
* ``recoding_rounds``/``recoding_values`` – a blind re-coding sample and the second
  coder's values; ``recoding_resolutions`` – how each disagreement was settled.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from effektspor.store.base import Base, utcnow

#: Status values of a classification value.
SUGGESTED = "suggested"
CONFIRMED = "confirmed"
REJECTED = "rejected"


class CaseVariable(Base):
    """A variable declared in a project (målopnåelse, problemstilling, bopæl, ...)."""

    __tablename__ = "case_variables"
    __table_args__ = (UniqueConstraint("project_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    name: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    allowed_values: Mapped[list] = mapped_column(default=list)
    criteria: Mapped[dict] = mapped_column(default=dict)
    description: Mapped[str] = mapped_column(Text, default="")
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClassificationValue(Base):
    """One value of one variable for one case, with coder, status and evidence."""

    __tablename__ = "classification_values"
    __table_args__ = (Index("ix_classification_values_case_variable", "case_id", "variable_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    variable_id: Mapped[int] = mapped_column(ForeignKey("case_variables.id", ondelete="CASCADE"))
    value: Mapped[str] = mapped_column(String(200))
    coder: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(20), index=True)
    origin: Mapped[str] = mapped_column(String(40), default="manuel")
    evidence_quote: Mapped[str | None] = mapped_column(Text)
    evidence_start: Mapped[int | None] = mapped_column(Integer)
    evidence_end: Mapped[int | None] = mapped_column(Integer)
    source_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"))
    explanation: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None] = mapped_column()
    superseded_at: Mapped[datetime | None] = mapped_column()
    superseded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("classification_values.id", ondelete="SET NULL"))


class RecodingRound(Base):
    """A re-coding round: the sample, the variables and the (blind) second coder."""

    __tablename__ = "recoding_rounds"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    coder: Mapped[str] = mapped_column(String(120))
    blind: Mapped[bool] = mapped_column(Boolean, default=True)
    seed: Mapped[int] = mapped_column(Integer)
    teams: Mapped[list] = mapped_column(default=list)
    n_random: Mapped[int] = mapped_column(Integer, default=0)
    variables: Mapped[list] = mapped_column(default=list)
    case_ids: Mapped[list] = mapped_column(default=list)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecodingValue(Base):
    """A value given by the second coder in a round; a re-read sheet supersedes it."""

    __tablename__ = "recoding_values"
    __table_args__ = (Index("ix_recoding_values_round_case", "round_id", "case_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("recoding_rounds.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    variable_id: Mapped[int] = mapped_column(ForeignKey("case_variables.id", ondelete="CASCADE"))
    value: Mapped[str] = mapped_column(String(200))
    coder: Mapped[str] = mapped_column(String(120))
    source_file: Mapped[str | None] = mapped_column(String(500))
    source_line: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    superseded_at: Mapped[datetime | None] = mapped_column()


class RecodingResolution(Base):
    """How a disagreement was settled: both values, the final one, who, when and why."""

    __tablename__ = "recoding_resolutions"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("recoding_rounds.id", ondelete="CASCADE"),
                                          index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    variable_id: Mapped[int] = mapped_column(ForeignKey("case_variables.id", ondelete="CASCADE"))
    first_value: Mapped[str | None] = mapped_column(String(200))
    first_coder: Mapped[str | None] = mapped_column(String(120))
    second_value: Mapped[str | None] = mapped_column(String(200))
    final_value: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    resolved_by: Mapped[str] = mapped_column(String(120))
    resolved_at: Mapped[datetime] = mapped_column(default=utcnow)
    classification_value_id: Mapped[int | None] = mapped_column(
        ForeignKey("classification_values.id", ondelete="SET NULL"))

"""Tables of the privacy area: pseudonymisation runs and their review list.

Nothing here holds an original identifier: the mapping back lives only in the encrypted
key file outside the database. A review row keeps the text of a span only when it was left
in place (below the threshold), i.e. when that text is in the working text anyway.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from effektspor.store.base import Base, utcnow


class PseudonymisationRun(Base):
    """One run of pseudonymisation over a project."""

    __tablename__ = "pseudonymisation_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    style: Mapped[str] = mapped_column(String(20))
    threshold: Mapped[float] = mapped_column(Float)
    vault_id: Mapped[str] = mapped_column(String(40))
    kept_originals: Mapped[bool] = mapped_column(default=False)
    summary: Mapped[dict] = mapped_column(default=dict)


class PseudonymisationReview(Base):
    """A decision close to the threshold, for the analyst to review."""

    __tablename__ = "pseudonymisation_review"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("pseudonymisation_runs.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(20))
    confidence: Mapped[float] = mapped_column(Float)
    replaced: Mapped[bool] = mapped_column(default=False)
    shown_text: Mapped[str] = mapped_column(String(300))

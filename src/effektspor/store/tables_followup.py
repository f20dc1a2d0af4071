"""Tables of the daily follow-up: measures, goals (with their revisions), measurements,
follow-ups and the assessment of each goal at a follow-up (migration ``0008_followup``).

They hang on the same ``cases`` as the yearly analysis, so a case closed in a year
brings its goals and measurements into that year's effect analysis. No CPR number or
name is stored here: the case number links to the municipality's own system. The free
text (a goal's wording and evidence, a follow-up's note and justification) can still
hold names; ``pseudonymised`` marks rows whose text went through the pseudonymiser.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from effektspor.store.base import Base, utcnow


class Measure(Base):
    """A measure (indsats) of a case: kind, paragraph, provider, period, who has it."""

    __tablename__ = "followup_measures"
    __table_args__ = (UniqueConstraint("case_id", "external_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                         index=True)
    #: The measure's id in the municipality's system (``indsats`` in the CSV).
    external_id: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(60))
    legal_paragraph: Mapped[str] = mapped_column(String(120))
    provider: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date)
    planned_end: Mapped[date | None] = mapped_column(Date)
    actual_end: Mapped[date | None] = mapped_column(Date)
    #: The end of an afdækning/undersøgelse running in parallel (§95, stk. 2).
    investigation_end: Mapped[date | None] = mapped_column(Date)
    caseworker: Mapped[str | None] = mapped_column(String(120), index=True)
    team: Mapped[str | None] = mapped_column(String(120), index=True)
    risk_level: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120))


class Goal(Base):
    """A goal (mål) of a case: the current version; earlier versions in revisions."""

    __tablename__ = "followup_goals"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                         index=True)
    measure_id: Mapped[int | None] = mapped_column(
        ForeignKey("followup_measures.id", ondelete="SET NULL"), index=True)
    life_area: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))  # progression | fastholdelse
    text: Mapped[str] = mapped_column(Text)
    priority: Mapped[int] = mapped_column(Integer, default=1)
    target_date: Mapped[date | None] = mapped_column(Date)
    #: "How we will know": the measurement or observation that shows the goal is reached.
    evidence: Mapped[str | None] = mapped_column(Text)
    made_with: Mapped[list] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(20), default="aktiv")
    version: Mapped[int] = mapped_column(Integer, default=1)
    pseudonymised: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120))


class GoalRevision(Base):
    """A goal as it was before a revision (the history of a goal)."""

    __tablename__ = "followup_goal_revisions"
    __table_args__ = (UniqueConstraint("goal_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("followup_goals.id", ondelete="CASCADE"),
                                         index=True)
    version: Mapped[int] = mapped_column(Integer)
    life_area: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    priority: Mapped[int] = mapped_column(Integer)
    target_date: Mapped[date | None] = mapped_column(Date)
    evidence: Mapped[str | None] = mapped_column(Text)
    made_with: Mapped[list] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(20))
    valid_from: Mapped[datetime] = mapped_column()
    revised_at: Mapped[datetime] = mapped_column(default=utcnow)
    revised_by: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str | None] = mapped_column(Text)
    pseudonymised: Mapped[bool] = mapped_column(Boolean, default=False)


class Measurement(Base):
    """A measurement (måling) of a case with an instrument, by an informant, on a date."""

    __tablename__ = "followup_measurements"
    __table_args__ = (Index("ix_followup_measurements_case_instrument", "case_id",
                            "instrument"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    goal_id: Mapped[int | None] = mapped_column(
        ForeignKey("followup_goals.id", ondelete="SET NULL"), index=True)
    instrument: Mapped[str] = mapped_column(String(60))
    instrument_version: Mapped[str] = mapped_column(String(20))
    measured_on: Mapped[date] = mapped_column(Date)
    informant: Mapped[str] = mapped_column(String(40))
    #: Score per subscale (``{"total": 6}`` for a one-item scale).
    scores: Mapped[dict] = mapped_column(default=dict)
    total: Mapped[float | None] = mapped_column(Float)
    #: The level expected at the next follow-up (seed 004: expectation vs. measurement).
    expected_next: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120))


class FollowUp(Base):
    """A follow-up (opfølgning) of a measure: its due date and the rule behind it, when
    it was held, with whom, the decision, and the schedule decided for the future."""

    __tablename__ = "followup_follow_ups"
    __table_args__ = (UniqueConstraint("measure_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                         index=True)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("followup_measures.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[date | None] = mapped_column(Date)
    rule: Mapped[str | None] = mapped_column(String(300))
    statutory_deadline: Mapped[date | None] = mapped_column(Date)
    justification: Mapped[str | None] = mapped_column(Text)
    held_on: Mapped[date] = mapped_column(Date)
    participants: Mapped[list] = mapped_column(default=list)
    #: KL's terms: fortsættes, ændres_inden_for_rammen, afsluttes, revisitation.
    decision: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    #: The schedule decided from here on (§95, stk. 3), e.g. "3 måneder".
    schedule_interval: Mapped[str | None] = mapped_column(String(40))
    schedule_justification: Mapped[str | None] = mapped_column(Text)
    schedule_told_family_on: Mapped[date | None] = mapped_column(Date)
    pseudonymised: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120))


class GoalAssessment(Base):
    """The assessment of one goal at a follow-up (nået, fremgang, uændret, tilbagegang)."""

    __tablename__ = "followup_goal_assessments"
    __table_args__ = (UniqueConstraint("follow_up_id", "goal_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    follow_up_id: Mapped[int] = mapped_column(
        ForeignKey("followup_follow_ups.id", ondelete="CASCADE"))
    goal_id: Mapped[int] = mapped_column(ForeignKey("followup_goals.id", ondelete="CASCADE"),
                                         index=True)
    assessment: Mapped[str] = mapped_column(String(20))
    sentence: Mapped[str | None] = mapped_column(Text)
    pseudonymised: Mapped[bool] = mapped_column(Boolean, default=False)

"""Building blocks of the follow-up area that services use inside their own use case:
the case a record belongs to, the project's vocabularies and rule set, a measure's
calendar from its stored follow-ups, and the free text still to be pseudonymised.

They take the caller's session and no actor: the calling use case has checked its
actor. The front ends call the area's use cases instead (an import-linter contract
keeps ``cli`` and ``web`` from importing this module).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from effektspor.domain.errors import EffektsporError
from effektspor.domain.followup import (
    LIFE_AREAS,
    MEASURE_KINDS,
    WITHHELD_TEXT,
    DecidedSchedule,
    Instrument,
    MeasureFacts,
)
from effektspor.followup.calendar import MeasureCalendar, follow_up_calendar
from effektspor.followup.instruments import builtin_instruments, read_instrument
from effektspor.followup.rulesets import RuleSet, load_rule_set
from effektspor.store import tables as t
from effektspor.store.tables_followup import (
    FollowUp,
    Goal,
    GoalAssessment,
    GoalRevision,
    Measure,
)

#: Keys of the project's settings (``projects.settings``, JSON) used by the follow-up.
RULE_SET_SETTING = "opfølgning_regelsæt"
KINDS_SETTING = "opfølgning_indsatstyper"   # {"key": "paragraph", ...}: the project's own
LIFE_AREAS_SETTING = "opfølgning_livsområder"  # a list replacing the default life areas
INSTRUMENTS_SETTING = "opfølgning_instrumenter"  # {"id": "YAML text", ...}: the project's own
DEFAULT_RULE_SET = "barnets-lov"


def project_settings(session: Session, project_id: int) -> dict:
    """The project's stored settings (an empty dict when none)."""
    project = session.get(t.Project, project_id)
    if project is None:
        raise EffektsporError(f"Projekt {project_id} findes ikke.")
    return dict(project.settings or {})


def measure_kinds(session: Session, project_id: int) -> dict[str, str]:
    """Measure kind → its default legal paragraph: the built-in kinds and the project's."""
    kinds = {key: kind.paragraph for key, kind in MEASURE_KINDS.items()}
    extra = project_settings(session, project_id).get(KINDS_SETTING) or {}
    if isinstance(extra, dict):
        kinds.update({str(key): str(value) for key, value in extra.items()})
    return kinds


def life_areas(session: Session, project_id: int) -> tuple[str, ...]:
    """The project's life areas (default: the areas behind the attention points)."""
    own = project_settings(session, project_id).get(LIFE_AREAS_SETTING)
    if isinstance(own, list) and own:
        return tuple(str(area) for area in own)
    return LIFE_AREAS


def project_instruments(session: Session, project_id: int) -> dict[str, Instrument]:
    """The built-in instruments and the project's own definitions (stored as YAML text)."""
    instruments = builtin_instruments()
    own = project_settings(session, project_id).get(INSTRUMENTS_SETTING) or {}
    for key, text in sorted(own.items()) if isinstance(own, dict) else ():
        instruments[key] = read_instrument(text, source=f"{key}.yaml")
    return instruments


def project_rule_set(session: Session, project_id: int,
                     name_or_path: str | Path | None = None) -> RuleSet:
    """The rule set named (or the file given), else the project's, else ``barnets-lov``."""
    chosen = name_or_path or project_settings(session, project_id).get(RULE_SET_SETTING)
    extra = tuple(key for key in measure_kinds(session, project_id) if key not in MEASURE_KINDS)
    return load_rule_set(chosen or DEFAULT_RULE_SET, extra_kinds=extra)


def case_by_number(session: Session, project_id: int, external_id: str, *,
                   team: str | None = None, create: bool = False) -> t.Case | None:
    """The project's case with case number ``external_id``; with ``create`` a new, open
    case is added when there is none (a follow-up case the journal import has not
    brought yet)."""
    case = session.scalar(select(t.Case).where(t.Case.project_id == project_id,
                                               t.Case.external_id == external_id))
    if case is None and create:
        case = t.Case(project_id=project_id, external_id=external_id, team=team,
                      closed=False, attributes={"oprettet_af": "opfølgning"})
        session.add(case)
        session.flush()
    return case


def measure_facts(measure: Measure, case_number: str) -> MeasureFacts:
    """What the calendar needs of a stored measure."""
    return MeasureFacts(case_number, measure.external_id, measure.kind, measure.start_date,
                        measure.investigation_end, measure.risk_level)


def held_follow_ups(session: Session, measure_id: int) -> list[FollowUp]:
    """The measure's held follow-ups in order of their number."""
    return list(session.scalars(select(FollowUp).where(FollowUp.measure_id == measure_id)
                                .order_by(FollowUp.number)))


def decided_schedule(held: list[FollowUp], *,
                     withhold_pending: bool = False) -> DecidedSchedule | None:
    """The latest schedule decided at a held follow-up (§95, stk. 3), or None. With
    ``withhold_pending`` (for what leaves the machine) a justification not yet through
    the project's pseudonymisation run is replaced by :data:`WITHHELD_TEXT`."""
    for row in reversed(held):
        if row.schedule_interval:
            why = row.schedule_justification or ""
            if withhold_pending and why and not row.pseudonymised:
                why = WITHHELD_TEXT
            return DecidedSchedule(row.number, row.schedule_interval, why, row.created_by,
                                   row.held_on, row.schedule_told_family_on)
    return None


def stored_calendar(session: Session, measure: Measure, case_number: str, rule_set: RuleSet,
                    *, until: date, held: list[FollowUp] | None = None,
                    up_to_number: int | None = None,
                    withhold_pending: bool = False) -> MeasureCalendar:
    """The calendar of a stored measure, from its held follow-ups and decided schedule
    (``withhold_pending``: see :func:`decided_schedule`)."""
    rows = held_follow_ups(session, measure.id) if held is None else held
    return follow_up_calendar(measure_facts(measure, case_number), rule_set,
                              held=[row.held_on for row in rows],
                              decided=decided_schedule(rows, withhold_pending=withhold_pending),
                              until=until, up_to_number=up_to_number)


# -- the hook for the pseudonymiser ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FreeText:
    """A row of the follow-up with free text not yet pseudonymised: its case, what it is,
    and the text fields (``participants`` is a list of strings)."""

    case_id: int
    kind: str
    row: object
    fields: tuple[str, ...]


#: The free-text fields of each follow-up table (anything a person types may name people).
FREE_TEXT_FIELDS: dict[type, tuple[str, tuple[str, ...]]] = {
    Goal: ("mål", ("text", "evidence")),
    GoalRevision: ("tidligere målformulering", ("text", "evidence", "reason")),
    FollowUp: ("opfølgning", ("note", "justification", "schedule_justification",
                              "participants")),
    GoalAssessment: ("målvurdering", ("sentence",)),
}


def _pending_query(table: type, project_id: int, case_ids: Iterable[int] | None,
                   pending: bool = True):
    """(row, case id) of the pending rows of ``table`` of the project (or of ``case_ids``;
    ``pending`` False: all its rows)."""
    if table is GoalRevision:
        query = (select(GoalRevision, Goal.case_id).join(Goal, Goal.id == GoalRevision.goal_id)
                 .where(Goal.project_id == project_id))
        case_column = Goal.case_id
    elif table is GoalAssessment:
        query = (select(GoalAssessment, FollowUp.case_id)
                 .join(FollowUp, FollowUp.id == GoalAssessment.follow_up_id)
                 .where(FollowUp.project_id == project_id))
        case_column = FollowUp.case_id
    else:
        query = select(table, table.case_id).where(table.project_id == project_id)
        case_column = table.case_id
    if case_ids is not None:
        query = query.where(case_column.in_(list(case_ids)))
    if pending:
        query = query.where(table.pseudonymised.is_(False))
    return query, case_column


def pending_free_text(session: Session, project_id: int,
                      case_ids: Iterable[int] | None = None) -> Iterator[FreeText]:
    """Every follow-up row of the project (or of the cases ``case_ids``) whose free text
    is not pseudonymised yet (the ``pseudonymised`` flag is False). The project's
    pseudonymisation run calls this, runs each field through the pseudonymiser in the
    case's scope, and sets the flag, in the same transaction as the notes."""
    for table, (kind, fields) in FREE_TEXT_FIELDS.items():
        query, _ = _pending_query(table, project_id, case_ids)
        for row, case_id in session.execute(query.order_by(table.id)):
            yield FreeText(case_id, kind, row, fields)


def case_free_texts(session: Session, project_id: int, case_id: int) -> Iterator[str]:
    """Every free text of the case's follow-up rows, pseudonymised or not."""
    for table, (_, fields) in FREE_TEXT_FIELDS.items():
        query, _ = _pending_query(table, project_id, [case_id], pending=False)
        columns = [getattr(table, name) for name in fields]
        for values in session.execute(query.with_only_columns(*columns)):
            for value in values:
                yield from (value if isinstance(value, list) else [value] if value else [])


def pending_free_text_counts(session: Session, project_id: int) -> dict[int, int]:
    """Case id → how many of its follow-up rows hold free text not yet pseudonymised."""
    counts: dict[int, int] = {}
    for table in FREE_TEXT_FIELDS:
        query, case_column = _pending_query(table, project_id, None)
        grouped = query.with_only_columns(case_column, func.count()).group_by(case_column)
        for case_id, count in session.execute(grouped):
            counts[case_id] = counts.get(case_id, 0) + count
    return counts

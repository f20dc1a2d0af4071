"""The stored state of recoding rounds, read and written in the caller's session: the
building blocks of this area's use cases (no actor; the use cases check who may call).

A round draws whole teams and/or random cases (seeded) for a second coder. The first
coding is each case's confirmed value; the second coder's values are ``RecodingValue``
rows (a value saved again supersedes the earlier one); a settled disagreement is a
``RecodingResolution`` whose final value became the case's confirmed value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from effektspor.analysis.agreement import AgreementReport, agreement_report
from effektspor.classification.sampling import SampleCase, draw_sample
from effektspor.domain import events
from effektspor.domain.errors import ConflictError, EffektsporError
from effektspor.domain.formatting import percent_half_up
from effektspor.domain.variables import Variable, VariableKind
from effektspor.services.classification import (
    case_ids,
    current_value,
    current_values,
    ensure_variables,
)
from effektspor.services.events import record_event
from effektspor.services.recoding.shared import current_value_counts
from effektspor.store import tables as t
from effektspor.store.tables_analysis import (
    CaseVariable,
    RecodingResolution,
    RecodingRound,
    RecodingValue,
)

#: The variables a round recodes unless others are chosen.
STANDARD_RECODING_VARIABLES = ("maalopnaaelse", "problemstilling", "problemgrad")


class RecodingConflict(ConflictError):
    """The stored state changed since the form was opened (another tab or person): HTTP 409."""


@dataclass(frozen=True, slots=True)
class RoundInfo:
    """A recoding round as the user sees it."""

    id: int
    coder: str
    seed: int
    teams: list[str]
    n_random: int
    variables: list[str]
    case_ids: list[str]
    created_by: str
    created_at: datetime


def round_info(row: RecodingRound) -> RoundInfo:
    """The user-facing description of a stored round."""
    return RoundInfo(row.id, row.coder, row.seed, list(row.teams), row.n_random,
                     list(row.variables), list(row.case_ids), row.created_by, row.created_at)


@dataclass(frozen=True)
class RoundProgress:
    """A round with how far its coder has come."""

    info: RoundInfo
    entered: int
    cases_done: int

    @property
    def expected(self) -> int:
        """Values a complete round has: cases × variables."""
        return len(self.info.case_ids) * len(self.info.variables)

    @property
    def complete(self) -> bool:
        """True when every case has a value for every variable."""
        return self.entered >= self.expected

    @property
    def percent(self) -> int:
        """Whole-number share of the expected values entered (rounded half up)."""
        return percent_half_up(self.entered, self.expected) or 0


@dataclass(frozen=True, slots=True)
class CodingPair:
    """The first and second coding of one case's variable (None where missing)."""

    case_external_id: str
    variable: str
    first_value: str | None
    first_coder: str | None
    second_value: str | None
    second_coder: str | None
    final_value: str | None = None

    @property
    def disagree(self) -> bool:
        """True when both coders gave a value and the values differ."""
        return (self.first_value is not None and self.second_value is not None
                and self.first_value != self.second_value)


def create_round(session: Session, project_id: int, *, coder: str, seed: int,
                 teams: tuple[str, ...] | list[str] = (), n_random: int = 0,
                 variables: list[str] | None = None, actor: str,
                 excluded_cases: frozenset[str] = frozenset()) -> RecodingRound:
    """Draw the sample and store the round (event logged). The same seed, cases and
    ``excluded_cases`` give the same sample.

    ``excluded_cases`` (external ids) never enter the sample: the cases the second coder
    classified first. Unknown variables, teams or too many random cases give a Danish
    error.
    """
    rows = ensure_variables(session, project_id, actor=actor)
    names = list(variables or STANDARD_RECODING_VARIABLES)
    unknown = [n for n in names if n not in rows]
    if unknown:
        raise EffektsporError(f"Ukendte variable: {', '.join(unknown)}. Kendte: "
                              f"{', '.join(rows)}.")
    cases = [c for c in case_ids(session, project_id).values()
             if c.external_id not in excluded_cases]
    sample = draw_sample([SampleCase(c.external_id, c.team) for c in cases],
                         teams=list(teams), n_random=n_random, seed=seed)
    row = RecodingRound(project_id=project_id, coder=coder.strip(), blind=True,
                        seed=seed, teams=list(teams), n_random=n_random, variables=names,
                        case_ids=sample, created_by=actor)
    session.add(row)
    session.flush()
    record_event(session, events.recoding_drawn(
        round_id=row.id, coder=row.coder, seed=seed, teams=list(teams), n_random=n_random,
        cases=sample, variables=names, left_out=sorted(excluded_cases)),
        actor=actor, project_id=project_id)
    return row


def recoding_round(session: Session, project_id: int, round_id: int, *,
                   for_update: bool = False) -> RecodingRound:
    """The project's recoding round ``round_id`` (Danish error if it is not there).

    ``for_update`` locks the row until the transaction ends (PostgreSQL), so two writes
    to the same round are made one after the other.
    """
    row = session.get(RecodingRound, round_id, with_for_update=for_update)
    if row is None or row.project_id != project_id:
        raise EffektsporError(f"Rekodningsrunde {round_id} findes ikke i projektet.")
    return row


def rounds_of_project(session: Session, project_id: int) -> list[RecodingRound]:
    """The project's rounds, oldest first."""
    return list(session.scalars(select(RecodingRound).where(
        RecodingRound.project_id == project_id).order_by(RecodingRound.id)))


def progress_of_rounds(session: Session, rounds: list[RecodingRound]) -> list[RoundProgress]:
    """The progress of each round, with one query for all of them."""
    counts = current_value_counts(session, [r.id for r in rounds])
    result = []
    for row in rounds:
        per_case = counts.get(row.id, {})
        result.append(RoundProgress(round_info(row), sum(per_case.values()),
                                    sum(1 for n in per_case.values()
                                        if n >= len(row.variables))))
    return result


def own_first_codings(session: Session, row: RecodingRound,
                      items: list[tuple[t.Case, CaseVariable]]) -> set[tuple[str, str]]:
    """The (case external id, variable name) of ``items`` first coded by the round's coder.

    Such a value cannot be recoded by the same person: it would not be a second coding.
    """
    found = set()
    for case, variable in items:
        first = current_value(session, case.id, variable.id)
        if first is not None and first.coder == row.coder:
            found.add((case.external_id, variable.name))
    return found


def round_pairs(session: Session, project_id: int,
                row: RecodingRound) -> dict[str, list[CodingPair]]:
    """Per variable, the first and second coding of every sample case (in sample order).

    The first coding is the case's confirmed value other than one set by a resolution of
    this round (so settling a disagreement does not change the measured agreement).
    """
    variables = ensure_variables(session, project_id, actor="system")
    cases = case_ids(session, project_id)
    confirmed = current_values(session, project_id)
    second = {(v.case_id, v.variable_id): v for v in session.scalars(select(RecodingValue).where(
        RecodingValue.round_id == row.id, RecodingValue.superseded_at.is_(None)))}
    resolutions = {(r.case_id, r.variable_id): r for r in session.scalars(
        select(RecodingResolution).where(RecodingResolution.round_id == row.id)
        .order_by(RecodingResolution.id))}
    result: dict[str, list[CodingPair]] = {}
    for name in row.variables:
        variable: CaseVariable = variables[name]
        pairs = []
        for external_id in row.case_ids:
            case = cases.get(external_id)
            if case is None:
                continue
            key = (case.id, variable.id)
            resolution = resolutions.get(key)
            first = confirmed.get(key)
            first_value, first_coder = (first.value, first.coder) if first else (None, None)
            if resolution is not None:
                first_value, first_coder = resolution.first_value, resolution.first_coder
            recoded = second.get(key)
            pairs.append(CodingPair(external_id, name, first_value, first_coder,
                                    recoded.value if recoded else None,
                                    recoded.coder if recoded else None,
                                    resolution.final_value if resolution else None))
        result[name] = pairs
    return result


def agreement_of_pairs(pairs: dict[str, list[CodingPair]], variables: list[Variable], *,
                       bootstrap: int = 2000, seed: int = 20190101) -> list[AgreementReport]:
    """Agreement per variable between the first and the second coder (no database).

    Percent agreement, Cohen's kappa and Krippendorff's alpha for every variable; weighted
    kappa and ordinal alpha for ordinal ones (problemgrad, målopnåelse), each with a
    bootstrap 95 % interval. Cases missing either coding are listed, not counted.
    """
    by_name = {v.name: v for v in variables}
    reports = []
    for name, items in pairs.items():
        variable = by_name[name]
        categorical = variable.is_categorical
        reports.append(agreement_report(
            [p.case_external_id for p in items], [p.first_value or "" for p in items],
            [p.second_value or "" for p in items], variable=name,
            categories=list(variable.values) if categorical else None,
            ordinal=(variable.kind is VariableKind.ORDINAL) if categorical else None,
            bootstrap=bootstrap, seed=seed))
    return reports

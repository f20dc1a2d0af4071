"""Blind re-coding (re-kodning) in the web app: rounds, work lists and the blind sheet.

Session-based services for the web routes; the route commits. An analyst
(ASSIGN_RECODING) assigns a sample to a second coder. Only the round's assigned coder
may open or save the round's sheets, and a sheet shows the case text and the criteria
only: never the first coder's values, the machine's suggestions or their evidence.
The agreement page and the settling of disagreements are in ``recoding_agreement_web``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from effektspor.domain.errors import EffektsporError, Problem, ValidationError
from effektspor.domain.formatting import percent_half_up
from effektspor.domain.variables import Variable
from effektspor.services.authorization import Action, Actor, PermissionDenied, Role, require
from effektspor.services.blind_recoding import current_value_counts
from effektspor.services.cases.case_view import CaseNotFound, CaseView, TimelineEntry, view_case
from effektspor.services.classification import ensure_variables, to_variable
from effektspor.services.classification_suggest import DISCHARGE_TYPES
from effektspor.services.events import log_event
from effektspor.services.reliability import (
    STANDARD_RECODING_VARIABLES,
    RoundInfo,
    create_round,
    own_first_codings,
    recoding_round,
    round_info,
    rounds_of_project,
)
from effektspor.store import tables as t
from effektspor.store.tables_analysis import (
    CONFIRMED,
    ClassificationValue,
    RecodingResolution,
    RecodingRound,
    RecodingValue,
)
from effektspor.store.tables_web import User

#: Roles whose accounts may be given a round (they may read case text and classify).
RECODING_ROLES = (Role.CODER.value, Role.ANALYST.value, Role.ADMINISTRATOR.value)
MAX_SEED = 2**31 - 1


class NotAssignedCoder(PermissionDenied):
    """Someone other than the round's assigned coder tried to open or save its sheets."""

    def __init__(self, actor: Actor, round_id: int, coder: str):
        self.actor, self.action = actor, Action.CLASSIFY_CASES
        EffektsporError.__init__(
            self, f"Dit login ({actor.name}) giver ikke adgang til de blinde skemaer i runde "
                  f"{round_id}: runden er tildelt {coder}, og kun den tildelte koder må se og "
                  "udfylde dem.")


class RecodingConflict(EffektsporError):
    """The stored state changed since the form was opened (another tab or person): HTTP 409."""


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


@dataclass(frozen=True)
class VariableChoice:
    """A variable the analyst may include in a round."""

    name: str
    label: str
    standard: bool


@dataclass
class RecodingHome:
    """The /rekodning page: the rounds the actor may see and, for analysts, the form."""

    rounds: list[RoundProgress]
    may_assign: bool
    coders: list[str]
    variables: list[VariableChoice]
    teams: list[tuple[str, int]]
    cases_total: int


@dataclass(frozen=True)
class WorkItem:
    """A case of a round's sample in the coder's work list."""

    case_id: int
    external_id: str
    team: str | None
    entered: int
    total: int

    @property
    def done(self) -> bool:
        """True when the case has a value for every variable of the round."""
        return self.entered >= self.total


@dataclass
class WorkList:
    """The sample of a round with done/not done per case."""

    progress: RoundProgress
    items: list[WorkItem]
    is_coder: bool

    @property
    def next_case_id(self) -> int | None:
        """The first case not yet done (None when the round is complete)."""
        return next((i.case_id for i in self.items if not i.done), None)


@dataclass
class BlindSheet:
    """What the second coder sees: case text and criteria, and only their own values."""

    work: WorkList
    case: CaseView
    discharge_reports: list[TimelineEntry]
    variables: list[Variable]
    values: dict[str, str]
    locked: bool

    @property
    def position(self) -> int:
        """The case's number in the sample (1-based)."""
        return next(n for n, i in enumerate(self.work.items, 1) if i.case_id == self.case.id)

    @property
    def next_case_id(self) -> int | None:
        """The next case not done after this one (wrapping round), None if none is left."""
        items = self.work.items
        start = self.position % len(items)
        for item in items[start:] + items[:start]:
            if not item.done and item.case_id != self.case.id:
                return item.case_id
        return None


def _may_open_recoding(actor: Actor) -> None:
    if not actor.can(Action.ASSIGN_RECODING):
        require(actor, Action.CLASSIFY_CASES)


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


def assignable_coders(session: Session) -> list[str]:
    """User names of the active accounts that may classify cases, by name."""
    return list(session.scalars(select(User.username).where(
        User.active.is_(True), User.role.in_(RECODING_ROLES)).order_by(User.username)))


def recoding_home(session: Session, *, actor: Actor, project_id: int) -> RecodingHome:
    """Analysts: every round and the assignment form; coders: the rounds assigned to them."""
    _may_open_recoding(actor)
    may_assign = actor.can(Action.ASSIGN_RECODING)
    rounds = [r for r in rounds_of_project(session, project_id)
              if may_assign or r.coder == actor.name]
    home = RecodingHome(progress_of_rounds(session, rounds), may_assign, [], [], [], 0)
    if may_assign:
        home.coders = [name for name in assignable_coders(session) if name != actor.name]
        rows = ensure_variables(session, project_id, actor=actor.name)
        home.variables = [VariableChoice(r.name, r.label, r.name in STANDARD_RECODING_VARIABLES)
                          for r in sorted(rows.values(), key=lambda r: (r.position, r.id))]
        home.teams = [(team, int(n)) for team, n in session.execute(
            select(t.Case.team, func.count(t.Case.id))
            .where(t.Case.project_id == project_id, t.Case.team.is_not(None))
            .group_by(t.Case.team).order_by(t.Case.team))]
        home.cases_total = session.scalar(select(func.count(t.Case.id))
                                          .where(t.Case.project_id == project_id)) or 0
    return home


@dataclass(frozen=True)
class AssignedRound:
    """A new round and the cases left out because the coder had classified them first."""

    info: RoundInfo
    excluded: list[str]


def assign_round(session: Session, *, actor: Actor, project_id: int, coder: str,
                 variables: list[str], teams: list[str], n_random: int,
                 seed: int | None = None) -> AssignedRound:
    """Draw a blind sample for ``coder`` (an active account that may classify).

    The creator cannot assign a round to themselves: they chose the sample and may read
    the agreement page with the first coder's values. Cases the coder classified first
    (for any of the variables) are left out. ``seed`` None draws a random seed, stored
    with the round so the sample can be drawn again.
    """
    require(actor, Action.ASSIGN_RECODING)
    coder = coder.strip()
    if not coder:
        raise EffektsporError("Vælg den koder, der skal re-kode stikprøven.")
    if coder == actor.name:
        raise EffektsporError("Du kan ikke tildele en re-kodning til dig selv: du har valgt "
                              "stikprøven og kan se første koders værdier. Vælg en anden koder.")
    if coder not in assignable_coders(session):
        raise EffektsporError(f"'{coder}' er ikke en aktiv bruger, der må klassificere sager "
                              "(koder, analytiker eller administrator).")
    if not variables:
        raise EffektsporError("Vælg mindst én variabel, der skal re-kodes.")
    if seed is None:
        seed = secrets.randbelow(MAX_SEED)
    if not 0 <= seed <= MAX_SEED:
        raise EffektsporError(f"Frøet skal være et helt tal mellem 0 og {MAX_SEED}.")
    rows = ensure_variables(session, project_id, actor=actor.name)
    chosen = [rows[name].id for name in variables if name in rows]
    excluded = set(session.scalars(
        select(t.Case.external_id).join(ClassificationValue,
                                        ClassificationValue.case_id == t.Case.id)
        .where(t.Case.project_id == project_id, ClassificationValue.coder == coder,
               ClassificationValue.status == CONFIRMED,
               ClassificationValue.superseded_at.is_(None),
               ClassificationValue.variable_id.in_(chosen))))
    row = create_round(session, project_id, coder=coder, seed=seed, teams=teams,
                       n_random=n_random, variables=variables, actor=actor.name,
                       excluded_cases=frozenset(excluded))
    return AssignedRound(round_info(row), sorted(excluded))


def _sample_items(session: Session, project_id: int, row: RecodingRound) -> list[WorkItem]:
    cases = {c.external_id: c for c in session.scalars(select(t.Case).where(
        t.Case.project_id == project_id, t.Case.external_id.in_(row.case_ids)))}
    counts = current_value_counts(session, [row.id]).get(row.id, {})
    return [WorkItem(cases[e].id, e, cases[e].team, counts.get(cases[e].id, 0),
                     len(row.variables)) for e in row.case_ids if e in cases]


def work_list(session: Session, *, actor: Actor, project_id: int, round_id: int) -> WorkList:
    """The round's cases, done or not: for its coder, and read-only for analysts."""
    _may_open_recoding(actor)
    row = recoding_round(session, project_id, round_id)
    is_coder = row.coder == actor.name
    if not is_coder and not actor.can(Action.ASSIGN_RECODING):
        raise NotAssignedCoder(actor, row.id, row.coder)
    (progress,) = progress_of_rounds(session, [row])
    return WorkList(progress, _sample_items(session, project_id, row), is_coder)


def _assigned_round(session: Session, actor: Actor, project_id: int, round_id: int, *,
                    for_update: bool = False) -> RecodingRound:
    require(actor, Action.CLASSIFY_CASES)
    require(actor, Action.READ_CASE_TEXT)
    row = recoding_round(session, project_id, round_id, for_update=for_update)
    if row.coder != actor.name:
        raise NotAssignedCoder(actor, row.id, row.coder)
    return row


def _sample_case(session: Session, project_id: int, row: RecodingRound, case_id: int) -> t.Case:
    case = session.get(t.Case, case_id)
    if case is None or case.project_id != project_id or case.external_id not in row.case_ids:
        raise CaseNotFound(f"Sagen med id {case_id} er ikke med i re-kodningsrunde {row.id}.")
    return case


def _own_values(session: Session, row: RecodingRound, case_id: int) -> dict[int, RecodingValue]:
    return {v.variable_id: v for v in session.scalars(select(RecodingValue).where(
        RecodingValue.round_id == row.id, RecodingValue.case_id == case_id,
        RecodingValue.superseded_at.is_(None)))}


def _settled(session: Session, row: RecodingRound, case_id: int) -> bool:
    return session.scalar(select(func.count(RecodingResolution.id)).where(
        RecodingResolution.round_id == row.id, RecodingResolution.case_id == case_id)) > 0


def _discharge_reports(session: Session, project_id: int, case_id: int) -> list[TimelineEntry]:
    labels = dict(session.execute(select(t.DocumentType.code, t.DocumentType.label)
                                  .where(t.DocumentType.project_id == project_id)).all())
    documents = session.scalars(select(t.Document).where(
        t.Document.case_id == case_id, t.Document.doc_type.in_(DISCHARGE_TYPES)))
    return [TimelineEntry("dokument", d.id, d.doc_date, d.title or labels.get(d.doc_type,
                                                                              d.doc_type),
                          None, None, d.text, d.pseudonymised)
            for d in sorted(documents, key=lambda d: (d.doc_date or date.min, d.id),
                            reverse=True)]


def blind_sheet(session: Session, *, actor: Actor, project_id: int, round_id: int,
                case_id: int, page: int = 1) -> BlindSheet:
    """The blind sheet of one sample case for the round's coder; the view is logged.

    The discharge report(s) come first, then the case's timeline (one page); per
    variable the allowed values with their criteria, and the coder's own saved values.
    """
    row = _assigned_round(session, actor, project_id, round_id)
    case = _sample_case(session, project_id, row, case_id)
    view = view_case(session=session, actor=actor, project_id=project_id, case_id=case.id, page=page)
    rows = ensure_variables(session, project_id, actor=actor.name)
    names = {r.id: name for name, r in rows.items()}
    (progress,) = progress_of_rounds(session, [row])
    return BlindSheet(
        work=WorkList(progress, _sample_items(session, project_id, row), True), case=view,
        discharge_reports=_discharge_reports(session, project_id, case.id),
        variables=[to_variable(rows[name]) for name in row.variables],
        values={names[i]: v.value for i, v in _own_values(session, row, case.id).items()},
        locked=_settled(session, row, case.id))


@dataclass(frozen=True)
class SavedSheet:
    """The result of saving a blind sheet: how many values changed, and the next case."""

    changed: int
    next_case_id: int | None


def save_blind_values(session: Session, *, actor: Actor, project_id: int, round_id: int,
                      case_id: int, values: dict[str, str], seen: dict[str, str]) -> SavedSheet:
    """Save the coder's values for one case; a changed value supersedes the earlier one.

    ``values`` maps variable names to the chosen value ("" = not decided); ``seen`` to the
    value the form showed. If the stored values differ from ``seen`` (saved in another tab
    meanwhile) nothing is saved: :class:`RecodingConflict`. Invalid values, and values of
    a case the coder classified first themselves, give a ValidationError (nothing saved).
    Once a disagreement of the case is settled, its values can no longer change.
    """
    row = _assigned_round(session, actor, project_id, round_id, for_update=True)
    case = _sample_case(session, project_id, row, case_id)
    if _settled(session, row, case.id):
        raise EffektsporError(f"Uenighederne i sag {case.external_id} er afgjort, så "
                              "re-kodningen af sagen kan ikke ændres længere.")
    rows = ensure_variables(session, project_id, actor=actor.name)
    current = _own_values(session, row, case.id)
    changed_meanwhile = [rows[n].label for n in row.variables
                         if (current[rows[n].id].value if rows[n].id in current else "")
                         != seen.get(n, "").strip()]
    if changed_meanwhile:
        raise RecodingConflict(
            f"Sag {case.external_id} er gemt et andet sted (fx i en anden fane), efter du "
            f"åbnede skemaet ({', '.join(changed_meanwhile)}). Dine valg er ikke gemt; "
            "skemaet viser nu de gemte værdier. Vælg igen, og gem.")
    problems, chosen = [], {}
    for name in row.variables:
        raw = values.get(name, "").strip()
        if raw:
            try:
                chosen[name] = to_variable(rows[name]).validate(raw)
            except ValueError as error:
                problems.append(Problem(str(error), field=rows[name].label))
    for _, name in sorted(own_first_codings(session, row, [(case, rows[n]) for n in chosen])):
        problems.append(Problem("du har selv givet sagen dens første værdi; en re-kodning "
                                "skal laves af en anden koder", field=rows[name].label))
    if problems:
        raise ValidationError(problems, "Intet er gemt.")
    now, changes = datetime.now(UTC), {}
    for name in row.variables:
        old, new = current.get(rows[name].id), chosen.get(name)
        if (old.value if old else None) == new:
            continue
        if old is not None:
            old.superseded_at = now
        if new is not None:
            session.add(RecodingValue(round_id=row.id, case_id=case.id,
                                      variable_id=rows[name].id, value=new, coder=row.coder))
        changes[name] = {"før": old.value if old else None, "efter": new}
    session.flush()
    if changes:
        log_event(session, actor=actor.name, action="rekodning_gemt", project_id=project_id,
                  object_type="sag", object_id=case.external_id,
                  details={"runde": row.id, "ændringer": changes})
    items = _sample_items(session, project_id, row)
    position = next(n for n, i in enumerate(items) if i.case_id == case.id)
    following = items[position + 1:] + items[:position]
    return SavedSheet(len(changes), next((i.case_id for i in following if not i.done), None))

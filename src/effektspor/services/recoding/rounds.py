"""Recoding rounds: the area's home page, drawing a round, the list of rounds and a
round's work list.

An analytiker (``Action.ASSIGN_RECODING``) draws a blind sample for a second coder;
the coder sees only the rounds assigned to them. On the shared server the coder is an
active account that may classify; a local project without accounts takes any name.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import func, select

from effektspor.domain.errors import EffektsporError
from effektspor.services.authorization import Action, Actor, Role, require
from effektspor.services.classification import ensure_variables
from effektspor.services.contract import UnitOfWork
from effektspor.services.recoding.permissions import NotAssignedCoder, require_may_open
from effektspor.services.recoding.shared import current_value_counts
from effektspor.services.recoding.state import (
    STANDARD_RECODING_VARIABLES,
    RoundInfo,
    RoundProgress,
    create_round,
    progress_of_rounds,
    recoding_round,
    round_info,
    rounds_of_project,
)
from effektspor.store import tables as t
from effektspor.store.tables_analysis import CONFIRMED, ClassificationValue, RecodingRound
from effektspor.store.tables_web import User

#: Roles whose accounts may be given a round (they may read case text and classify).
RECODING_ROLES = (Role.CODER.value, Role.ANALYST.value, Role.ADMINISTRATOR.value)
MAX_SEED = 2**31 - 1


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


@dataclass(frozen=True)
class DrawnRound:
    """A new round and the cases left out because the coder had classified them first."""

    info: RoundInfo
    excluded: list[str]


def _assignable_coders(session: UnitOfWork) -> list[str]:
    """User names of the active accounts that may classify cases, by name."""
    return list(session.scalars(select(User.username).where(
        User.active.is_(True), User.role.in_(RECODING_ROLES)).order_by(User.username)))


def _visible_rounds(session: UnitOfWork, actor: Actor, project_id: int) -> list[RecodingRound]:
    require_may_open(actor)
    return [r for r in rounds_of_project(session, project_id)
            if actor.can(Action.ASSIGN_RECODING) or r.coder == actor.name]


def recoding_home(*, session: UnitOfWork, actor: Actor, project_id: int) -> RecodingHome:
    """Analysts: every round and the assignment form; coders: the rounds assigned to them."""
    rounds = _visible_rounds(session, actor, project_id)
    may_assign = actor.can(Action.ASSIGN_RECODING)
    home = RecodingHome(progress_of_rounds(session, rounds), may_assign, [], [], [], 0)
    if may_assign:
        home.coders = [name for name in _assignable_coders(session) if name != actor.name]
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


def list_rounds(*, session: UnitOfWork, actor: Actor, project_id: int) -> list[RoundInfo]:
    """The rounds the actor may see (analysts: all; a coder: theirs), oldest first."""
    return [round_info(r) for r in _visible_rounds(session, actor, project_id)]


def draw_round(*, session: UnitOfWork, actor: Actor, project_id: int, coder: str,
               variables: list[str] | None = None, teams: list[str] | tuple[str, ...] = (),
               n_random: int = 0, seed: int | None = None) -> DrawnRound:
    """Draw a blind sample for the second coder ``coder``: all cases of ``teams`` plus
    ``n_random`` at random; ``variables`` defaults to the three standard classifications.

    The one who draws cannot give the round to themselves: they chose the sample and may
    read the first coder's values. Cases the coder classified first (for any of the
    variables) are left out. On the shared server ``coder`` must be an active account
    that may classify. ``seed`` None draws a random seed, stored with the round so the
    sample can be drawn again (the same seed and cases give the same sample).
    """
    require(actor, Action.ASSIGN_RECODING)
    coder = coder.strip()
    if not coder:
        raise EffektsporError("Vælg den koder, der skal rekode stikprøven.")
    if coder == actor.name:
        raise EffektsporError("Du kan ikke tildele en rekodning til dig selv: du har valgt "
                              "stikprøven og kan se første koders værdier. Vælg en anden koder.")
    accounts = session.scalar(select(func.count(User.id))) or 0
    if accounts and coder not in _assignable_coders(session):
        raise EffektsporError(f"'{coder}' er ikke en aktiv bruger, der må klassificere sager "
                              "(koder, analytiker eller administrator).")
    if variables is not None and not variables:
        raise EffektsporError("Vælg mindst én variabel, der skal rekodes.")
    if seed is None:
        seed = secrets.randbelow(MAX_SEED)
    if not 0 <= seed <= MAX_SEED:
        raise EffektsporError(f"Frøet skal være et helt tal mellem 0 og {MAX_SEED}.")
    names = list(variables or STANDARD_RECODING_VARIABLES)
    rows = ensure_variables(session, project_id, actor=actor.name)
    chosen = [rows[name].id for name in names if name in rows]
    excluded = set(session.scalars(
        select(t.Case.external_id).join(ClassificationValue,
                                        ClassificationValue.case_id == t.Case.id)
        .where(t.Case.project_id == project_id, ClassificationValue.coder == coder,
               ClassificationValue.status == CONFIRMED,
               ClassificationValue.superseded_at.is_(None),
               ClassificationValue.variable_id.in_(chosen))))
    row = create_round(session, project_id, coder=coder, seed=seed, teams=list(teams),
                       n_random=n_random, variables=names, actor=actor.name,
                       excluded_cases=frozenset(excluded))
    return DrawnRound(round_info(row), sorted(excluded))


def sample_items(session: UnitOfWork, project_id: int, row: RecodingRound) -> list[WorkItem]:
    """The round's sample cases with how many values each has (building block)."""
    cases = {c.external_id: c for c in session.scalars(select(t.Case).where(
        t.Case.project_id == project_id, t.Case.external_id.in_(row.case_ids)))}
    counts = current_value_counts(session, [row.id]).get(row.id, {})
    return [WorkItem(cases[e].id, e, cases[e].team, counts.get(cases[e].id, 0),
                     len(row.variables)) for e in row.case_ids if e in cases]


def work_list(*, session: UnitOfWork, actor: Actor, project_id: int,
              round_id: int) -> WorkList:
    """The round's cases, done or not: for its coder, and read-only for analysts."""
    require_may_open(actor)
    row = recoding_round(session, project_id, round_id)
    is_coder = row.coder == actor.name
    if not is_coder and not actor.can(Action.ASSIGN_RECODING):
        raise NotAssignedCoder(actor, row.id, row.coder)
    (progress,) = progress_of_rounds(session, [row])
    return WorkList(progress, sample_items(session, project_id, row), is_coder)

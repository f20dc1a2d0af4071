"""The project's case list: one page, filtered by team, closing year, free text,
classification values and codes (needs LIST_CASES)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, select

from effektspor.domain.errors import EffektsporError
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.cases import filters as case_filters
from effektspor.services.coding.shared import stored_codebook
from effektspor.services.contract import UnitOfWork
from effektspor.services.recoding.shared import blind_case_ids
from effektspor.store import tables as t

PAGE_SIZE = 50


@dataclass(frozen=True)
class CaseRow:
    """A case in the case list."""

    id: int
    external_id: str
    team: str | None
    start_date: date | None
    end_date: date | None
    closed_year: int | None
    documents: int
    notes: int
    outcome: str | None = None
    outcome_suggested: bool = False
    blind: bool = False


@dataclass
class CasePage:
    """One page of the filtered case list."""

    rows: list[CaseRow]
    total: int
    page: int
    page_size: int
    searched_text: bool
    teams: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    variables: list = field(default_factory=list)  # case_filters.VariableChoice
    codes: list = field(default_factory=list)  # case_filters.CodeChoice

    @property
    def pages(self) -> int:
        """Number of pages (at least 1)."""
        return max(1, -(-self.total // self.page_size))


#: Upper-case letters beyond ASCII that SQLite's lower() (and PostgreSQL's in the C locale)
#: leave alone; folded by hand so "Øjenkontakt" finds "øjenkontakt".
_NON_ASCII_UPPER = "ÆØÅÉÜÖÄ"


def _folded(column):
    expression = func.lower(column)
    for upper in _NON_ASCII_UPPER:
        expression = func.replace(expression, upper, upper.lower())
    return expression


def _contains(column, query: str):
    """Case-insensitive substring match (Danish letters included); % and _ are literal."""
    escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return _folded(column).like(f"%{escaped}%", escape="\\")


def _text_of_case_contains(table, query: str):
    """The case has a row in ``table`` (notes or documents) whose text contains ``query``.

    The EXISTS subquery is correlated with the case row and carries ``OFFSET 0``: on
    PostgreSQL that keeps the planner from turning it into a hashed subplan or a semi-join,
    which would run the (expensive) text match over the notes of every project in a shared
    database before joining them with this project's cases. Instead the subquery runs per
    case of the project that passed the other filters, and finds the case's rows through
    the index on ``case_id``. SQLite runs a correlated EXISTS that way anyway.
    """
    rows = (select(table.id).where(table.case_id == t.Case.id, _contains(table.text, query))
            .offset(0))
    return rows.exists()


def list_cases(*, session: UnitOfWork, actor: Actor, project_id: int, team: str | None = None,
               year: int | None = None, query: str | None = None, page: int = 1,
               page_size: int = PAGE_SIZE, values: dict[str, str] | None = None,
               code: str | None = None) -> CasePage:
    """A page of the project's cases, filtered by team, closing year, free text,
    classification values and codes.

    The free text matches the case number; for actors who may read case text it also
    matches the text of the case's notes and documents (case-insensitive substring).
    ``values`` maps a standard variable's name to a value (or ``case_filters.NO_VALUE``);
    ``code`` keeps the cases coded with that code or a code below it. Cases in the
    actor's blind re-coding sample never match a value filter and show no målopnåelse.
    """
    require(actor, Action.LIST_CASES)
    page = max(1, page)
    query = (query or "").strip()
    conditions = [t.Case.project_id == project_id]
    if team:
        conditions.append(t.Case.team == team)
    if year is not None:
        conditions.append(t.Case.closed_year == year)
    searched_text = False
    if query:
        matches = [_contains(t.Case.external_id, query)]
        if actor.can(Action.READ_CASE_TEXT):
            searched_text = True
            matches.append(_text_of_case_contains(t.Note, query))
            matches.append(_text_of_case_contains(t.Document, query))
        conditions.append(or_(*matches))
    rows_by_name = case_filters.variable_rows(session, project_id)
    blind = blind_case_ids(session, project_id=project_id, coder=actor.name)
    chosen = {name: value for name, value in (values or {}).items() if value}
    for name, value in chosen.items():
        if name not in case_filters.FILTER_VARIABLES:
            raise EffektsporError(f"Der kan ikke filtreres på variablen '{name}'.")
        conditions.append(case_filters.value_condition(rows_by_name.get(name), value))
    if chosen and blind:
        conditions.append(t.Case.external_id.not_in(blind))
    codebook = stored_codebook(session, project_id)
    if code:
        conditions.append(case_filters.code_condition(codebook, project_id, code))
    total = session.scalar(select(func.count(t.Case.id)).where(*conditions)) or 0
    cases = session.scalars(select(t.Case).where(*conditions).order_by(t.Case.external_id)
                            .limit(page_size).offset((page - 1) * page_size)).all()
    ids = [c.id for c in cases]
    note_counts = dict(session.execute(
        select(t.Note.case_id, func.count()).where(t.Note.case_id.in_(ids))
        .group_by(t.Note.case_id)).all()) if ids else {}
    doc_counts = dict(session.execute(
        select(t.Document.case_id, func.count(t.Document.id))
        .where(t.Document.case_id.in_(ids)).group_by(t.Document.case_id)).all()) if ids else {}
    outcomes = case_filters.shown_outcomes(session, rows_by_name, ids)
    rows = [CaseRow(c.id, c.external_id, c.team, c.start_date, c.end_date, c.closed_year,
                    doc_counts.get(c.id, 0), note_counts.get(c.id, 0),
                    *(outcomes.get(c.id, (None, False)) if c.external_id not in blind
                      else (None, False)), c.external_id in blind) for c in cases]
    in_project = t.Case.project_id == project_id
    teams = list(session.scalars(select(t.Case.team).where(in_project, t.Case.team.is_not(None))
                                 .distinct().order_by(t.Case.team)))
    years = list(session.scalars(select(t.Case.closed_year)
                                 .where(in_project, t.Case.closed_year.is_not(None))
                                 .distinct().order_by(t.Case.closed_year.desc())))
    return CasePage(rows, int(total), page, page_size, searched_text, teams, years,
                    case_filters.variable_choices(rows_by_name),
                    case_filters.code_choices(codebook))

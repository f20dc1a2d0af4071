"""Reading cases for the web app (and later the CLI): overview, case list, case view.

Each function does a fixed, small number of indexed queries (never one per case or
note). Viewing a case's text is written to the event log (GDPR: who saw what, when).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from effektspor.domain.errors import EffektsporError
from effektspor.domain.formatting import percent_half_up
from effektspor.services import case_filters
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.blind_recoding import blind_case_ids
from effektspor.services.coding.shared import stored_codebook
from effektspor.services.events import log_event
from effektspor.store import tables as t

#: The type of a database session, for callers that must not import SQLAlchemy themselves.
DatabaseSession = Session

PAGE_SIZE = 50


class CaseNotFound(EffektsporError):
    """The case does not exist in this project."""


@dataclass(frozen=True)
class Share:
    """How many of ``total`` have a property (e.g. pseudonymised)."""

    done: int
    total: int

    @property
    def percent(self) -> int | None:
        """Whole-number percentage, rounded half up; None when there is nothing."""
        return percent_half_up(self.done, self.total)


@dataclass(frozen=True)
class ImportRunSummary:
    """One import run as shown in the overview."""

    id: int
    started_at: datetime
    actor: str
    sources: list
    summary: dict


@dataclass
class ProjectOverview:
    """Counts describing a project's material (the documentation analysis at a glance)."""

    name: str
    description: str | None
    cases: int
    closed: int
    closed_per_year: list[tuple[int, int]]
    teams: list[tuple[str, int]]
    documents_per_type: list[tuple[str, str, int]]
    documents: int
    notes: int
    import_runs: int
    recent_imports: list[ImportRunSummary]
    notes_pseudonymised: Share
    documents_pseudonymised: Share


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


@dataclass(frozen=True)
class TimelineEntry:
    """A document or a diary note in a case's timeline."""

    kind: str  # "dokument" or "notat"
    id: int
    on: date | None
    heading: str
    attention_point: str | None
    author_role: str | None
    text: str
    pseudonymised: bool


@dataclass(frozen=True)
class GrantRow:
    """A grant (bevilling) of the case."""

    start_date: date | None
    end_date: date | None
    legal_basis: str | None
    intervention: str | None


@dataclass
class CaseView:
    """Everything shown on a case page, in date order (undated entries last)."""

    id: int
    external_id: str
    team: str | None
    start_date: date | None
    end_date: date | None
    closed: bool
    closed_year: int | None
    attributes: dict
    grants: list[GrantRow]
    timeline: list[TimelineEntry]
    entries_total: int = 0
    page: int = 1
    page_size: int = 0

    @property
    def pages(self) -> int:
        """Number of timeline pages (at least 1)."""
        return max(1, -(-self.entries_total // self.page_size)) if self.page_size else 1


def _share(session: Session, table, project_id: int) -> Share:
    done, total = session.execute(
        select(func.coalesce(func.sum(case((table.pseudonymised.is_(True), 1), else_=0)), 0),
               func.count(table.id))
        .join(t.Case, t.Case.id == table.case_id)
        .where(t.Case.project_id == project_id)).one()
    return Share(int(done), int(total))


def project_overview(session: Session, *, actor: Actor, project_id: int) -> ProjectOverview:
    """Counts of cases, closings per year, documents per type, notes, imports, pseudonyms."""
    require(actor, Action.VIEW_OVERVIEW)
    project = session.get(t.Project, project_id)
    if project is None:
        raise EffektsporError(f"Projektet med id {project_id} findes ikke.")
    in_project = t.Case.project_id == project_id
    cases, closed = session.execute(
        select(func.count(t.Case.id),
               func.coalesce(func.sum(case((t.Case.closed.is_(True), 1), else_=0)), 0))
        .where(in_project)).one()
    per_year = session.execute(
        select(t.Case.closed_year, func.count(t.Case.id))
        .where(in_project, t.Case.closed_year.is_not(None))
        .group_by(t.Case.closed_year).order_by(t.Case.closed_year)).all()
    teams = session.execute(
        select(func.coalesce(t.Case.team, ""), func.count(t.Case.id)).where(in_project)
        .group_by(t.Case.team).order_by(func.coalesce(t.Case.team, ""))).all()
    per_type = dict(session.execute(
        select(t.Document.doc_type, func.count(t.Document.id))
        .join(t.Case, t.Case.id == t.Document.case_id).where(in_project)
        .group_by(t.Document.doc_type)).all())
    labels = session.execute(
        select(t.DocumentType.code, t.DocumentType.label)
        .where(t.DocumentType.project_id == project_id)
        .order_by(t.DocumentType.position)).all()
    documents_per_type = [(code, label, per_type.pop(code, 0)) for code, label in labels]
    documents_per_type += [(code, code, n) for code, n in sorted(per_type.items())]
    runs = session.scalar(select(func.count(t.ImportRun.id))
                          .where(t.ImportRun.project_id == project_id)) or 0
    recent = session.scalars(select(t.ImportRun).where(t.ImportRun.project_id == project_id)
                             .order_by(t.ImportRun.id.desc()).limit(5))
    notes = _share(session, t.Note, project_id)
    documents = _share(session, t.Document, project_id)
    return ProjectOverview(
        name=project.name, description=project.description, cases=int(cases),
        closed=int(closed), closed_per_year=[(int(y), int(n)) for y, n in per_year],
        teams=[(team, int(n)) for team, n in teams],
        documents_per_type=documents_per_type, documents=documents.total, notes=notes.total,
        import_runs=int(runs),
        recent_imports=[ImportRunSummary(r.id, r.started_at, r.actor, r.sources, r.summary)
                        for r in recent],
        notes_pseudonymised=notes, documents_pseudonymised=documents)


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


def list_cases(session: Session, *, actor: Actor, project_id: int, team: str | None = None,
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


#: Entries per page of a case timeline: enough to read a stretch of the case, few enough
#: that the page with its highlighted codings renders fast for many coders at once.
TIMELINE_PAGE_SIZE = 50


def _timeline_keys(session: Session, case_id: int) -> list[tuple[str, int, date | None]]:
    """(kind, id, date) of every document and note of a case, in timeline order."""
    keys = [("dokument", i, on) for i, on in session.execute(
        select(t.Document.id, t.Document.doc_date).where(t.Document.case_id == case_id))]
    keys += [("notat", i, on) for i, on in session.execute(
        select(t.Note.id, t.Note.note_date).where(t.Note.case_id == case_id))]
    keys.sort(key=lambda k: (k[2] is None, k[2] or date.min, k[0], k[1]))
    return keys


def note_location(session: Session, *, actor: Actor, project_id: int, note_id: int,
                  page_size: int = TIMELINE_PAGE_SIZE) -> tuple[int, int]:
    """(case id, timeline page) where a diary note is shown, for links to one note."""
    require(actor, Action.READ_CASE_TEXT)
    case_id = session.scalar(select(t.Note.case_id).join(t.Case, t.Case.id == t.Note.case_id)
                             .where(t.Note.id == note_id, t.Case.project_id == project_id))
    if case_id is None:
        raise CaseNotFound(f"Notat {note_id} findes ikke i projektet.")
    position = next(n for n, (kind, i, _) in enumerate(_timeline_keys(session, case_id))
                    if kind == "notat" and i == note_id)
    return case_id, position // page_size + 1


def view_case(session: Session, *, actor: Actor, project_id: int, case_id: int, page: int = 1,
              page_size: int = TIMELINE_PAGE_SIZE) -> CaseView:
    """A case with one page of its documents and notes as a timeline; logs "sag_vist".

    Entries are in date order (undated last). Only the dates of all entries are read;
    the texts only for the page shown, so a case with thousands of notes stays fast.
    Needs READ_CASE_TEXT. The event is added to the caller's transaction: commit it.
    """
    require(actor, Action.READ_CASE_TEXT)
    page = max(1, page)
    found = session.scalar(select(t.Case).where(t.Case.id == case_id,
                                                t.Case.project_id == project_id))
    if found is None:
        raise CaseNotFound(f"Sagen med id {case_id} findes ikke i projektet.")
    keys = _timeline_keys(session, case_id)
    shown = keys[(page - 1) * page_size:page * page_size]
    doc_ids = [i for kind, i, _ in shown if kind == "dokument"]
    note_ids = [i for kind, i, _ in shown if kind == "notat"]
    by_key: dict[tuple[str, int], TimelineEntry] = {}
    if doc_ids:
        labels = dict(session.execute(select(t.DocumentType.code, t.DocumentType.label)
                                      .where(t.DocumentType.project_id == project_id)).all())
        for d in session.scalars(select(t.Document).where(t.Document.id.in_(doc_ids))):
            by_key["dokument", d.id] = TimelineEntry(
                "dokument", d.id, d.doc_date, d.title or labels.get(d.doc_type, d.doc_type),
                None, None, d.text, d.pseudonymised)
    if note_ids:
        for note_id, on, point, role, text, pseudonymised in session.execute(
                select(t.Note.id, t.Note.note_date, t.AttentionPoint.name, t.Note.author_role,
                       t.Note.text, t.Note.pseudonymised)
                .join(t.AttentionPoint, t.AttentionPoint.id == t.Note.attention_point_id)
                .where(t.Note.id.in_(note_ids))):  # plain rows: no ORM objects to build
            by_key["notat", note_id] = TimelineEntry("notat", note_id, on, "Dagbogsnotat",
                                                     point, role, text, pseudonymised)
    grants = [GrantRow(g.start_date, g.end_date, g.legal_basis, g.intervention)
              for g in session.scalars(select(t.Grant).where(t.Grant.case_id == case_id)
                                       .order_by(t.Grant.start_date, t.Grant.id))]
    log_event(session, actor=actor.name, action="sag_vist", project_id=project_id,
              object_type="sag", object_id=case_id,
              details={"sagsnummer": found.external_id, "rolle": actor.role.value,
                       "side": page})
    return CaseView(found.id, found.external_id, found.team, found.start_date, found.end_date,
                    found.closed, found.closed_year, found.attributes or {}, grants,
                    [by_key[kind, i] for kind, i, _ in shown], len(keys), page, page_size)

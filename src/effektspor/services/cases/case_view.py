"""Reading a case: one page of its timeline of documents and notes, and where a single
note is shown (needs READ_CASE_TEXT). Viewing a case's text is written to the event log
(GDPR: who saw what, when)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from effektspor.domain import events
from effektspor.domain.errors import EffektsporError
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.store import tables as t


class CaseNotFound(EffektsporError):
    """The case does not exist in this project."""


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


#: Entries per page of a case timeline: enough to read a stretch of the case, few enough
#: that the page with its highlighted codings renders fast for many coders at once.
TIMELINE_PAGE_SIZE = 50


def _timeline_keys(session: UnitOfWork, case_id: int) -> list[tuple[str, int, date | None]]:
    """(kind, id, date) of every document and note of a case, in timeline order."""
    keys = [("dokument", i, on) for i, on in session.execute(
        select(t.Document.id, t.Document.doc_date).where(t.Document.case_id == case_id))]
    keys += [("notat", i, on) for i, on in session.execute(
        select(t.Note.id, t.Note.note_date).where(t.Note.case_id == case_id))]
    keys.sort(key=lambda k: (k[2] is None, k[2] or date.min, k[0], k[1]))
    return keys


def note_location(*, session: UnitOfWork, actor: Actor, project_id: int, note_id: int,
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


def view_case(*, session: UnitOfWork, actor: Actor, project_id: int, case_id: int,
              page: int = 1, page_size: int = TIMELINE_PAGE_SIZE) -> CaseView:
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
    record_event(session, events.case_viewed(
        case_id=case_id, case_number=found.external_id, role=actor.role.value, page=page),
        actor=actor.name, project_id=project_id)
    return CaseView(found.id, found.external_id, found.team, found.start_date, found.end_date,
                    found.closed, found.closed_year, found.attributes or {}, grants,
                    [by_key[kind, i] for kind, i, _ in shown], len(keys), page, page_size)

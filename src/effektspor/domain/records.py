"""Records that the import produces and the store saves.

Readers in ``effektspor.ingest`` turn rows of source files into these records; the
import service validates them and writes them in one transaction. ``source`` says where
each record came from, so a problem can name file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from effektspor.domain.text import content_hash, normalise_text


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record came from: file name and line/row number (1-based), if any."""

    file: str
    line: int | None = None


@dataclass(slots=True)
class CaseRecord:
    """A case (sag): one child/family's course with the family centre."""

    external_id: str
    source: Source
    team: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    closed: bool | None = None
    attributes: dict[str, str] = field(default_factory=dict)

    @property
    def closed_year(self) -> int | None:
        """The year the case was closed, if it is closed and has an end date."""
        if self.end_date and (self.closed is None or self.closed):
            return self.end_date.year
        return None


@dataclass(slots=True)
class NoteRecord:
    """A diary note (dagbogsnotat) written under one attention point."""

    case_external_id: str
    note_date: date
    attention_point: str
    text: str
    source: Source
    author_role: str | None = None
    author: str | None = None
    external_id: str | None = None
    scheme_version: str | None = None

    def __post_init__(self) -> None:
        self.text = normalise_text(self.text)

    @property
    def content_hash(self) -> str:
        """Hash of what makes the note itself: case, date, attention point and text."""
        return content_hash(self.case_external_id, self.note_date.isoformat(),
                            self.attention_point, self.text)


@dataclass(slots=True)
class DocumentRecord:
    """A document of a case (bevilling, handleplan, udskrivningsrapport, ...)."""

    case_external_id: str
    doc_type: str
    text: str
    source: Source
    doc_date: date | None = None
    title: str | None = None
    external_id: str | None = None

    def __post_init__(self) -> None:
        self.text = normalise_text(self.text)

    @property
    def content_hash(self) -> str:
        """Hash of the document's type, date, title and text."""
        return content_hash(self.case_external_id, self.doc_type,
                            self.doc_date.isoformat() if self.doc_date else "",
                            self.title or "", self.text)


@dataclass(slots=True)
class GrantRecord:
    """A grant (bevilling) of a measure for a period on a legal basis."""

    case_external_id: str
    source: Source
    start_date: date | None = None
    end_date: date | None = None
    legal_basis: str | None = None
    intervention: str | None = None
    external_id: str | None = None

    @property
    def content_hash(self) -> str:
        """Hash of the grant's fields."""
        return content_hash(self.case_external_id,
                            self.start_date.isoformat() if self.start_date else "",
                            self.end_date.isoformat() if self.end_date else "",
                            self.legal_basis or "", self.intervention or "")


@dataclass(slots=True)
class PersonRecord:
    """A person known in a case. Stored apart from the working text; never reported."""

    case_external_id: str
    role: str
    name: str
    source: Source
    cpr: str | None = None

    @property
    def content_hash(self) -> str:
        """Hash of role, name and CPR number."""
        return content_hash(self.case_external_id, self.role, self.name, self.cpr or "")

"""The report model: a document of sections with paragraphs, numbered tables and figures.

Renderers (HTML, DOCX, XLSX) take a ``ReportDocument`` and never compute anything, so the
same analysis gives the same numbers in every format. Tables follow the style of the
Randers reports: "Tabel N: <titel>", header rows, body rows, and a "Celleindhold: ..." line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from effektspor.domain.formatting import format_count_percent, format_number, percent_half_up


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: the text shown, an optional number (for spreadsheets) and a link.

    ``link`` is an anchor in the same report (e.g. a drill-down list); ``case_ids`` are the
    cases behind the number (only rendered when the report includes case lists).
    """

    text: str
    number: float | int | None = None
    link: str | None = None
    case_ids: tuple[str, ...] = ()


CellLike = Cell | str | int | float | None


def as_cell(value: CellLike) -> Cell:
    """Turn a plain value into a ``Cell`` (numbers keep their value for spreadsheets)."""
    if isinstance(value, Cell):
        return value
    if value is None:
        return Cell("")
    if isinstance(value, bool):
        return Cell("ja" if value else "nej")
    if isinstance(value, int):
        return Cell(format_number(value, 0), number=value)
    if isinstance(value, float):
        return Cell(format_number(value, 2), number=value)
    return Cell(str(value))


@dataclass(slots=True)
class Paragraph:
    """A paragraph of running text (plain text; no markup)."""

    text: str
    emphasis: bool = False


@dataclass(slots=True)
class Table:
    """A numbered table. ``number`` is assigned by the document when left as None."""

    title: str
    header_rows: list[list[CellLike]]
    body_rows: list[list[CellLike]]
    note: str = ""
    number: int | None = None
    emphasise_last_rows: int = 0
    anchor: str | None = None

    @property
    def caption(self) -> str:
        """``Tabel N: <titel>``."""
        return f"Tabel {self.number}: {self.title}" if self.number else self.title

    def cells(self, rows: list[list[CellLike]]) -> list[list[Cell]]:
        """The given rows as ``Cell`` objects."""
        return [[as_cell(value) for value in row] for row in rows]


@dataclass(slots=True)
class Figure:
    """A figure: PNG bytes with a title (numbered like tables) and an optional caption."""

    title: str
    png: bytes
    caption: str = ""
    number: int | None = None

    @property
    def label(self) -> str:
        """``Figur N: <titel>``."""
        return f"Figur {self.number}: {self.title}" if self.number else self.title


@dataclass(slots=True)
class CaseList:
    """A drill-down target: the cases behind a number, shown only in internal reports."""

    anchor: str
    title: str
    case_ids: list[str]


Block = Paragraph | Table | Figure | CaseList


@dataclass(slots=True)
class Section:
    """A section with a heading (level 1 or 2) and its blocks."""

    title: str
    blocks: list[Block] = field(default_factory=list)
    level: int = 1

    @property
    def anchor(self) -> str:
        """An anchor id derived from the title."""
        return slug(self.title)


@dataclass(slots=True)
class ReportDocument:
    """A whole report: title, subtitle, metadata lines and sections."""

    title: str
    sections: list[Section] = field(default_factory=list)
    subtitle: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    created: datetime = field(default_factory=datetime.now)
    language: str = "da"
    #: Show the case ids behind cells (tooltips in HTML, comments in XLSX). Internal use
    #: only: reports shared outside the organisation must leave this off.
    include_case_lists: bool = False

    def add_section(self, title: str, *blocks: Block, level: int = 1) -> Section:
        """Append a section and return it."""
        section = Section(title, list(blocks), level)
        self.sections.append(section)
        return section

    def tables(self) -> list[Table]:
        """All tables in document order."""
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]

    def figures(self) -> list[Figure]:
        """All figures in document order."""
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]

    def number_blocks(self) -> None:
        """Number tables and figures that have no number, continuing after the highest."""
        for items in (self.tables(), self.figures()):
            next_number = max((i.number or 0 for i in items), default=0) + 1
            for item in items:
                if item.number is None:
                    item.number = next_number
                    next_number += 1


def slug(text: str) -> str:
    """An ASCII anchor id for ``text`` (Danish letters transliterated)."""
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "afsnit"


def count_with_percent(part: int, whole: int, *, link: str | None = None,
                       case_ids: tuple[str, ...] = ()) -> Cell:
    """A cell like ``20 (39%)``: count with a column percentage rounded half up."""
    return Cell(format_count_percent(part, percent_half_up(part, whole)), number=part, link=link,
                case_ids=case_ids)

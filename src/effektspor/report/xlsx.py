"""XLSX rendering with openpyxl: an overview sheet and one sheet per table."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font

from effektspor.domain.formatting import format_number
from effektspor.report.model import ReportDocument, Table
from effektspor.report.spreadsheet import write_cell

_INVALID = set('[]:*?/\\')


def sheet_name(table: Table) -> str:
    """``Tabel N`` (Excel allows at most 31 characters and no []:*?/\\)."""
    name = f"Tabel {table.number}" if table.number else table.title
    return "".join(c for c in name if c not in _INVALID)[:31]


def render_xlsx(doc: ReportDocument, path: Path) -> Path:
    """Write every table of the report as its own sheet to ``path`` and return it.

    Cells with a number are written as numbers (the shown text, e.g. ``20 (39%)``, is
    kept in the overview's table title and in the HTML/DOCX); others as text, never as a
    formula (``report.spreadsheet``).
    """
    doc.number_blocks()
    workbook = Workbook()
    overview = workbook.active
    overview.title = "Oversigt"
    write_cell(overview, 1, 1, doc.title).font = Font(bold=True, size=14)
    row = 3
    for table in doc.tables():
        write_cell(overview, row, 1, sheet_name(table))
        write_cell(overview, row, 2, table.title)
        row += 1
    overview.column_dimensions["B"].width = 80
    for table in doc.tables():
        sheet = workbook.create_sheet(sheet_name(table))
        write_cell(sheet, 1, 1, table.caption).font = Font(bold=True)
        r = 3
        header = table.cells(table.header_rows)
        body = table.cells(table.body_rows)
        for cells in header:
            for c, cell in enumerate(cells, 1):
                write_cell(sheet, r, c, cell.text).font = Font(bold=True)
            r += 1
        for i, cells in enumerate(body):
            bold = i >= len(body) - table.emphasise_last_rows
            for c, cell in enumerate(cells, 1):
                value = cell.text if c == 1 or cell.number is None or cell.text != _plain(cell.number) else cell.number
                target = write_cell(sheet, r, c, value)
                if doc.include_case_lists and cell.case_ids:
                    target.comment = Comment("Sager: " + ", ".join(cell.case_ids), "effektspor")
                if bold:
                    target.font = Font(bold=True)
            r += 1
        if table.note:
            note = write_cell(sheet, r + 1, 1, table.note)
            note.font = Font(italic=True)
            note.alignment = Alignment(wrap_text=False)
        sheet.column_dimensions["A"].width = max(
            18, min(60, max((len(row[0].text) for row in header + body if row), default=10) + 2))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(str(path))
    return path


def _plain(value: float | int) -> str:
    """The text ``as_cell`` gives a number: a cell showing it is written as a number."""
    return format_number(value, 0 if isinstance(value, int) else 2)

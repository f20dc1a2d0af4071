"""Spreadsheet-safe cells: the one place where effektspor writes values to XLSX and CSV.

Text that reaches a spreadsheet often comes from imported files (team names, case ids,
memos, code names). A text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return would be taken as a formula by Excel or LibreOffice ("formula injection", e.g.
``=HYPERLINK("http://…","Team")``). Every writer goes through this module:

* XLSX (:func:`write_cell`, :func:`append_row`): text is stored as a string cell (never a
  formula) with Excel's "quote prefix" style, so the visible text is unchanged and editing
  the cell does not turn it into a formula either. Sheets that effektspor reads back pass
  ``read_back=True``: a text that itself starts with an apostrophe before a trigger then
  gets one more, so that :func:`unescape_text` returns it exactly (a coder may have saved
  the escaped CSV as XLSX, so readers unescape both formats).
* CSV (:func:`csv_writer`, :func:`dict_writer`): such text gets a leading apostrophe
  (the OWASP convention), which spreadsheet programs show as text.

Numbers, dates, booleans and empty cells are written unchanged: a real negative number
is a number, not text. Readers of sheets effektspor wrote itself call
:func:`unescape_text` to remove the apostrophe again, so ids round-trip exactly.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # openpyxl is imported only where a workbook is written
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

#: First characters that make a spreadsheet program read a text as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: The escape put before such a text in CSV (shown as text by Excel and LibreOffice).
ESCAPE = "'"
# Control characters XLSX cannot store (openpyxl raises IllegalCharacterError for them).
_ILLEGAL_XLSX = re.compile(r"[\000-\010\013\014\016-\037]")


def needs_escape(text: str) -> bool:
    """Whether ``text`` must be escaped to stay text.

    That is a text starting with a formula trigger, after any number of apostrophes: the
    apostrophes are included so that :func:`unescape_text` can tell an escape from an
    apostrophe that was part of the original text (the mapping is reversible).
    """
    return text.lstrip(ESCAPE).startswith(FORMULA_TRIGGERS)


def escape_text(text: str) -> str:
    """``text`` with a leading apostrophe if a spreadsheet would read it as a formula."""
    return ESCAPE + text if needs_escape(text) else text


def unescape_text(value: Any) -> Any:
    """Undo :func:`escape_text` on a value read back from a sheet; other values unchanged."""
    if isinstance(value, str) and value.startswith(ESCAPE) and needs_escape(value[1:]):
        return value[1:]
    return value


def csv_value(value: Any) -> Any:
    """A value as it is written to CSV: text escaped, anything else unchanged."""
    return escape_text(value) if isinstance(value, str) else value


def set_cell_value(cell: Cell, value: Any, *, read_back: bool = False) -> Cell:
    """Put ``value`` into an openpyxl ``cell``; text is always a string, never a formula.

    Control characters XLSX cannot hold are dropped. With ``read_back``, the text is
    stored so that :func:`unescape_text` gives it back exactly (see the module docstring).
    """
    if not isinstance(value, str):
        cell.value = value
        return cell
    text = _ILLEGAL_XLSX.sub("", value)
    if read_back and text.startswith(ESCAPE) and needs_escape(text):
        text = ESCAPE + text
    cell.value = text
    cell.data_type = "s"  # openpyxl makes every str starting with "=" a formula otherwise
    if needs_escape(text):
        cell.quotePrefix = True
    return cell


def write_cell(sheet: Worksheet, row: int, column: int, value: Any, *,
               read_back: bool = False) -> Cell:
    """Write ``value`` to ``sheet`` at (``row``, ``column``) safely and return the cell."""
    return set_cell_value(sheet.cell(row=row, column=column), value, read_back=read_back)


def append_row(sheet: Worksheet, values: Iterable[Any], *,
               read_back: bool = False) -> list[Cell]:
    """Like ``sheet.append(values)`` (a new row at the bottom), with every value safe."""
    from openpyxl.cell.cell import Cell

    cells = [set_cell_value(Cell(sheet), value, read_back=read_back) for value in values]
    sheet.append(cells)
    return cells


class SafeCsvWriter:
    """Like ``csv.writer``, but every text value is escaped with :func:`csv_value`."""

    def __init__(self, handle: Any, **fmtparams: Any):
        self._writer = csv.writer(handle, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> Any:
        """Write one row."""
        return self._writer.writerow([csv_value(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write many rows."""
        for row in rows:
            self.writerow(row)


class SafeDictWriter:
    """Like ``csv.DictWriter`` (unknown keys raise), with escaped header and values."""

    def __init__(self, handle: Any, fieldnames: Sequence[str], *, restval: Any = "",
                 **fmtparams: Any):
        self.fieldnames = list(fieldnames)
        self.restval = restval
        self._writer = SafeCsvWriter(handle, **fmtparams)

    def writeheader(self) -> Any:
        """Write the header row."""
        return self._writer.writerow(self.fieldnames)

    def writerow(self, row: Mapping[str, Any]) -> Any:
        """Write one row given as a dict."""
        unknown = [key for key in row if key not in self.fieldnames]
        if unknown:
            raise ValueError(f"dict contains fields not in fieldnames: {unknown!r}")
        return self._writer.writerow([row.get(key, self.restval) for key in self.fieldnames])

    def writerows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Write many rows given as dicts."""
        for row in rows:
            self.writerow(row)


def csv_writer(handle: Any, **fmtparams: Any) -> SafeCsvWriter:
    """A CSV writer that escapes text (same parameters as ``csv.writer``)."""
    return SafeCsvWriter(handle, **fmtparams)


def dict_writer(handle: Any, fieldnames: Sequence[str], **kwargs: Any) -> SafeDictWriter:
    """A dict CSV writer that escapes text (same parameters as ``csv.DictWriter``)."""
    return SafeDictWriter(handle, fieldnames, **kwargs)

"""Reading one sheet of an XLSX file within limits: sizes, rows, columns and cells.

openpyxl on its own trusts the file. A declared dimension of ``A1:XFD1048576`` makes it
pad every row to 16,384 cells and fill in a million empty rows (minutes of work for a
1.6 KB file), and a small archive can unpack to gigabytes of XML. So:

* the archive's member sizes are checked before openpyxl opens it (``XLSX_LIMITS``);
* the declared dimension is ignored: only the cells that are really in the sheet are
  read, and only up to the width of the header row (at most ``MAX_COLUMNS`` columns);
* row numbers above ``MAX_ROWS`` and more than ``MAX_CELLS`` cells stop the read with a
  problem;
* a formula cell without a cached value (never calculated, e.g. written by a program)
  and an Excel error value (#DIV/0!, #N/A) are problems, not empty or text fields;
* an Excel date serial number (43556, as a number or as text) in a date field is read
  as the date it stands for (the workbook's 1900 or 1904 date system).

The sheet is parsed with openpyxl's own worksheet parser (the one its read-only mode uses),
so cell values, shared strings, styles and dates are read exactly as openpyxl reads them.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from effektspor.domain.errors import Problem
from effektspor.domain.formatting import format_number
from effektspor.ingest.archives import ZipLimits, zip_problem
from effektspor.ingest.sources import SourceSpec
from effektspor.ingest.tabular import Advance, Row, cell_value, plan_columns

_MB = 1 << 20

#: Most columns a sheet may have (the header row's width, up to its last heading).
MAX_COLUMNS = 500
#: Highest row number read (Excel's own maximum).
MAX_ROWS = 1_048_576
#: Most cells read from one sheet (counting the cells that are really in the file).
MAX_CELLS = 20_000_000
#: Most shared strings (openpyxl holds them all in memory, ~160 bytes each when short).
MAX_SHARED_STRINGS = 1_000_000
#: What the archive may hold before openpyxl opens it.
XLSX_LIMITS = ZipLimits(
    kind="XLSX", old_format=".xls", max_members=10_000, max_part_bytes=512 * _MB,
    max_total_bytes=1024 * _MB, max_ratio=100,
    part_limits={"xl/sharedStrings.xml": 128 * _MB, "xl/styles.xml": 32 * _MB})

#: Fields that hold dates (Excel serial numbers in them are read as dates).
DATE_FIELDS = frozenset({"dato", "startdato", "slutdato"})
#: Serial numbers read as dates: 10000 (1927-05-18) to 99999 (2173-10-14); a smaller
#: number such as a year (2019) is left alone and reported as an invalid date.
_SERIAL_RANGE = (10_000, 100_000)
_SERIAL_TEXT = re.compile(r"\d{5}(?:[.,]\d+)?")

_STRING_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_PROGRESS_EVERY = 2000
_FORGET_ROW_FORMATS_EVERY = 1000

UNCALCULATED = ("cellen indeholder en formel uden beregnet værdi – åbn og gem filen i Excel "
                "(så gemmes formlens resultat), eller skriv værdien i cellen")


class _Unreadable:
    """A cell value that must not be imported: the reason says why (Danish)."""

    __slots__ = ("reason",)

    def __init__(self, reason: str):
        self.reason = reason


_UNCALCULATED = _Unreadable(UNCALCULATED)


class _SheetParser(WorkSheetParser):
    """openpyxl's worksheet parser that marks formulas without value and error values."""

    unreadable = False

    def parse_cell(self, element: Any) -> dict:
        cell = super().parse_cell(element)
        value = cell["value"]
        if value is None:
            # A formula with an empty result is stored as type 'str' with an empty value;
            # without a type (or with a number type) an empty value was never calculated.
            if cell["data_type"] != "str" and element.find(FORMULA_TAG) is not None:
                cell["value"] = _UNCALCULATED
                self.unreadable = True
        elif cell["data_type"] == "e":
            cell["value"] = _Unreadable(
                f"cellen indeholder Excel-fejlværdien {value}; ret formlen eller værdien i "
                "regnearket")
            self.unreadable = True
        return cell


def shared_string_count(path: Any) -> int:
    """How many shared strings the workbook holds (counted in the XML, without parsing it)."""
    count = 0
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.lower().endswith("sharedstrings.xml"):
                continue
            with archive.open(name) as part:
                carry = b""
                while chunk := part.read(1 << 20):
                    chunk = carry + chunk
                    cut = chunk.rfind(b"<")  # a tag may go on in the next chunk
                    cut = cut if cut >= 0 else len(chunk)
                    count += sum(1 for _ in _STRING_TAG.finditer(chunk, 0, cut))
                    carry = chunk[cut:]
                count += sum(1 for _ in _STRING_TAG.finditer(carry))
    return count


def _open(spec: SourceSpec) -> tuple[Any, Any, Problem | None]:
    """The workbook and sheet of ``spec``, or the problem why they cannot be opened."""
    refused = zip_problem(spec.path, XLSX_LIMITS)
    if refused:
        return None, None, Problem(refused, spec.display)
    try:
        strings = shared_string_count(spec.path)
    except Exception as error:  # e.g. a wrong checksum: the part is broken
        return None, None, Problem(
            f"filen kan ikke læses som XLSX ({type(error).__name__})", spec.display)
    if strings > MAX_SHARED_STRINGS:
        return None, None, Problem(
            f"filen har {format_number(strings, 0)} forskellige tekster (delte strenge); højst "
            f"{format_number(MAX_SHARED_STRINGS, 0)} kan læses – gem arket som CSV",
            spec.display)
    try:
        workbook = load_workbook(spec.path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        return None, None, Problem(
            f"filen kan ikke læses som XLSX ({type(error).__name__})", spec.display)
    if spec.sheet is not None:
        if spec.sheet not in workbook.sheetnames:
            problem = Problem(f"arket '{spec.sheet}' findes ikke (arkene er: "
                              f"{', '.join(workbook.sheetnames)})", spec.display, None, "ark")
            workbook.close()
            return None, None, problem
        sheet = workbook[spec.sheet]
    elif workbook.worksheets:
        sheet = workbook.worksheets[0]
    else:
        workbook.close()
        return None, None, Problem("filen har intet regneark", spec.display)
    return workbook, sheet, None


def _parsed_rows(workbook: Any, sheet: Any) -> Iterator[tuple[int, list[dict], bool]]:
    """(row number, the row's real cells, whether a cell is unreadable), in file order."""
    with sheet._get_source() as source:
        parser = _SheetParser(source, sheet._shared_strings, data_only=True,
                              epoch=workbook.epoch, date_formats=workbook._date_formats,
                              timedelta_formats=workbook._timedelta_formats)
        for count, (number, cells) in enumerate(parser.parse(), start=1):
            if count % _FORGET_ROW_FORMATS_EVERY == 0:
                parser.row_dimensions.clear()  # row heights: never used, would grow per row
            unreadable, parser.unreadable = parser.unreadable, False
            yield number, cells, unreadable


def _header_width(cells: list[dict]) -> int:
    """The width of the header row: the column of its last non-empty heading."""
    width = 0
    for cell in cells:
        value = cell["value"]
        if cell["column"] > width and value is not None and str(value).strip():
            width = cell["column"]
    return width


def _row_values(cells: list[dict], width: int) -> list[object]:
    values: list[object] = [None] * width
    for cell in cells:
        column = cell["column"]
        if column <= width:
            values[column - 1] = cell["value"]
    return values


def sheet_headers(spec: SourceSpec) -> list[str]:
    """The header row of an XLSX source ([] if it cannot be read)."""
    workbook, sheet, problem = _open(spec)
    if problem:
        return []
    try:
        for number, cells, _ in _parsed_rows(workbook, sheet):
            width = _header_width(cells) if number == 1 else 0
            if width > MAX_COLUMNS:
                return []
            return [str(cell_value(v)) for v in _row_values(cells, width)]
        return []
    finally:
        workbook.close()


def excel_serial_date(value: object, epoch: datetime, date_format: str | None) -> object:
    """``value`` as a date if it is an Excel serial number in a plausible range, else as is.

    Numbers (43556) and numeric text ('43556', '43556.5') count; text that the source's own
    date format reads (e.g. '%d%m%y') is left to that format.
    """
    if value.__class__ is str:
        text = value.strip()
        if not _SERIAL_TEXT.fullmatch(text):
            return value
        if date_format:
            try:
                datetime.strptime(text, date_format)
                return value
            except ValueError:
                pass
        number: float = float(text.replace(",", "."))
    elif value.__class__ is int or value.__class__ is float:
        number = value  # type: ignore[assignment]
    else:
        return value
    if not _SERIAL_RANGE[0] <= number < _SERIAL_RANGE[1]:
        return value
    return from_excel(number, epoch)


def read_sheet(spec: SourceSpec, advance: Advance | None = None) -> Iterator[Row | Problem]:
    """Stream the rows of one sheet of an XLSX file (first row = headers)."""
    workbook, sheet, problem = _open(spec)
    if problem:
        yield problem
        return
    try:
        yield from _read_rows(spec, workbook, sheet, advance)
    except Exception as error:  # a broken sheet XML shows only while it is parsed
        yield Problem(f"arket kan ikke læses videre – filen er beskadiget "
                      f"({type(error).__name__})", spec.display)
    finally:
        workbook.close()


def _read_rows(spec: SourceSpec, workbook: Any, sheet: Any, advance: Advance | None
               ) -> Iterator[Row | Problem]:
    size = spec.path.stat().st_size
    declared_rows = min(max(sheet.max_row or 1, 1), MAX_ROWS)  # only for progress
    reported = 0
    rows = _parsed_rows(workbook, sheet)
    first = next(rows, None)
    if first is None:
        yield Problem("arket er tomt (ingen overskriftsrække)", spec.display, 1)
        return
    number, cells, _ = first
    width = _header_width(cells) if number == 1 else 0
    if not width:
        yield Problem("række 1 er tom; overskrifterne skal stå i arkets første række",
                      spec.display, 1)
        return
    if width > MAX_COLUMNS:
        yield Problem(f"arket har overskrifter i {width} kolonner; højst {MAX_COLUMNS} kan "
                      "læses – slet de overflødige kolonner", spec.display, 1)
        return
    headers = _row_values(cells, width)
    bad_headers = [(i, h) for i, h in enumerate(headers) if h.__class__ is _Unreadable]
    for i, header in bad_headers:
        yield Problem(f"overskriften i kolonne nr. {i + 1}: {header.reason}",  # type: ignore[union-attr]
                      spec.display, 1)
    if bad_headers:
        return
    plan = plan_columns(spec, [cell_value(h) for h in headers])
    yield from plan.problems
    if plan.problems:
        return
    columns = [(i, name) for i, name in plan.fields] + [(i, name) for i, name in plan.attributes]
    dates = [(i, name) for i, name in plan.fields if name in DATE_FIELDS]
    strict = spec.strict_columns or spec.kind == "sager"
    headless: set[int] = set()
    cells_read, rows_read = len(cells), 1
    for number, cells, unreadable in rows:
        cells_read += len(cells)
        rows_read += 1
        if number > MAX_ROWS or rows_read > MAX_ROWS or cells_read > MAX_CELLS:
            limit = (f"flere end {format_number(MAX_CELLS, 0)} celler" if cells_read > MAX_CELLS
                     else f"flere end {format_number(MAX_ROWS, 0)} rækker")
            yield Problem(f"arket har {limit}; det kan ikke læses (gem det i mindre dele, "
                          "eller som CSV)", spec.display, number)
            return
        values = _row_values(cells, width)
        if strict and cells and cells[-1]["column"] > width:
            for cell in cells:
                column = cell["column"]
                if (column > width and column not in headless and len(headless) < 20
                        and str(cell_value(cell["value"]))):
                    headless.add(column)
                    yield Problem(f"kolonne nr. {column} har data, men ingen overskrift",
                                  spec.display, number)
        if values.count(None) == width or all(v is None or str(v).strip() == ""
                                               for v in values):
            continue
        if unreadable:
            bad = [(name, values[i]) for i, name in columns
                   if values[i].__class__ is _Unreadable]
            for name, value in bad:
                yield Problem(value.reason, spec.display, number, name)  # type: ignore[union-attr]
            if bad:
                continue
        for i, _name in dates:
            values[i] = excel_serial_date(values[i], workbook.epoch, spec.date_format)
        yield Row(number, {name: cell_value(values[i]) for i, name in plan.fields},
                  {name: str(cell_value(values[i])) for i, name in plan.attributes})
        if advance and rows_read % _PROGRESS_EVERY == 0:
            position = max(size * min(number, declared_rows) // declared_rows, reported)
            advance(position - reported)
            reported = position
    if advance:
        advance(size - reported)

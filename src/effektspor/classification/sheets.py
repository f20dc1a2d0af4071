"""Reading and writing tables of case values: value imports and blind re-coding sheets.

Two layouts are read: long (columns ``sag``, ``variabel``, ``værdi``) and wide (``sag``
plus one column per variable, named by its name or Danish label). CSV files may use ``;``
or ``,``; lines starting with ``#`` are comments (the blind sheet puts the criteria there).
Every problem names file, line and field; nothing is returned unless all rows are valid.
Sheets are written through ``report.spreadsheet`` (no text becomes a formula), and the
apostrophe it puts before such a text in CSV is removed again when a sheet is read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from effektspor.domain.errors import EffektsporError, Problem, ValidationError
from effektspor.domain.variables import Variable
from effektspor.report.spreadsheet import append_row, csv_writer, unescape_text

CASE_COLUMN = "sag"
_CASE_ALIASES = {"sag", "sags-id", "sagsid", "sagsnummer", "sag_id", "case"}


@dataclass(frozen=True, slots=True)
class ValueRow:
    """One validated value from a file: case, variable name, canonical value, and where."""

    case_external_id: str
    variable: str
    value: str
    file: str
    line: int


def read_value_table(path: Path, variables: Sequence[Variable], *,
                     known_cases: Iterable[str], unknown_case_message: str =
                     "sagen findes ikke i projektet", allow_empty: bool = True,
                     ) -> list[ValueRow]:
    """Read and validate a value table (long or wide layout, CSV or XLSX).

    Empty cells are skipped when ``allow_empty`` (a coder may leave a value open). Raises
    ``ValidationError`` listing every problem, or ``EffektsporError`` if the file cannot
    be read at all.
    """
    path = Path(path)
    name = path.name
    lines = _read_rows(path)
    if not lines:
        raise EffektsporError(f"{name}: filen er tom.")
    header_line, header = lines[0]
    columns = [str(unescape_text(c) or "").strip() for c in header]
    folded = [c.casefold() for c in columns]
    by_key = {}
    for variable in variables:
        by_key[variable.name.casefold()] = variable
        by_key[variable.label.casefold()] = variable
    case_index = next((i for i, c in enumerate(folded) if c in _CASE_ALIASES), None)
    if case_index is None:
        raise ValidationError([Problem("kolonnen 'sag' mangler i overskriften", file=name,
                                       line=header_line, field=CASE_COLUMN)])
    long_layout = "variabel" in folded and ("værdi" in folded or "vaerdi" in folded)
    known = set(known_cases)
    problems: list[Problem] = []
    rows: list[ValueRow] = []
    seen: dict[tuple[str, str], int] = {}
    if long_layout:
        var_index = folded.index("variabel")
        value_index = folded.index("værdi") if "værdi" in folded else folded.index("vaerdi")
        cells = [(line, row, _cell(row, var_index), _cell(row, value_index))
                 for line, row in lines[1:]]
    else:
        wide = [(i, by_key.get(c)) for i, c in enumerate(folded) if i != case_index and c]
        unknown_columns = [columns[i] for i, v in wide if v is None]
        for column in unknown_columns:
            problems.append(Problem("ukendt variabel i overskriften", file=name,
                                    line=header_line, field=column))
        cells = [(line, row, v.name, _cell(row, i))
                 for line, row in lines[1:] for i, v in wide if v is not None]
    for line, row, variable_key, raw in cells:
        case_id = _cell(row, case_index)
        if not case_id and not any(_cell(row, i) for i in range(len(row))):
            continue
        if not case_id:
            problems.append(Problem("sags-id mangler", file=name, line=line, field=CASE_COLUMN))
            continue
        if case_id not in known:
            problems.append(Problem(f"'{case_id}': {unknown_case_message}", file=name,
                                    line=line, field=CASE_COLUMN))
            continue
        variable = by_key.get(variable_key.casefold())
        if variable is None:
            problems.append(Problem(f"ukendt variabel '{variable_key}'", file=name, line=line,
                                    field="variabel"))
            continue
        if not raw:
            if not allow_empty:
                problems.append(Problem("værdien mangler", file=name, line=line,
                                        field=variable.name))
            continue
        try:
            value = variable.validate(raw)
        except ValueError as error:
            problems.append(Problem(str(error), file=name, line=line, field=variable.name))
            continue
        key = (case_id, variable.name)
        if key in seen:
            problems.append(Problem(f"sag '{case_id}' har allerede en værdi for "
                                    f"'{variable.label}' (linje {seen[key]})", file=name,
                                    line=line, field=variable.name))
            continue
        seen[key] = line
        rows.append(ValueRow(case_id, variable.name, value, name, line))
    if problems:
        raise ValidationError(problems)
    return rows


def _cell(row: Sequence[object], index: int) -> str:
    if index >= len(row) or row[index] is None:
        return ""
    return str(unescape_text(row[index])).strip()


def _read_rows(path: Path) -> list[tuple[int, list[object]]]:
    """Non-empty, non-comment rows with their 1-based line (CSV) or row (XLSX) numbers."""
    if not path.exists():
        raise EffektsporError(f"Filen {path} findes ikke.")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as error:
            raise EffektsporError(f"{path.name}: kan ikke læses som Excel-fil ({error}).") \
                from None
        sheet = workbook.worksheets[0]
        rows = [(number, list(values)) for number, values in
                enumerate(sheet.iter_rows(values_only=True), start=1)
                if any(v not in (None, "") for v in values)
                and not str(values[0] or "").startswith("#")]
        workbook.close()
        return rows
    if path.suffix.lower() not in (".csv", ".txt"):
        raise EffektsporError(f"{path.name}: ukendt filtype (brug .csv eller .xlsx).")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise EffektsporError(f"{path.name}: filen er ikke UTF-8. Gem den som 'CSV UTF-8'.") \
            from None
    data_lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    delimiter = ";" if data_lines and data_lines[0].count(";") >= data_lines[0].count(",") \
        else ","
    result = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        result.append((number, next(csv.reader(io.StringIO(line), delimiter=delimiter))))
    return result


def criteria_lines(variables: Sequence[Variable]) -> list[str]:
    """Human-readable criteria of ``variables`` (one line per value), Danish."""
    lines: list[str] = []
    for variable in variables:
        lines.append(f"{variable.label} ({variable.name}): {variable.description}".rstrip(": "))
        for value in variable.values:
            criterion = variable.criteria.get(value, "")
            lines.append(f"  {value}: {criterion}".rstrip(": "))
    return lines


def write_blind_sheet(path: Path, case_ids: Sequence[str], variables: Sequence[Variable], *,
                      title: str) -> Path:
    """Write a blind re-coding sheet: case ids, empty value columns, and the criteria.

    Only case ids and criteria are written, never anybody's values. XLSX gets the criteria
    on a second sheet "Kriterier"; CSV gets them as ``#`` comment lines before the header.
    """
    path = Path(path)
    header = [CASE_COLUMN] + [v.name for v in variables]
    if path.suffix.lower() == ".xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Rekodning"
        for cell in append_row(sheet, header, read_back=True):
            cell.font = Font(bold=True)
        for case_id in case_ids:
            append_row(sheet, [case_id] + [None] * len(variables), read_back=True)
        sheet.column_dimensions["A"].width = 18
        criteria = workbook.create_sheet("Kriterier")
        append_row(criteria, [title])[0].font = Font(bold=True)
        append_row(criteria, ["Udfyld én værdi pr. sag og variabel i arket 'Rekodning'. "
                              "Brug præcis de værdier, der står nedenfor."])
        for line in criteria_lines(variables):
            append_row(criteria, [line])
        criteria.column_dimensions["A"].width = 110
        for row in criteria.iter_rows():
            row[0].alignment = Alignment(wrap_text=True)
        workbook.save(path)
        return path
    if path.suffix.lower() != ".csv":
        raise EffektsporError(f"{path.name}: ukendt filtype (brug .csv eller .xlsx).")
    buffer = io.StringIO()
    buffer.write(f"# {_one_line(title)}\n"
                 "# Udfyld én værdi pr. sag og variabel. Tilladte værdier:\n")
    for line in criteria_lines(variables):
        buffer.write(f"# {_one_line(line)}\n")
    writer = csv_writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    for case_id in case_ids:
        writer.writerow([case_id] + [""] * len(variables))
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")
    return path


def _one_line(text: str) -> str:
    """``text`` on one line: a comment line must not end early and start a data line."""
    return " ".join(text.splitlines())

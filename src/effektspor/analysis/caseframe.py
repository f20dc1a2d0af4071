"""A plain table of cases read from CSV: one row per case, one column per variable.

Accepts ";" or "," as separator and UTF-8 (with or without BOM) or cp1252 (Excel's Danish
default). Errors are Danish and name the file, the line and the column. A leading
apostrophe that effektspor's CSV export puts before a formula-like text is removed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from effektspor.domain.errors import Problem, ValidationError
from effektspor.domain.vocabulary import OUTCOMES, SEVERITIES
from effektspor.report.spreadsheet import unescape_text

#: Columns recognised as the case id, in order of preference.
CASE_ID_COLUMNS: tuple[str, ...] = ("sag_id", "sagid", "sag", "case", "case_id", "id")

#: Value orders that are declared by the domain (ordinal variables), used when every value fits.
DECLARED_ORDERS: tuple[tuple[str, ...], ...] = (OUTCOMES, SEVERITIES)

TRUE_WORDS = frozenset({"1", "1.0", "true", "sand", "ja", "j", "x", "yes", "y"})
FALSE_WORDS = frozenset({"0", "0.0", "false", "falsk", "nej", "n", "no", ""})


@dataclass(frozen=True)
class CaseTable:
    """Cases with their variable values as text; ``line_numbers`` point into the source file."""

    source: str
    columns: list[str]
    case_ids: list[str]
    values: dict[str, list[str]]
    line_numbers: list[int] = field(default_factory=list)
    id_column: str | None = None

    def __len__(self) -> int:
        return len(self.case_ids)

    def column(self, name: str) -> list[str]:
        """Return the values of one variable; a Danish error names the known columns if missing."""
        if name not in self.values:
            known = ", ".join(self.columns)
            raise ValidationError([Problem(
                f"variablen '{name}' findes ikke (kolonner: {known})",
                file=self.source, line=1, field=name)],
                f"Variablen '{name}' findes ikke i {self.source}.")
        return self.values[name]

    def value_order(self, name: str) -> list[str]:
        """Return the distinct non-empty values of a variable in declared or first-seen order."""
        return value_order(self.column(name))

    def booleans(self, name: str) -> list[bool | None]:
        """Read a variable as true/false (1/0, ja/nej, sand/falsk); empty cells become None."""
        result: list[bool | None] = []
        problems: list[Problem] = []
        for raw, line in zip(self.column(name), self._lines(), strict=True):
            word = raw.strip().lower()
            if word == "":
                result.append(None)
            elif word in TRUE_WORDS:
                result.append(True)
            elif word in FALSE_WORDS:
                result.append(False)
            else:
                result.append(None)
                problems.append(Problem(
                    f"'{raw}' er ikke en sand/falsk-værdi (brug 1/0 eller ja/nej)",
                    file=self.source, line=line, field=name))
        if problems:
            raise ValidationError(problems, f"Variablen '{name}' skal være 1/0 (ja/nej).")
        return result

    def _lines(self) -> list[int]:
        return self.line_numbers or list(range(2, len(self.case_ids) + 2))


def declared_order(values: Iterable[str]) -> tuple[str, ...] | None:
    """The domain's declared order (outcome, severity) that holds every non-empty value
    (compared without regard to case, so "i mål" fits "I mål")."""
    present = {value.casefold() for value in values if value != ""}
    return next((order for order in DECLARED_ORDERS
                 if present and present <= {v.casefold() for v in order}), None)


def value_order(values: Iterable[str], declared: Sequence[str] | None = None) -> list[str]:
    """Distinct non-empty values: the declared order if every value is in it (ignoring case),
    else first seen. The values keep their own spelling."""
    seen: list[str] = []
    for value in values:
        if value != "" and value not in seen:
            seen.append(value)
    orders = [tuple(declared)] if declared else list(DECLARED_ORDERS)
    for order in orders:
        rank = {v.casefold(): i for i, v in enumerate(order)}
        if seen and all(value.casefold() in rank for value in seen):
            return sorted(seen, key=lambda value: (rank[value.casefold()], value))
    return seen


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _sniff_separator(header: str) -> str:
    return ";" if header.count(";") >= header.count(",") and ";" in header else ","


def parse_case_csv(text: str, source: str = "<tekst>") -> CaseTable:
    """Parse CSV text of cases; the header names the variables, ``sag_id`` (or id) the case."""
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ValidationError([Problem("filen er tom eller mangler en overskriftslinje",
                                       file=source, line=1)], f"{source} er tom.")
    separator = _sniff_separator(lines[0])
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    header = [unescape_text(name).strip() for name in next(reader)]
    problems: list[Problem] = []
    for index, name in enumerate(header, start=1):
        if not name:
            problems.append(Problem(f"kolonne {index} har intet navn", file=source, line=1))
        elif header.index(name) != index - 1:
            problems.append(Problem("kolonnenavnet står der to gange", file=source, line=1,
                                    field=name))
    if problems:
        raise ValidationError(problems, f"Overskriftslinjen i {source} er ugyldig.")
    lowered = [name.lower() for name in header]
    id_column = next((header[lowered.index(c)] for c in CASE_ID_COLUMNS if c in lowered), None)
    values: dict[str, list[str]] = {name: [] for name in header}
    case_ids: list[str] = []
    line_numbers: list[int] = []
    seen_ids: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        row = [unescape_text(cell) for cell in row]  # effektspor's own CSV escape
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(Problem(
                f"linjen har {len(row)} felter, men overskriften har {len(header)} "
                f"(skilletegn '{separator}')", file=source, line=line))
            continue
        for name, cell in zip(header, row, strict=True):
            values[name].append(cell.strip())
        case_id = row[header.index(id_column)].strip() if id_column else str(len(case_ids) + 1)
        if id_column and not case_id:
            problems.append(Problem("sagen mangler et id", file=source, line=line,
                                    field=id_column))
        elif case_id in seen_ids:
            problems.append(Problem(f"sag '{case_id}' står også på linje {seen_ids[case_id]}",
                                    file=source, line=line, field=id_column))
        seen_ids[case_id] = line
        case_ids.append(case_id)
        line_numbers.append(line)
    if problems:
        raise ValidationError(problems, f"{source} kan ikke læses: {len(problems)} problem(er).")
    if not case_ids:
        raise ValidationError([Problem("filen har ingen sager under overskriften",
                                       file=source, line=2)], f"{source} har ingen sager.")
    return CaseTable(source=source, columns=header, case_ids=case_ids, values=values,
                     line_numbers=line_numbers, id_column=id_column)


def read_case_csv(path: str | Path) -> CaseTable:
    """Read a CSV file of cases (UTF-8 or cp1252, ";" or "," separated)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ValidationError([Problem(f"filen kan ikke læses ({error.strerror})",
                                       file=str(path))], f"Kan ikke læse {path}.") from error
    return parse_case_csv(_decode(data), source=path.name)


def table_from_records(records: Sequence[dict[str, object]], source: str = "<sager>",
                       id_column: str = "sag_id") -> CaseTable:
    """Build a CaseTable from dictionaries (e.g. a project's case classifications)."""
    columns: list[str] = []
    for record in records:
        for name in record:
            if name not in columns:
                columns.append(name)
    values = {name: ["" if record.get(name) is None else str(record.get(name))
                      for record in records] for name in columns}
    ids = values.get(id_column) or [str(i + 1) for i in range(len(records))]
    return CaseTable(source=source, columns=columns, case_ids=list(ids), values=values,
                     line_numbers=list(range(2, len(records) + 2)),
                     id_column=id_column if id_column in values else None)

"""Streaming readers for tables: CSV (sniffed delimiter and encoding), XLSX and JSONL.

Each reader yields ``Row`` objects (fields already renamed to the standard field names)
or ``Problem`` objects, one row at a time, so a file of any size is read in constant
memory. ``advance(n)`` is called with the number of bytes read since the last call.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from effektspor.domain.errors import Problem
from effektspor.ingest.sources import REQUIRED_FIELDS, SourceSpec, all_fields

Advance = Callable[[int], None]
_SAMPLE_BYTES = 1 << 20
_PROGRESS_EVERY = 2000
_FIELD_LIMIT = 64 << 20


@dataclass(slots=True)
class Row:
    """One data row: its line (CSV/JSONL) or row number (XLSX), fields and free attributes."""

    line: int | None
    fields: dict[str, object]
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class HeaderPlan:
    """How the columns of a table become fields: by position, and what is left over."""

    fields: list[tuple[int, str]]
    attributes: list[tuple[int, str]]
    unused: list[str]
    problems: list[Problem]


def plan_columns(spec: SourceSpec, headers: list[str], line: int = 1) -> HeaderPlan:
    """Match a table's headers to the fields of the source's kind (see ``SourceSpec``)."""
    known = set(all_fields(spec.kind))
    mapping = {k.strip().casefold(): v for k, v in (spec.columns or {}).items()}
    plan = HeaderPlan([], [], [], [])
    seen: dict[str, str] = {}
    for index, raw in enumerate(headers):
        header = str(raw or "").strip().lstrip("\ufeff")
        key = header.casefold()
        target = mapping.get(key) if spec.columns is not None else (key if key in known else None)
        if target:
            if target in seen:
                plan.problems.append(Problem(
                    f"feltet '{target}' kommer fra både kolonnen '{seen[target]}' og "
                    f"'{header}'", spec.display, line, header))
                continue
            seen[target] = header
            plan.fields.append((index, target))
        elif not header:
            if spec.kind == "sager" or spec.strict_columns:
                plan.problems.append(Problem(
                    f"kolonne nr. {index + 1} har ingen overskrift", spec.display, line))
        elif spec.kind == "sager":
            plan.attributes.append((index, header))
        elif spec.strict_columns:
            plan.problems.append(Problem(
                f"ukendt kolonne '{header}' (kendte: {', '.join(all_fields(spec.kind))}); "
                "fjern den, eller brug en tilknytningsfil", spec.display, line, header))
        else:
            plan.unused.append(header)
    if spec.columns is not None:
        present = {str(h or "").strip().lstrip("\ufeff").casefold() for h in headers}
        for column in spec.columns:
            if column.strip().casefold() not in present:
                plan.problems.append(Problem(
                    f"kolonnen '{column}' fra tilknytningsfilen findes ikke i filen",
                    spec.display, line, column))
    for required in REQUIRED_FIELDS[spec.kind]:
        if required not in seen and not _supplied_elsewhere(spec, required):
            plan.problems.append(Problem(
                f"den påkrævede kolonne '{required}' mangler", spec.display, line, required))
    return plan


def _supplied_elsewhere(spec: SourceSpec, name: str) -> bool:
    return name == "dokumenttype" and spec.document_type is not None


def detect_encoding(sample: bytes) -> str:
    """'utf-8-sig' with a BOM, 'utf-8' if the sample decodes as UTF-8, else 'cp1252'."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def sniff_delimiter(header_line: str) -> str:
    """The delimiter (';', ',' or tab) that occurs most often in the header line."""
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _encoding_problem(spec: SourceSpec, encoding: str, line: int) -> Problem:
    return Problem(f"filen er ikke gyldig tekst i tegnsættet {encoding} (forkert tegnsæt "
                   "eller en beskadiget fil); gem den som UTF-8, eller angiv 'tegnsæt' "
                   "(fx cp1252) i en tilknytningsfil", spec.display, line)


def _csv_error(error: csv.Error) -> str:
    text = str(error)
    if "expected after" in text:
        return ("efter et afsluttende anførselstegn skal skilletegnet komme; skriv "
                "anførselstegn inde i et felt som \"\" og sæt hele feltet i anførselstegn")
    if "unexpected end of data" in text:
        return "et anførselstegn bliver aldrig lukket (filen slutter midt i et felt)"
    if "NUL" in text:
        return "linjen indeholder et NUL-tegn (er filen et regneark eller beskadiget?)"
    if "field larger" in text:
        return f"et felt er større end {_FIELD_LIMIT // (1 << 20)} MB"
    return f"ugyldig CSV ({text})"


def read_csv(spec: SourceSpec, advance: Advance | None = None) -> Iterator[Row | Problem]:
    """Stream a CSV file: sniffed delimiter and encoding, quoted multi-line fields."""
    if csv.field_size_limit() < _FIELD_LIMIT:  # default 128 KiB is too small for documents
        csv.field_size_limit(_FIELD_LIMIT)
    with open(spec.path, "rb") as raw:
        encoding = spec.encoding or detect_encoding(raw.read(_SAMPLE_BYTES))
        raw.seek(0)
        try:
            text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        except LookupError:
            yield Problem(f"ukendt tegnsæt '{encoding}'", spec.display, None, "tegnsæt")
            return
        reported = 0
        try:
            header_line = text.readline()
        except UnicodeDecodeError:
            yield _encoding_problem(spec, encoding, 1)
            return
        if not header_line.strip():
            yield Problem("filen er tom (ingen overskriftslinje)", spec.display, 1)
            return
        delimiter = spec.delimiter or sniff_delimiter(header_line)
        reader = csv.reader(itertools.chain([header_line], text), delimiter=delimiter,
                            strict=True)
        headers = next(reader)
        plan = plan_columns(spec, headers)
        yield from plan.problems
        if plan.problems:
            return
        width = len(headers)
        previous_end = reader.line_num
        count = 0
        while True:
            try:
                values = next(reader)
            except StopIteration:
                break
            except UnicodeDecodeError:
                yield _encoding_problem(spec, encoding, reader.line_num + 1)
                return
            except csv.Error as error:
                yield Problem(f"rækken kan ikke læses som CSV: {_csv_error(error)}",
                              spec.display, previous_end + 1)
                previous_end = reader.line_num
                continue
            line = previous_end + 1
            previous_end = reader.line_num
            if not values or (len(values) == 1 and not values[0].strip()):
                continue
            if len(values) != width:
                yield Problem(f"rækken har {len(values)} felter, men overskriften har {width} "
                              f"(skilletegn '{delimiter}')", spec.display, line)
                continue
            yield Row(line, {name: values[i].strip() for i, name in plan.fields},
                      {name: values[i].strip() for i, name in plan.attributes})
            count += 1
            if advance and count % _PROGRESS_EVERY == 0:
                position = raw.tell()
                advance(position - reported)
                reported = position
        if advance:
            advance(spec.path.stat().st_size - reported)


def cell_value(value: object) -> object:
    """A spreadsheet or JSON value as text (dates stay dates; 12.0 becomes '12')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx(spec: SourceSpec, advance: Advance | None = None) -> Iterator[Row | Problem]:
    """Stream the rows of one sheet of an XLSX file (first row = headers)."""
    import openpyxl  # imported here: only needed for XLSX sources

    try:
        workbook = openpyxl.load_workbook(spec.path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        yield Problem(f"filen kan ikke læses som XLSX ({type(error).__name__})", spec.display)
        return
    try:
        if spec.sheet is not None:
            if spec.sheet not in workbook.sheetnames:
                yield Problem(f"arket '{spec.sheet}' findes ikke (arkene er: "
                              f"{', '.join(workbook.sheetnames)})", spec.display, None, "ark")
                return
            sheet = workbook[spec.sheet]
        else:
            sheet = workbook.worksheets[0]
        size = spec.path.stat().st_size
        total_rows = max(sheet.max_row or 1, 1)
        reported = 0
        rows = sheet.iter_rows(values_only=True)
        headers = next(rows, None)
        if headers is None:
            yield Problem("arket er tomt (ingen overskriftsrække)", spec.display, 1)
            return
        plan = plan_columns(spec, [cell_value(h) for h in headers])
        yield from plan.problems
        if plan.problems:
            return
        for number, values in enumerate(rows, start=2):
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            values = list(values) + [None] * (len(headers) - len(values))
            yield Row(number, {name: cell_value(values[i]) for i, name in plan.fields},
                      {name: str(cell_value(values[i])) for i, name in plan.attributes})
            if advance and number % _PROGRESS_EVERY == 0:
                position = size * min(number, total_rows) // total_rows
                advance(position - reported)
                reported = position
        if advance:
            advance(size - reported)
    finally:
        workbook.close()


def read_jsonl(spec: SourceSpec, advance: Advance | None = None) -> Iterator[Row | Problem]:
    """Stream a JSON Lines file: one JSON object per line, keys are the columns."""
    plans: dict[tuple[str, ...], HeaderPlan] = {}
    reported_problems: set[str] = set()
    with open(spec.path, "rb") as raw:
        pending = 0
        for number, line_bytes in enumerate(raw, start=1):
            pending += len(line_bytes)
            if advance and pending > 1 << 20:
                advance(pending)
                pending = 0
            if not line_bytes.strip():
                continue
            try:
                obj = json.loads(line_bytes.decode(spec.encoding or "utf-8-sig"))
            except UnicodeDecodeError:
                yield _encoding_problem(spec, spec.encoding or "utf-8", number)
                continue
            except json.JSONDecodeError as error:
                yield Problem(f"linjen er ikke gyldig JSON ({error.msg}, tegn {error.colno})",
                              spec.display, number)
                continue
            if not isinstance(obj, dict):
                yield Problem("linjen skal være et JSON-objekt ({...})", spec.display, number)
                continue
            keys = tuple(obj)
            plan = plans.get(keys)
            if plan is None:
                plan = plans[keys] = plan_columns(spec, list(keys), number)
            fresh = [p for p in plan.problems if p.message not in reported_problems]
            missing = [p for p in plan.problems if "påkrævede" in p.message]
            for problem in fresh:
                reported_problems.add(problem.message)
                yield problem
            for problem in missing:
                if problem not in fresh:
                    yield Problem(problem.message, spec.display, number, problem.field)
            if plan.problems:
                continue
            values = list(obj.values())
            if any(isinstance(v, dict | list) for v in values):
                yield Problem("værdierne skal være tekst, tal eller ja/nej (ikke lister eller "
                              "objekter)", spec.display, number)
                continue
            yield Row(number, {name: cell_value(values[i]) for i, name in plan.fields},
                      {name: str(cell_value(values[i])) for i, name in plan.attributes})
        if advance:
            advance(pending)


READERS: dict[str, Callable[[SourceSpec, Advance | None], Iterator[Row | Problem]]] = {
    "csv": read_csv, "xlsx": read_xlsx, "jsonl": read_jsonl,
}


def unused_columns(spec: SourceSpec) -> list[str]:
    """Columns of a non-strict CSV/XLSX source that no field uses (for the summary)."""
    if spec.strict_columns or spec.format not in ("csv", "xlsx"):
        return []
    headers = read_headers(spec)
    return plan_columns(spec, headers).unused if headers else []


def read_headers(spec: SourceSpec) -> list[str]:
    """The header row of a CSV or XLSX source ([] if it cannot be read)."""
    try:
        if spec.format == "csv":
            with open(spec.path, "rb") as raw:
                encoding = spec.encoding or detect_encoding(raw.read(_SAMPLE_BYTES))
            with open(spec.path, encoding=encoding, newline="") as text:
                first = text.readline()
            delimiter = spec.delimiter or sniff_delimiter(first)
            return next(csv.reader([first], delimiter=delimiter), [])
        import openpyxl

        workbook = openpyxl.load_workbook(spec.path, read_only=True, data_only=True)
        try:
            sheet = workbook[spec.sheet] if spec.sheet else workbook.worksheets[0]
            first_row = next(sheet.iter_rows(values_only=True), ())
            return [str(cell_value(v)) for v in first_row]
        finally:
            workbook.close()
    except Exception:  # the real read reports the problem with its place
        return []


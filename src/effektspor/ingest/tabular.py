"""Streaming readers for tables: CSV (sniffed delimiter and encoding), XLSX and JSONL.

Each reader yields ``Row`` objects (fields already renamed to the standard field names)
or ``Problem`` objects, one row at a time, so a file of any size is read in constant
memory. ``advance(n)`` is called with the number of bytes read since the last call.
A reader never raises for what is in the file: whatever it cannot decode, parse or
afford (see the limits in ``spreadsheet`` and below) becomes a Danish ``Problem``.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import BinaryIO

from effektspor.domain.errors import Problem
from effektspor.ingest.decoding import (
    binary_format,
    bom_encoding,
    choose_encoding,
    forbidden_character,
    not_text_message,
    splits_on_newline_bytes,
)
from effektspor.ingest.sources import REQUIRED_FIELDS, SourceSpec, all_fields

Advance = Callable[[int], None]
_SAMPLE_BYTES = 1 << 20
_PROGRESS_EVERY = 2000
_FIELD_LIMIT = 64 << 20

#: JSON Lines: deepest nesting read, and longest number (characters) on a line.
MAX_JSON_DEPTH = 100
MAX_JSON_NUMBER = 100


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
    plan = HeaderPlan([], [], [], [])
    for index, raw in enumerate(headers):
        bad = forbidden_character(str(raw or ""))
        if bad:  # the header itself is not repeated: it cannot be shown or stored
            plan.problems.append(Problem(
                f"overskriften i kolonne nr. {index + 1} indeholder {bad}; filen er måske "
                "gemt i et andet tegnsæt (fx UTF-16 uden BOM) eller er ikke en tekstfil",
                spec.display, line))
    if plan.problems:
        return plan
    known = set(all_fields(spec.kind))
    mapping = {k.strip().casefold(): v for k, v in (spec.columns or {}).items()}
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


def _text_encoding(spec: SourceSpec, raw: BinaryIO) -> tuple[str, Problem | None]:
    """The encoding to read a text file with, or the problem why it cannot be read as text."""
    sample = raw.read(_SAMPLE_BYTES)
    raw.seek(0)
    if bom_encoding(sample) is None:
        what = binary_format(sample)
        if what:
            return "", Problem(not_text_message(what), spec.display)
    encoding = choose_encoding(sample, spec.encoding)
    try:
        "".encode(encoding)
    except LookupError:
        return "", Problem(f"ukendt tegnsæt '{encoding}'", spec.display, None, "tegnsæt")
    return encoding, None


def read_csv(spec: SourceSpec, advance: Advance | None = None) -> Iterator[Row | Problem]:
    """Stream a CSV file: sniffed delimiter and encoding, quoted multi-line fields."""
    if csv.field_size_limit() < _FIELD_LIMIT:  # default 128 KiB is too small for documents
        csv.field_size_limit(_FIELD_LIMIT)
    with open(spec.path, "rb") as raw:
        encoding, problem = _text_encoding(spec, raw)
        if problem:
            yield problem
            return
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
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
        try:
            reader = csv.reader(itertools.chain([header_line], text), delimiter=delimiter,
                                strict=True)
            headers = next(reader)
        except (TypeError, ValueError) as error:  # a delimiter csv cannot use, e.g. '"'
            yield Problem(f"skilletegnet kan ikke bruges ({error})", spec.display, None,
                          "skilletegn")
            return
        except UnicodeDecodeError:
            yield _encoding_problem(spec, encoding, 1)
            return
        except csv.Error as error:
            yield Problem(f"overskriftslinjen kan ikke læses som CSV: {_csv_error(error)}",
                          spec.display, 1)
            return
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
    """Stream the rows of one sheet of an XLSX file (see ``spreadsheet.read_sheet``)."""
    from effektspor.ingest.spreadsheet import read_sheet  # openpyxl only for XLSX sources

    return read_sheet(spec, advance)


class _NumberTooLong(ValueError):
    """A JSON number longer than ``MAX_JSON_NUMBER`` characters."""


def _bounded_number(convert: Callable[[str], object]) -> Callable[[str], object]:
    def parse(text: str) -> object:
        if len(text) > MAX_JSON_NUMBER:
            raise _NumberTooLong(text[:20])
        return convert(text)

    return parse


_JSON = json.JSONDecoder(parse_int=_bounded_number(int), parse_float=_bounded_number(float))
#: A string (its closing quote optional, so an unclosed one is skipped in one step: the
#: scan stays linear) or a bracket.
_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]')


def _too_deep(line: str) -> bool:
    """True if the JSON on ``line`` nests deeper than ``MAX_JSON_DEPTH`` (strings skipped)."""
    if line.count("[") + line.count("{") <= MAX_JSON_DEPTH:
        return False
    depth = 0
    for token in _JSON_TOKENS.finditer(line):
        char = token.group()
        if char == "[" or char == "{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return True
        elif char == "]" or char == "}":
            depth -= 1
    return False


def _parse_json_line(line: str) -> tuple[object, str | None]:
    """The value on a JSON line, or the Danish reason it cannot be read."""
    too_deep = (f"linjen er indlejret for dybt (mere end {MAX_JSON_DEPTH} niveauer af [ ] "
                "eller { }); hver linje skal være ét fladt JSON-objekt")
    if _too_deep(line):
        return None, too_deep
    try:
        return _JSON.decode(line), None
    except _NumberTooLong:
        return None, (f"linjen har et tal med mere end {MAX_JSON_NUMBER} tegn; skriv det som "
                      "tekst i anførselstegn")
    except json.JSONDecodeError as error:
        return None, f"linjen er ikke gyldig JSON ({error.msg}, tegn {error.colno})"
    except RecursionError:
        return None, too_deep
    except ValueError as error:  # e.g. Python's limit on digits of an integer
        return None, f"linjen kan ikke læses som JSON ({type(error).__name__})"


def _text_lines(raw: BinaryIO, encoding: str) -> Iterator[str | None]:
    """The decoded lines of a text file; None for a line that is not valid in ``encoding``.

    UTF-8 and single-byte encodings are split on b'\\n' first (a bad line is reported and
    the next one read); UTF-16/32 are decoded as a stream, which stops at the first error.
    """
    if splits_on_newline_bytes(encoding):
        for line_bytes in raw:
            try:
                yield line_bytes.decode(encoding)
            except UnicodeDecodeError:
                yield None
        return
    text = io.TextIOWrapper(raw, encoding=encoding, newline="\n")
    try:
        yield from text
    except UnicodeDecodeError:
        yield None
    finally:
        text.detach()


_MAX_PLANS = 1000


def read_jsonl(spec: SourceSpec, advance: Advance | None = None) -> Iterator[Row | Problem]:
    """Stream a JSON Lines file: one JSON object per line, keys are the columns."""
    plans: dict[tuple[str, ...], HeaderPlan] = {}
    reported_problems: set[str] = set()
    with open(spec.path, "rb") as raw:
        encoding, problem = _text_encoding(spec, raw)
        if problem:
            yield problem
            return
        reported = 0
        for number, line in enumerate(_text_lines(raw, encoding), start=1):
            if advance and number % _PROGRESS_EVERY == 0:
                position = raw.tell()
                advance(position - reported)
                reported = position
            if line is None:
                yield _encoding_problem(spec, encoding, number)
                continue
            if not line.strip():
                continue
            obj, message = _parse_json_line(line)
            if message is not None:
                yield Problem(message, spec.display, number)
                continue
            if not isinstance(obj, dict):
                yield Problem("linjen skal være et JSON-objekt ({...})", spec.display, number)
                continue
            keys = tuple(obj)
            plan = plans.get(keys)
            if plan is None:
                if len(plans) >= _MAX_PLANS:  # every line with other keys: keep memory bounded
                    plans.clear()
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
            advance(spec.path.stat().st_size - reported)


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
                encoding, problem = _text_encoding(spec, raw)
            if problem:
                return []
            with open(spec.path, encoding=encoding, newline="") as text:
                first = text.readline()
            delimiter = spec.delimiter or sniff_delimiter(first)
            return next(csv.reader([first], delimiter=delimiter), [])
        from effektspor.ingest.spreadsheet import sheet_headers

        return sheet_headers(spec)
    except Exception:  # the real read reports the problem with its place
        return []

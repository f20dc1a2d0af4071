"""The follow-up's CLI contracts on plain CSV files (no project, no database):

* ``due_dates_from_files``: ``opfølgning frister INDSATSER.csv`` — for each measure the
  due dates not yet held, in order, up to a date, with the rule behind each.
* ``caseload_from_file``: ``opfølgning sagstal SAGER.csv`` — open cases and children per
  caseworker and team on a date.

Files are UTF-8 (a BOM is allowed), separated by ``;`` or ``,`` (read from the header).
Every problem is reported with file, line and field, and nothing is computed from a file
with problems.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from effektspor.domain.errors import Problem, ValidationError
from effektspor.domain.followup import MEASURE_KINDS, RISK_LEVELS, DecidedSchedule, MeasureFacts
from effektspor.followup.calendar import DueFollowUp, follow_up_calendar
from effektspor.followup.caseload import CaseloadCase, caseload
from effektspor.followup.dates import add_months
from effektspor.followup.rulesets import RuleSet, load_rule_set
from effektspor.services.followup.validation import Checker

MEASURE_COLUMNS = ("sag", "indsats", "type", "start", "undersøgelse_slut")
HELD_COLUMNS = ("sag", "indsats", "afholdt")
CASE_COLUMNS = ("sag", "rådgiver", "team", "børn", "start", "slut")


def read_rows(path: Path, columns: tuple[str, ...],
          optional: tuple[str, ...] = ()) -> Iterator[tuple[int, dict]]:
    """(line number, row) of a CSV file with the named columns (Danish errors)."""
    name = Path(path).name
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValidationError([Problem("filen findes ikke", file=str(path))]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ValidationError([Problem(f"kan ikke læses som UTF-8-tekst ({error})",
                                       file=name)]) from error
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ValidationError([Problem("filen er tom (første linje skal være kolonnenavnene "
                                       f"{', '.join(columns)})", file=name, line=1)])
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.DictReader(lines, delimiter=delimiter)
    header = [(h or "").strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in columns if c not in header and c not in optional]
    if missing:
        raise ValidationError([Problem(f"kolonnen mangler (fandt: {', '.join(header)})",
                                       file=name, line=1, field=c) for c in missing])
    reader.fieldnames = header
    for row in reader:
        if None in row:
            raise ValidationError([Problem("linjen har flere felter end overskriften",
                                           file=name, line=reader.line_num)])
        if not any((value or "").strip() for value in row.values()):
            continue
        yield reader.line_num, {key: (value or "").strip() for key, value in row.items()}


def read_measures(path: Path, *, kinds: tuple[str, ...] | None = None) -> list[MeasureFacts]:
    """The measures of an INDSATSER file (``sag, indsats, type, start,
    undersøgelse_slut``; an optional ``risiko`` column)."""
    allowed = kinds or tuple(MEASURE_KINDS)
    name = Path(path).name
    problems: list[Problem] = []
    out: list[MeasureFacts] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in read_rows(path, MEASURE_COLUMNS, optional=("undersøgelse_slut",)):
        check = Checker(name, line)
        case = check.text(row.get("sag"), "sag")
        measure = check.text(row.get("indsats"), "indsats")
        kind = check.choice(row.get("type"), allowed, "type")
        start = check.day(row.get("start"), "start")
        end = check.day(row.get("undersøgelse_slut"), "undersøgelse_slut", required=False)
        risk = check.choice(row.get("risiko"), RISK_LEVELS, "risiko", required=False)
        if (case, measure) in seen and case and measure:
            check.problem(f"sag {case} har indsatsen '{measure}' to gange (også linje "
                          f"{seen[(case, measure)]})", "indsats")
        seen.setdefault((case, measure), line)
        problems += check.problems
        if not check.problems:
            out.append(MeasureFacts(case, measure, kind, start, end, risk))
    if problems:
        raise ValidationError(problems)
    return out


def read_held(path: Path, measures: list[MeasureFacts]) -> dict[tuple[str, str], list[date]]:
    """The held follow-ups of an AFHOLDTE file (``sag, indsats, afholdt``) per measure;
    a row for a measure not in INDSATSER is an error."""
    name = Path(path).name
    known = {(m.case, m.measure): m for m in measures}
    problems: list[Problem] = []
    held: dict[tuple[str, str], list[date]] = {}
    for line, row in read_rows(path, HELD_COLUMNS):
        check = Checker(name, line)
        key = (check.text(row.get("sag"), "sag"), check.text(row.get("indsats"), "indsats"))
        day = check.day(row.get("afholdt"), "afholdt")
        if not check.problems and key not in known:
            check.problem(f"indsatsen '{key[1]}' på sag {key[0]} findes ikke i "
                          "indsatsfilen", "indsats")
        elif day is not None and key in known and day < known[key].start:
            check.problem(f"ligger før indsatsens start ({known[key].start.isoformat()})",
                          "afholdt")
        problems += check.problems
        if not check.problems:
            held.setdefault(key, []).append(day)
    if problems:
        raise ValidationError(problems)
    return held


def due_json(item: DueFollowUp) -> dict:
    """One due follow-up in the ``frister`` contract's shape."""
    return {"sag": item.case, "indsats": item.measure, "nummer": item.number,
            "frist": item.due.isoformat(), "regel": item.rule,
            "lovfrist": (item.statutory_deadline.isoformat()
                         if item.statutory_deadline else None),
            "begrundelse": item.justification}


def due_dates(measures: list[MeasureFacts], rules: RuleSet, *,
              held: dict[tuple[str, str], list[date]] | None = None,
              until: date | None = None,
              decided: dict[tuple[str, str], DecidedSchedule] | None = None) -> dict:
    """``{"frister": [...]}``: for each measure its due dates not yet held, in order, up
    to ``until`` (default: one year after the latest start), ``nummer`` counting all the
    measure's follow-ups from 1."""
    if until is None:
        until = add_months(max((m.start for m in measures), default=date.today()), 12)
    out = []
    for measure in measures:
        key = (measure.case, measure.measure)
        calendar = follow_up_calendar(measure, rules, held=(held or {}).get(key, []),
                                      decided=(decided or {}).get(key), until=until)
        out += [due_json(item) for item in calendar.not_held if item.due <= until]
    return {"frister": out}


def due_dates_from_files(measures_path: Path, rule_set: str | Path, *,
                         held_path: Path | None = None, until: date | None = None) -> dict:
    """The ``frister`` contract on files (see the module's description)."""
    rules = load_rule_set(rule_set)  # a bad rule set is reported before the files
    measures = read_measures(measures_path)
    held = read_held(held_path, measures) if held_path is not None else None
    return due_dates(measures, rules, held=held, until=until)


def read_cases(path: Path) -> list[CaseloadCase]:
    """The cases of a SAGER file (``sag, rådgiver, team, børn, start, slut``)."""
    name = Path(path).name
    problems: list[Problem] = []
    out: list[CaseloadCase] = []
    for line, row in read_rows(path, CASE_COLUMNS):
        check = Checker(name, line)
        case = check.text(row.get("sag"), "sag")
        worker = check.text(row.get("rådgiver"), "rådgiver")
        team = check.text(row.get("team"), "team")
        children = None
        try:
            children = int(row.get("børn") or "")
            if children < 1:
                raise ValueError
        except ValueError:
            check.problem(f"'{row.get('børn')}' er ikke et helt tal på mindst 1", "børn")
        start = check.day(row.get("start"), "start")
        end = check.day(row.get("slut"), "slut", required=False)
        check.not_before(end, start, "slut", "sagens start")
        problems += check.problems
        if not check.problems:
            out.append(CaseloadCase(case, worker, team, children, start, end))
    if problems:
        raise ValidationError(problems)
    return out


def caseload_from_file(path: Path, *, day: date | None = None) -> dict:
    """The ``sagstal`` contract on a file: caseload on ``day`` (default: today)."""
    return caseload(read_cases(path), day or date.today())

"""Importing what the municipality's systems export: measures, goals, measurements and
held follow-ups from CSV files, so nothing is typed twice.

All or nothing: every row goes through the same use case as a form or a command
(``measures.create_measure`` …), every problem is collected with file, line and field,
and when there is any, :class:`ValidationError` lists them all and the caller's unit of
work rolls back, so nothing is stored. Idempotent: a row already in the project (the
same measure of a case; the same goal wording in a life area; the same measurement; a
follow-up held on the same date) is counted as present and not added again; a goal's
wording is compared as typed and as saved (names replaced: ``free_text.wording_matcher``).
Free text passes through the pseudonymiser as each row is saved; the summary counts what
was replaced per field.

The files (UTF-8, ``;`` or ``,``), each optional:

* ``indsatser``: sag, indsats, type, start, undersøgelse_slut and optionally paragraf,
  leverandør, planlagt_slut, slut, rådgiver, team, risiko;
* ``mål``: sag, livsområde, type, mål and optionally prioritet, måldato,
  hvordan_ved_vi_det, lavet_med (separated by ``|``), indsats;
* ``målinger``: sag, instrument, dato, informant, score and optionally forventet;
* ``opfølgninger``: sag, indsats, afholdt and optionally beslutning, deltagere (``|``),
  note, plan, plan_begrundelse, meddelt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from effektspor.domain.dates import parse_date
from effektspor.domain.errors import EffektsporError, Problem, ValidationError
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.contract import UnitOfWork
from effektspor.services.followup import follow_ups, goals, measurements, measures
from effektspor.services.followup.files import read_rows
from effektspor.services.followup.free_text import wording_matcher
from effektspor.store import tables as t
from effektspor.store.tables_followup import FollowUp, Goal, Measure, Measurement

MEASURE_FILE = ("sag", "indsats", "type", "start")
MEASURE_OPTIONAL = ("undersøgelse_slut", "paragraf", "leverandør", "planlagt_slut", "slut",
                    "rådgiver", "team", "risiko")
GOAL_FILE = ("sag", "livsområde", "type", "mål")
MEASUREMENT_FILE = ("sag", "instrument", "dato", "informant", "score")
FOLLOW_UP_FILE = ("sag", "indsats", "afholdt")


@dataclass(slots=True)
class ImportSummary:
    """Per kind of record: added and already present."""

    added: dict[str, int] = field(default_factory=dict)
    present: dict[str, int] = field(default_factory=dict)
    #: Identifiers replaced in the free text when saved, per field ("mål", "note" …).
    replaced: dict[str, int] = field(default_factory=dict)


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split("|") if part.strip()]


def _case_id(session: UnitOfWork, project_id: int, case: str) -> int | None:
    return session.scalar(select(t.Case.id).where(t.Case.project_id == project_id,
                                                  t.Case.external_id == case))


def _day_or_none(text: str | None):
    try:
        return parse_date(text) if text else None
    except ValueError:
        return None


def import_followup(*, session: UnitOfWork, actor: Actor, project_id: int,
                    measures_path: Path | None = None, goals_path: Path | None = None,
                    measurements_path: Path | None = None,
                    follow_ups_path: Path | None = None) -> ImportSummary:
    """Import the given files in the order measures, goals, measurements, follow-ups
    (all or nothing; see the module's description)."""
    require(actor, Action.IMPORT_DATA)
    base = {"session": session, "actor": actor, "project_id": project_id}
    summary = ImportSummary()
    problems: list[Problem] = []

    def run(kind: str, path: Path, line: int, exists: bool, call: Callable[[], object]):
        if exists:
            summary.present[kind] = summary.present.get(kind, 0) + 1
            return
        try:
            made = call()
        except ValidationError as error:
            problems.extend(Problem(p.message, file=path.name, line=line, field=p.field)
                            for p in error.problems)
            return
        except EffektsporError as error:
            problems.append(Problem(str(error), file=path.name, line=line))
            return
        summary.added[kind] = summary.added.get(kind, 0) + 1
        for item in getattr(made, "replacements", ()):
            key = item.field.partition(":")[0]
            summary.replaced[key] = summary.replaced.get(key, 0) + 1

    if measures_path is not None:
        for line, row in read_rows(measures_path, MEASURE_FILE, MEASURE_OPTIONAL):
            case_id = _case_id(session, project_id, row["sag"])
            exists = case_id is not None and session.scalar(select(Measure.id).where(
                Measure.case_id == case_id, Measure.external_id == row["indsats"])) is not None
            run("indsatser", measures_path, line, exists, lambda row=row: measures.create_measure(
                **base, case=row["sag"], measure=row["indsats"], kind=row["type"],
                start=row["start"], investigation_end=row.get("undersøgelse_slut") or None,
                legal_paragraph=row.get("paragraf") or None,
                provider=row.get("leverandør") or None,
                planned_end=row.get("planlagt_slut") or None,
                actual_end=row.get("slut") or None, caseworker=row.get("rådgiver") or None,
                team=row.get("team") or None, risk_level=row.get("risiko") or None))
    if goals_path is not None:
        for line, row in read_rows(goals_path, GOAL_FILE):
            case_id = _case_id(session, project_id, row["sag"])
            exists = case_id is not None and bool(row["mål"].strip()) and any(map(
                wording_matcher(session, case_id, row["mål"].strip()),
                session.scalars(select(Goal.text).where(
                    Goal.case_id == case_id, Goal.life_area == row["livsområde"]))))
            run("mål", goals_path, line, exists, lambda row=row: goals.create_goal(
                **base, case=row["sag"], life_area=row["livsområde"], kind=row["type"],
                text=row["mål"], priority=row.get("prioritet") or 1,
                target_date=row.get("måldato") or None,
                evidence=row.get("hvordan_ved_vi_det") or None,
                made_with=_split(row.get("lavet_med")), measure=row.get("indsats") or None))
    if measurements_path is not None:
        for line, row in read_rows(measurements_path, MEASUREMENT_FILE):
            case_id = _case_id(session, project_id, row["sag"])
            day = _day_or_none(row["dato"])
            exists = case_id is not None and day is not None and session.scalar(
                select(Measurement.id).where(
                    Measurement.case_id == case_id, Measurement.instrument == row["instrument"],
                    Measurement.measured_on == day,
                    Measurement.informant == row["informant"])) is not None
            run("målinger", measurements_path, line, exists,
                lambda row=row: measurements.record_measurement(
                    **base, case=row["sag"], instrument=row["instrument"], day=row["dato"],
                    informant=row["informant"], score=row["score"],
                    expected_next=row.get("forventet") or None))
    if follow_ups_path is not None:
        rows = sorted(read_rows(follow_ups_path, FOLLOW_UP_FILE),
                      key=lambda item: (item[1]["sag"], item[1]["indsats"],
                                        _day_or_none(item[1]["afholdt"]) or parse_date("1900-01-01"),
                                        item[0]))
        for line, row in rows:
            case_id = _case_id(session, project_id, row["sag"])
            day = _day_or_none(row["afholdt"])
            exists = case_id is not None and day is not None and session.scalar(
                select(FollowUp.id).join(Measure, Measure.id == FollowUp.measure_id).where(
                    FollowUp.case_id == case_id, Measure.external_id == row["indsats"],
                    FollowUp.held_on == day)) is not None
            run("opfølgninger", follow_ups_path, line, exists,
                lambda row=row: follow_ups.record_follow_up(
                    **base, case=row["sag"], measure=row["indsats"], held_on=row["afholdt"],
                    decision=row.get("beslutning") or None,
                    participants=_split(row.get("deltagere")), note=row.get("note") or None,
                    schedule_interval=row.get("plan") or None,
                    schedule_justification=row.get("plan_begrundelse") or None,
                    schedule_told_family_on=row.get("meddelt") or None))
    if problems:
        raise ValidationError(problems, f"{len(problems)} problem(er) fundet i filerne – "
                                        "intet er importeret.")
    return summary

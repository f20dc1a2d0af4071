"""Caseload (sagstal) of the project's open measures: per caseworker the open cases and
the children in them, per team the mean, highest and lowest, against a target.

A case counts for a caseworker on a day when one of its measures with that caseworker is
open then. The number of children of a case is its ``børn`` attribute (from the import;
1 when absent): cases are registered per family or per child, so both are counted.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from effektspor.domain.formatting import percent_half_up
from effektspor.followup.calendar import statutory_first_deadline
from effektspor.followup.caseload import DEFAULT_TARGET, UNION_BAND, CaseloadCase, caseload
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.contract import UnitOfWork
from effektspor.services.followup.shared import (
    held_follow_ups,
    measure_facts,
    project_rule_set,
    stored_calendar,
)
from effektspor.store import tables as t
from effektspor.store.tables_followup import Measure

CHILDREN_ATTRIBUTE = "børn"


def _children(attributes: dict | None) -> int:
    try:
        return max(1, int((attributes or {}).get(CHILDREN_ATTRIBUTE, 1)))
    except (TypeError, ValueError):
        return 1


def project_caseload(*, session: UnitOfWork, actor: Actor, project_id: int, day: date,
                     target: int = DEFAULT_TARGET) -> dict:
    """The caseload on ``day`` in the ``sagstal`` contract's shape, with the target and
    the union's band (``mål``, ``anbefalet``)."""
    require(actor, Action.VIEW_CASELOAD)
    query = (select(t.Case.external_id, t.Case.attributes, Measure.caseworker, Measure.team,
                    Measure.start_date, Measure.actual_end)
             .join(t.Case, t.Case.id == Measure.case_id)
             .where(Measure.project_id == project_id, Measure.caseworker.is_not(None),
                    Measure.start_date <= day,
                    Measure.actual_end.is_(None) | (Measure.actual_end > day)))
    seen: set[tuple[str, str]] = set()
    cases = []
    for number, attributes, worker, team, start, end in session.execute(query):
        if (number, worker) in seen:
            continue  # two open measures of one case with one caseworker: one case
        seen.add((number, worker))
        cases.append(CaseloadCase(number, worker, team or "(uden team)", _children(attributes),
                                  start, end))
    result = caseload(cases, day)
    result["mål"] = target
    result["anbefalet"] = list(UNION_BAND)
    return result


#: Ankestyrelsen, Børnesagsbarometret 2024: first follow-up within 3 months, nationally.
NATIONAL_FIRST_ON_TIME_PERCENT = 75


def follow_up_timeliness(*, session: UnitOfWork, actor: Actor, project_id: int, day: date,
                         rule_set: str | Path | None = None) -> dict:
    """Per team and in all, on ``day``: the share of first follow-ups held within the
    statutory deadline (§95, stk. 2) and the share of all follow-ups held by their due
    date. A follow-up counts once it is held or its date has passed: one not held by a
    passed date counts as late; one not yet due is not counted. Percentages are whole,
    rounded half up; the national figure (75 %) is given for comparison."""
    require(actor, Action.VIEW_CASELOAD)
    rules = project_rule_set(session, project_id, rule_set)
    rows = session.execute(select(Measure, t.Case.external_id)
                           .join(t.Case, t.Case.id == Measure.case_id)
                           .where(Measure.project_id == project_id, Measure.start_date <= day))
    counts: dict[str, list[int]] = {}
    for measure, case_number in rows:
        team = measure.team or "(uden team)"
        tally = counts.setdefault(team, [0, 0, 0, 0])  # first on time, first, all on time, all
        held = held_follow_ups(session, measure.id)
        deadline = statutory_first_deadline(measure_facts(measure, case_number))[0]
        if held:
            tally[0] += held[0].held_on <= deadline
            tally[1] += 1
        elif deadline < day:
            tally[1] += 1
        for row in held:
            if row.due_date is not None:
                tally[2] += row.held_on <= row.due_date
                tally[3] += 1
        calendar = stored_calendar(session, measure, case_number, rules, until=day,
                                   held=held)
        pending = [item for item in calendar.not_held if item.due < day]
        tally[3] += len(pending[:1])  # the first missed date; later ones count from it
    teams = [_shares(team, tally) for team, tally in sorted(counts.items())]
    total = [sum(tally[i] for tally in counts.values()) for i in range(4)]
    return {"teams": teams, "i_alt": _shares(None, total),
            "landstal_første_procent": NATIONAL_FIRST_ON_TIME_PERCENT}


def _shares(team: str | None, tally: list[int]) -> dict:
    out = {} if team is None else {"team": team}
    out.update({"første_rettidige": tally[0], "første_i_alt": tally[1],
                "første_procent": percent_half_up(tally[0], tally[1]),
                "alle_rettidige": tally[2], "alle_i_alt": tally[3],
                "alle_procent": percent_half_up(tally[2], tally[3])})
    return out

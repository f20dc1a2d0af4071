"""Caseload (sagstal) of the project's open measures: per caseworker the open cases and
the children in them, per team the mean, highest and lowest, against a target.

A case counts for a caseworker on a day when one of its measures with that caseworker is
open then. The number of children of a case is its ``børn`` attribute (from the import;
1 when absent): cases are registered per family or per child, so both are counted.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from effektspor.followup.caseload import DEFAULT_TARGET, UNION_BAND, CaseloadCase, caseload
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.contract import UnitOfWork
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

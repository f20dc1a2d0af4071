"""Which cases a coder must see blind: their open samples of blind re-coding rounds.

A case of a blind re-coding round (``RecodingRound.blind``) is blind for the round's
second coder until they have given a re-coding value for every variable of the round
for that case. Until then no page may show them other coders' values (or machine
suggestions) for the case: their judgement must be their own.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from effektspor.store.tables import Case
from effektspor.store.tables_analysis import CaseVariable, RecodingRound, RecodingValue

RECODING_PAGE = "/rekodning"


def blind_case_ids(session: Session, *, project_id: int, coder: str) -> set[str]:
    """External ids of the cases that are still blind for ``coder`` (see module doc)."""
    rounds = list(session.scalars(select(RecodingRound).where(
        RecodingRound.project_id == project_id, RecodingRound.coder == coder,
        RecodingRound.blind.is_(True))))
    if not rounds:
        return set()
    names = dict(session.execute(select(CaseVariable.id, CaseVariable.name).where(
        CaseVariable.project_id == project_id)).all())
    given = session.execute(
        select(RecodingValue.round_id, RecodingValue.case_id, RecodingValue.variable_id)
        .where(RecodingValue.round_id.in_([r.id for r in rounds]),
               RecodingValue.superseded_at.is_(None)).distinct()).all()
    external = _external_ids(session, {case_id for _, case_id, _ in given})
    done: dict[tuple[int, str], set[str]] = {}
    for round_id, case_id, variable_id in given:
        done.setdefault((round_id, external[case_id]), set()).add(names.get(variable_id, ""))
    blind: set[str] = set()
    for row in rounds:
        wanted = set(row.variables)
        blind.update(case for case in row.case_ids
                     if not wanted <= done.get((row.id, case), set()))
    return blind


def _external_ids(session: Session, case_ids: set[int]) -> dict[int, str]:
    if not case_ids:
        return {}
    return dict(session.execute(select(Case.id, Case.external_id)
                                .where(Case.id.in_(case_ids))).all())


def is_blind(session: Session, *, project_id: int, coder: str, case_external_id: str) -> bool:
    """True when ``coder`` must not see other coders' values of this case."""
    return case_external_id in blind_case_ids(session, project_id=project_id, coder=coder)

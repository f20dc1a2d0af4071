"""Building blocks of the recoding area for other areas' services (no actor; they are
called inside the other area's own, already authorised use case).

Which cases a coder must see blind: a case of a blind recoding round
(``RecodingRound.blind``) is blind for the round's second coder until they have given a
recoding value for every variable of the round for that case. Until then no page may show
them other coders' values (or machine suggestions) for the case: their judgement must be
their own. The case list, the classification sheet and queue and the analysis drill-down
hide or blank such cases with :func:`blind_case_ids` / :func:`is_blind`.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from effektspor.store.tables import Case
from effektspor.store.tables_analysis import RecodingRound, RecodingValue


def current_value_counts(session: Session, round_ids: list[int]) -> dict[int, dict[int, int]]:
    """Per round and case id: how many variables have a current re-coding value.

    A case of a round is done when its count reaches the number of the round's variables;
    the work list, the rounds' progress and the blind guard all use this one definition.
    """
    if not round_ids:
        return {}
    counts: dict[int, dict[int, int]] = {}
    for round_id, case_id, n in session.execute(
            select(RecodingValue.round_id, RecodingValue.case_id, func.count(RecodingValue.id))
            .where(RecodingValue.round_id.in_(round_ids), RecodingValue.superseded_at.is_(None))
            .group_by(RecodingValue.round_id, RecodingValue.case_id)):
        counts.setdefault(round_id, {})[case_id] = int(n)
    return counts


def blind_case_ids(session: Session, *, project_id: int, coder: str) -> set[str]:
    """External ids of the cases that are still blind for ``coder`` (see module doc)."""
    rounds = list(session.scalars(select(RecodingRound).where(
        RecodingRound.project_id == project_id, RecodingRound.coder == coder,
        RecodingRound.blind.is_(True))))
    if not rounds:
        return set()
    counts = current_value_counts(session, [r.id for r in rounds])
    sampled = {case for row in rounds for case in row.case_ids}
    ids = dict(session.execute(select(Case.external_id, Case.id).where(
        Case.project_id == project_id, Case.external_id.in_(sampled))).all())
    return {case for row in rounds for case in row.case_ids
            if counts.get(row.id, {}).get(ids.get(case), 0) < len(row.variables)}


def is_blind(session: Session, *, project_id: int, coder: str, case_external_id: str) -> bool:
    """True when ``coder`` must not see other coders' values of this case."""
    return case_external_id in blind_case_ids(session, project_id=project_id, coder=coder)

"""The hypothesis table like Tabel 5 of the project's cases (the CLI's ``hypotese`` without
a file): cells A–D of a yes/no condition by an outcome, with a moderator."""

from __future__ import annotations

from collections.abc import Sequence

from effektspor.analysis.hypothesis import HypothesisTable, hypothesis_table
from effektspor.services.analysis.frame import load_frame
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.contract import UnitOfWork


def hypothesis(*, session: UnitOfWork, actor: Actor, project_id: int, condition: str,
               outcome: str, outcome_positive: Sequence[str],
               moderator: str | None = None) -> HypothesisTable:
    """The hypothesis table of ``condition`` (a yes/no column; a code may be named without
    its ``kode:`` prefix) by ``outcome``; ``moderator`` explains the off-diagonal cells."""
    require(actor, Action.VIEW_REPORTS)
    frame = load_frame(session, project_id)
    return hypothesis_table(frame.table, condition=frame.key(condition),
                            outcome=frame.key(outcome), outcome_positive=outcome_positive,
                            moderator=frame.key(moderator) if moderator else None)

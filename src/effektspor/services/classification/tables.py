"""The case table: one row per case with its confirmed values (what ``klassifikation
tabel`` shows or writes, and what the analysis functions take)."""

from __future__ import annotations

from effektspor.classification.derived import STANDARD_DERIVED
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.classification.shared import case_rows
from effektspor.services.coding.shared import case_code_presence
from effektspor.services.contract import UnitOfWork


def case_table(*, session: UnitOfWork, actor: Actor, project_id: int,
               variables: list[str] | None = None, derived: bool = False,
               with_enrollment: bool = False) -> list[dict]:
    """One row per case: ``sag``, ``team`` and the confirmed value (or None) of each of
    ``variables`` (all when None). ``derived`` adds the standard yes/no variables from the
    project's codings; ``with_enrollment`` the days from start to end of the case."""
    require(actor, Action.LIST_CASES)
    presence = case_code_presence(session, project_id) if derived else None
    return case_rows(session, project_id, actor=actor.name, variables=variables,
                     code_presence=presence,
                     derived=list(STANDARD_DERIVED) if derived else None,
                     with_enrollment=with_enrollment)

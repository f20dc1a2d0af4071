"""Who may do what with codings (on top of the role × action matrix).

Anyone who may code (``Action.CODE_CASES``) adds codings in their own name. A koder
removes, restores and edits the memo of their *own* codings only; an analytiker or
administrator may do so for every coding, the machine's included. Project-wide runs
(auto-coding, training and running the suggestion model) need ``Action.RUN_ANALYSIS``;
importing other people's codings (REFI-QDA) needs ``Action.IMPORT_DATA``.
"""

from __future__ import annotations

from effektspor.domain.errors import EffektsporError
from effektspor.services.authorization import Action, Actor, PermissionDenied, Role, require
from effektspor.store.tables_coding import MACHINE_CODER

#: The roles that may change every coding, not only their own.
ALL_CODINGS_ROLES = frozenset({Role.ADMINISTRATOR, Role.ANALYST})


class NotYourCoding(PermissionDenied):
    """A koder tried to change someone else's coding (HTTP 403)."""

    def __init__(self, actor: Actor, coder: str):
        self.actor = actor
        self.action = Action.CODE_CASES
        who = "maskinen" if coder == MACHINE_CODER else coder
        EffektsporError.__init__(
            self, f"Kodningen er lavet af {who}. Som koder kan du kun ændre dine egne "
                  "kodninger; en analytiker eller administrator kan ændre alle.")


def may_change(actor: Actor, coder: str) -> bool:
    """True when ``actor`` may remove, restore or edit a coding made by ``coder``."""
    return actor.can(Action.CODE_CASES) and (coder == actor.name
                                             or actor.role in ALL_CODINGS_ROLES)


def require_may_change(actor: Actor, coder: str) -> None:
    """Raise unless ``actor`` may change a coding made by ``coder``."""
    require(actor, Action.CODE_CASES)
    if not may_change(actor, coder):
        raise NotYourCoding(actor, coder)

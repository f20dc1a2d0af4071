"""Who may do what: the role × action matrix, checked by every service that reads or writes.

The web app shows or hides buttons from the same matrix, but the services decide: a
route that forgets a check still cannot read case text for a role that may not.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from effektspor.domain.errors import EffektsporError


class Role(StrEnum):
    """The roles of a user on the shared server (Danish values, shown as they are)."""

    ADMINISTRATOR = "administrator"
    ANALYST = "analytiker"
    CODER = "koder"
    LEADER = "leder"


class Action(StrEnum):
    """Things a user may be allowed to do; the value is the Danish name used in messages."""

    VIEW_OVERVIEW = "se projektoversigten"
    LIST_CASES = "se sagslisten"
    READ_CASE_TEXT = "læse sagstekst"
    VIEW_REPORTS = "se rapporter og dashboards"
    CODE_CASES = "kode sager"
    CLASSIFY_CASES = "klassificere sager"
    ASSIGN_RECODING = "tildele rekodning"
    RUN_ANALYSIS = "køre analyser"
    IMPORT_DATA = "importere data"
    VIEW_EVENT_LOG = "se hændelsesloggen"
    MANAGE_USERS = "administrere brugere"
    # the daily follow-up (issue 13)
    VIEW_FOLLOW_UP = "se opfølgningen på sagerne"
    RECORD_FOLLOW_UP = "registrere indsatser, mål, målinger og opfølgninger"
    VIEW_CASELOAD = "se sagstal"


ROLE_LABELS: dict[Role, str] = {
    Role.ADMINISTRATOR: "Administrator",
    Role.ANALYST: "Analytiker",
    Role.CODER: "Koder",
    Role.LEADER: "Leder",
}

_EVERYONE = frozenset({Action.VIEW_OVERVIEW, Action.LIST_CASES, Action.VIEW_REPORTS})
_CODING = frozenset({Action.READ_CASE_TEXT, Action.CODE_CASES, Action.CLASSIFY_CASES})

#: The role × action matrix. A leder additionally gets READ_CASE_TEXT when granted.
PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.ADMINISTRATOR: frozenset(Action),
    Role.ANALYST: _EVERYONE | _CODING | {Action.ASSIGN_RECODING, Action.RUN_ANALYSIS,
                                         Action.IMPORT_DATA},
    Role.CODER: _EVERYONE | _CODING,
    Role.LEADER: _EVERYONE,
}

# -- the daily follow-up (issue 13) ----------------------------------------------------
# Caseworkers' and therapists' own roles (rådgiver, behandler, scoped to their team) come
# with the follow-up's web pages; until then the analysis roles are used: whoever reads
# case text sees and records follow-up, a leder sees aggregates (caseload) only.
FOLLOW_UP_PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.ANALYST: frozenset({Action.VIEW_FOLLOW_UP, Action.RECORD_FOLLOW_UP,
                             Action.VIEW_CASELOAD}),
    Role.CODER: frozenset({Action.VIEW_FOLLOW_UP, Action.RECORD_FOLLOW_UP,
                           Action.VIEW_CASELOAD}),
    Role.LEADER: frozenset({Action.VIEW_CASELOAD}),
}
PERMISSIONS = {role: actions | FOLLOW_UP_PERMISSIONS.get(role, frozenset())
               for role, actions in PERMISSIONS.items()}

#: Extra actions a leder gets when an administrator grants access to case text.
CASE_TEXT_GRANT: frozenset[Action] = frozenset({Action.READ_CASE_TEXT})


class PermissionDenied(EffektsporError):
    """The actor's role does not allow the action (shown to the user in Danish)."""

    def __init__(self, actor: Actor, action: Action):
        self.actor = actor
        self.action = action
        super().__init__(
            f"Din rolle ({ROLE_LABELS[actor.role].lower()}) giver ikke adgang til at "
            f"{action.value}. Kontakt en administrator, hvis du mener, du skal have adgang.")


@dataclass(frozen=True, slots=True)
class Actor:
    """The person a service acts for: a name for the event log and a role for the matrix."""

    name: str
    role: Role
    case_text_granted: bool = False
    user_id: int | None = None

    @property
    def actions(self) -> frozenset[Action]:
        """Every action this actor may perform."""
        allowed = PERMISSIONS[self.role]
        if self.role is Role.LEADER and self.case_text_granted:
            allowed = allowed | CASE_TEXT_GRANT
        return allowed

    def can(self, action: Action) -> bool:
        """True when the actor may perform ``action``."""
        return action in self.actions


def require(actor: Actor, action: Action) -> None:
    """Raise :class:`PermissionDenied` unless ``actor`` may perform ``action``."""
    if not actor.can(action):
        raise PermissionDenied(actor, action)


def parse_role(value: str) -> Role:
    """The role named ``value`` (Danish error listing the valid roles otherwise)."""
    try:
        return Role(value.strip().lower())
    except ValueError:
        valid = ", ".join(role.value for role in Role)
        raise EffektsporError(f"Ukendt rolle '{value}'. Gyldige roller: {valid}.") from None

"""Who may do what with recoding rounds (on top of the role × action matrix).

* Drawing a round, reading agreement and disagreements and settling them need
  ``Action.ASSIGN_RECODING`` (analytiker, administrator).
* The round's own (second) coder sees the round's cases blind: only they open and save
  its blind sheets (``Action.CLASSIFY_CASES`` and ``Action.READ_CASE_TEXT`` too), and they
  cannot read the round's agreement, with the first coder's values, before they have
  entered every value of the round (:class:`BlindUntilComplete`).
* The round's sheet as a file (export, read back) is for the one who assigns rounds or
  for the round's coder.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from effektspor.domain.errors import EffektsporError
from effektspor.services.authorization import Action, Actor, PermissionDenied, require
from effektspor.services.recoding.state import RoundProgress, progress_of_rounds, recoding_round
from effektspor.store.tables_analysis import RecodingRound


class NotAssignedCoder(PermissionDenied):
    """Someone other than the round's assigned coder tried to open or save its sheets."""

    def __init__(self, actor: Actor, round_id: int, coder: str):
        self.actor, self.action = actor, Action.CLASSIFY_CASES
        EffektsporError.__init__(
            self, f"Dit login ({actor.name}) giver ikke adgang til de blinde skemaer i runde "
                  f"{round_id}: runden er tildelt {coder}, og kun den tildelte koder må se og "
                  "udfylde dem.")


class BlindUntilComplete(PermissionDenied):
    """The round's own coder asked for its agreement before finishing the round."""

    def __init__(self, actor: Actor, progress: RoundProgress):
        self.actor, self.action = actor, Action.ASSIGN_RECODING
        EffektsporError.__init__(
            self, f"Runde {progress.info.id} er tildelt dig til blind rekodning, og det giver "
                  "ikke adgang til første koders værdier, før du har udfyldt hele runden "
                  f"({progress.entered} af {progress.expected} værdier).")


def require_may_open(actor: Actor) -> None:
    """Anyone who assigns rounds or may classify cases (a round's coder) opens the area."""
    if not actor.can(Action.ASSIGN_RECODING):
        require(actor, Action.CLASSIFY_CASES)


def assigned_round(session: Session, actor: Actor, project_id: int, round_id: int, *,
                   for_update: bool = False) -> RecodingRound:
    """The round, for its assigned coder only (who must also classify and read case text)."""
    require(actor, Action.CLASSIFY_CASES)
    require(actor, Action.READ_CASE_TEXT)
    row = recoding_round(session, project_id, round_id, for_update=for_update)
    if row.coder != actor.name:
        raise NotAssignedCoder(actor, row.id, row.coder)
    return row


def sheet_round(session: Session, actor: Actor, project_id: int,
                round_id: int) -> RecodingRound:
    """The round whose sheet file is exported or read back: for those who assign rounds,
    and for the round's own coder."""
    if actor.can(Action.ASSIGN_RECODING):
        return recoding_round(session, project_id, round_id)
    return assigned_round(session, actor, project_id, round_id)


def readable_round(session: Session, actor: Actor, project_id: int, round_id: int, *,
                   for_update: bool = False) -> tuple[RecodingRound, RoundProgress]:
    """The round with its progress, for reading its agreement (the first coder's values)
    or settling its disagreements: not for its own coder before the round is complete."""
    require(actor, Action.ASSIGN_RECODING)
    row = recoding_round(session, project_id, round_id, for_update=for_update)
    (progress,) = progress_of_rounds(session, [row])
    if row.coder == actor.name and not progress.complete:
        raise BlindUntilComplete(actor, progress)
    return row, progress

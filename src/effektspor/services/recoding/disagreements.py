"""The disagreements of a recoding round: listing them and settling one with a reason.

A disagreement is a case and variable where both coders gave a value and the values
differ. Settling it records the final value and the reason (``RecodingResolution``) and
makes the final value the case's confirmed value; the measured agreement keeps the two
original codings. For those who assign rounds, and for the round's own coder only once
the round is complete (``permissions.readable_round``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from effektspor.domain import events
from effektspor.domain.errors import EffektsporError
from effektspor.services.authorization import Actor
from effektspor.services.classification import (
    case_ids,
    current_value,
    ensure_variables,
    to_variable,
    write_confirmed_value,
)
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.services.recoding.permissions import readable_round
from effektspor.services.recoding.state import CodingPair, RecodingConflict, round_pairs
from effektspor.store import tables as t
from effektspor.store.tables_analysis import RecodingResolution, RecodingRound


@dataclass(frozen=True)
class Disagreement:
    """A disagreement of the round, open or settled (with how)."""

    case_external_id: str
    variable: str
    label: str
    allowed: tuple[str, ...]
    first_value: str
    first_coder: str | None
    second_value: str
    second_coder: str | None
    final_value: str | None = None
    reason: str | None = None
    resolved_by: str | None = None
    resolved_at: datetime | None = None

    @property
    def key(self) -> str:
        """A stable id for the page (letters, digits and dashes)."""
        raw = f"{self.case_external_id}-{self.variable}"
        return "".join(c if c.isalnum() else "-" for c in raw)


def round_disagreements(session: UnitOfWork, project_id: int, row: RecodingRound,
                        pairs: dict[str, list[CodingPair]]) -> list[Disagreement]:
    """The disagreements among ``pairs`` (of a round already authorised), with their
    settlements (building block of this area's use cases)."""
    variables = ensure_variables(session, project_id, actor="system")
    external = {c.id: c.external_id for c in session.scalars(select(t.Case).where(
        t.Case.project_id == project_id, t.Case.external_id.in_(row.case_ids)))}
    names = {v.id: name for name, v in variables.items()}
    settled = {(external.get(r.case_id), names.get(r.variable_id)): r
               for r in session.scalars(select(RecodingResolution).where(
                   RecodingResolution.round_id == row.id).order_by(RecodingResolution.id))}
    found = []
    for name, items in pairs.items():
        variable = variables[name]
        for pair in items:
            if not pair.disagree:
                continue
            resolution = settled.get((pair.case_external_id, name))
            found.append(Disagreement(
                pair.case_external_id, name, variable.label, tuple(variable.allowed_values),
                pair.first_value or "", pair.first_coder, pair.second_value or "",
                pair.second_coder, pair.final_value,
                resolution.reason if resolution else None,
                resolution.resolved_by if resolution else None,
                resolution.resolved_at if resolution else None))
    return found


def disagreements(*, session: UnitOfWork, actor: Actor, project_id: int, round_id: int,
                  open_only: bool = False, case_external_id: str | None = None,
                  variable: str | None = None) -> list[Disagreement]:
    """The round's disagreements as they are stored now, in sample order per variable;
    ``open_only``: not yet settled; ``case_external_id``/``variable``: only that case or
    variable."""
    row, _ = readable_round(session, actor, project_id, round_id)
    found = round_disagreements(session, project_id, row, round_pairs(session, project_id, row))
    return [d for d in found
            if (not open_only or d.final_value is None)
            and case_external_id in (None, d.case_external_id)
            and variable in (None, d.variable)]


def _one(found: list[Disagreement], row: RecodingRound, case_external_id: str,
         variable: str) -> Disagreement:
    item = next((d for d in found
                 if d.case_external_id == case_external_id and d.variable == variable), None)
    if item is None:
        raise EffektsporError(f"Der er ingen uenighed om '{variable}' i sag "
                              f"'{case_external_id}' i runde {row.id}.")
    return item


def settle_disagreement(*, session: UnitOfWork, actor: Actor, project_id: int, round_id: int,
                        case_external_id: str, variable: str, final_value: str, reason: str,
                        seen_final_value: str | None = None) -> Disagreement:
    """Settle one disagreement with a reason: ``final_value`` becomes the case's confirmed
    value (event logged); returns the settled disagreement.

    ``seen_final_value`` is the settlement the page showed ("" = open): if someone
    settled it differently meanwhile, nothing is saved (:class:`RecodingConflict`).
    ``None`` (the CLI) settles it again whatever it was.
    """
    row, _ = readable_round(session, actor, project_id, round_id, for_update=True)
    if not reason.strip():
        raise EffektsporError("Skriv en begrundelse for afgørelsen.")
    pairs = round_pairs(session, project_id, row)
    if variable not in pairs:
        raise EffektsporError(f"Variablen '{variable}' er ikke med i runde {row.id}.")
    pair = next((p for p in pairs[variable] if p.case_external_id == case_external_id), None)
    if pair is None:
        raise EffektsporError(f"Sagen '{case_external_id}' er ikke med i runde {row.id}.")
    if not pair.disagree:
        raise EffektsporError(f"Der er ingen uenighed om '{variable}' i sag "
                              f"'{case_external_id}' at afgøre.")
    if seen_final_value is not None and (pair.final_value or "") != seen_final_value.strip():
        current = _one(round_disagreements(session, project_id, row, pairs), row,
                       case_external_id, variable)
        raise RecodingConflict(
            f"Uenigheden om {current.label.lower()} i sag {case_external_id} er afgjort af "
            f"{current.resolved_by} til '{current.final_value}', efter du åbnede siden. "
            "Din afgørelse er ikke gemt; siden viser nu den gemte afgørelse.")
    variable_row = ensure_variables(session, project_id, actor=actor.name)[variable]
    try:
        canonical = to_variable(variable_row).validate(final_value)
    except ValueError as error:
        raise EffektsporError(f"Ugyldig værdi: {error}.") from None
    case = case_ids(session, project_id)[case_external_id]
    change = write_confirmed_value(session, project_id=project_id, case=case,
                                   variable=variable_row, value=canonical, coder=actor.name,
                                   actor=actor.name, origin="afgørelse", explanation=reason)
    confirmed = current_value(session, case.id, variable_row.id)
    session.add(RecodingResolution(
        round_id=row.id, case_id=case.id, variable_id=variable_row.id,
        first_value=pair.first_value, first_coder=pair.first_coder,
        second_value=pair.second_value, final_value=canonical, reason=reason.strip(),
        resolved_by=actor.name, classification_value_id=confirmed.id if confirmed else None))
    record_event(session, events.disagreement_resolved(
        round_id=row.id, case_external_id=case_external_id, variable=variable,
        first=pair.first_value, second=pair.second_value, final=canonical,
        changed=change.changed, reason=reason.strip()), actor=actor.name, project_id=project_id)
    session.flush()
    return _one(round_disagreements(session, project_id, row,
                                    round_pairs(session, project_id, row)),
                row, case_external_id, variable)

"""The agreement of a re-coding round in the web app, and settling its disagreements.

For analysts (ASSIGN_RECODING). The round's own coder cannot see the first coder's
values here before their round is complete (that would break the blindness).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from effektspor.analysis.agreement import AgreementReport, Estimate
from effektspor.domain.errors import EffektsporError
from effektspor.domain.formatting import format_number
from effektspor.services.authorization import Action, Actor, PermissionDenied, require
from effektspor.services.classification import ensure_variables, to_variable
from effektspor.services.recoding_web import (
    RecodingConflict,
    RoundProgress,
    progress_of_rounds,
)
from effektspor.services.reliability import (
    CodingPair,
    agreement_of_pairs,
    recoding_round,
    round_pairs,
    settle_disagreement,
)
from effektspor.services.reliability_characters import (
    CharacterComparison,
    compare_characters,
    note_coders_of_round,
)
from effektspor.store import tables as t
from effektspor.store.tables_analysis import RecodingResolution, RecodingRound

#: Below this many cases with two codings the reading says the figures are uncertain.
FEW_CASES = 10

#: Landis & Koch's (1977) verbal scale for kappa from 0 up, in Danish: (upper bound, words).
KAPPA_SCALE = ((0.20, "meget svag enighed"), (0.40, "svag enighed"),
               (0.60, "moderat enighed"), (0.80, "betydelig enighed"),
               (1.0, "næsten fuldstændig enighed"))


class BlindUntilComplete(PermissionDenied):
    """The round's own coder asked for its agreement before finishing the round."""

    def __init__(self, actor: Actor, progress: RoundProgress):
        self.actor, self.action = actor, Action.ASSIGN_RECODING
        EffektsporError.__init__(
            self, f"Runde {progress.info.id} er tildelt dig til blind re-kodning, og det giver "
                  "ikke adgang til første koders værdier, før du har udfyldt hele runden "
                  f"({progress.entered} af {progress.expected} værdier).")


def kappa_words(value: float) -> str:
    """Landis & Koch's words for a kappa value (Danish)."""
    if value < 0:
        return "mindre enighed end ved tilfældighed"
    return next((words for bound, words in KAPPA_SCALE if value <= bound + 1e-12),
                KAPPA_SCALE[-1][1])


def agreement_reading(n: int, kappa: Estimate | None) -> str:
    """An honest Danish reading of a variable's kappa, its interval and its n."""
    if n == 0 or kappa is None:
        return "Ingen sager har endnu værdier fra begge kodere."
    if math.isnan(kappa.value):
        return ("κ kan ikke beregnes, fordi begge kodere kun har brugt én og samme værdi; "
                "se procent enighed.")
    text = f"κ = {format_number(kappa.value)}: {kappa_words(kappa.value)} (Landis & Koch)."
    if not math.isnan(kappa.low) and kappa_words(kappa.low) != kappa_words(kappa.high):
        text += (f" Intervallet rækker fra {kappa_words(kappa.low)} til "
                 f"{kappa_words(kappa.high)}.")
    if n < FEW_CASES:
        text = (f"For få sager (n = {n}) til en sikker vurdering. " + text)
    return text


@dataclass(frozen=True)
class VariableAgreement:
    """One row of the agreement table."""

    name: str
    label: str
    report: AgreementReport
    reading: str

    @property
    def kappa(self) -> Estimate | None:
        """Cohen's kappa with its bootstrap interval."""
        return self.report.estimate("kappa")

    @property
    def alpha(self) -> Estimate | None:
        """Krippendorff's alpha at the variable's level (ordinal or nominal)."""
        return (self.report.estimate("alpha_ordinal") or self.report.estimate("alpha_nominal"))

    @property
    def weighted_kappa(self) -> Estimate | None:
        """Linearly weighted kappa (ordinal variables only)."""
        return self.report.estimate("vægtet_kappa_lineær")


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


@dataclass
class AgreementView:
    """The agreement page of a round; optionally the character-level note coding comparison."""

    progress: RoundProgress
    variables: list[VariableAgreement]
    disagreements: list[Disagreement]
    method_note: str
    note_coders: list[str] = field(default_factory=list)
    characters: CharacterComparison | None = None
    character_error: str | None = None

    @property
    def open_disagreements(self) -> int:
        """How many disagreements are not settled yet."""
        return sum(1 for d in self.disagreements if d.final_value is None)


def _readable_round(session: Session, actor: Actor, project_id: int, round_id: int, *,
                    for_update: bool = False) -> tuple[RecodingRound, RoundProgress]:
    require(actor, Action.ASSIGN_RECODING)
    row = recoding_round(session, project_id, round_id, for_update=for_update)
    (progress,) = progress_of_rounds(session, [row])
    if row.coder == actor.name and not progress.complete:
        raise BlindUntilComplete(actor, progress)
    return row, progress


def _disagreements(session: Session, project_id: int, row: RecodingRound,
                   pairs: dict[str, list[CodingPair]]) -> list[Disagreement]:
    variables = ensure_variables(session, project_id, actor="system")
    case_ids = {c.id: c.external_id for c in session.scalars(select(t.Case).where(
        t.Case.project_id == project_id, t.Case.external_id.in_(row.case_ids)))}
    names = {v.id: name for name, v in variables.items()}
    settled = {(case_ids.get(r.case_id), names.get(r.variable_id)): r
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


def agreement_view(session: Session, *, actor: Actor, project_id: int, round_id: int,
                   bootstrap: int = 2000, first_note_coder: str | None = None) -> AgreementView:
    """Per variable n, percent agreement, κ and α with bootstrap 95 % intervals, a Danish
    reading, and the disagreements (settled ones with their final value and reason).

    With ``first_note_coder`` also the character-level comparison of the diary-note
    codings of the round's cases between that coder and the round's coder (logged).
    """
    row, progress = _readable_round(session, actor, project_id, round_id)
    pairs = round_pairs(session, project_id, row)
    rows = ensure_variables(session, project_id, actor="system")
    reports = agreement_of_pairs(pairs, [to_variable(r) for r in rows.values()],
                                 bootstrap=bootstrap)
    table = [VariableAgreement(r.variable, rows[r.variable].label, r,
                               agreement_reading(r.n_cases, r.estimate("kappa")))
             for r in reports]
    note = reports[0].method_note if reports else ""
    view = AgreementView(progress, table, _disagreements(session, project_id, row, pairs), note,
                         note_coders_of_round(session, project_id, row))
    if first_note_coder:
        try:
            view.characters = compare_characters(session, project_id, row,
                                                 first_coder=first_note_coder,
                                                 actor=actor.name)
        except EffektsporError as error:
            view.character_error = str(error)
    return view


def resolve(session: Session, *, actor: Actor, project_id: int, round_id: int,
            case_external_id: str, variable: str, final_value: str, reason: str,
            seen_final_value: str = "") -> Disagreement:
    """Settle one disagreement: ``final_value`` becomes the case's confirmed value.

    ``seen_final_value`` is the settlement the page showed ("" = open); if someone
    settled it differently meanwhile, nothing is saved (:class:`RecodingConflict`).
    """
    row, _ = _readable_round(session, actor, project_id, round_id, for_update=True)
    pairs = round_pairs(session, project_id, row)
    pair = next((p for p in pairs.get(variable, []) if p.case_external_id == case_external_id),
                None)
    if pair is not None and (pair.final_value or "") != seen_final_value.strip():
        current = _find(session, project_id, row, pairs, case_external_id, variable)
        raise RecodingConflict(
            f"Uenigheden om {current.label.lower()} i sag {case_external_id} er afgjort af "
            f"{current.resolved_by} til '{current.final_value}', efter du åbnede siden. "
            "Din afgørelse er ikke gemt; siden viser nu den gemte afgørelse.")
    settle_disagreement(session, project_id, row, case_external_id=case_external_id,
                        variable=variable, final_value=final_value, reason=reason,
                        actor=actor.name)
    session.flush()
    return _find(session, project_id, row, round_pairs(session, project_id, row),
                 case_external_id, variable)


def disagreement(session: Session, *, actor: Actor, project_id: int, round_id: int,
                 case_external_id: str, variable: str) -> Disagreement:
    """One disagreement of the round as it is stored now."""
    row, _ = _readable_round(session, actor, project_id, round_id)
    return _find(session, project_id, row, round_pairs(session, project_id, row),
                 case_external_id, variable)


def _find(session: Session, project_id: int, row: RecodingRound,
          pairs: dict[str, list[CodingPair]], case_external_id: str,
          variable: str) -> Disagreement:
    found = next((d for d in _disagreements(session, project_id, row, pairs)
                  if d.case_external_id == case_external_id and d.variable == variable), None)
    if found is None:
        raise EffektsporError(f"Der er ingen uenighed om '{variable}' i sag "
                              f"'{case_external_id}' i runde {row.id}.")
    return found

"""The agreement of a recoding round between the first and the second coder.

* ``agreement``: per variable n, percent agreement, Cohen's κ and Krippendorff's α with
  bootstrap 95 % intervals and a Danish reading, and the round's disagreements (the
  agreement page, and ``effektspor enighed --runde``); optionally the note codings
  compared in characters.
* ``character_agreement``: the note codings of the round's cases compared in characters
  per code per note, as NVivo's coding comparison (logged: it reads both coders' work).
* ``code_presence_agreement``: per code, "does the case have this code?" between two
  coders' codings of the round's cases.

For those who assign rounds; the round's own coder only once their round is complete
(``permissions.readable_round``), as that shows the first coder's values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sqlalchemy import select

from effektspor.analysis.agreement import AgreementReport, Estimate, agreement_report
from effektspor.domain.errors import EffektsporError
from effektspor.domain.formatting import format_number
from effektspor.services.authorization import Actor
from effektspor.services.classification import ensure_variables, to_variable
from effektspor.services.coding.shared import stored_codebook
from effektspor.services.contract import UnitOfWork
from effektspor.services.recoding.characters import (
    SAME_CODER,
    CharacterComparison,
    compare_characters,
    note_coders_of_round,
)
from effektspor.services.recoding.disagreements import Disagreement, round_disagreements
from effektspor.services.recoding.permissions import readable_round
from effektspor.services.recoding.state import RoundProgress, agreement_of_pairs, round_pairs
from effektspor.store import tables as t
from effektspor.store.tables_coding import Coding

#: Below this many cases with two codings the reading says the figures are uncertain.
FEW_CASES = 10

#: Landis & Koch's (1977) verbal scale for kappa from 0 up, in Danish: (upper bound, words).
KAPPA_SCALE = ((0.20, "meget svag enighed"), (0.40, "svag enighed"),
               (0.60, "moderat enighed"), (0.80, "betydelig enighed"),
               (1.0, "næsten fuldstændig enighed"))


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


def agreement(*, session: UnitOfWork, actor: Actor, project_id: int, round_id: int,
              bootstrap: int = 2000, seed: int = 20190101,
              first_note_coder: str | None = None) -> AgreementView:
    """Per variable n, percent agreement, κ and α with bootstrap 95 % intervals, a Danish
    reading, and the disagreements (settled ones with their final value and reason).

    Weighted kappa and ordinal alpha for ordinal variables (problemgrad, målopnåelse);
    cases missing either coding are listed, not counted. With ``first_note_coder`` also
    the character-level comparison of the diary-note codings of the round's cases between
    that coder and the round's coder (logged); its error, if any, is shown on the page.
    """
    row, progress = readable_round(session, actor, project_id, round_id)
    pairs = round_pairs(session, project_id, row)
    rows = ensure_variables(session, project_id, actor="system")
    reports = agreement_of_pairs(pairs, [to_variable(r) for r in rows.values()],
                                 bootstrap=bootstrap, seed=seed)
    table = [VariableAgreement(r.variable, rows[r.variable].label, r,
                               agreement_reading(r.n_cases, r.estimate("kappa")))
             for r in reports]
    note = reports[0].method_note if reports else ""
    view = AgreementView(progress, table, round_disagreements(session, project_id, row, pairs),
                         note, note_coders_of_round(session, project_id, row))
    if first_note_coder:
        try:
            view.characters = compare_characters(session, project_id, row,
                                                 first_coder=first_note_coder,
                                                 actor=actor.name)
        except EffektsporError as error:
            view.character_error = str(error)
    return view


def character_agreement(*, session: UnitOfWork, actor: Actor, project_id: int, round_id: int,
                        first_coder: str) -> CharacterComparison:
    """Character-level agreement per code per note of the round's sample cases between
    ``first_coder`` (a person, or "maskine") and the round's coder (logged)."""
    row, _ = readable_round(session, actor, project_id, round_id)
    return compare_characters(session, project_id, row, first_coder=first_coder,
                              actor=actor.name)


def code_presence_agreement(*, session: UnitOfWork, actor: Actor, project_id: int,
                            round_id: int, first_coder: str, bootstrap: int = 1000,
                            seed: int = 20190101) -> list[AgreementReport]:
    """Agreement per code on "does the case have this code?" between two coders' codings.

    The cases are the round's sample; the second coder is the round's coder and
    ``first_coder`` the other (a person, or "maskine" for the auto-coder). A coding of a
    child code counts for its parent codes too. A case where one of the coders has no
    codings at all is listed as missing (that coder may not have read it), not as "nej".
    """
    row, _ = readable_round(session, actor, project_id, round_id)
    coders = (first_coder.strip(), row.coder)
    if coders[0] == coders[1]:
        raise EffektsporError(SAME_CODER)
    found = list(session.execute(
        select(t.Case.external_id, Coding.coder, Coding.code_key)
        .join(t.Note, t.Note.id == Coding.note_id)
        .join(t.Case, t.Case.id == t.Note.case_id)
        .where(Coding.project_id == project_id, Coding.coder.in_(coders),
               t.Case.external_id.in_(row.case_ids))))
    sample = list(row.case_ids)
    codebook = stored_codebook(session, project_id)
    presence: dict[tuple[str, str], set[str]] = {}
    for case_id, coder, code in found:
        presence.setdefault((coder, case_id), set()).update([code, *codebook.ancestors(code)])
    if not any(coder == coders[0] for coder, _ in presence):
        raise EffektsporError(f"{coders[0]} har ingen kodninger i rundens sager.")
    if not any(coder == coders[1] for coder, _ in presence):
        raise EffektsporError(f"{coders[1]} har ingen kodninger i rundens sager endnu.")

    def values(coder: str, code: str) -> list[str]:
        return ["" if (coder, case) not in presence
                else ("ja" if code in presence[(coder, case)] else "nej") for case in sample]

    return [agreement_report(sample, values(coders[0], code.id), values(coders[1], code.id),
                             variable=code.id, categories=["ja", "nej"], ordinal=False,
                             bootstrap=bootstrap, seed=seed)
            for code in codebook.codes]

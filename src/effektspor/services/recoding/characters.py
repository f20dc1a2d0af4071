"""NVivo-compatible coding comparison of a recoding round: agreement and kappa per code per
note, counted in characters, between the round's coder and another coder (or the machine).
Building blocks of ``agreement`` (no actor; the use case checks who may call)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from effektspor.analysis.character_agreement import (
    CodingComparisonRow,
    coding_comparison,
    summarise_by_code,
)
from effektspor.domain import events
from effektspor.domain.errors import EffektsporError
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.store import tables as t
from effektspor.store.tables_analysis import RecodingRound
from effektspor.store.tables_coding import Coding

SAME_CODER = "Første koder og rekodningsrundens koder er den samme person."


@dataclass(frozen=True)
class CharacterComparison:
    """The comparison of one round: rows per code per note, and the summary per code."""

    first_coder: str
    second_coder: str
    rows: list[CodingComparisonRow]
    by_code: dict[str, tuple[float, float]]  # code → (agreement, kappa), weighted by length


def compare_characters(session: UnitOfWork, project_id: int, row: RecodingRound, *,
                       first_coder: str, actor: str) -> CharacterComparison:
    """Character-level agreement per code per note of the round's sample cases (logged).

    Only notes that at least one of the two coders has coded are compared (as NVivo's
    coding comparison does on the selected sources); the note's id names the document.
    """
    coders = (first_coder.strip(), row.coder)
    if coders[0] == coders[1]:
        raise EffektsporError(SAME_CODER)
    query = (select(Coding.note_id, Coding.coder, Coding.code_key, Coding.start, Coding.end,
                    t.Note.text)
             .join(t.Note, t.Note.id == Coding.note_id)
             .join(t.Case, t.Case.id == t.Note.case_id)
             .where(Coding.project_id == project_id, Coding.coder.in_(coders),
                    t.Case.external_id.in_(row.case_ids)))
    found = list(session.execute(query))
    for coder in coders:
        if not any(f.coder == coder for f in found):
            raise EffektsporError(f"{coder} har ingen kodninger i rundens sager.")
    record_event(session, events.character_agreement_computed(round_id=row.id,
                                                              coders=list(coders)),
                 actor=actor, project_id=project_id)
    lengths = {f"notat {f.note_id}": len(f.text) for f in found}
    spans = {coder: [(f"notat {f.note_id}", f.code_key, f.start, f.end)
                     for f in found if f.coder == coder] for coder in coders}
    rows = coding_comparison(lengths, spans[coders[0]], spans[coders[1]])
    return CharacterComparison(coders[0], coders[1], rows, summarise_by_code(rows))


def note_coders_of_round(session: UnitOfWork, project_id: int, row: RecodingRound) -> list[str]:
    """Who (besides the round's coder) has coded diary notes of the round's cases, by name."""
    return sorted(set(session.scalars(
        select(Coding.coder).join(t.Note, t.Note.id == Coding.note_id)
        .join(t.Case, t.Case.id == t.Note.case_id)
        .where(Coding.project_id == project_id, t.Case.external_id.in_(row.case_ids),
               Coding.coder != row.coder).distinct())))

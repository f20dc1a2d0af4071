"""NVivo-compatible coding comparison of a re-coding round: agreement and kappa per code per
note, counted in characters, between the round's coder and another coder (or the machine)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from effektspor.analysis.character_agreement import (
    CodingComparisonRow,
    coding_comparison,
    summarise_by_code,
)
from effektspor.domain.errors import EffektsporError
from effektspor.services.events import log_event
from effektspor.services.project import ProjectContext
from effektspor.services.reliability import recoding_round
from effektspor.store import tables as t
from effektspor.store.tables_analysis import RecodingRound
from effektspor.store.tables_coding import Coding


@dataclass(frozen=True)
class CharacterComparison:
    """The comparison of one round: rows per code per note, and the summary per code."""

    first_coder: str
    second_coder: str
    rows: list[CodingComparisonRow]
    by_code: dict[str, tuple[float, float]]  # code → (agreement, kappa), weighted by length


def character_agreement_of_round(project: ProjectContext, round_id: int, *, first_coder: str,
                                 actor: str) -> CharacterComparison:
    """Character-level agreement per code per note of the round's sample cases.

    Only notes that at least one of the two coders has coded are compared (as NVivo's
    coding comparison does on the selected sources); the note's id names the document.
    """
    with project.transaction() as session:
        row = recoding_round(session, project.project_id, round_id)
        return compare_characters(session, project.project_id, row, first_coder=first_coder,
                                  actor=actor)


def compare_characters(session: Session, project_id: int, row: RecodingRound, *,
                       first_coder: str, actor: str) -> CharacterComparison:
    """:func:`character_agreement_of_round` in the caller's transaction (event logged)."""
    coders = (first_coder.strip(), row.coder)
    if coders[0] == coders[1]:
        raise EffektsporError("Første koder og rekodningsrundens koder er den samme person.")
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
    log_event(session, actor=actor, action="tegnenighed_beregnet", project_id=project_id,
              object_type="rekodningsrunde", object_id=row.id,
              details={"kodere": list(coders)})
    lengths = {f"notat {f.note_id}": len(f.text) for f in found}
    spans = {coder: [(f"notat {f.note_id}", f.code_key, f.start, f.end)
                     for f in found if f.coder == coder] for coder in coders}
    rows = coding_comparison(lengths, spans[coders[0]], spans[coders[1]])
    return CharacterComparison(coders[0], coders[1], rows, summarise_by_code(rows))


def note_coders_of_round(session: Session, project_id: int, row: RecodingRound) -> list[str]:
    """Who (besides the round's coder) has coded diary notes of the round's cases, by name."""
    return sorted(set(session.scalars(
        select(Coding.coder).join(t.Note, t.Note.id == Coding.note_id)
        .join(t.Case, t.Case.id == t.Note.case_id)
        .where(Coding.project_id == project_id, t.Case.external_id.in_(row.case_ids),
               Coding.coder != row.coder).distinct())))

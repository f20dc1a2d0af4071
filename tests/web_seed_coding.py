"""Seed data of the coding workbench tests: codings, deletions and machine suggestions.

Everything is synthetic. :func:`seed_trained_suggestions` trains the real suggestion
model on a small invented corpus and lets it propose suggestions (deterministic: the
model's training is deterministic for fixed texts).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from coding_factories import ANALYST, add_case_with_notes, code_passage
from effektspor.services.authorization import Actor, Role
from effektspor.services.coding.codings import remove_coding
from effektspor.services.coding.suggestions import (
    PROPOSED,
    propose_suggestions,
    train_suggestion_model,
)
from effektspor.services.contract import unit_of_work
from effektspor.store import tables as t
from effektspor.store.tables_coding import Suggestion

DOUBT = ("Jeg er i tvivl om min tilgang til familien {}.",
         "Jeg tvivler på, om vi gør det rigtige for barnet {}.",
         "Jeg er usikker på min vurdering af situationen {}.")
OTHER = ("Familien har fået ny lejlighed tæt på skolen {}.",
         "Barnet går til fodbold om onsdagen {}.",
         "Mor har været til lægen med lillebror {}.")
FRESH = ("Vi spiste frokost sammen i køkkenet. Jeg er i tvivl om min tilgang til far, "
         "og jeg er usikker på min vurdering.",
         "Barnet går til svømning om tirsdagen. Familien har fået en ny cykel.")


def first_note(project, case_id: int) -> tuple[int, str]:
    """The id and text of a case's first note (by id)."""
    with project.sessions() as session:
        return session.execute(select(t.Note.id, t.Note.text).where(t.Note.case_id == case_id)
                               .order_by(t.Note.id)).first()


def coding_by(project, case_id: int, coder: str, *, code: str = "relationsarbejde",
              memo: str | None = None) -> int:
    """A coding of the first word of the case's first note by ``coder``; its id."""
    note_id, text = first_note(project, case_id)
    return code_passage(project, note_id=note_id, start=0, end=text.index(" "), code=code,
                        coder=coder, memo=memo)


def deleted_coding_event(project, case_id: int, coder: str) -> int:
    """A coding by ``coder``, deleted by ``coder``; the id of the deletion event."""
    coding_id = coding_by(project, case_id, coder)
    with unit_of_work(project) as session:
        return remove_coding(session=session, actor=Actor(coder, Role.CODER),
                             project_id=project.project_id, coding_id=coding_id).event_id


def open_suggestion(project, case_id: int, code: str = "professionel_tvivl",
                    confidence: float = 0.8) -> int:
    """An open suggestion (without a stored model) for the case's first note; its id."""
    note_id, _text = first_note(project, case_id)
    with project.transaction() as session:
        row = Suggestion(project_id=project.project_id, note_id=note_id, code_key=code,
                         confidence=confidence, status=PROPOSED)
        session.add(row)
        session.flush()
        return row.id


def seed_trained_suggestions(project, *, coder: str = "Træner") -> list[int]:
    """Human codings on a small corpus, a trained model and its suggestions for two new
    notes (case "F-1"); returns the ids of the two new notes."""
    texts = []
    for i in range(12):
        texts.append((DOUBT[i % 3].format(i), "professionel_tvivl"))
        texts.append((OTHER[i % 3].format(i), "relationsarbejde"))
    ids = add_case_with_notes(project, "T-1", [(date(2019, 1, 1 + i % 28), "Familieforhold", x)
                                               for i, (x, _) in enumerate(texts)])
    for note_id, (text, code) in zip(ids, texts, strict=True):
        code_passage(project, note_id=note_id, start=0, end=len(text), code=code, coder=coder)
    new_ids = add_case_with_notes(project, "F-1", [(date(2019, 2, 1), "Familieforhold", FRESH[0]),
                                                   (date(2019, 2, 2), "Familieforhold", FRESH[1])])
    with unit_of_work(project) as session:
        train_suggestion_model(session=session, actor=ANALYST, project_id=project.project_id,
                               folds=3)
    with unit_of_work(project) as session:
        propose_suggestions(session=session, actor=ANALYST, project_id=project.project_id,
                            threshold=0.5)
    return new_ids

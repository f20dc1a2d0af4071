"""Machine suggestions learned from people's codings; a person accepts or rejects each.

Training uses the human codings (and accepted suggestions) at note level. The model's
parameters are stored as JSON with their provenance: codebook version, the codings and
notes it learned from, and its cross-validated quality. Training and proposing are
project-wide runs (``Action.RUN_ANALYSIS``); deciding is coding (``Action.CODE_CASES``).
The review page with the reasons of each suggestion is ``suggestion_review.py``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update

from effektspor.coding.suggestions import SuggestionModel, cross_validate
from effektspor.domain import events
from effektspor.domain.errors import ConflictError, EffektsporError
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.coding.shared import store_codebook, stored_codebook
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.store import tables as t
from effektspor.store.tables_coding import MACHINE_CODER, Coding, Suggestion
from effektspor.store.tables_coding import SuggestionModel as ModelRow

PROPOSED, ACCEPTED, REJECTED = "foreslået", "accepteret", "afvist"


@dataclass(slots=True)
class TrainingSummary:
    """The stored model: id, notes and codings used, codes learned and CV quality."""

    model_id: int
    notes: int
    codings: int
    codes: list[str]
    skipped_codes: list[str]
    quality: dict[str, dict]


@dataclass(frozen=True, slots=True)
class Decision:
    """A decided suggestion: its note, and the new coding when it was accepted."""

    suggestion_id: int
    note_id: int
    coding_id: int | None


class SuggestionAlreadyDecided(ConflictError):
    """Someone decided the suggestion first (the web app answers 409 Conflict)."""

    def __init__(self, suggestion_id: int, status: str, decided_by: str | None):
        self.suggestion_id = suggestion_id
        self.status = status
        self.decided_by = decided_by
        who = f" af {decided_by}" if decided_by else ""
        super().__init__(f"Forslag {suggestion_id} er allerede {status}{who}.")


def train_suggestion_model(*, session: UnitOfWork, actor: Actor, project_id: int,
                           folds: int = 5, min_examples: int = 3) -> TrainingSummary:
    """Train on the human codings of the project and store the model with provenance."""
    require(actor, Action.RUN_ANALYSIS)
    codebook = stored_codebook(session, project_id)
    rows = session.execute(
        select(Coding.id, Coding.note_id, Coding.code_key, t.Note.text)
        .join(t.Note, t.Note.id == Coding.note_id)
        .where(Coding.project_id == project_id, Coding.coder != MACHINE_CODER)
        .order_by(Coding.note_id)).all()
    labels: dict[int, set[str]] = defaultdict(set)
    texts: dict[int, str] = {}
    for _coding_id, note_id, code, text in rows:
        labels[note_id].update([code, *codebook.ancestors(code)])
        texts[note_id] = text
    if len(texts) < 2 * min_examples:
        raise EffektsporError(
            f"Der er kun {len(texts)} notater med menneskelige kodninger; der skal mindst "
            f"{2 * min_examples} til at træne forslag.")
    note_ids = sorted(texts)
    text_list = [texts[i] for i in note_ids]
    label_list = [labels[i] for i in note_ids]
    model = SuggestionModel(min_examples=min_examples).fit(text_list, label_list)
    if not model.codes_:
        raise EffektsporError("Ingen kode har eksempler nok (både med og uden koden) til "
                              "at lære af.")
    quality = {c.code: {"præcision": c.precision, "genkaldelse": c.recall, "f1": c.f1,
                        "kappa": c.kappa, "positive": c.true_positive + c.false_negative}
               for c in cross_validate(text_list, label_list, folds=folds, model=model)
               if c.code in model.codes_}
    store_codebook(session, project_id, codebook, actor=actor.name)
    row = ModelRow(project_id=project_id, codebook_version=codebook.version,
                   created_by=actor.name, parameters=model.to_parameters(),
                   training={"kodninger": [r[0] for r in rows], "notater": note_ids,
                             "kodebog": codebook.name, "folds": folds},
                   quality=quality)
    session.add(row)
    session.flush()
    record_event(session, events.suggestion_model_trained(
        model_id=row.id, notes=len(note_ids), codes=model.codes_),
        actor=actor.name, project_id=project_id)
    return TrainingSummary(row.id, len(note_ids), len(rows), model.codes_,
                           model.skipped_codes_, quality)


def propose_suggestions(*, session: UnitOfWork, actor: Actor, project_id: int,
                        threshold: float = 0.5, model_id: int | None = None) -> int:
    """Store suggestions for notes not yet coded with the code by a person; returns how
    many new suggestions were made. Nothing becomes a coding until someone accepts it."""
    require(actor, Action.RUN_ANALYSIS)
    query = select(ModelRow).where(ModelRow.project_id == project_id)
    row = session.scalar(query.where(ModelRow.id == model_id) if model_id
                         else query.order_by(ModelRow.id.desc()))
    if row is None:
        raise EffektsporError("Der er ingen forslagsmodel. Kør 'effektspor forslag træn'.")
    model = SuggestionModel.from_parameters(row.parameters)
    taken = set(session.execute(select(Suggestion.note_id, Suggestion.code_key).where(
        Suggestion.project_id == project_id)).all())
    taken |= set(session.execute(select(Coding.note_id, Coding.code_key).where(
        Coding.project_id == project_id, Coding.coder != MACHINE_CODER)).all())
    notes = session.execute(select(t.Note.id, t.Note.text)
                            .join(t.Case, t.Case.id == t.Note.case_id)
                            .where(t.Case.project_id == project_id)).all()
    made = 0
    for start in range(0, len(notes), 500):
        batch = notes[start:start + 500]
        probabilities = model.predict_proba([text for _, text in batch])
        for (note_id, _text), row_probabilities in zip(batch, probabilities, strict=True):
            for code, probability in zip(model.codes_, row_probabilities, strict=True):
                if probability >= threshold and (note_id, code) not in taken:
                    session.add(Suggestion(project_id=project_id, note_id=note_id,
                                           code_key=code, confidence=float(probability),
                                           model_id=row.id, status=PROPOSED))
                    made += 1
    record_event(session, events.suggestions_made(model_id=row.id, count=made,
                                                  threshold=threshold),
                 actor=actor.name, project_id=project_id)
    return made


def list_suggestions(*, session: UnitOfWork, actor: Actor, project_id: int,
                     status: str | None = PROPOSED) -> list[dict]:
    """Suggestions of the project (by default the open ones), best first: ids, codes and
    confidence, no case text (the review page with reasons is ``suggestion_review``)."""
    require(actor, Action.CODE_CASES)
    query = select(Suggestion).where(Suggestion.project_id == project_id)
    if status:
        query = query.where(Suggestion.status == status)
    return [{"id": s.id, "note_id": s.note_id, "code": s.code_key,
             "confidence": s.confidence, "status": s.status, "decided_by": s.decided_by}
            for s in session.scalars(query.order_by(Suggestion.confidence.desc()))]


def decide_suggestions(*, session: UnitOfWork, actor: Actor, project_id: int,
                       suggestion_ids: list[int], accept: bool,
                       reason: str | None = None) -> list[Decision]:
    """Accept (a coding of the whole note in the actor's name) or reject suggestions, all
    or none: one that someone decided first raises :class:`SuggestionAlreadyDecided`
    naming who, and the caller's unit of work is rolled back. ``reason`` (on rejection)
    is kept in the event log. An empty list decides nothing."""
    require(actor, Action.CODE_CASES)
    if not actor.name.strip() or actor.name.strip() == MACHINE_CODER:
        raise EffektsporError("En person skal tage stilling til forslaget (angiv dit navn).")
    reason = None if accept else ((reason or "").strip() or None)
    return [_decide(session, actor.name, project_id, suggestion_id, accept, reason)
            for suggestion_id in dict.fromkeys(suggestion_ids)]


def _decide(session: UnitOfWork, actor: str, project_id: int, suggestion_id: int,
            accept: bool, reason: str | None) -> Decision:
    # A guarded update (only while the suggestion is open): of two people deciding at
    # the same time exactly one wins.
    suggestion = session.get(Suggestion, suggestion_id)
    if suggestion is None or suggestion.project_id != project_id:
        raise EffektsporError(f"Forslag {suggestion_id} findes ikke i projektet.")
    changed = session.execute(
        update(Suggestion).where(Suggestion.id == suggestion_id, Suggestion.status == PROPOSED)
        .values(status=ACCEPTED if accept else REJECTED, decided_by=actor,
                decided_at=datetime.now(UTC))
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        session.refresh(suggestion)
        raise SuggestionAlreadyDecided(suggestion_id, suggestion.status, suggestion.decided_by)
    coding_id = _accepted_coding(session, suggestion, actor) if accept else None
    session.expire(suggestion)
    record_event(session, events.suggestion_decided(
        suggestion_id=suggestion_id, accepted=accept, code=suggestion.code_key,
        note_id=suggestion.note_id, reason=reason), actor=actor, project_id=project_id)
    return Decision(suggestion_id, suggestion.note_id, coding_id)


def _accepted_coding(session: UnitOfWork, suggestion: Suggestion, actor: str) -> int:
    text = session.scalar(select(t.Note.text).where(t.Note.id == suggestion.note_id))
    model = session.get(ModelRow, suggestion.model_id) if suggestion.model_id else None
    coding = Coding(project_id=suggestion.project_id, note_id=suggestion.note_id,
                    start=0, end=len(text), quote=text, code_key=suggestion.code_key,
                    coder=actor, suggestion_id=suggestion.id,
                    codebook_version=model.codebook_version if model else None,
                    memo=f"Accepteret maskinforslag ({suggestion.confidence:.2f})")
    session.add(coding)
    session.flush()
    session.execute(update(Suggestion).where(Suggestion.id == suggestion.id)
                    .values(coding_id=coding.id).execution_options(synchronize_session=False))
    return coding.id


def note_of_suggestion(*, session: UnitOfWork, project_id: int,
                       suggestion_id: int) -> int | None:
    """The note a suggestion of the project is about (None if there is no such one);
    where the web app re-renders a note after a failed decision."""
    return session.scalar(select(Suggestion.note_id).where(
        Suggestion.id == suggestion_id, Suggestion.project_id == project_id))

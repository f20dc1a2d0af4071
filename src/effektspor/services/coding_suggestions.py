"""Machine suggestions learned from people's codings; a person accepts or rejects each.

Training uses the human codings (and accepted suggestions) at note level. The model's
parameters are stored as JSON with their provenance: codebook version, the codings and
notes it learned from, and its cross-validated quality.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from effektspor.coding.suggestions import SuggestionModel, cross_validate
from effektspor.domain.errors import ConflictError, EffektsporError
from effektspor.services.coding import current_codebook, store_codebook
from effektspor.services.events import log_event
from effektspor.services.project import ProjectContext
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


def train_suggestion_model(project: ProjectContext, *, actor: str, folds: int = 5,
                           min_examples: int = 3) -> TrainingSummary:
    """Train on the human codings of the project and store the model with provenance."""
    codebook = current_codebook(project)
    with project.sessions() as session:
        rows = session.execute(
            select(Coding.id, Coding.note_id, Coding.code_key, t.Note.text)
            .join(t.Note, t.Note.id == Coding.note_id)
            .where(Coding.project_id == project.project_id, Coding.coder != MACHINE_CODER)
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
    with project.transaction() as session:
        store_codebook(session, project.project_id, codebook, actor=actor)
        row = ModelRow(project_id=project.project_id, codebook_version=codebook.version,
                       created_by=actor, parameters=model.to_parameters(),
                       training={"kodninger": [r[0] for r in rows], "notater": note_ids,
                                 "kodebog": codebook.name, "folds": folds},
                       quality=quality)
        session.add(row)
        session.flush()
        log_event(session, actor=actor, action="forslagsmodel_trænet",
                  project_id=project.project_id, object_type="forslagsmodel",
                  object_id=row.id, details={"notater": len(note_ids), "koder": model.codes_})
        model_id = row.id
    return TrainingSummary(model_id, len(note_ids), len(rows), model.codes_,
                           model.skipped_codes_, quality)


def propose_suggestions(project: ProjectContext, *, actor: str, threshold: float = 0.5,
                        model_id: int | None = None) -> int:
    """Store suggestions for notes not yet coded with the code by a person; returns how
    many new suggestions were made. Nothing becomes a coding until someone accepts it."""
    with project.transaction() as session:
        query = select(ModelRow).where(ModelRow.project_id == project.project_id)
        row = session.scalar(query.where(ModelRow.id == model_id) if model_id
                             else query.order_by(ModelRow.id.desc()))
        if row is None:
            raise EffektsporError("Der er ingen forslagsmodel. Kør 'effektspor forslag træn'.")
        model = SuggestionModel.from_parameters(row.parameters)
        taken = set(session.execute(select(Suggestion.note_id, Suggestion.code_key).where(
            Suggestion.project_id == project.project_id)).all())
        taken |= set(session.execute(select(Coding.note_id, Coding.code_key).where(
            Coding.project_id == project.project_id, Coding.coder != MACHINE_CODER)).all())
        notes = session.execute(select(t.Note.id, t.Note.text)
                                .join(t.Case, t.Case.id == t.Note.case_id)
                                .where(t.Case.project_id == project.project_id)).all()
        made = 0
        for start in range(0, len(notes), 500):
            batch = notes[start:start + 500]
            probabilities = model.predict_proba([text for _, text in batch])
            for (note_id, _text), row_probabilities in zip(batch, probabilities, strict=True):
                for code, probability in zip(model.codes_, row_probabilities, strict=True):
                    if probability >= threshold and (note_id, code) not in taken:
                        session.add(Suggestion(project_id=project.project_id, note_id=note_id,
                                               code_key=code, confidence=float(probability),
                                               model_id=row.id, status=PROPOSED))
                        made += 1
        log_event(session, actor=actor, action="forslag_lavet", project_id=project.project_id,
                  object_type="forslagsmodel", object_id=row.id,
                  details={"antal": made, "tærskel": threshold})
    return made


class SuggestionAlreadyDecided(ConflictError):
    """Someone decided the suggestion first (the web app answers 409 Conflict)."""

    def __init__(self, suggestion_id: int, status: str, decided_by: str | None):
        self.suggestion_id = suggestion_id
        self.status = status
        self.decided_by = decided_by
        who = f" af {decided_by}" if decided_by else ""
        super().__init__(f"Forslag {suggestion_id} er allerede {status}{who}.")


def decide_suggestion(project: ProjectContext, *, suggestion_id: int, accept: bool,
                      actor: str) -> int | None:
    """Accept (a coding of the whole note by ``actor``) or reject a suggestion.

    Returns the new coding's id when accepted.
    """
    with project.transaction() as session:
        return decide_suggestion_in_session(session, project_id=project.project_id,
                                            suggestion_id=suggestion_id, accept=accept,
                                            actor=actor)


def decide_suggestion_in_session(session: Session, *, project_id: int, suggestion_id: int,
                                 accept: bool, actor: str,
                                 reason: str | None = None) -> int | None:
    """Accept or reject a suggestion in the caller's transaction; logs the decision.

    The status changes with a guarded update (only while the suggestion is open), so of
    two people deciding at the same time exactly one wins; the other gets
    :class:`SuggestionAlreadyDecided` naming who decided. ``reason`` (on rejection) is
    kept in the event log. Returns the new coding's id when accepted.
    """
    if not actor.strip() or actor.strip() == MACHINE_CODER:
        raise EffektsporError("En person skal tage stilling til forslaget (angiv dit navn).")
    suggestion = session.get(Suggestion, suggestion_id)
    if suggestion is None or suggestion.project_id != project_id:
        raise EffektsporError(f"Forslag {suggestion_id} findes ikke i projektet.")
    status = ACCEPTED if accept else REJECTED
    changed = session.execute(
        update(Suggestion).where(Suggestion.id == suggestion_id, Suggestion.status == PROPOSED)
        .values(status=status, decided_by=actor, decided_at=datetime.now(UTC))
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        session.refresh(suggestion)
        raise SuggestionAlreadyDecided(suggestion_id, suggestion.status, suggestion.decided_by)
    coding_id = None
    if accept:
        text = session.scalar(select(t.Note.text).where(t.Note.id == suggestion.note_id))
        model = session.get(ModelRow, suggestion.model_id) if suggestion.model_id else None
        coding = Coding(project_id=project_id, note_id=suggestion.note_id,
                        start=0, end=len(text), quote=text, code_key=suggestion.code_key,
                        coder=actor, suggestion_id=suggestion.id,
                        codebook_version=model.codebook_version if model else None,
                        memo=f"Accepteret maskinforslag ({suggestion.confidence:.2f})")
        session.add(coding)
        session.flush()
        coding_id = coding.id
        session.execute(update(Suggestion).where(Suggestion.id == suggestion_id)
                        .values(coding_id=coding_id)
                        .execution_options(synchronize_session=False))
    session.expire(suggestion)
    details = {"kode": suggestion.code_key, "notat": suggestion.note_id}
    if reason:
        details["begrundelse"] = reason
    log_event(session, actor=actor, action="forslag_accepteret" if accept else "forslag_afvist",
              project_id=project_id,
              object_type="forslag", object_id=suggestion_id, details=details)
    return coding_id


def list_suggestions(project: ProjectContext, *, status: str | None = PROPOSED) -> list[dict]:
    """Suggestions of the project (by default the open ones), best first."""
    with project.sessions() as session:
        query = select(Suggestion).where(Suggestion.project_id == project.project_id)
        if status:
            query = query.where(Suggestion.status == status)
        return [{"id": s.id, "note_id": s.note_id, "code": s.code_key,
                 "confidence": s.confidence, "status": s.status, "decided_by": s.decided_by}
                for s in session.scalars(query.order_by(Suggestion.confidence.desc()))]

"""The review of machine suggestions: a page of open suggestions with their reasons
(deciding them is ``suggestions.decide_suggestions``).

The reasons of a suggestion: its confidence, the stored model's cross-validated quality
for the code, and the sentence of the note the model scores highest for the code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from effektspor.coding.suggestions import SuggestionModel
from effektspor.domain import events
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.coding.shared import stored_codebook
from effektspor.services.coding.suggestions import PROPOSED
from effektspor.services.coding.workbench import DEFAULT_COLOUR, code_choices
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.store import tables as t
from effektspor.store.tables_coding import Suggestion
from effektspor.store.tables_coding import SuggestionModel as ModelRow
from effektspor.text.tokens import sentence_spans

PAGE_SIZE = 25


@dataclass(frozen=True, slots=True)
class ModelQuality:
    """The model's cross-validated quality for one code, and what it learned from."""

    f1: float | None
    precision: float | None
    recall: float | None
    positives: int | None
    training_notes: int


@dataclass(frozen=True, slots=True)
class SuggestionReason:
    """An open suggestion with the reasons to believe (or doubt) it."""

    id: int
    note_id: int
    case_id: int
    case_external_id: str
    note_date: date | None
    attention_point: str | None
    code: str
    code_name: str
    colour: str
    confidence: float
    quality: ModelQuality | None
    sentence: str | None
    sentence_score: float | None


@dataclass
class SuggestionPage:
    """One page of open suggestions, with the filter choices."""

    rows: list[SuggestionReason]
    total: int
    page: int
    page_size: int
    codes: list[tuple[str, str, int]] = field(default_factory=list)  # key, name, open count

    @property
    def pages(self) -> int:
        """Number of pages (at least 1)."""
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True, slots=True)
class _StoredModel:
    model: SuggestionModel
    quality: dict
    training_notes: int


_models: dict[tuple[str, int, str], _StoredModel] = {}


def _stored_models(session: Session, model_ids: set[int]) -> dict[int, _StoredModel]:
    """The stored models by id, rebuilt once per process: a model row never changes, so
    only its id and creation time are read again (its parameters are megabytes)."""
    found = {}
    database = str(session.get_bind().url)
    for model_id, created_at in session.execute(
            select(ModelRow.id, ModelRow.created_at).where(ModelRow.id.in_(model_ids))):
        key = (database, model_id, str(created_at))
        if key not in _models:
            row = session.get(ModelRow, model_id)
            if len(_models) >= 4:
                _models.pop(next(iter(_models)))
            _models[key] = _StoredModel(SuggestionModel.from_parameters(row.parameters),
                                        row.quality or {},
                                        len((row.training or {}).get("notater", [])))
        found[model_id] = _models[key]
    return found


def _best_sentence(model: SuggestionModel, code: str, text: str) -> tuple[str, float] | None:
    """The sentence of ``text`` the model scores highest for ``code`` (and its score)."""
    if code not in model.codes_:
        return None
    spans = sentence_spans(text) or [(0, len(text))]
    sentences = [text[s:e] for s, e in spans if text[s:e].strip()]
    if not sentences:
        return None
    scores = model.predict_proba(sentences)[:, model.codes_.index(code)]
    best = int(scores.argmax())
    return sentences[best], float(scores[best])


def _quality(stored: _StoredModel | None, code: str) -> ModelQuality | None:
    if stored is None:
        return None
    values = stored.quality.get(code)
    notes = stored.training_notes
    if values is None:
        return ModelQuality(None, None, None, None, notes)
    return ModelQuality(values.get("f1"), values.get("præcision"), values.get("genkaldelse"),
                        values.get("positive"), notes)


def open_suggestions(*, session: UnitOfWork, actor: Actor, project_id: int,
                     code: str | None = None, case: str | None = None, page: int = 1,
                     page_size: int = PAGE_SIZE) -> SuggestionPage:
    """A page of open suggestions (best first) with reasons; filter by code and case
    number. Shows sentences of case text, so the view is logged ("forslag_vist")."""
    require(actor, Action.CODE_CASES)
    page = max(1, page)
    conditions = [Suggestion.project_id == project_id, Suggestion.status == PROPOSED]
    if code:
        conditions.append(Suggestion.code_key == code)
    if case:
        conditions.append(t.Case.external_id == case.strip())
    base = (select(Suggestion.id).join(t.Note, t.Note.id == Suggestion.note_id)
            .join(t.Case, t.Case.id == t.Note.case_id).where(*conditions))
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.execute(
        select(Suggestion, t.Note.text, t.Note.note_date, t.Case.id, t.Case.external_id,
               t.AttentionPoint.name)
        .join(t.Note, t.Note.id == Suggestion.note_id)
        .join(t.Case, t.Case.id == t.Note.case_id)
        .outerjoin(t.AttentionPoint, t.AttentionPoint.id == t.Note.attention_point_id)
        .where(*conditions)
        .order_by(Suggestion.confidence.desc(), Suggestion.id)
        .limit(page_size).offset((page - 1) * page_size)).all()
    model_ids = {s.model_id for s, *_ in rows if s.model_id}
    models = _stored_models(session, model_ids) if model_ids else {}
    choices = {c.key: c for c in code_choices(stored_codebook(session, project_id))}
    reasons = []
    for suggestion, text, on, case_id, external_id, point in rows:
        model_row = models.get(suggestion.model_id)
        support = _best_sentence(model_row.model, suggestion.code_key,
                                text) if model_row else None
        choice = choices.get(suggestion.code_key)
        reasons.append(SuggestionReason(
            suggestion.id, suggestion.note_id, case_id, external_id, on, point,
            suggestion.code_key, choice.name if choice else suggestion.code_key,
            choice.colour if choice else DEFAULT_COLOUR, suggestion.confidence,
            _quality(model_row, suggestion.code_key),
            support[0] if support else None, support[1] if support else None))
    counts = session.execute(
        select(Suggestion.code_key, func.count(Suggestion.id))
        .where(Suggestion.project_id == project_id, Suggestion.status == PROPOSED)
        .group_by(Suggestion.code_key)).all()
    codes = sorted(((key, choices[key].name if key in choices else key, int(n))
                    for key, n in counts), key=lambda c: c[1])
    if rows:
        record_event(session, events.suggestions_viewed(count=len(rows), page=page,
                                                        code=code, case=case),
                     actor=actor.name, project_id=project_id)
    return SuggestionPage(reasons, int(total), page, page_size, codes)

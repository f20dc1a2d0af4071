"""Suggestion model (estimator API, JSON parameters) and accept/reject in a project."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest

from coding_factories import ANALYST, add_case_with_notes, code_passage, codings_of
from effektspor.coding.suggestions import SuggestionModel, cross_validate
from effektspor.domain.errors import EffektsporError
from effektspor.services.authorization import Actor, Role
from effektspor.services.coding import suggestions
from effektspor.services.contract import unit_of_work

DOUBT = ["Jeg er i tvivl om min tilgang {}.", "Jeg tvivler på, om vi gør det rigtige {}.",
         "Jeg er usikker på min vurdering {}."]
OTHER = ["Familien har fået ny lejlighed {}.", "Barnet går til fodbold {}.",
         "Mor har været til lægen {}."]


def corpus(n: int = 12) -> tuple[list[str], list[set[str]]]:
    texts, labels = [], []
    for i in range(n):
        texts.append(DOUBT[i % 3].format(i))
        labels.append({"professionel_tvivl"})
        texts.append(OTHER[i % 3].format(i))
        labels.append(set())
    return texts, labels


def test_estimator_api_and_parameters_round_trip():
    texts, labels = corpus()
    model = SuggestionModel(min_examples=3)
    assert model.fit(texts, labels) is model
    assert model.codes_ == ["professionel_tvivl"]
    probabilities = model.predict_proba(["Jeg er i tvivl om min tilgang i dag."])
    assert probabilities.shape == (1, 1) and probabilities[0, 0] > 0.5
    assert model.predict(["Familien har fået ny lejlighed."]) == [set()]
    restored = SuggestionModel.from_parameters(json.loads(json.dumps(model.to_parameters())))
    assert np.allclose(restored.predict_proba(texts), model.predict_proba(texts), atol=1e-4)


def test_cross_validation_reports_quality_per_code():
    texts, labels = corpus()
    (quality,) = cross_validate(texts, labels, folds=4, model=SuggestionModel(min_examples=2))
    assert quality.code == "professionel_tvivl"
    assert quality.true_positive + quality.false_negative == 12
    assert quality.kappa is not None and quality.kappa > 0.5


def _call(project, service, actor=ANALYST, **arguments):
    with unit_of_work(project) as session:
        return service(session=session, actor=actor, project_id=project.project_id,
                       **arguments)


def _decide(project, suggestion_id: int, *, accept: bool, coder: str):
    (decision,) = _call(project, suggestions.decide_suggestions,
                        actor=Actor(coder, Role.CODER), suggestion_ids=[suggestion_id],
                        accept=accept)
    return decision.coding_id


def test_training_needs_human_codings(project):
    add_case_with_notes(project, "S1", [(date(2019, 1, 1), "Familieforhold", "Kort.")])
    with pytest.raises(EffektsporError, match="menneskelige kodninger"):
        _call(project, suggestions.train_suggestion_model)


def test_suggestions_are_never_applied_without_a_person(project):
    texts, labels = corpus()
    ids = add_case_with_notes(project, "S1", [(date(2019, 1, 1 + i % 28), "Familieforhold", t)
                                              for i, t in enumerate(texts)])
    for note_id, text, codes in zip(ids, texts, labels, strict=True):
        code = "professionel_tvivl" if codes else "relationsarbejde"
        code_passage(project, note_id=note_id, start=0, end=len(text), code=code, coder="Leder")
    new_ids = add_case_with_notes(project, "S2", [
        (date(2019, 2, 1), "Familieforhold", "Jeg er i tvivl om min tilgang til far."),
        (date(2019, 2, 2), "Familieforhold", "Barnet går til svømning om tirsdagen.")])
    summary = _call(project, suggestions.train_suggestion_model, folds=3)
    assert "professionel_tvivl" in summary.codes
    assert summary.quality["professionel_tvivl"]["positive"] == 12
    before = len(codings_of(project))
    made = _call(project, suggestions.propose_suggestions, threshold=0.5)
    assert made >= 1
    assert len(codings_of(project)) == before  # proposals are not codings
    open_rows = _call(project, suggestions.list_suggestions)
    doubt = [r for r in open_rows if r["note_id"] == new_ids[0]
             and r["code"] == "professionel_tvivl"]
    assert doubt and 0.5 <= doubt[0]["confidence"] <= 1
    coding_id = _decide(project, doubt[0]["id"], accept=True, coder="Leder Hansen")
    accepted = [c for c in codings_of(project) if c["id"] == coding_id][0]
    assert accepted["coder"] == "Leder Hansen" and accepted["code"] == "professionel_tvivl"
    others = [r for r in _call(project, suggestions.list_suggestions) if r["id"] != doubt[0]["id"]]
    if others:
        assert _decide(project, others[0]["id"], accept=False, coder="Leder Hansen") is None
    with pytest.raises(EffektsporError, match="allerede accepteret"):
        _decide(project, doubt[0]["id"], accept=False, coder="Bo")
    with pytest.raises(EffektsporError, match="person"):
        _decide(project, doubt[0]["id"], accept=True, coder="maskine")
    assert _call(project, suggestions.propose_suggestions) == 0  # nothing proposed twice

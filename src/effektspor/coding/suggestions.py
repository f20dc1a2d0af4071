"""Suggestion model: character n-gram TF-IDF and one logistic regression per code.

Estimator-style API (scikit-learn habits): ``__init__`` only stores settings, ``fit``
returns ``self``, learned state ends in ``_``, ``predict_proba``/``predict`` are apart.
The learned parameters are plain numbers and strings (``to_parameters``), stored as
JSON with their provenance — never a pickle. A suggestion is only ever a proposal: a
person must accept it before it becomes a coding.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # scikit-learn is imported on first use: it is slow to import
    from sklearn.feature_extraction.text import TfidfVectorizer

from effektspor.coding.evaluation import CodeAgreement, compare


class SuggestionModel:
    """Multi-label text classifier proposing codes for notes, with a confidence."""

    def __init__(self, *, ngram_range: tuple[int, int] = (2, 5), max_features: int = 20000,
                 regularisation: float = 4.0, min_examples: int = 3):
        self.ngram_range = ngram_range
        self.max_features = max_features
        self.regularisation = regularisation
        self.min_examples = min_examples

    def _vectorizer(self, vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
        from sklearn.feature_extraction.text import TfidfVectorizer

        return TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self.ngram_range),
                               max_features=self.max_features, sublinear_tf=True,
                               lowercase=True, vocabulary=vocabulary)

    def fit(self, texts: Sequence[str], labels: Sequence[set[str]]) -> SuggestionModel:
        """Learn from texts and their sets of codes (codes with too few examples are
        left out and listed in ``skipped_codes_``)."""
        if len(texts) != len(labels):
            raise ValueError("texts og labels skal have samme længde")
        counts: dict[str, int] = {}
        for codes in labels:
            for code in codes:
                counts[code] = counts.get(code, 0) + 1
        n = len(texts)
        self.codes_ = sorted(c for c, k in counts.items()
                             if k >= self.min_examples and n - k >= self.min_examples)
        self.skipped_codes_ = sorted(set(counts) - set(self.codes_))
        from sklearn.linear_model import LogisticRegression

        self.vectorizer_ = self._vectorizer()
        matrix = self.vectorizer_.fit_transform(texts)
        self.coef_ = np.zeros((len(self.codes_), matrix.shape[1]))
        self.intercept_ = np.zeros(len(self.codes_))
        for row, code in enumerate(self.codes_):
            target = np.array([code in codes for codes in labels], dtype=int)
            estimator = LogisticRegression(C=self.regularisation, class_weight="balanced",
                                           max_iter=2000)
            estimator.fit(matrix, target)
            self.coef_[row] = estimator.coef_[0]
            self.intercept_[row] = estimator.intercept_[0]
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of each code (columns in ``codes_`` order) for each text."""
        matrix = self.vectorizer_.transform(texts)
        scores = matrix @ self.coef_.T + self.intercept_
        return 1.0 / (1.0 + np.exp(-scores))

    def predict(self, texts: Sequence[str], threshold: float = 0.5) -> list[set[str]]:
        """The codes whose probability reaches ``threshold``, per text."""
        probabilities = self.predict_proba(texts)
        return [{self.codes_[j] for j in np.flatnonzero(row >= threshold)}
                for row in probabilities]

    def to_parameters(self) -> dict:
        """Everything needed to predict again, as JSON-compatible values."""
        return {
            "settings": {"ngram_range": list(self.ngram_range),
                         "max_features": self.max_features,
                         "regularisation": self.regularisation,
                         "min_examples": self.min_examples},
            "codes": list(self.codes_),
            "skipped_codes": list(self.skipped_codes_),
            "vocabulary": {k: int(v) for k, v in self.vectorizer_.vocabulary_.items()},
            "idf": [float(x) for x in self.vectorizer_.idf_],
            "coef": [[round(float(x), 6) for x in row] for row in self.coef_],
            "intercept": [float(x) for x in self.intercept_],
        }

    @classmethod
    def from_parameters(cls, parameters: dict) -> SuggestionModel:
        """Rebuild a fitted model from ``to_parameters`` output."""
        settings = parameters["settings"]
        model = cls(ngram_range=tuple(settings["ngram_range"]),
                    max_features=settings["max_features"],
                    regularisation=settings["regularisation"],
                    min_examples=settings["min_examples"])
        model.codes_ = list(parameters["codes"])
        model.skipped_codes_ = list(parameters.get("skipped_codes", []))
        model.vectorizer_ = model._vectorizer(vocabulary=parameters["vocabulary"])
        model.vectorizer_.idf_ = np.array(parameters["idf"])
        model.coef_ = np.array(parameters["coef"], dtype=float).reshape(
            len(model.codes_), len(parameters["idf"]))
        model.intercept_ = np.array(parameters["intercept"], dtype=float)
        return model


def cross_validate(texts: Sequence[str], labels: Sequence[set[str]], *, folds: int = 5,
                   seed: int = 0, threshold: float = 0.5,
                   model: SuggestionModel | None = None) -> list[CodeAgreement]:
    """Note-level precision, recall, F1 and kappa per code from k-fold cross-validation."""
    from sklearn.model_selection import KFold

    template = model or SuggestionModel()
    folds = max(2, min(folds, len(texts)))
    predicted: dict[str, set[str]] = {}
    splitter = KFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(np.arange(len(texts))):
        fold_model = SuggestionModel(ngram_range=template.ngram_range,
                                     max_features=template.max_features,
                                     regularisation=template.regularisation,
                                     min_examples=template.min_examples)
        fold_model.fit([texts[i] for i in train], [labels[i] for i in train])
        for i, codes in zip(test, fold_model.predict([texts[i] for i in test], threshold),
                            strict=True):
            predicted[str(i)] = codes
    all_codes = sorted({code for codes in labels for code in codes})
    gold = [(str(i), set(codes)) for i, codes in enumerate(labels)]
    return compare(gold, predicted, all_codes).codes

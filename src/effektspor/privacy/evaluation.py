"""Evaluation against a gold set: recall and precision per label and overall, and the misses.

A gold span counts as found when a predicted span of the same label overlaps it; a
predicted span counts as correct when it overlaps a gold span of the same label. Exact
boundaries are counted too, as information.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class GoldSpan:
    """A span of a gold note."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class GoldNote:
    """A hand-annotated note: its text, known identifiers and gold spans."""

    id: str
    text: str
    spans: tuple[GoldSpan, ...]
    known: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Miss:
    """A gold span that was not found (or a predicted span that was wrong)."""

    note_id: str
    label: str
    text: str
    context: str


@dataclass
class LabelScore:
    """Counts for one label."""

    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0
    exact: int = 0

    @property
    def recall(self) -> float:
        """Found gold spans / gold spans (1.0 when there are none)."""
        return self.found / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        """Correct predictions / predictions (1.0 when there are none)."""
        return self.correct / self.predicted if self.predicted else 1.0


@dataclass
class EvaluationReport:
    """Scores per label, overall, and the misses and false alarms."""

    labels: dict[str, LabelScore] = field(default_factory=lambda: defaultdict(LabelScore))
    misses: list[Miss] = field(default_factory=list)
    false_alarms: list[Miss] = field(default_factory=list)
    notes: int = 0

    @property
    def overall(self) -> LabelScore:
        """The counts summed over all labels."""
        total = LabelScore()
        for score in self.labels.values():
            total.gold += score.gold
            total.found += score.found
            total.predicted += score.predicted
            total.correct += score.correct
            total.exact += score.exact
        return total


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    left = text[max(0, start - width):start].replace("\n", " ")
    right = text[end:end + width].replace("\n", " ")
    return f"…{left}[{text[start:end]}]{right}…"


def evaluate(notes: list[GoldNote], predict) -> EvaluationReport:
    """Score ``predict(text, known) -> [(start, end, label)]`` on the gold ``notes``."""
    report = EvaluationReport()
    for note in notes:
        report.notes += 1
        predicted = list(predict(note.text, note.known))
        for span in note.spans:
            score = report.labels[span.label]
            score.gold += 1
            hits = [p for p in predicted
                    if p[2] == span.label and p[0] < span.end and span.start < p[1]]
            if hits:
                score.found += 1
                if any(p[0] == span.start and p[1] == span.end for p in hits):
                    score.exact += 1
            else:
                report.misses.append(Miss(note.id, span.label, note.text[span.start:span.end],
                                          _context(note.text, span.start, span.end)))
        for start, end, label in predicted:
            score = report.labels[label]
            score.predicted += 1
            if any(g.label == label and g.start < end and start < g.end for g in note.spans):
                score.correct += 1
            else:
                report.false_alarms.append(Miss(note.id, label, note.text[start:end],
                                                _context(note.text, start, end)))
    return report

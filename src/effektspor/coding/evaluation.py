"""Agreement between auto-coding and a gold standard at note level.

Per code: precision, recall, F1 and Cohen's kappa over the presence/absence of the
code in each note, and the notes where the two disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class CodeAgreement:
    """Note-level agreement for one code."""

    code: str
    true_positive: int
    false_positive: int
    false_negative: int
    true_negative: int
    precision: float | None
    recall: float | None
    f1: float | None
    kappa: float | None


@dataclass(slots=True)
class AgreementReport:
    """Agreement per code and the disagreements (note id, code, gold, machine)."""

    codes: list[CodeAgreement]
    disagreements: list[tuple[str, str, bool, bool]] = field(default_factory=list)
    notes: int = 0

    def mean_kappa(self, code_ids: Iterable[str] | None = None) -> float | None:
        """Mean kappa over ``code_ids`` (all codes when None), ignoring undefined values."""
        wanted = set(code_ids) if code_ids is not None else None
        values = [c.kappa for c in self.codes
                  if c.kappa is not None and (wanted is None or c.code in wanted)]
        return sum(values) / len(values) if values else None


def cohen_kappa(tp: int, fp: int, fn: int, tn: int) -> float | None:
    """Cohen's kappa of machine against gold from the 2×2 table, by scikit-learn's
    ``cohen_kappa_score`` (the project's kappa); None without notes, 1.0 when every note
    has the code in both or in neither (chance agreement 1)."""
    counts = {(1, 1): tp, (0, 1): fp, (1, 0): fn, (0, 0): tn}  # (gold, machine)
    n = tp + fp + fn + tn
    if n == 0:
        return None
    if tp == n or tn == n:
        return 1.0
    from sklearn.metrics import cohen_kappa_score  # imported on first use: it is slow

    cells = [(pair, count) for pair, count in counts.items() if count]
    return float(cohen_kappa_score([g for (g, _), _ in cells], [m for (_, m), _ in cells],
                                   labels=[0, 1], sample_weight=[c for _, c in cells]))


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def compare(gold: Sequence[tuple[str, set[str]]], machine: dict[str, set[str]],
            codes: Sequence[str]) -> AgreementReport:
    """Compare gold codes per note id with machine codes per note id, for ``codes``."""
    report = AgreementReport(codes=[], notes=len(gold))
    for code in codes:
        tp = fp = fn = tn = 0
        for note_id, gold_codes in gold:
            in_gold = code in gold_codes
            in_machine = code in machine.get(note_id, set())
            if in_gold and in_machine:
                tp += 1
            elif in_machine:
                fp += 1
            elif in_gold:
                fn += 1
            else:
                tn += 1
            if in_gold != in_machine:
                report.disagreements.append((note_id, code, in_gold, in_machine))
        precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        f1 = (2 * precision * recall / (precision + recall)
              if precision is not None and recall is not None and precision + recall else None)
        report.codes.append(CodeAgreement(code, tp, fp, fn, tn, precision, recall, f1,
                                          cohen_kappa(tp, fp, fn, tn)))
    return report

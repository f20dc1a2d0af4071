"""Accuracy of the effect-assessment detector on hand-written phrasings and the synthetic
corpus.

Usage: PYTHONPATH=src:tests python bench/effect_assessment_eval.py [SEED ...]
(default seeds 2018 7 11 12, the held-out seeds of bench/classification_eval.py)

A detector answers, for one discharge report, whether it holds an effect assessment and
which outcome (I mål / På vej / Ikke i mål), or None. Measured per set: right answers of
all. The synthetic corpus is read in both wordings (default and ``hard_wording``): usable
reports must get the truth's outcome, the others None.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from effektspor.classification.outcome import effect_assessment
from effektspor.synthetic.corpus import generate_cases
from test_classification_hard_wording import OUTCOMES as HARD_WORDING
from test_effect_assessment import LABELLED, PHRASINGS

# Until issue 10 this also measured ``analysis.documentation.detect_effect_assessment``
# (figures in bench/results/classification.md; run this script at commit 05f2916 for them).
DETECTORS: dict[str, Callable[[str], str | None]] = {
    "classification.outcome.effect_assessment": effect_assessment,
}


def score(detector: Callable[[str], str | None], items: list[tuple[str, str | None]]
          ) -> tuple[int, int]:
    """(right, all) on (text, expected) pairs."""
    return sum(detector(text) == expected for text, expected in items), len(items)


def synthetic(seeds: list[int], *, hard_wording: bool) -> list[tuple[str, str | None]]:
    """(discharge text, expected) of every discharge report of the seeds' corpora."""
    items = []
    for seed in seeds:
        for case in generate_cases(seed, hard_wording=hard_wording):
            for doc in case.documents:
                if doc.doc_type == "udskrivningsrapport":
                    items.append((doc.text, case.truth.outcome
                                  if case.truth.discharge == "brugbar" else None))
    return items


def main() -> None:
    """Print right/all per detector and set, and the detectors' time on the corpus."""
    seeds = [int(s) for s in sys.argv[1:]] or [2018, 7, 11, 12]
    sets = {
        "issue-10 phrasings (tests/test_effect_assessment.py PHRASINGS)": PHRASINGS,
        "first ten of them": PHRASINGS[:10],
        "labelled (former detect_effect_assessment tests)": LABELLED,
        "hard wording (tests/test_classification_hard_wording.py)": HARD_WORDING,
        f"synthetic, seeds {seeds}": synthetic(seeds, hard_wording=False),
        f"synthetic hard_wording, seeds {seeds}": synthetic(seeds, hard_wording=True),
    }
    for name, detector in DETECTORS.items():
        print(name)
        for set_name, items in sets.items():
            started = time.perf_counter()
            right, total = score(detector, items)
            seconds = time.perf_counter() - started
            print(f"  {set_name}: {right}/{total} = {100 * right / total:.1f} % "
                  f"({seconds:.3f} s)")
    if len(DETECTORS) == 2:
        first, second = DETECTORS.values()
        for set_name, items in sets.items():
            differ = sum(first(text) != second(text) for text, _ in items)
            print(f"detectors disagree on {differ} of {len(items)}: {set_name}")


if __name__ == "__main__":
    main()

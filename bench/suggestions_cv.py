"""Cross-validated quality of the suggestion model on the hand-written gold notes.

Usage:  python bench/suggestions_cv.py [--folds 5]

Trains the character n-gram TF-IDF + logistic regression model on the gold notes'
top-level codes (as if they were accepted human codings) and reports note-level
precision, recall and kappa per code from k-fold cross-validation.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from effektspor.coding.suggestions import cross_validate

GOLD = sorted((Path(__file__).parent / "gold").glob("autokodning_*.jsonl"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    records = [json.loads(line) for path in GOLD for line in path.open(encoding="utf-8")
               if line.strip()]
    texts = [r["text"] for r in records]
    labels = [set(r["codes"]) for r in records]
    print(f"{len(texts)} notater, {args.folds}-fold krydsvalidering")
    for row in cross_validate(texts, labels, folds=args.folds):
        print(f"  {row.code:20s} præcision {row.precision or 0:.2f}  "
              f"genkaldelse {row.recall or 0:.2f}  kappa {row.kappa or 0:.2f}")


if __name__ == "__main__":
    main()

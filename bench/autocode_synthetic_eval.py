"""Agreement of the auto-coder with the per-note codes of the synthetic corpus.

Usage:  python bench/autocode_synthetic_eval.py [--seed 7] [--cases 146]

The synthetic generator (effektspor.synthetic, written by another developer) records
which codes each note was written to carry. Its phrasing is not ours, so this is a second
check beside the hand-written gold set — but note that it was used as a development set
(rules were improved after looking at its disagreements), so it is not a held-out test.
"""

from __future__ import annotations

import argparse

from effektspor.coding.autocoder import RuleAutocoder
from effektspor.coding.codebook import load_codebook
from effektspor.coding.evaluation import compare
from effektspor.synthetic.corpus import generate_cases


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cases", type=int, default=146)
    args = parser.parse_args()
    codebook = load_codebook()
    coder = RuleAutocoder(codebook)
    gold, machine = [], {}
    for case in generate_cases(seed=args.seed, n_cases=args.cases):
        for note in case.notes:
            note_id = note.row["notat_id"]
            gold.append((note_id, set(note.codes)))
            segments = coder.code_text(note.row["tekst"],
                                       attention_point=note.row["opmærksomhedspunkt"])
            machine[note_id] = set(coder.codes_present(segments))
    report = compare(gold, machine, codebook.top_level_ids)
    print(f"{len(gold)} syntetiske notater (seed {args.seed}, {args.cases} sager)")
    for row in report.codes:
        print(f"  {row.code:20s} præcision {row.precision:.2f}  genkaldelse {row.recall:.2f}"
              f"  kappa {row.kappa:.3f}")
    print(f"  gennemsnitlig kappa {report.mean_kappa():.3f}")


if __name__ == "__main__":
    main()

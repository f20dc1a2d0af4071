"""Accuracy of the rule-based suggestions against the synthetic corpus's facit.

Usage: python bench/classification_eval.py [--hard] [SEED ...]   (default seeds 2019 2018 7)

Without ``--hard`` both corpora are reported: the default wording and the harder one
(``generate_cases(..., hard_wording=True)``); with ``--hard`` only the harder one.

For each case of the synthetic demo corpus (effektspor.synthetic, written by another area,
not by these rules) the suggestion from its documents is compared with the latent truth:
målopnåelse only for cases whose discharge report is usable ("brugbar"), problemstilling
and problemgrad from the grants/action plans. Prints coverage (share of cases with a
suggestion), accuracy among suggested, and the confusion of the wrong ones.
"""

from __future__ import annotations

import sys
from collections import Counter

from effektspor.classification.outcome import suggest_outcome
from effektspor.classification.problems import suggest_problem_category, suggest_severity
from effektspor.synthetic.corpus import generate_cases

INTAKE = ("bevilling", "handleplan")


def evaluate(seed: int, *, hard_wording: bool = False
             ) -> dict[str, tuple[int, int, int, Counter]]:
    """Per variable: (cases, suggested, correct, confusion of errors)."""
    results = {name: [0, 0, 0, Counter()] for name in ("maalopnaaelse", "problemstilling",
                                                        "problemgrad", "ingen_vurdering")}
    for case in generate_cases(seed, hard_wording=hard_wording):
        truth = case.truth
        discharge = [d for d in case.documents if d.doc_type == "udskrivningsrapport"]
        if discharge:
            found = suggest_outcome(discharge[-1].text)
            key = "maalopnaaelse" if truth.discharge == "brugbar" else "ingen_vurdering"
            stats = results[key]
            stats[0] += 1
            if found:
                stats[1] += 1
                correct = key == "maalopnaaelse" and found[0] == truth.outcome
                stats[2] += correct
                if not correct:
                    stats[3][(truth.outcome if key == "maalopnaaelse" else "-", found[0])] += 1
        intake = [d for d in case.documents if d.doc_type in INTAKE]
        for name, suggester, true_value in (
                ("problemstilling", suggest_problem_category, truth.category),
                ("problemgrad", suggest_severity, truth.severity)):
            stats = results[name]
            stats[0] += 1
            found = [r[0] for d in intake if (r := suggester(d.text))]
            if not found:
                continue
            value = (Counter(found).most_common(1)[0][0] if name == "problemstilling"
                     else min(found, key=["Svær", "Mellem", "Let"].index))
            stats[1] += 1
            stats[2] += value == true_value
            if value != true_value:
                stats[3][(true_value, value)] += 1
    return {k: tuple(v) for k, v in results.items()}


def main() -> None:
    """Print the figures for the seeds given on the command line."""
    args = sys.argv[1:]
    hard_only = "--hard" in args
    seeds = [int(s) for s in args if s != "--hard"] or [2019, 2018, 7]
    for hard_wording in ((True,) if hard_only else (False, True)):
        report(seeds, hard_wording=hard_wording)


def report(seeds: list[int], *, hard_wording: bool) -> None:
    """Print coverage, accuracy and the commonest errors over ``seeds``."""
    totals: dict[str, list] = {}
    for seed in seeds:
        for name, (n, suggested, correct, confusion) in evaluate(
                seed, hard_wording=hard_wording).items():
            total = totals.setdefault(name, [0, 0, 0, Counter()])
            total[0] += n
            total[1] += suggested
            total[2] += correct
            total[3].update(confusion)
    wording = "svær formulering (hard_wording)" if hard_wording else "standardformulering"
    print(f"Frø {seeds}, {wording}, {totals['problemgrad'][0]} sager i alt")
    for name, (n, suggested, correct, confusion) in totals.items():
        if name == "ingen_vurdering":
            print(f"  {name:<16} {n:4d} rapporter uden brugbar vurdering, forslag alligevel: "
                  f"{suggested} (bør være 0)")
            continue
        accuracy = correct / suggested if suggested else float("nan")
        print(f"  {name:<16} {n:4d} sager, forslag {suggested:4d} ({suggested / n:.0%}), "
              f"korrekte {correct:4d} ({accuracy:.1%} af forslagene)")
        for (true_value, given), count in confusion.most_common(5):
            print(f"      facit {true_value!s:<20} -> forslag {given:<20} {count:3d}")


if __name__ == "__main__":
    main()

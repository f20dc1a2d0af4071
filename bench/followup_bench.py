"""Benchmark of the follow-up calendar and the caseload at national scale (issue 13).

    .venv/bin/python bench/followup_bench.py                  # 50,000 children
    .venv/bin/python bench/followup_bench.py --born 10000 --runs 3

Generates synthetic follow-up files (``synthetic/followup.py``) and times the CLI
contracts' work on them, the way ``effektspor opfølgning frister`` and ``… sagstal`` do
it: reading and checking the CSV files, every measure's due dates with the rule behind
each (Herning's cadence, which gives the most dates), and the caseload. The target is
under 5 s for 50,000 children. Times are the median of ``--runs`` runs, wall clock and
process CPU time (the steadier figure on a shared machine).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from effektspor.services.followup.files import caseload_from_file, due_dates_from_files
from effektspor.synthetic.followup import generate_followup, write_followup_files

DAY = date(2025, 6, 1)


def _timed(function) -> tuple[float, float, object]:
    cpu, wall = time.process_time(), time.perf_counter()
    result = function()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--born", type=int, default=50_000, help="Antal børn (standard 50.000).")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--regelsæt", dest="rule_set", default="herning")
    args = parser.parse_args()
    corpus = generate_followup(children=args.born, seed=1, day=DAY, with_series=False)
    with tempfile.TemporaryDirectory() as folder:
        paths = write_followup_files(corpus, Path(folder))
        children = sum(m.children for m in corpus.measures)
        print(f"genereret: {children} børn i {len(corpus.measures)} sager, "
              f"{len(corpus.held)} afholdte opfølgninger, "
              f"{len({m.caseworker for m in corpus.measures})} rådgivere")
        due_runs, load_runs = [], []
        for _ in range(args.runs):
            due_runs.append(_timed(lambda: due_dates_from_files(
                paths["indsatser"], args.rule_set, held_path=paths["afholdte"], until=DAY)))
            load_runs.append(_timed(lambda: caseload_from_file(paths["sager"], day=DAY)))
        due_wall = statistics.median(run[0] for run in due_runs)
        due_cpu = statistics.median(run[1] for run in due_runs)
        load_wall = statistics.median(run[0] for run in load_runs)
        load_cpu = statistics.median(run[1] for run in load_runs)
        rows = len(due_runs[0][2]["frister"])
        print(f"frister ({args.rule_set}, til {DAY.isoformat()}): {rows} frister på "
              f"{due_wall:.2f} s (CPU {due_cpu:.2f} s)")
        print(f"sagstal: {load_wall:.2f} s (CPU {load_cpu:.2f} s)")
        print(f"i alt: {due_wall + load_wall:.2f} s (CPU {due_cpu + load_cpu:.2f} s); "
              "mål: under 5 s")


if __name__ == "__main__":
    main()

"""Benchmark and evaluation of the synthetic corpus, the documentation analysis and the demo.

    .venv/bin/python bench/synthetic_bench.py               # all measurements
    .venv/bin/python bench/synthetic_bench.py --mb 250      # note stream size in MB

Prints: the note stream's throughput (``iter_notes``, MB of UTF-8 note text per second),
the time of ``write_export`` (146 cases), of the whole demo (generate, project, import,
report), of the documentation report alone, the agreement of the effect-assessment
detector with the truth, and how a naive keyword match scores against the truth labels
(the corpus is meant to defeat it partly). Timings are the median of ``--runs`` runs.
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
import tempfile
import time
from pathlib import Path

from effektspor.classification.outcome import effect_assessment
from effektspor.services.authorization import Actor, Role
from effektspor.services.contract import unit_of_work
from effektspor.services.demo.pipeline import run_demo
from effektspor.services.project import open_project
from effektspor.services.reports.documentation import write_documentation_report
from effektspor.synthetic import generate_cases, iter_notes, read_truth, write_export


def stream_throughput(megabytes: float) -> tuple[float, float, int, float]:
    """Wall seconds, MB/s, notes and CPU MB/s for a stream of ``megabytes`` of note text.

    The CPU rate (bytes per second of process CPU time) is what an idle machine would give;
    the wall-clock rate suffers when the machine is shared.
    """
    target = megabytes * 1_000_000
    produced = notes = 0
    cpu_start = time.process_time()
    start = time.perf_counter()
    for row in iter_notes(2019, 10**9):
        produced += len(row["tekst"].encode("utf-8"))
        notes += 1
        if produced >= target:
            break
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    return seconds, produced / 1e6 / seconds, notes, produced / 1e6 / cpu


def timed(function, runs: int) -> float:
    """Median seconds of ``runs`` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def keyword_baseline(folder: Path, truth_file: Path) -> dict[str, tuple[float, float]]:
    """Precision and recall of naive keyword rules against the note-level truth."""
    with (folder / "notater.csv").open(encoding="utf-8", newline="") as handle:
        notes = {row["notat_id"]: row["tekst"].lower() for row in csv.DictReader(handle,
                                                                                 delimiter=";")}
    labels: dict[str, set[str]] = {note_id: set() for note_id in notes}
    for case in read_truth(truth_file):
        for note_id, coded in case["noter"].items():
            labels[note_id].update(coded["koder"])
    rules = {
        "professionel_tvivl": r"tvivl|overvejer",
        "relationsarbejde": r"trøst|øjenkontakt|dialog|omsorg|kontakt|gråd|græd|stemning",
        "negativ_alliance": r"aflys|afvis|vred|ikke imod råd|frustr|svigt",
        "positiv_alliance": r"tager (godt )?imod|tillid|tryg|omsorg",
        "indsatsjustering": r"justere|ændre|frekvens|fremover",
    }
    scores = {}
    for code, pattern in rules.items():
        regex = re.compile(pattern)
        predicted = {n for n, text in notes.items() if regex.search(text)}
        actual = {n for n, codes in labels.items() if code in codes}
        hits = len(predicted & actual)
        scores[code] = (hits / len(predicted) if predicted else 0.0,
                        hits / len(actual) if actual else 0.0)
    return scores


def suggestion_agreement(project_folder: Path, truth_file: Path) -> dict[str, tuple[int, int]]:
    """How often the classification suggestions (another area) match the corpus truth."""
    from effektspor.services.classification.suggestions import (
        list_suggestions,
        suggest_classifications,
    )
    from effektspor.services.contract import local_actor, unit_of_work

    truth = {case["sag_id"]: case for case in read_truth(truth_file)}
    with open_project(project_folder) as project:
        actor = local_actor(name="bench")
        with unit_of_work(project) as session:
            suggest_classifications(session=session, actor=actor, project_id=project.project_id)
        with unit_of_work(project) as session:
            suggestions = list_suggestions(session=session, actor=actor,
                                           project_id=project.project_id)
    scores: dict[str, list[int]] = {}
    for item in suggestions:
        case = truth[item["sag"]]
        variable = item["variabel"]
        expected = (case["effektvurdering_i_rapport"] if variable == "maalopnaaelse"
                    else case.get(variable))
        score = scores.setdefault(variable, [0, 0])
        score[0] += str(item["værdi"]).lower() == str(expected).lower()
        score[1] += 1
    return {variable: (hits, n) for variable, (hits, n) in scores.items()}


def hard_wording_project(root: Path) -> tuple[Path, Path]:
    """A project with the seed-2019 corpus written with ``hard_wording=True``."""
    from effektspor.services.importing.imports import import_paths
    from effektspor.services.project import create_project

    info = write_export(root / "eksport", hard_wording=True)
    with create_project(root / "projekt", "Sværere formuleringer", actor="bench") as project:
        import_paths(project, [info.folder], actor="bench")
    return root / "projekt", info.truth_file


def main() -> None:
    """Run the measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=250.0, help="MB note text to stream")
    parser.add_argument("--runs", type=int, default=3, help="runs per timing (median)")
    args = parser.parse_args()

    seconds, rate, notes, cpu_rate = stream_throughput(args.mb)
    print(f"iter_notes: {args.mb:.0f} MB note text, {notes} notes in {seconds:.1f} s "
          f"= {rate:.1f} MB/s wall clock, {cpu_rate:.1f} MB/s per CPU second")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        counter = iter(range(1000))
        export_s = timed(lambda: write_export(root / f"e{next(counter)}" / "eksport"),
                         args.runs)
        print(f"write_export (146 sager): median {export_s:.2f} s")
        info = write_export(root / "x" / "eksport")
        print(f"  {info.n_notes} notes, {info.n_documents} documents, {info.n_grants} grants, "
              f"{info.n_persons} persons, {info.n_usable_discharge} usable discharge reports")
        demo_s = timed(lambda: run_demo(root / "demo", actor="bench"), args.runs)
        print(f"demo (generate + project + import + report, 3 formats): median {demo_s:.2f} s")
        with open_project(root / "demo" / "projekt") as project:
            def report() -> None:
                with unit_of_work(project) as session:
                    write_documentation_report(
                        session=session, actor=Actor("bench", Role.ANALYST),
                        project_id=project.project_id, folder=root / "r", closed_year=2019)

            report_s = timed(report, args.runs)
        print(f"documentation report alone (html+docx+xlsx): median {report_s:.2f} s")
        for variable, (hits, n) in suggestion_agreement(root / "demo" / "projekt",
                                                        root / "demo" / "facit.jsonl").items():
            print(f"classification suggestions vs truth, {variable}: {hits}/{n} correct")
        hard_project, hard_truth = hard_wording_project(root / "hard")
        for variable, (hits, n) in suggestion_agreement(hard_project, hard_truth).items():
            print(f"classification suggestions vs truth, hard_wording, {variable}: "
                  f"{hits}/{n} correct")
        for code, (precision, recall) in keyword_baseline(info.folder, info.truth_file).items():
            print(f"naive keywords vs truth, {code}: precision {precision:.2f}, "
                  f"recall {recall:.2f}")

    correct = total = 0
    for case in generate_cases(seed=7, n_cases=500):
        for doc in case.documents:
            if doc.doc_type == "udskrivningsrapport":
                expected = case.truth.outcome if case.truth.discharge == "brugbar" else None
                correct += effect_assessment(doc.text) == expected
                total += 1
    print(f"effect-assessment detector vs truth (seed 7, 500 cases): {correct}/{total} correct")


if __name__ == "__main__":
    main()

"""Whole-project pseudonymisation (``effektspor pseudonymiser -p``) at several sizes.

    python bench/project_pseudonymise_bench.py --noter 10000 40000
    python bench/project_pseudonymise_bench.py --noter 10000 --gentag 3

For each size a synthetic export (effektspor.synthetic.write_export: notes, documents,
persons; about 29 notes a case) is written and imported into a fresh SQLite project once
(cached in bench/.cache/); each timed run works on a fresh copy of that project, in a
fresh process, so that the peak memory (ru_maxrss) is the run's own. Printed per run: wall
time, CPU time (user + system) of the pseudonymisation alone and of the whole process,
peak memory, and the CPU time per 1,000 notes, so that a superlinear step shows.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import describe_machine

CACHE = Path(__file__).parent / ".cache"
NOTES_PER_CASE = 29  # the synthetic generator's average (4,248 notes in 146 cases)
PASSPHRASE = "bench-adgangskode-til-noeglefil"


def prepare(n_notes: int) -> Path:
    """The cached, imported (not pseudonymised) project of about ``n_notes`` notes."""
    from effektspor.services.importing.imports import import_paths
    from effektspor.services.project import create_project
    from effektspor.synthetic import write_export

    n_cases = max(1, round(n_notes / NOTES_PER_CASE))
    folder = CACHE / f"projekt-{n_cases}-sager"
    done = folder / "klar.json"
    if done.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    export = folder / "eksport"
    info = write_export(export, seed=2019, n_cases=n_cases)
    project = create_project(folder / "projekt", "Benchmark", actor="bench")
    try:
        import_paths(project, [export], actor="bench")
    finally:
        project.close()
    shutil.rmtree(export)
    done.write_text(json.dumps({"sager": info.n_cases, "notater": info.n_notes,
                                "dokumenter": info.n_documents, "personer": info.n_persons}))
    return folder


def run_once(project_folder: Path) -> dict:
    """Pseudonymise the project in this process; the figures as a dict."""
    from effektspor.services.privacy.project_run import pseudonymise_project
    from effektspor.services.project import open_project

    started_cpu, started = time.process_time(), time.perf_counter()
    with open_project(project_folder) as project:
        summary = pseudonymise_project(project, actor="bench",
                                       vault_path=project_folder.parent / "noegle",
                                       passphrase=PASSPHRASE)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"wall": time.perf_counter() - started, "cpu": time.process_time() - started_cpu,
            "process_cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024,
            "notes": summary.notes, "documents": summary.documents, "cases": summary.cases,
            "replacements": sum(summary.replacements.values())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--noter", type=int, nargs="+", default=[10_000, 40_000])
    parser.add_argument("--gentag", type=int, default=1, help="timed runs per size")
    parser.add_argument("--kør", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.kør:
        print(json.dumps(run_once(args.kør)))
        return
    print(describe_machine())
    for n_notes in args.noter:
        prepared = prepare(n_notes)
        sizes = json.loads((prepared / "klar.json").read_text())
        for _ in range(args.gentag):
            with tempfile.TemporaryDirectory(prefix="effektspor-pseud-") as work:
                copy = Path(work) / "projekt"
                shutil.copytree(prepared / "projekt", copy)
                output = subprocess.run([sys.executable, __file__, "--kør", str(copy)],
                                        check=True, capture_output=True, text=True).stdout
            figures = json.loads(output.strip().splitlines()[-1])
            per_1000 = figures["cpu"] / figures["notes"] * 1000
            print(f"{figures['notes']} notater, {figures['documents']} dokumenter, "
                  f"{figures['cases']} sager ({sizes['personer']} personer): "
                  f"væg {figures['wall']:.1f} s, CPU {figures['cpu']:.1f} s "
                  f"({per_1000:.2f} s pr. 1.000 notater; hele processen "
                  f"{figures['process_cpu']:.1f} s), maks. hukommelse "
                  f"{figures['peak_mb']:.0f} MB, {figures['replacements']} erstatninger",
                  flush=True)


if __name__ == "__main__":
    main()

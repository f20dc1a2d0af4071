"""Cost per unit at three sizes (a 16× range): does any step grow faster than its input?

    python bench/scaling.py                       # every step, default sizes
    python bench/scaling.py --trin import autokodning --mindste 0.5

Steps and their units (sizes are the smallest × 1, 4 and 16):

* ``import``: notes imported into a fresh SQLite project (12,500 / 50,000 / 200,000),
* ``pseudonymisering``: MB of synthetic notes through the pseudonymiser library (1.25 / 5 / 20),
* ``projekt``: notes of a whole project pseudonymised (``effektspor pseudonymiser -p``;
  2,500 / 10,000 / 40,000; about 29 notes and 7 documents a case),
* ``autokodning``: MB of synthetic notes through the rule autocoder (1.25 / 5 / 20).

Each measurement runs in a fresh process after its input was prepared by this one, so its
CPU time (user + system of the step alone) and peak memory (ru_maxrss of that process) are
its own. Printed per step and size: CPU seconds, wall seconds, CPU per unit, that figure
relative to the smallest size, and peak memory. The issue's target: per-unit cost within
±30 % across the range; a step outside it is marked.
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

BENCH = Path(__file__).parent
STEPS = {  # step → (unit, size of the smallest run in that unit)
    "import": ("notater", 12_500),
    "pseudonymisering": ("MB", 1.25),
    "projekt": ("notater", 2_500),
    "autokodning": ("MB", 1.25),
}
FACTORS = (1, 4, 16)
TOLERANCE = 0.30
NOTES_PER_CASE_IMPORT = 60  # import_bench's layout: 300,000 notes in 5,000 cases


def prepare(step: str, size: float, folder: Path) -> Path:
    """Write the step's input for ``size`` units in ``folder``; return what the child reads."""
    if step == "import":
        from import_bench import write_export

        write_export(folder / "eksport", int(size), max(1, int(size) // NOTES_PER_CASE_IMPORT),
                     2019)
        return folder / "eksport"
    if step in ("pseudonymisering", "autokodning"):
        from pseudonymise_bench import write_synthetic_corpus

        path = folder / "korpus.jsonl"
        write_synthetic_corpus(path, size)
        return path
    from project_pseudonymise_bench import prepare as prepare_project

    copy = folder / "projekt"
    shutil.copytree(prepare_project(int(size)) / "projekt", copy)
    return copy


def run_step(step: str, source: Path) -> dict:
    """Run one step on its prepared input in this process: everything the step needs is
    imported and built first, then only the work itself is timed (the start-up of a
    process is not what scales). Units done, CPU and wall time, peak memory."""
    work = _prepared_work(step, source)
    started_cpu, started = time.process_time(), time.perf_counter()
    units = work()
    return {"units": units, "cpu": time.process_time() - started_cpu,
            "wall": time.perf_counter() - started, "peak_mb": _peak_mb()}


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from
    the parent across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _prepared_work(step: str, source: Path):
    """The step as a function of no arguments returning the units done."""
    if step == "import":
        from effektspor.services.importing.imports import import_paths
        from effektspor.services.project import create_project

        project = create_project(source.parent / "projekt", "Skalering", actor="bench")

        def work() -> float:
            try:
                return import_paths(project, [source], actor="bench").notes
            finally:
                project.close()
        return work
    if step == "projekt":
        import project_pseudonymise_bench

        from effektspor.privacy.pseudonymiser import Pseudonymiser
        from effektspor.privacy.pseudonyms import ProjectPseudonyms, PseudonymScope
        from effektspor.services.privacy.project_run import pseudonymise_project  # noqa: F401
        from effektspor.services.project import open_project  # noqa: F401

        # modules and word lists are loaded once per process: load them before timing
        Pseudonymiser().pseudonymise("Opvarmning: Peter Hansen, Vestergade 3, 8000 Aarhus C.",
                                     PseudonymScope("opvarmning", ProjectPseudonyms("roller")))
        return lambda: project_pseudonymise_bench.run_once(source)["notes"]
    if step == "pseudonymisering":
        from effektspor.privacy.pseudonymiser import Pseudonymiser
        from effektspor.privacy.pseudonyms import ProjectPseudonyms, PseudonymScope

        pseudonymiser, shared = Pseudonymiser(), ProjectPseudonyms("roller")
        pseudonymiser.pseudonymise("Opvarmning: Peter Hansen, Vestergade 3, 8000 Aarhus C.",
                                   PseudonymScope("opvarmning", shared))
        scopes: dict[str, PseudonymScope] = {}

        def one(record: dict) -> None:
            if len(scopes) > 100:
                scopes.clear()
            scope = scopes.setdefault(record["sag"], PseudonymScope(record["sag"], shared))
            pseudonymiser.pseudonymise(record["text"], scope)
    else:
        from effektspor.coding.autocoder import RuleAutocoder
        from effektspor.coding.codebook import load_codebook

        coder = RuleAutocoder(load_codebook())
        coder.code_text("Opvarmning: mor er bekymret for skolen.")

        def one(record: dict) -> None:
            coder.code_text(record["text"])
    return lambda: _run_on_corpus(source, one)


def _run_on_corpus(path: Path, one) -> float:
    """Run ``one`` on every note of a JSON-lines corpus; the MB of text done."""
    done = 0
    with path.open(encoding="utf-8") as source:
        for line in source:
            record = json.loads(line)
            one(record)
            done += len(record["text"].encode("utf-8"))
    return done / 1e6


def measure(step: str, size: float) -> dict:
    """Prepare the input here, run the step in a fresh process, return its figures."""
    with tempfile.TemporaryDirectory(prefix="effektspor-skalering-") as work:
        source = prepare(step, size, Path(work))
        output = subprocess.run([sys.executable, __file__, "--kør", step, str(source)],
                                check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trin", nargs="+", choices=sorted(STEPS), default=list(STEPS))
    parser.add_argument("--mindste", type=float, default=1.0,
                        help="scale every step's smallest size by this factor")
    parser.add_argument("--kør", nargs=2, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.kør:
        print(json.dumps(run_step(args.kør[0], Path(args.kør[1]))))
        return
    print(describe_machine(), flush=True)
    print("| trin | størrelse | CPU s | væg s | CPU pr. enhed | i forhold til mindste "
          "| maks. hukommelse |\n|---|---|---|---|---|---|---|", flush=True)
    for step in args.trin:
        unit, smallest = STEPS[step]
        first = None
        for factor in FACTORS:
            size = smallest * args.mindste * factor
            figures = measure(step, size)
            per_unit = figures["cpu"] / figures["units"]
            first = first or per_unit
            ratio = per_unit / first
            mark = "" if abs(ratio - 1) <= TOLERANCE else " **uden for ±30 %**"
            scale = 1000 if unit == "notater" else 1
            per_label = "s pr. 1.000 notater" if unit == "notater" else "s pr. MB"
            print(f"| {step} | {figures['units']:,.{0 if unit == 'notater' else 1}f} {unit} "
                  f"| {figures['cpu']:.1f} | {figures['wall']:.1f} "
                  f"| {per_unit * scale:.3f} {per_label} | {ratio:.2f}{mark} "
                  f"| {figures['peak_mb']:.0f} MB |", flush=True)


if __name__ == "__main__":
    main()

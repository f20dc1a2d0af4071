"""Time the classification use cases on a synthetic project (SQLite in a temporary folder).

Usage: python bench/classification_bench.py [N_CASES]  (default 2000)

Builds N cases, each with a discharge report and a grant whose wording varies, then times
``suggest_classifications``, ``confirm_suggestions`` (all), ``case_table``, the yearly report
(internal and pixi, DOCX+HTML+XLSX, with random code presence) and a recoding round (draw + blind XLSX export + read-back + disagreements). Prints medians of 3 runs.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from effektspor.domain.text import content_hash
from effektspor.services.authorization import Actor, Role
from effektspor.services.classification import case_table
from effektspor.services.classification.suggestions import (
    confirm_suggestions,
    suggest_classifications,
)
from effektspor.services.contract import local_actor, unit_of_work
from effektspor.services.project import create_project
from effektspor.services.recoding import disagreements, rounds, sheet_files
from effektspor.services.reports import yearly
from effektspor.store import tables as t

DISCHARGE = ["Effektvurdering: Familien er kommet i mål med alle problemstillinger.",
             "Effektvurdering: Målet er delvist nået; der arbejdes videre med skolen.",
             "Effektvurdering: Mor har ikke nået målet om faste rutiner.",
             "Forløbet afsluttes efter aftale."]
GRANT = ["Forældrene mangler struktur i hverdagen. Familien er i krise.",
         "Drengen er udadreagerende og slår. Barnet er i fare.",
         "Mor har svært ved at sætte grænser. Familien har brug for støtte til at opretholde "
         "en almindelig hverdag."]


def build(folder: Path, n_cases: int):
    project = create_project(folder, "Bench", actor="bench")
    rng = random.Random(1)
    with project.transaction() as session:
        for i in range(n_cases):
            case = t.Case(project_id=project.project_id, external_id=f"S{i:05d}",
                          team=f"Team {i % 8}")
            session.add(case)
            session.flush()
            for doc_type, texts in (("udskrivningsrapport", DISCHARGE), ("bevilling", GRANT)):
                text = f"Sag {i}. " + rng.choice(texts)
                session.add(t.Document(case_id=case.id, doc_type=doc_type, text=text,
                                       content_hash=content_hash(str(i), doc_type, text)))
    return project


def timed(function, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def in_work(project, use_case, *, actor: str):
    """A classification use case in a unit of work of its own, as the local ``actor``."""
    with unit_of_work(project) as session:
        return use_case(session=session, actor=local_actor(name=actor),
                        project_id=project.project_id)


def write_yearly_report(project, folder: Path, **options):
    with unit_of_work(project) as session:
        return yearly.write_yearly_report(session=session, actor=Actor("bench", Role.ANALYST),
                                          project_id=project.project_id, folder=folder,
                                          **options)


def run_once(n_cases: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        project = build(Path(tmp) / "p", n_cases)
        times = {}
        times["foreslå"], summary = timed(in_work, project, suggest_classifications,
                                                 actor="bench")
        times["bekræft alle"], _ = timed(in_work, project, confirm_suggestions, actor="leder")
        times["sagstabel"], rows = timed(case_table, project)
        rng = random.Random(2)
        presence = {row["sag"]: {code for code in ("negativ_alliance", "positiv_alliance",
                                                   "professionel_tvivl", "relationsarbejde",
                                                   "reflekteret_indsatsjustering")
                                 if rng.random() < 0.5} for row in rows}
        times["årsrapport intern (3 formater)"], _ = timed(
            write_yearly_report, project, Path(tmp) / "rapport", code_presence=presence)
        times["årsrapport pixi (3 formater)"], _ = timed(
            write_yearly_report, project, Path(tmp) / "rapport", pixi=True,
            code_presence=presence)
        start = time.perf_counter()
        analyst = Actor("bench", Role.ANALYST)
        work = {"actor": analyst, "project_id": project.project_id}
        with unit_of_work(project) as session:
            info = rounds.draw_round(session=session, **work, coder="Leder B", seed=1,
                                     teams=["Team 0"], n_random=10).info
            sheet = sheet_files.export_blind_sheet(session=session, **work, round_id=info.id,
                                                   path=Path(tmp) / "blind.csv")
        lines = [line for line in sheet.read_text(encoding="utf-8-sig").splitlines()
                 if not line.startswith("#")]
        filled = [lines[0]] + [f"{line.split(';')[0]};På vej;Barnekonflikt;Let"
                               for line in lines[1:]]
        sheet.write_text("\n".join(filled) + "\n", encoding="utf-8")
        with unit_of_work(project) as session:
            sheet_files.import_sheet(session=session, **work, round_id=info.id, path=sheet)
            found = disagreements.disagreements(session=session, **work, round_id=info.id)
        times[f"rekodning ({len(info.case_ids)} sager)"] = time.perf_counter() - start
        project.close()
        assert summary.created > 0 and len(rows) == n_cases and found
        return times


def main() -> None:
    n_cases = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    runs = [run_once(n_cases) for _ in range(3)]
    print(f"{n_cases} sager, median af 3 kørsler (SQLite):")
    for key in runs[0]:
        print(f"  {key:<28} {statistics.median(r[key] for r in runs):7.2f} s")


if __name__ == "__main__":
    main()

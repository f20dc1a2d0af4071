"""Benchmark of the journal import: 300,000 diary notes (~250 MB) over ~5,000 cases.

Writes a seeded synthetic export in the standard layout (its own simple generator of
varied Danish note text, ~830 bytes a note), imports it into a fresh SQLite project,
and prints notes/s, peak memory (ru_maxrss) and the time of an idempotent re-import.

    .venv/bin/python bench/import_bench.py                  # full size
    .venv/bin/python bench/import_bench.py --noter 20000    # quick check
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import shutil
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from machine import describe_machine

from effektspor.domain.attention_points import BUILTIN_SCHEMES
from effektspor.domain.vocabulary import TEAMS_RANDERS_2019
from effektspor.services.importing.imports import import_paths
from effektspor.services.project import create_project

SUBJECTS = ["Mor", "Far", "Drengen", "Pigen", "Familien", "Barnet", "Forældrene", "Storebror",
            "Lillesøster", "Plejemor", "Bedstemor", "Skolen", "Pædagogen", "Sagsbehandleren"]
VERBS = ["fortalte at", "gav udtryk for at", "oplevede at", "var bekymret for at",
         "viste tydeligt at", "sagde flere gange at", "beskrev hvordan", "reflekterede over at"]
CLAUSES = ["morgenrutinerne var blevet lettere at få til at fungere",
           "der havde været konflikter ved sengetid hele ugen",
           "samværet med far var gået roligt og trygt",
           "barnet havde svært ved at falde til ro efter skole",
           "de havde brugt de aftalte strategier fra sidste møde",
           "der var brug for mere støtte i forbindelse med lektier",
           "det var svært at tage imod råd og vejledning lige nu",
           "netværket omkring familien var blevet styrket",
           "hverdagen var præget af uro og mange aflysninger",
           "de var glade for den faste struktur i weekenden"]
REFLECTIONS = ["Familiebehandleren er i tvivl om, hvorvidt indsatsen rammer rigtigt.",
               "Vi aftalte at justere hyppigheden af møderne til hver uge.",
               "Der var en tryg atmosfære under hele samtalen, og der var god øjenkontakt.",
               "Mor græd, da vi talte om den seneste underretning, og fik trøst og omsorg.",
               "Vi drøftede, om målene i handleplanen stadig er de rigtige.",
               "Det blev aftalt at inddrage skolen i næste netværksmøde.",
               "Far aflyste aftalen med kort varsel og svarede ikke på opkald."]
ROLES = ["familiebehandler", "familiekonsulent", "familiestøtte"]


def note_text(rng: random.Random) -> str:
    """A varied Danish diary note of about 830 bytes on average."""
    sentences = []
    target = rng.randint(400, 1080)
    size = 0
    while size < target:
        if rng.random() < 0.25:
            sentence = rng.choice(REFLECTIONS)
        else:
            sentence = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(CLAUSES)}."
        sentences.append(sentence)
        size += len(sentence.encode("utf-8")) + 1
    paragraphs = [" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4)]
    return "\n".join(paragraphs)


def write_export(folder: Path, n_notes: int, n_cases: int, seed: int) -> int:
    """Write sager.csv and notater.csv; returns the bytes of notater.csv."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    starts = {}
    with open(folder / "sager.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["sag_id", "team", "startdato", "slutdato", "afsluttet", "bopæl"])
        for number in range(1, n_cases + 1):
            start = date(2018, 1, 1) + timedelta(days=rng.randint(0, 500))
            end = start + timedelta(days=rng.randint(60, 200))
            starts[number] = (start, end)
            writer.writerow([f"S{number:05d}", rng.choice(TEAMS_RANDERS_2019), start.isoformat(),
                             end.isoformat(), "ja", rng.choice(["by", "land", "forstad"])])
    with open(folder / "notater.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["sag_id", "dato", "opmærksomhedspunkt", "forfatterrolle", "tekst",
                         "notat_id"])
        for number in range(1, n_notes + 1):
            case = rng.randint(1, n_cases)
            start, end = starts[case]
            when = start + timedelta(days=rng.randint(0, (end - start).days))
            scheme = BUILTIN_SCHEMES[1] if when.year >= 2019 else BUILTIN_SCHEMES[0]
            writer.writerow([f"S{case:05d}", when.isoformat(), rng.choice(scheme.points),
                             rng.choice(ROLES), note_text(rng), f"N{number:07d}"])
    return (folder / "notater.csv").stat().st_size


def _postgres_schema(base_url: str) -> tuple[str, str]:
    from sqlalchemy import text

    from effektspor.store.database import make_engine

    schema = f"bench_{random.randrange(16**8):08x}"
    engine = make_engine(base_url)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return schema, f"{base_url}?options=-csearch_path%3D{schema}"


def _drop_schema(base_url: str, schema: str) -> None:
    from sqlalchemy import text

    from effektspor.store.database import make_engine

    engine = make_engine(base_url)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def main() -> None:
    """Generate, import, re-import; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--noter", type=int, default=300_000)
    parser.add_argument("--sager", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--mappe", type=Path, help="keep the work folder here")
    parser.add_argument("--database", help="PostgreSQL URL (a fresh schema is used, then dropped)")
    args = parser.parse_args()
    print(describe_machine(), flush=True)
    work = args.mappe or Path(tempfile.mkdtemp(prefix="effektspor-bench-"))
    export = work / "eksport"
    try:
        started = time.perf_counter()
        size = write_export(export, args.noter, args.sager, args.seed)
        print(f"genereret: {args.noter} notater, {args.sager} sager, notater.csv "
              f"{size / 1e6:.0f} MB ({size / args.noter:.0f} byte/notat) på "
              f"{time.perf_counter() - started:.1f} s")
        schema, url = _postgres_schema(args.database) if args.database else (None, None)
        project = create_project(work / "projekt", "Benchmark", database_url=url, actor="bench")
        try:
            started, cpu = time.perf_counter(), time.process_time()
            summary = import_paths(project, [export], actor="bench")
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"import: {summary.notes} notater, {summary.cases_created} sager på "
                  f"{seconds:.1f} s = {summary.notes / seconds:,.0f} notater/s "
                  f"(CPU-tid {cpu:.1f} s = {summary.notes / cpu:,.0f} notater/CPU-s); "
                  f"maks. hukommelse {peak_mb:,.0f} MB")
            started, cpu = time.perf_counter(), time.process_time()
            again = import_paths(project, [export], actor="bench")
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"genimport: {again.notes} nye, {again.duplicates} dubletter på "
                  f"{seconds:.1f} s = {again.duplicates / seconds:,.0f} rækker/s "
                  f"(CPU-tid {cpu:.1f} s); maks. hukommelse {peak_mb:,.0f} MB")
            db = work / "projekt" / "effektspor.sqlite"
            if db.exists():
                print(f"database: {db.stat().st_size / 1e6:.0f} MB")
        finally:
            project.close()
            if schema:
                _drop_schema(args.database, schema)
    finally:
        if args.mappe is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

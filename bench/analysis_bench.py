"""Benchmark and accuracy check of the analysis area; prints its figures as Markdown.

Run: .venv/bin/python bench/analysis_bench.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from machine import describe_machine

from effektspor.analysis.agreement import agreement_report, krippendorff_alpha
from effektspor.analysis.caseframe import read_case_csv
from effektspor.analysis.crosstab import crosstab, multi_response_crosstab
from effektspor.analysis.exact import fisher_exact_rxc
from effektspor.analysis.qca import qca, qca_from_table

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "analysis"
JOB = np.array([1, 2, 1, 0, 3, 3, 6, 1, 10, 10, 14, 9, 6, 7, 12, 11]).reshape(4, 4).T


def timed(function, repeat: int) -> tuple[str, object]:
    """Median wall time and CPU time of ``repeat`` runs, as "wall s (CPU s)"; the caches of
    the exact test are cleared between runs. CPU time shows the cost on a shared machine."""
    from effektspor.analysis import exact

    times, cpu_times, result = [], [], None
    for _ in range(repeat):
        exact._fillings_array.cache_clear()
        exact._count_fillings.cache_clear()
        exact._column_max.cache_clear()
        exact._column_min.cache_clear()
        start, cpu_start = time.perf_counter(), time.process_time()
        result = function()
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    return f"{statistics.median(times):.3f} ({statistics.median(cpu_times):.3f})", result


def write_cases(path: Path, n: int, seed: int = 1) -> None:
    """Synthetic cases: outcome, severity, problem category and four alliance flags."""
    rng = np.random.default_rng(seed)
    outcomes = ["I mål", "På vej", "Ikke i mål"]
    severities = ["Svær", "Mellem", "Let"]
    categories = ["Forældrekonflikt", "Forældrestruktur", "Forældreregulering",
                  "Barneregulering", "Barnestruktur", "Barnekonflikt"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["sag_id", "målopnåelse", "problemgrad", "problemstilling",
                         "negativ", "positiv", "tvivl", "relation"])
        for i in range(n):
            writer.writerow([f"S{i:05d}", rng.choice(outcomes), rng.choice(severities),
                             rng.choice(categories), *rng.integers(0, 2, 4)])


def crosstabs_and_report(path: Path, folder: Path) -> dict[str, Path]:
    """The analyst's whole job on a case CSV: crosstabs with their tests, then the report
    (internal edition, every cell linked to its cases) in HTML, DOCX and XLSX."""
    from effektspor.report import Paragraph, ReportDocument, Section, write_report
    from effektspor.services.reports.yearly_tables import Edition, crosstab_table

    cases = read_case_csv(path)
    edition = Edition(pixi=False, threshold=3)
    tables = [
        crosstab_table(crosstab(cases, "problemgrad", "målopnåelse"),
                       title="Problemgrad fordelt på målopnåelse", edition=edition,
                       row_header="Problemgrad"),
        crosstab_table(crosstab(cases, "problemstilling", "målopnåelse"),
                       title="Problemstilling fordelt på målopnåelse", edition=edition,
                       row_header="Problemstilling"),
        crosstab_table(multi_response_crosstab(cases, ["negativ", "positiv", "tvivl", "relation"],
                                               "målopnåelse"),
                       title="Alliancedimensioner fordelt på målopnåelse", edition=edition,
                       row_header="Dimension"),
    ]
    doc = ReportDocument(title="Benchmark", sections=[
        Section("Tabeller", [Paragraph("10.000 syntetiske sager."), *tables]),
        Section("Sager bag tallene", list(edition.case_lists))])
    doc.number_blocks()
    return write_report(doc, folder, "benchmark", ("html", "docx", "xlsx"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    print(describe_machine(), flush=True)

    start = time.perf_counter()
    fisher_exact_rxc([[6, 5, 7], [4, 8, 7], [10, 1, 3]])
    print(f"start of the exact test's child process (first call, Tabel 3): "
          f"{time.perf_counter() - start:.3f} s wall\n")
    print("## Fisher–Freeman–Halton exact test (median of", repeat, "runs)\n")
    print("fisher-rxc runs in a child process, so the CPU figure is this process's share "
          "only; wall time is the figure here.\n")
    print("| table | n | p (ours) | p (R) | seconds wall (CPU) |\n|---|---|---|---|---|")
    for name, table, reference in [
        ("Tabel 3 (3×3)", [[6, 5, 7], [4, 8, 7], [10, 1, 3]], "–"),
        ("Tabel 10 (6×3)", [[3, 1, 1], [7, 3, 0], [6, 4, 6], [3, 3, 8], [0, 0, 1], [1, 3, 1]],
         "–"),
        ("matrix(1:9, 3)", np.arange(1, 10).reshape(3, 3).T, "0.9888"),
        ("Job satisfaction (4×4)", JOB, "0.7827"),
        ("4×5, n = 120", [[8, 5, 7, 4, 6], [5, 9, 4, 6, 7], [6, 4, 8, 5, 6], [7, 6, 5, 7, 5]],
         "–"),
        ("5×5, n = 125", [[4 + (3 * i + 5 * j) % 3 for j in range(5)] for i in range(5)], "–"),
    ]:
        seconds, p_value = timed(lambda t=table: fisher_exact_rxc(t), repeat)
        print(f"| {name} | {int(np.sum(table))} | {p_value:.4f} | {reference} | {seconds} |")

    print("\n## Crosstab + test from a CSV of synthetic cases\n")
    print("| cases | table | method | seconds wall (CPU): read CSV + table + test |\n|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for n in (51, 1000, 10_000):
            path = Path(folder) / f"cases_{n}.csv"
            write_cases(path, n)
            for label, run in [
                ("problemgrad × målopnåelse",
                 lambda p=path: crosstab(read_case_csv(p), "problemgrad", "målopnåelse")),
                ("problemstilling × målopnåelse",
                 lambda p=path: crosstab(read_case_csv(p), "problemstilling", "målopnåelse")),
                ("flersvar (4) × målopnåelse",
                 lambda p=path: multi_response_crosstab(
                     read_case_csv(p), ["negativ", "positiv", "tvivl", "relation"],
                     "målopnåelse")),
            ]:
                seconds, table = timed(run, repeat)
                print(f"| {n} | {label} | {table.test.method} | {seconds} |")

    print("\n## Crosstab + exact test + report for 10,000 cases (the issue's target: < 10 s)\n")
    print("| cases | what | seconds wall (CPU) |\n|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cases.csv"
        write_cases(path, 10_000)
        seconds, written = timed(lambda: crosstabs_and_report(path, Path(folder) / "rapport"),
                                 repeat)
        print(f"| 10000 | read CSV, 3 crosstabs with tests, report as "
              f"{'+'.join(sorted(written)).upper()} | {seconds} |")

    print("\n## Krippendorff's alpha, Krippendorff (2011) worked example\n")
    observers = [[1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
                 [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
                 [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
                 [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]]
    units = list(zip(*observers, strict=True))
    print("| level | ours | published |\n|---|---|---|")
    for level, published in [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849),
                             ("ratio", 0.797)]:
        print(f"| {level} | {krippendorff_alpha(units, level):.4f} | {published} |")
    rng = np.random.default_rng(3)
    a = rng.choice(["Svær", "Mellem", "Let"], 51).tolist()
    b = [x if rng.random() < 0.7 else rng.choice(["Svær", "Mellem", "Let"]) for x in a]
    seconds, _ = timed(lambda: agreement_report([str(i) for i in range(51)], a, b,
                                                variable="problemgrad", bootstrap=2000), repeat)
    print(f"\nAgreement report, 51 cases, ordinal, 5 measures × 2000 bootstrap: {seconds} s wall (CPU)")

    print("\n## Crisp-set QCA\n")
    print("| data | solution | models | seconds wall (CPU) |\n|---|---|---|---|")
    for name, outcome, conditions in [("lipset_crisp_LC", "SURV", "DEV URB LIT IND STB"),
                                      ("krook_represent", "WNP", "ES QU WS WM LP")]:
        cases = read_case_csv(FIXTURES / f"{name}.csv")
        for solution in ("kompleks", "parsimonisk"):
            seconds, result = timed(lambda c=cases, s=solution, o=outcome, k=conditions:
                                    qca_from_table(c, outcome=o, conditions=k.split(),
                                                   solution=s), repeat)
            expression = "` / `".join(m.expression for m in result.models)
            print(f"| {name} | {solution} | `{expression}` | {seconds} |")
    rng = np.random.default_rng(5)
    data = rng.integers(0, 2, size=(300, 10))
    y = (data[:, 0] & data[:, 1]) | (data[:, 2] & ~data[:, 3] & 1)
    names = [f"C{i}" for i in range(10)]
    for solution in ("kompleks", "parsimonisk"):
        seconds, result = timed(lambda s=solution: qca([str(i) for i in range(300)], data, y,
                                                       names, solution=s), repeat)
        print(f"| random, 300 cases, 10 conditions | {solution} | {len(result.models)} "
              f"model(s) | {seconds} |")


if __name__ == "__main__":
    main()

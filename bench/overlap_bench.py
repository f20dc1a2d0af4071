"""One long document vs the same text as separate notes (issue 17, overlap resolution).

    python bench/overlap_bench.py --mb 2

The demo generator's notes (effektspor.synthetic.iter_notes) are joined into one text of
about ``--mb`` MB and pseudonymised once as one document and once note by note; the CPU
time (process time) of each is printed. A quadratic step in the overlap resolution shows
as a document costing many times what the notes cost.
"""

from __future__ import annotations

import argparse
import time

from machine import describe_machine

from effektspor.privacy.pseudonymiser import Pseudonymiser
from effektspor.privacy.pseudonyms import ProjectPseudonyms, PseudonymScope
from effektspor.synthetic import iter_notes


def _texts(mb: float) -> list[str]:
    texts: list[str] = []
    size = 0
    for note in iter_notes(17, 10**9):
        text = note["tekst"]
        texts.append(text)
        size += len(text.encode("utf-8")) + 2
        if size >= mb * 1_000_000:
            return texts
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=2.0, help="size of the document in MB")
    args = parser.parse_args()
    print(describe_machine())
    texts = _texts(args.mb)
    document = "\n\n".join(texts)
    pseudonymiser = Pseudonymiser()
    pseudonymiser.pseudonymise("Opvarmning: Anne Hansen, Vestergade 4.")
    started, cpu = time.perf_counter(), time.process_time()
    as_notes = 0
    scope = PseudonymScope("sag", ProjectPseudonyms())
    for text in texts:
        as_notes += len(pseudonymiser.pseudonymise(text, scope).replacements)
    notes_wall, notes_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    result = pseudonymiser.pseudonymise(document, PseudonymScope("sag", ProjectPseudonyms()))
    doc_wall, doc_cpu = time.perf_counter() - started, time.process_time() - cpu
    size = len(document.encode("utf-8")) / 1e6
    print(f"{len(texts)} noter, {size:.2f} MB")
    print(f"som noter:     CPU {notes_cpu:.2f} s (væg {notes_wall:.2f} s), "
          f"{as_notes} erstatninger")
    print(f"som dokument:  CPU {doc_cpu:.2f} s (væg {doc_wall:.2f} s), "
          f"{len(result.replacements)} erstatninger")
    print(f"dokument/noter (CPU): {doc_cpu / notes_cpu:.2f}×")


if __name__ == "__main__":
    main()

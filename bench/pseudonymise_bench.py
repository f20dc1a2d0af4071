"""Throughput and accuracy of the pseudonymiser (and, optionally, of Microsoft Presidio).

    python bench/pseudonymise_bench.py --mb 250            # effektspor on a 250 MB corpus
    python bench/pseudonymise_bench.py --mb 5 --presidio   # + Presidio side by side

The generated corpus is built from the hand-written gold notes (bench/gold): every gold
span is replaced by a fresh random value of its kind (names from the name lists, valid CPR
numbers, phone numbers, streets, towns), and 2–6 such notes are joined into one diary note
of realistic length. It is written to a temporary JSONL file first, so that generation is
not timed; then it is read back line by line and pseudonymised in one process. Memory is
the peak resident size (ru_maxrss) at 10 %, 50 % and 100 % of the corpus. The main corpus
is the demo generator's notes (effektspor.synthetic.iter_notes), written the same way.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from machine import describe_machine

from effektspor.privacy.evaluation import evaluate
from effektspor.privacy.lexicon import load_lexicon
from effektspor.privacy.pseudonymiser import Pseudonymiser
from effektspor.privacy.pseudonyms import ProjectPseudonyms, PseudonymScope
from effektspor.privacy.recognisers.cpr import modulus11_ok
from effektspor.services.privacy.files import evaluate_gold, load_gold

GOLD = Path(__file__).parent / "gold"
GOLD_FILES = ["pseudonymisering_udvikling.jsonl", "pseudonymisering_kontrol.jsonl"]


def _random_cpr(rng: random.Random) -> str:
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(60 * 365))
    seventh = rng.choice("0123") if born.year < 2000 else "4"
    while True:
        tail = seventh + f"{rng.randrange(1000):03d}"
        digits = born.strftime("%d%m%y") + tail
        if born.year < 2007 and not modulus11_ok(digits):
            continue
        return f"{digits[:6]}{rng.choice(['-', '', ' '])}{digits[6:]}"


def _random_value(label: str, original: str, rng: random.Random, pools: dict) -> str:
    if label == "NAVN":
        words = original.split()
        first = rng.choice(pools["first"])
        if len(words) > 1:
            return f"{first} {rng.choice(pools['surname'])}"
        return first + ("s" if original.endswith("s") and len(original) > 3 else "")
    if label == "CPR":
        return _random_cpr(rng)
    if label == "TELEFON":
        digits = f"{rng.randrange(2, 10)}{rng.randrange(10**7):07d}"
        return rng.choice([" ".join(digits[i:i + 2] for i in range(0, 8, 2)), digits,
                           "+45 " + digits[:4] + " " + digits[4:]])
    if label == "EMAIL":
        return f"{rng.choice(pools['first']).lower()}{rng.randrange(100)}@{rng.choice(['gmail.com', 'hotmail.dk', 'mail.dk'])}"
    if label == "ADRESSE":
        street = rng.choice(pools["street"])
        town = rng.choice(pools["postcode"])
        return f"{street} {rng.randrange(1, 200)}, {town}"
    if label == "STED":
        return rng.choice(pools["town"])
    return original


def _pools() -> dict:
    lex = load_lexicon()
    first = [w.capitalize() for w, r in {**lex.female_rank, **lex.male_rank}.items()
             if r <= 3000 and w not in lex.common_words and "-" not in w]
    surname = [w.capitalize() for w, r in lex.surname_rank.items() if r <= 1500]
    street = sorted(s.title() for s in lex.street_names if s.endswith(("vej", "gade")))[:20000]
    postcode = [f"{code} {town}" for code, town in lex.postcodes.items()]
    town = sorted({t.title() for t in lex.towns if len(t) > 4})
    return {"first": sorted(first), "surname": sorted(surname), "street": street,
            "postcode": postcode, "town": town}


def _variant(note, rng: random.Random, pools: dict) -> str:
    parts, position = [], 0
    for span in sorted(note.spans, key=lambda s: s.start):
        parts.append(note.text[position:span.start])
        parts.append(_random_value(span.label, note.text[span.start:span.end], rng, pools))
        position = span.end
    parts.append(note.text[position:])
    return "".join(parts)


def write_synthetic_corpus(path: Path, megabytes: float, seed: int = 7) -> int | None:
    """Write about ``megabytes`` MB of the demo generator's notes (None if not installed)."""
    try:
        from effektspor.synthetic import iter_notes
    except ImportError:
        return None
    target = int(megabytes * 1_000_000)
    written = 0
    with path.open("w", encoding="utf-8") as out:
        for note in iter_notes(seed, 10**9):
            text = note["tekst"]
            out.write(json.dumps({"id": note["notat_id"], "sag": note["sag_id"], "text": text},
                                 ensure_ascii=False) + "\n")
            written += len(text.encode("utf-8"))
            if written >= target:
                break
    return written


def write_corpus(path: Path, megabytes: float, seed: int = 7) -> int:
    """Write a corpus of about ``megabytes`` MB of varied gold notes; returns the byte count."""
    rng = random.Random(seed)
    notes = [note for name in GOLD_FILES for note in load_gold(GOLD / name)]
    pools = _pools()
    target = int(megabytes * 1_000_000)
    written = 0
    number = 0
    with path.open("w", encoding="utf-8") as out:
        while written < target:
            text = "\n\n".join(_variant(rng.choice(notes), rng, pools)
                               for _ in range(rng.randint(2, 6)))
            number += 1
            out.write(json.dumps({"id": number, "sag": f"S{number // 40}", "text": text},
                                 ensure_ascii=False) + "\n")
            written += len(text.encode("utf-8"))
    return written


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_effektspor(path: Path, total_bytes: int) -> dict:
    """Pseudonymise every note of the corpus file; MB/s of text and peak memory."""
    pseudonymiser = Pseudonymiser()
    project = ProjectPseudonyms("roller")
    scopes: dict[str, PseudonymScope] = {}
    done = 0
    checkpoints = {}
    marks = [0.1, 0.5]
    start = time.perf_counter()
    cpu_start = time.process_time()
    with path.open(encoding="utf-8") as source:
        for line in source:
            record = json.loads(line)
            scope = scopes.get(record["sag"])
            if scope is None:
                if len(scopes) > 100:
                    scopes.clear()
                scope = scopes[record["sag"]] = PseudonymScope(record["sag"], project)
            pseudonymiser.pseudonymise(record["text"], scope)
            done += len(record["text"].encode("utf-8"))
            if marks and done >= marks[0] * total_bytes:
                checkpoints[f"{int(marks.pop(0) * 100)} %"] = round(_rss_mb(), 1)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    checkpoints["100 %"] = round(_rss_mb(), 1)
    return {"mb": round(done / 1e6, 1), "seconds": round(seconds, 1),
            "mb_per_s": round(done / 1e6 / seconds, 2),
            "cpu_seconds": round(cpu_seconds, 1),
            "mb_per_cpu_s": round(done / 1e6 / cpu_seconds, 2), "peak_rss_mb": checkpoints}


def build_presidio():
    """Presidio offline: blank Danish spaCy, pattern recognisers, the name list as deny-list."""
    import re

    import spacy
    from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    class BlankDanishEngine(SpacyNlpEngine):
        """A spaCy engine on spacy.blank('da'): tokens only, nothing downloaded."""

        def __init__(self):
            super().__init__(models=[{"lang_code": "da", "model_name": "blank-da"}])

        def load(self) -> None:
            self.nlp = {"da": spacy.blank("da")}

    lex = load_lexicon()
    names = sorted({w.capitalize() for w in (*lex.female_rank, *lex.male_rank, *lex.surname_rank)})
    flags = re.DOTALL | re.MULTILINE  # case-sensitive: capitalised names only (fairer)
    registry = RecognizerRegistry(supported_languages=["da"])
    registry.add_recognizer(PatternRecognizer(
        supported_entity="CPR", supported_language="da", global_regex_flags=flags,
        patterns=[Pattern("cpr", r"\b\d{6}\s?[-–]?\s?\d{4}\b", 0.6)],
        context=["cpr", "personnummer"]))
    registry.add_recognizer(PatternRecognizer(
        supported_entity="TELEFON", supported_language="da", global_regex_flags=flags,
        patterns=[Pattern("telefon", r"(?:\+45|0045)?\s?\b\d{2}\s?\d{2}\s?\d{2}\s?\d{2}\b",
                          0.5), Pattern("telefon4", r"\b\d{4}\s\d{4}\b", 0.5)],
        context=["tlf", "telefon", "mobil", "ring"]))
    registry.add_recognizer(PatternRecognizer(  # a pattern: EmailRecognizer goes online
        supported_entity="EMAIL_ADDRESS", supported_language="da", global_regex_flags=flags,
        patterns=[Pattern("email", r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b", 0.8)]))
    registry.add_recognizer(PatternRecognizer(
        supported_entity="NAVN", supported_language="da", deny_list=names,
        global_regex_flags=flags))
    engine = BlankDanishEngine()
    engine.load()
    return AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["da"])


_PRESIDIO_LABELS = {"EMAIL_ADDRESS": "EMAIL"}


def run_presidio(path: Path, size: int) -> dict:
    """Presidio's throughput on a corpus file and its recall/precision on the gold set."""
    started = time.perf_counter()
    analyzer = build_presidio()
    setup = time.perf_counter() - started
    texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
    start, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        analyzer.analyze(text, language="da")
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    notes = [note for name in GOLD_FILES for note in load_gold(GOLD / name)]

    def predict(text, known):
        return [(r.start, r.end, _PRESIDIO_LABELS.get(r.entity_type, r.entity_type))
                for r in analyzer.analyze(text, language="da")]

    report = evaluate(notes, predict)
    return {"setup_s": round(setup, 1), "mb_per_s": round(size / 1e6 / seconds, 3),
            "mb_per_cpu_s": round(size / 1e6 / cpu_seconds, 3), "report": report}


def accuracy_table() -> list[tuple[str, dict]]:
    """Recall and precision on both halves of the gold set (evaluation command's numbers)."""
    rows = []
    for name in GOLD_FILES:
        report = evaluate_gold(GOLD / name)
        scores = {label: (s.recall, s.precision, s.gold) for label, s in sorted(report.labels.items())}
        scores["I alt"] = (report.overall.recall, report.overall.precision, report.overall.gold)
        rows.append((name, scores))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=250.0,
                        help="size of the corpus from the demo generator")
    parser.add_argument("--gold-mb", type=float, default=20.0,
                        help="size of the corpus of varied gold notes (denser in identifiers)")
    parser.add_argument("--runs", type=int, default=2, help="timed runs per corpus")
    parser.add_argument("--tmp", type=Path, help="folder for the temporary corpus files")
    parser.add_argument("--presidio", action="store_true", help="also run Presidio")
    parser.add_argument("--presidio-mb", type=float, default=2.0,
                        help="corpus slice Presidio is timed on")
    args = parser.parse_args()
    print(describe_machine(), flush=True)
    print(f"Python {sys.version.split()[0]}, one process")
    for name, scores in accuracy_table():
        print(f"\nGold set {name}:")
        for label, (recall, precision, gold) in scores.items():
            print(f"  {label:8} gold {gold:4}  recall {recall:.3f}  precision {precision:.3f}")
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        for name, writer, megabytes in (("syntetisk", write_synthetic_corpus, args.mb),
                                        ("guldvarianter", write_corpus, args.gold_mb)):
            corpus = Path(tmp) / f"{name}.jsonl"
            size = writer(corpus, megabytes)
            if size is None:
                print(f"\n{name}: effektspor.synthetic is not installed, skipped")
                continue
            print(f"\nCorpus '{name}': {size / 1e6:.1f} MB of text "
                  f"({corpus.stat().st_size / 1e6:.1f} MB JSONL)")
            for attempt in range(args.runs):
                result = measure_effektspor(corpus, size)
                print(f"  run {attempt + 1}: {result['mb']} MB in {result['seconds']} s wall = "
                      f"{result['mb_per_s']} MB/s; {result['cpu_seconds']} s CPU = "
                      f"{result['mb_per_cpu_s']} MB/s per core; peak RSS MB "
                      f"{result['peak_rss_mb']}")
            corpus.unlink()
        if args.presidio:
            slice_path = Path(tmp) / "udsnit.jsonl"
            slice_size = write_synthetic_corpus(slice_path, args.presidio_mb, seed=11) or \
                write_corpus(slice_path, args.presidio_mb, seed=11)
            ours = measure_effektspor(slice_path, slice_size)
            theirs = run_presidio(slice_path, slice_size)
            print(f"\nSame slice ({slice_size / 1e6:.2f} MB): effektspor {ours['mb_per_cpu_s']}"
                  f" MB/s per core, Presidio {theirs['mb_per_cpu_s']} MB/s per core"
                  f" ({ours['mb_per_cpu_s'] / theirs['mb_per_cpu_s']:.0f}x);"
                  f" Presidio set-up {theirs['setup_s']} s")
            ours_report = evaluate_both()
            print("Recall / precision on both gold halves together:")
            print(f"  {'label':8} {'effektspor':>20} {'Presidio':>20}")
            labels = sorted(set(ours_report.labels) | set(theirs["report"].labels))
            for label in [*labels, "I alt"]:
                a = ours_report.overall if label == "I alt" else ours_report.labels[label]
                b = theirs["report"].overall if label == "I alt" else \
                    theirs["report"].labels[label]
                print(f"  {label:8} {a.recall:9.3f} / {a.precision:.3f} "
                      f"{b.recall:9.3f} / {b.precision:.3f}")


def evaluate_both():
    """effektspor's report on both gold halves together."""
    notes = [note for name in GOLD_FILES for note in load_gold(GOLD / name)]
    pseudonymiser = Pseudonymiser()

    def predict(text, known):
        accepted, _ = pseudonymiser.analyse(text, known)
        return [(c.start, c.end, c.label) for c in accepted]

    return evaluate(notes, predict)


if __name__ == "__main__":
    main()

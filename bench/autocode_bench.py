"""Speed and memory of the rule auto-coder on a large generated corpus.

Usage:  python bench/autocode_bench.py [--megabytes 250] [--no-cache] [--seed 1]

The corpus comes from effektspor.synthetic.iter_notes (``--korpus syntetisk``, the
default when that module is present) or from the varied template grammar below
(``--korpus egen``: many slots, dates and times, so sentences rarely repeat). Notes are generated in chunks of about 5 MB; only the coding
is timed. Prints MB/s (UTF-8 bytes of note text per second, one core), the median over
chunks (CPU time of the process, i.e. per core) and the peak resident memory after each
50 MB.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
from collections.abc import Iterator

from machine import describe_machine

from effektspor.coding.autocoder import SENTENCE_CACHE_LIMIT, RuleAutocoder
from effektspor.coding.codebook import load_codebook

NAMES = ("Emma", "Ida", "Freja", "Alma", "Clara", "Ella", "Sofie", "Nora", "Liv", "Sol",
         "Storm", "Noah", "Oscar", "Lucas", "William", "Malthe", "Anton", "Carl", "Victor",
         "Emil", "Magnus", "Aya", "Ali", "Ahmad", "Mikkel", "Isabella", "Frida", "Karla",
         "Laura", "Mathias", "Sara", "Viggo", "Oskar", "Alfred", "Johan", "Lily", "Mila")
PARENTS = ("Mor", "Far", "Plejemor", "Morfar", "Mormor", "Stedfar")
PROFS = ("Jeg", "Vi", "Undertegnede", "Familiebehandler", "FB")
TOPICS = ("sengetider", "madpakker", "morgenrutinen", "lektier", "skolegang", "samværet",
          "kosten", "skærmtid", "konflikterne", "søvnen", "økonomien", "weekenden",
          "fritidsaktiviteter", "venskaber", "grænser", "hygiejne", "medicinen", "ugeplanen")
TIMES = ("i dag", "i går", "om morgenen", "efter skole", "i weekenden", "ved aftensmaden",
         "under besøget", "på vej hjem", "i telefonen", "til mødet")
ADVICE = ("råd", "rådene", "vejledningen", "forslaget", "anbefalingen", "guidningen")
NEUTRAL = (
    "{child} har været {mood} {time} og fortæller om {topic}.",
    "Der blev talt om {topic} {time}, og {parent} viste skemaet frem.",
    "{child} spiste {food} kl. {hour}.{minute} og gik derefter i seng.",
    "{parent} har været hos lægen d. {day}/{month} angående {topic}.",
    "Familien har planlagt {topic} for de næste {n} uger.",
    "{child} går til {sport} om {weekday}en og har fået en ny ven.",
)
CODED = (
    "{parent} tager {neg}imod {advice} om {topic} {time}.",
    "{prof} er i tvivl om, hvorvidt {topic} fylder for meget for {child}.",
    "{prof} trøster {child}, da hun bliver ked af det {time}.",
    "Samtalerne om {topic} øges fremover til {n} gange om ugen.",
    "{parent} aflyser aftalen d. {day}/{month} med kort varsel.",
    "Der var en tryg og rolig stemning {time}, og {parent} fortalte åbent om {topic}.",
    "{parent} er {neg}i tvivl om {topic} og vil tænke over det.",
    "{prof} har en god dialog med {parentlow} om {topic}.",
    "{parent} bliver vred og råber, at kommunen ikke forstår {topic}.",
    "{prof} tager kontakt til skolen vedrørende {topic}.",
)
FILL = {"mood": ("glad", "stille", "træt", "urolig", "nysgerrig", "ked af det"),
        "food": ("havregryn", "rugbrød", "pasta", "frikadeller", "suppe"),
        "sport": ("fodbold", "svømning", "håndbold", "gymnastik", "ridning"),
        "weekday": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag")}


def varied_notes(seed: int) -> Iterator[str]:
    """Endless varied diary-note-like texts (for speed measurement only)."""
    rng = random.Random(seed)
    while True:
        sentences = []
        for _ in range(rng.randint(3, 8)):
            template = rng.choice(CODED if rng.random() < 0.35 else NEUTRAL)
            parent = rng.choice(PARENTS)
            sentences.append(template.format(
                child=rng.choice(NAMES), parent=parent, parentlow=parent.lower(),
                prof=rng.choice(PROFS), topic=rng.choice(TOPICS), time=rng.choice(TIMES),
                advice=rng.choice(ADVICE), neg=rng.choice(("", "ikke ")),
                hour=rng.randint(6, 21), minute=rng.choice(("00", "15", "30", "45")),
                day=rng.randint(1, 28), month=rng.randint(1, 12), n=rng.randint(1, 4),
                **{k: rng.choice(v) for k, v in FILL.items()}))
        yield " ".join(sentences)


def corpus(seed: int, source: str) -> tuple[str, Iterator[str]]:
    """The corpus: the project's synthetic generator (if present) or our own grammar."""
    try:
        from effektspor.synthetic import iter_notes
    except ImportError:
        iter_notes = None
    if source == "egen" or iter_notes is None:
        return "egen skabelongrammatik (bench/autocode_bench.py)", varied_notes(seed)

    def texts() -> Iterator[str]:
        for note in iter_notes(seed, 10**12):
            yield note["tekst"]

    return "effektspor.synthetic.iter_notes", texts()


def rss_mb() -> float:
    """Peak resident memory of this process in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=float, default=250)
    parser.add_argument("--chunk", type=float, default=5, help="MB generated per timed chunk")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-cache", action="store_true", help="disable the sentence cache")
    parser.add_argument("--korpus", choices=("syntetisk", "egen"), default="syntetisk",
                        help="effektspor.synthetic.iter_notes (default) or our own grammar")
    args = parser.parse_args()
    print(describe_machine(), flush=True)
    # The library's default memo size (what `effektspor autokod` uses), or none at all.
    coder = RuleAutocoder(load_codebook(),
                          sentence_cache_size=0 if args.no_cache else SENTENCE_CACHE_LIMIT)
    source, notes = corpus(args.seed, args.korpus)
    target = args.megabytes * 1e6
    done_bytes, coding_seconds, wall_seconds, segments, rates = 0, 0.0, 0.0, 0, []
    next_report = 50e6
    print(f"korpus: {source}; sætningscache: {'fra' if args.no_cache else 'til'}")
    print(f"RSS ved start: {rss_mb():.0f} MB")
    while done_bytes < target:
        chunk, size = [], 0
        while size < args.chunk * 1e6:
            text = next(notes)
            chunk.append(text)
            size += len(text.encode("utf-8"))
        started, started_wall = time.process_time(), time.perf_counter()
        for text in chunk:
            segments += len(coder.code_text(text))
        # CPU time of this process: the per-core figure, less distorted by other load.
        elapsed = time.process_time() - started
        wall_seconds += time.perf_counter() - started_wall
        coding_seconds += elapsed
        done_bytes += size
        rates.append(size / 1e6 / elapsed)
        if done_bytes >= next_report:
            print(f"  {done_bytes / 1e6:6.0f} MB  {done_bytes / 1e6 / coding_seconds:5.1f} MB/s"
                  f"  RSS-top {rss_mb():.0f} MB")
            next_report += 50e6
    print(f"I alt {done_bytes / 1e6:.0f} MB, {segments} kodede passager, "
          f"{coding_seconds:.1f} s CPU-tid ({wall_seconds:.1f} s vægurstid) til kodning")
    print(f"Gennemsnit {done_bytes / 1e6 / coding_seconds:.1f} MB/s; median pr. blok "
          f"{statistics.median(rates):.1f} MB/s; RSS-top {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()

"""Person-name recall of the pseudonymiser on real Danish text nobody on the project wrote.

    python bench/real_text_eval.py                       # ../shared/reference/ner/*.jsonl
    python bench/real_text_eval.py --misses 40           # + 40 example misses per class
    python bench/real_text_eval.py FILE.jsonl ...        # other files in the same format

Each input line is one text (``text``) with its annotated spans (``spans``: ``start``,
``end``, ``text``, ``type``; persons are ``PER``). Every text is pseudonymised on its own
(no known names, no case), with the default threshold, exactly as `effektspor
pseudonymiser` would. Printed per file:

* recall (overlap): share of PER spans that some NAVN span overlaps;
* recall (full): share of PER spans completely covered by NAVN spans (every character);
* replaced at all: share of PER spans that some replaced span of any label overlaps (a
  name taken for a place is still not left in clear);
* NAVN precision: share of NAVN spans that overlap a PER span; the false alarms that
  overlap an organisation/place/other annotation are counted apart (a person's name in a
  firm's name, "Jyllands-Posten" …), as are those that overlap nothing;
* the misses (no overlap) and partial hits (overlap, not full) by class, heuristically
  (the first class that fits, in the order printed).

The data stay outside the project (licence CC BY-SA 4.0, see the README beside the data):
nothing in the package is derived from them. Only the training split is on this machine;
develop on it, and treat the figures on other real text as the held-out check.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

from effektspor.privacy.lexicon import load_lexicon
from effektspor.privacy.pseudonymiser import Pseudonymiser
from effektspor.privacy.spans import TextView


def _default_folder() -> Path:
    """``shared/reference/ner`` beside the repository (or beside one of its parents)."""
    for parent in Path(__file__).resolve().parents[1:]:
        folder = parent.parent / "shared" / "reference" / "ner"
        if folder.is_dir():
            return folder
    return Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "ner"


DEFAULT_FOLDER = _default_folder()
CLASSES = ("brugernavn_cifre", "små_bogstaver", "versaler", "initialer", "genitiv_s",
           "efternavn_igen", "ord_eller_by", "fremmed", "sætningsstart", "andet")
_INITIAL = re.compile(r"(?:^|\s)[A-ZÆØÅ]\.")


def _classify(text: str, span: dict, persons: list[dict], lex, view: TextView) -> str:
    name = span["text"]
    words = name.replace("-", " ").split()
    if any(c.isdigit() for c in name):
        return "brugernavn_cifre"
    if name[:1].islower():
        return "små_bogstaver"
    if _INITIAL.search(name):
        return "initialer"
    if any(len(w.strip(".")) > 1 and w.isupper() for w in words):
        return "versaler"
    if len(words) == 1:
        key = words[0].casefold()
        stem = key[:-1] if key.endswith("s") else key
        earlier = [p for p in persons if p["start"] < span["start"]
                   and len(p["text"].split()) > 1]
        for other in earlier:
            parts = {w.casefold() for w in other["text"].replace("-", " ").split()}
            if key in parts or stem in parts:
                return "efternavn_igen"
        if key.endswith("s") and text[span["end"]:span["end"] + 1] == " " and (
                lex.name_rank(stem) is not None or stem in {
                    w.casefold() for p in persons for w in p["text"].split()}):
            return "genitiv_s"
    keys = [w.casefold() for w in words]
    if any(k in lex.common_words or k in lex.towns or k in lex.street_names for k in keys):
        return "ord_eller_by"
    if all(lex.name_rank(k) is None and lex.name_rank(k.rstrip("s")) is None for k in keys):
        return "fremmed"
    if view.is_sentence_start(span["start"]):
        return "sætningsstart"
    return "andet"


def evaluate_file(path: Path, pseudonymiser: Pseudonymiser, examples: int) -> dict:
    lex = load_lexicon()
    gold = overlap = full = any_label = 0
    predicted = correct = other_entity = 0
    missed: dict[str, list[str]] = defaultdict(list)
    partial: dict[str, list[str]] = defaultdict(list)
    false_alarms: list[str] = []
    characters = 0
    started = time.process_time()
    for line in path.open(encoding="utf-8"):
        if not line.strip():
            continue
        record = json.loads(line)
        text = record["text"]
        characters += len(text)
        accepted, _ = pseudonymiser.analyse(text)
        names = [(c.start, c.end) for c in accepted if c.label == "NAVN"]
        replaced = [(c.start, c.end) for c in accepted]
        covered = bytearray(len(text))
        for start, end in names:
            covered[start:end] = b"\x01" * (end - start)
        persons = [s for s in record["spans"] if s["type"] == "PER"]
        others = [s for s in record["spans"] if s["type"] != "PER"] + record.get(
            "extra_spans", [])
        view = TextView(text)
        for span in persons:
            gold += 1
            start, end = span["start"], span["end"]
            context = (text[max(0, start - 40):start] + "[" + text[start:end] + "]"
                       + text[end:end + 30]).replace("\n", " ")
            if any(s < end and start < e for s, e in replaced):
                any_label += 1
            if any(s < end and start < e for s, e in names):
                overlap += 1
                if all(covered[start:end]):
                    full += 1
                else:
                    partial[_classify(text, span, persons, lex, view)].append(context)
            else:
                missed[_classify(text, span, persons, lex, view)].append(context)
        for start, end in names:
            predicted += 1
            if any(s["start"] < end and start < s["end"] for s in persons):
                correct += 1
            elif any(s["start"] < end and start < s["end"] for s in others):
                other_entity += 1
            else:
                false_alarms.append((text[max(0, start - 40):start] + "[" + text[start:end]
                                     + "]" + text[end:end + 30]).replace("\n", " "))
    seconds = time.process_time() - started
    return {"file": str(path), "gold": gold, "overlap": overlap, "full": full,
            "any_label": any_label,
            "predicted": predicted, "correct": correct, "other_entity": other_entity,
            "missed": missed, "partial": partial, "false_alarms": false_alarms,
            "characters": characters, "cpu_seconds": seconds, "examples": examples}


def print_result(result: dict) -> None:
    gold, predicted = result["gold"], result["predicted"]
    print(f"\n== {result['file']}")
    print(f"personnavne (PER): {gold}; NAVN-spænd: {predicted}; "
          f"{result['characters'] / 1e6:.2f} mio. tegn på {result['cpu_seconds']:.2f} s CPU")
    print(f"recall (overlap): {result['overlap'] / gold:.3f}   "
          f"recall (fuld): {result['full'] / gold:.3f}   "
          f"NAVN-præcision: {result['correct'] / max(predicted, 1):.3f} "
          f"(falske: {predicted - result['correct']}, heraf {result['other_entity']} "
          "i en organisation/et sted/andet annoteret)")
    print(f"erstattet under en hvilken som helst etiket (også STED/ADRESSE): "
          f"{result['any_label'] / gold:.3f}")
    print("NAVN-præcision, hvor et NAVN på en annoteret organisation/et sted også tæller "
          f"som rigtigt: {(result['correct'] + result['other_entity']) / max(predicted, 1):.3f}")
    print("\nklasse               ikke fundet   delvist")
    for name in CLASSES:
        print(f"  {name:<20} {len(result['missed'][name]):>9}   "
              f"{len(result['partial'][name]):>7}")
    examples = result["examples"]
    if examples:
        for title, table in (("ikke fundet", result["missed"]), ("delvist", result["partial"])):
            for name in CLASSES:
                for context in table[name][:examples]:
                    print(f"  {title} {name}: …{context}…")
        for context in result["false_alarms"][:examples]:
            print(f"  falsk NAVN: …{context}…")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--misses", type=int, default=0, help="eksempler pr. klasse")
    parser.add_argument("--json", action="store_true", help="kun tallene som JSON")
    args = parser.parse_args(argv)
    files = args.files or sorted(DEFAULT_FOLDER.glob("*.jsonl"))
    if not files:
        print(f"ingen filer i {DEFAULT_FOLDER}", file=sys.stderr)
        return 1
    pseudonymiser = Pseudonymiser()
    for path in files:
        result = evaluate_file(path, pseudonymiser, args.misses)
        if args.json:
            print(json.dumps({
                "file": result["file"], "gold": result["gold"],
                "recall_overlap": round(result["overlap"] / result["gold"], 4),
                "recall_full": round(result["full"] / result["gold"], 4),
                "replaced_any_label": round(result["any_label"] / result["gold"], 4),
                "precision": round(result["correct"] / max(result["predicted"], 1), 4),
                "precision_any_entity": round((result["correct"] + result["other_entity"])
                                              / max(result["predicted"], 1), 4),
                "missed": {k: len(v) for k, v in result["missed"].items()},
                "partial": {k: len(v) for k, v in result["partial"].items()}},
                ensure_ascii=False))
        else:
            print_result(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())

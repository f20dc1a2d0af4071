"""Pseudonymising a JSONL file and measuring the recognisers against a gold set (a file
in, a file out: no project, no database)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from effektspor.domain.errors import EffektsporError, Problem, ValidationError
from effektspor.privacy.evaluation import EvaluationReport, GoldNote, GoldSpan, evaluate
from effektspor.privacy.pseudonymiser import (
    DEFAULT_THRESHOLD,
    Pseudonymiser,
)
from effektspor.privacy.pseudonyms import ProjectPseudonyms, PseudonymScope
from effektspor.privacy.spans import LABELS
from effektspor.services.privacy.project_run import count_labels


@dataclass
class FileSummary:
    """What a JSONL run did."""

    lines: int = 0
    replacements: dict[str, int] = field(default_factory=dict)


def _read_record(line: str, path: Path, number: int, problems: list[Problem]) -> dict | None:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        problems.append(Problem(f"ugyldig JSON ({error.msg})", str(path), number))
        return None
    if not isinstance(record, dict):
        problems.append(Problem("linjen skal være et JSON-objekt", str(path), number))
        return None
    if not isinstance(record.get("text"), str):
        problems.append(Problem("teksten mangler eller er ikke en streng", str(path), number,
                                "text"))
        return None
    known = record.get("known") or []
    if not isinstance(known, list) or not all(
            isinstance(k, dict) and isinstance(k.get("text"), str) for k in known):
        problems.append(Problem("skal være en liste af {\"text\", \"label\"}", str(path),
                                number, "known"))
        return None
    for item in known:
        if item.get("label", "NAVN") not in LABELS:
            problems.append(Problem(f"ukendt etiket '{item.get('label')}'", str(path), number,
                                    "known"))
            return None
    return record


def pseudonymise_jsonl(input_path: Path, output_path: Path, *, style: str = "roller",
                       threshold: float = DEFAULT_THRESHOLD,
                       progress: Callable[[int], None] | None = None) -> FileSummary:
    """Pseudonymise a JSONL file line by line (memory stays flat); no output on bad input.

    Lines with the same ``sag`` (case) share pseudonyms; other lines each get their own.
    """
    input_path, output_path = Path(input_path), Path(output_path)
    if not input_path.exists():
        raise EffektsporError(f"Filen {input_path} findes ikke.")
    pseudonymiser = Pseudonymiser(threshold=threshold)
    shared = ProjectPseudonyms(style)
    scopes: dict[str, PseudonymScope] = {}
    summary = FileSummary()
    problems: list[Problem] = []
    temporary = output_path.with_name(f".{output_path.name}.tmp")
    try:
        with input_path.open(encoding="utf-8") as source, temporary.open(
                "w", encoding="utf-8") as target:
            for number, line in enumerate(source, start=1):
                if not line.strip():
                    continue
                record = _read_record(line, input_path, number, problems)
                if record is None or problems:
                    continue
                key = str(record.get("sag") or record.get("id") or number)
                scope = scopes.get(key)
                if scope is None:
                    if len(scopes) > 1000:
                        scopes.clear()
                    scope = scopes[key] = PseudonymScope(key, shared)
                known = [(k["text"], k.get("label", "NAVN")) for k in record.get("known") or []]
                result = pseudonymiser.pseudonymise(record["text"], scope, known)
                count_labels(result, summary.replacements)
                spans = [{"start": r.start, "end": r.end, "label": r.label,
                          "replacement": r.replacement} for r in result.replacements]
                target.write(json.dumps({"id": record.get("id"), "text": result.text,
                                         "spans": spans}, ensure_ascii=False) + "\n")
                summary.lines += 1
                if progress is not None:
                    progress(len(line.encode("utf-8")))
        if problems:
            raise ValidationError(problems, f"{len(problems)} problem(er) i {input_path} – "
                                            "ingen uddata er skrevet.")
        temporary.replace(output_path)
    finally:
        temporary.unlink(missing_ok=True)
    return summary


def load_gold(path: Path) -> list[GoldNote]:
    """Read a gold set (JSONL: id, text, spans, optional known); Danish errors per line."""
    path = Path(path)
    if not path.exists():
        raise EffektsporError(f"Guldsættet {path} findes ikke.")
    notes: list[GoldNote] = []
    problems: list[Problem] = []
    with path.open(encoding="utf-8") as source:
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            record = _read_record(line, path, number, problems)
            if record is None:
                continue
            try:
                spans = tuple(GoldSpan(int(s["start"]), int(s["end"]), str(s["label"]))
                              for s in record.get("spans", []))
            except (KeyError, TypeError, ValueError):
                problems.append(Problem("hvert spænd skal have start, end og label", str(path),
                                        number, "spans"))
                continue
            text = record["text"]
            if any(not 0 <= s.start < s.end <= len(text) for s in spans):
                problems.append(Problem("et spænd ligger uden for teksten", str(path), number,
                                        "spans"))
                continue
            known = tuple((k["text"], k.get("label", "NAVN")) for k in record.get("known") or [])
            notes.append(GoldNote(str(record.get("id", number)), text, spans, known))
    if problems:
        raise ValidationError(problems)
    return notes


def evaluate_gold(path: Path, *, threshold: float = DEFAULT_THRESHOLD) -> EvaluationReport:
    """Run the pseudonymiser on a gold set and score it (recall, precision per label)."""
    notes = load_gold(path)
    pseudonymiser = Pseudonymiser(threshold=threshold)

    def predict(text: str, known: tuple[tuple[str, str], ...]):
        accepted, _ = pseudonymiser.analyse(text, known)
        return [(c.start, c.end, c.label) for c in accepted]

    return evaluate(notes, predict)

"""Auto-coding and evaluation of JSONL files (the stable CLI contract).

Input lines: {"id", "text", "attention_point"?}; output lines: {"id", "codes",
"segments": [{"code", "start", "end", "rule"}]} with code-point offsets. Gold lines:
{"id", "text", "codes"}. Files are streamed, so memory stays flat on any size.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from effektspor.coding.autocoder import RuleAutocoder
from effektspor.coding.codebook import Codebook, load_codebook
from effektspor.coding.evaluation import AgreementReport, compare
from effektspor.domain.errors import Problem, ValidationError
from effektspor.domain.text import normalise_text


@dataclass(slots=True)
class FileAutocodeSummary:
    """Notes read, notes with codes and segments written."""

    notes: int = 0
    notes_coded: int = 0
    segments: int = 0
    characters: int = 0


@dataclass(slots=True)
class GoldEvaluation:
    """Agreement of the auto-coder with a gold file, and the texts for display."""

    report: AgreementReport
    codebook: Codebook
    texts: dict[str, str]
    machine: dict[str, list[str]]


def _read_jsonl(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict]]:
    try:
        handle = path.open(encoding="utf-8")
    except OSError as error:
        raise ValidationError([Problem(f"kan ikke læse filen ({error.strerror})",
                                       file=str(path))]) from error
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValidationError([Problem(f"ikke gyldig JSON ({error.msg})",
                                               file=str(path), line=number)]) from error
            problems = _check_record(record, required, path, number)
            if problems:
                raise ValidationError(problems)
            yield number, record


def _check_record(record: object, required: tuple[str, ...], path: Path,
                  number: int) -> list[Problem]:
    if not isinstance(record, dict):
        return [Problem("linjen skal være et JSON-objekt", file=str(path), line=number)]
    problems = [Problem("feltet mangler", file=str(path), line=number, field=key)
                for key in required if key not in record]
    if "text" in record and not isinstance(record["text"], str):
        problems.append(Problem("skal være en tekst", file=str(path), line=number,
                                field="text"))
    point = record.get("attention_point")
    if point is not None and not isinstance(point, str):
        problems.append(Problem("skal være en tekst eller mangle", file=str(path),
                                line=number, field="attention_point"))
    codes = record.get("codes")
    if "codes" in required and not (isinstance(codes, list)
                                    and all(isinstance(c, str) for c in codes)):
        problems.append(Problem("skal være en liste af kode-id'er", file=str(path),
                                line=number, field="codes"))
    return problems


def autocode_jsonl(input_path: Path, output_path: Path, *, codebook_path: Path | None = None,
                   progress: Callable[[int], None] | None = None) -> FileAutocodeSummary:
    """Auto-code every line of ``input_path`` into ``output_path``.

    The output is written to a temporary file and moved into place only when every line
    was valid, so a bad input leaves an existing output file untouched. Texts are coded
    as given (offsets refer to the input text exactly).
    """
    coder = RuleAutocoder(load_codebook(codebook_path))
    summary = FileAutocodeSummary()
    output_path = Path(output_path)
    directory = output_path.parent if str(output_path.parent) else Path(".")
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, then renamed
        "w", encoding="utf-8", dir=directory, delete=False,
                                         suffix=".tmp")
    try:
        with handle:
            for _number, record in _read_jsonl(Path(input_path), ("id", "text")):
                segments = coder.code_text(record["text"],
                                           attention_point=record.get("attention_point"))
                handle.write(json.dumps({
                    "id": record["id"], "codes": coder.codes_present(segments),
                    "segments": [{"code": s.code, "start": s.start, "end": s.end,
                                  "rule": s.rule} for s in segments]},
                    ensure_ascii=False) + "\n")
                summary.notes += 1
                summary.segments += len(segments)
                summary.notes_coded += bool(segments)
                summary.characters += len(record["text"])
                if progress and summary.notes % 1000 == 0:
                    progress(summary.notes)
        os.replace(handle.name, output_path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return summary


def evaluate_gold(gold_path: Path, *, codebook_path: Path | None = None) -> GoldEvaluation:
    """Compare the auto-coder with a gold file at note level.

    Every top-level code is evaluated, plus any other code that occurs in the gold file.
    """
    codebook = load_codebook(codebook_path)
    coder = RuleAutocoder(codebook)
    gold: list[tuple[str, set[str]]] = []
    machine: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    seen: set[str] = set()
    for _number, record in _read_jsonl(Path(gold_path), ("id", "text", "codes")):
        note_id = str(record["id"])
        text = normalise_text(record["text"])
        codes = set(record["codes"])
        gold.append((note_id, codes))
        seen |= codes
        texts[note_id] = text
        machine[note_id] = coder.codes_present(coder.code_text(
            text, attention_point=record.get("attention_point")))
    unknown = sorted(seen - set(codebook.code_ids))
    if unknown:
        raise ValidationError([Problem(f"koden '{code}' findes ikke i kodebogen "
                                       f"'{codebook.name}'", file=str(gold_path),
                                       field="codes") for code in unknown])
    evaluated = [c for c in codebook.code_ids if c in codebook.top_level_ids or c in seen]
    report = compare(gold, {k: set(v) for k, v in machine.items()}, evaluated)
    return GoldEvaluation(report, codebook, texts, machine)


def read_codebook(path: Path | None = None) -> Codebook:
    """Read and validate a codebook file (the built-in one when ``path`` is None)."""
    return load_codebook(path)

"""Generating a whole synthetic corpus and writing it in the standard export layout.

Layout (what the import reads)::

    <folder>/sager.csv          sag_id;team;startdato;slutdato;afsluttet;bopæl;netværk;netværksmøder
    <folder>/notater.csv        sag_id;dato;opmærksomhedspunkt;forfatterrolle;tekst;notat_id
    <folder>/bevillinger.csv    sag_id;startdato;slutdato;lovgrundlag;indsats;bevilling_id
    <folder>/personer.csv       sag_id;rolle;navn;cpr
    <folder>/dokumenter/<sag_id>_<ÅÅÅÅ-MM-DD>_<dokumenttype>_<titel>.txt|.docx

The truth (facit) goes to a separate JSON-lines file outside the folder and is never imported.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

from effektspor.domain.errors import EffektsporError
from effektspor.synthetic.documents import (
    LEGAL_BASES,
    DocumentWriter,
    GeneratedDocument,
    grant_periods,
)
from effektspor.synthetic.gold import gold_record, identifiers, known_identifiers
from effektspor.synthetic.model import CaseTruth, assign_discharge, draw_case
from effektspor.synthetic.notes import GeneratedNote, NoteWriter

CASE_COLUMNS = (
    "sag_id",
    "team",
    "startdato",
    "slutdato",
    "afsluttet",
    "bopæl",
    "netværk",
    "netværksmøder",
)
NOTE_COLUMNS = ("sag_id", "dato", "opmærksomhedspunkt", "forfatterrolle", "tekst", "notat_id")
GRANT_COLUMNS = ("sag_id", "startdato", "slutdato", "lovgrundlag", "indsats", "bevilling_id")
PERSON_COLUMNS = ("sag_id", "rolle", "navn", "cpr")


@dataclass(slots=True)
class SyntheticCase:
    """A generated case: its truth, notes, grants and documents."""

    truth: CaseTruth
    notes: list[GeneratedNote]
    grants: list[dict[str, str]]
    documents: list[GeneratedDocument]
    extra_phones: tuple[str, ...] = ()


@dataclass(slots=True)
class ExportInfo:
    """What ``write_export`` wrote and the headline counts of the corpus."""

    folder: Path
    truth_file: Path
    gold_file: Path
    seed: int
    n_cases: int
    n_notes: int
    n_grants: int
    n_documents: int
    n_persons: int
    n_usable_discharge: int
    files: list[Path] = field(default_factory=list)


def case_id(index: int, year: int = 2019) -> str:
    """The case id of the ``index``-th case (1-based), e.g. ``FC19-001``."""
    return f"FC{year % 100:02d}-{index:03d}"


def generate_cases(
    seed: int = 2019, n_cases: int = 146, *, year: int = 2019, hard_wording: bool = False
) -> list[SyntheticCase]:
    """Generate ``n_cases`` closed cases deterministically from ``seed``.

    ``hard_wording`` adds effect assessments that are harder to classify (see
    ``documents.ASSESSMENT_HARD``).
    """
    rng = Random(seed)
    truths = [draw_case(rng, case_id(i, year), closed_year=year) for i in range(1, n_cases + 1)]
    assign_discharge(rng, truths)
    cases = []
    for truth in truths:
        # One generator per case, seeded from the corpus seed, keeps cases independent.
        case_rng = Random(f"{seed}:{truth.case_id}")
        writer = NoteWriter(case_rng, truth)
        notes = writer.write()
        periods = grant_periods(case_rng, truth)
        grants = [
            {
                "sag_id": truth.case_id,
                "startdato": s.isoformat(),
                "slutdato": e.isoformat(),
                "lovgrundlag": _legal_basis(what),
                "indsats": what,
                "bevilling_id": f"{truth.case_id}-B{k:02d}",
            }
            for k, (s, e, what) in enumerate(periods, 1)
        ]
        documents = DocumentWriter(case_rng, truth, hard_wording=hard_wording).documents(periods)
        cases.append(SyntheticCase(truth, notes, grants, documents, (writer.grandparent_phone,)))
    return cases


def _legal_basis(intervention: str) -> str:
    return LEGAL_BASES.get(intervention, "SEL § 52, stk. 3, nr. 3")


def truth_record(case: SyntheticCase) -> dict:
    """The facit line of one case: latent truth, persons and the codes of each note."""
    record = case.truth.to_json()
    codes_seen = {code for note in case.notes for code in note.codes}
    record["koder_i_notater"] = sorted(codes_seen)
    record["noter"] = {
        note.row["notat_id"]: {"koder": note.codes, "underkoder": note.subcodes}
        for note in case.notes
        if note.codes or note.subcodes
    }
    assert case.truth.household is not None
    record["husstand"] = case.truth.household.to_json()
    return record


def document_file_name(case_id_: str, doc: GeneratedDocument) -> str:
    """``<sag_id>_<ÅÅÅÅ-MM-DD>_<dokumenttype>_<titel>.<txt|docx>``."""
    return f"{case_id_}_{doc.doc_date.isoformat()}_{doc.doc_type}_{doc.title}." + (
        "docx" if doc.as_docx else "txt"
    )


def _write_csv(path: Path, columns: tuple[str, ...], rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, delimiter=";")
        writer.writeheader()
        writer.writerows(rows)


def _write_docx(path: Path, text: str) -> None:
    import docx  # python-docx, imported lazily: only needed for the .docx documents

    document = docx.Document()
    lines = text.split("\n")
    document.add_heading(lines[0], level=1)
    for line in lines[1:]:
        if line.strip():
            document.add_paragraph(line)
    document.save(str(path))


def write_export(
    folder: Path,
    *,
    seed: int = 2019,
    n_cases: int = 146,
    year: int = 2019,
    truth_file: Path | None = None,
    gold_file: Path | None = None,
    hard_wording: bool = False,
) -> ExportInfo:
    """Write a synthetic export folder in the standard layout plus a separate truth file.

    All cases are closed in ``year``. ``truth_file`` defaults to ``facit.jsonl`` next to
    ``folder`` and ``gold_file`` (personal data in the notes, see ``synthetic.gold``) to
    ``guld_personoplysninger.jsonl`` next to it; neither may lie inside the folder. The
    folder must be new or empty, so files of an earlier export can never mix with this one.
    """
    folder = Path(folder)
    truth_file = Path(truth_file) if truth_file else folder.parent / "facit.jsonl"
    gold_file = Path(gold_file) if gold_file else folder.parent / "guld_personoplysninger.jsonl"
    for outside in (truth_file, gold_file):
        if outside.resolve().is_relative_to(folder.resolve()):
            raise EffektsporError(
                "Facit- og guldfilen må ikke ligge i eksportmappen (de må aldrig importeres)."
            )
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise EffektsporError(
            f"Eksportmappen {folder} findes allerede og er ikke tom. Vælg en ny mappe."
        )
    cases = generate_cases(seed, n_cases, year=year, hard_wording=hard_wording)
    documents_dir = folder / "dokumenter"
    documents_dir.mkdir(parents=True, exist_ok=True)
    _write_csv(
        folder / "sager.csv",
        CASE_COLUMNS,
        (
            {
                "sag_id": c.truth.case_id,
                "team": c.truth.team,
                "startdato": c.truth.start.isoformat(),
                "slutdato": c.truth.end.isoformat(),
                "afsluttet": "ja",
                "bopæl": c.truth.household.residence,
                "netværk": c.truth.network,
                "netværksmøder": str(c.truth.network_meetings),
            }
            for c in cases
        ),
    )
    _write_csv(folder / "notater.csv", NOTE_COLUMNS, (n.row for c in cases for n in c.notes))
    _write_csv(folder / "bevillinger.csv", GRANT_COLUMNS, (g for c in cases for g in c.grants))
    persons = [
        {"sag_id": c.truth.case_id, "rolle": p.role, "navn": p.name, "cpr": p.cpr}
        for c in cases
        for p in c.truth.household.persons
    ]
    _write_csv(folder / "personer.csv", PERSON_COLUMNS, persons)
    files = [
        folder / name for name in ("sager.csv", "notater.csv", "bevillinger.csv", "personer.csv")
    ]
    for case in cases:
        for doc in case.documents:
            path = documents_dir / document_file_name(case.truth.case_id, doc)
            if doc.as_docx:
                _write_docx(path, doc.text)
            else:
                path.write_text(doc.text + "\n", encoding="utf-8")
            files.append(path)
    truth_file.parent.mkdir(parents=True, exist_ok=True)
    with truth_file.open("w", encoding="utf-8") as handle:
        for case in cases:
            handle.write(json.dumps(truth_record(case), ensure_ascii=False) + "\n")
    with gold_file.open("w", encoding="utf-8") as handle:
        for case in cases:
            values = identifiers(case.truth, case.extra_phones)
            known = known_identifiers(case.truth)
            for note in case.notes:
                record = gold_record(note.row["notat_id"], note.row["tekst"], values, known)
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return ExportInfo(
        folder=folder,
        truth_file=truth_file,
        gold_file=gold_file,
        seed=seed,
        n_cases=len(cases),
        n_notes=sum(len(c.notes) for c in cases),
        n_grants=sum(len(c.grants) for c in cases),
        n_documents=sum(len(c.documents) for c in cases),
        n_persons=len(persons),
        n_usable_discharge=sum(c.truth.discharge == "brugbar" for c in cases),
        files=files,
    )


def iter_notes(seed: int, n_notes: int) -> Iterator[dict[str, str]]:
    """Stream ``n_notes`` synthetic notes (export-layout dicts) for benchmarks, lazily.

    Cases are drawn one after another (ids ``FB-000001`` ...) until enough notes are made; the
    stream is deterministic for a seed.
    """
    rng = Random(seed)
    produced = 0
    index = 0
    while produced < n_notes:
        index += 1
        truth = draw_case(rng, f"FB-{index:06d}")
        truth.discharge = "mangler"
        for note in NoteWriter(Random(f"{seed}:{index}"), truth).write():
            yield note.row
            produced += 1
            if produced >= n_notes:
                return


def read_truth(truth_file: Path) -> list[dict]:
    """Read a facit file written by ``write_export``."""
    with Path(truth_file).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]

"""Pseudonymisation use cases: a whole project in place, a JSONL file, re-identification.

A project run works in batches of whole cases (the pending rows are grouped by case once,
and each batch is loaded, changed and let go), so time grows linearly and memory stays
flat with the size of the project. Each batch is atomic: its notes, documents and persons
are changed in one transaction, and the key file is written as the last step inside it
(:func:`vault_transaction`); if anything fails, that batch rolls back and the key file of
the batch before it is put back, and if the process dies, the next run finds in the
database what is still in clear and goes on from there. Pseudonymised
rows keep a content hash keyed with a secret from the key file, so a re-import of the same
material is recognised (see ``services.importing``) without the database holding anything
a guessed name could be tested against. Originals are kept only in the key file, and only
when the analyst asks for it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from effektspor.domain.errors import EffektsporError, Problem, ValidationError
from effektspor.domain.text import keyed_hash, keyed_source_id
from effektspor.privacy.evaluation import EvaluationReport, GoldNote, GoldSpan, evaluate
from effektspor.privacy.pseudonymiser import (
    DEFAULT_THRESHOLD,
    PseudonymisedText,
    Pseudonymiser,
    propagate_names,
)
from effektspor.privacy.pseudonyms import STYLES, ProjectPseudonyms, PseudonymScope
from effektspor.privacy.spans import LABELS
from effektspor.privacy.vault import (
    MIN_PASSPHRASE,
    VaultContents,
    VaultEntry,
    VaultError,
    read_vault,
    write_vault,
    write_vault_bytes,
)
from effektspor.services.events import log_event
from effektspor.services.project import ProjectContext
from effektspor.services.project.files import PlaintextCleanup, remove_plaintext_remnants
from effektspor.store import tables as t
from effektspor.store.tables_privacy import PseudonymisationReview, PseudonymisationRun

Progress = Callable[[int, int], None]
VAULT_SUFFIX = ".effektspor-noegle"


@dataclass
class PseudonymisationSummary:
    """What a project run did."""

    run_id: int
    cases: int
    notes: int
    documents: int
    persons: int
    replacements: dict[str, int]
    review_items: int
    vault_path: Path
    kept_originals: bool
    # Set after the transaction: the compacted database and the removed plain-text copies.
    plaintext_cleanup: PlaintextCleanup | None = None


def vault_file(project: ProjectContext, vault_path: Path) -> Path:
    """The key file for ``project``: ``vault_path`` itself, or a file in that folder.

    The key file must not lie anywhere inside the project folder (at any depth, symbolic
    links resolved), since a copy of the folder would otherwise carry the key with it.
    """
    path = Path(vault_path).expanduser()
    if path.is_dir() or str(vault_path).endswith(("/", "\\")) or not path.suffix:
        slug = re.sub(r"[^\w-]+", "-", project.name).strip("-").lower() or "projekt"
        path = path / f"{slug}{VAULT_SUFFIX}"
    if path.resolve().is_relative_to(Path(project.folder).resolve()):
        raise EffektsporError(
            f"Nøglefilen må ikke ligge i projektmappen {project.folder} eller i en mappe inden "
            "i den. Vælg en mappe uden for projektet med --nøglefil (fx et drev kun "
            "administratoren har adgang til).")
    return path


def _open_or_new_vault(path: Path, passphrase: str, project_name: str) -> VaultContents:
    if path.exists():
        return read_vault(path, passphrase)
    if len(passphrase) < MIN_PASSPHRASE:
        raise EffektsporError(
            f"Adgangskoden til nøglefilen skal have mindst {MIN_PASSPHRASE} tegn.")
    return VaultContents(project=project_name)


def _restore_shared(contents: VaultContents, style: str) -> ProjectPseudonyms:
    shared = ProjectPseudonyms(style, salt=bytes.fromhex(contents.salt))
    for entry in contents.entries:
        if entry.label != "NAVN":
            continue
        shared.used.add(entry.pseudonym)
        match = re.fullmatch(r"Person (\d+)", entry.pseudonym)
        if match:
            shared.person_counter = max(shared.person_counter, int(match.group(1)))
        for original in entry.originals:
            words = tuple(original.casefold().split())
            shared.real_name_words.update(words)
            if len(words) > 1:
                shared.full_names.setdefault(words, entry.pseudonym)
    return shared


def _restore_scope(scope: PseudonymScope, entries: list[VaultEntry]) -> None:
    for entry in entries:
        if entry.label == "NAVN":
            longest = max(entry.originals, key=len) if entry.originals else entry.pseudonym
            entity = scope.add_person(longest, entry.role, pseudonym=entry.pseudonym)
            entity.originals.update(entry.originals)
        else:
            for original in entry.originals:
                scope.pseudonym_for(entry.label, original)


def _entries_of(scope: PseudonymScope) -> list[VaultEntry]:
    return [VaultEntry(scope.name, e.label, e.pseudonym, sorted(e.originals), e.role)
            for e in scope.entities if e.originals or e.label == "NAVN"]


def _count(result: PseudonymisedText, counts: dict[str, int]) -> None:
    for replacement in result.replacements:
        counts[replacement.label] = counts.get(replacement.label, 0) + 1


@dataclass
class VaultAccess:
    """Where the key file is (or will be) and the passphrase that opens it."""

    path: Path
    passphrase: str


@contextmanager
def vault_transaction(project: ProjectContext, vault: VaultAccess, *,
                      contents: VaultContents | None = None
                      ) -> Iterator[tuple[Session, VaultContents, Path]]:
    """One database transaction that may change the key file too; both end up agreeing.

    The key file is written (atomically, synced to disk) after the work and before the
    commit, so every pseudonym in the database is in the key file whatever happens. If the
    process dies before the commit, the key file holds a few entries the database never
    got; they are harmless, and the next run decides from the database (``pseudonymised``
    flags) what is still to be done. On an ordinary error the previous key file is put back.
    ``contents``: the key file as already read (a run of several batches reads it once).
    """
    path = vault_file(project, vault.path)
    if contents is None:
        contents = _open_or_new_vault(path, vault.passphrase, project.name)
    previous = path.read_bytes() if path.exists() else None
    written = False
    try:
        with project.transaction() as session:
            yield session, contents, path
            write_vault(path, contents, vault.passphrase)
            written = True
    except BaseException:
        if written:
            if previous is None:
                path.unlink(missing_ok=True)
            else:
                write_vault_bytes(path, previous)
        raise


@dataclass(frozen=True)
class PseudonymisationSettings:
    """How a run pseudonymises: pseudonym style, threshold, whether originals are kept."""

    style: str = "roller"
    threshold: float = DEFAULT_THRESHOLD
    keep_originals: bool = False

    def __post_init__(self) -> None:
        if self.style not in STYLES:
            raise EffektsporError(f"Ukendt stil '{self.style}'. Vælg mellem: {', '.join(STYLES)}.")


def latest_settings(session: Session, project_id: int) -> PseudonymisationSettings | None:
    """The settings of the project's newest pseudonymisation run; None while the project
    has never been pseudonymised."""
    run = session.scalar(select(PseudonymisationRun).where(
        PseudonymisationRun.project_id == project_id)
        .order_by(PseudonymisationRun.id.desc()).limit(1))
    if run is None:
        return None
    return PseudonymisationSettings(run.style, run.threshold, run.kept_originals)


#: Texts (notes and documents) pseudonymised per batch: a project run commits after each
#: batch of whole cases, so memory stays bounded and a crash loses at most one batch.
BATCH_TEXTS = 5_000


def pseudonymise_project(project: ProjectContext, *, actor: str, vault_path: Path,
                         passphrase: str, style: str = "roller",
                         threshold: float = DEFAULT_THRESHOLD, keep_originals: bool = False,
                         progress: Progress | None = None,
                         batch_texts: int = BATCH_TEXTS) -> PseudonymisationSummary:
    """Pseudonymise every not yet pseudonymised note, document and person in place.

    The work is done in batches of whole cases (about ``batch_texts`` notes and documents
    each), each in its own transaction that writes the key file before it commits
    (:func:`vault_transaction`): memory does not grow with the project, and a run that
    dies or fails keeps the batches already committed (pseudonymised, and in the key
    file); the next run goes on with what is still in clear.
    """
    settings = PseudonymisationSettings(style, threshold, keep_originals)
    access = VaultAccess(vault_path, passphrase)
    path = vault_file(project, vault_path)
    contents = _open_or_new_vault(path, passphrase, project.name)
    with project.sessions() as session:
        plan = _plan(session, project.project_id, batch_texts)
    run: _Run | None = None
    for number, batch in enumerate(plan.batches):
        with vault_transaction(project, access, contents=contents) as (session, _, path):
            if run is None:
                run = _Run.begin(session, project, contents, settings, actor=actor,
                                 total=plan.texts, progress=progress)
            run.pseudonymise_cases(session, contents, batch)
            if number == len(plan.batches) - 1:
                summary = run.finish(session, contents, cases=plan.cases, vault_path=path)
    summary.plaintext_cleanup = remove_plaintext_remnants(project=project)
    return summary


def pseudonymise_pending(session: Session, project: ProjectContext, contents: VaultContents,
                         settings: PseudonymisationSettings, *, actor: str, vault_path: Path,
                         progress: Progress | None = None) -> PseudonymisationSummary:
    """Pseudonymise, in the caller's transaction, everything of the project not yet done.

    "Done" is read from the database only (the ``pseudonymised`` flags), never from the
    key file, so a run after a crash picks up exactly what the crash left in clear. The
    caller writes ``contents`` to the key file before committing (:func:`vault_transaction`).
    The rows are handled case by case in batches, flushed and let go after each batch.
    """
    plan = _plan(session, project.project_id, BATCH_TEXTS)
    run = _Run.begin(session, project, contents, settings, actor=actor, total=plan.texts,
                     progress=progress)
    for batch in plan.batches:
        run.pseudonymise_cases(session, contents, batch)
    return run.finish(session, contents, cases=plan.cases, vault_path=vault_path)


@dataclass
class _Plan:
    """The cases with something still in clear, in batches; counts for the summary."""

    cases: int
    texts: int
    batches: list[list[tuple[int, str]]]


def _plan(session: Session, project_id: int, batch_texts: int) -> _Plan:
    """Group once: the pending texts per case (one query per table), cut into batches of
    whole cases of about ``batch_texts`` texts. There is always at least one batch (maybe
    empty), so that every run is recorded."""
    cases = list(session.execute(select(t.Case.id, t.Case.external_id).where(
        t.Case.project_id == project_id).order_by(t.Case.id)))
    case_ids = select(t.Case.id).where(t.Case.project_id == project_id)
    pending: dict[int, int] = {}
    for table in (t.Note, t.Document, t.Person):
        for case_id, count in session.execute(
                select(table.case_id, func.count()).where(table.case_id.in_(case_ids),
                                                           table.pseudonymised.is_(False))
                .group_by(table.case_id)):
            weight = 0 if table is t.Person else count
            pending[case_id] = pending.get(case_id, 0) + weight
    batches: list[list[tuple[int, str]]] = [[]]
    size = 0
    for case_id, external_id in cases:
        if case_id not in pending:
            continue
        if size >= batch_texts:
            batches.append([])
            size = 0
        batches[-1].append((case_id, external_id))
        size += max(1, pending[case_id])
    return _Plan(len(cases), sum(pending.values()), batches)


class _Run:
    """One pseudonymisation run, carried over the batches of a project."""

    def __init__(self, run_id: int, pseudonymiser: Pseudonymiser, settings, shared,
                 contents: VaultContents, total: int, progress: Progress | None) -> None:
        self.run_id = run_id
        self.pseudonymiser = pseudonymiser
        self.settings = settings
        self.shared = shared
        self.total = total
        self.progress = progress
        self.counts: dict[str, int] = {}
        self.review_rows = 0
        self.moved_persons = 0
        self.notes = 0
        self.documents = 0
        self.done = 0
        # The key file's entries of earlier runs by case, indexed once (each case is done
        # at most once per run, so entries added by this run are never looked up).
        self.earlier: dict[str, list[VaultEntry]] = {}
        for entry in contents.entries:
            self.earlier.setdefault(entry.scope, []).append(entry)
        self.vault_persons = {entry["person_id"]: entry for entry in contents.persons}

    @classmethod
    def begin(cls, session: Session, project: ProjectContext, contents: VaultContents,
              settings: PseudonymisationSettings, *, actor: str, total: int,
              progress: Progress | None) -> _Run:
        pseudonymiser = Pseudonymiser(threshold=settings.threshold)
        run = PseudonymisationRun(project_id=project.project_id, actor=actor,
                                  style=settings.style, threshold=pseudonymiser.threshold,
                                  vault_id=contents.vault_id,
                                  kept_originals=settings.keep_originals, summary={})
        session.add(run)
        session.flush()
        return cls(run.id, pseudonymiser, settings, _restore_shared(contents, settings.style),
                   contents, total, progress)

    def pseudonymise_cases(self, session: Session, contents: VaultContents,
                           cases: list[tuple[int, str]]) -> None:
        """Pseudonymise the pending rows of ``cases``; update ``contents`` for them."""
        if not cases:
            return
        ids = [case_id for case_id, _ in cases]
        notes = _group_by_case(session.scalars(select(t.Note).where(
            t.Note.case_id.in_(ids), t.Note.pseudonymised.is_(False)).order_by(t.Note.id)))
        documents = _group_by_case(session.scalars(select(t.Document).where(
            t.Document.case_id.in_(ids), t.Document.pseudonymised.is_(False))
            .order_by(t.Document.id)))
        persons = _group_by_case(session.scalars(select(t.Person).where(
            t.Person.case_id.in_(ids), t.Person.pseudonymised.is_(False))
            .order_by(t.Person.id)))
        scopes: dict[str, PseudonymScope] = {}
        for case_id, external_id in cases:
            scope = scopes[external_id] = PseudonymScope(external_id, self.shared)
            _restore_scope(scope, self.earlier.get(external_id, []))
            self._pseudonymise_case(session, contents, case_id, scope,
                                    persons.get(case_id, []), notes.get(case_id, []),
                                    documents.get(case_id, []))
        contents.persons = list(self.vault_persons.values())
        contents.entries = [e for e in contents.entries if e.scope not in scopes]
        for scope in scopes.values():
            contents.entries.extend(_entries_of(scope))
        session.flush()
        for rows in (notes, documents, persons):
            for group in rows.values():
                for row in group:
                    session.expunge(row)  # done: let the batch's rows go

    def _pseudonymise_case(self, session: Session, contents: VaultContents, case_id: int,
                           scope: PseudonymScope, persons: list, notes: list,
                           documents: list) -> None:
        pseudonymiser, settings = self.pseudonymiser, self.settings
        external_id = scope.name
        known = [(original, "NAVN") for e in scope.entities if e.label == "NAVN"
                 for original in e.originals]
        for person in persons:
            if _already_in_vault(person, self.vault_persons.get(person.id)):
                person.pseudonymised = True  # moved by a run before the flag existed
                continue
            entity = scope.add_person(person.name, person.role, person.cpr)
            known.append((person.name, "NAVN"))
            if person.cpr:
                known.append((person.cpr, "CPR"))
            self.vault_persons[person.id] = {
                "person_id": person.id, "case": external_id, "role": person.role,
                "name": person.name, "cpr": person.cpr, "pseudonym": entity.pseudonym}
            person.name = entity.pseudonym
            person.cpr = None
            person.content_hash = keyed_hash(contents.content_key, person.content_hash)
            person.pseudonymised = True
            self.moved_persons += 1
        for note in notes:
            if note.author:  # a caseworker's name: known, so found in the texts too
                known.append((note.author, "NAVN"))
                note.author = scope.add_person(note.author,
                                               note.author_role or "medarbejder").pseudonym
        # Each known text once (a caseworker writes many notes); the order is kept.
        known = list(dict.fromkeys(known))
        items = [("notat", n) for n in notes] + [("dokument", d) for d in documents]
        known = propagate_names(pseudonymiser, [row.text for _, row in items], known)
        clean = _cached_cleaner(pseudonymiser, scope, known)
        for kind, row in items:
            original = row.text
            result = pseudonymiser.pseudonymise(original, scope, known)
            if settings.keep_originals:
                contents.originals[f"{kind}:{row.id}"] = original
            row.text = result.text
            row.pseudonymised = True
            row.content_hash = keyed_hash(contents.content_key, row.content_hash)
            if kind == "dokument" and row.title:
                row.title = pseudonymiser.pseudonymise(row.title, scope, known).text
            if row.source_file:  # an export's file name may hold a name
                row.source_file = clean(row.source_file)
            if row.external_id and clean(row.external_id) != row.external_id:
                row.external_id = keyed_source_id(contents.content_key, row.external_id)
            _count(result, self.counts)
            self.review_rows += _add_review(session, self.run_id, case_id, kind, row.id,
                                            original, result)
            if kind == "notat":
                self.notes += 1
            else:
                self.documents += 1
            self.done += 1
            if self.progress is not None:
                self.progress(self.done, self.total)

    def finish(self, session: Session, contents: VaultContents, *, cases: int,
               vault_path: Path) -> PseudonymisationSummary:
        """Record the run (summary, event) and its line in the key file."""
        run = session.get(PseudonymisationRun, self.run_id)
        settings = self.settings
        contents.runs.append({"run_id": run.id, "actor": run.actor, "style": settings.style})
        run.summary = {"sager": cases, "notater": self.notes, "dokumenter": self.documents,
                       "personer": self.moved_persons, "erstatninger": self.counts,
                       "til_gennemsyn": self.review_rows}
        log_event(session, actor=run.actor, action="pseudonymisering",
                  project_id=run.project_id, object_type="pseudonymiseringskørsel",
                  object_id=run.id,
                  details={**run.summary, "stil": settings.style,
                           "tærskel": self.pseudonymiser.threshold,
                           "nøglefil_id": contents.vault_id,
                           "originaler_gemt": settings.keep_originals})
        return PseudonymisationSummary(run.id, cases, self.notes, self.documents,
                                       self.moved_persons, self.counts, self.review_rows,
                                       vault_path, settings.keep_originals)


def _cached_cleaner(pseudonymiser: Pseudonymiser, scope: PseudonymScope,
                    known: list[tuple[str, str]]) -> Callable[[str], str]:
    """Pseudonymise short strings (file names, source ids) of one case, once each."""
    cache: dict[str, str] = {}

    def clean(value: str) -> str:
        if value not in cache:
            cache[value] = pseudonymiser.pseudonymise(value, scope, known).text
        return cache[value]

    return clean


def _group_by_case(rows: Iterable) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row.case_id, []).append(row)
    return grouped


def _already_in_vault(person: t.Person, entry: dict | None) -> bool:
    """A person an earlier run moved (before the flag existed): the key file has it, and
    the database row shows the pseudonym and no CPR number."""
    return (entry is not None and person.cpr is None
            and entry.get("pseudonym") == person.name)


def _add_review(session: Session, run_id: int, case_id: int, kind: str, object_id: int,
                original: str, result: PseudonymisedText) -> int:
    """Store the review items of one text, with offsets into the pseudonymised text."""
    shift_points = [(r.start, r.end, len(r.replacement)) for r in result.replacements]
    for item in result.review:
        offset = sum(new - (end - start) for start, end, new in shift_points if end <= item.start)
        if item.replaced:
            match = next((r for r in result.replacements if r.start == item.start), None)
            shown = match.replacement if match else f"[{item.label.lower()}]"
            length = len(shown)
        else:
            shown = original[item.start:item.end]
            length = item.end - item.start
        session.add(PseudonymisationReview(
            run_id=run_id, case_id=case_id, object_type=kind, object_id=object_id,
            start=item.start + offset, end=item.start + offset + length, label=item.label,
            confidence=round(item.confidence, 3), replaced=item.replaced, shown_text=shown[:300]))
    return len(result.review)


def review_list(project: ProjectContext, *, limit: int = 100) -> list[PseudonymisationReview]:
    """The review items of the newest run, least certain first."""
    with project.sessions() as session:
        run_id = session.scalar(select(PseudonymisationRun.id).where(
            PseudonymisationRun.project_id == project.project_id)
            .order_by(PseudonymisationRun.id.desc()).limit(1))
        if run_id is None:
            return []
        return list(session.scalars(select(PseudonymisationReview).where(
            PseudonymisationReview.run_id == run_id)
            .order_by(PseudonymisationReview.confidence).limit(limit)))


def reidentify(project: ProjectContext, *, admin: str, vault_path: Path, passphrase: str,
               pseudonym: str | None = None, case: str | None = None) -> list[VaultEntry]:
    """Look pseudonyms up in the key file; every attempt is written to the event log.

    A failed open (wrong passphrase, damaged or altered file, unreadable file) is logged
    as ``genidentifikation_afvist`` with the reason, never the passphrase, and re-raised.
    """
    if not admin or not admin.strip():
        raise EffektsporError("Angiv navnet på den administrator, der genidentificerer.")
    path = vault_file(project, vault_path)
    details = {"administrator": admin, "pseudonym": pseudonym, "sag": case}
    try:
        contents = read_vault(path, passphrase)
    except VaultError as error:
        with project.transaction() as session:
            log_event(session, actor=admin, action="genidentifikation_afvist",
                      project_id=project.project_id, object_type="nøglefil",
                      details={**details, "nøglefil": path.name, "årsag": error.reason,
                               "fejltype": type(error).__name__})
        raise
    entries = contents.lookup(pseudonym, case)
    with project.transaction() as session:
        log_event(session, actor=admin, action="genidentifikation",
                  project_id=project.project_id, object_type="nøglefil",
                  object_id=contents.vault_id, details={**details, "antal": len(entries)})
    return entries


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
                _count(result, summary.replacements)
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


__all__ = ["PseudonymisationSummary", "PseudonymisationSettings", "VaultAccess",
           "FileSummary", "pseudonymise_project", "pseudonymise_pending", "vault_transaction",
           "latest_settings",
           "pseudonymise_jsonl", "reidentify", "review_list", "evaluate_gold", "load_gold",
           "vault_file"]

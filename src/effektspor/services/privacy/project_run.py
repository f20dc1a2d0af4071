"""Pseudonymising a whole project in place.

A project run works in batches of whole cases (the pending rows are grouped by case once,
and each batch is loaded, changed and let go), so time grows linearly and memory stays
flat with the size of the project. Each batch is atomic: its notes, documents, persons and
the follow-up's free text (goals, revisions, follow-ups, assessments: see
``services.followup.free_text``) are changed in one transaction, and the key file is
written as the last step inside it
(:func:`~effektspor.services.privacy.vault.vault_transaction`); if anything fails, that
batch rolls back and the key file of the batch before it is put back, and if the process
dies, the next run finds in the database what is still in clear and goes on from there.
Pseudonymised rows keep a content hash keyed with a secret from the key file, so a
re-import of the same material is recognised (see ``services.importing``) without the
database holding anything a guessed name could be tested against. Originals are kept only
in the key file, and only when the analyst asks for it.

It opens its own transactions (one per batch) instead of the caller's unit of work,
because the key file must be written and put back around each commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from effektspor.domain import events
from effektspor.domain.errors import EffektsporError
from effektspor.domain.text import keyed_hash, keyed_source_id
from effektspor.privacy.pseudonymiser import (
    DEFAULT_THRESHOLD,
    PseudonymisedText,
    Pseudonymiser,
    propagate_names,
    pseudonymise_keeping,
)
from effektspor.privacy.pseudonyms import STYLES, PseudonymScope
from effektspor.privacy.vault import (
    VaultContents,
    VaultEntry,
)
from effektspor.services.events import record_event
from effektspor.services.followup.free_text import case_persons, fill_placeholders
from effektspor.services.followup.shared import (
    FreeText,
    pending_free_text,
    pending_free_text_counts,
)
from effektspor.services.privacy.vault import (
    VaultAccess,
    entries_of,
    open_or_new_vault,
    restore_scope,
    restore_shared,
    vault_file,
    vault_transaction,
)
from effektspor.services.project import ProjectContext
from effektspor.services.project.files import PlaintextCleanup, remove_plaintext_remnants
from effektspor.store import tables as t
from effektspor.store.tables_privacy import PseudonymisationReview, PseudonymisationRun

Progress = Callable[[int, int], None]
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
    #: Follow-up rows (goals, revisions, follow-ups, assessments) whose free text was done.
    follow_up_rows: int = 0
    # Set after the transaction: the compacted database and the removed plain-text copies.
    plaintext_cleanup: PlaintextCleanup | None = None


def count_labels(result: PseudonymisedText, counts: dict[str, int]) -> None:
    for replacement in result.replacements:
        counts[replacement.label] = counts.get(replacement.label, 0) + 1


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
    contents = open_or_new_vault(path, passphrase, project.name)
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
    for case_id, count in pending_free_text_counts(session, project_id).items():
        pending[case_id] = pending.get(case_id, 0) + count
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

    def __init__(self, run_id: int, project_id: int, pseudonymiser: Pseudonymiser, settings,
                 shared, contents: VaultContents, total: int,
                 progress: Progress | None) -> None:
        self.run_id = run_id
        self.project_id = project_id
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
        self.follow_up_rows = 0
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
        return cls(run.id, project.project_id, pseudonymiser, settings,
                   restore_shared(contents, settings.style), contents, total, progress)

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
        follow_up: dict[int, list[FreeText]] = {}
        for item in pending_free_text(session, self.project_id, ids):
            follow_up.setdefault(item.case_id, []).append(item)
        scopes: dict[str, PseudonymScope] = {}
        for case_id, external_id in cases:
            scope = scopes[external_id] = PseudonymScope(external_id, self.shared)
            restore_scope(scope, self.earlier.get(external_id, []))
            self._pseudonymise_case(session, contents, case_id, scope,
                                    persons.get(case_id, []), notes.get(case_id, []),
                                    documents.get(case_id, []), follow_up.get(case_id, []))
        contents.persons = list(self.vault_persons.values())
        contents.entries = [e for e in contents.entries if e.scope not in scopes]
        for scope in scopes.values():
            contents.entries.extend(entries_of(scope))
        session.flush()
        for rows in (notes, documents, persons):
            for group in rows.values():
                for row in group:
                    session.expunge(row)  # done: let the batch's rows go
        for items in follow_up.values():
            for item in items:
                session.expunge(item.row)

    def _pseudonymise_case(self, session: Session, contents: VaultContents, case_id: int,
                           scope: PseudonymScope, persons: list, notes: list,
                           documents: list, follow_up: list[FreeText]) -> None:
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
            count_labels(result, self.counts)
            self.review_rows += _add_review(session, self.run_id, case_id, kind, row.id,
                                            original, result)
            if kind == "notat":
                self.notes += 1
            else:
                self.documents += 1
            self._step()
        if follow_up:
            self._pseudonymise_follow_up(session, contents, case_id, scope, known, follow_up)

    def _step(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)

    def _pseudonymise_follow_up(self, session: Session, contents: VaultContents,
                                case_id: int, scope: PseudonymScope,
                                known: list[tuple[str, str]], rows: list[FreeText]) -> None:
        """The follow-up's free text of one case, after its persons and notes: the
        placeholders of the case's persons ("[barn 1]", put in when saved) become their
        pseudonyms, the known names (persons, notes, key file) become the same pseudonyms
        as in the notes, and pseudonyms already in the text are left alone."""
        names = {placeholder: person.name for placeholder, person
                 in case_persons(session, case_id) if person.pseudonymised}
        keep = set(names.values()) | {e.pseudonym for e in scope.entities if e.label == "NAVN"}

        def clean(item: FreeText, field: str, text: str) -> str:
            filled = fill_placeholders(text, names)
            result = pseudonymise_keeping(self.pseudonymiser, filled, scope, known, keep)
            if self.settings.keep_originals:
                contents.originals[f"{item.kind}:{item.row.id}:{field}"] = text
            count_labels(result, self.counts)
            self.review_rows += _add_review(session, self.run_id, case_id,
                                            REVIEW_KINDS[item.kind], item.row.id, filled,
                                            result)
            return result.text

        for item in rows:
            for field in item.fields:
                value = getattr(item.row, field)
                if isinstance(value, list):
                    setattr(item.row, field, [clean(item, field, v) if v else v for v in value])
                elif value:
                    setattr(item.row, field, clean(item, field, value))
            item.row.pseudonymised = True
            self.follow_up_rows += 1
            self._step()

    def finish(self, session: Session, contents: VaultContents, *, cases: int,
               vault_path: Path) -> PseudonymisationSummary:
        """Record the run (summary, event) and its line in the key file."""
        run = session.get(PseudonymisationRun, self.run_id)
        settings = self.settings
        contents.runs.append({"run_id": run.id, "actor": run.actor, "style": settings.style})
        run.summary = {"sager": cases, "notater": self.notes, "dokumenter": self.documents,
                       "personer": self.moved_persons,
                       "opfølgningstekster": self.follow_up_rows, "erstatninger": self.counts,
                       "til_gennemsyn": self.review_rows}
        record_event(session, events.pseudonymisation_done(
            run_id=run.id, summary=run.summary, style=settings.style,
            threshold=self.pseudonymiser.threshold, vault_id=contents.vault_id,
            originals_kept=settings.keep_originals), actor=run.actor, project_id=run.project_id)
        return PseudonymisationSummary(run.id, cases, self.notes, self.documents,
                                       self.moved_persons, self.counts, self.review_rows,
                                       vault_path, settings.keep_originals,
                                       self.follow_up_rows)


#: The review list's object type of each kind of follow-up row (at most 20 characters).
REVIEW_KINDS = {"mål": "mål", "tidligere målformulering": "målrevision",
                "opfølgning": "opfølgning", "målvurdering": "målvurdering"}


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

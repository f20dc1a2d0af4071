"""The import use case (datahøst): read an export, validate everything, write it at once.

One run is one transaction: either every record is written, or — when any problem is
found — nothing is, and every problem is reported in Danish with file, line and field.
Re-importing the same content adds nothing (each record's content hash is unique per
case); a record with a source id (notat_id, bevilling_id, document file name) whose
content changed is updated and reported as changed. Rows are written in batches with
SQLAlchemy Core; only hashes and ids are kept in memory, so large exports stream.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import Connection, insert, update
from sqlalchemy.orm import Session

from effektspor.domain import events
from effektspor.domain.errors import EffektsporError, Problem, ValidationError
from effektspor.domain.records import (
    CaseRecord,
    DocumentRecord,
    GrantRecord,
    NoteRecord,
    PersonRecord,
)
from effektspor.domain.text import keyed_hash, keyed_source_id
from effektspor.ingest.layout import SourcePlan, plan_paths
from effektspor.ingest.reading import iter_records
from effektspor.ingest.sources import KIND_LABELS, KINDS
from effektspor.ingest.tabular import unused_columns
from effektspor.privacy.vault import VaultContents, read_vault
from effektspor.services.events import record_event
from effektspor.services.importing.bulk_write import BulkWriter, large_sqlite_cache
from effektspor.services.importing.state import ProjectState, load_state
from effektspor.services.privacy.project_run import (
    PseudonymisationSettings,
    PseudonymisationSummary,
    latest_settings,
    pseudonymise_pending,
)
from effektspor.services.privacy.vault import VaultAccess, vault_file, vault_transaction
from effektspor.services.project import ProjectContext
from effektspor.services.project.files import remove_plaintext_remnants
from effektspor.store import tables as t

BATCH_SIZE = 5000
MAX_PROBLEMS = 100_000
MAX_CHANGED_LISTED = 1000


@dataclass
class ImportSummary:
    """What an import did (or, in a dry run, would do)."""

    cases_created: int = 0
    cases_updated: int = 0
    cases_created_from: dict[str, int] = field(default_factory=dict)
    documents_by_type: dict[str, int] = field(default_factory=dict)
    notes: int = 0
    grants: int = 0
    persons: int = 0
    duplicates: int = 0
    changed_count: int = 0
    changed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    rows_read: int = 0
    dry_run: bool = False
    import_run_id: int | None = None
    pseudonymisation: PseudonymisationSummary | None = None

    @property
    def documents(self) -> int:
        """New documents of every type."""
        return sum(self.documents_by_type.values())

    def counts(self) -> dict:
        """The counts as plain JSON (for the import run row and the event log)."""
        data = asdict(self)
        for key in ("changed", "problems", "import_run_id", "pseudonymisation"):
            data.pop(key)
        data["documents"] = self.documents
        return data


def import_paths(project: ProjectContext, paths: Sequence[Path], *,
                 mapping_file: Path | None = None, kind: str | None = None, actor: str,
                 dry_run: bool = False, vault: VaultAccess | None = None,
                 progress: Callable[[int, int], None] | None = None,
                 pseudonymisation_progress: Callable[[int, int], None] | None = None
                 ) -> ImportSummary:
    """Import export folders/files into the project, in one transaction.

    Raises ``ValidationError`` listing every problem (and writes nothing) if any is found.
    ``progress(done, total)`` is called with bytes read. A dry run validates and counts
    but writes nothing. ``pseudonymisation_progress(done, total)`` follows the texts being
    pseudonymised afterwards (with a key file).

    Once a project is pseudonymised, nothing may enter it in clear: the import then needs
    the key file (``vault``), recognises material already imported by its keyed hash, and
    pseudonymises what is new in the same transaction, with the settings of the project's
    latest pseudonymisation run. With ``vault`` given for a project not yet pseudonymised,
    the import pseudonymises everything in the same transaction as well.
    """
    if kind is not None and kind not in KINDS:
        raise EffektsporError(f"ukendt type '{kind}' (brug {', '.join(KINDS)})")
    if mapping_file is not None:
        from effektspor.ingest.mapping import plan_from_mapping

        plan = plan_from_mapping(Path(mapping_file), [Path(p) for p in paths])
    else:
        plan = plan_paths([Path(p) for p in paths], kind)
    summary = ImportSummary(dry_run=dry_run, skipped=list(plan.skipped),
                            sources=[s.display for s in plan.ordered()])
    with _import_transaction(project, vault, dry_run) as (session, contents, vault_path):
        previous = latest_settings(session, project.project_id)  # None: not pseudonymised
        pseudonymised = previous is not None
        if pseudonymised and contents is None:
            raise EffektsporError(
                "Projektet er pseudonymiseret, så nyt materiale skal pseudonymiseres i samme "
                "kørsel, før noget gemmes. Kør importen igen med --nøglefil (den samme "
                "nøglefil som ved pseudonymiseringen) og adgangskoden. Intet er importeret.")
        connection = session.connection()
        state = load_state(connection, project.project_id)
        run = None
        if not dry_run:
            run = t.ImportRun(project_id=project.project_id, actor=actor,
                              sources=summary.sources, summary={})
            session.add(run)
            session.flush()
            summary.import_run_id = run.id
        content_key = contents.content_key if contents is not None and pseudonymised else None
        with large_sqlite_cache(connection):
            _Importer(connection, BulkWriter(connection), state, summary,
                      write=not dry_run, content_key=content_key).run(plan, progress)
        if summary.problems:
            raise ValidationError(summary.problems)
        if run is not None:
            run.summary = summary.counts()
            record_event(session, events.import_done(run_id=run.id, counts=run.summary),
                         actor=actor, project_id=project.project_id)
            if contents is not None:
                settings = previous or PseudonymisationSettings()
                summary.pseudonymisation = pseudonymise_pending(
                    session, project, contents, settings, actor=actor, vault_path=vault_path,
                    progress=pseudonymisation_progress)
    if summary.pseudonymisation is not None:
        # The new material was in clear inside the transaction: no trace of it may stay
        # in the WAL or in free pages.
        summary.pseudonymisation.plaintext_cleanup = remove_plaintext_remnants(project=project)
    return summary


@contextmanager
def _import_transaction(project: ProjectContext, vault: VaultAccess | None, dry_run: bool
                        ) -> Iterator[tuple[Session, VaultContents | None, Path | None]]:
    """The import's transaction: with the key file when one is given (a dry run only
    reads it, so nothing is written anywhere)."""
    if vault is not None and not dry_run:
        with vault_transaction(project, vault) as (session, contents, path):
            yield session, contents, path
        return
    contents = path = None
    if vault is not None:
        path = vault_file(project, vault.path)
        contents = read_vault(path, vault.passphrase) if path.exists() else None
    with project.transaction() as session:
        yield session, contents, path


class _Importer:
    """Validates records against the project and writes them in batches."""

    def __init__(self, connection: Connection, writer: BulkWriter, state: ProjectState,
                 summary: ImportSummary, *, write: bool, content_key: str | None = None):
        self.content_key = content_key
        self.connection = connection
        self.writer = writer
        self.state = state
        self.summary = summary
        self.write = write
        self.batches: dict[str, list[dict]] = {k: [] for k in KINDS}
        self.updates: dict[str, list[dict]] = {k: [] for k in KINDS}
        self.cases_in_run: dict[str, str] = {}
        self.ids_in_run: dict[tuple[str, str, str], str] = {}
        self.fake_ids = -1

    # -- reading ---------------------------------------------------------------
    def run(self, plan: SourcePlan, progress: Callable[[int, int], None] | None) -> None:
        """Read every source of the plan in order and handle its records."""
        for problem in plan.problems:
            self.problem(problem)
        ordered = plan.ordered()
        total = sum(spec.size() for spec in ordered)
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress(min(done, total), total)

        handlers = {"sager": self.case, "notater": self.note, "dokumenter": self.document,
                    "bevillinger": self.grant, "personer": self.person}
        for spec in ordered:
            if spec.scheme_version and spec.scheme_version not in self.state.schemes:
                self.problem(Problem(
                    f"skemaet '{spec.scheme_version}' findes ikke i projektet (kendte: "
                    f"{', '.join(self.state.schemes)})", spec.display, None, "skema"))
                continue
            handle = handlers[spec.kind]
            self.summary.skipped.extend(f"{spec.display}: kolonnen '{column}' bruges ikke"
                                        for column in unused_columns(spec))
            for item in iter_records(spec, self.state.resolve_document_type,
                                     self.summary.skipped, advance):
                self.summary.rows_read += 1
                if isinstance(item, Problem):
                    self.problem(item)
                else:
                    handle(item)
                if len(self.summary.problems) >= MAX_PROBLEMS:
                    self.summary.problems.append(Problem(
                        f"mere end {MAX_PROBLEMS} problemer; importen stoppede her"))
                    return
        self.flush()
        if progress:
            progress(total, total)

    def problem(self, problem: Problem) -> None:
        """Record a problem; from now on nothing more is written (all will be rolled back)."""
        self.summary.problems.append(problem)
        self.write = False

    def changed(self, message: str) -> None:
        """Record a changed record (the list shown is capped; the count is not)."""
        self.summary.changed_count += 1
        if len(self.summary.changed) < MAX_CHANGED_LISTED:
            self.summary.changed.append(message)

    # -- cases -----------------------------------------------------------------
    def case(self, record: CaseRecord) -> None:
        """A case row: create it, or update it if its fields differ from the stored ones."""
        key = record.external_id
        where = _where(record.source)
        if key in self.cases_in_run:
            self.problem(Problem(f"sag_id '{key}' står flere gange (også {self.cases_in_run[key]})",
                                 record.source.file, record.source.line, "sag_id"))
            return
        self.cases_in_run[key] = where
        values = {"team": record.team, "start_date": record.start_date,
                  "end_date": record.end_date,
                  "closed": bool(record.closed if record.closed is not None
                                 else record.end_date is not None),
                  "closed_year": None, "attributes": dict(record.attributes)}
        if values["closed"] and record.end_date:
            values["closed_year"] = record.end_date.year
        existing = self.state.cases.get(key)
        if existing is None:
            self.insert_case(key, values)
            self.summary.cases_created += 1
            return
        differing = [name for name, value in values.items() if existing.values.get(name) != value]
        if differing:
            existing.values = values
            self.summary.cases_updated += 1
            fields = ", ".join(_CASE_FIELD_NAMES[name] for name in differing)
            self.changed(f"{where}: sag {key} er ændret ({fields})")
            if self.write:
                self.connection.execute(
                    update(t.Case.__table__).where(t.Case.__table__.c.id == existing.id)
                    .values(**values))

    def insert_case(self, key: str, values: dict) -> int:
        """Insert a case now (records referring to it follow) and remember its id."""
        if self.write:
            case_id = self.connection.execute(
                insert(t.Case.__table__).values(project_id=self.state.project_id,
                                                external_id=key, **values)
                .returning(t.Case.__table__.c.id)).scalar_one()
        else:
            case_id = self.fake_ids
            self.fake_ids -= 1
        self.state.add_case(key, case_id, values)
        return case_id

    def case_id_for(self, key: str, kind: str) -> int:
        """The id of a case; a case not known yet is created and counted."""
        existing = self.state.cases.get(key)
        if existing is not None:
            return existing.id
        counts = self.summary.cases_created_from
        counts[kind] = counts.get(kind, 0) + 1
        return self.insert_case(key, {"closed": False, "attributes": {}})

    # -- material of a case ----------------------------------------------------
    def known_keyed(self, hashes: set[str], digest: str) -> bool:
        """True if the project holds this content pseudonymised: its hash keyed with the
        key file's secret is stored (the plain hash is checked by the caller first)."""
        return self.content_key is not None and keyed_hash(self.content_key, digest) in hashes

    def stored_source_id(self, kind: str, case_key: str, external_id: str | None
                         ) -> tuple[int, str] | None:
        """The stored row (id, hash) with this source id: as written, or keyed (a source
        id that held a name is stored keyed once pseudonymised)."""
        if external_id is None:
            return None
        ids = self.state.source_ids[kind]
        known = ids.get((case_key, external_id))
        if known is None and self.content_key is not None:
            known = ids.get((case_key, keyed_source_id(self.content_key, external_id)))
        return known

    def material(self, kind: str, record, row: dict, external_id: str | None) -> bool:
        """Queue a new or changed record; False if it is a duplicate or has a problem."""
        digest = record.content_hash
        hashes = self.state.hashes[kind]
        if external_id is not None:
            key = (kind, record.case_external_id, external_id)
            if key in self.ids_in_run:
                if digest in hashes or self.known_keyed(hashes, digest):
                    self.summary.duplicates += 1
                    return False
                self.problem(Problem(
                    f"{_id_label(kind)} '{external_id}' står flere gange med forskelligt "
                    f"indhold (også {self.ids_in_run[key]})", record.source.file,
                    record.source.line, _id_label(kind)))
                return False
            self.ids_in_run[key] = _where(record.source)
        if digest in hashes or self.known_keyed(hashes, digest):
            self.summary.duplicates += 1
            return False
        row["content_hash"] = digest
        row["case_id"] = self.case_id_for(record.case_external_id, kind)
        hashes.add(digest)
        known = self.stored_source_id(kind, record.case_external_id, external_id)
        if known is not None:
            row_id, old_digest = known
            hashes.discard(old_digest)
            self.state.source_ids[kind][(record.case_external_id, external_id)] = (row_id, digest)
            row["b_id"] = row_id
            self.updates[kind].append(row)
            self.changed(f"{_where(record.source)}: {KIND_LABELS[kind]} '{external_id}' i sag "
                         f"{record.case_external_id} er ændret")
            self.maybe_flush(kind)
            return False
        self.batches[kind].append(row)
        self.maybe_flush(kind)
        return True

    def note(self, record: NoteRecord) -> None:
        """A diary note: its attention point must exist in the scheme in force at its date."""
        point_id = self.state.attention_point_id(record)
        if isinstance(point_id, str):
            self.problem(Problem(point_id, record.source.file, record.source.line,
                                 "opmærksomhedspunkt"))
            return
        row = {"note_date": record.note_date, "attention_point_id": point_id,
               "author_role": record.author_role, "author": record.author,
               "text": record.text, "external_id": record.external_id,
               "source_file": record.source.file, "source_line": record.source.line,
               "import_run_id": self.summary.import_run_id, "pseudonymised": False}
        if self.material("notater", record, row, record.external_id):
            self.summary.notes += 1

    def document(self, record: DocumentRecord) -> None:
        """A document of a case."""
        row = {"doc_type": record.doc_type, "doc_date": record.doc_date, "title": record.title,
               "text": record.text, "external_id": record.external_id,
               "source_file": record.source.file, "pseudonymised": False,
               "import_run_id": self.summary.import_run_id}
        if self.material("dokumenter", record, row, record.external_id):
            label = self.state.document_labels.get(record.doc_type, record.doc_type)
            self.summary.documents_by_type[label] = self.summary.documents_by_type.get(label, 0) + 1

    def grant(self, record: GrantRecord) -> None:
        """A grant (bevilling)."""
        row = {"start_date": record.start_date, "end_date": record.end_date,
               "legal_basis": record.legal_basis, "intervention": record.intervention,
               "external_id": record.external_id, "import_run_id": self.summary.import_run_id}
        if self.material("bevillinger", record, row, record.external_id):
            self.summary.grants += 1

    def person(self, record: PersonRecord) -> None:
        """A known person: only into the persons table, never into any text."""
        row = {"role": record.role, "name": record.name, "cpr": record.cpr}
        if self.material("personer", record, row, None):
            self.summary.persons += 1

    # -- writing ---------------------------------------------------------------
    def maybe_flush(self, kind: str) -> None:
        """Write a kind's queued rows once a batch is full (or drop them if not writing)."""
        if len(self.batches[kind]) >= BATCH_SIZE or len(self.updates[kind]) >= BATCH_SIZE:
            self.flush(kind)

    def flush(self, only: str | None = None) -> None:
        """Write queued inserts and updates (all kinds, or ``only`` one)."""
        for kind in ([only] if only else KINDS):
            table = _TABLES[kind].__table__
            rows, changes = self.batches[kind], self.updates[kind]
            if self.write and rows:
                self.writer.insert_many(table, rows)
            if self.write and changes:
                self.writer.update_many(table, changes)
            rows.clear()
            changes.clear()

_CASE_FIELD_NAMES = {"team": "team", "start_date": "startdato", "end_date": "slutdato",
                     "closed": "afsluttet", "closed_year": "afslutningsår",
                     "attributes": "øvrige kolonner"}
_TABLES = {"sager": t.Case, "notater": t.Note, "dokumenter": t.Document,
           "bevillinger": t.Grant, "personer": t.Person}


def _where(source) -> str:
    return f"{source.file} linje {source.line}" if source.line is not None else source.file


def _id_label(kind: str) -> str:
    return {"notater": "notat_id", "bevillinger": "bevilling_id",
            "dokumenter": "dokument_id"}.get(kind, "id")

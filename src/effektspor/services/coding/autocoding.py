"""Auto-coding a project's notes with the codebook's rules.

Machine codings carry coder "maskine", the rule id and the codebook version, so each can
be traced to the exact rule that made it. A run replaces the earlier machine codings and
leaves people's codings and suggestions alone; it is a project-wide run
(``Action.RUN_ANALYSIS``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, func, select

from effektspor.coding.autocoder import RuleAutocoder
from effektspor.coding.codebook import load_codebook
from effektspor.domain import events
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.coding.shared import BATCH, store_codebook
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.store import tables as t
from effektspor.store.tables_coding import MACHINE_CODER, Coding

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class AutocodeSummary:
    """What an auto-coding run did."""

    codebook: str
    codebook_version: str
    notes: int = 0
    codings: int = 0
    notes_coded: int = 0
    removed: int = 0
    per_code: dict[str, int] = field(default_factory=dict)


def autocode_project(*, session: UnitOfWork, actor: Actor, project_id: int,
                     codebook_path: Path | None = None,
                     progress: Progress | None = None) -> AutocodeSummary:
    """Auto-code every note of the project; replaces earlier machine codings.

    ``codebook_path`` is a codebook file (default: the built-in one).
    """
    require(actor, Action.RUN_ANALYSIS)
    codebook = load_codebook(codebook_path)
    coder = RuleAutocoder(codebook)
    summary = AutocodeSummary(codebook.name, codebook.version)
    per_code: dict[str, int] = defaultdict(int)
    book = store_codebook(session, project_id, codebook, actor=actor.name)
    summary.removed = session.execute(delete(Coding).where(
        Coding.project_id == project_id, Coding.coder == MACHINE_CODER)).rowcount
    total = session.scalar(select(func.count(t.Note.id)).join(
        t.Case, t.Case.id == t.Note.case_id).where(t.Case.project_id == project_id)) or 0
    query = (select(t.Note.id, t.Note.text, t.AttentionPoint.name)
             .join(t.Case, t.Case.id == t.Note.case_id)
             .join(t.AttentionPoint, t.AttentionPoint.id == t.Note.attention_point_id)
             .where(t.Case.project_id == project_id).order_by(t.Note.id))
    rows: list[dict] = []
    for note_id, text, point in session.execute(query.execution_options(yield_per=BATCH)):
        segments = coder.code_text(text, attention_point=point)
        summary.notes += 1
        if segments:
            summary.notes_coded += 1
        for segment in segments:
            rows.append({"project_id": project_id, "note_id": note_id,
                         "start": segment.start, "end": segment.end,
                         "quote": text[segment.start:segment.end],
                         "code_key": segment.code, "coder": MACHINE_CODER,
                         "rule_id": segment.rule, "codebook_id": book.id,
                         "codebook_version": codebook.version})
            per_code[segment.code] += 1
        if len(rows) >= BATCH:
            summary.codings += _flush(session, rows)
        if progress and summary.notes % 500 == 0:
            progress(summary.notes, total)
    summary.codings += _flush(session, rows)
    if progress:
        progress(summary.notes, total)
    summary.per_code = dict(per_code)
    record_event(session, events.autocoding_done(
        codebook_id=book.id, version=codebook.version, notes=summary.notes,
        codings=summary.codings, removed=summary.removed),
        actor=actor.name, project_id=project_id)
    return summary


def _flush(session: UnitOfWork, rows: list[dict]) -> int:
    if not rows:
        return 0
    session.execute(Coding.__table__.insert(), rows)
    count = len(rows)
    rows.clear()
    return count

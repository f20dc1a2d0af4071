"""Report downloads for the web (``web/routers/analysis.py``): the yearly report (internal and pixi editions) and the
documentation analysis, generated on demand into a temporary folder.

Who may download what (checked here):
* the internal yearly report lists the cases behind every number and quotes their
  evidence and coded passages: case text, so READ_CASE_TEXT (besides VIEW_REPORTS);
* the pixi edition suppresses small cells and has no case numbers or quotes, and the
  documentation analysis has counts only: VIEW_REPORTS.
Every download is written to the event log as "rapport_hentet".
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from effektspor.domain import events
from effektspor.domain.errors import EffektsporError
from effektspor.report import write_report
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.services.reports.documentation import documentation_document
from effektspor.services.reports.yearly import build_yearly_report
from effektspor.store import tables as t


@dataclass(frozen=True)
class ReportKind:
    """A report offered for download."""

    key: str
    title: str
    file_title: str
    description: str
    needs_case_text: bool


REPORTS: dict[str, ReportKind] = {r.key: r for r in (
    ReportKind("aarsrapport", "Årsrapport – intern udgave", "Årsrapport (intern)",
               "Effektanalysens tabeller med sagerne og citaterne bag hvert tal. Indeholder "
               "sagstekst: må ikke deles uden for kommunen.", True),
    ReportKind("aarsrapport-pixi", "Årsrapport – pixi-udgave", "Årsrapport (pixi)",
               "Til deling uden for kommunen: små celler er skjult, ingen sagsnumre eller "
               "citater.", False),
    ReportKind("dokumentationsanalyse", "Dokumentationsanalyse", "Dokumentationsanalyse",
               "Hvilket materiale der findes på sagerne, og hvor der er huller. Kun antal.",
               False),
)}

FORMATS: dict[str, tuple[str, str]] = {
    "docx": ("Word (DOCX)",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "html": ("Webside (HTML)", "text/html; charset=utf-8"),
}


@dataclass(frozen=True)
class ReportOffer:
    """A report on the download page, and whether this actor may download it."""

    kind: ReportKind
    allowed: bool


@dataclass(frozen=True)
class GeneratedReport:
    """A report file in a temporary folder; remove the folder with ``cleanup`` when sent."""

    path: Path
    filename: str
    media_type: str
    seconds: float

    def cleanup(self) -> None:
        """Delete the temporary folder with the file."""
        shutil.rmtree(self.path.parent, ignore_errors=True)


def _may_download(actor: Actor, kind: ReportKind) -> bool:
    return actor.can(Action.VIEW_REPORTS) and (not kind.needs_case_text
                                                or actor.can(Action.READ_CASE_TEXT))


def report_offers(*, actor: Actor) -> list[ReportOffer]:
    """The reports of the download page, each marked as allowed or not for ``actor``."""
    require(actor, Action.VIEW_REPORTS)
    return [ReportOffer(kind, _may_download(actor, kind)) for kind in REPORTS.values()]


def _safe_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "-", text).strip(" .-") or "projekt"


def _write(session: UnitOfWork, actor: Actor, project_id: int, kind: ReportKind, fmt: str,
           folder: Path) -> Path:
    if kind.key == "dokumentationsanalyse":
        _analysis, doc = documentation_document(session=session, actor=actor,
                                                project_id=project_id)
    else:
        doc = build_yearly_report(session=session, actor=actor, project_id=project_id,
                                  pixi=kind.key.endswith("pixi"))
    return write_report(doc, folder, kind.key, (fmt,))[fmt]


def generate_report(*, session: UnitOfWork, actor: Actor, project_id: int, report: str,
                    fmt: str) -> GeneratedReport:
    """Generate ``report`` in format ``fmt`` into a new temporary folder; logs
    "rapport_hentet" in ``session`` (the caller commits). Raises PermissionDenied for a
    report with case text when the actor may not read case text."""
    require(actor, Action.VIEW_REPORTS)
    kind = REPORTS.get(report)
    if kind is None:
        raise EffektsporError(f"Rapporten '{report}' findes ikke.")
    if kind.needs_case_text:
        require(actor, Action.READ_CASE_TEXT)
    if fmt not in FORMATS:
        raise EffektsporError(f"Formatet '{fmt}' findes ikke. Vælg blandt "
                              f"{', '.join(FORMATS)}.")
    folder = Path(tempfile.mkdtemp(prefix="effektspor-rapport-"))
    started = time.perf_counter()
    try:
        path = _write(session, actor, project_id, kind, fmt, folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    seconds = time.perf_counter() - started
    name = session.scalar(select(t.Project.name).where(t.Project.id == project_id)) or ""
    filename = f"{kind.file_title} – {_safe_name(name)}.{fmt}"
    record_event(session, events.report_downloaded(
        report=kind.key, fmt=fmt, filename=filename, role=actor.role.value, seconds=seconds),
        actor=actor.name, project_id=project_id)
    return GeneratedReport(path, filename, FORMATS[fmt][1], seconds)

"""The uncertain decisions of the last runs, and re-identification with the key file
(administrator only, always logged)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from effektspor.domain.errors import EffektsporError
from effektspor.privacy.vault import (
    VaultEntry,
    VaultError,
    read_vault,
)
from effektspor.services.events import log_event
from effektspor.services.privacy.vault import vault_file
from effektspor.services.project import ProjectContext
from effektspor.store.tables_privacy import PseudonymisationReview, PseudonymisationRun


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

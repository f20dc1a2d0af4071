"""The uncertain decisions of the last runs, and re-identification with the key file
(administrator only, always logged)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from effektspor.domain import events
from effektspor.domain.errors import EffektsporError
from effektspor.privacy.vault import (
    VaultEntry,
    VaultError,
    read_vault,
)
from effektspor.services.events import record_event
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
    try:
        contents = read_vault(path, passphrase)
    except VaultError as error:
        with project.transaction() as session:
            record_event(session, events.reidentification_refused(
                admin=admin, pseudonym=pseudonym, case=case, vault_file=path.name,
                reason=error.reason, error_type=type(error).__name__),
                actor=admin, project_id=project.project_id)
        raise
    entries = contents.lookup(pseudonym, case)
    with project.transaction() as session:
        record_event(session, events.reidentified(
            admin=admin, pseudonym=pseudonym, case=case, vault_id=contents.vault_id,
            found=len(entries)), actor=admin, project_id=project.project_id)
    return entries

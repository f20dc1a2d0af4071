"""The key file (vault) of a pseudonymised project: where it lies, how it is opened, and
the transaction in which a batch of changes and the key file are written together.

Building blocks of the privacy area and of the importing area (an import into a
pseudonymised project pseudonymises in the same transaction, under the same key file).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from effektspor.domain.errors import EffektsporError
from effektspor.privacy.pseudonyms import ProjectPseudonyms, PseudonymScope
from effektspor.privacy.vault import (
    MIN_PASSPHRASE,
    VaultContents,
    VaultEntry,
    read_vault,
    write_vault,
    write_vault_bytes,
)
from effektspor.services.project import ProjectContext

VAULT_SUFFIX = ".effektspor-noegle"


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


def open_or_new_vault(path: Path, passphrase: str, project_name: str) -> VaultContents:
    if path.exists():
        return read_vault(path, passphrase)
    if len(passphrase) < MIN_PASSPHRASE:
        raise EffektsporError(
            f"Adgangskoden til nøglefilen skal have mindst {MIN_PASSPHRASE} tegn.")
    return VaultContents(project=project_name)


def restore_shared(contents: VaultContents, style: str) -> ProjectPseudonyms:
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


def restore_scope(scope: PseudonymScope, entries: list[VaultEntry]) -> None:
    for entry in entries:
        if entry.label == "NAVN":
            longest = max(entry.originals, key=len) if entry.originals else entry.pseudonym
            entity = scope.add_person(longest, entry.role, pseudonym=entry.pseudonym)
            entity.originals.update(entry.originals)
        else:
            for original in entry.originals:
                scope.pseudonym_for(entry.label, original)


def entries_of(scope: PseudonymScope) -> list[VaultEntry]:
    return [VaultEntry(scope.name, e.label, e.pseudonym, sorted(e.originals), e.role)
            for e in scope.entities if e.originals or e.label == "NAVN"]


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
        contents = open_or_new_vault(path, vault.passphrase, project.name)
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

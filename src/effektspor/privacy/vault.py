"""The key vault: pseudonym → original, encrypted at rest with a key from a passphrase.

The file is JSON with a readable header (format, scrypt parameters, salt, nonce) and the
payload encrypted with AES-256-GCM; the header is authenticated as associated data, so a
changed header or a wrong passphrase both fail to decrypt. The key is derived with scrypt
(n=2^15, r=8, p=1). The vault is kept apart from the project database, in a folder the
analyst names; it is written atomically (a temporary file, then a rename).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from effektspor.domain.errors import EffektsporError

FORMAT = "effektspor-nøglefil"
VERSION = 1
MIN_PASSPHRASE = 8
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1


class WrongPassphrase(EffektsporError):
    """The passphrase does not open the key file (or the file has been altered)."""


@dataclass
class VaultEntry:
    """One pseudonym of one scope (a case, or an input file) and the originals behind it."""

    scope: str
    label: str
    pseudonym: str
    originals: list[str]
    role: str | None = None


@dataclass
class VaultContents:
    """Everything the vault holds (decrypted)."""

    vault_id: str = field(default_factory=lambda: secrets.token_hex(8))
    project: str = ""
    salt: str = field(default_factory=lambda: secrets.token_hex(16))
    #: The secret behind the keyed content hashes of pseudonymised rows (see
    #: ``domain.text.keyed_hash``): without it nobody can test a guessed name against them.
    content_key: str = field(default_factory=lambda: secrets.token_hex(32))
    entries: list[VaultEntry] = field(default_factory=list)
    persons: list[dict] = field(default_factory=list)
    originals: dict[str, str] = field(default_factory=dict)
    runs: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        """A JSON-ready dict."""
        return {"vault_id": self.vault_id, "project": self.project, "salt": self.salt,
                "content_key": self.content_key,
                "entries": [vars(e) for e in self.entries], "persons": self.persons,
                "originals": self.originals, "runs": self.runs}

    @classmethod
    def from_json(cls, data: dict) -> VaultContents:
        """Rebuild from :meth:`to_json` output."""
        return cls(vault_id=data["vault_id"], project=data.get("project", ""),
                   salt=data["salt"],
                   content_key=data.get("content_key") or secrets.token_hex(32),
                   entries=[VaultEntry(**e) for e in data["entries"]],
                   persons=data.get("persons", []), originals=data.get("originals", {}),
                   runs=data.get("runs", []))

    def lookup(self, pseudonym: str | None = None, scope: str | None = None) -> list[VaultEntry]:
        """Entries matching a pseudonym and/or scope (case-insensitive pseudonym)."""
        wanted = pseudonym.casefold().strip() if pseudonym else None
        return [e for e in self.entries
                if (wanted is None or e.pseudonym.casefold() == wanted)
                and (scope is None or e.scope == scope)]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive_key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def encrypt_vault(contents: VaultContents, passphrase: str) -> bytes:
    """The vault file's bytes for ``contents`` under ``passphrase``."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise EffektsporError(
            f"Adgangskoden til nøglefilen skal have mindst {MIN_PASSPHRASE} tegn.")
    salt = os.urandom(16)
    nonce = os.urandom(12)
    header = {"format": FORMAT, "version": VERSION, "kdf": "scrypt", "n": SCRYPT_N,
              "r": SCRYPT_R, "p": SCRYPT_P, "salt": _b64(salt), "nonce": _b64(nonce),
              "vault_id": contents.vault_id,
              "written": datetime.now(UTC).isoformat(timespec="seconds")}
    key = _derive_key(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    aad = json.dumps(header, sort_keys=True).encode("utf-8")
    plaintext = json.dumps(contents.to_json(), ensure_ascii=False).encode("utf-8")
    ciphertext = AESGCM(key).encrypt(nonce, plaintext, aad)
    return json.dumps({"header": header, "data": _b64(ciphertext)}, indent=1).encode("utf-8")


def decrypt_vault(data: bytes, passphrase: str, *, where: str = "nøglefilen") -> VaultContents:
    """Open vault bytes; a wrong passphrase raises :class:`WrongPassphrase` (Danish)."""
    try:
        document = json.loads(data.decode("utf-8"))
        header = document["header"]
        if header.get("format") != FORMAT:
            raise ValueError("forkert format")
        salt = base64.b64decode(header["salt"])
        nonce = base64.b64decode(header["nonce"])
        ciphertext = base64.b64decode(document["data"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as error:
        raise EffektsporError(f"{where} er ikke en effektspor-nøglefil ({error}).") from None
    key = _derive_key(passphrase, salt, header["n"], header["r"], header["p"])
    aad = json.dumps(header, sort_keys=True).encode("utf-8")
    try:
        plaintext = AESGCM(key).decrypt(nonce, ciphertext, aad)
    except InvalidTag:
        raise WrongPassphrase(
            f"Forkert adgangskode til {where} – eller filen er ændret. Intet er åbnet.") from None
    return VaultContents.from_json(json.loads(plaintext.decode("utf-8")))


def read_vault(path: Path, passphrase: str) -> VaultContents:
    """Open the vault file at ``path``."""
    path = Path(path)
    if not path.exists():
        raise EffektsporError(f"Nøglefilen {path} findes ikke.")
    return decrypt_vault(path.read_bytes(), passphrase, where=f"nøglefilen {path}")


def write_vault(path: Path, contents: VaultContents, passphrase: str) -> None:
    """Write the vault atomically (temporary file in the same folder, then rename)."""
    write_vault_bytes(path, encrypt_vault(contents, passphrase))


def write_vault_bytes(path: Path, data: bytes) -> None:
    """Write already encrypted vault bytes atomically and durably (mode 0600)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the platform allows it)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(descriptor)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(descriptor)

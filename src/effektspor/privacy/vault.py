"""The key vault: pseudonym → original, encrypted at rest with a key from a passphrase.

The file is JSON with a readable header (format, scrypt parameters, salt, nonce) and the
payload encrypted with AES-256-GCM; the header is authenticated as associated data, so a
changed header or a wrong passphrase both fail to decrypt. The key is derived with scrypt
(n=2^15, r=8, p=1). The vault is kept apart from the project database, in a folder the
analyst names; it is written atomically (a temporary file, then a rename).

Opening is strict: the file's size is limited, and its header is checked field by field
(known format, version and scrypt parameters, salt and nonce lengths, valid base64)
before any key is derived, so a damaged or hostile file cannot make scrypt allocate
gigabytes or end in a traceback. Every failure is a :class:`VaultError` with a Danish
message and a short ``reason``: :class:`DamagedVault` for a file that is not an intact
key file, :class:`WrongPassphrase` when the passphrase (or the authenticated content)
does not fit.
"""

from __future__ import annotations

import base64
import binascii
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
#: The scrypt parameters a key file may name (n, r, p). Only what effektspor writes: a
#: header asking for more could make scrypt allocate gigabytes before anything is checked.
ACCEPTED_SCRYPT = frozenset({(SCRYPT_N, SCRYPT_R, SCRYPT_P)})
SALT_BYTES, NONCE_BYTES, TAG_BYTES = 16, 12, 16
#: The largest key file that is read (and written): 512 MiB. A vault that keeps the
#: original texts of a large project stays far below; a bigger file is not a key file.
MAX_VAULT_BYTES = 512 * 1024 * 1024
_HEADER_FIELDS = frozenset({"format", "version", "kdf", "n", "r", "p", "salt", "nonce",
                            "vault_id", "written"})
_TEXT_FIELD_MAX = 200


class VaultError(EffektsporError):
    """The key file could not be opened; ``reason`` says why, briefly and in Danish.

    The reason never contains the passphrase; it is what the event log records.
    """

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


class WrongPassphrase(VaultError):
    """The passphrase does not open the key file (or the file has been altered)."""


class DamagedVault(VaultError):
    """The file is not an intact effektspor key file (damaged, altered or another file)."""


def _damaged(where: str, reason: str) -> DamagedVault:
    return DamagedVault(f"{where[:1].upper()}{where[1:]} er beskadiget eller ændret: {reason}. "
                        "Intet er åbnet.", reason)


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
        """Rebuild from :meth:`to_json` output (``KeyError``/``TypeError`` if malformed)."""
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
    data = json.dumps({"header": header, "data": _b64(ciphertext)}, indent=1).encode("utf-8")
    if len(data) > MAX_VAULT_BYTES:
        # Refused before anything is written: a larger file could not be opened again.
        raise EffektsporError(
            f"Nøglefilen ville fylde {len(data) // 2**20} MiB; den må højst fylde "
            f"{MAX_VAULT_BYTES // 2**20} MiB. Pseudonymisér uden at gemme originalteksterne, "
            "eller del projektet op. Intet er skrevet.")
    return data


def _base64_field(container: dict, name: str, where: str, size: int | None = None) -> bytes:
    value = container.get(name)
    if not isinstance(value, str):
        raise _damaged(where, f"feltet '{name}' mangler eller er ikke tekst")
    try:
        decoded = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise _damaged(where, f"feltet '{name}' er ikke gyldig base64") from None
    if size is not None and len(decoded) != size:
        raise _damaged(where, f"feltet '{name}' har {len(decoded)} byte i stedet for {size}")
    return decoded


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _checked_header(document: object, where: str) -> dict:
    """The header of a parsed key file, checked strictly before any key is derived."""
    if not isinstance(document, dict) or not isinstance(document.get("header"), dict):
        raise _damaged(where, "den er ikke en effektspor-nøglefil (feltet 'header' mangler)")
    if set(document) != {"header", "data"}:
        raise _damaged(where, "den er ikke en effektspor-nøglefil (felterne skal være "
                              "'header' og 'data')")
    header = document["header"]
    if header.get("format") != FORMAT:
        raise _damaged(where, "den er ikke en effektspor-nøglefil (ukendt format)")
    if set(header) != _HEADER_FIELDS:
        wrong = sorted(set(header) ^ _HEADER_FIELDS)
        raise _damaged(where, "ukendte eller manglende felter i hovedet: " + ", ".join(wrong))
    if not _is_int(header["version"]) or header["version"] != VERSION:
        raise _damaged(where, f"ukendt version (kun version {VERSION} kan læses)")
    if header["kdf"] != "scrypt":
        raise _damaged(where, "ukendt nøgleafledning (kun scrypt kan læses)")
    params = (header["n"], header["r"], header["p"])
    if not all(_is_int(v) for v in params) or params not in ACCEPTED_SCRYPT:
        raise _damaged(where, "scrypt-parametrene n, r og p er ikke dem, effektspor bruger")
    for name in ("vault_id", "written"):
        if not isinstance(header[name], str) or len(header[name]) > _TEXT_FIELD_MAX:
            raise _damaged(where, f"feltet '{name}' er ikke en kort tekst")
    return header


def decrypt_vault(data: bytes, passphrase: str, *, where: str = "nøglefilen") -> VaultContents:
    """Open vault bytes; every failure is a Danish :class:`VaultError`.

    A file that is not an intact key file raises :class:`DamagedVault` before a key is
    derived; a passphrase that does not fit raises :class:`WrongPassphrase`.
    """
    if len(data) > MAX_VAULT_BYTES:
        raise _damaged(where, f"filen er større end {MAX_VAULT_BYTES // 2**20} MiB")
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise _damaged(where, "den er ikke en effektspor-nøglefil (ikke UTF-8-tekst)") \
            from None
    except (ValueError, RecursionError):
        raise _damaged(where, "den er ikke en effektspor-nøglefil (ikke gyldig JSON)") \
            from None
    header = _checked_header(document, where)
    salt = _base64_field(header, "salt", where, SALT_BYTES)
    nonce = _base64_field(header, "nonce", where, NONCE_BYTES)
    ciphertext = _base64_field(document, "data", where)
    if len(ciphertext) < TAG_BYTES:
        raise _damaged(where, "det krypterede indhold er for kort")
    key = _derive_key(passphrase, salt, header["n"], header["r"], header["p"])
    aad = json.dumps(header, sort_keys=True).encode("utf-8")
    try:
        plaintext = AESGCM(key).decrypt(nonce, ciphertext, aad)
    except InvalidTag:
        raise WrongPassphrase(
            f"Forkert adgangskode til {where} – eller filen er ændret. Intet er åbnet.",
            "forkert adgangskode, eller filen er ændret") from None
    try:
        return VaultContents.from_json(json.loads(plaintext.decode("utf-8")))
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise _damaged(where, "det dekrypterede indhold har ikke nøglefilens form") from None


def read_vault(path: Path, passphrase: str) -> VaultContents:
    """Open the vault file at ``path`` (at most :data:`MAX_VAULT_BYTES` are read)."""
    path = Path(path)
    where = f"nøglefilen {path}"
    if not path.exists():
        raise VaultError(f"Nøglefilen {path} findes ikke.", "nøglefilen findes ikke")
    try:
        if path.stat().st_size > MAX_VAULT_BYTES:
            raise _damaged(where, f"filen er større end {MAX_VAULT_BYTES // 2**20} MiB")
        with path.open("rb") as handle:  # read no more than allowed, whatever stat said
            data = handle.read(MAX_VAULT_BYTES + 1)
    except OSError as error:
        reason = f"filen kan ikke læses ({error.strerror or error})"
        raise VaultError(f"Nøglefilen {path} kan ikke åbnes: {reason}.", reason) from None
    return decrypt_vault(data, passphrase, where=where)


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

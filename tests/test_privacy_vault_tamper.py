"""A damaged or altered key file: a Danish error before any key is derived, and a log line.

Each tampering below used to end in a KeyError, TypeError, ValueError, AttributeError,
RecursionError or MemoryError traceback (or scrypt allocating gigabytes), or was reported
as a wrong passphrase although the file itself is broken. Now every case is a
``DamagedVault`` with the Danish "beskadiget eller ændret" message, and re-identification
writes the refused attempt to the event log, without the passphrase.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

import pytest

from effektspor.domain.errors import EffektsporError
from effektspor.privacy import vault as vault_module
from effektspor.privacy.vault import (
    DamagedVault,
    VaultContents,
    VaultEntry,
    VaultError,
    WrongPassphrase,
    decrypt_vault,
    encrypt_vault,
    read_vault,
    write_vault,
)
from effektspor.services.events import list_events
from effektspor.services.privacy.review import reidentify

PASSPHRASE = "korrekt hest batteri"


def _contents() -> VaultContents:
    return VaultContents(project="Test", entries=[
        VaultEntry("sag-1", "NAVN", "Barn 1", ["Freja Holm"], "barn")])


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _set(field: str, value) -> Callable[[dict], None]:
    def change(document: dict) -> None:
        document["header"][field] = value
    return change


def _drop(field: str) -> Callable[[dict], None]:
    def change(document: dict) -> None:
        del document["header"][field]
    return change


def _replace(key: str, value) -> Callable[[dict], None]:
    def change(document: dict) -> None:
        document[key] = value
    return change


#: Header changes that ended in a traceback before (error named), now DamagedVault.
TAMPERED_HEADERS = {
    "n mangler (KeyError)": _drop("n"),
    "p mangler (KeyError)": _drop("p"),
    "n er tekst (TypeError)": _set("n", "32768"),
    "n er et kommatal (TypeError)": _set("n", 32768.0),
    "r er null (TypeError)": _set("r", None),
    "n er ikke en potens af 2 (ValueError)": _set("n", 3),
    "n er 2^40 (MemoryError/gigabytes)": _set("n", 2**40),
    "r er 2^24 (MemoryError/gigabytes)": _set("r", 2**24),
    "p er 2^30 (MemoryError)": _set("p", 2**30),
    "hovedet er en liste (AttributeError)": _replace("header", ["format"]),
    "nonce er tom (ValueError)": _set("nonce", ""),
    "nonce er 200 byte (ValueError)": _set("nonce", _b64(bytes(200))),
}
#: Changes that were reported as a wrong passphrase or passed unnoticed to decryption.
MISREPORTED = {
    "ukendt version": _set("version", 2),
    "version er true": _set("version", True),
    "ukendt nøgleafledning": _set("kdf", "argon2"),
    "salt på 1 byte": _set("salt", _b64(b"x")),
    "salt er base64-affald": _set("salt", "!!!!" + _b64(bytes(16))),
    "data er base64-affald": _replace("data", "%%%% ikke base64 %%%%"),
    "data er for kort": _replace("data", _b64(b"kort")),
    "n er sænket": _set("n", 2),
    "ekstra felt i hovedet": _set("ekstra", 1),
    "vault_id er et tal": _set("vault_id", 7),
    "ekstra felt i filen": _replace("ekstra", {}),
}


def _written(tmp_path):
    path = tmp_path / "v.effektspor-noegle"
    write_vault(path, _contents(), PASSPHRASE)
    return path


def _tamper(path, change: Callable[[dict], None]) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document), encoding="utf-8")


@pytest.mark.parametrize("change", list({**TAMPERED_HEADERS, **MISREPORTED}.values()),
                         ids=list({**TAMPERED_HEADERS, **MISREPORTED}))
def test_tampered_header_gives_a_danish_error_before_any_key_is_derived(tmp_path, monkeypatch,
                                                                        change):
    path = _written(tmp_path)
    _tamper(path, change)

    def no_key(*args, **kwargs):
        raise AssertionError("scrypt must not run for a damaged header")

    monkeypatch.setattr(vault_module, "_derive_key", no_key)
    with pytest.raises(DamagedVault, match=r"er beskadiget eller ændret: .+\. Intet er åbnet"):
        read_vault(path, PASSPHRASE)


@pytest.mark.parametrize("content", [
    b"ikke json",  # not JSON
    b"\xff\xfe\x00 binary",  # not UTF-8
    b"[" * 100_000,  # nesting deep enough for a RecursionError
    b"[]",
    b"{}",
    b'{"header": {"format": "effektspor-n\\u00f8glefil"}, "data": ""}',
], ids=["ikke-json", "ikke-utf8", "dyb-json", "liste", "tomt-objekt", "halvt-hoved"])
def test_a_file_that_is_no_key_file_says_so_in_danish(tmp_path, content):
    """Before: a RecursionError, or a generic error with an English detail in brackets."""
    path = tmp_path / "andet.effektspor-noegle"
    path.write_bytes(content)
    with pytest.raises(DamagedVault, match="beskadiget eller ændret") as caught:
        read_vault(path, PASSPHRASE)
    assert caught.value.reason


def test_a_huge_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "stor.effektspor-noegle"
    with path.open("wb") as handle:
        handle.truncate(2 * 1024**3)  # 2 GB, sparse: costs no disk and is never read

    def no_read(*args, **kwargs):
        raise AssertionError("a file over the limit must not be read")

    monkeypatch.setattr(vault_module, "decrypt_vault", no_read)
    with pytest.raises(DamagedVault, match="større end 512 MiB"):
        read_vault(path, PASSPHRASE)


def test_the_size_limit_holds_for_bytes_and_for_writing(tmp_path, monkeypatch):
    data = encrypt_vault(_contents(), PASSPHRASE)
    monkeypatch.setattr(vault_module, "MAX_VAULT_BYTES", len(data) - 1)
    with pytest.raises(DamagedVault, match="større end"):
        decrypt_vault(data, PASSPHRASE)
    path = tmp_path / "v.effektspor-noegle"
    with pytest.raises(EffektsporError, match="Intet er skrevet"):
        write_vault(path, _contents(), PASSPHRASE)
    assert not path.exists()


def test_an_intact_file_still_opens_and_a_wrong_passphrase_is_still_that(tmp_path):
    path = _written(tmp_path)
    assert read_vault(path, PASSPHRASE).lookup("Barn 1")[0].originals == ["Freja Holm"]
    with pytest.raises(WrongPassphrase, match="Forkert adgangskode") as caught:
        read_vault(path, "forkert kode 123")
    assert isinstance(caught.value, VaultError) and "forkert kode" not in str(caught.value)
    _tamper(path, _set("written", "2000-01-01T00:00:00+00:00"))  # authenticated field
    with pytest.raises(WrongPassphrase):
        read_vault(path, PASSPHRASE)


def _project_vault(project, tmp_path):
    folder = tmp_path / "nøgler"
    path = folder / "v.effektspor-noegle"
    write_vault(path, _contents(), PASSPHRASE)
    return path


def _refusals(project) -> list:
    with project.sessions() as session:
        return list_events(session, project_id=project.project_id,
                           action="genidentifikation_afvist")


def test_reidentify_logs_a_damaged_file_with_the_reason(project, tmp_path):
    path = _project_vault(project, tmp_path)
    _tamper(path, _set("n", 2**40))
    with pytest.raises(DamagedVault, match="beskadiget eller ændret"):
        reidentify(project, admin="Admin A", vault_path=path, passphrase=PASSPHRASE,
                   pseudonym="Barn 1")
    events = _refusals(project)
    assert len(events) == 1
    details = events[0].details
    assert events[0].actor == "Admin A" and details["pseudonym"] == "Barn 1"
    assert details["fejltype"] == "DamagedVault" and "scrypt" in details["årsag"]
    assert PASSPHRASE not in json.dumps(details, ensure_ascii=False)


def test_reidentify_logs_a_wrong_passphrase_without_it(project, tmp_path):
    path = _project_vault(project, tmp_path)
    wrong = "min hemmelige forkerte kode"
    with pytest.raises(WrongPassphrase):
        reidentify(project, admin="Admin A", vault_path=path, passphrase=wrong, case="sag-1")
    details = _refusals(project)[0].details
    assert details["fejltype"] == "WrongPassphrase" and details["sag"] == "sag-1"
    assert details["årsag"] and wrong not in json.dumps(details, ensure_ascii=False)
    entries = reidentify(project, admin="Admin A", vault_path=path, passphrase=PASSPHRASE,
                         case="sag-1")
    assert [e.pseudonym for e in entries] == ["Barn 1"] and len(_refusals(project)) == 1

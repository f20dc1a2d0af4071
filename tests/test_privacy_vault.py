"""The key vault: round trip, wrong passphrase, tampering, short passphrase."""

import json

import pytest

from effektspor.domain.errors import EffektsporError
from effektspor.privacy.vault import (
    VaultContents,
    VaultEntry,
    WrongPassphrase,
    read_vault,
    write_vault,
)

PASSPHRASE = "korrekt hest batteri"


def _contents():
    return VaultContents(project="Test", entries=[
        VaultEntry("sag-1", "NAVN", "Barn 1", ["Freja Holm", "Frejas"], "barn"),
        VaultEntry("sag-1", "CPR", "[cpr 1]", ["150318-4127"])])


def test_round_trip(tmp_path):
    path = tmp_path / "nøgler" / "test.effektspor-noegle"
    write_vault(path, _contents(), PASSPHRASE)
    raw = path.read_text(encoding="utf-8")
    assert "Freja" not in raw and "150318" not in raw
    opened = read_vault(path, PASSPHRASE)
    assert opened.lookup("barn 1")[0].originals == ["Freja Holm", "Frejas"]
    assert opened.lookup(scope="sag-1")[1].originals == ["150318-4127"]


def test_wrong_passphrase_gives_danish_error(tmp_path):
    path = tmp_path / "v.effektspor-noegle"
    write_vault(path, _contents(), PASSPHRASE)
    with pytest.raises(WrongPassphrase, match="Forkert adgangskode"):
        read_vault(path, "forkert kode 123")


def test_tampered_header_is_refused(tmp_path):
    path = tmp_path / "v.effektspor-noegle"
    write_vault(path, _contents(), PASSPHRASE)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["header"]["vault_id"] = "ændret"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(WrongPassphrase):
        read_vault(path, PASSPHRASE)


def test_short_passphrase_and_not_a_vault(tmp_path):
    with pytest.raises(EffektsporError, match="mindst 8 tegn"):
        write_vault(tmp_path / "v", _contents(), "kort")
    other = tmp_path / "andet.json"
    other.write_text("{}", encoding="utf-8")
    with pytest.raises(EffektsporError, match="ikke en effektspor-nøglefil"):
        read_vault(other, PASSPHRASE)

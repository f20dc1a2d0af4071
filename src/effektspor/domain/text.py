"""Text normalisation and content hashing.

All stored text is NFC-normalised with ``\\n`` line ends, so character offsets (Unicode
code points) of codings and pseudonyms stay valid, and equal content hashes to the same
value whatever system exported it.
"""

from __future__ import annotations

import hashlib
import unicodedata


def normalise_text(text: str) -> str:
    """Return ``text`` in NFC with Unix line ends (page breaks too) and stripped."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\f" in text or "\v" in text:  # page breaks (pdftotext) and vertical tabs
        text = text.replace("\f", "\n").replace("\v", "\n")
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text.strip()


def content_hash(*parts: str) -> str:
    """A stable hash (hex, 32 characters) of the given parts, separated unambiguously."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def keyed_hash(key: str, digest: str) -> str:
    """``digest`` (a :func:`content_hash`) hashed again under the secret ``key`` (hex).

    Pseudonymised rows keep only this keyed hash, so a re-import of the same material is
    still recognised by whoever holds the key (the key file), while nobody with the
    database alone can test a guessed name or CPR number against the stored hash.
    """
    keyed = hashlib.blake2b(digest.encode("ascii"), digest_size=16, key=bytes.fromhex(key),
                            person=b"effektspor-id")
    return keyed.hexdigest()


KEYED_ID_PREFIX = "nøglet:"


def keyed_source_id(key: str, source_id: str) -> str:
    """A source id (e.g. a document's file name) that held a name, as stored once the row
    is pseudonymised: recognisable with the key, meaningless without it."""
    return KEYED_ID_PREFIX + keyed_hash(key, content_hash(source_id))

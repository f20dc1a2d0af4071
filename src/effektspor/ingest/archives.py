"""Checking a ZIP-based file (XLSX, DOCX) before a library unpacks it.

openpyxl and python-docx trust the archive: a file of a few hundred kilobytes can unpack
to gigabytes of XML (a "zip bomb") or millions of tiny strings. The central directory
lists every member's uncompressed size; Python's ``zipfile`` never returns more than that
size (and fails on a wrong checksum), so checking the listed sizes before opening bounds
what the library will read.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from effektspor.domain.formatting import format_number
from effektspor.ingest.decoding import binary_format

_MB = 1 << 20


@dataclass(frozen=True)
class ZipLimits:
    """What one ZIP-based file may hold (uncompressed bytes, and per named part)."""

    kind: str  # 'XLSX' or 'DOCX', for messages
    old_format: str  # the older binary format it is confused with ('.xls', '.doc')
    max_members: int
    max_part_bytes: int
    max_total_bytes: int
    max_ratio: int
    #: Lower limits for parts that are held in memory whole (e.g. the shared strings).
    part_limits: dict[str, int] = field(default_factory=dict)
    #: Parts smaller than this are not checked for their compression ratio.
    ratio_from_bytes: int = _MB


def _mb(size: int) -> str:
    return f"{format_number(size / _MB, 0)} MB"


def zip_problem(path: Path, limits: ZipLimits) -> str | None:
    """None if the file may be opened; otherwise the Danish reason why not."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    if not head.startswith(b"PK"):
        what = binary_format(head)
        if what and what.startswith("et ældre Office"):
            return (f"filen kan ikke læses som {limits.kind}: den er {what}. Er den beskyttet "
                    "med adgangskode, så gem den uden; er den i det gamle format "
                    f"{limits.old_format}, så gem den som .{limits.kind.lower()}")
        shown = f"; den er {what}" if what else ""
        return (f"filen kan ikke læses som {limits.kind}: den er ikke et ZIP-arkiv, som en "
                f".{limits.kind.lower()}-fil altid er{shown}")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except Exception as error:  # zipfile raises several kinds for a broken archive
        return (f"filen kan ikke læses som {limits.kind} (beskadiget ZIP-arkiv: "
                f"{type(error).__name__})")
    if len(members) > limits.max_members:
        return (f"filen indeholder {len(members)} dele; en {limits.kind}-fil må højst have "
                f"{limits.max_members}")
    total = 0
    for member in members:
        size = member.file_size
        total += size
        limit = limits.part_limits.get(member.filename, limits.max_part_bytes)
        if size > limit:
            return (f"delen '{member.filename}' fylder {_mb(size)} udpakket; højst "
                    f"{_mb(limit)} kan læses. Gem arket/dokumentet i mindre dele, eller (for "
                    "tabeller) som CSV")
        if (size >= limits.ratio_from_bytes
                and size > limits.max_ratio * max(member.compress_size, 1)):
            ratio = size // max(member.compress_size, 1)
            return (f"delen '{member.filename}' pakkes ud til {ratio} gange sin størrelse "
                    f"({_mb(size)}); højst {limits.max_ratio} gange er tilladt. Filen ligner en "
                    "'zip-bombe' og læses ikke – gem den på ny fra det program, der lavede den")
    if total > limits.max_total_bytes:
        return (f"filen fylder {_mb(total)} udpakket; højst {_mb(limits.max_total_bytes)} kan "
                "læses. Del den op, eller (for tabeller) gem den som CSV")
    return None

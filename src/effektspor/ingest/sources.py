"""What can be imported: the kinds of material, their fields, and one source to read.

A *source* is one file (or one folder of documents) of one kind, with how to read it:
column → field mapping, date format, CSV delimiter/encoding, XLSX sheet, file-name
pattern. The standard layout and the mapping file both produce ``SourceSpec`` objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

#: The kinds of material, in the order they are imported (cases before what refers to them).
KINDS: tuple[str, ...] = ("sager", "personer", "bevillinger", "notater", "dokumenter")

#: Danish singular of each kind, for messages.
KIND_LABELS: dict[str, str] = {
    "sager": "sag", "notater": "notat", "dokumenter": "dokument",
    "bevillinger": "bevilling", "personer": "person",
}

#: Required fields per kind (the standard layout's column names).
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "sager": ("sag_id",),
    "notater": ("sag_id", "dato", "opmærksomhedspunkt", "tekst"),
    "bevillinger": ("sag_id",),
    "personer": ("sag_id", "rolle", "navn"),
    "dokumenter": ("sag_id", "dokumenttype", "tekst"),
}

#: Optional fields per kind.
OPTIONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "sager": ("team", "startdato", "slutdato", "afsluttet"),
    "notater": ("forfatterrolle", "forfatter", "notat_id"),
    "bevillinger": ("startdato", "slutdato", "lovgrundlag", "indsats", "bevilling_id"),
    "personer": ("cpr",),
    "dokumenter": ("dato", "titel", "dokument_id"),
}

#: Longest value a field may hold (the column sizes of the store).
FIELD_LIMITS: dict[str, int] = {
    "sag_id": 100, "team": 120, "forfatterrolle": 60, "forfatter": 120, "notat_id": 200,
    "lovgrundlag": 120, "indsats": 300, "bevilling_id": 200, "rolle": 60, "navn": 200,
    "titel": 300, "dokument_id": 200, "opmærksomhedspunkt": 200, "dokumenttype": 60,
}

#: File names of the standard layout, per kind.
STANDARD_FILES: dict[str, str] = {
    "sager.csv": "sager", "notater.csv": "notater", "bevillinger.csv": "bevillinger",
    "personer.csv": "personer",
}
STANDARD_DOCUMENT_FOLDER = "dokumenter"

#: File formats by extension.
TABLE_FORMATS: dict[str, str] = {".csv": "csv", ".tsv": "csv",
                                 ".xlsx": "xlsx", ".xlsm": "xlsx", ".jsonl": "jsonl",
                                 ".ndjson": "jsonl"}
DOCUMENT_EXTENSIONS: tuple[str, ...] = (".txt", ".docx", ".pdf")

#: The standard document file name: <sag_id>_<date>_<type and optional title>.<ext>
STANDARD_DOCUMENT_NAME = re.compile(
    r"^(?P<sag>[^_]+)_(?P<dato>\d{4}-\d{2}-\d{2}|\d{2}-\d{2}-\d{4})_(?P<resten>.+)$")


def all_fields(kind: str) -> tuple[str, ...]:
    """Every field a source of ``kind`` can fill, required ones first."""
    return REQUIRED_FIELDS[kind] + OPTIONAL_FIELDS[kind]


def is_skipped_name(name: str) -> bool:
    """Files and folders whose name starts with '_' or '.' are skipped on purpose."""
    return name.startswith(("_", "."))


@dataclass(frozen=True)
class SourceSpec:
    """One file or document folder to import, and how to read it.

    ``columns`` maps a source column name to a field name; None means the columns
    already carry the standard field names. ``strict_columns`` makes unknown columns a
    problem (standard layout); otherwise unmapped columns are left out and reported as
    unused. For cases, unmapped columns become free case attributes.
    """

    kind: str
    path: Path
    display: str
    format: str  # csv | xlsx | jsonl | folder
    columns: dict[str, str] | None = None
    date_format: str | None = None
    delimiter: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    filename_pattern: re.Pattern[str] | None = None
    document_type: str | None = None
    scheme_version: str | None = None
    strict_columns: bool = True

    def size(self) -> int:
        """Bytes to read (the file, or every document in the folder), for progress."""
        if self.format == "folder":
            return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())
        return self.path.stat().st_size if self.path.exists() else 0

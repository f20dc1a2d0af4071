"""Documents: text from TXT, DOCX and PDF files, and folders of such files.

A document folder holds one file per document; its name says case, date, type and
title (the standard ``<sag_id>_<ÅÅÅÅ-MM-DD>_<dokumenttype>[_<titel>].<txt|docx|pdf>``, or
a regular expression with named groups from the mapping file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from effektspor.domain.errors import Problem
from effektspor.ingest.archives import ZipLimits, zip_problem
from effektspor.ingest.decoding import (
    binary_format,
    bom_encoding,
    detect_encoding,
    not_text_message,
    printable,
)
from effektspor.ingest.sources import (
    DOCUMENT_EXTENSIONS,
    STANDARD_DOCUMENT_NAME,
    SourceSpec,
    is_skipped_name,
)
from effektspor.ingest.tabular import Advance, Row

_MB = 1 << 20
#: What a DOCX archive may hold before python-docx opens it (it loads every part).
DOCX_LIMITS = ZipLimits(kind="DOCX", old_format=".doc", max_members=10_000,
                        max_part_bytes=256 * _MB, max_total_bytes=512 * _MB, max_ratio=100,
                        part_limits={"word/document.xml": 128 * _MB})


class DocumentReadError(Exception):
    """A document's text could not be read; the message is Danish and says what to do."""


def extract_text(path: Path) -> str:
    """The text of a TXT, DOCX or PDF file (DOCX: paragraphs and tables in order)."""
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return _text_of_txt(path)
    if suffix == ".docx":
        return _text_of_docx(path)
    if suffix == ".pdf":
        return _text_of_pdf(path)
    raise DocumentReadError(
        f"filtypen '{suffix}' kendes ikke (brug {', '.join(DOCUMENT_EXTENSIONS)})")


def _text_of_txt(path: Path) -> str:
    data = path.read_bytes()
    if bom_encoding(data) is None:
        what = binary_format(data)
        if what:
            raise DocumentReadError(not_text_message(what))
    encoding = detect_encoding(data)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise DocumentReadError(
            f"filen er ikke gyldig tekst i tegnsættet {encoding}; gem den som UTF-8") from error


def _text_of_docx(path: Path) -> str:
    refused = zip_problem(path, DOCX_LIMITS)
    if refused:
        raise DocumentReadError(refused)
    try:
        return _docx_paragraphs_and_tables(path)
    except RecursionError as error:
        raise DocumentReadError(
            "DOCX-filen er indlejret for dybt (beskadiget eller usædvanlig); åbn den i Word og "
            "gem den som et nyt dokument") from error
    except Exception as error:  # python-docx and lxml raise many kinds for a broken file
        raise DocumentReadError(
            f"filen kan ikke læses som DOCX ({type(error).__name__}); er den gemt som "
            "Word-dokument (.docx)? Åbn den i Word og gem den igen") from error


def _docx_paragraphs_and_tables(path: Path) -> str:
    import docx  # python-docx; imported here as only DOCX sources need it
    from docx.table import Table

    document = docx.Document(str(path))
    parts: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = cell.text.strip()
                    if text and (not cells or cells[-1] != text):  # merged cells repeat
                        cells.append(text)
                if cells:
                    parts.append("\t".join(cells))
        else:
            parts.append(block.text)
    return "\n".join(parts)


_ENCRYPTED_PDF = ("PDF-filen er krypteret (beskyttet med adgangskode), så teksten kan ikke "
                  "læses. Åbn den med adgangskoden, og gem den som en ny PDF uden adgangskode "
                  "(fx med 'Udskriv' → 'Gem som PDF'), og importér igen")


def _opens_without_password(reader) -> bool:
    """True if an encrypted PDF has only an owner password (it opens with the empty one)."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # an unsupported encryption: it cannot be read either way
        return False


def _text_of_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    with open(path, "rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" not in head:
        what = binary_format(head)
        shown = f", men {what}" if what else " (den begynder ikke med %PDF)"
        raise DocumentReadError(f"filen er ikke en PDF-fil{shown}; er den omdøbt fra et "
                                "andet format?")
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not _opens_without_password(reader):
            raise DocumentReadError(_ENCRYPTED_PDF)
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentReadError:
        raise
    except FileNotDecryptedError as error:
        raise DocumentReadError(_ENCRYPTED_PDF) from error
    except RecursionError as error:
        raise DocumentReadError(
            "PDF-filen er indlejret for dybt til at blive læst (beskadiget eller usædvanlig "
            "opbygning); åbn den, og gem eller udskriv den som en ny PDF") from error
    except Exception as error:  # pypdf raises many kinds for a broken file
        raise DocumentReadError(
            f"filen kan ikke læses som PDF ({type(error).__name__}); er den beskadiget? Åbn "
            "den, og gem den som en ny PDF") from error
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text.strip():
        raise DocumentReadError(
            "PDF-filen har intet tekstlag (den er formentlig skannet som billede). "
            "Kør tekstgenkendelse (OCR) på den først, fx med 'ocrmypdf', og importér igen")
    return text


def _standard_name_fields(stem: str, known_type: Callable[[str], str | None]
                          ) -> dict[str, str] | None:
    match = STANDARD_DOCUMENT_NAME.match(stem)
    if not match:
        return None
    parts = match.group("resten").split("_")
    # Type codes may contain '_' (boernefaglig_undersoegelse): take the longest known prefix.
    for cut in range(len(parts), 0, -1):
        candidate = "_".join(parts[:cut])
        if known_type(candidate):
            doc_type, title = candidate, " ".join(parts[cut:])
            break
    else:
        doc_type, title = parts[0], " ".join(parts[1:])
    return {"sag_id": match.group("sag"), "dato": match.group("dato"),
            "dokumenttype": doc_type, "titel": title}


def _walk(folder: Path, skipped: list[str], base: Path) -> Iterator[Path]:
    for entry in sorted(folder.iterdir()):
        relative = printable(entry.relative_to(base).as_posix())
        if is_skipped_name(entry.name):
            skipped.append(relative)
        elif entry.is_dir():
            yield from _walk(entry, skipped, base)
        else:
            yield entry


def read_document_folder(spec: SourceSpec, known_type: Callable[[str], str | None],
                         skipped: list[str], advance: Advance | None = None
                         ) -> Iterator[Row | Problem]:
    """Yield one row per document file of the folder (fields as a document table row).

    ``known_type`` tells whether a spelling is a document type (to split the standard
    name); skipped names ('_' or '.') are appended to ``skipped``.
    """
    for path in _walk(spec.path, skipped, spec.path.parent):
        name = path.relative_to(spec.path).as_posix()  # checked with the other fields
        display = f"{spec.display}/{printable(name)}"
        size = path.stat().st_size
        try:
            if path.suffix.lower() not in DOCUMENT_EXTENSIONS:
                yield Problem(f"filtypen '{path.suffix}' kendes ikke i en dokumentmappe "
                              f"(brug {', '.join(DOCUMENT_EXTENSIONS)}); omdøb filen med '_' "
                              "foran for at springe den over", display)
                continue
            if spec.filename_pattern is not None:
                match = spec.filename_pattern.search(path.stem)
                fields = ({k: v.strip() for k, v in match.groupdict().items() if v is not None}
                          if match else None)
                if fields is not None:
                    fields = {_GROUP_FIELDS.get(k, k): v for k, v in fields.items()}
                expected = f"mønsteret '{spec.filename_pattern.pattern}'"
            else:
                fields = _standard_name_fields(path.stem, known_type)
                expected = "<sag_id>_<ÅÅÅÅ-MM-DD>_<dokumenttype>[_<titel>]"
            if fields is None:
                yield Problem(f"filnavnet passer ikke til {expected}", display, None, "filnavn")
                continue
            try:
                fields["tekst"] = extract_text(path).strip()
            except DocumentReadError as error:
                yield Problem(str(error), display)
                continue
            fields["dokument_id"] = name
            fields.setdefault("titel", "")
            yield Row(None, fields)
        finally:
            if advance:
                advance(size)


_GROUP_FIELDS = {"sag": "sag_id", "sag_id": "sag_id", "dato": "dato",
                 "dokumenttype": "dokumenttype", "type": "dokumenttype", "titel": "titel"}

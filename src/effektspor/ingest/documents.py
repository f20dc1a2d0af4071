"""Documents: text from TXT, DOCX and PDF files, and folders of such files.

A document folder holds one file per document; its name says case, date, type and
title (the standard ``<sag_id>_<ÅÅÅÅ-MM-DD>_<dokumenttype>[_<titel>].<txt|docx|pdf>``, or
a regular expression with named groups from the mapping file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from effektspor.domain.errors import Problem
from effektspor.ingest.sources import (
    DOCUMENT_EXTENSIONS,
    STANDARD_DOCUMENT_NAME,
    SourceSpec,
    is_skipped_name,
)
from effektspor.ingest.tabular import Advance, Row, detect_encoding


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
    encoding = detect_encoding(data)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise DocumentReadError(
            f"filen er ikke gyldig tekst i tegnsættet {encoding}; gem den som UTF-8") from error


def _text_of_docx(path: Path) -> str:
    import docx  # python-docx; imported here as only DOCX sources need it
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises several kinds for a broken file
        raise DocumentReadError(
            f"filen kan ikke læses som DOCX ({type(error).__name__}); er den gemt som "
            "Word-dokument (.docx)?") from error
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


def _text_of_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, OSError) as error:
        raise DocumentReadError(
            f"filen kan ikke læses som PDF ({type(error).__name__})") from error
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
        relative = entry.relative_to(base).as_posix()
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
        name = path.relative_to(spec.path).as_posix()
        display = f"{spec.display}/{name}"
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

"""Every reader: CSV variants, XLSX, JSONL, DOCX, PDF (with and without text layer), TXT."""

from __future__ import annotations

import json
from datetime import datetime

import docx
import openpyxl
import pytest
from sqlalchemy import select

from effektspor.domain.errors import ValidationError
from effektspor.ingest.documents import DocumentReadError, extract_text
from effektspor.services.importing.imports import import_paths
from effektspor.store import tables as t
from ingest_helpers import row_counts

HEADER = ["sag_id", "dato", "opmærksomhedspunkt", "forfatterrolle", "tekst"]
ROWS = [["S1", "2019-02-01", "Samvær", "familiebehandler", "Far kom til tiden; glad dreng."],
        ["S2", "07-03-2019", "Netværk", "familiestøtte", "Mormor hjælper, og øjenkontakt."]]


def tiny_pdf(content: bytes) -> bytes:
    """A valid one-page PDF whose page draws ``content`` (a content stream)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 144] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _notes(project) -> list[tuple[str, str]]:
    with project.sessions() as session:
        return sorted(session.execute(select(t.Note.note_date, t.Note.text)).all())


@pytest.mark.parametrize("delimiter,encoding", [(";", "utf-8"), (",", "utf-8-sig"),
                                                (",", "cp1252"), ("\t", "utf-8")])
def test_csv_variants_are_sniffed(project, tmp_path, delimiter, encoding):
    lines = [delimiter.join(HEADER)]
    for row in ROWS:
        lines.append(delimiter.join(f'"{v}"' for v in row))
    path = tmp_path / "dagbog.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    summary = import_paths(project, [path], kind="notater", actor="test")
    assert summary.notes == 2
    texts = [text for _, text in _notes(project)]
    assert texts == [ROWS[0][4], ROWS[1][4]]


def test_xlsx_notes_with_real_dates(project, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["S1", datetime(2019, 2, 1), "Samvær", "familiebehandler", "Tekst et"])
    sheet.append([12.0, "2019-03-07", "Netværk", None, "Tekst to"])
    sheet.append([None, None, None, None, None])
    path = tmp_path / "notater.xlsx"
    workbook.save(path)
    summary = import_paths(project, [path], actor="test")
    assert summary.notes == 2 and summary.cases_created_from == {"notater": 2}
    with project.sessions() as session:
        assert sorted(session.scalars(select(t.Case.external_id))) == ["12", "S1"]


def test_jsonl_notes_and_bad_line(project, tmp_path):
    path = tmp_path / "notater.jsonl"
    good = [dict(zip(HEADER, row, strict=True)) for row in ROWS]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in good) + "\n",
                    encoding="utf-8")
    assert import_paths(project, [path], actor="test").notes == 2
    path.write_text(json.dumps(good[0]) + "\n{ikke json\n[1, 2]\n", encoding="utf-8")
    before = row_counts(project)
    with pytest.raises(ValidationError) as caught:
        import_paths(project, [path], actor="test")
    shown = [str(p) for p in caught.value.problems]
    assert any("notater.jsonl, linje 2" in s and "ikke gyldig JSON" in s for s in shown)
    assert any("linje 3" in s and "JSON-objekt" in s for s in shown)
    assert row_counts(project) == before


def _docx(path, paragraphs, table):
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    grid = document.add_table(rows=len(table), cols=len(table[0]))
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            grid.cell(r, c).text = value
    document.save(path)


def test_document_folder_with_txt_docx_pdf(project, tmp_path):
    docs = tmp_path / "eksport" / "dokumenter"
    docs.mkdir(parents=True)
    (docs / "S1_2019-01-15_handleplan.txt").write_bytes("Mål: tryg hverdag for barnet.".encode(
        "cp1252"))
    _docx(docs / "S1_2019-05-01_boernefaglig_undersoegelse_Første undersøgelse.docx",
          ["Undersøgelsen viser behov.", "Anbefaling: familiebehandling."],
          [["Område", "Vurdering"], ["Skole", "Bekymring"]])
    (docs / "S1_2019-09-30_udskrivningsrapport.pdf").write_bytes(tiny_pdf(
        b"BT /F1 12 Tf 20 100 Td (Udskrivningsrapport: m\\345lene er n\\345et) Tj ET"))
    summary = import_paths(project, [tmp_path / "eksport"], actor="test")
    assert summary.documents_by_type == {"Handleplan": 1, "Børnefaglig undersøgelse": 1,
                                         "Udskrivningsrapport": 1}
    with project.sessions() as session:
        docs_by_type = {d.doc_type: d for d in session.scalars(select(t.Document))}
    bfu = docs_by_type["boernefaglig_undersoegelse"]
    assert bfu.title == "Første undersøgelse"
    assert bfu.text.splitlines() == ["Undersøgelsen viser behov.", "Anbefaling: familiebehandling.",
                                     "Område\tVurdering", "Skole\tBekymring"]
    assert docs_by_type["handleplan"].text == "Mål: tryg hverdag for barnet."
    assert "målene er nået" in docs_by_type["udskrivningsrapport"].text


def test_pdf_without_text_layer_asks_for_ocr(project, tmp_path):
    docs = tmp_path / "eksport" / "dokumenter"
    docs.mkdir(parents=True)
    scanned = docs / "S1_2019-09-30_udskrivningsrapport.pdf"
    scanned.write_bytes(tiny_pdf(b"0 0 m 300 100 l S"))
    with pytest.raises(DocumentReadError, match="intet tekstlag.*OCR"):
        extract_text(scanned)
    (docs / "S1_2019-09-29_statusrapport.pdf").write_bytes(b"%PDF-1.4 dette er ikke en pdf")
    (docs / "S1_2019-09-28_handleplan.docx").write_bytes(b"ikke en docx")
    before = row_counts(project)
    with pytest.raises(ValidationError) as caught:
        import_paths(project, [tmp_path / "eksport"], actor="test")
    shown = [str(p) for p in caught.value.problems]
    assert any("S1_2019-09-30_udskrivningsrapport.pdf: PDF-filen har intet tekstlag" in s
               for s in shown)
    assert any("statusrapport.pdf: filen kan ikke læses som PDF" in s for s in shown)
    assert any("handleplan.docx: filen kan ikke læses som DOCX" in s for s in shown)
    assert row_counts(project) == before


def test_broken_csv_files_give_place_and_change_nothing(project, tmp_path):
    export = tmp_path / "eksport"
    export.mkdir()
    # Valid UTF-8 for the first megabyte (so UTF-8 is detected), then a Windows-1252 byte.
    (export / "notater.csv").write_bytes(
        (";".join(HEADER) + "\nS1;2019-02-01;Samvær;x;").encode() + b"a" * (1 << 20)
        + b"\nS1;2019-02-02;Samv\xe6r;x;tekst\n")
    (export / "sager.csv").write_text(
        "sag_id;team;startdato\nS1;\"Sand\" play;2019-01-01\nS3;Sandplay;2019-01-01\n"
        "S2;Sandplay;\"2019-01-01\n", "utf-8")
    (export / "bevillinger.csv").write_text("sag_id;start\nS1;2019\n", encoding="utf-8")
    before = row_counts(project)
    with pytest.raises(ValidationError) as caught:
        import_paths(project, [export], actor="test")
    shown = [str(p) for p in caught.value.problems]
    assert any(s.startswith("eksport/sager.csv, linje 2: rækken kan ikke læses som CSV: efter "
                            "et afsluttende anførselstegn") for s in shown)
    assert "eksport/sager.csv, linje 4: rækken kan ikke læses som CSV: et anførselstegn bliver " \
           "aldrig lukket (filen slutter midt i et felt)" in shown
    assert any("bevillinger.csv, linje 1, felt 'start': ukendt kolonne" in s for s in shown)
    assert any("notater.csv, linje" in s and "tegnsættet utf-8" in s for s in shown)
    assert row_counts(project) == before


def test_unknown_single_file_needs_type(project, tmp_path):
    path = tmp_path / "eksport.csv"
    path.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="problem") as caught:
        import_paths(project, [path], actor="test")
    assert "angiv --type" in str(caught.value.problems[0])


def test_documents_as_jsonl_table(project, tmp_path):
    path = tmp_path / "breve.jsonl"
    rows = [{"sag_id": "S1", "dokumenttype": "Statusrapport", "dato": "2019-06-01",
             "titel": "Halvår", "tekst": "Status: fremgang.", "dokument_id": "D1"},
            {"sag_id": "S1", "dokumenttype": "bfu", "tekst": "Undersøgelse.", "dokument_id": 2}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    summary = import_paths(project, [path], kind="dokumenter", actor="test")
    assert summary.documents_by_type == {"Statusrapport": 1, "Børnefaglig undersøgelse": 1}
    with project.sessions() as session:
        ids = sorted(session.scalars(select(t.Document.external_id)))
    assert ids == ["2", "D1"]


def test_empty_document_is_a_problem(project, tmp_path):
    docs = tmp_path / "eksport" / "dokumenter"
    docs.mkdir(parents=True)
    (docs / "S1_2019-01-15_handleplan.txt").write_text("  \n \n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        import_paths(project, [tmp_path / "eksport"], actor="test")
    assert [str(p) for p in caught.value.problems] == [
        "eksport/dokumenter/S1_2019-01-15_handleplan.txt, felt 'tekst': dokumentet har ingen tekst"]


def test_broken_xlsx_and_duplicate_case_ids(project, tmp_path):
    export = tmp_path / "eksport"
    export.mkdir()
    (export / "sager.csv").write_text("sag_id;team\nS1;Sandplay\nS1;Sandplay\n", "utf-8")
    broken = tmp_path / "notater.xlsx"
    broken.write_bytes(b"PK\x03\x04 ikke et regneark")
    before = row_counts(project)
    with pytest.raises(ValidationError) as caught:
        import_paths(project, [export, broken], actor="test")
    shown = [str(p) for p in caught.value.problems]
    assert "eksport/sager.csv, linje 3, felt 'sag_id': sag_id 'S1' står flere gange (også " \
           "eksport/sager.csv linje 2)" in shown
    assert any("notater.xlsx: filen kan ikke læses "
               "som XLSX" in s for s in shown)
    assert row_counts(project) == before


def test_very_long_text_field(project, tmp_path):
    long_text = "Langt notat om samvær og hverdag. " * 6000  # ~200 KB, above csv's default limit
    path = tmp_path / "notater.csv"
    path.write_text(";".join(HEADER) + f'\nS1;2019-02-01;Samvær;x;"{long_text}"\n', "utf-8")
    assert import_paths(project, [path], actor="test").notes == 1
    assert _notes(project)[0][1] == long_text.strip()

"""Hostile and odd input files: every reader decodes them or refuses them in Danish.

Each test feeds one kind of file that used to be stored wrongly (UTF-16 with NULs between
the characters), crash (tracebacks from csv, json, pypdf, psycopg) or run for minutes
(XLSX with a huge declared range), and checks the Danish problem and that nothing was
stored. All names and CPR numbers are synthetic.
"""

from __future__ import annotations

import codecs
import io
import json
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import docx
import openpyxl
import pytest
from sqlalchemy import select

from effektspor.domain.errors import ValidationError
from effektspor.ingest import spreadsheet
from effektspor.ingest.archives import ZipLimits
from effektspor.ingest.decoding import (
    FORBIDDEN_CHARACTERS,
    detect_encoding,
    forbidden_character,
    is_storable,
)
from effektspor.ingest.documents import DocumentReadError, extract_text
from effektspor.services.importing.imports import import_paths
from effektspor.store import tables as t
from ingest_helpers import row_counts
from test_ingest_formats import tiny_pdf

NOTE_HEADER = "sag_id;dato;opmærksomhedspunkt;forfatterrolle;tekst"
NOTE_ROW = "S1;2019-02-01;Samvær;familiebehandler;Mor Testesen kom til samvær med Testdreng."


def _refused(project, paths, **kwargs) -> list[str]:
    """Import ``paths``, expect a ValidationError, check nothing changed; the problems."""
    before = row_counts(project)
    with pytest.raises(ValidationError) as caught:
        import_paths(project, paths, actor="test", **kwargs)
    assert row_counts(project) == before
    return [str(p) for p in caught.value.problems]


def _note_texts(project) -> list[str]:
    with project.sessions() as session:
        return sorted(session.scalars(select(t.Note.text)))


# -- 1. encodings ---------------------------------------------------------------------

def _encode(text: str, encoding: str) -> bytes:
    boms = {"utf-16-le+bom": (codecs.BOM_UTF16_LE, "utf-16-le"),
            "utf-16-be+bom": (codecs.BOM_UTF16_BE, "utf-16-be"),
            "utf-32-be+bom": (codecs.BOM_UTF32_BE, "utf-32-be")}
    if encoding in boms:
        bom, codec = boms[encoding]
        return bom + text.encode(codec)
    return text.encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le+bom", "utf-16-be+bom", "utf-32",
                                      "utf-32-be+bom", "utf-8-sig", "utf-16-le", "utf-16-be"])
def test_utf16_and_utf32_csv_are_decoded(project, tmp_path, encoding):
    """UTF-16/32 with a BOM, and UTF-16 without one, are read as text (not with NULs)."""
    export = tmp_path / "eksport"
    export.mkdir()
    (export / "sager.csv").write_bytes(_encode(
        "sag_id;team;bopæl\r\nS1;Sandplay;Åby Østergård\r\n", encoding))
    (export / "notater.csv").write_bytes(_encode(f"{NOTE_HEADER}\r\n{NOTE_ROW}\r\n", encoding))
    summary = import_paths(project, [export], actor="test")
    assert summary.notes == 1 and summary.cases_created == 1
    assert _note_texts(project) == [NOTE_ROW.split(";")[-1]]
    with project.sessions() as session:
        case = session.scalars(select(t.Case)).one()
    assert case.attributes == {"bopæl": "Åby Østergård"}


def test_utf16_documents_mapping_and_jsonl(project, tmp_path):
    """TXT documents, JSONL and the mapping file understand UTF-16 with a BOM too."""
    export = tmp_path / "eksport"
    docs = export / "Breve"
    docs.mkdir(parents=True)
    (docs / "S1_2019-03-01_handleplan.txt").write_bytes("Mål for Testdreng: ro.".encode("utf-16"))
    (docs / "S1_2019-03-02_handleplan.txt").write_bytes(
        "Mål nummer to.".encode("utf-16-le"))  # no BOM: recognised by its NUL pattern
    rows = [{"sag_id": "S1", "dato": "2019-02-01", "opmærksomhedspunkt": "Samvær",
             "tekst": "Ærlig snak med mor."}]
    (export / "dagbog.jsonl").write_bytes(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode("utf-16"))
    mapping = tmp_path / "tilknytning.yaml"
    mapping.write_bytes(("kilder:\n  - mappe: Breve\n    art: dokumenter\n"
                         "  - fil: dagbog.jsonl\n    art: notater\n").encode("utf-16"))
    summary = import_paths(project, [export], mapping_file=mapping, actor="test")
    assert summary.notes == 1 and summary.documents == 2
    with project.sessions() as session:
        texts = sorted(session.scalars(select(t.Document.text)))
    assert texts == ["Mål for Testdreng: ro.", "Mål nummer to."]
    assert _note_texts(project) == ["Ærlig snak med mor."]


def test_detect_encoding():
    assert detect_encoding(codecs.BOM_UTF32_LE + "a".encode("utf-32-le")) == "utf-32"
    assert detect_encoding(codecs.BOM_UTF16_LE + "a".encode("utf-16-le")) == "utf-16"
    assert detect_encoding("sag_id;tekst\n".encode("utf-16-be")) == "utf-16-be"
    assert detect_encoding("Søren".encode()) == "utf-8"
    assert detect_encoding("Søren".encode("cp1252")) == "cp1252"


def test_utf32_without_bom_is_refused(project, tmp_path):
    """Not recognised, so not decoded: its NULs are refused, nothing is stored with them."""
    path = tmp_path / "notater.csv"
    path.write_bytes(f"{NOTE_HEADER}\n{NOTE_ROW}\n".encode("utf-32-le"))
    shown = _refused(project, [path])
    assert len(shown) == 5  # one for each column
    assert shown[0] == (f"{tmp_path.name}/notater.csv, linje 1: overskriften i kolonne nr. 1 "
                        "indeholder U+0000 (NUL) ved tegn nr. 2; filen er måske gemt i et andet "
                        "tegnsæt (fx UTF-16 uden BOM) eller er ikke en tekstfil")


# -- 2. control characters and lone surrogates ----------------------------------------

def test_nul_in_persons_is_refused_without_showing_the_person(project, tmp_path):
    path = tmp_path / "personer.csv"
    path.write_text("sag_id;rolle;navn;cpr\nS1;barn;Testbarn\x00Syntetisk;010112-1234\n"
                    "S1;mor;Testmor Syntetisk;020280-1234\n", encoding="utf-8")
    shown = _refused(project, [path])
    assert shown == [
        f"{tmp_path.name}/personer.csv, linje 2, felt 'navn': feltet indeholder U+0000 (NUL) ved "
        "tegn nr. 9, som ikke kan gemmes; filen er måske gemt i et andet tegnsæt (fx UTF-16 "
        "uden BOM) eller er beskadiget – ret eller fjern tegnet i kilden"]
    assert not any("Testbarn" in s or "Syntetisk" in s or "0101" in s for s in shown)


def test_control_characters_in_every_reader_are_refused(project, tmp_path):
    export = tmp_path / "eksport"
    docs = export / "dokumenter"
    docs.mkdir(parents=True)
    (export / "notater.csv").write_text(
        f"{NOTE_HEADER}\nS1;2019-02-01;Samvær;x;Tekst med escape \x1b[31m\n"
        "S1;2019-02-02;Samvær;x\x7f;Tekst\n", encoding="utf-8")
    (export / "sager.csv").write_text("sag_id;bopæl\nS1;b\x02y\n", encoding="utf-8")
    (docs / "S1_2019-03-01_handleplan.txt").write_text("Klokke\x07", encoding="utf-8")
    (docs / "S1_2019-03-02_hand\x01leplan.txt").write_text("Fint", encoding="utf-8")
    shown = _refused(project, [export])
    assert "eksport/notater.csv, linje 2, felt 'tekst': feltet indeholder U+001B (escape) " \
           "ved tegn nr. 18" in "\n".join(shown)
    assert any("notater.csv, linje 3, felt 'forfatterrolle': feltet indeholder U+007F (DEL)"
               in s for s in shown)
    assert any("sager.csv, linje 2, felt 'bopæl': feltet indeholder U+0002" in s for s in shown)
    assert any("S1_2019-03-01_handleplan.txt, felt 'tekst': feltet indeholder U+0007" in s
               for s in shown)
    assert any("dokumenter/S1_2019-03-02_hand\ufffdleplan.txt, felt 'dokument_id': feltet "
               "indeholder U+0001" in s for s in shown)
    assert len(shown) == 6  # the bad file name is in both 'dokumenttype' and 'dokument_id'
    assert not any("\x01" in s for s in shown)


def test_jsonl_nul_and_lone_surrogates_are_refused(project, tmp_path):
    path = tmp_path / "notater.jsonl"
    path.write_text(
        '{"sag_id": "S1", "dato": "2019-02-01", "opmærksomhedspunkt": "Samvær", '
        '"tekst": "halv \\ud800 surrogat"}\n'
        '{"sag_id": "S\\u0000", "dato": "2019-02-01", "opmærksomhedspunkt": "Samvær", '
        '"tekst": "ok"}\n'
        '{"sag_id": "S1", "dato": "\\udfff", "opmærksomhedspunkt": "Samvær", "tekst": "ok"}\n'
        '{"sag_id": "S1", "dato": "2019-02-01", "opmærksomhedspunkt": "Samvær", '
        '"tekst\\u0001": "ok"}\n', encoding="utf-8")
    shown = _refused(project, [path])
    assert any("linje 1, felt 'tekst': feltet indeholder U+D800 (et ugyldigt, enligt "
               "surrogattegn) ved tegn nr. 6" in s for s in shown)
    assert any("linje 2, felt 'sag_id': feltet indeholder U+0000 (NUL)" in s for s in shown)
    assert any("linje 3, felt 'dato': feltet indeholder U+DFFF" in s for s in shown)
    assert any("linje 4: overskriften i kolonne nr. 4 indeholder U+0001" in s for s in shown)
    for text in shown:
        text.encode("utf-8")  # every message can be printed


@pytest.mark.parametrize("base", ["kort", "Mor og far kom til samvær. " * 5,
                                  "Tekst med – og € og 😀 " * 5])
def test_fast_check_agrees_with_the_regex(base):
    for code in [*range(0x00, 0xA1), 0xD800, 0xDFFF, 0xFEFF, 0x2028]:
        for text in (chr(code) + base, base + chr(code), base[:3] + chr(code) + base[3:]):
            assert is_storable(text) == (FORBIDDEN_CHARACTERS.search(text) is None), hex(code)


def test_forbidden_character_allows_text_layout():
    assert forbidden_character("Linje 1\r\nLinje 2\tmed tabulator – æøå € “citat”") is None
    assert forbidden_character("a\x00") == "U+0000 (NUL) ved tegn nr. 2"
    assert forbidden_character("\x85") == "U+0085 (kontroltegn) ved tegn nr. 1"


# -- 3. tracebacks from csv, json and the document libraries --------------------------

def test_csv_header_with_unclosed_quote(project, tmp_path):
    path = tmp_path / "notater.csv"
    path.write_text('sag_id;"dato;opmærksomhedspunkt;tekst\nS1;2019-02-01;Samvær;x\n', "utf-8")
    assert _refused(project, [path]) == [
        f"{tmp_path.name}/notater.csv, linje 1: overskriftslinjen kan ikke læses som CSV: et "
        "anførselstegn bliver aldrig lukket (filen slutter midt i et felt)"]


def test_jsonl_long_numbers_and_deep_nesting(project, tmp_path):
    path = tmp_path / "sager.jsonl"
    path.write_text(
        '{"sag_id": ' + "7" * 5000 + '}\n'
        + "[" * 100_000 + "]" * 100_000 + "\n"
        + '{"sag_id": "S1", "team": "' + "[" * 110 + '"}\n'  # brackets in a string are text
        + '{"sag_id": 1.' + "5" * 200 + '}\n', encoding="utf-8")
    shown = _refused(project, [path], kind="sager")
    name = f"{tmp_path.name}/sager.jsonl"
    assert shown == [
        f"{name}, linje 1: linjen har et tal med mere end 100 tegn; skriv det som tekst i "
        "anførselstegn",
        f"{name}, linje 2: linjen er indlejret for dybt (mere end 100 niveauer af [ ] eller "
        "{ }); hver linje skal være ét fladt JSON-objekt",
        f"{name}, linje 4: linjen har et tal med mere end 100 tegn; skriv det som tekst i "
        "anførselstegn"]


def _encrypted_pdf(user_password: str, owner_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(tiny_pdf(b"BT /F1 12 Tf 20 100 Td (Hemmelig) Tj ET"))))
    writer.encrypt(user_password, owner_password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_hostile_and_fake_documents(project, tmp_path):
    docs = tmp_path / "eksport" / "dokumenter"
    docs.mkdir(parents=True)
    text_pdf = tiny_pdf(b"BT /F1 12 Tf 20 100 Td (Hej med dig) Tj ET")
    files = {
        "S1_2019-01-01_handleplan_dyb.pdf": tiny_pdf(
            b"BT /F1 12 Tf 20 100 Td (Hej) Tj ET " + b"[" * 50_000),
        "S1_2019-01-02_handleplan_krypteret.pdf": _encrypted_pdf("hemmelig", "ejer"),
        "S1_2019-01-03_handleplan_xref.pdf": text_pdf.replace(b" \n0000000009 0", b"", 1),
        "S1_2019-01-04_handleplan_zip.pdf": b"PK\x03\x04" + b"\x00" * 100,
        "S1_2019-01-05_handleplan_ole.docx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        "S1_2019-01-06_handleplan_pdf.docx": text_pdf,
        "S1_2019-01-07_handleplan_zip.txt": b"PK\x03\x04" + b"\x00" * 100,
    }
    for name, data in files.items():
        (docs / name).write_bytes(data)
    shown = "\n".join(_refused(project, [tmp_path / "eksport"]))
    assert "dyb.pdf: PDF-filen er indlejret for dybt til at blive læst" in shown
    assert ("krypteret.pdf: PDF-filen er krypteret (beskyttet med adgangskode), så teksten kan "
            "ikke læses. Åbn den med adgangskoden, og gem den som en ny PDF uden adgangskode"
            in shown)
    assert "xref.pdf: filen kan ikke læses som PDF (TypeError)" in shown
    assert "zip.pdf: filen er ikke en PDF-fil, men et ZIP-arkiv" in shown
    assert "ole.docx: filen kan ikke læses som DOCX: den er et ældre Office-dokument" in shown
    assert "pdf.docx: filen kan ikke læses som DOCX: den er ikke et ZIP-arkiv" in shown
    assert "zip.txt: filen er ikke en tekstfil, men et ZIP-arkiv" in shown
    assert len(shown.splitlines()) == len(files)


def test_pdf_with_only_an_owner_password_is_read(tmp_path):
    path = tmp_path / "S1_2019-01-01_handleplan.pdf"
    path.write_bytes(_encrypted_pdf("", "ejer"))
    assert extract_text(path) == "Hemmelig"


def test_broken_docx_content_is_a_document_problem(tmp_path):
    path = tmp_path / "brev.docx"
    document = docx.Document()
    document.add_paragraph("Hej")
    document.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"<w:body>", b"<w:bodx>")
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"</w:body>", b"</w:bodx>")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with pytest.raises(DocumentReadError, match="filen kan ikke læses som DOCX"):
        extract_text(path)


# -- 4. hostile spreadsheets ----------------------------------------------------------

def _xlsx(path: Path, rows: list[list[object]], *, sheet_xml=None, parts=None,
          epoch_1904: bool = False) -> Path:
    """Write an XLSX with openpyxl, then change its sheet XML or add parts by hand."""
    workbook = openpyxl.Workbook()
    if epoch_1904:
        workbook.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    with zipfile.ZipFile(path) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    if sheet_xml:
        contents["xl/worksheets/sheet1.xml"] = sheet_xml(contents["xl/worksheets/sheet1.xml"])
    contents.update(parts or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)
    return path


def _huge_range(xml: bytes) -> bytes:
    xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml)
    return xml.replace(b"</sheetData>", b'<row r="1048576"><c r="A1048576" t="inlineStr">'
                                        b'<is><t>S9</t></is></c></row></sheetData>')


def test_xlsx_declared_range_is_ignored(project, tmp_path):
    """A1:XFD1048576 declared: only the real cells are read (no 16,384 empty columns)."""
    path = _xlsx(tmp_path / "sager.xlsx", [["sag_id", "team"], ["S1", "Sandplay"]],
                 sheet_xml=_huge_range)
    assert path.stat().st_size < 6000
    summary = import_paths(project, [path], actor="test")
    assert summary.cases_created == 2 and summary.rows_read == 2
    with project.sessions() as session:
        assert sorted(session.scalars(select(t.Case.external_id))) == ["S1", "S9"]


def test_xlsx_limits_on_columns_rows_and_cells(project, tmp_path, monkeypatch):
    wide = _xlsx(tmp_path / "brede.xlsx", [["sag_id"] + [f"k{i}" for i in range(600)]])
    assert _refused(project, [wide], kind="sager") == [
        f"{tmp_path.name}/brede.xlsx, linje 1: arket har overskrifter i 601 kolonner; højst 500 "
        "kan læses – slet de overflødige kolonner"]
    far = _xlsx(tmp_path / "langt.xlsx", [["sag_id"], ["S1"]], sheet_xml=lambda xml: xml.replace(
        b"</sheetData>", b'<row r="99999999"><c r="A99999999" t="inlineStr"><is><t>S2</t></is>'
                         b'</c></row></sheetData>'))
    assert _refused(project, [far], kind="sager") == [
        f"{tmp_path.name}/langt.xlsx, linje 99999999: arket har flere end 1.048.576 rækker; det "
        "kan ikke læses (gem det i mindre dele, eller som CSV)"]
    monkeypatch.setattr(spreadsheet, "MAX_CELLS", 5)
    many = _xlsx(tmp_path / "mange.xlsx", [["sag_id", "team"]] + [[f"S{i}", "x"] for i in range(5)])
    assert any("linje 3: arket har flere end 5 celler" in s
               for s in _refused(project, [many], kind="sager"))


def test_xlsx_zip_bomb_and_part_limits(project, tmp_path, monkeypatch):
    strings = b"".join(b"<si><t>a</t></si>" for _ in range(200_000))
    bomb = _xlsx(tmp_path / "bombe.xlsx", [["sag_id"], ["S1"]], parts={
        "xl/sharedStrings.xml": b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                                b'2006/main">' + strings + b"</sst>"})
    shown = _refused(project, [bomb], kind="sager")
    assert len(shown) == 1
    assert re.fullmatch(
        rf"{tmp_path.name}/bombe\.xlsx: delen 'xl/sharedStrings\.xml' pakkes ud til \d+ gange "
        r"sin størrelse \(3 MB\); højst 100 gange er tilladt\. Filen ligner en 'zip-bombe' og "
        r"læses ikke – gem den på ny fra det program, der lavede den", shown[0])
    monkeypatch.setattr(spreadsheet, "XLSX_LIMITS", ZipLimits(
        kind="XLSX", old_format=".xls", max_members=100, max_part_bytes=1 << 20,
        max_total_bytes=10 << 20, max_ratio=10_000))
    shown = _refused(project, [bomb], kind="sager")
    assert shown == [f"{tmp_path.name}/bombe.xlsx: delen 'xl/sharedStrings.xml' fylder 3 MB "
                     "udpakket; højst 1 MB kan læses. Gem arket/dokumentet i mindre dele, eller "
                     "(for tabeller) som CSV"]
    monkeypatch.setattr(spreadsheet, "MAX_SHARED_STRINGS", 3)
    few = _xlsx(tmp_path / "tekster.xlsx", [["sag_id"], ["S1"]], parts={
        "xl/sharedStrings.xml": b'<x:sst xmlns:x="http://schemas.openxmlformats.org/'
                                b'spreadsheetml/2006/main">' + b"<x:si><x:t>a</x:t></x:si>" * 2
                                + b'<si><t xml:space="preserve">b</t></si><si/>' * 2 + b"</x:sst>"})
    assert spreadsheet.shared_string_count(few) == 6
    assert _refused(project, [few], kind="sager") == [
        f"{tmp_path.name}/tekster.xlsx: filen har 6 forskellige tekster (delte strenge); højst 3 "
        "kan læses – gem arket som CSV"]
    encrypted = tmp_path / "krypteret.xlsx"
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert "beskyttet med adgangskode, så gem den uden" in _refused(
        project, [encrypted], kind="sager")[0]


# -- 5. Excel serial dates, formulas without value, error values ----------------------

def test_xlsx_serial_dates(project, tmp_path):
    path = _xlsx(tmp_path / "notater.xlsx", [
        ["sag_id", "dato", "opmærksomhedspunkt", "tekst"],
        ["S1", 43556, "Samvær", "Tal"],
        ["S1", "43557", "Samvær", "Tekst"],
        ["S1", 43558.5, "Samvær", "Med klokkeslæt"],
        ["S1", datetime(2019, 4, 4), "Samvær", "Rigtig dato"]])
    assert import_paths(project, [path], actor="test").notes == 4
    with project.sessions() as session:
        dates = sorted(session.scalars(select(t.Note.note_date)))
    assert dates == [date(2019, 4, 1), date(2019, 4, 2), date(2019, 4, 3), date(2019, 4, 4)]
    year_only = _xlsx(tmp_path / "aar.xlsx", [["sag_id", "startdato"], ["S2", 2019]])
    assert any("felt 'startdato': '2019' er ikke en gyldig dato" in s
               for s in _refused(project, [year_only], kind="sager"))


def test_xlsx_serial_dates_in_the_1904_system(project, tmp_path):
    path = _xlsx(tmp_path / "sager.xlsx", [["sag_id", "startdato"], ["S1", 43556]],
                 epoch_1904=True)
    import_paths(project, [path], actor="test")
    with project.sessions() as session:
        assert session.scalars(select(t.Case.start_date)).one() == date(2023, 4, 2)


def test_xlsx_formula_without_value_and_error_values(project, tmp_path):
    name = f"{tmp_path.name}/notater.xlsx"
    empty_result = b'<c r="E4" t="str"><f>IF(1,"","")</f><v></v></c>'  # calculated: ''
    path = _xlsx(tmp_path / "notater.xlsx", [
        ["sag_id", "dato", "opmærksomhedspunkt", "tekst", "forfatterrolle"],
        ["S1", "=DATE(2019,4,1)", "Samvær", "Tekst"],
        ["S1", "2019-04-01", "Samvær", "#DIV/0!"],
        ["S1", "2019-04-02", "Samvær", "Tekst", "=1"]],
        sheet_xml=lambda xml: re.sub(rb'<c r="E4"><f>1</f><v ?/?>(</v>)?</c>', empty_result, xml))
    with zipfile.ZipFile(path) as archive:
        assert empty_result in archive.read("xl/worksheets/sheet1.xml")
    assert _refused(project, [path]) == [
        f"{name}, linje 2, felt 'dato': cellen indeholder en formel uden beregnet værdi – åbn og "
        "gem filen i Excel (så gemmes formlens resultat), eller skriv værdien i cellen",
        f"{name}, linje 3, felt 'tekst': cellen indeholder Excel-fejlværdien #DIV/0!; ret "
        "formlen eller værdien i regnearket"]


def test_mapping_file_with_control_characters_and_aliases(project, tmp_path):
    export = tmp_path / "eksport"
    export.mkdir()
    (export / "sager.csv").write_text("sag_id\nS1\n", encoding="utf-8")
    mapping = tmp_path / "tilknytning.yaml"
    mapping.write_text('kilder:\n  - fil: sager.csv\n    art: sager\n    ark: "Ark\\x01"\n',
                       encoding="utf-8")
    assert _refused(project, [export], mapping_file=mapping) == [
        "tilknytning.yaml, felt 'kilder[1].ark': værdien indeholder U+0001 (kontroltegn) ved "
        "tegn nr. 4; fjern tegnet"]
    # Aliases that repeat one list 10^9 times are walked once each, not a billion times.
    laughs = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]\n" for i in range(1, 10))
    mapping.write_text("l0: &l0 [x]\n" + laughs + "kilder:\n  - fil: sager.csv\n    art: sager\n",
                       encoding="utf-8")
    shown = _refused(project, [export], mapping_file=mapping)
    assert shown[0].startswith("tilknytning.yaml, felt 'l0': ukendt nøgle")


def test_xlsx_formula_in_the_header_row(project, tmp_path):
    path = _xlsx(tmp_path / "sager.xlsx", [["sag_id", "=A1&\"x\""], ["S1", "by"]])
    assert _refused(project, [path]) == [
        f"{tmp_path.name}/sager.xlsx, linje 1: overskriften i kolonne nr. 2: cellen indeholder "
        "en formel uden beregnet værdi – åbn og gem filen i Excel (så gemmes formlens "
        "resultat), eller skriv værdien i cellen"]


def test_page_breaks_from_pdftotext_are_kept_as_line_breaks(project, tmp_path):
    """A TXT document converted with pdftotext has a form feed between its pages."""
    folder = tmp_path / "eksport" / "dokumenter"
    folder.mkdir(parents=True)
    (folder / "S1_2019-05-01_statusrapport_Status.txt").write_text(
        "Side et.\fSide to.\vSlut.", encoding="utf-8")
    summary = import_paths(project, [tmp_path / "eksport"], actor="test")
    assert summary.documents == 1
    with project.sessions() as session:
        assert session.scalar(select(t.Document.text)) == "Side et.\nSide to.\nSlut."

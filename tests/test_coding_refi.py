"""REFI-QDA: codebook (.qdc) structure and project (.qdpx) export → import round trip."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from xml.etree import ElementTree as ET

import pytest

from coding_factories import ANALYST, add_case_with_notes, autocode, code_passage, codings_of
from effektspor.coding.codebook import load_codebook
from effektspor.coding.refi import CODEBOOK_NS, PROJECT_NS, codebook_to_qdc, read_qdc
from effektspor.domain.errors import ValidationError
from effektspor.services.coding import refi
from effektspor.services.contract import unit_of_work
from effektspor.services.project import create_project

GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
P = f"{{{PROJECT_NS}}}"


def export_project_qdpx(project, output):
    with unit_of_work(project) as session:
        return refi.export_project_qdpx(session=session, actor=ANALYST,
                                        project_id=project.project_id, output=output)


def import_project_qdpx(project, path):
    with unit_of_work(project) as session:
        return refi.import_project_qdpx(session=session, actor=ANALYST,
                                        project_id=project.project_id, path=path)


def test_codebook_qdc_structure_and_read_back():
    book = load_codebook()
    root = ET.fromstring(codebook_to_qdc(book))
    assert root.tag == f"{{{CODEBOOK_NS}}}CodeBook" and root.get("origin") == "effektspor"
    (codes,) = list(root)
    assert codes.tag == f"{{{CODEBOOK_NS}}}Codes"
    top = [c.get("name") for c in codes]
    assert len(top) == 5 and "Professionel tvivl" in top
    negative = next(c for c in codes if c.get("name") == "Negative alliancebeskrivelser")
    assert len(negative.findall(f"{{{CODEBOOK_NS}}}Code")) == 14
    for element in root.iter(f"{{{CODEBOOK_NS}}}Code"):
        assert GUID.match(element.get("guid")) and element.get("isCodable") == "true"
        assert element.get("color") is None or re.match(r"^#[0-9A-F]{6}$", element.get("color"))
    codes_read = read_qdc(codebook_to_qdc(book))
    assert len(codes_read) == len(book.codes)
    assert sum(1 for c in codes_read if c.parent is None) == 5


def test_project_round_trip(project, tmp_path):
    add_case_with_notes(project, "SAG-1", [
        (date(2019, 3, 1), "Familieforhold", "Mor tager ikke imod råd om sengetider."),
        (date(2019, 3, 8), "Samvær", "Jeg er i tvivl om min tilgang. Vi øger besøgene."),
    ])
    autocode(project)
    note_id = codings_of(project)[0]["note_id"]
    code_passage(project, note_id=note_id, start=0, end=3, code="relationsarbejde",
                 coder="Leder Hansen")
    before = sorted((c["note_id"], c["start"], c["end"], c["code"], c["coder"])
                    for c in codings_of(project))
    archive_path = tmp_path / "projekt.qdpx"
    assert export_project_qdpx(project, archive_path) == len(before)

    with zipfile.ZipFile(archive_path) as archive:
        names = archive.namelist()
        root = ET.fromstring(archive.read("project.qde"))
    assert root.tag == f"{P}Project"
    assert [child.tag for child in root] == [f"{P}Users", f"{P}CodeBook", f"{P}Cases",
                                             f"{P}Sources"]
    users = {u.get("name") for u in root.iter(f"{P}User")}
    assert {"maskine", "Leder Hansen"} <= users
    for source in root.iter(f"{P}TextSource"):
        assert f"Sources/{source.get('guid')}.txt" in names
        assert source.get("plainTextPath") == f"internal://{source.get('guid')}.txt"
    for selection in root.iter(f"{P}PlainTextSelection"):
        assert int(selection.get("startPosition")) < int(selection.get("endPosition"))
        assert selection.find(f"{P}Coding/{P}CodeRef") is not None

    # into a fresh project holding the same notes: the same codings come back
    other = create_project(tmp_path / "andet", "Andet projekt")
    try:
        add_case_with_notes(other, "SAG-1", [
            (date(2019, 3, 1), "Familieforhold", "Mor tager ikke imod råd om sengetider."),
            (date(2019, 3, 8), "Samvær", "Jeg er i tvivl om min tilgang. Vi øger besøgene."),
        ])
        summary = import_project_qdpx(other, archive_path)
        assert summary.imported == len(before) and summary.unmatched_sources == 0
        note_map = {}
        for a, b in zip(sorted({c[0] for c in before}),
                        sorted({c["note_id"] for c in codings_of(other)}), strict=True):
            note_map[a] = b
        after = sorted((c["note_id"], c["start"], c["end"], c["code"], c["coder"])
                       for c in codings_of(other))
        assert after == sorted((note_map[n], s, e, code, coder)
                               for n, s, e, code, coder in before)
        again = import_project_qdpx(other, archive_path)
        assert again.imported == 0 and again.already_present == len(before)
    finally:
        other.close()


def test_import_rejects_a_broken_archive(project, tmp_path):
    bad = tmp_path / "forkert.qdpx"
    bad.write_bytes(b"ikke et zip")
    with pytest.raises(ValidationError) as error:
        import_project_qdpx(project, bad)
    assert "forkert.qdpx" in str(error.value.problems[0])

"""The whole demo pipeline on the default synthetic corpus (146 cases):
import → pseudonymisation → auto-coding → classification → reports.

Checks what matters to the users: no original identifier reaches a report or the
working store, and the yearly report's Word tables hold the classified cases.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import docx
import openpyxl
import pytest
from sqlalchemy import select

import effektspor
from effektspor.services.classification import case_table
from effektspor.services.demo.pipeline import DEMO_PASSPHRASE, DEMO_STEPS, run_demo
from effektspor.services.importing.imports import import_paths
from effektspor.services.privacy.vault import VaultAccess
from effektspor.services.project import open_project
from effektspor.store import tables as t


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo") / "d"
    return run_demo(folder, actor="tester")


def _originals(run) -> set[str]:
    """Every identifier the synthetic corpus put into the texts, and every known person."""
    found: set[str] = set()
    with open(run.export_folder / "personer.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            found.add(row["navn"])
            if row["cpr"]:
                found.add(row["cpr"])
    gold = run.folder / "guld_personoplysninger.jsonl"
    for line in gold.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        found.update(record["text"][s["start"]:s["end"]] for s in record["spans"])
    return {value for value in found if len(value) >= 3}


def _report_texts(folder: Path) -> dict[str, str]:
    texts = {}
    for path in folder.iterdir():
        if path.suffix == ".html":
            texts[path.name] = path.read_text(encoding="utf-8")
        elif path.suffix == ".docx":
            document = docx.Document(path)
            parts = [p.text for p in document.paragraphs]
            parts += [cell.text for table in document.tables for row in table.rows
                      for cell in row.cells]
            texts[path.name] = "\n".join(parts)
        elif path.suffix == ".xlsx":
            workbook = openpyxl.load_workbook(path, read_only=True)
            texts[path.name] = "\n".join(str(value) for sheet in workbook.worksheets
                                         for row in sheet.iter_rows(values_only=True)
                                         for value in row if value is not None)
    return texts


def test_every_step_ran(demo):
    assert demo.done == [label for label, _ in DEMO_STEPS]
    assert demo.pseudonymisation.notes == demo.export.n_notes
    assert demo.autocoding.notes_coded > 0 and demo.confirmed > 0


def test_reports_never_show_an_original_identifier(demo):
    originals = _originals(demo)
    assert len(originals) > 500  # the corpus really is full of identifiers
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(v)}(?!\w)" for v in
                                  sorted(originals, key=len, reverse=True)))
    texts = _report_texts(demo.report_folder)
    assert {"aarsrapport.docx", "aarsrapport-pixi.html", "dokumentationsanalyse.xlsx"} <= set(texts)
    leaks = {name: sorted(set(pattern.findall(text)))[:5] for name, text in texts.items()
             if pattern.search(text)}
    assert leaks == {}


def test_working_store_holds_no_original_identifier(demo):
    originals = _originals(demo)
    cprs = {v for v in originals if re.fullmatch(r"\d{6}-?\d{4}", v)}
    with open_project(demo.project_folder) as project, project.sessions() as session:
        texts = list(session.scalars(select(t.Note.text))) + \
            list(session.scalars(select(t.Document.text)))
        persons = list(session.scalars(select(t.Person.name)))
    joined = "\n".join(texts)
    assert not [cpr for cpr in cprs if cpr in joined]
    assert not set(persons) & originals


def test_yearly_docx_tables_match_the_classified_cases(demo):
    with open_project(demo.project_folder) as project:
        rows = case_table(project)
    outcomes = [row["maalopnaaelse"] for row in rows if row.get("maalopnaaelse")]
    document = docx.Document(demo.yearly_report["docx"])
    captions = [p.text for p in document.paragraphs if p.text.startswith("Tabel ")]
    assert any("Effektvurderinger" in c for c in captions)
    outcome_table = next(table for table in document.tables
                         if table.rows[1].cells[0].text == "I mål")
    counts = {row.cells[0].text: row.cells[1].text for row in outcome_table.rows[1:]}
    for label in ("I mål", "På vej", "Ikke i mål"):
        assert counts[label].startswith(f"{outcomes.count(label)} (")
    assert counts["Total"].startswith(f"{len(outcomes)} (100%")


def test_pixi_edition_has_no_case_ids_or_quotes(demo):
    texts = _report_texts(demo.report_folder)
    pixi = "\n".join(text for name, text in texts.items() if "pixi" in name)
    assert pixi and not re.search(r"FC19-\d{3}", pixi)
    assert "»" not in pixi
    internal = texts["aarsrapport.html"]
    assert re.search(r"FC19-\d{3}", internal) and "»" in internal


def _folder_leaks(folder: Path, originals: set[str]) -> dict[str, list[str]]:
    """Original identifiers readable in the bytes of any file under ``folder``.

    A value can only stand in a text (as a whole, not inside a longer word) if each of its
    runs of word characters is a word of that text; only those candidates are searched
    for with word boundaries, so a large file costs one pass, not one per identifier."""
    words_of = {value: re.findall(r"\w+", value) for value in originals}
    found = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        text = data.decode("utf-8", errors="replace") + "\n" + data.decode("utf-16-le",
                                                                           errors="replace")
        words = set(re.findall(r"\w+", text))
        candidates = [v for v, parts in words_of.items() if all(w in words for w in parts)]
        if not candidates:
            continue
        pattern = re.compile("|".join(rf"(?<!\w){re.escape(v)}(?!\w)" for v in
                                      sorted(candidates, key=len, reverse=True)))
        hits = sorted(set(pattern.findall(text)))
        if hits:
            found[path.name] = hits[:5]
    return found


def test_the_leak_scan_finds_whole_identifiers_in_utf8_and_utf16_only(tmp_path):
    (tmp_path / "a.db").write_bytes(b"x Anna Holm, 010203-1234 y")
    (tmp_path / "b.log").write_bytes("kontakt 12 34 56 78".encode("utf-16-le"))
    (tmp_path / "c.txt").write_bytes(b"Annas Holmgaard 1010203-12345 112 34 56 78")
    originals = {"Anna Holm", "010203-1234", "12 34 56 78", "Holm"}
    assert _folder_leaks(tmp_path, originals) == {
        "a.db": ["010203-1234", "Anna Holm"], "b.log": ["12 34 56 78"]}


def _shipped_text() -> str:
    """The text effektspor itself ships (codebooks): its example sentences use first names
    that the synthetic corpus may use too; they are product text, not case data."""
    folder = Path(effektspor.__file__).parent / "data" / "codebooks"
    return "\n".join(p.read_text(encoding="utf-8") for p in folder.rglob("*.yaml"))


def test_no_file_in_the_project_folder_holds_an_original_identifier(demo):
    """Database, WAL, backups, logs, reports: after pseudonymisation nothing is readable,
    also not after the export has been imported again (with the key file)."""
    shipped = _shipped_text()
    originals = {value for value in _originals(demo)
                 if not re.search(rf"(?<!\w){re.escape(value)}(?!\w)", shipped)}
    assert len(originals) > 500
    assert _folder_leaks(demo.project_folder, originals) == {}
    with open_project(demo.project_folder) as project:
        again = import_paths(project, [demo.export_folder], actor="tester",
                             vault=VaultAccess(demo.key_folder, DEMO_PASSPHRASE))
    assert again.notes == again.persons == again.documents == 0
    assert _folder_leaks(demo.project_folder, originals) == {}
    # The report folder (zipped DOCX/XLSX) is checked on its text by
    # test_reports_never_show_an_original_identifier.

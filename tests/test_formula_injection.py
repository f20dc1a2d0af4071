"""Formula injection: no text effektspor writes to XLSX or CSV becomes a live formula.

Team names, case ids, memos and code names come from imported files; a value such as
``=HYPERLINK("http://…","Team")`` must reach the spreadsheet as the text it is. Every
writer goes through ``effektspor.report.spreadsheet``; the last tests check that no
module in src writes cells or CSV rows past it.
"""

from __future__ import annotations

import ast
import csv
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from classification_helpers import add_cases
from effektspor.analysis.caseframe import parse_case_csv, read_case_csv
from effektspor.classification.sheets import read_value_table, write_blind_sheet
from effektspor.cli.main import cli
from effektspor.domain.variables import STANDARD_VARIABLES
from effektspor.report import Cell, ReportDocument, Table, write_report
from effektspor.report.spreadsheet import (
    FORMULA_TRIGGERS,
    append_row,
    csv_writer,
    dict_writer,
    escape_text,
    needs_escape,
    unescape_text,
    write_cell,
)
from effektspor.services.authorization import Actor, Role
from effektspor.services.contract import unit_of_work
from effektspor.services.recoding import sheet_files
from effektspor.services.reports.documentation import write_documentation_report
from effektspor.store import tables as t
from web_seed_recoding import assign

LINK = '=HYPERLINK("http://example.invalid/x","Team")'
#: Hostile texts, one per trigger, plus an apostrophe that belongs to the text itself.
HOSTILE = [LINK, "+45 1234", "-1+2", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "'=1+1", "''-x"]
#: Hostile values that can serve as case ids (the sheet reader strips spaces and tabs).
HOSTILE_IDS = [LINK, "+S1", "-S2", "@S3", "=S4", "'=S5"]
SRC = Path(__file__).resolve().parents[1] / "src" / "effektspor"
THREE = [v for v in STANDARD_VARIABLES if v.name == "problemgrad"]


def _xlsx_texts(path: Path) -> dict[str, openpyxl.cell.cell.Cell]:
    """Every non-empty cell of every sheet, by its (string) value."""
    book = openpyxl.load_workbook(path)
    return {str(cell.value): cell for sheet in book.worksheets for row in sheet.iter_rows()
            for cell in row if cell.value is not None}


def _assert_text(cells: dict, value: str) -> None:
    assert value in cells, f"{value!r} is not in the workbook"
    assert cells[value].data_type == "s", f"{value!r} was written as a formula"


# --- The shared escape ---------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE + ["", "Sandplay", "S1", "'citat'", "a-b", "'", "''"])
def test_escape_is_reversible_and_only_touches_formula_like_text(text):
    escaped = escape_text(text)
    assert unescape_text(escaped) == text
    assert not escaped.startswith(FORMULA_TRIGGERS)
    assert (escaped != text) == needs_escape(text)
    assert escaped == text or escaped == "'" + text


def test_numbers_and_empty_values_are_not_text():
    for value in (-3, -2.5, 0, None, True, date(2019, 1, 1)):
        assert unescape_text(value) == value
    buffer = _csv_lines([[-3, -2.5, "-3", None]])
    assert buffer == ["-3;-2.5;'-3;"]


def _csv_lines(rows) -> list[str]:
    import io

    buffer = io.StringIO()
    csv_writer(buffer, delimiter=";", lineterminator="\n").writerows(rows)
    return buffer.getvalue().splitlines()


def test_xlsx_cells_keep_their_visible_text_and_numbers(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    append_row(sheet, [*HOSTILE[:5], -7, 2.5])
    write_cell(sheet, 3, 1, LINK)
    book.save(tmp_path / "t.xlsx")
    cells = list(openpyxl.load_workbook(tmp_path / "t.xlsx").active.iter_rows())
    assert [c.value for c in cells[0]] == [*HOSTILE[:5], -7, 2.5]
    assert [c.data_type for c in cells[0]] == ["s"] * 5 + ["n", "n"]
    assert all(c.quotePrefix for c in cells[0][:5])  # Excel's own "'": stays text on edit
    assert cells[2][0].value == LINK and cells[2][0].data_type == "s"


def test_dict_writer_escapes_header_and_values_like_csv_dictwriter():
    import io

    buffer = io.StringIO()
    writer = dict_writer(buffer, fieldnames=["sag", "=x"], delimiter=";", lineterminator="\n")
    writer.writeheader()
    writer.writerows([{"sag": LINK, "=x": -1}, {"sag": "S2"}])
    assert buffer.getvalue().splitlines() == [
        "sag;'=x", "\"'=HYPERLINK(\"\"http://example.invalid/x\"\",\"\"Team\"\")\";-1", "S2;"]
    with pytest.raises(ValueError):
        writer.writerow({"ukendt": 1})


# --- Every writer ----------------------------------------------------------------------


def test_report_xlsx_writes_team_code_and_note_texts_as_text(tmp_path):
    doc = ReportDocument(LINK)
    doc.add_section("Resultater", Table(
        "@Koder", [["Team", "+Kode"]],
        [[LINK, 3], ["-Minus", Cell("-4", number=-4)], ["'=1+1", Cell("=2", number=2)]],
        note="-Celleindhold: hostile", number=None))
    doc.include_case_lists = True
    path = write_report(doc, tmp_path, "rapport", ("xlsx",))["xlsx"]
    cells = _xlsx_texts(path)
    for text in (LINK, "+Kode", "-Minus", "'=1+1", "=2", "-Celleindhold: hostile", "@Koder"):
        _assert_text(cells, text)
    assert cells["-4"].data_type == "n" and cells["-4"].value == -4  # a real number
    assert not any(cell.data_type == "f" for cell in cells.values())


def test_documentation_report_xlsx_has_no_formulas(project, tmp_path):
    with project.transaction() as session:
        for number, team in enumerate([LINK, "@Team"], start=1):
            case = t.Case(project_id=project.project_id, external_id=f"=S{number}",
                          team=team, start_date=date(2019, 1, 1), end_date=date(2019, 6, 1),
                          closed=True, closed_year=2019)
            session.add(case)
            session.flush()
            session.add(t.Document(case_id=case.id, doc_type="udskrivningsrapport",
                                   text="Effektvurdering: I mål.", content_hash=f"u{number}",
                                   doc_date=date(2019, 6, 1)))
    with unit_of_work(project) as session:
        result = write_documentation_report(
            session=session, actor=Actor("tester", Role.ANALYST), project_id=project.project_id,
            folder=tmp_path / "rapport", formats=("xlsx",))
    assert result.paths["xlsx"].name == "dokumentationsanalyse.xlsx"
    cells = _xlsx_texts(result.paths["xlsx"])
    _assert_text(cells, LINK)
    _assert_text(cells, "@Team")
    assert not any(cell.data_type == "f" for cell in cells.values())


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_blind_sheet_escapes_case_ids_and_reads_them_back(tmp_path, suffix):
    path = write_blind_sheet(tmp_path / f"blind{suffix}", HOSTILE_IDS, THREE,
                             title="=Rekodning\n=1+1")
    if suffix == ".xlsx":
        cells = _xlsx_texts(path)
        for case_id in HOSTILE_IDS:
            _assert_text(cells, case_id if not case_id.startswith("'") else "'" + case_id)
        assert not any(cell.data_type == "f" for cell in cells.values())
        book = openpyxl.load_workbook(path)
        for row in range(2, len(HOSTILE_IDS) + 2):
            book["Rekodning"].cell(row=row, column=2, value="Let")
        book.save(path)
    else:
        text = path.read_text(encoding="utf-8-sig")
        data = [line for line in text.splitlines() if not line.startswith("#")]
        cases = [row[0] for row in csv.reader(data[1:], delimiter=";")]
        assert cases == ["'" + case_id for case_id in HOSTILE_IDS]
        assert "\n=1+1" not in text  # the title stays in its comment line
        path.write_text("\n".join(line + "Let" if not line.startswith(("#", "sag")) else line
                                  for line in text.splitlines()) + "\n", encoding="utf-8")
    rows = read_value_table(path, THREE, known_cases=HOSTILE_IDS)
    assert [r.case_external_id for r in rows] == HOSTILE_IDS
    assert {r.value for r in rows} == {"Let"}


def test_blind_sheet_opened_in_excel_and_saved_as_xlsx_still_matches(tmp_path):
    """A coder opens the CSV in a spreadsheet, which keeps the apostrophe, saves as XLSX."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["sag", "problemgrad"])
    for case_id in HOSTILE_IDS:
        sheet.append([escape_text(case_id), "Svær"])
    book.save(tmp_path / "udfyldt.xlsx")
    rows = read_value_table(tmp_path / "udfyldt.xlsx", THREE, known_cases=HOSTILE_IDS)
    assert [r.case_external_id for r in rows] == HOSTILE_IDS


def _recoding(project, function, **kwargs):
    with unit_of_work(project) as session:
        return function(session=session, actor=Actor("analytiker1", Role.ANALYST),
                        project_id=project.project_id, **kwargs)


def test_recoding_round_round_trips_hostile_ids_through_the_service(project, tmp_path):
    add_cases(project, {case_id: LINK for case_id in HOSTILE_IDS})
    round_id = assign(project, coder="Leder", seed=1, teams=[LINK], variables=["problemgrad"])
    for suffix in (".csv", ".xlsx"):
        path = _recoding(project, sheet_files.export_blind_sheet, round_id=round_id,
                         path=tmp_path / f"b{suffix}")
        if suffix == ".csv":
            lines = path.read_text(encoding="utf-8-sig").splitlines()
            path.write_text("\n".join(line if line.startswith(("#", "sag;")) else line + "Let"
                                      for line in lines) + "\n", encoding="utf-8")
        else:
            assert not any(c.data_type == "f" for c in _xlsx_texts(path).values())
            book = openpyxl.load_workbook(path)
            for row in range(2, len(HOSTILE_IDS) + 2):
                book["Rekodning"].cell(row=row, column=2, value="Mellem")
            book.save(path)
        assert _recoding(project, sheet_files.import_sheet, round_id=round_id,
                         path=path) == len(HOSTILE_IDS)


def test_case_table_csv_from_the_command_line_escapes_and_reads_back(project, tmp_path):
    add_cases(project, {LINK: "-Team", "S2": "@Team"})
    output = tmp_path / "sager.csv"
    result = CliRunner().invoke(cli, ["klassifikation", "tabel", "--ud", str(output),
                                      "--projekt", str(project.folder)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(output.read_text(encoding="utf-8-sig").splitlines(),
                           delimiter=";"))
    assert rows[1][:2] == ["'" + LINK, "'-Team"] and rows[2][:2] == ["S2", "'@Team"]
    table = read_case_csv(output)
    assert table.case_ids == [LINK, "S2"]
    assert table.values["team"] == ["-Team", "@Team"]


def test_case_csv_reader_keeps_ordinary_apostrophes():
    table = parse_case_csv("sag;note\nS1;'citat'\nS2;'-3\n")
    assert table.values["note"] == ["'citat'", "-3"]


# --- Nobody writes past the shared escape ------------------------------------------------

SHARED = "report/spreadsheet.py"
#: Writes the synthetic export that the importer reads as input (fake data, no escape:
#: the importer would otherwise import the apostrophes).
CSV_ALLOWED = {SHARED, "synthetic/corpus.py"}
#: Modules that build workbooks; each writes its cells through the shared module.
WORKBOOK_WRITERS = {SHARED, "report/xlsx.py", "classification/sheets.py"}
_SHEET_SOURCES = {"active", "create_sheet", "worksheets", "get_sheet_by_name"}


def _is_csv_writer(func: ast.expr, imported: set[str]) -> bool:
    if isinstance(func, ast.Attribute):
        return func.attr in ("writer", "DictWriter") and isinstance(func.value, ast.Name) \
            and func.value.id == "csv"
    return isinstance(func, ast.Name) and func.id in imported


def _writes_cell(node: ast.AST, sheets: set[str]) -> bool:
    """A cell value or a row written with openpyxl's own calls."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        func = node.func
        if func.attr == "cell":
            return len(node.args) >= 3 or any(k.arg == "value" for k in node.keywords)
        return func.attr == "append" and isinstance(func.value, ast.Name) \
            and func.value.id in sheets
    targets = node.targets if isinstance(node, ast.Assign) else \
        [node.target] if isinstance(node, ast.AugAssign) else []
    return any(isinstance(target, ast.Attribute) and target.attr == "value"
               or isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)
               and target.value.id in sheets for target in targets)


def bypasses(source: str, name: str) -> list[str]:
    """Places in ``source`` that write spreadsheet cells or CSV rows past the escape."""
    tree = ast.parse(source)
    nodes = list(ast.walk(tree))
    imports_openpyxl = any(
        isinstance(node, ast.Import) and any(a.name.startswith("openpyxl") for a in node.names)
        or isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl")
        for node in nodes)
    csv_names = {a.asname or a.name for node in nodes
                 if isinstance(node, ast.ImportFrom) and node.module == "csv"
                 for a in node.names if a.name in ("writer", "DictWriter")}
    sheets = {target.id for node in nodes if isinstance(node, ast.Assign)
              for target in node.targets if isinstance(target, ast.Name)
              and any(isinstance(n, ast.Attribute) and n.attr in _SHEET_SOURCES
                      for n in ast.walk(node.value))}
    found: list[str] = []
    for node in nodes:
        where = f"{name}:{getattr(node, 'lineno', 0)}"
        is_call = isinstance(node, ast.Call)
        if is_call and name not in CSV_ALLOWED and _is_csv_writer(node.func, csv_names):
            found.append(f"{where}: CSV-skriver uden om report.spreadsheet")
        if is_call and name not in WORKBOOK_WRITERS and isinstance(node.func, ast.Name) \
                and node.func.id == "Workbook":
            found.append(f"{where}: ny XLSX-skriver – brug report.spreadsheet")
        if imports_openpyxl and name != SHARED and _writes_cell(node, sheets):
            found.append(f"{where}: celle skrevet uden om report.spreadsheet")
    return found


def test_no_module_writes_cells_or_csv_rows_past_the_shared_escape():
    found = [problem for path in sorted(SRC.rglob("*.py"))
             for problem in bypasses(path.read_text(encoding="utf-8"),
                                     path.relative_to(SRC).as_posix())]
    assert found == []


@pytest.mark.parametrize("snippet", [
    "import csv\nw = csv.writer(handle)\n",
    "from csv import DictWriter\nw = DictWriter(handle, fieldnames=[])\n",
    "from openpyxl import Workbook\nb = Workbook()\n",
    "import openpyxl\nws = book.active\nws.append(['=1'])\n",
    "import openpyxl\nws = book.create_sheet('x')\nws['A1'] = '=1'\n",
    "import openpyxl\nsheet.cell(row=1, column=1, value='=1')\n",
    "import openpyxl\nsheet.cell(1, 1, '=1')\n",
    "import openpyxl\nsheet['A1'].value = '=1'\n",
])
def test_the_guard_notices_a_writer_that_bypasses_the_escape(snippet):
    assert bypasses(snippet, "web/new_export.py")

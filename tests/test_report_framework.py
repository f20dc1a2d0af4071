"""Tests of the report model and its HTML, DOCX and XLSX renderers."""

from __future__ import annotations

import docx
import openpyxl
import pytest

from effektspor.domain.errors import EffektsporError
from effektspor.report import (
    CaseList,
    Cell,
    Figure,
    Paragraph,
    ReportDocument,
    Table,
    count_with_percent,
    parse_formats,
    write_report,
)
from effektspor.report.charts import bar_chart
from effektspor.report.html import render_html


def _outcome_table(number: int | None = None) -> Table:
    return Table(
        title="Effektvurderinger i udskrivningsrapporter",
        header_rows=[["", "Effektvurderinger"]],
        body_rows=[["I mål", count_with_percent(20, 51, link="sager-i-maal")],
                   ["På vej", count_with_percent(14, 51)],
                   ["Ikke i mål", count_with_percent(17, 51)],
                   ["Børn og familier i alt:", count_with_percent(51, 51)]],
        note="Celleindhold: Afsluttede sager, der blev effektvurderet.",
        number=number, emphasise_last_rows=1)


def _document() -> ReportDocument:
    doc = ReportDocument("Dokumentationsanalyse", subtitle="Afsluttede sager 2019",
                         metadata={"Projekt": "Test <&>"})
    doc.add_section("Indledning", Paragraph("Rapporten handler om børn & familier."))
    doc.add_section("Resultater", _outcome_table(),
                    Table("Sager pr. team", [["Team", "Antal"]], [["Sandplay", 3], ["I alt", 3]],
                          note="Celleindhold: Antal sager."),
                    Figure("Sager pr. team", bar_chart(["Sandplay"], [3]), caption="Kilde: test"),
                    CaseList("sager-i-maal", "Sager i mål", ["FC19-001", "FC19-002"]))
    return doc


def test_count_cells_round_half_up_like_the_source_report():
    assert count_with_percent(14, 51).text == "14 (27%)"
    assert count_with_percent(1, 8).text == "1 (13%)"  # 12.5 rounds up, not to even
    assert count_with_percent(1234, 2468).text == "1.234 (50%)"
    assert count_with_percent(3, 0).text == "3 (–)"
    assert count_with_percent(14, 51).number == 14


def test_tables_and_figures_are_numbered_in_order():
    doc = _document()
    doc.number_blocks()
    assert [t.caption for t in doc.tables()] == [
        "Tabel 1: Effektvurderinger i udskrivningsrapporter", "Tabel 2: Sager pr. team"]
    assert doc.figures()[0].label == "Figur 1: Sager pr. team"


def test_explicit_table_numbers_are_kept_and_others_continue():
    doc = ReportDocument("x")
    doc.add_section("a", _outcome_table(number=2), Table("t", [["a"]], [["b"]]))
    doc.number_blocks()
    assert [t.number for t in doc.tables()] == [2, 3]


def test_html_is_self_contained_escaped_and_has_notes_and_links():
    html = render_html(_document())
    assert html.startswith("<!DOCTYPE html>") and 'lang="da"' in html
    assert "Tabel 1: Effektvurderinger i udskrivningsrapporter" in html
    assert "Celleindhold: Afsluttede sager" in html
    assert '<a href="#sager-i-maal">20 (39%)</a>' in html
    assert 'id="sager-i-maal"' in html
    assert "data:image/png;base64," in html
    assert "Test &lt;&amp;&gt;" in html and "Test <&>" not in html
    assert "http://" not in html and "https://" not in html  # no CDN or external assets
    assert "@media print" in html


def test_docx_has_real_tables_with_note_under_each(tmp_path):
    paths = write_report(_document(), tmp_path, "rapport", ["docx"])
    document = docx.Document(str(paths["docx"]))
    assert len(document.tables) == 2
    first = document.tables[0]
    assert [c.text for c in first.rows[1].cells] == ["I mål", "20 (39%)"]
    assert first.rows[-1].cells[0].text == "Børn og familier i alt:"
    texts = [p.text for p in document.paragraphs]
    caption = texts.index("Tabel 1: Effektvurderinger i udskrivningsrapporter")
    assert any(t.startswith("Celleindhold: Afsluttede sager") for t in texts[caption:])
    assert len(document.inline_shapes) == 1  # the figure


def test_xlsx_has_a_sheet_per_table_with_contents(tmp_path):
    paths = write_report(_document(), tmp_path, "rapport", ["xlsx"])
    workbook = openpyxl.load_workbook(paths["xlsx"])
    assert workbook.sheetnames == ["Oversigt", "Tabel 1", "Tabel 2"]
    sheet = workbook["Tabel 1"]
    assert sheet["A1"].value == "Tabel 1: Effektvurderinger i udskrivningsrapporter"
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert ["I mål", "20 (39%)"] in values
    assert any(row[0] and str(row[0]).startswith("Celleindhold") for row in values)
    counts = [[c.value for c in row] for row in workbook["Tabel 2"].iter_rows(min_row=4)]
    assert counts[0] == ["Sandplay", 3]  # plain counts are numbers, not text


def test_write_report_writes_all_formats(tmp_path):
    paths = write_report(_document(), tmp_path / "ud", "rapport")
    assert set(paths) == {"html", "docx", "xlsx"}
    assert all(p.exists() and p.stat().st_size > 0 for p in paths.values())


def test_parse_formats_rejects_unknown_in_danish():
    assert parse_formats("html, DOCX,html") == ("html", "docx")
    with pytest.raises(EffektsporError, match="Ukendt format: pdf"):
        parse_formats("html,pdf")


def test_cell_wraps_plain_values():
    table = Table("t", [["a", "b", "c"]], [["x", 2, 0.5]])
    cells = table.cells(table.body_rows)[0]
    assert cells[1] == Cell("2", number=2)
    assert cells[2].text == "0,50"


def test_case_ids_behind_cells_only_when_included(tmp_path):
    def build(include: bool) -> ReportDocument:
        doc = ReportDocument("x", include_case_lists=include)
        doc.add_section("a", Table("t", [["", "Sager"]],
                                   [["I mål", Cell("2", number=2, case_ids=("FC19-001", "FC19-007"))]]))
        return doc

    assert "FC19-007" not in render_html(build(False))
    assert 'title="Sager: FC19-001, FC19-007"' in render_html(build(True))
    hidden = openpyxl.load_workbook(write_report(build(False), tmp_path / "a", "r", ["xlsx"])["xlsx"])
    shown = openpyxl.load_workbook(write_report(build(True), tmp_path / "b", "r", ["xlsx"])["xlsx"])
    assert hidden["Tabel 1"]["B4"].comment is None
    assert "FC19-007" in shown["Tabel 1"]["B4"].comment.text

"""DOCX rendering with python-docx: headings, real Word tables with the note under each."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from effektspor.report.model import CaseList, Figure, Paragraph, ReportDocument, Table


def _add_table(document, table: Table) -> None:
    caption = document.add_paragraph()
    caption.add_run(table.caption).bold = True
    header = table.cells(table.header_rows)
    body = table.cells(table.body_rows)
    width = max((len(r) for r in header + body), default=1)
    word_table = document.add_table(rows=len(header) + len(body), cols=width)
    word_table.style = "Table Grid"
    for r, row in enumerate(header + body):
        bold = r < len(header) or r >= len(header) + len(body) - table.emphasise_last_rows
        for c in range(width):
            text = row[c].text if c < len(row) else ""
            paragraph = word_table.cell(r, c).paragraphs[0]
            run = paragraph.add_run(text)
            run.bold = bold
            if c > 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if table.note:
        note = document.add_paragraph()
        run = note.add_run(table.note)
        run.italic = True
        run.font.size = Pt(9)


def render_docx(doc: ReportDocument, path: Path) -> Path:
    """Write the report as a Word document to ``path`` and return it."""
    doc.number_blocks()
    document = docx.Document()
    document.core_properties.title = doc.title
    document.core_properties.language = "da-DK"
    document.add_heading(doc.title, level=0)
    if doc.subtitle:
        document.add_paragraph(doc.subtitle)
    for key, value in doc.metadata.items():
        line = document.add_paragraph()
        line.add_run(f"{key}: ").bold = True
        line.add_run(value)
    for section in doc.sections:
        document.add_heading(section.title, level=section.level)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                document.add_paragraph().add_run(block.text).bold = block.emphasis
            elif isinstance(block, Table):
                _add_table(document, block)
            elif isinstance(block, Figure):
                document.add_paragraph().add_run(block.label).bold = True
                document.add_picture(io.BytesIO(block.png), width=Cm(15))
                if block.caption:
                    document.add_paragraph().add_run(block.caption).italic = True
            elif isinstance(block, CaseList):
                document.add_paragraph().add_run(block.title).bold = True
                document.add_paragraph(", ".join(block.case_ids))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path

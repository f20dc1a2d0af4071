"""Reports: a small document model and renderers to HTML, DOCX and XLSX.

Build a ``ReportDocument`` of sections with paragraphs, numbered ``Table`` s (with a
"Celleindhold" note) and ``Figure`` s, then ``write_report`` it in the formats wanted.
"""

from __future__ import annotations

from pathlib import Path

from effektspor.domain.errors import EffektsporError
from effektspor.report.model import (
    CaseList,
    Cell,
    Figure,
    Paragraph,
    ReportDocument,
    Section,
    Table,
    count_with_percent,
    slug,
)

FORMATS = ("html", "docx", "xlsx")


def parse_formats(text: str) -> tuple[str, ...]:
    """Parse ``"html,docx"`` into formats; Danish error for an unknown one."""
    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise EffektsporError(
            f"Ukendt format: {', '.join(unknown) or '(tomt)'}. Vælg blandt {', '.join(FORMATS)}.")
    return formats


def write_report(doc: ReportDocument, folder: Path, basename: str,
                 formats: tuple[str, ...] | list[str] = FORMATS) -> dict[str, Path]:
    """Render ``doc`` into ``folder/<basename>.<format>`` for each format; return the paths."""
    from effektspor.report.docx_renderer import render_docx
    from effektspor.report.html import render_html
    from effektspor.report.xlsx import render_xlsx

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for fmt in formats:
        path = folder / f"{basename}.{fmt}"
        if fmt == "html":
            path.write_text(render_html(doc), encoding="utf-8")
        elif fmt == "docx":
            render_docx(doc, path)
        elif fmt == "xlsx":
            render_xlsx(doc, path)
        else:
            raise EffektsporError(f"Ukendt format: {fmt}. Vælg blandt {', '.join(FORMATS)}.")
        written[fmt] = path
    return written


__all__ = ["CaseList", "Cell", "Figure", "Paragraph", "ReportDocument", "Section", "Table",
           "FORMATS", "count_with_percent", "parse_formats", "slug", "write_report"]

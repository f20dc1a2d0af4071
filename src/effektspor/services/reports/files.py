"""Report files that need no project: a table of rows written as CSV for a spreadsheet."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from effektspor.report.spreadsheet import dict_writer


def write_rows_csv(path: Path, rows: Iterable[Mapping[str, object]],
                   columns: Sequence[str]) -> None:
    """Write ``rows`` to ``path`` as a ";"-separated UTF-8 CSV with a BOM (Excel opens it);
    empty values for None, and text a spreadsheet would run as a formula made harmless."""
    with Path(path).open("w", encoding="utf-8-sig", newline="") as handle:
        writer = dict_writer(handle, fieldnames=list(columns), delimiter=";")
        writer.writeheader()
        writer.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in rows)

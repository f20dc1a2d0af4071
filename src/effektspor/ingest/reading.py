"""Reading one source into records: the right reader, then row → record conversion."""

from __future__ import annotations

from collections.abc import Iterator

from effektspor.domain.errors import Problem
from effektspor.ingest.convert import Record, TypeResolver, row_to_record
from effektspor.ingest.documents import read_document_folder
from effektspor.ingest.sources import SourceSpec
from effektspor.ingest.tabular import READERS, Advance, Row


def iter_rows(spec: SourceSpec, resolve_type: TypeResolver, skipped: list[str],
              advance: Advance | None = None) -> Iterator[Row | Problem]:
    """The rows (or problems) of a source, whatever its format."""
    if spec.format == "folder":
        return read_document_folder(spec, resolve_type, skipped, advance)
    return READERS[spec.format](spec, advance)


def iter_records(spec: SourceSpec, resolve_type: TypeResolver, skipped: list[str],
                 advance: Advance | None = None) -> Iterator[Record | Problem]:
    """The records of a source; every problem is yielded in place of a bad record."""
    for item in iter_rows(spec, resolve_type, skipped, advance):
        if isinstance(item, Problem):
            yield item
            continue
        record, problems = row_to_record(spec, item, resolve_type)
        if problems:
            yield from problems
        else:
            yield record

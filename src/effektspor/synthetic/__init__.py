"""Synthetic demo corpus: realistic, seeded Danish case material resembling Randers 2019.

Pure (no database). ``write_export`` writes an export folder in the standard layout plus a
separate truth file; ``iter_notes`` streams notes for benchmarks of other areas.
"""

from effektspor.synthetic.corpus import (
    ExportInfo,
    SyntheticCase,
    generate_cases,
    iter_notes,
    read_truth,
    write_export,
)

__all__ = ["ExportInfo", "SyntheticCase", "generate_cases", "iter_notes", "read_truth",
           "write_export"]

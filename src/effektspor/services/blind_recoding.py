"""Moved to :mod:`effektspor.services.recoding.shared` (issue #10).

Kept only for the modules of other areas that still import it by this name while their
own areas move (``services/cases.py``, ``services/classification_sheet.py``,
``services/classification_queue.py``, ``services/analysis_browser.py``,
``web/routers/classification.py``); delete it once they import the new module.
"""

from effektspor.services.recoding.shared import (
    RECODING_PAGE,
    blind_case_ids,
    current_value_counts,
    is_blind,
)

__all__ = ["RECODING_PAGE", "blind_case_ids", "current_value_counts", "is_blind"]

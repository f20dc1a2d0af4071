"""Moved to :mod:`effektspor.services.classification.suggestions`.

Only ``DISCHARGE_TYPES`` is still importable here, for ``services/recoding_web.py`` until
the re-coding area moves to its own package; delete this module then.
"""

from effektspor.services.classification.suggestions import DISCHARGE_TYPES

__all__ = ["DISCHARGE_TYPES"]

"""Plain Danish wording of test results ("ikke statistisk signifikant (p = 0,41)").

Numbers and p-values are written by ``effektspor.domain.formatting`` (the one rule)."""

from __future__ import annotations

import math

from effektspor.domain.formatting import format_p


def significance_statement(p: float | None, alpha: float = 0.05) -> str:
    """Say in plain Danish whether a result is statistically significant at ``alpha``."""
    if p is None or math.isnan(p):
        return "testen kunne ikke beregnes"
    if p < alpha:
        return f"statistisk signifikant ({format_p(p)})"
    return f"ikke statistisk signifikant ({format_p(p)})"

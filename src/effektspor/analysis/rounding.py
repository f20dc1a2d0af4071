"""Exact rounding of percentages, half up, as the published tables do ("afrundes fra første decimal").

Binary floats cannot hold 3.5 % of most denominators exactly (e.g. 50 % of 7 = 3.5), so we
round with integer arithmetic instead of ``round(100 * a / b)`` (which also rounds half to even).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def percent_half_up(part: int, whole: int) -> int | None:
    """Return ``100 * part / whole`` rounded half up to a whole number; None when whole is 0."""
    if whole == 0:
        return None
    if part < 0 or whole < 0:
        raise ValueError("percent_half_up needs non-negative counts")
    return (200 * part + whole) // (2 * whole)


def round_half_up(value: float | Fraction | Decimal | int, decimals: int = 0) -> Decimal:
    """Round a number half up to ``decimals`` places, using its exact decimal form."""
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    quantum = Decimal(1).scaleb(-decimals)
    return exact.quantize(quantum, rounding=ROUND_HALF_UP)

"""Danish formatting of numbers, percentages and p-values: the one rule for reports, web and CLI.

* Numbers: "." between thousands, decimal comma, a hyphen-minus for negatives (so a figure
  copied into a spreadsheet stays a number): 1234.5 → "1.234,50", -0.125 → "-0,13".
* Rounding is half up (away from zero on a tie) on the number as it is written, so 0.125
  and 0.135 round to "0,13" and "0,14" — Python's ``format`` would give "0,12" for 0.125,
  whose binary value is an exact tie, and rounds ties to even.
* Percentages are whole numbers rounded half up ("afrundes fra første decimal"), as the
  published tables do: 1 of 8 → 13 %. Computed exactly from the counts, never from a float.
* p-values the way Danish reports write them: "p = 0,41", "p = 0,032", "p < 0,001".
* A missing value (None or NaN) is "–".

The web app registers these as Jinja filters (``tal``, ``procent``, ``pværdi``); the
report area's cells and the CLI's tables use them directly.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

#: How a missing or undefined figure is written.
MISSING = "–"

Real = float | int | Fraction | Decimal


def _exact(value: Real) -> Decimal | Fraction:
    """The number as written: a float by its shortest repr (0.125, not its binary value)."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, Fraction | Decimal):
        return value
    return Decimal(value)


def round_half_up(value: Real, decimals: int = 0) -> Decimal:
    """``value`` rounded half up (ties away from zero) to ``decimals`` places, exactly."""
    exact = _exact(value)
    if isinstance(exact, Fraction):
        exact = Decimal(exact.numerator) / Decimal(exact.denominator)
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def percent_half_up(part: Real, whole: Real) -> int | None:
    """``100 * part / whole`` rounded half up to a whole number; None when ``whole`` is 0."""
    if not whole:
        return None
    share = Fraction(_exact(part)) * 100 / Fraction(_exact(whole))
    return int(round_half_up(share, 0))


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_number(value: Real | None, decimals: int = 2) -> str:
    """A number in Danish: "1.234,50" (``decimals`` places, half up); "–" when missing."""
    if _missing(value):
        return MISSING
    if isinstance(value, float) and math.isinf(value):
        return "-∞" if value < 0 else "∞"
    rounded = round_half_up(value, decimals)
    sign = "-" if rounded < 0 else ""
    text = f"{abs(rounded):,.{decimals}f}"  # "1,234.50"
    return sign + text.replace(",", " ").replace(".", ",").replace(" ", ".")


def format_percent(part: Real, whole: Real) -> str:
    """A share as a whole percentage in running text: "13 %"; "–" when ``whole`` is 0."""
    value = percent_half_up(part, whole)
    return MISSING if value is None else f"{value} %"


def format_count_percent(count: int, percent_value: int | None) -> str:
    """A table cell as in the published tables: "1.234 (39%)", or "20 (–)" without a base."""
    share = MISSING if percent_value is None else f"{percent_value}%"
    return f"{format_number(count, 0)} ({share})"


def format_p(value: float | None) -> str:
    """A p-value as Danish reports write it: "p = 0,41", "p = 0,032" or "p < 0,001".

    Three decimals below 0.1 (where the 5 % line is read), two above; below 0.001 only the
    bound."""
    if _missing(value):
        return "p kan ikke beregnes"
    if value < 0.001:
        return "p < 0,001"
    decimals = 3 if round_half_up(value, 3) < Decimal("0.1") else 2  # 0.0996: "0,10"
    return f"p = {format_number(value, decimals)}"

"""Plain Danish wording of numbers and test results (decimal comma, "ikke statistisk signifikant")."""

from __future__ import annotations

import math

from effektspor.analysis.rounding import round_half_up


def danish_number(value: float, decimals: int = 2) -> str:
    """Format a number with a Danish decimal comma and dot as thousands separator."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    rounded = round_half_up(value, decimals)
    sign = "-" if rounded < 0 else ""
    text = f"{abs(rounded):,.{decimals}f}"
    return sign + text.replace(",", "\u00a0").replace(".", ",").replace("\u00a0", ".")


def format_p(p_value: float) -> str:
    """Write a p-value the way Danish reports do: "p = 0,41", "p = 0,032" or "p < 0,001"."""
    if p_value is None or math.isnan(p_value):
        return "p kan ikke beregnes"
    if p_value < 0.001:
        return "p < 0,001"
    decimals = 3 if p_value < 0.1 else 2
    return f"p = {danish_number(p_value, decimals)}"


def significance_statement(p_value: float | None, alpha: float = 0.05) -> str:
    """Say in plain Danish whether a result is statistically significant at ``alpha``."""
    if p_value is None or math.isnan(p_value):
        return "testen kunne ikke beregnes"
    if p_value < alpha:
        return f"statistisk signifikant ({format_p(p_value)})"
    return f"ikke statistisk signifikant ({format_p(p_value)})"


def describe_interval(low: float, high: float, decimals: int = 2, level: float = 0.95) -> str:
    """Write a confidence interval in Danish: "95 %-konfidensinterval 0,12 til 0,48"."""
    return (f"{danish_number(level * 100, 0)} %-konfidensinterval "
            f"{danish_number(low, decimals)} til {danish_number(high, decimals)}")

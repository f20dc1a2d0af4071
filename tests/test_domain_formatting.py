"""The one Danish formatting rule (``effektspor.domain.formatting``): numbers, percentages
half up, p-values; and that the web templates, report cells and CLI use it."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest

from effektspor.domain.formatting import (
    MISSING,
    format_count_percent,
    format_number,
    format_p,
    format_percent,
    percent_half_up,
    round_half_up,
)


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    # Ties round half up on the number as written: Python's format gives "0.12" for 0.125
    # (an exact binary tie, rounded to even) and "2.67" for 2.675 (binary value just below).
    (0.125, 2, "0,13"),
    (0.135, 2, "0,14"),
    (2.675, 2, "2,68"),
    (0.5, 0, "1"),
    (2.5, 0, "3"),
    # Thousands separated by ".", decimal comma.
    (1234.5, 2, "1.234,50"),
    (12345.675, 2, "12.345,68"),
    (300000, 0, "300.000"),
    (1_000_000.0, 0, "1.000.000"),
    (7, 0, "7"),
    (999.995, 2, "1.000,00"),
    # Small numbers.
    (0.0004, 3, "0,000"),
    (0.0005, 3, "0,001"),
    # Negative numbers: symmetric (ties away from zero), hyphen-minus, no "-0".
    (-0.125, 2, "-0,13"),
    (-1234.5, 0, "-1.235"),
    (-2.5, 0, "-3"),
    (-0.001, 2, "0,00"),
    # Exact types.
    (Fraction(1, 8), 2, "0,13"),
    (Fraction(1, 3), 3, "0,333"),
    (Decimal("0.125"), 2, "0,13"),
])
def test_numbers(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_missing_numbers():
    assert format_number(None) == MISSING == "–"
    assert format_number(math.nan, 3) == "–"
    assert format_number(math.inf) == "∞" and format_number(-math.inf) == "-∞"


def test_default_is_two_decimals():
    assert format_number(0.8123) == "0,81"


@pytest.mark.parametrize(("part", "whole", "expected"), [
    (1, 8, 13),  # 12.5: half up, not to even
    (7, 200, 4),  # 3.5
    (3, 8, 38),  # 37.5
    (5, 14, 36),
    (1, 14, 7),
    (20, 51, 39),
    (17, 51, 33),
    (0, 5, 0),
    (5, 5, 100),
    (0.5, 4, 13),
    (0, 0, None),
    (5, 0, None),
])
def test_percent_half_up(part, whole, expected):
    assert percent_half_up(part, whole) == expected


def test_percent_texts():
    assert format_percent(1, 8) == "13 %"
    assert format_percent(3, 0) == "–"
    assert format_count_percent(20, 39) == "20 (39%)"
    assert format_count_percent(1234, 50) == "1.234 (50%)"
    assert format_count_percent(20, None) == "20 (–)"


@pytest.mark.parametrize(("p", "expected"), [
    (0.41, "p = 0,41"),
    (0.125, "p = 0,13"),
    (0.0123, "p = 0,012"),
    (0.05, "p = 0,050"),
    (0.0996, "p = 0,10"),  # rounds to 0.100: two decimals, as above 0.1
    (0.001, "p = 0,001"),
    (0.0004, "p < 0,001"),
    (0.0, "p < 0,001"),
    (1.0, "p = 1,00"),
    (None, "p kan ikke beregnes"),
    (math.nan, "p kan ikke beregnes"),
])
def test_p_values(p, expected):
    assert format_p(p) == expected


def test_round_half_up_is_exact():
    assert str(round_half_up(2.675, 2)) == "2.68"
    assert str(round_half_up(Fraction(5, 2))) == "3"
    assert str(round_half_up(-0.125, 2)) == "-0.13"


def test_the_web_filters_use_the_rule():
    from effektspor.web.rendering import make_templates

    env = make_templates().env
    render = lambda source, **values: env.from_string(source).render(**values)  # noqa: E731
    assert render("{{ n|tal }}", n=300000) == "300.000"
    assert render("{{ x|tal(2) }}", x=0.125) == "0,13"
    assert render("{{ x|tal(2) }}", x=None) == "–"
    assert render("{{ 1|procent(8) }}") == "13 %"
    assert render("{{ p|pværdi }}", p=0.0004) == "p &lt; 0,001"  # escaped in HTML
    assert render("{{ 1234|antal_procent(50) }}") == "1.234 (50%)"


def test_report_cells_and_spreadsheet_numbers_agree():
    from effektspor.report.model import as_cell
    from effektspor.report.xlsx import _plain

    assert as_cell(1234.5).text == "1.234,50" == _plain(1234.5)
    assert as_cell(0.125).text == "0,13"
    assert as_cell(1234).text == "1.234" == _plain(1234)

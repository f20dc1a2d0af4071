"""Danish formatting in the templates, and the guard against open redirects."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from effektspor.web.rendering import danish_date, danish_number, danish_time
from effektspor.web.security import safe_next_path


def test_danish_date_time_and_number():
    assert danish_date(date(2019, 5, 3)) == "3. maj 2019" and danish_date(None) == ""
    # Copenhagen is UTC+1 in winter and UTC+2 in summer.
    assert danish_time(datetime(2026, 1, 10, 8, 0, tzinfo=UTC)) == "10-01-2026 09:00:00"
    assert danish_time(datetime(2026, 7, 10, 8, 0)) == "10-07-2026 10:00:00"  # naive = UTC
    assert danish_number(300000) == "300.000" and danish_number(7) == "7"


@pytest.mark.parametrize(("value", "expected"), [
    ("/sager?hold=Sandplay", "/sager?hold=Sandplay"), (None, "/"), ("", "/"),
    ("https://evil.example/", "/"), ("//evil.example", "/"), ("/\\evil.example", "/"),
    ("sager", "/"),
])
def test_safe_next_path(value, expected):
    assert safe_next_path(value) == expected

"""Date arithmetic of the follow-up calendar, exactly as the rules read.

A month is a calendar month; when the day does not exist in the target month, the
month's last day is used (31 January + 3 months = 30 April; 29 February + 12 months =
28 February). A week is 7 days, a year 12 months.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_UNITS = {
    "dag": "dage", "dage": "dage", "uge": "uger", "uger": "uger",
    "måned": "måneder", "måneder": "måneder", "år": "år",
}
_SINGULAR = {"dage": "dag", "uger": "uge", "måneder": "måned", "år": "år"}
_INTERVAL = re.compile(r"^\s*(\d+)\s+([a-zæøå]+)\s*$")


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the target month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


@dataclass(frozen=True, slots=True)
class Interval:
    """A number of days, weeks, months or years ("2 uger", "3 måneder")."""

    count: int
    unit: str  # "dage", "uger", "måneder" or "år"

    def after(self, day: date) -> date:
        """The date ``self`` after ``day``."""
        if self.unit == "dage":
            return day + timedelta(days=self.count)
        if self.unit == "uger":
            return day + timedelta(weeks=self.count)
        if self.unit == "måneder":
            return add_months(day, self.count)
        return add_months(day, 12 * self.count)

    def __str__(self) -> str:
        unit = _SINGULAR[self.unit] if self.count == 1 else self.unit
        return f"{self.count} {unit}"


def parse_interval(text: object) -> Interval:
    """An interval from Danish text such as "2 uger", "14 dage", "3 måneder", "1 år".

    Raises ``ValueError`` with a Danish message otherwise (the count must be at least 1).
    """
    match = _INTERVAL.match(str(text).lower()) if isinstance(text, str) else None
    unit = _UNITS.get(match.group(2)) if match else None
    if match is None or unit is None:
        raise ValueError(f"'{text}' er ikke et interval (skriv fx '2 uger', '14 dage', "
                         "'3 måneder' eller '1 år')")
    count = int(match.group(1))
    if count < 1:
        raise ValueError(f"intervallet '{text}' skal være mindst 1")
    return Interval(count, unit)

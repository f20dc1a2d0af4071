"""Reading dates as Danish exports write them."""

from __future__ import annotations

import re
from datetime import date, datetime

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_DANISH = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})(?: .*)?$")


def parse_date(value: object, fmt: str | None = None) -> date:
    """Parse a date from ISO (2019-03-07), Danish (07-03-2019, 7.3.2019) or a given format.

    Raises ``ValueError`` with a Danish message when the value is not a valid date.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        raise ValueError("datoen mangler")
    try:
        if fmt:
            return datetime.strptime(text, fmt).date()
        match = _ISO.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)
        match = _DANISH.match(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
    except ValueError:
        pass
    expected = f"formatet {fmt}" if fmt else "ÅÅÅÅ-MM-DD eller DD-MM-ÅÅÅÅ"
    raise ValueError(f"'{text}' er ikke en gyldig dato (forventede {expected})")


_TRUE = {"1", "ja", "j", "sand", "true", "yes", "x", "afsluttet", "lukket"}
_FALSE = {"0", "nej", "n", "falsk", "false", "no", "", "åben", "aktiv"}


def parse_bool(value: object) -> bool:
    """Parse a yes/no value as Danish exports write it (ja/nej, 1/0, sand/falsk)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"'{value}' er ikke ja/nej (brug ja, nej, 1 eller 0)")

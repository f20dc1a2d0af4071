"""Checking the input of the follow-up's use cases: every problem is collected with its
field (and, for files, file and line) before anything is written."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from effektspor.domain.dates import parse_date
from effektspor.domain.errors import Problem, ValidationError


class Checker:
    """Collects problems; :meth:`done` raises :class:`ValidationError` if there are any."""

    def __init__(self, file: str | None = None, line: int | None = None):
        self.file = file
        self.line = line
        self.problems: list[Problem] = []

    def problem(self, message: str, field: str) -> None:
        self.problems.append(Problem(message, file=self.file, line=self.line, field=field))

    def text(self, value: object, field: str, *, required: bool = True,
             limit: int | None = None) -> str | None:
        text = "" if value is None else str(value).strip()
        if not text:
            if required:
                self.problem("skal udfyldes", field)
            return None
        if limit is not None and len(text) > limit:
            self.problem(f"må højst være {limit} tegn", field)
            return None
        return text

    def day(self, value: object, field: str, *, required: bool = True) -> date | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem("skal udfyldes (ÅÅÅÅ-MM-DD)", field)
            return None
        try:
            return parse_date(value)
        except ValueError as error:
            self.problem(str(error), field)
            return None

    def choice(self, value: object, allowed: Iterable[str], field: str, *,
               required: bool = True) -> str | None:
        allowed = list(allowed)
        text = self.text(value, field, required=required)
        if text is not None and text not in allowed:
            self.problem(f"ukendt værdi '{text}' (gyldige: {', '.join(allowed)})", field)
            return None
        return text

    def not_before(self, later: date | None, earlier: date | None, field: str,
                   what: str) -> None:
        if later is not None and earlier is not None and later < earlier:
            self.problem(f"ligger før {what} ({earlier.isoformat()})", field)

    def done(self) -> None:
        if self.problems:
            raise ValidationError(self.problems)

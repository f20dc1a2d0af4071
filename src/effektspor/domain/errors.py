"""Errors and problem reports shared by every layer.

User-facing messages are Danish; each problem names where it was found so the user
can fix the source and try again.
"""

from __future__ import annotations

from dataclasses import dataclass


class EffektsporError(Exception):
    """Base class for errors that are shown to the user as they are (Danish text)."""


class ConflictError(EffektsporError):
    """Someone else changed or decided the same thing first; nothing was written.

    The web app answers HTTP 409 with the (Danish) message, which says what changed.
    """


class ValidationError(EffektsporError):
    """Input did not pass validation; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem], message: str | None = None):
        self.problems = problems
        super().__init__(message or f"{len(problems)} problem(er) fundet – intet er gemt.")


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in an input: where it is (file, line or row, field) and what is wrong."""

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.line is not None:
            where.append(f"linje {self.line}")
        if self.field:
            where.append(f"felt '{self.field}'")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message

"""Reading the follow-up's YAML definitions (rule sets, instruments) with line numbers,
so that every problem names file, line and field in Danish."""

from __future__ import annotations

import yaml

from effektspor.domain.errors import Problem, ValidationError
from effektspor.domain.yaml_lines import LineDict, LineLoader

__all__ = ["LineDict", "Reader", "load_yaml"]


def load_yaml(text: str, source: str) -> object:
    """The YAML document in ``text`` with :class:`LineDict` mappings."""
    try:
        return yaml.load(text, Loader=LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ValidationError([Problem(f"ugyldig YAML: {getattr(error, 'problem', error)}",
                                       file=source,
                                       line=mark.line + 1 if mark else None)]) from error


class Reader:
    """Collects the problems of one definition file before failing."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []

    def problem(self, message: str, where: object, key: str | None = None) -> None:
        line = None
        if isinstance(where, LineDict):
            line = where.key_lines.get(key, where.line)
        self.problems.append(Problem(message, file=self.source, line=line, field=key))

    def unknown_keys(self, mapping: LineDict, allowed: set[str], what: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.problem(f"ukendt nøgle i {what} (gyldige: {', '.join(sorted(allowed))})",
                             mapping, str(key))

    def text(self, mapping: LineDict, key: str, *, required: bool = False) -> str:
        value = mapping.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem("skal udfyldes", mapping, key)
            return ""
        if not isinstance(value, str | int | float):
            self.problem("skal være en tekst", mapping, key)
            return ""
        return " ".join(str(value).split())

    def number(self, mapping: LineDict, key: str, *, required: bool = False) -> float | None:
        value = mapping.get(key)
        if value is None:
            if required:
                self.problem("skal udfyldes", mapping, key)
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(f"'{value}' er ikke et tal", mapping, key)
            return None
        return float(value)

    def words(self, mapping: LineDict, key: str, allowed: set[str], what: str) -> tuple:
        value = mapping.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem("skal være en liste af ord", mapping, key)
            return ()
        for word in value:
            if word not in allowed:
                self.problem(f"ukendt {what} '{word}' (gyldige: "
                             f"{', '.join(sorted(allowed))})", mapping, key)
        return tuple(value)

    def fail_if_problems(self) -> None:
        if self.problems:
            raise ValidationError(self.problems)

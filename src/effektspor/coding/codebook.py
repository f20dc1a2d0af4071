"""The codebook: codes with definitions, examples and rules, read from versioned YAML.

A codebook is plain data (these dataclasses); ``load_codebook`` reads and validates a
YAML file and reports every problem in Danish with file, line and key, so a leader can
fix the file. The rule syntax is described in docs/brugervejledning/kodebog.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from effektspor.domain.errors import Problem, ValidationError

BUILTIN_CODEBOOK = "randers_2019.yaml"
NEGATION_MODES = ("udelukket", "påkrævet", "ligegyldig")
PERSPECTIVES = ("professionel", "borger", "anden", "ukendt")


@dataclass(frozen=True, slots=True)
class Rule:
    """One auto-coding rule of a code (see the user guide for each field)."""

    id: str
    code_id: str
    patterns: tuple[str, ...]
    max_gap: int = 2
    ordered: bool = True
    negation: str = "udelukket"
    perspectives: tuple[str, ...] = PERSPECTIVES
    exceptions: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    attention_points: tuple[str, ...] = ()
    document_types: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Code:
    """A code: id, Danish name, parent, definition, criteria, examples, colour, rules."""

    id: str
    name: str
    parent: str | None = None
    definition: str = ""
    inclusion: str = ""
    exclusion: str = ""
    positive_examples: tuple[str, ...] = ()
    negative_examples: tuple[str, ...] = ()
    colour: str | None = None
    rules: tuple[Rule, ...] = ()


@dataclass(frozen=True, slots=True)
class DerivedCode:
    """A case-level code: ``first`` followed in time by ``then`` within ``window_days``."""

    id: str
    name: str
    first: str
    then: str
    window_days: int
    definition: str = ""


@dataclass(frozen=True, slots=True)
class Codebook:
    """A named, versioned codebook with its word lists and derived codes."""

    name: str
    version: str
    codes: tuple[Code, ...]
    word_lists: dict[str, tuple[str, ...]] = field(default_factory=dict)
    derived: tuple[DerivedCode, ...] = ()
    description: str = ""
    source_text: str = ""

    def code(self, code_id: str) -> Code:
        """The code with id ``code_id`` (KeyError if unknown)."""
        for code in self.codes:
            if code.id == code_id:
                return code
        raise KeyError(code_id)

    @property
    def code_ids(self) -> tuple[str, ...]:
        """Every code id, in file order."""
        return tuple(code.id for code in self.codes)

    @property
    def top_level_ids(self) -> tuple[str, ...]:
        """The ids of codes without a parent."""
        return tuple(code.id for code in self.codes if code.parent is None)

    def ancestors(self, code_id: str) -> list[str]:
        """The parent, grandparent, ... of a code (nearest first)."""
        parents = {code.id: code.parent for code in self.codes}
        chain, current = [], parents.get(code_id)
        while current is not None and current not in chain:
            chain.append(current)
            current = parents.get(current)
        return chain

    def top_level_of(self, code_id: str) -> str:
        """The top-level code a code belongs to (itself if it has no parent)."""
        chain = self.ancestors(code_id)
        return chain[-1] if chain else code_id

    def rules(self) -> list[Rule]:
        """All rules of all codes."""
        return [rule for code in self.codes for rule in code.rules]


def builtin_codebook_path() -> Path:
    """The path of the built-in codebook "Randers 2019"."""
    return Path(str(resources.files("effektspor") / "data" / "codebooks" / BUILTIN_CODEBOOK))


def load_codebook(path: Path | None = None) -> Codebook:
    """Read and validate a codebook file (the built-in one when ``path`` is None)."""
    path = Path(path) if path is not None else builtin_codebook_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ValidationError([Problem(f"kan ikke læse filen ({error.strerror})", file=str(path))]
                              ) from error
    return parse_codebook(text, source=path.name)


def parse_codebook(text: str, *, source: str = "kodebog") -> Codebook:
    """Parse and validate codebook YAML; raise ``ValidationError`` listing every problem."""
    from effektspor.coding.codebook_validation import CodebookReader

    return CodebookReader(text, source).read()

"""A tiny template language for varied Danish sentences.

A template is text with alternatives in parentheses and slots in braces:
``"{forælder} (aflyser|melder afbud til) (dagens|det aftalte) møde."`` Rendering picks one
alternative per group and fills the slots, so a handful of templates gives thousands of
different sentences. Templates are compiled once; rendering is a few list look-ups, which
keeps the note generator fast enough for benchmark corpora of hundreds of megabytes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from random import Random

# A compiled part is a literal string, a tuple of literal alternatives (the common, fast
# case) or a list of alternatives that are themselves tuples of parts (nested groups).
Part = str | tuple | list


@dataclass(frozen=True, slots=True)
class Template:
    """A compiled template: literal strings and groups of alternatives, in order."""

    parts: tuple[Part, ...]
    source: str


def _parse(text: str, pos: int, nested: bool) -> tuple[tuple[tuple[Part, ...], ...], int]:
    """Parse alternatives from ``pos`` up to the closing parenthesis (or the end)."""
    alternatives: list[tuple[Part, ...]] = []
    current: list[Part] = []
    literal: list[str] = []
    while pos < len(text):
        char = text[pos]
        if char == "(":
            if literal:
                current.append("".join(literal))
                literal = []
            group, pos = _parse(text, pos + 1, True)
            current.append(_simplify(group))
            continue
        if nested and char in "|)":
            if literal:
                current.append("".join(literal))
                literal = []
            alternatives.append(tuple(current))
            current = []
            pos += 1
            if char == ")":
                return tuple(alternatives), pos
            continue
        literal.append(char)
        pos += 1
    if nested:
        raise ValueError(f"unclosed parenthesis in template: {text!r}")
    if literal:
        current.append("".join(literal))
    return (tuple(current),), pos


def _simplify(group: tuple[tuple[Part, ...], ...]) -> Part:
    """A group of plain strings becomes a tuple of strings; others stay a list."""
    if all(len(alt) <= 1 and all(isinstance(p, str) for p in alt) for alt in group):
        return tuple(alt[0] if alt else "" for alt in group)
    return list(group)


def compile_template(text: str) -> Template:
    """Compile ``text``; groups ``(a|b|)`` become alternatives (nesting and empty allowed)."""
    (parts,), _ = _parse(text, 0, False)
    return Template(parts, text)


def _emit(parts: tuple[Part, ...], random, append) -> None:
    for part in parts:
        kind = part.__class__
        if kind is str:
            append(part)
        elif kind is tuple:
            append(part[int(random() * len(part))])
        else:
            _emit(part[int(random() * len(part))], random, append)


def render(template: Template, rng: Random, slots: Mapping[str, str]) -> str:
    """Render one variant of ``template`` with ``slots`` filled in."""
    out: list[str] = []
    _emit(template.parts, rng.random, out.append)
    text = "".join(out)
    if "{" in text:
        text = text.format_map(slots)
    if "  " in text:  # an empty alternative next to a space
        text = " ".join(text.split())
    return text[:1].upper() + text[1:]


def compile_all(texts: Sequence[str]) -> tuple[Template, ...]:
    """Compile a list of templates."""
    return tuple(compile_template(text) for text in texts)


def pick(rng: Random, items: Sequence):
    """Pick one item (faster than ``Random.choice`` for short sequences)."""
    return items[int(rng.random() * len(items))]

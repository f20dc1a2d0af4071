"""A tiny template language for varied Danish sentences.

A template is text with alternatives in parentheses and slots in braces:
``"{forælder} (aflyser|melder afbud til) (dagens|det aftalte) møde."`` Rendering picks one
alternative per group and fills the slots, so a handful of templates gives thousands of
different sentences. Templates are compiled once; rendering is a few list look-ups, which
keeps the note generator fast enough for benchmark corpora of hundreds of megabytes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from random import Random

_GROUP = re.compile(r"\(([^()]*)\)")


@dataclass(frozen=True, slots=True)
class Template:
    """A compiled template: literal strings and tuples of alternatives, in order."""

    parts: tuple[str | tuple[str, ...], ...]
    source: str


def compile_template(text: str) -> Template:
    """Compile ``text``; groups ``(a|b|)`` become alternatives (an empty one is allowed)."""
    pieces = _GROUP.split(text)
    parts: list[str | tuple[str, ...]] = []
    for index, piece in enumerate(pieces):
        if index % 2:
            parts.append(tuple(piece.split("|")))
        elif piece:
            parts.append(piece)
    return Template(tuple(parts), text)


def render(template: Template, rng: Random, slots: Mapping[str, str]) -> str:
    """Render one variant of ``template`` with ``slots`` filled in."""
    out = []
    for part in template.parts:
        if isinstance(part, str):
            out.append(part)
        else:
            out.append(part[int(rng.random() * len(part))])
    text = "".join(out)
    if "{" in text:
        text = text.format_map(slots)
    return text[:1].upper() + text[1:]


def compile_all(texts: Sequence[str]) -> tuple[Template, ...]:
    """Compile a list of templates."""
    return tuple(compile_template(text) for text in texts)


def pick(rng: Random, items: Sequence):
    """Pick one item (faster than ``Random.choice`` for short sequences)."""
    return items[int(rng.random() * len(items))]

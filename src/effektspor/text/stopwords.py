"""The Danish stop-word list shipped with effektspor (data/stopwords_da.txt)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def danish_stopwords() -> frozenset[str]:
    """The built-in Danish stop words (lower case)."""
    path = resources.files("effektspor") / "data" / "stopwords_da.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def is_stopword(word: str) -> bool:
    """True when the lower-case ``word`` is a Danish stop word."""
    return word in danish_stopwords()

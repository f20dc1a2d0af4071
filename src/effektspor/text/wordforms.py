"""Danish word-form normalisation with the Snowball stemmer (offline, no data files).

We measured Snowball against the lemma lookup table of spacy-lookups-data (see
bench/results/coding.md) and chose Snowball: it needs no 100 MB data package, it is
deterministic and fast, and where a stem is not the same for all forms of a word (strong
verbs: tager/tog/taget) the codebook lists the forms or uses a prefix with ``*``.
"""

from __future__ import annotations

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("danish")
_CACHE: dict[str, str] = {}
_CACHE_LIMIT = 500_000


#: Look-up in the stem cache without a function call (None if not cached yet).
cached_stem = _CACHE.get


def stem(word: str) -> str:
    """The Snowball stem of a lower-case Danish word (cached)."""
    cached = _CACHE.get(word)
    if cached is not None:
        return cached
    if len(_CACHE) >= _CACHE_LIMIT:  # keep memory flat on very large corpora
        _CACHE.clear()
    result = _STEMMER.stemWord(word)
    _CACHE[word] = result
    return result


def word_form_key(word: str) -> str:
    """The key under which search and counting group the forms of ``word``."""
    return stem(word.lower())

"""TextView helpers that were rewritten for speed give the same answers as their regex form."""

from __future__ import annotations

import random

from effektspor.privacy.spans import _WORD_BEFORE, TextView


def _word_before_by_regex(text: str, position: int, window: int) -> str:
    match = _WORD_BEFORE.search(text, max(0, position - window), position)
    return match.group(1).casefold() if match else ""


def test_word_before_matches_the_regex_definition_on_random_text():
    rng = random.Random(20261122)
    alphabet = "abÆø_1²½ ,.-\n(Å\t»"
    checked = 0
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        position = rng.randint(0, len(text))
        view = TextView(text)
        for window in (40, 5):
            assert view.word_before(position, window) == _word_before_by_regex(
                text, position, window), (text, position, window)
            checked += 1
    assert checked == 40_000


def test_word_before_examples():
    view = TextView("Han bor hos mor (Jannie) og 12 Kim")
    assert view.word_before(view.text.index("Jannie")) == "mor"
    assert view.word_before(view.text.index("Kim")) == ""  # a number comes between
    assert view.word_before(0) == ""

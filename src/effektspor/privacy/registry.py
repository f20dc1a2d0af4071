"""The registry of recognisers: each finds candidates of some labels in a :class:`TextView`.

More recognisers can be added with :meth:`RecogniserRegistry.register`; the pseudonymiser
asks every registered recogniser and then resolves overlaps.
"""

from __future__ import annotations

from typing import Protocol

from effektspor.privacy.lexicon import Lexicon, load_lexicon
from effektspor.privacy.recognisers.address import AddressRecogniser
from effektspor.privacy.recognisers.contact import (
    EmailRecogniser,
    PhoneRecogniser,
    UrlRecogniser,
)
from effektspor.privacy.recognisers.cpr import CprRecogniser
from effektspor.privacy.recognisers.known import KnownRecogniser
from effektspor.privacy.recognisers.names import NameRecogniser
from effektspor.privacy.recognisers.places import PlaceRecogniser
from effektspor.privacy.recognisers.usernames import UserNameRecogniser
from effektspor.privacy.spans import Candidate, TextView


class Recogniser(Protocol):
    """Anything with a ``name``, the ``labels`` it produces and ``find(view)``."""

    name: str
    labels: tuple[str, ...]

    def find(self, view: TextView) -> list[Candidate]:
        """Return the candidates found in the text."""
        ...


class RecogniserRegistry:
    """An ordered set of recognisers, looked up by name."""

    def __init__(self) -> None:
        self._recognisers: dict[str, Recogniser] = {}

    def register(self, recogniser: Recogniser) -> None:
        """Add (or replace) a recogniser under its name."""
        self._recognisers[recogniser.name] = recogniser

    def remove(self, name: str) -> None:
        """Remove a recogniser by name (no error if it is missing)."""
        self._recognisers.pop(name, None)

    def __iter__(self):
        return iter(self._recognisers.values())

    def names(self) -> list[str]:
        """The names of the registered recognisers, in order."""
        return list(self._recognisers)

    def find_all(self, view: TextView) -> list[Candidate]:
        """The candidates of every recogniser, unresolved."""
        found: list[Candidate] = []
        for recogniser in self._recognisers.values():
            found.extend(recogniser.find(view))
        return found


def default_registry(lexicon: Lexicon | None = None) -> RecogniserRegistry:
    """The built-in recognisers: known, CPR, phone, e-mail, URL, address, place, name, user
    name."""
    lexicon = lexicon or load_lexicon()
    registry = RecogniserRegistry()
    registry.register(KnownRecogniser())
    registry.register(CprRecogniser())
    registry.register(PhoneRecogniser())
    registry.register(EmailRecogniser())
    registry.register(UrlRecogniser(lambda word: lexicon.name_rank(word) is not None
                                    and word not in lexicon.common_words))
    registry.register(AddressRecogniser(lexicon))
    registry.register(PlaceRecogniser(lexicon))
    registry.register(NameRecogniser(lexicon))
    registry.register(UserNameRecogniser(lexicon))
    return registry

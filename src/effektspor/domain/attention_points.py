"""Versioned attention-point schemes (opmærksomhedspunkter) of the diary notes.

Attention points are revised over time, so a note's point belongs to the scheme that
was in force when the note was written. The 2018 and 2019 schemes of the Familiecenter
in Randers are built in (Tabel 1 of the 2019 report).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

COMMON_2018_2019: tuple[str, ...] = (
    "Evnen til at se barnets behov",
    "Familieforhold",
    "Sundhedsforhold",
    "Uddannelse og beskæftigelse",
    "Fritidsforhold og venskaber",
    "Netværk",
    "Udvikling og adfærd",
)

REMOVED_AFTER_2018: tuple[str, ...] = (
    "Barnets personlighed",
    "Forældrenes personlighed",
    "Samværsrelationer",
    "Skole og daginstitution",
    "Generelle forhold",
)

NEW_IN_2019: tuple[str, ...] = (
    "Personbeskrivelse af forældrene",
    "Samvær",
    "Generelle notater",
    "Beskrivelse af barnet",
    "Samlivsrelationer",
    "Temaer, historier og figurer",
    "Udvikling, adfærd og tolkning",
)


@dataclass(frozen=True, slots=True)
class AttentionPointScheme:
    """A named, dated version of the list of attention points."""

    version: str
    valid_from: date
    points: tuple[str, ...]

    def find(self, name: str) -> str | None:
        """Return the scheme's spelling of ``name`` (case and spacing ignored), or None."""
        key = _key(name)
        for point in self.points:
            if _key(point) == key:
                return point
        return None


def _key(name: str) -> str:
    return " ".join(name.replace(".", " ").split()).casefold()


BUILTIN_SCHEMES: tuple[AttentionPointScheme, ...] = (
    AttentionPointScheme("2018", date(2018, 1, 1), COMMON_2018_2019 + REMOVED_AFTER_2018),
    AttentionPointScheme("2019", date(2019, 1, 1), COMMON_2018_2019 + NEW_IN_2019),
)


def scheme_for_date(schemes: tuple[AttentionPointScheme, ...] | list[AttentionPointScheme],
                    when: date) -> AttentionPointScheme:
    """Return the scheme in force on ``when`` (the oldest scheme for earlier dates)."""
    ordered = sorted(schemes, key=lambda s: s.valid_from)
    chosen = ordered[0]
    for scheme in ordered:
        if scheme.valid_from <= when:
            chosen = scheme
    return chosen

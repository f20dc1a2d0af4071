"""Case variables derived from codings: "does the case have at least one coding of X?".

Input is the presence of codes per case, ``{case_external_id: {code_id, ...}}`` (what the
coding services' ``case_code_presence`` returns); output is "ja"/"nej" per case and
derived variable, ready to be crossed with the outcome (e.g. Tabel 4 and Tabel 5).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DerivedVariable:
    """A yes/no case variable that is "ja" when the case has any of ``codes``."""

    name: str
    label: str
    codes: frozenset[str]
    description: str = ""


def derive_values(presence: Mapping[str, Iterable[str]], definitions: Iterable[DerivedVariable],
                  *, case_ids: Iterable[str] | None = None) -> dict[str, dict[str, str]]:
    """Evaluate ``definitions`` for every case of ``case_ids`` (default: those in ``presence``).

    A case absent from ``presence`` has no codings, so every derived variable is "nej".
    """
    definitions = list(definitions)
    ids = list(presence) if case_ids is None else list(case_ids)
    result: dict[str, dict[str, str]] = {}
    for case_id in ids:
        codes = set(presence.get(case_id, ()))
        result[case_id] = {d.name: "ja" if codes & d.codes else "nej" for d in definitions}
    return result


#: The case-level dimensions of Tabel 4 and Tabel 5, by the code ids of the built-in codebook
#: (a parent code counts when any of its child codes is present).
STANDARD_DERIVED: tuple[DerivedVariable, ...] = (
    DerivedVariable("negativ_alliance", "Negative alliancebeskrivelser",
                    frozenset({"negativ_alliance"}),
                    "Mindst én negativ alliancebeskrivelse i sagens dagbogsnotater."),
    DerivedVariable("positiv_alliance", "Positive alliancebeskrivelser",
                    frozenset({"positiv_alliance"}),
                    "Mindst én positiv alliancebeskrivelse i sagens dagbogsnotater."),
    DerivedVariable("professionel_tvivl", "Professionel tvivl",
                    frozenset({"professionel_tvivl"}),
                    "Den professionelle udtrykker mindst én gang tvivl om egen forståelse."),
    DerivedVariable("relationsarbejde", "Relationsarbejde", frozenset({"relationsarbejde"}),
                    "Mindst én beskrivelse af relationsarbejde."),
    DerivedVariable("indsatsjustering", "Indsatsjustering", frozenset({"indsatsjustering"}),
                    "Problemforståelsen eller indsatsen ændres mindst én gang."),
    DerivedVariable("reflekteret_indsatsjustering", "Reflekteret indsatsjustering",
                    frozenset({"reflekteret_indsatsjustering"}),
                    "Professionel tvivl efterfulgt af en indsatsjustering (rækkefølgen "
                    "tæller)."),
)

"""Drawing a re-coding sample: whole teams and/or N random cases, reproducible by seed."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from effektspor.domain.errors import EffektsporError


@dataclass(frozen=True, slots=True)
class SampleCase:
    """A case that may be drawn: its id and intervention team (None if unknown)."""

    external_id: str
    team: str | None


def draw_sample(cases: Iterable[SampleCase], *, teams: Sequence[str] = (),
                n_random: int = 0, seed: int) -> list[str]:
    """Return the ids of all cases of ``teams`` plus ``n_random`` other cases drawn at random.

    The draw depends only on the seed and the set of cases (not their order), so the same
    seed gives the same sample. Raises ``EffektsporError`` (Danish) for an unknown team,
    a negative or too large ``n_random``, or an empty sample.
    """
    pool = sorted(cases, key=lambda c: c.external_id)
    known_teams = {c.team for c in pool if c.team}
    unknown = [team for team in teams if team not in known_teams]
    if unknown:
        raise EffektsporError(
            f"Ukendt team: {', '.join(unknown)}. Kendte teams: "
            f"{', '.join(sorted(known_teams)) or '(ingen)'}.")
    if n_random < 0:
        raise EffektsporError("Antallet af tilfældige sager kan ikke være negativt.")
    chosen = [c.external_id for c in pool if c.team in set(teams)]
    rest = [c.external_id for c in pool if c.team not in set(teams)]
    if n_random > len(rest):
        raise EffektsporError(
            f"Der kan ikke trækkes {n_random} tilfældige sager: kun {len(rest)} sager er "
            "tilbage uden for de valgte teams.")
    chosen.extend(sorted(random.Random(seed).sample(rest, n_random)))
    if not chosen:
        raise EffektsporError("Stikprøven er tom: vælg mindst ét team eller et antal "
                              "tilfældige sager.")
    return chosen

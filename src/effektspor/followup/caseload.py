"""Caseload (sagstal): open cases and children per caseworker, and per team the mean,
highest and lowest (the table in seed 002).

A case is open on a date when it started on or before the date and has no end or ends
later. Cases are registered per family or per child, so both cases and children count.
Means are rounded half up to one decimal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from effektspor.domain.formatting import round_half_up

#: The partnership's target mean per caseworker (seed 002) and the union's band.
DEFAULT_TARGET = 25
UNION_BAND = (20, 30)


@dataclass(frozen=True, slots=True)
class CaseloadCase:
    """One case as the caseload needs it."""

    case: str
    caseworker: str
    team: str
    children: int
    start: date
    end: date | None = None

    def open_on(self, day: date) -> bool:
        """True when the case is open on ``day``."""
        return self.start <= day and (self.end is None or self.end > day)


def mean_half_up(total: int, count: int) -> float:
    """``total / count`` rounded half up to one decimal (0.0 when ``count`` is 0)."""
    if count == 0:
        return 0.0
    return float(round_half_up(Fraction(total, count), 1))


def caseload(cases: Iterable[CaseloadCase], day: date) -> dict:
    """Caseload on ``day``: per caseworker, per team, and in all (the CLI's JSON shape).

    A caseworker with no open case on the day is not counted (they carry no caseload).
    """
    workers: dict[tuple[str, str], list[int]] = {}
    for item in cases:
        if item.open_on(day):
            counts = workers.setdefault((item.caseworker, item.team), [0, 0])
            counts[0] += 1
            counts[1] += item.children
    rows = [{"rådgiver": worker, "team": team, "sager": counts[0], "børn": counts[1]}
            for (worker, team), counts in sorted(workers.items())]
    teams: dict[str, list[int]] = {}
    for row in rows:
        teams.setdefault(row["team"], []).append(row["sager"])
    team_rows = [{"team": team, "rådgivere": len(loads),
                  "gennemsnit_sager": mean_half_up(sum(loads), len(loads)),
                  "højeste": max(loads), "laveste": min(loads)}
                 for team, loads in sorted(teams.items())]
    total_cases = sum(row["sager"] for row in rows)
    return {"rådgivere": rows, "teams": team_rows,
            "i_alt": {"rådgivere": len(rows), "sager": total_cases,
                      "børn": sum(row["børn"] for row in rows),
                      "gennemsnit_sager": mean_half_up(total_cases, len(rows))}}

"""Synthetic follow-up material: open cases with measures of each kind, goals of both
kinds in every life area, measurement series with realistic courses, follow-ups held on
time, late and not at all, and caseworkers whose caseloads spread like seed 002 (mean
about 26, from about 11 to 41). Seeded and pure (no database); no real person.

``write_followup_files`` writes the CSV files of the CLI contracts (``indsatser.csv``,
``afholdte.csv``, ``sager.csv``) for the demo, the tests and the benchmark.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from effektspor.domain.followup import LIFE_AREAS
from effektspor.report.spreadsheet import csv_writer

#: Measure kinds and their share of the synthetic measures.
KIND_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("forebyggende", 0.55), ("anbringelse_familiepleje", 0.17),
    ("anbringelse_netværkspleje", 0.08), ("anbringelse_institution", 0.14),
    ("anbringelse_eget_værelse", 0.06))

#: Courses of a measurement series.
COURSES = ("fremgang", "plateau", "tilbagegang", "stopper_tidligt")

#: Goal wordings per life area (progression, maintenance): plain, without names.
GOAL_TEXTS: dict[str, tuple[str, str]] = {
    "Udvikling og adfærd": ("Kan falde til ro efter en konflikt inden for en halv time",
                            "Bevarer de faste rutiner ved sengetid"),
    "Familieforhold": ("Færre skænderier ved aftensmaden, højst én gang om ugen",
                       "Fortsætter det gode samvær med far hver anden weekend"),
    "Skole og uddannelse": ("Går i skole mindst 4 af 5 dage",
                            "Bliver ved med at møde til tiden i skolen"),
    "Sundhedsforhold": ("Sover mindst 8 timer de fleste nætter",
                        "Holder fast i de faste lægetider"),
    "Fritidsforhold og venskaber": ("Deltager i en fritidsaktivitet hver uge",
                                    "Bevarer venskabet med en god kammerat fra klassen"),
    "Netværk": ("Har en voksen i netværket at ringe til",
                "Fortsætter de faste besøg hos bedsteforældrene"),
}


@dataclass(frozen=True, slots=True)
class SyntheticMeasure:
    """A measure of a synthetic case, with the case's caseworker and children."""

    case: str
    measure: str
    kind: str
    start: date
    investigation_end: date | None
    caseworker: str
    team: str
    children: int
    risk_level: str
    end: date | None = None


@dataclass(frozen=True, slots=True)
class SyntheticGoal:
    case: str
    measure: str
    life_area: str
    kind: str
    text: str
    priority: int


@dataclass(frozen=True, slots=True)
class SyntheticMeasurement:
    case: str
    instrument: str
    day: date
    informant: str
    score: int
    expected_next: int | None
    course: str


@dataclass(slots=True)
class FollowUpCorpus:
    """Everything generated, as plain records."""

    day: date
    measures: list[SyntheticMeasure] = field(default_factory=list)
    held: list[tuple[str, str, date]] = field(default_factory=list)
    goals: list[SyntheticGoal] = field(default_factory=list)
    measurements: list[SyntheticMeasurement] = field(default_factory=list)


def caseloads(workers: int, rng: random.Random) -> list[int]:
    """``workers`` caseloads from about 11 to 41 with a mean about 26 (seed 002)."""
    if workers == 1:
        return [26]
    loads = [round(11 + 30 * (i / (workers - 1)) ** 1.1) for i in range(workers)]
    rng.shuffle(loads)
    return loads


#: Three calendar months are 89 to 92 days: a first follow-up within 89 days of the
#: start is on time by any reckoning, one after 92 days is late (the calendar itself is
#: in ``followup/``, which this pure layer does not import).
SHORTEST_THREE_MONTHS, LONGEST_THREE_MONTHS = 89, 92


def generate_followup(*, children: int = 260, seed: int = 13, day: date = date(2025, 6, 1),
                      teams: tuple[str, ...] = ("Team Nord", "Team Syd", "Team Vest"),
                      with_series: bool = True) -> FollowUpCorpus:
    """About ``children`` children in open cases on ``day`` (a quarter of the cases are
    families with two or three children), spread over caseworkers like seed 002."""
    rng = random.Random(seed)
    corpus = FollowUpCorpus(day)
    cases_wanted = max(1, round(children / 1.3))
    workers = max(1, round(cases_wanted / 26))
    loads = caseloads(workers, rng)
    scale = cases_wanted / sum(loads)
    loads = [max(1, round(load * scale)) for load in loads]
    kinds, weights = zip(*KIND_WEIGHTS, strict=True)
    number = 0
    for index, load in enumerate(loads):
        worker = f"Rådgiver {index + 1:03d}"
        team = teams[index % len(teams)]
        for _ in range(load):
            number += 1
            case = f"F-{number:06d}"
            kind = rng.choices(kinds, weights)[0]
            start = day - timedelta(days=rng.randint(10, 720))
            investigation = (start + timedelta(days=rng.randint(20, 120))
                             if rng.random() < 0.3 else None)
            family = rng.random() < 0.25
            measure = SyntheticMeasure(case, "I-1", kind, start, investigation, worker, team,
                                       rng.choice((2, 3)) if family else 1,
                                       rng.choices(("lav", "middel", "høj"), (5, 4, 1))[0])
            corpus.measures.append(measure)
            _held(corpus, measure, rng)
            if with_series:
                _goals_and_series(corpus, measure, rng)
    return corpus


def _held(corpus: FollowUpCorpus, measure: SyntheticMeasure, rng: random.Random) -> None:
    """Held follow-ups: the first on time (70 %), late (20 %) or not at all (10 %), then
    every 6 to 14 weeks until the day."""
    on_time = measure.start + timedelta(days=SHORTEST_THREE_MONTHS)
    late = measure.start + timedelta(days=LONGEST_THREE_MONTHS)
    if measure.investigation_end and measure.investigation_end < on_time:
        on_time = late = measure.investigation_end
    draw = rng.random()
    if draw < 0.7:
        first = measure.start + timedelta(days=rng.randint(
            min(10, (on_time - measure.start).days), (on_time - measure.start).days))
    elif draw < 0.9:
        first = late + timedelta(days=rng.randint(1, 45))
    else:
        return
    held = first
    while held <= corpus.day:
        corpus.held.append((measure.case, measure.measure, held))
        held += timedelta(weeks=rng.randint(6, 14))


def _goals_and_series(corpus: FollowUpCorpus, measure: SyntheticMeasure,
                      rng: random.Random) -> None:
    areas = rng.sample(LIFE_AREAS, rng.randint(1, 3))
    for priority, area in enumerate(areas, start=1):
        kind = "progression" if rng.random() < 0.7 else "fastholdelse"
        text = GOAL_TEXTS[area][0 if kind == "progression" else 1]
        corpus.goals.append(SyntheticGoal(measure.case, measure.measure, area, kind, text,
                                          priority))
    course = rng.choice(COURSES)
    level = rng.randint(2, 5)
    when = measure.start + timedelta(days=rng.randint(0, 14))
    points = 0
    while when <= corpus.day and not (course == "stopper_tidligt" and points >= 3):
        step = {"fremgang": rng.choice((0, 1, 1)), "plateau": rng.choice((-1, 0, 0, 1)),
                "tilbagegang": rng.choice((-1, -1, 0)), "stopper_tidligt": rng.choice((0, 1))}
        level = min(10, max(0, level + step[course]))
        corpus.measurements.append(SyntheticMeasurement(
            measure.case, "skalering", when, "barn", level, min(10, level + 1), course))
        points += 1
        when += timedelta(weeks=rng.randint(4, 8))


def write_followup_files(corpus: FollowUpCorpus, folder: Path) -> dict[str, Path]:
    """The CSV files of the CLI contracts: ``indsatser.csv`` (with ``risiko``),
    ``afholdte.csv`` and ``sager.csv``; returns their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {name: folder / f"{name}.csv" for name in ("indsatser", "afholdte", "sager")}
    with paths["indsatser"].open("w", encoding="utf-8", newline="") as handle:
        writer = csv_writer(handle, delimiter=";")
        writer.writerow(["sag", "indsats", "type", "start", "undersøgelse_slut", "risiko"])
        for m in corpus.measures:
            writer.writerow([m.case, m.measure, m.kind, m.start.isoformat(),
                             m.investigation_end.isoformat() if m.investigation_end else "",
                             m.risk_level])
    with paths["afholdte"].open("w", encoding="utf-8", newline="") as handle:
        writer = csv_writer(handle, delimiter=";")
        writer.writerow(["sag", "indsats", "afholdt"])
        for case, measure, held in corpus.held:
            writer.writerow([case, measure, held.isoformat()])
    with paths["sager"].open("w", encoding="utf-8", newline="") as handle:
        writer = csv_writer(handle, delimiter=";")
        writer.writerow(["sag", "rådgiver", "team", "børn", "start", "slut"])
        for m in corpus.measures:
            writer.writerow([m.case, m.caseworker, m.team, m.children, m.start.isoformat(),
                             m.end.isoformat() if m.end else ""])
    return paths

"""The synthetic follow-up material: seeded, every kind and life area, caseloads spread
like seed 002, follow-ups on time, late and missing, and files the CLI contracts read."""

from __future__ import annotations

from collections import Counter
from datetime import date

from effektspor.domain.followup import LIFE_AREAS, MEASURE_KINDS
from effektspor.followup.calendar import statutory_first_deadline
from effektspor.services.followup.files import (
    caseload_from_file,
    due_dates_from_files,
    read_held,
    read_measures,
)
from effektspor.synthetic.followup import COURSES, generate_followup, write_followup_files

DAY = date(2025, 6, 1)


def test_the_material_is_seeded_and_covers_every_kind_area_and_course():
    corpus = generate_followup(children=400, seed=3, day=DAY)
    assert corpus.measures == generate_followup(children=400, seed=3, day=DAY).measures
    assert {m.kind for m in corpus.measures} == set(MEASURE_KINDS)
    assert {g.life_area for g in corpus.goals} == set(LIFE_AREAS)
    assert {g.kind for g in corpus.goals} == {"progression", "fastholdelse"}
    assert {m.course for m in corpus.measurements} == set(COURSES)
    assert all(0 <= m.score <= 10 and m.day <= DAY for m in corpus.measurements)
    loads = Counter(m.caseworker for m in corpus.measures)
    assert 8 <= len(loads) <= 14
    assert min(loads.values()) <= 14 and max(loads.values()) >= 36
    assert 24 <= sum(loads.values()) / len(loads) <= 28


def test_first_follow_ups_on_time_late_and_missing():
    corpus = generate_followup(children=1000, seed=5, day=DAY, with_series=False)
    first = {}
    for case, _measure, held in corpus.held:
        first.setdefault(case, held)
    status = Counter()
    for measure in corpus.measures:
        deadline = statutory_first_deadline(_facts(measure))[0]
        if measure.case not in first:
            status["ikke holdt"] += 1
        else:
            status["til tiden" if first[measure.case] <= deadline else "for sent"] += 1
    total = sum(status.values())
    assert 0.6 < status["til tiden"] / total < 0.8
    assert 0.1 < status["for sent"] / total < 0.3 and status["ikke holdt"] > 0


def _facts(measure):
    from effektspor.domain.followup import MeasureFacts

    return MeasureFacts(measure.case, measure.measure, measure.kind, measure.start,
                        measure.investigation_end, measure.risk_level)


def test_the_files_go_through_the_cli_contracts(tmp_path):
    corpus = generate_followup(children=300, seed=8, day=DAY, with_series=False)
    paths = write_followup_files(corpus, tmp_path)
    measures = read_measures(paths["indsatser"])
    assert len(measures) == len(corpus.measures)
    assert sum(map(len, read_held(paths["afholdte"], measures).values())) == len(corpus.held)
    due = due_dates_from_files(paths["indsatser"], "herning", held_path=paths["afholdte"],
                               until=DAY)
    assert due["frister"] and all(row["frist"] <= "2025-06-01" for row in due["frister"])
    load = caseload_from_file(paths["sager"], day=DAY)
    assert load["i_alt"]["sager"] == len(corpus.measures)
    assert load["i_alt"]["børn"] == sum(m.children for m in corpus.measures)

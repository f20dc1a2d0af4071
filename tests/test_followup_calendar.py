"""The follow-up calendar on the law's deadlines and Herning's cadence (FOLLOWUP.md):
calendar months with month-end clamping, leap years, an investigation ending before 3
months, a late follow-up moving the next date, a decided schedule, the first-year
boundary, and rule sets with Danish file/line errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from effektspor.domain.errors import ValidationError
from effektspor.domain.followup import DecidedSchedule, MeasureFacts
from effektspor.followup.calendar import (
    LAW_FIRST,
    follow_up_calendar,
    side_deadlines,
    statutory_first_deadline,
)
from effektspor.followup.caseload import CaseloadCase, caseload, mean_half_up
from effektspor.followup.dates import add_months, parse_interval
from effektspor.followup.rulesets import load_rule_set, read_rule_set

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "eksempler" / "regelsaet-hoej-risiko.yaml"
FAR = date(2030, 1, 1)


def _measure(kind: str, start: date, end: date | None = None, risk: str | None = None):
    return MeasureFacts("S-1", "I-1", kind, start, end, risk)


def _dates(calendar) -> list[date]:
    return [item.due for item in calendar.follow_ups]


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2025, 1, 31), 3, date(2025, 4, 30)),    # 31 January + 3 months = 30 April
    (date(2024, 1, 31), 1, date(2024, 2, 29)),    # leap year
    (date(2025, 1, 31), 1, date(2025, 2, 28)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),   # leap day + a year
    (date(2023, 11, 30), 3, date(2024, 2, 29)),
    (date(2025, 10, 15), 3, date(2026, 1, 15)),   # over the new year
])
def test_calendar_months_clamp_to_the_last_day(start, months, expected):
    assert add_months(start, months) == expected


def test_intervals_read_danish_and_refuse_nonsense():
    assert parse_interval("2 uger").after(date(2025, 1, 1)) == date(2025, 1, 15)
    assert parse_interval("14 dage").after(date(2025, 1, 1)) == date(2025, 1, 15)
    assert parse_interval("1 år").after(date(2024, 2, 29)) == date(2025, 2, 28)
    assert str(parse_interval("1 måneder")) == "1 måned"
    for bad in ("0 uger", "hver uge", "3 fortnights", ""):
        with pytest.raises(ValueError, match="interval"):
            parse_interval(bad)


def test_barnets_lov_first_follow_up_three_months_then_a_decision():
    law = load_rule_set("barnets-lov")
    result = follow_up_calendar(_measure("forebyggende", date(2025, 1, 31)), law, until=FAR)
    (first,) = result.follow_ups
    assert first.number == 1 and first.due == date(2025, 4, 30)
    assert first.statutory_deadline == date(2025, 4, 30)
    assert first.rule == LAW_FIRST
    assert "§95, stk. 2" in first.justification
    assert result.open_decision is not None and "§95, stk. 3" in result.open_decision


def test_investigation_ending_before_three_months_sets_the_deadline():
    law = load_rule_set("barnets-lov")
    measure = _measure("anbringelse_familiepleje", date(2025, 1, 10), end=date(2025, 3, 1))
    (first,) = follow_up_calendar(measure, law, until=FAR).follow_ups
    assert first.due == first.statutory_deadline == date(2025, 3, 1)
    assert "undersøgelse" in first.justification
    # an investigation ending after the 3 months does not move the deadline
    later = _measure("forebyggende", date(2025, 1, 10), end=date(2025, 6, 1))
    assert statutory_first_deadline(later)[0] == date(2025, 4, 10)


def test_herning_preventive_four_weeks_then_every_three_months():
    herning = load_rule_set("herning")
    result = follow_up_calendar(_measure("forebyggende", date(2025, 1, 31)), herning,
                                until=date(2025, 12, 31))
    assert _dates(result) == [date(2025, 2, 28), date(2025, 5, 28), date(2025, 8, 28),
                              date(2025, 11, 28)]
    assert [item.number for item in result.follow_ups] == [1, 2, 3, 4]
    assert result.follow_ups[0].statutory_deadline == date(2025, 4, 30)
    assert result.follow_ups[1].statutory_deadline is None
    assert "herning" in result.follow_ups[1].rule and "3 måneder" in result.follow_ups[1].rule


def test_a_late_follow_up_moves_the_next_date():
    herning = load_rule_set("herning")
    measure = _measure("forebyggende", date(2025, 1, 1))
    on_time = follow_up_calendar(measure, herning, until=date(2025, 6, 30))
    assert _dates(on_time)[:2] == [date(2025, 1, 29), date(2025, 4, 29)]
    late = follow_up_calendar(measure, herning, held=[date(2025, 2, 10)],
                              until=date(2025, 6, 30))
    assert late.follow_ups[0].held == date(2025, 2, 10)
    assert late.follow_ups[0].due == date(2025, 1, 29)
    assert late.follow_ups[1].due == date(2025, 5, 10)
    assert "2025-02-10" in late.follow_ups[1].justification
    assert [item.number for item in late.not_held] == [2]


def test_herning_never_passes_the_statutory_deadline():
    herning = load_rule_set("herning")
    measure = _measure("anbringelse_institution", date(2025, 1, 1), end=date(2025, 1, 10))
    first = follow_up_calendar(measure, herning, until=FAR).follow_ups[0]
    assert first.due == date(2025, 1, 10) and first.rule == LAW_FIRST
    assert "passere lovfristen" in first.justification


def test_herning_placement_six_weeks_through_the_first_year_then_three_months():
    herning = load_rule_set("herning")
    measure = _measure("anbringelse_familiepleje", date(2025, 1, 1))
    result = follow_up_calendar(measure, herning, until=date(2026, 4, 30))
    dates = _dates(result)
    assert dates[0] == date(2025, 1, 15)
    six_weeks = [b - a for a, b in zip(dates, dates[1:9], strict=False)]
    assert all(gap.days == 42 for gap in six_weeks)
    assert dates[8] == date(2025, 12, 17)       # the last 6-week date in the first year
    assert dates[9] == date(2026, 3, 17)        # 2026-01-28 would pass 2026-01-01
    assert "3 måneder" in result.follow_ups[9].rule


def test_the_first_year_boundary_day_is_inside_the_six_week_cadence():
    herning = load_rule_set("herning")
    start = date(2025, 1, 1)
    held = [date(2025, 11, 20)]                 # + 6 weeks = 2026-01-01, the boundary day
    family = follow_up_calendar(_measure("anbringelse_familiepleje", start), herning,
                                held=held, until=date(2026, 6, 30))
    assert _dates(family)[1:3] == [date(2026, 1, 1), date(2026, 4, 1)]
    assert "6 uger" in family.follow_ups[1].rule
    institution = follow_up_calendar(_measure("anbringelse_institution", start), herning,
                                     held=held, until=date(2026, 6, 30))
    assert _dates(institution)[1:] == [date(2026, 1, 1)]
    assert "siger intet" in institution.open_decision


def test_a_decided_schedule_replaces_the_cadence_and_counts_from_the_previous():
    law = load_rule_set("barnets-lov")
    decided = DecidedSchedule(1, "1 måned", "Barnet trives, og forældrene ønsker ro.",
                              decided_by="rådgiver A", decided_on=date(2025, 1, 31),
                              told_family_on=date(2025, 2, 3))
    measure = _measure("forebyggende", date(2024, 11, 15))
    result = follow_up_calendar(measure, law, held=[date(2025, 1, 31)], decided=decided,
                                until=date(2025, 4, 30))
    assert _dates(result) == [date(2025, 2, 15), date(2025, 2, 28), date(2025, 3, 28),
                              date(2025, 4, 28)]
    assert result.follow_ups[0].held == date(2025, 1, 31)
    assert result.open_decision is None
    second = result.follow_ups[1]
    assert second.rule == "besluttet plan: hver 1 måned"
    assert "Barnet trives" in second.justification and "§95, stk. 3" in second.justification
    assert "2025-02-03" in second.justification


def test_a_municipality_rule_set_with_high_risk_every_fourteen_days():
    own = load_rule_set(EXAMPLE)
    high = follow_up_calendar(_measure("forebyggende", date(2025, 3, 1), risk="høj"), own,
                              until=date(2025, 4, 15))
    assert _dates(high) == [date(2025, 3, 15), date(2025, 3, 29), date(2025, 4, 12)]
    other = follow_up_calendar(_measure("forebyggende", date(2025, 3, 1)), own,
                               until=date(2025, 8, 15))
    assert _dates(other) == [date(2025, 4, 1), date(2025, 7, 1)]


def test_rule_set_errors_name_file_line_and_field():
    text = ("regelsæt: lokal\n"
            "regler:\n"
            "  - navn: a\n"
            "    typer: [forebyggende, ukendt_type]\n"
            "    første: 2 fortnights\n"
            "    forløb:\n"
            "      - hver: 6 uger\n"
            "      - hver: 3 måneder\n"
            "    farve: rød\n")
    with pytest.raises(ValidationError) as caught:
        read_rule_set(text, source="lokal.yaml")
    messages = [str(problem) for problem in caught.value.problems]
    assert any("lokal.yaml, linje 4, felt 'typer'" in m and "ukendt_type" in m
               for m in messages)
    assert any("linje 5, felt 'første'" in m for m in messages)
    assert any("linje 7" in m and "kun den sidste fase" in m for m in messages)
    assert any("linje 9, felt 'farve'" in m for m in messages)
    with pytest.raises(ValidationError, match="problem"):
        read_rule_set("regelsæt: [", source="x.yaml")
    with pytest.raises(ValidationError):
        load_rule_set("findes-ikke.yaml")


def test_side_deadlines_for_placements():
    placed = side_deadlines(_measure("anbringelse_institution", date(2025, 1, 31)))
    assert [(item.what, item.due) for item in placed] == [
        ("barnets plan", date(2025, 4, 30)), ("2 tilsynsbesøg", date(2026, 1, 31))]
    assert "§156, stk. 5" in placed[1].justification
    preventive = side_deadlines(_measure("forebyggende", date(2025, 1, 31)))
    assert len(preventive) == 1 and "hvis" in preventive[0].what


def test_caseload_per_caseworker_and_team_means_half_up():
    day = date(2025, 6, 1)
    cases = []
    for worker, team, load in (("A", "Nord", 25), ("B", "Nord", 25), ("C", "Nord", 25),
                               ("D", "Nord", 26), ("E", "Syd", 11), ("F", "Syd", 41)):
        cases += [CaseloadCase(f"{worker}{n}", worker, team, 2 if n % 3 == 0 else 1,
                               date(2024, 1, 1)) for n in range(load)]
    cases.append(CaseloadCase("closed", "A", "Nord", 1, date(2024, 1, 1), date(2025, 6, 1)))
    cases.append(CaseloadCase("future", "A", "Nord", 1, date(2025, 6, 2)))
    result = caseload(cases, day)
    nord, syd = result["teams"]
    assert nord == {"team": "Nord", "rådgivere": 4, "gennemsnit_sager": 25.3,
                    "højeste": 26, "laveste": 25}
    assert syd["gennemsnit_sager"] == 26.0 and (syd["højeste"], syd["laveste"]) == (41, 11)
    assert result["rådgivere"][0] == {"rådgiver": "A", "team": "Nord", "sager": 25,
                                      "børn": 34}
    assert result["i_alt"] == {"rådgivere": 6, "sager": 153,
                               "børn": sum(r["børn"] for r in result["rådgivere"]),
                               "gennemsnit_sager": 25.5}
    assert mean_half_up(1, 20) == 0.1 and mean_half_up(0, 0) == 0.0

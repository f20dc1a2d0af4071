"""The follow-up's use cases on a project (SQLite and PostgreSQL): measures, goals with
their history, measurements, held follow-ups with a decided schedule, the due list and
the caseload; wrong input is refused with Danish problems and leaves nothing written."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from effektspor.domain.errors import EffektsporError, ValidationError
from effektspor.services.authorization import Actor, Role
from effektspor.services.contract import unit_of_work
from effektspor.services.followup import (
    caseload,
    due,
    follow_ups,
    goals,
    measurements,
    measures,
    overview,
)
from effektspor.services.followup.follow_ups import Assessment
from effektspor.services.followup.shared import RULE_SET_SETTING, pending_free_text
from effektspor.store import tables as t
from effektspor.store.tables_followup import FollowUp, Goal, GoalRevision, Measure

RÅDGIVER = Actor("rådgiver A", Role.CODER)


def _call(project, function, **kwargs):
    with unit_of_work(project) as session:
        return function(session=session, actor=RÅDGIVER, project_id=project.project_id,
                        **kwargs)


def _count(project, table) -> int:
    with project.sessions() as session:
        return session.scalar(select(func.count()).select_from(table))


def _measure(project, case="S-1", measure="I-1", kind="forebyggende",
             start=date(2025, 1, 31), **extra):
    return _call(project, measures.create_measure, case=case, measure=measure, kind=kind,
                 start=start, **extra)


def test_a_measure_creates_its_open_case_and_is_listed(project):
    made = _measure(project, caseworker="rådgiver A", team="Nord", provider="Familiehuset",
                    investigation_end="2025-03-15", risk_level="høj")
    assert made.legal_paragraph == "Barnets Lov §32" and made.risk_level == "høj"
    listed = _call(project, measures.list_measures, caseworker="rådgiver A")
    assert [m.measure for m in listed] == ["I-1"]
    with project.sessions() as session:
        case = session.scalar(select(t.Case).where(t.Case.external_id == "S-1"))
        assert case.closed is False and case.team == "Nord"
        event = session.scalar(select(t.Event).where(t.Event.action == "indsats_oprettet"))
        assert event.details == {"sag": "S-1", "indsats": "I-1", "type": "forebyggende",
                                 "start": "2025-01-31"}


def test_wrong_measure_input_lists_every_problem_and_writes_nothing(project):
    with pytest.raises(ValidationError) as caught:
        _measure(project, kind="anbringelse", start="31-13-2025", risk_level="enorm",
                 planned_end="2020-01-01")
    fields = {problem.field for problem in caught.value.problems}
    assert {"type", "start", "risiko"} <= fields
    assert "gyldige: forebyggende" in str(caught.value.problems[0])
    assert _count(project, Measure) == 0 and _count(project, t.Case) == 0
    _measure(project)
    with pytest.raises(ValidationError, match="problem"):
        _measure(project)  # the same measure twice
    assert _count(project, Measure) == 1


def test_goals_are_revised_with_their_history_kept(project):
    _measure(project)
    goal = _call(project, goals.create_goal, case="S-1", life_area="Skole og uddannelse",
                 kind="progression", text="Går i skole 4 af 5 dage inden sommerferien",
                 priority=1, target_date="2025-06-27", evidence="Skolens fraværsliste",
                 made_with=["barn", "forældre"], measure="I-1")
    assert goal.measure == "I-1" and goal.current.version == 1
    revised = _call(project, goals.revise_goal, goal_id=goal.id, expected_version=1,
                    reason="Målet er nået; nu fastholdes det",
                    kind="fastholdelse", text="Bliver ved med at gå i skole 4 af 5 dage")
    assert revised.current.version == 2 and revised.current.kind == "fastholdelse"
    (before,) = revised.history
    assert before.version == 1 and before.text.startswith("Går i skole")
    assert before.reason == "Målet er nået; nu fastholdes det"
    with pytest.raises(ValidationError, match="problem"):
        _call(project, goals.revise_goal, goal_id=goal.id, expected_version=1,
              reason="gammel side", priority=2)
    with pytest.raises(ValidationError):
        _call(project, goals.create_goal, case="S-1", life_area="Økonomi",
              kind="fremskridt", text="", made_with=["nabo"])
    assert _count(project, Goal) == 1 and _count(project, GoalRevision) == 1
    with project.sessions() as session:
        log = session.scalars(select(t.Event.details).where(
            t.Event.action.in_(["mål_oprettet", "mål_revideret"])).order_by(t.Event.id)).all()
    assert log[1]["ændret"] == ["type", "mål"]
    assert all("går i skole" not in str(details).lower() for details in log)  # no goal text


def test_measurements_on_the_instrument_scale(project):
    _measure(project)
    _call(project, measurements.record_measurement, case="S-1", instrument="skalering",
          day="2025-02-01", informant="barn", score="4", expected_next="6")
    _call(project, measurements.record_measurement, case="S-1", instrument="skalering",
          day="2025-03-01", informant="barn", score="6,5")
    series = _call(project, measurements.list_measurements, case="S-1")
    assert [(m.day, m.total, m.expected_next) for m in series] == [
        (date(2025, 2, 1), 4.0, 6.0), (date(2025, 3, 1), 6.5, None)]
    with pytest.raises(ValidationError) as caught:
        _call(project, measurements.record_measurement, case="S-1", instrument="trivsel",
              day="2025-03-01", informant="nabo", score="7")
    assert {p.field for p in caught.value.problems} == {"informant", "score"}
    assert any("1–5" in str(p) for p in caught.value.problems)


def test_held_follow_ups_store_their_rule_and_a_decided_schedule_moves_the_dates(project):
    _measure(project, caseworker="rådgiver A", team="Nord")
    goal = _call(project, goals.create_goal, case="S-1", life_area="Familieforhold",
                 kind="progression", text="Mindre konflikt ved aftensmaden")
    first = _call(project, follow_ups.record_follow_up, case="S-1", measure="I-1",
                  held_on="2025-05-05", participants=["barn", "mor"],
                  assessments=[Assessment(goal.id, "fremgang", "Færre skænderier")],
                  decision="fortsættes", schedule_interval="2 måneder",
                  schedule_justification="Barnet ønsker tæt kontakt",
                  schedule_told_family_on="2025-05-06")
    assert (first.number, first.due, first.statutory_deadline) == (
        1, date(2025, 4, 30), date(2025, 4, 30))
    assert first.rule == "Barnets Lov §95, stk. 2"
    assert first.on_time is False and first.within_deadline is False  # held late
    assert first.assessments == (Assessment(goal.id, "fremgang", "Færre skænderier"),)
    listing = _call(project, due.due_list, day=date(2025, 7, 1), caseworker="rådgiver A")
    (item,) = listing.items
    assert item.follow_up.number == 2 and item.follow_up.due == date(2025, 7, 5)
    assert item.status == due.SOON and item.days == 4
    assert "Barnet ønsker tæt kontakt" in item.follow_up.justification
    assert "2025-05-06" in item.follow_up.justification
    second = _call(project, follow_ups.record_follow_up, case="S-1", measure="I-1",
                   held_on="2025-07-01")
    assert (second.due, second.rule, second.on_time) == (
        date(2025, 7, 5), "besluttet plan: hver 2 måneder", True)
    later = _call(project, due.due_list, day=date(2025, 9, 10))
    assert later.items[0].follow_up.due == date(2025, 9, 1)  # from the held 1 July
    assert later.items[0].status == due.OVERDUE and later.items[0].days == -9
    with pytest.raises(ValidationError) as caught:
        _call(project, follow_ups.record_follow_up, case="S-1", measure="I-2",
              held_on="2025-08-01", decision="måske", schedule_interval="3 måneder",
              assessments=[Assessment(9999, "super")])
    fields = {p.field for p in caught.value.problems}
    assert {"indsats", "beslutning", "plan_begrundelse", "vurdering"} <= fields
    with pytest.raises(EffektsporError, match="før den"):
        _call(project, follow_ups.record_follow_up, case="S-1", measure="I-1",
              held_on="2025-06-01")
    assert _count(project, FollowUp) == 2


def test_the_due_list_by_scope_and_the_waiting_decisions(project):
    _measure(project, case="S-1", caseworker="A", team="Nord", start=date(2025, 1, 1))
    _measure(project, case="S-2", caseworker="B", team="Nord", start=date(2025, 3, 20))
    _measure(project, case="S-3", caseworker="C", team="Syd", start=date(2025, 1, 1),
             kind="anbringelse_institution")
    _measure(project, case="S-4", caseworker="C", team="Syd", start=date(2024, 1, 1),
             actual_end=date(2024, 6, 1))  # ended: not on the list
    _call(project, follow_ups.record_follow_up, case="S-3", measure="I-1",
          held_on="2025-03-01")  # held, no schedule decided: waiting for a decision
    day = date(2025, 4, 10)
    everyone = _call(project, due.due_list, day=day)
    assert [(i.follow_up.case, i.status) for i in everyone.items] == [
        ("S-1", due.OVERDUE), ("S-2", due.NEXT)]
    assert [w.case for w in everyone.waiting] == ["S-3"]
    assert "§95, stk. 3" in everyone.waiting[0].reason
    assert [i.follow_up.case for i in _call(project, due.due_list, day=day,
                                            team="Nord").items] == ["S-1", "S-2"]
    assert _call(project, due.due_list, day=day, caseworker="C").items == ()
    herning = _call(project, due.due_list, day=day, rule_set="herning")
    assert herning.rule_set == "herning"
    with project.transaction() as session:
        session.get(t.Project, project.project_id).settings = {RULE_SET_SETTING: "herning"}
    assert _call(project, due.due_list, day=day).rule_set == "herning"
    contract = _call(project, due.project_due_dates, until=date(2025, 6, 30))
    assert [(f["sag"], f["nummer"], f["frist"]) for f in contract["frister"]][:2] == [
        ("S-1", 1, "2025-01-29"), ("S-1", 2, "2025-04-29")]
    calendar = _call(project, due.case_calendar, case="S-3", until=date(2025, 12, 31))
    assert [s.what for s in calendar.side_deadlines] == ["barnets plan", "2 tilsynsbesøg"]


def test_caseload_of_the_project(project):
    for n in range(3):
        _measure(project, case=f"A-{n}", caseworker="A", team="Nord")
    _measure(project, case="A-0", measure="I-2", caseworker="A", team="Nord")  # same case
    _measure(project, case="B-0", caseworker="B", team="Nord")
    result = _call(project, caseload.project_caseload, day=date(2025, 6, 1))
    assert result["rådgivere"] == [
        {"rådgiver": "A", "team": "Nord", "sager": 3, "børn": 3},
        {"rådgiver": "B", "team": "Nord", "sager": 1, "børn": 1}]
    assert result["teams"][0]["gennemsnit_sager"] == 2.0
    assert result["mål"] == 25 and result["anbefalet"] == [20, 30]


def test_free_text_waits_for_the_pseudonymiser(project):
    _measure(project)
    goal = _call(project, goals.create_goal, case="S-1", life_area="Netværk",
                 kind="fastholdelse", text="Ser mormor Grethe hver uge")
    _call(project, follow_ups.record_follow_up, case="S-1", measure="I-1",
          held_on="2025-03-01", note="Grethe deltog", participants=["mor", "Grethe"],
          assessments=[Assessment(goal.id, "uændret", "Som før")])
    with project.sessions() as session:
        pending = list(pending_free_text(session, project.project_id))
    kinds = sorted(item.kind for item in pending)
    assert kinds == ["mål", "målvurdering", "opfølgning"]
    assert all(item.case_id for item in pending)


def test_timeliness_of_first_and_all_follow_ups_by_team(project):
    for case, team in (("S-1", "Nord"), ("S-2", "Nord"), ("S-3", "Syd")):
        _measure(project, case=case, team=team, start=date(2025, 1, 1))
    _measure(project, case="S-4", team="Syd", start=date(2025, 4, 15))  # not yet due
    _call(project, follow_ups.record_follow_up, case="S-1", measure="I-1",
          held_on="2025-03-15")
    _call(project, follow_ups.record_follow_up, case="S-2", measure="I-1",
          held_on="2025-04-10")  # after the deadline 2025-04-01
    result = _call(project, caseload.follow_up_timeliness, day=date(2025, 5, 1))
    nord, syd = result["teams"]
    assert (nord["første_rettidige"], nord["første_i_alt"], nord["første_procent"]) == (1, 2, 50)
    assert (nord["alle_rettidige"], nord["alle_i_alt"]) == (1, 2)
    assert (syd["første_rettidige"], syd["første_i_alt"], syd["alle_i_alt"]) == (0, 1, 1)
    assert result["i_alt"]["første_procent"] == 33 and result["i_alt"]["alle_procent"] == 33
    assert result["landstal_første_procent"] == 75


def test_the_childs_page(project):
    _measure(project, kind="anbringelse_familiepleje", start=date(2025, 1, 6))
    goal = _call(project, goals.create_goal, case="S-1", life_area="Familieforhold",
                 kind="progression", text="Færre konflikter")
    for day, score in (("2025-01-20", 3), ("2025-02-20", 5)):
        _call(project, measurements.record_measurement, case="S-1", instrument="skalering",
              day=day, informant="barn", score=score, expected_next=6)
    _call(project, measurements.record_measurement, case="S-1", instrument="trivsel",
          day="2025-02-20", informant="plejeforælder", score=4)
    _call(project, follow_ups.record_follow_up, case="S-1", measure="I-1",
          held_on="2025-03-01", assessments=[Assessment(goal.id, "fremgang", "Bedre")])
    page = _call(project, overview.case_overview, case="S-1", day=date(2025, 3, 10))
    assert [m.measure for m in page.measures] == ["I-1"]
    (status,) = page.goals
    assert status.latest.assessment == "fremgang" and status.assessed_on == date(2025, 3, 1)
    assert [(s.instrument, s.informant, len(s.points)) for s in page.series] == [
        ("skalering", "barn", 2), ("trivsel", "plejeforælder", 1)]
    assert page.series[0].change == 2 and page.series[0].maximum == 10
    assert [s.what for s in page.calendar.side_deadlines] == ["barnets plan",
                                                              "2 tilsynsbesøg"]
    with project.sessions() as session:
        views = session.scalar(select(func.count()).select_from(t.Event).where(
            t.Event.action == "opfølgning_sag_vist"))
    assert views == 1
    with pytest.raises(EffektsporError, match="findes ikke"):
        _call(project, overview.case_overview, case="S-404", day=date(2025, 3, 10))
